/* SPDX-License-Identifier: MIT */
/* Storage access: prefixing, the slow paths behind cpu_ptr(), code-write
 * invalidation of the decoded-instruction cache, and the real storage
 * interface with this CPU's prefixing for the AP instructions (the
 * absolute one, for the machine and the embedder, is the mem's own, sys.c).
 *
 * Real to absolute (DAT is not implemented, so logical = real):
 *
 *   real 0 .. 8K-1            -> absolute prefix .. prefix+8K-1
 *   real prefix .. prefix+8K-1 -> absolute 0 .. 8K-1
 *   anything else             -> unchanged
 *
 * The fast path (cpu_ptr) takes operands that stay inside one 8 KiB real
 * block; everything else comes here and is split at 8 KiB boundaries,
 * wrapping at the top of the addressing mode.
 */
#include <string.h>

#include "cpu/cpu_internal.h"
#include "sie/sie_internal.h"

/* Walk logical [ea, ea + len) in chunks that stay in one 8 KiB real block
 * (so prefixing maps each chunk as a whole): the loop body sees the chunk's
 * offset `off` into the operand, its absolute address `abs` and length `n`. */
#define FOR_CHUNKS(c, ea, len, off, abs, n)                                                     \
	for (uint64_t off = 0, abs, n, end_ = (len);                                            \
	     off < end_ &&                                                                      \
	     (abs = chunk_abs((c), (ea) + off), n = chunk_len((c), (ea) + off, end_ - off), 1); \
	     off += n)

static uint64_t chunk_abs(const struct s390ap_cpu *c, uint64_t a)
{
	return cpu_prefixed(c, a & c->amask);
}

static uint64_t chunk_len(const struct s390ap_cpu *c, uint64_t a, uint64_t rest)
{
	uint64_t room = CPU_LOWCORE - ((a & c->amask) & (CPU_LOWCORE - 1));

	return rest < room ? rest : room;
}

bool cpu_check_range(const struct s390ap_cpu *c, uint64_t ea, uint64_t len)
{
	FOR_CHUNKS(c, ea, len, off, abs, n) {
		if (abs >= c->mem_size || n > c->mem_size - abs)
			return false;
	}
	return true;
}

uint8_t *cpu_byte_ptr(const struct s390ap_cpu *c, uint64_t ea)
{
	return c->mem + cpu_prefixed(c, ea & c->amask);
}

bool cpu_read_slow(struct s390ap_cpu *c, uint64_t ea, void *dst, uint64_t len)
{
	uint8_t *d = dst;

	if (!cpu_check_range(c, ea, len))
		return false;
	FOR_CHUNKS(c, ea, len, off, abs, n)
		memcpy(d + off, c->mem + abs, (size_t)n);
	return true;
}

bool cpu_write_slow(struct s390ap_cpu *c, uint64_t ea, const void *src, uint64_t len)
{
	const uint8_t *s = src;

	if (!cpu_check_range(c, ea, len))
		return false;
	FOR_CHUNKS(c, ea, len, off, abs, n) {
		memcpy(c->mem + abs, s + off, (size_t)n);
		cpu_code_written(c->sys, c->mem_base + abs, n);
	}
	return true;
}

bool cpu_read_op(struct s390ap_cpu *c, const struct cpu_op *op, uint64_t ea, void *dst,
		 uint64_t len)
{
	const uint8_t *p = cpu_ptr(c, ea, len);

	if (CPU_LIKELY(p)) {
		memcpy(dst, p, (size_t)len);
		return true;
	}
	if (cpu_read_slow(c, ea, dst, len))
		return true;
	cpu_program(c, S390AP_PGM_ADDRESSING, op->ilen);
	return false;
}

bool cpu_write_op(struct s390ap_cpu *c, const struct cpu_op *op, uint64_t ea, const void *src,
		  uint64_t len)
{
	if (cpu_write_slow(c, ea, src, len))
		return true;
	cpu_program(c, S390AP_PGM_ADDRESSING, op->ilen);
	return false;
}

/* Any non-zero byte in code_map[first .. last]?  A large store (a 4 KiB
 * DQAP reply spans 16 granules) mostly finds none, so look a word at a
 * time before the granule loop below. */
static bool code_map_any(const uint8_t *map, uint64_t first, uint64_t last)
{
	uint64_t g = first, w;

	for (; g + sizeof(w) <= last + 1; g += sizeof(w)) {
		memcpy(&w, map + g, sizeof(w));
		if (w)
			return true;
	}
	for (; g <= last; g++) {
		if (map[g])
			return true;
	}
	return false;
}

/* Invalidate one code granule at host absolute abs in c's cache(s): the
 * one in use through c's current window and prefix, and under SIE the
 * other one through its own. */
