/* SPDX-License-Identifier: MIT */
/* s390ap — version of the headers and of the linked library. */
#ifndef S390AP_VERSION_H
#define S390AP_VERSION_H

#include "s390ap/export.h"

#define S390AP_VERSION_MAJOR 0
#define S390AP_VERSION_MINOR 1
#define S390AP_VERSION_PATCH 0
#define S390AP_VERSION_STRING "0.1.0"

#ifdef __cplusplus
extern "C" {
#endif

/* Version of the library actually linked ("0.1.0"). */
S390AP_API const char *s390ap_version(void);

#ifdef __cplusplus
}
#endif
#endif
