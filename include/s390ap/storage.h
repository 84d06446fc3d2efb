/* SPDX-License-Identifier: MIT */
/* s390ap — the storage interface.
 *
 * The library never owns "memory" in the architectural sense: every operand
 * access (QCI block, NQAP message, DQAP buffer, AQIC notification byte) goes
 * through an s390ap_storage, so an embedding emulator plugs in its own
 * memory.  Addresses are absolute addresses of the level that executes the
 * instruction.  A callback returns 0 when the whole range was accessed and
 * non-zero when any byte of it is unavailable; the library turns that into
 * an addressing exception (or, for the AQIC NIB, response code 0x06).
 *
 * s390ap_mem is a ready-made flat storage with bounds checks.  Its bytes
 * are read-only through s390ap_mem_data; writes go through
 * s390ap_mem_write or the callbacks of s390ap_mem_storage, so that a
 * system (s390ap_sys_mem) sees every write and drops decoded instructions
 * that it replaced.
 */
#ifndef S390AP_STORAGE_H
#define S390AP_STORAGE_H

#include <stddef.h>
#include <stdint.h>

#include "s390ap/export.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct s390ap_storage {
	void *ctx;
	/* Copy len bytes at addr into dst. Must not touch dst on failure. */
	int (*read)(void *ctx, uint64_t addr, void *dst, size_t len);
	/* Copy len bytes from src to addr. Must be all-or-nothing. */
	int (*write)(void *ctx, uint64_t addr, const void *src, size_t len);
} s390ap_storage;

/* A flat, zero-filled storage of `size` bytes (absolute addresses 0..size-1). */
typedef struct s390ap_mem s390ap_mem;

S390AP_API int s390ap_mem_new(s390ap_mem **out, uint64_t size);
S390AP_API void s390ap_mem_free(s390ap_mem *mem);
S390AP_API uint64_t s390ap_mem_size(const s390ap_mem *mem);
/* Read-only pointer to the bytes (NULL for a NULL mem). */
S390AP_API const uint8_t *s390ap_mem_data(const s390ap_mem *mem);
/* Copy len bytes to addr: 0, S390AP_EFAULT when [addr, addr + len) is not
 * all inside, S390AP_EINVAL for a NULL mem (or src with len > 0).  On a
 * system's storage, cached instructions in the range are dropped. */
S390AP_API int s390ap_mem_write(s390ap_mem *mem, uint64_t addr, const void *src, size_t len);
/* Fill *st with callbacks bound to mem (writes as s390ap_mem_write). */
S390AP_API int s390ap_mem_storage(s390ap_mem *mem, s390ap_storage *st);

/* Bounds-checked helpers over any storage: 0 or S390AP_EFAULT. */
S390AP_API int s390ap_storage_read(const s390ap_storage *st, uint64_t addr, void *dst, size_t len);
S390AP_API int s390ap_storage_write(const s390ap_storage *st, uint64_t addr, const void *src,
				    size_t len);

#ifdef __cplusplus
}
#endif
#endif
