/* SPDX-License-Identifier: MIT */
/* Whether a byte range is all zero: the engines' reserved fields, the
 * bytes past a versioned structure, storage pages worth saving.
 * Header-only, no library state. */
#ifndef S390AP_UTIL_ZERO_H
#define S390AP_UTIL_ZERO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

static inline bool mem_all_zero(const void *p, size_t n)
{
	const uint8_t *b = p;

	/* each byte equals the next and the first is 0: memcmp does the
	 * scan, as fast as it compares */
	return n == 0 || (b[0] == 0 && memcmp(b, b + 1, n - 1) == 0);
}

#endif