static void cpu_icache_invalidate_abs(struct s390ap_cpu *c, uint64_t abs)
{
	if (abs - c->mem_base < c->mem_size)
		cpu_icache_invalidate(c->icache, cpu_prefixed(c, abs - c->mem_base),
				      1ull << CPU_CODE_SHIFT);
	if (CPU_UNLIKELY(c->sie != NULL))
		sie_icache_invalidate_other(c, abs, 1ull << CPU_CODE_SHIFT);
}

/* A store reached absolute [abs, abs + len): drop cached instructions with
 * bytes in any 256-byte granule of it that holds cached code, on every
 * vCPU (each maps the absolute granule back through its own prefix). */
void cpu_code_written(struct s390ap_sys *sys, uint64_t abs, uint64_t len)
{
	uint64_t first, last;

	if (len == 0 || abs >= sys->mem_size)
		return;
	first = abs >> CPU_CODE_SHIFT;
	last = (abs + len - 1) >> CPU_CODE_SHIFT;
	if (last >= sys->code_map_len)
		last = sys->code_map_len - 1;
	if (!code_map_any(sys->code_map, first, last))
		return;
	for (uint64_t g = first; g <= last; g++) {
		if (!sys->code_map[g])
			continue;
		sys->code_map[g] = 0;
		for (unsigned i = 0; i < sys->ncpus; i++)
			cpu_icache_invalidate_abs(sys->cpus[i], g << CPU_CODE_SHIFT);
	}
}

void cpu_lowcore_write(struct s390ap_cpu *c, uint64_t off, const void *src, size_t len)
{
	uint64_t abs = c->prefix + off;

	memcpy(c->mem + abs, src, len);
	cpu_code_written(c->sys, c->mem_base + abs, len);
}

void cpu_lowcore_read(const struct s390ap_cpu *c, uint64_t off, void *dst, size_t len)
{
	memcpy(dst, c->mem + c->prefix + off, len);
}

/* ---- storage interfaces ---- */

/* Logical [ea, ea + len) in one piece that prefixing leaves where it is:
 * inside storage, no wrap in the addressing mode, clear of real 0-8K and of
 * the prefix area.  Then it is absolute [*abs, *abs + len) and needs no
 * chunking; anything else takes the slow path. */
static bool real_flat(const struct s390ap_cpu *c, uint64_t ea, uint64_t len, uint64_t *abs)
{
	uint64_t a = ea & c->amask;

	/* storage is at least 8 KiB: one compare for 8K <= a < mem_size, one
	 * for 1 <= len <= mem_size - a */
	if (a - CPU_LOWCORE >= c->mem_size - CPU_LOWCORE || len - 1 >= c->mem_size - a)
		return false;
	if (a + len - 1 > c->amask || (a + len > c->prefix && a < c->prefix + CPU_LOWCORE))
		return false;
	*abs = a;
	return true;
}

static int real_read(void *ctx, uint64_t addr, void *dst, size_t len)
{
	struct s390ap_cpu *c = ctx;
	uint64_t abs;

	/* one library memcpy for the usual AP operand (an NQAP message) */
	if (CPU_LIKELY(real_flat(c, addr, len, &abs))) {
		memcpy(dst, c->mem + abs, len);
		return 0;
	}
	return cpu_read_slow(ctx, addr, dst, len) ? 0 : -1;
}

/* Out of line, so the fast path below keeps a small frame. */
static CPU_NOINLINE int real_write_slow(struct s390ap_cpu *c, uint64_t addr, const void *src,
					size_t len)
{
	return cpu_write_slow(c, addr, src, len) ? 0 : -1;
}

/* A store over cached code: the copy, then the invalidation. */
static CPU_NOINLINE int real_write_code(struct s390ap_cpu *c, uint64_t abs, const void *src,
					size_t len)
{
	memcpy(c->mem + abs, src, len);
	cpu_code_written(c->sys, c->mem_base + abs, len);
	return 0;
}

static int real_write(void *ctx, uint64_t addr, const void *src, size_t len)
{
	struct s390ap_cpu *c = ctx;
	uint64_t abs;

	/* one library memcpy for the usual AP operand (a DQAP reply) */
	if (CPU_LIKELY(real_flat(c, addr, len, &abs))) {
		/* asked before the copy, so nothing stays live across memcpy */
		if (CPU_UNLIKELY(code_map_any(c->code_map, abs >> CPU_CODE_SHIFT,
					      (abs + len - 1) >> CPU_CODE_SHIFT)))
			return real_write_code(c, abs, src, len);
		memcpy(c->mem + abs, src, len);
		return 0;
	}
	return real_write_slow(c, addr, src, len);
}

void cpu_ap_storage_init(struct s390ap_cpu *c)
{
	c->ap_storage.ctx = c;
	c->ap_storage.read = real_read;
	c->ap_storage.write = real_write;
}
