/* SPDX-License-Identifier: MIT */
#include "sie/sie_internal.h"
void kvm_handle_exit(struct s390ap_vcpu *v)
{
	(void)v;
}
