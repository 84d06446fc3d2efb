/* SPDX-License-Identifier: MIT */
/* Versioned input structures (docs/abi.md): each starts with `uint32_t
 * size`, the caller's sizeof.  opts_copy turns the caller's copy into one of
 * the library's layout, so the code behind it reads every field without
 * looking at sizes again.  Header-only, no library state. */
#ifndef S390AP_UTIL_OPTS_H
#define S390AP_UTIL_OPTS_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "s390ap/error.h"
#include "util/zero.h"

/* Bytes up to the end of a member: a structure's first version ends at its
 * last member of that release (not at sizeof, which adds tail padding). */
#define OPTS_END(type, member) (offsetof(type, member) + sizeof(((type *)0)->member))

/* Copy the caller's structure at src into dst (dst_size bytes, the
 * library's layout), zeroed first so that fields the caller's version
 * lacks read as 0, their default.  The size member:
 *   0                  this header's layout (accepted while the major
 *                      version is 0);
 *   < min_size         older than the first version: S390AP_EINVAL;
 *   <= dst_size        copied, the rest stays zero;
 *   > dst_size         a newer caller: accepted only when every byte we do
 *                      not know is zero, else S390AP_EINVAL.
 * dst->size becomes dst_size.  dst is untouched on failure. */
static inline int opts_copy(void *dst, size_t dst_size, const void *src, size_t min_size)
{
	const uint8_t *s = src;
	uint32_t size;

	memcpy(&size, s, sizeof(size));
	if (size == 0)
		size = (uint32_t)dst_size;
	if (size < min_size)
		return S390AP_EINVAL;
	if (size > dst_size && !mem_all_zero(s + dst_size, size - dst_size))
		return S390AP_EINVAL;
	memset(dst, 0, dst_size);
	memcpy(dst, s, size < dst_size ? size : dst_size);
	size = (uint32_t)dst_size;
	memcpy(dst, &size, sizeof(size));
	return 0;
}

/* Why opts_copy refused a size, for an error message. */
static inline const char *opts_refusal(uint32_t size, size_t min_size)
{
	return size < min_size ? "smaller than the first version"
			       : "bytes past this library's structure are not zero";
}

/* opts_copy into dst, a type *: OPTS_COPY(&o, opts, type, last) with `last`
 * the last member of the structure's first version. */
#define OPTS_COPY(dst, src, type, last) opts_copy((dst), sizeof(type), (src), OPTS_END(type, last))

#endif
