/* SPDX-License-Identifier: MIT */
/* s390ap — the storage interface.
 *
 * The library never owns "memory" in the architectural sense: every operand
 * access (QCI block, NQAP message, DQAP buffer, AQIC notification byte) goes
 * through an s390ap_storage, so an embedding emulator plugs in its own
 * memory, address translation and protection.
 *
 * Two ways to provide it (docs/embedding.md, "Storage and access
 * exceptions"):
 *  - access: one callback that gets the whole access (address, length,
 *    fetch / store / atomic OR, access key, address-space control) and may
 *    report any access exception with its translation-exception
 *    identification.  When set, read and write are not used.
 *  - read / write: the older pair.  They see only an address and a length
 *    and can only fail, which the library reports as an addressing
 *    exception (or, for the AQIC NIB, response code 0x06); the atomic OR is
 *    then a read followed by a write.
 *
 * Leaving a callback by longjmp (QEMU's cpu_loop_exit, Hercules'
 * program_interrupt) is allowed for instruction operands (fetch and store
 * of the QCI block, NQAP message, DQAP buffer, the AQIC NIB check): no
 * machine or queue state has changed before the last access that can fail,
 * and nothing is allocated across one.  The OR that sets a NIB when a
 * reply arrives runs from the machine's clock, outside any instruction: it
 * must return.
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

/* Address-space control of an access: PSW bits 16-17 for logical
 * addresses, or an address the architecture defines as real or absolute. */
typedef enum s390ap_asc {
	S390AP_ASC_PRIMARY = 0,
	S390AP_ASC_ACCESS_REGISTER = 1,
	S390AP_ASC_SECONDARY = 2,
	S390AP_ASC_HOME = 3,
	S390AP_ASC_REAL = 4,    /* prefixing applies, no DAT */
	S390AP_ASC_ABSOLUTE = 5 /* neither DAT nor prefixing */
} s390ap_asc;

typedef enum s390ap_access_kind {
	S390AP_ACCESS_FETCH = 0, /* copy len bytes at addr into buf */
	S390AP_ACCESS_STORE = 1, /* copy len bytes from buf to addr, all or nothing */
	S390AP_ACCESS_OR = 2     /* len 1: atomically OR buf[0] into the byte at
				  * addr and return the old byte in buf[0]
				  * (an interlocked update, as OI under a lock) */
} s390ap_access_kind;

typedef struct s390ap_access {
	uint64_t addr; /* already wrapped to the addressing mode */
	size_t len;    /* at least 1 */
	uint8_t kind;  /* s390ap_access_kind */
	uint8_t key;   /* access key 0-15 (the PSW key for operands) */
	uint8_t asc;   /* s390ap_asc */
	uint8_t ar;    /* register the address came from; in access-register
			* mode its access register names the address space */
} s390ap_access;

/* What the access callback reports on an access exception. */
#define S390AP_EXC_TEID 0x01u /* teid is valid: stored at real 0xA8 */
#define S390AP_EXC_EAI 0x02u  /* eai is valid: stored at real 0xA0 */

typedef struct s390ap_access_exc {
	uint16_t pgm;   /* program-interruption code (0x04 protection, 0x05
			 * addressing, 0x10, 0x11, 0x38-0x3B translation, ...);
			 * 0 is taken as addressing */
	uint8_t flags;  /* S390AP_EXC_* */
	uint8_t eai;    /* exception access identification (the AR number) */
	uint8_t ending; /* s390ap_ending (insn.h) to override the library's
			 * choice for pgm; 0 keeps it */
	uint64_t teid;  /* translation-exception identification */
} s390ap_access_exc;

typedef struct s390ap_storage {
	uint32_t size; /* sizeof, S390AP_SIZED (docs/abi.md); 0 = this header's */
	void *ctx;
	/* Copy len bytes at addr into dst. Must not touch dst on failure. */
	int (*read)(void *ctx, uint64_t addr, void *dst, size_t len);
	/* Copy len bytes from src to addr. Must be all-or-nothing. */
	int (*write)(void *ctx, uint64_t addr, const void *src, size_t len);
	/* 0 when the access was made; non-zero with *exc filled (it arrives
	 * zeroed) when not, and then nothing was stored.  When set, read and
	 * write are ignored (and may be NULL). */
	int (*access)(void *ctx, const s390ap_access *acc, void *buf, s390ap_access_exc *exc);
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

/* Helpers over any storage (an access callback is asked for an absolute
 * access with key 0): 0 or S390AP_EFAULT. */
S390AP_API int s390ap_storage_read(const s390ap_storage *st, uint64_t addr, void *dst, size_t len);
S390AP_API int s390ap_storage_write(const s390ap_storage *st, uint64_t addr, const void *src,
				    size_t len);

#ifdef __cplusplus
}
#endif
#endif
