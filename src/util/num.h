/* SPDX-License-Identifier: MIT */
/* Numbers as machine files and apsim scenarios write them: decimal or 0x hex,
 * up to 64 bits.  Header-only, no library state: the library's machine
 * description parser and apsim's scenario lexer share it. */
#ifndef S390AP_UTIL_NUM_H
#define S390AP_UTIL_NUM_H

#include <stddef.h>
#include <stdint.h>

/* The value of a digit in base 10 or 16 (either case), or -1. */
static inline int num_digit(char ch, unsigned base)
{
	unsigned d;

	if (ch >= '0' && ch <= '9')
		d = (unsigned)(ch - '0');
	else if (ch >= 'a' && ch <= 'f')
		d = (unsigned)(ch - 'a' + 10);
	else if (ch >= 'A' && ch <= 'F')
		d = (unsigned)(ch - 'A' + 10);
	else
		return -1;
	return d < base ? (int)d : -1;
}

/* s[0..len) as a number: 0 with *out set, -1 not a number, -2 too large. */
static inline int num_parse_u64(const char *s, size_t len, uint64_t *out)
{
	unsigned base = len > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X') ? 16 : 10;
	size_t i = base == 16 ? 2 : 0;
	uint64_t v = 0;

	if (i >= len)
		return -1;
	for (; i < len; i++) {
		int d = num_digit(s[i], base);

		if (d < 0)
			return -1;
		if (v > (UINT64_MAX - (uint64_t)d) / base)
			return -2;
		v = v * base + (uint64_t)d;
	}
	*out = v;
	return 0;
}

#endif
