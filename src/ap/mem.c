/* SPDX-License-Identifier: MIT */
/* s390ap_mem: a flat, bounds-checked storage; and the checked accessors
 * every operand access goes through. */
#include <stdlib.h>
#include <string.h>

#include "ap/ap_internal.h"
#include "ap/mem_internal.h"

struct s390ap_mem {
	uint64_t size;
	uint8_t *data;
	ap_mem_write_hook hook; /* the owning system's code invalidation */
	void *hook_ctx;
};

static bool in_range(const s390ap_mem *mem, uint64_t addr, size_t len)
{
	return addr <= mem->size && len <= mem->size - addr;
}

static int mem_read(void *ctx, uint64_t addr, void *dst, size_t len)
{
	const s390ap_mem *mem = ctx;

	if (!in_range(mem, addr, len))
		return S390AP_EFAULT;
	if (len == 1) /* AQIC's NIB: no call */
		*(uint8_t *)dst = mem->data[addr];
	else
		memcpy(dst, mem->data + addr, len);
	return 0;
}

static int mem_write(void *ctx, uint64_t addr, const void *src, size_t len)
{
	s390ap_mem *mem = ctx;

	if (!in_range(mem, addr, len))
		return S390AP_EFAULT;
	memcpy(mem->data + addr, src, len);
	if (mem->hook && len)
		mem->hook(mem->hook_ctx, addr, len);
	return 0;
}

/* The access callback: the flat storage has no DAT and no keys, so every
 * address space is the same bytes and the only exception is addressing. */
static int mem_access(void *ctx, const s390ap_access *acc, void *buf, s390ap_access_exc *exc)
{
	s390ap_mem *mem = ctx;
	uint8_t *p;

	if (!in_range(mem, acc->addr, acc->len)) {
		exc->pgm = S390AP_PGM_ADDRESSING;
		return -1;
	}
	p = mem->data + acc->addr;
	switch (acc->kind) {
	case S390AP_ACCESS_FETCH:
		if (acc->len == 1) /* AQIC's NIB check: no call */
			*(uint8_t *)buf = *p;
		else
			memcpy(buf, p, acc->len);
		return 0;
	case S390AP_ACCESS_STORE:
		return mem_write(mem, acc->addr, buf, acc->len);
	default: { /* S390AP_ACCESS_OR, len 1 */
		uint8_t bits = *(uint8_t *)buf;
#if defined(__GNUC__) || defined(__clang__)
		*(uint8_t *)buf = __atomic_fetch_or(p, bits, __ATOMIC_SEQ_CST);
#else
		*(uint8_t *)buf = *p;
		*p |= bits;
#endif
		if (mem->hook)
			mem->hook(mem->hook_ctx, acc->addr, 1);
		return 0;
	}
	}
}

int s390ap_mem_new(s390ap_mem **out, uint64_t size)
{
	s390ap_mem *mem;

	if (!out)
		return S390AP_EINVAL;
	*out = NULL;
	if (size == 0 || size > SIZE_MAX)
		return S390AP_ERANGE;
	mem = calloc(1, sizeof(*mem));
	if (!mem)
		return S390AP_ENOMEM;
	mem->data = calloc(1, (size_t)size);
	if (!mem->data) {
		free(mem);
		return S390AP_ENOMEM;
	}
	mem->size = size;
	*out = mem;
	return 0;
}

void s390ap_mem_free(s390ap_mem *mem)
{
	if (!mem)
		return;
	free(mem->data);
	free(mem);
}

uint64_t s390ap_mem_size(const s390ap_mem *mem)
{
	return mem ? mem->size : 0;
}

const uint8_t *s390ap_mem_data(const s390ap_mem *mem)
{
	return mem ? mem->data : NULL;
}

int s390ap_mem_write(s390ap_mem *mem, uint64_t addr, const void *src, size_t len)
{
	if (!mem || (!src && len))
		return S390AP_EINVAL;
	return mem_write(mem, addr, src, len);
}

uint8_t *ap_mem_bytes(s390ap_mem *mem)
{
	return mem->data;
}

