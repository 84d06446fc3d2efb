/* SPDX-License-Identifier: MIT */
/* s390ap — symbol visibility.  Everything not marked S390AP_API is hidden. */
#ifndef S390AP_EXPORT_H
#define S390AP_EXPORT_H

#if defined(S390AP_STATIC)
#define S390AP_API
#elif defined(__GNUC__)
#define S390AP_API __attribute__((visibility("default")))
#else
#define S390AP_API
#endif

#endif
