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
	st->ctx = mem;
	st->read = mem_read;
	st->write = mem_write;
	return 0;
}

int s390ap_storage_read(const s390ap_storage *st, uint64_t addr, void *dst, size_t len)
{
	if (!st || !st->read || (!dst && len))
		return S390AP_EINVAL;
	if (len == 0)
		return 0;
	return st->read(st->ctx, addr, dst, len) ? S390AP_EFAULT : 0;
}

int s390ap_storage_write(const s390ap_storage *st, uint64_t addr, const void *src, size_t len)
{
	if (!st || !st->write || (!src && len))
		return S390AP_EINVAL;
	if (len == 0)
		return 0;
	return st->write(st->ctx, addr, src, len) ? S390AP_EFAULT : 0;
}