void ap_mem_set_write_hook(s390ap_mem *mem, ap_mem_write_hook fn, void *ctx)
{
	mem->hook = fn;
	mem->hook_ctx = ctx;
}

int s390ap_mem_storage(s390ap_mem *mem, s390ap_storage *st)
{
	if (!mem || !st)
		return S390AP_EINVAL;
	st->size = sizeof(*st);
	st->ctx = mem;
	st->read = mem_read;
	st->write = mem_write;
	st->access = mem_access;
	return 0;
}

static int no_read(void *ctx, uint64_t addr, void *dst, size_t len)
{
	(void)ctx, (void)addr, (void)dst, (void)len;
	return -1;
}

static int no_write(void *ctx, uint64_t addr, const void *src, size_t len)
{
	(void)ctx, (void)addr, (void)src, (void)len;
	return -1;
}

const s390ap_storage ap_no_storage = { S390AP_SIZED(s390ap_storage), .read = no_read,
				       .write = no_write };

int ap_access_fault(s390ap_access_exc *exc)
{
	*exc = (s390ap_access_exc){ .pgm = S390AP_PGM_ADDRESSING };
	return -1;
}

bool ap_fetch_byte_ok(const s390ap_storage *st, uint64_t addr, unsigned ar)
{
	const s390ap_access acc = { .addr = addr,
				    .len = 1,
				    .kind = S390AP_ACCESS_FETCH,
				    .asc = S390AP_ASC_ABSOLUTE,
				    .ar = ar };
	s390ap_access_exc exc;
	uint8_t byte;

	/* The flat storage's answer needs no access description (AQIC's hot
	 * path). */
	if (st->access == mem_access)
		return in_range(st->ctx, addr, 1);
	return ap_fetch(st, &acc, &byte, &exc) == 0;
}

int ap_access_cb(const s390ap_storage *st, const s390ap_access *acc, void *buf,
		 s390ap_access_exc *exc)
{
	*exc = (s390ap_access_exc){ 0 };
	if (st->access(st->ctx, acc, buf, exc) == 0)
		return 0;
	if (exc->pgm == 0)
		exc->pgm = S390AP_PGM_ADDRESSING;
	return -1;
}

int ap_access(const s390ap_storage *st, const s390ap_access *acc, void *buf, s390ap_access_exc *exc)
{
	uint8_t old;

	if (st->access)
		return ap_access_cb(st, acc, buf, exc);
	switch (acc->kind) {
	case S390AP_ACCESS_FETCH:
		return ap_fetch(st, acc, buf, exc);
	case S390AP_ACCESS_STORE:
		return ap_store(st, acc, buf, exc);
	default: /* OR over read and write: atomic only if nothing else writes */
		if (st->read(st->ctx, acc->addr, &old, 1) != 0)
			return ap_access_fault(exc);
		if ((old | *(uint8_t *)buf) != old) {
			uint8_t now = old | *(uint8_t *)buf;

			if (st->write(st->ctx, acc->addr, &now, 1) != 0)
				return ap_access_fault(exc);
		}
		*(uint8_t *)buf = old;
		return 0;
	}
}

/* The public helpers: an absolute access with key 0. */
static int storage_rw(const s390ap_storage *st, uint64_t addr, void *buf, size_t len, uint8_t kind)
{
	s390ap_access acc = { .addr = addr, .len = len, .kind = kind, .asc = S390AP_ASC_ABSOLUTE };
	s390ap_access_exc exc;

	if (!st || (!buf && len))
		return S390AP_EINVAL;
	if (!st->access && (kind == S390AP_ACCESS_FETCH ? !st->read : !st->write))
		return S390AP_EINVAL;
	if (len == 0)
		return 0;
	return ap_access(st, &acc, buf, &exc) ? S390AP_EFAULT : 0;
}

int s390ap_storage_read(const s390ap_storage *st, uint64_t addr, void *dst, size_t len)
{
	return storage_rw(st, addr, dst, len, S390AP_ACCESS_FETCH);
}

int s390ap_storage_write(const s390ap_storage *st, uint64_t addr, const void *src, size_t len)
{
	return storage_rw(st, addr, (void *)src, len, S390AP_ACCESS_STORE);
}
