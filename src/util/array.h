/* SPDX-License-Identifier: MIT */
/* Element count of an array (not of a pointer: the division would be
 * silently wrong, so pass arrays only).  Header-only, no library state. */
#ifndef S390AP_UTIL_ARRAY_H
#define S390AP_UTIL_ARRAY_H

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

#endif
