/* SPDX-License-Identifier: MIT */
/* s390ap — symbol visibility (everything not marked S390AP_API is hidden)
 * and the size member of versioned structures. */
#ifndef S390AP_EXPORT_H
#define S390AP_EXPORT_H

#if defined(S390AP_STATIC)
#define S390AP_API
#elif defined(__GNUC__)
#define S390AP_API __attribute__((visibility("default")))
#else
#define S390AP_API
#endif

/* The first member of every input structure the library copies
 * (s390ap_*_opts, s390ap_cost_model, s390ap_machine_hooks, s390ap_storage)
 * is `uint32_t size`, the caller's sizeof, so that a structure may grow at
 * its end without breaking programs built against older headers
 * (docs/abi.md).  In a designated initialiser:
 *   s390ap_machine_opts o = { S390AP_SIZED(s390ap_machine_opts), .na = 15 };
 * A size of 0 is taken as this header's while the major version is 0. */
#define S390AP_SIZED(type) .size = sizeof(type)

#endif
