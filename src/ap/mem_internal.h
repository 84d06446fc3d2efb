/* SPDX-License-Identifier: MIT */
/* s390ap_mem internals shared with the dispatcher: the writable bytes and
 * a hook every public write calls, so a system can drop decoded
 * instructions that a write through its storage replaced.  And the one
 * way the library makes an access through any s390ap_storage. */
#ifndef S390AP_MEM_INTERNAL_H
#define S390AP_MEM_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>

#include "s390ap/storage.h"

typedef void (*ap_mem_write_hook)(void *ctx, uint64_t addr, uint64_t len);

/* The bytes, writable: only for the library's own code, which calls the
 * hook's owner (cpu_code_written) itself. */
uint8_t *ap_mem_bytes(s390ap_mem *mem);
/* Called after every write through s390ap_mem_write or the callbacks of
 * s390ap_mem_storage; NULL to remove. */
void ap_mem_set_write_hook(s390ap_mem *mem, ap_mem_write_hook fn, void *ctx);

/* A storage whose every access is an addressing exception: what an
 * instruction gets for no storage, or one without usable callbacks. */
extern const s390ap_storage ap_no_storage;

/* Whether st can be used as it is: an access callback, or both read and
 * write. */
static inline bool ap_storage_usable(const s390ap_storage *st)
{
	return st && (st->access || (st->read && st->write));
}

/* The slow and exception paths of ap_fetch / ap_store, and every OR. */
int ap_access_cb(const s390ap_storage *st, const s390ap_access *acc, void *buf,
		 s390ap_access_exc *exc);
int ap_access_fault(s390ap_access_exc *exc);
int ap_access(const s390ap_storage *st, const s390ap_access *acc, void *buf,
	      s390ap_access_exc *exc);

/* Whether one byte at absolute addr can be fetched (AQIC's NIB check);
 * ar names the operand's register for the callback. */
bool ap_fetch_byte_ok(const s390ap_storage *st, uint64_t addr, unsigned ar);

/* One access on a usable storage: 0, or -1 with *exc filled (pgm never 0).
 * The older read / write pair is called directly: the hot path of NQAP and
 * DQAP pays one test for the access callback. */
static inline int ap_fetch(const s390ap_storage *st, const s390ap_access *acc, void *buf,
			   s390ap_access_exc *exc)
{
	if (st->access)
		return ap_access_cb(st, acc, buf, exc);
	if (st->read(st->ctx, acc->addr, buf, acc->len) == 0)
		return 0;
	return ap_access_fault(exc);
}

static inline int ap_store(const s390ap_storage *st, const s390ap_access *acc, const void *buf,
			   s390ap_access_exc *exc)
{
	if (st->access)
		return ap_access_cb(st, acc, (void *)buf, exc);
	if (st->write(st->ctx, acc->addr, buf, acc->len) == 0)
		return 0;
	return ap_access_fault(exc);
}

#endif
