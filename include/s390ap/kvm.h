/* SPDX-License-Identifier: MIT */
#ifndef S390AP_KVM_H
#define S390AP_KVM_H
typedef struct s390ap_vcpu s390ap_vcpu;
#endif
