/* SPDX-License-Identifier: MIT */
/* MSB-first id masks (APM/AQM/ADM images) on top of libbsd's bitstring.
 *
 *   byte 0            byte 1
 *   +-+-+-+-+-+-+-+-+ +-+-+-+-+-+-+-+-+
 *   |0|1|2|3|4|5|6|7| |8|9|...       |    id -> bit 0x80 >> (id & 7)
 *   +-+-+-+-+-+-+-+-+ +-+-+-+-+-+-+-+-+
 *
 * bitstring is LSB-first within a byte, so index id ^ 7 flips the order and
 * the byte array stays the architected image.
 */
#ifndef S390AP_UTIL_MASK_H
#define S390AP_UTIL_MASK_H

#include <bsd/bitstring.h>
#include <stdbool.h>
#include <stdint.h>

static inline bool mask_test(const uint8_t *m, unsigned id)
{
	return bit_test(m, (int)(id ^ 7u)) != 0;
}

static inline void mask_set(uint8_t *m, unsigned id)
{
	bit_set(m, (int)(id ^ 7u));
}

static inline void mask_clear(uint8_t *m, unsigned id)
{
	bit_clear(m, (int)(id ^ 7u));
}

#endif
