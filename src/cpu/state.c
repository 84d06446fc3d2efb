/* SPDX-License-Identifier: MIT */
/* Save and restore of a dispatcher system: the vCPUs, the scheduler's turn,
 * the counters, main storage and, nested whole, the machine's own image
 * (s390ap_machine_save) in the saved-state container (util/ser.h).  The
 * layout is in docs/state-format.md, "Dispatcher systems".
 *
 * The decoded-instruction caches and the code map are not saved: a restore
 * empties them, and they fill again as the code runs.  The scheduler's
 * masks are not saved either: they follow from the vCPU states and are
 * filed again.  Nothing of a run in progress is state, so both functions
 * are for between two s390ap_sys_run calls, not for hooks. */
#include <stdlib.h>
#include <string.h>

#include "cpu/cpu_internal.h"
#include "sie/sie_internal.h"
#include "s390ap/state.h"
#include "util/ser.h"
#include "util/zero.h"

#define STATE_VERSION 1u
#define STATE_PAGE 4096u

#define TAG_SYS SER_TAG('S', 'Y', 'S', ' ')
#define TAG_SCHED SER_TAG('S', 'C', 'H', 'D')
#define TAG_CPU SER_TAG('C', 'P', 'U', ' ')
#define TAG_MEM SER_TAG('M', 'E', 'M', ' ')
#define TAG_MACH SER_TAG('M', 'A', 'C', 'H')

/* The cost model's fields, in the order they are saved. */
/* clang-format off */
#define COST_FIELDS(X)                                                        \
	X(simple) X(branch) X(load_store) X(multiple) X(per_256_bytes)        \
	X(control) X(diag) X(interruption) X(ap_interpreted) X(ap_intercept)  \
	X(sie_entry) X(sie_exit) X(vsie_entry) X(vsie_exit)
/* clang-format on */

/* One vCPU as the image has it, checked, before it is put in place. */
struct cpu_img {
	s390ap_psw psw; /* architected: the cc in the mask */
	uint64_t gr[16];
	uint64_t cr[16];
	uint64_t prefix;
	uint64_t exit_value;
	s390ap_cpu_state state;
	bool psw_dirty;
	unsigned pgm_streak;
	uint64_t pgm_insns;
	uint64_t slice_base, slice_cycles, slice_limit, slice_qend, slice_hard;
	s390ap_cpu_stats stats;
	uint64_t counts[CPU_NINSNS];
};

/* The whole image, checked. */
struct sys_img {
	uint64_t quantum;
	s390ap_cost_model cost;
	unsigned cur;
	uint64_t cur_used;
	uint64_t dirty_mask;
	uint64_t last_pgm_code;
	uint64_t pgm_count[CPU_PGM_CODES];
	struct ser_r mem;  /* the MEM payload */
	struct ser_r mach; /* the MACH payload: a machine image */
	struct cpu_img cpu[];
};

static uint64_t page_count(uint64_t mem_size)
{
	return (mem_size + STATE_PAGE - 1) / STATE_PAGE;
}

/* Bytes of page i: the last one may be short. */
static size_t page_len(uint64_t mem_size, uint64_t i)
{
	uint64_t left = mem_size - i * STATE_PAGE;

	return left < STATE_PAGE ? (size_t)left : STATE_PAGE;
}

/* ------------------------------------------------------------------ */
/* Save                                                                */
/* ------------------------------------------------------------------ */

static void put_sys(struct ser_w *w, const struct s390ap_sys *sys)
{
	size_t mark = ser_sec_begin(w, TAG_SYS);

	ser_put_u64(w, sys->mem_size);
	ser_put_u32(w, sys->ncpus);
	ser_put_u64(w, sys->quantum);
#define PUT_(f) ser_put_u32(w, sys->cost.f);
	COST_FIELDS(PUT_)
#undef PUT_
	ser_sec_end(w, mark);
}

static void put_sched(struct ser_w *w, const struct s390ap_sys *sys)
{
	size_t mark = ser_sec_begin(w, TAG_SCHED);

	ser_put_u32(w, sys->cur);
	ser_put_u64(w, sys->cur_used);
	ser_put_u64(w, sys->dirty_mask);
	ser_put_u64(w, sys->last_pgm_code);
	ser_put_u32(w, CPU_PGM_CODES);
	for (unsigned i = 0; i < CPU_PGM_CODES; i++)
		ser_put_u64(w, sys->pgm_count[i]);
	ser_sec_end(w, mark);
}

static void put_cpu(struct ser_w *w, const struct s390ap_cpu *c)
{
	size_t mark = ser_sec_begin(w, TAG_CPU);

	ser_put_u32(w, c->index);
	ser_put_u8(w, (uint8_t)c->state);
	ser_put_bool(w, c->psw_dirty);
	ser_put_u64(w, cpu_psw_mask(c));
	ser_put_u64(w, c->psw.addr);
	for (unsigned i = 0; i < 16; i++)
		ser_put_u64(w, c->gr[i]);
	for (unsigned i = 0; i < 16; i++)
		ser_put_u64(w, c->cr[i]);
	ser_put_u64(w, c->prefix);
	ser_put_u64(w, c->exit_value);
	ser_put_u32(w, c->pgm_streak);
	ser_put_u64(w, c->pgm_insns);
	ser_put_u64(w, c->slice_base);
	ser_put_u64(w, c->slice_cycles);
	ser_put_u64(w, c->slice_limit);
	ser_put_u64(w, c->slice_qend);
	ser_put_u64(w, c->slice_hard);
	ser_put_u64(w, c->stats.cycles);
	ser_put_u64(w, c->stats.pgm_interruptions);
	ser_put_u64(w, c->stats.io_interruptions);
	ser_put_u64(w, c->stats.last_pgm_code);
	ser_put_u32(w, S390AP_PATH_COUNT);
	for (unsigned i = 0; i < S390AP_PATH_COUNT; i++)
		ser_put_u64(w, c->stats.ap_path[i]);
	ser_put_u32(w, CPU_NINSNS);
	for (unsigned i = 0; i < CPU_NINSNS; i++)
		ser_put_u64(w, c->counts[i]);
	ser_sec_end(w, mark);
}

/* Only the pages with a non-zero byte: index, then the bytes. */
static void put_mem(struct ser_w *w, const struct s390ap_sys *sys)
{
	size_t mark = ser_sec_begin(w, TAG_MEM);
	uint64_t n = page_count(sys->mem_size);

	for (uint64_t i = 0; i < n; i++) {
		const uint8_t *p = sys->mem_data + i * STATE_PAGE;
		size_t len = page_len(sys->mem_size, i);

		if (mem_all_zero(p, len))
			continue;
		ser_put_u32(w, (uint32_t)i);
		ser_put_bytes(w, p, len);
	}
	ser_sec_end(w, mark);
}

/* The machine's own image, whole, as the payload. */
static void put_mach(struct ser_w *w, const void *mimg, size_t mlen)
{
	size_t mark = ser_sec_begin(w, TAG_MACH);

	ser_put_bytes(w, mimg, mlen);
	ser_sec_end(w, mark);
}

int s390ap_sys_save(const s390ap_sys *sys, void **image, size_t *len)
{
	/* messages are diagnostics, not the system's state */
	struct s390ap_sys *msys = (struct s390ap_sys *)sys;
	struct ser_w w;
	void *mimg = NULL;
	size_t mlen = 0;
	int rc;

	if (!sys)
		return S390AP_EINVAL;
	if (!image || !len)
		return cpu_sys_error(msys, S390AP_EINVAL, "save: no image output (NULL)");
	*image = NULL;
	*len = 0;
	for (unsigned i = 0; i < sys->ncpus; i++)
		if (sys->cpus[i]->in_sie)
			return cpu_sys_error(
				msys, S390AP_EBUSY,
				"save: vCPU %u runs a guest (SIE): not in the image format", i);
	rc = s390ap_machine_save(sys->machine, &mimg, &mlen);
	if (rc < 0)
		return cpu_sys_error(msys, rc, "save: machine: %s",
				     s390ap_machine_errmsg(sys->machine));
	ser_w_init(&w, STATE_VERSION, SER_KIND_SYS);
	put_sys(&w, sys);
	put_sched(&w, sys);
	for (unsigned i = 0; i < sys->ncpus; i++)
		put_cpu(&w, sys->cpus[i]);
	put_mem(&w, sys);
	put_mach(&w, mimg, mlen);
	s390ap_state_free(mimg);
	rc = ser_w_finish(&w, image, len);
	if (rc < 0)
		return cpu_sys_error(msys, rc, "save: out of memory for the image");
	return 0;
}

/* ------------------------------------------------------------------ */
/* Restore: read and check everything, then put it in place            */
/* ------------------------------------------------------------------ */

static int bad(struct s390ap_sys *sys, const char *what)
{
	return cpu_sys_error(sys, S390AP_EINVAL, "restore: %s", what);
}

/* The next section, which must be tag. */
static bool next_sec(struct ser_r *body, uint32_t tag, struct ser_r *pl)
{
	uint32_t t;

	return ser_sec_next(body, &t, pl) && t == tag;
}

static int get_sys(struct s390ap_sys *sys, struct ser_r *r, struct sys_img *img)
{
	uint64_t mem_size = ser_get_u64(r);
	uint32_t ncpus = ser_get_u32(r);

	img->quantum = ser_get_u64(r);
	img->cost.size = sizeof(img->cost); /* the library's own layout */
#define GET_(f) img->cost.f = ser_get_u32(r);
	COST_FIELDS(GET_)
#undef GET_
	if (!ser_done(r))
		return bad(sys, "the SYS section has the wrong length");
	if (mem_size != sys->mem_size || ncpus != sys->ncpus)
		return cpu_sys_error(sys, S390AP_EINVAL,
				     "restore: the image is of a system with %llu bytes of storage "
				     "and %lu vCPUs, this one has %llu bytes and %u vCPUs (create "
				     "the target with the same mem_size and ncpus)",
				     (unsigned long long)mem_size, (unsigned long)ncpus,
				     (unsigned long long)sys->mem_size, sys->ncpus);
	if (img->quantum == 0)
		return bad(sys, "quantum 0");
	if (!cpu_cost_ok(&img->cost))
		return bad(sys, "a cost model s390ap_sys_new would refuse");
	return 0;
}

static int get_sched(struct s390ap_sys *sys, struct ser_r *r, struct sys_img *img)
{
	uint64_t all = sys->ncpus == 64 ? ~0ull : (1ull << sys->ncpus) - 1;
	uint32_t npgm;

	img->cur = ser_get_u32(r);
	img->cur_used = ser_get_u64(r);
	img->dirty_mask = ser_get_u64(r);
	img->last_pgm_code = ser_get_u64(r);
	npgm = ser_get_u32(r);
	if (r->bad)
		return bad(sys, "the SCHD section has the wrong length");
	if (npgm != CPU_PGM_CODES)
		return bad(sys, "the SCHD section counts another number of program codes");
	for (unsigned i = 0; i < CPU_PGM_CODES; i++)
		img->pgm_count[i] = ser_get_u64(r);
	if (!ser_done(r))
		return bad(sys, "the SCHD section has the wrong length");
	if (img->cur >= sys->ncpus)
		return bad(sys, "the current vCPU is not one of the system's");
	if (img->cur_used >= img->quantum)
		return bad(sys, "the turn in progress has used its whole quantum");
	if (img->dirty_mask & ~all)
		return bad(sys, "a vCPU marked dirty that the system does not have");
	return 0;
}

/* The PSW of a vCPU that runs or waits and that nothing will settle
 * before it runs again must be one the CPU can have made: valid, and
 * with the wait bit its state says. */
static bool cpu_psw_fits(const struct cpu_img *ci)
{
	uint64_t m = ci->psw.mask;
	bool wait = (m & S390AP_PSW_WAIT) != 0;
	bool enabled = (m & (S390AP_PSW_IO | S390AP_PSW_EXT | S390AP_PSW_MCHK)) != 0;

	if (!cpu_psw_valid(&ci->psw))
		return false;
	if (ci->state == S390AP_CPU_RUNNING)
		return !wait;
	return wait && enabled;
}

static int get_cpu(struct s390ap_sys *sys, struct ser_r *r, unsigned index, struct sys_img *img)
{
	struct cpu_img *ci = &img->cpu[index];
	uint32_t idx, npath, ninsns;
	uint8_t state, dirty;
	uint64_t insns = 0;

	idx = ser_get_u32(r);
	state = ser_get_u8(r);
	dirty = ser_get_u8(r);
	ci->psw.mask = ser_get_u64(r);
	ci->psw.addr = ser_get_u64(r);
	for (unsigned i = 0; i < 16; i++)
		ci->gr[i] = ser_get_u64(r);
	for (unsigned i = 0; i < 16; i++)
		ci->cr[i] = ser_get_u64(r);
	ci->prefix = ser_get_u64(r);
	ci->exit_value = ser_get_u64(r);
	ci->pgm_streak = ser_get_u32(r);
	ci->pgm_insns = ser_get_u64(r);
	ci->slice_base = ser_get_u64(r);
	ci->slice_cycles = ser_get_u64(r);
	ci->slice_limit = ser_get_u64(r);
	ci->slice_qend = ser_get_u64(r);
	ci->slice_hard = ser_get_u64(r);
	ci->stats.cycles = ser_get_u64(r);
	ci->stats.pgm_interruptions = ser_get_u64(r);
	ci->stats.io_interruptions = ser_get_u64(r);
	ci->stats.last_pgm_code = ser_get_u64(r);
	npath = ser_get_u32(r);
	if (r->bad)
		return bad(sys, "a CPU section is cut short");
	if (npath != S390AP_PATH_COUNT)
		return bad(sys, "a CPU section counts another number of AP paths");
	for (unsigned i = 0; i < S390AP_PATH_COUNT; i++)
		ci->stats.ap_path[i] = ser_get_u64(r);
	/* Instruction ids are only ever appended: an image from a library
	 * with fewer has zero for the newer ones. */
	ninsns = ser_get_u32(r);
	if (r->bad)
		return bad(sys, "a CPU section is cut short");
	if (ninsns > CPU_NINSNS)
		return bad(sys, "a CPU section counts instructions this library does not know");
	for (unsigned i = 0; i < ninsns; i++) {
		ci->counts[i] = ser_get_u64(r);
		if (ci->counts[i] > UINT64_MAX - insns)
			return bad(sys, "a vCPU's instruction counts overflow");
		insns += ci->counts[i];
	}
	if (!ser_done(r))
		return bad(sys, "a CPU section has the wrong length");

	if (idx != index)
		return bad(sys, "the CPU sections are not in vCPU index order");
	if (state > S390AP_CPU_CHECKSTOP)
		return bad(sys, "a vCPU state that does not exist");
	ci->state = (s390ap_cpu_state)state;
	if (dirty > 1)
		return bad(sys, "a PSW-dirty flag that is neither 0 nor 1");
	ci->psw_dirty = dirty != 0;
	if ((ci->prefix & ~(uint64_t)CPU_PREFIX_MASK) || ci->prefix + CPU_LOWCORE > sys->mem_size)
		return bad(sys, "a prefix that is not an 8 KiB block inside storage");
	if (ci->pgm_streak > CPU_PGM_LOOP_LIMIT + 1)
		return bad(sys, "a program-interruption streak past the checkstop");
	if (ci->pgm_insns > insns)
		return bad(sys, "a program interruption after the vCPU's last instruction");
	/* A PSW set through the API is checked when the scheduler settles
	 * it, which it does only for a vCPU marked dirty. */
	if (ci->psw_dirty && !(img->dirty_mask & 1ull << index))
		return bad(sys, "a PSW to settle on a vCPU not marked dirty");
	if (!ci->psw_dirty && (ci->state == S390AP_CPU_RUNNING || ci->state == S390AP_CPU_WAIT) &&
	    !cpu_psw_fits(ci))
		return bad(sys, "a running or waiting vCPU with a PSW it cannot have");
	return 0;
}

/* Pages in increasing index order (so none twice), each inside storage. */
static int get_mem(struct s390ap_sys *sys, struct ser_r *r)
{
	uint64_t n = page_count(sys->mem_size), next = 0;
	struct ser_r m = *r;

	while (ser_left(&m)) {
		uint32_t i = ser_get_u32(&m);

		if (m.bad)
			break;
		if (i < next || i >= n)
			return bad(sys, i >= n ? "a storage page outside storage"
					       : "storage pages out of order or twice");
		if (!ser_get_bytes(&m, page_len(sys->mem_size, i)))
			break;
		next = (uint64_t)i + 1;
	}
	if (m.bad)
		return bad(sys, "a storage page is cut short");
	return 0;
}

static int parse(struct s390ap_sys *sys, struct ser_r *body, struct sys_img *img)
{
	struct ser_r pl;
	int rc;

	if (!next_sec(body, TAG_SYS, &pl))
		return bad(sys, "no SYS section first");
	if ((rc = get_sys(sys, &pl, img)) < 0)
		return rc;
	if (!next_sec(body, TAG_SCHED, &pl))
		return bad(sys, "no SCHD section after SYS");
	if ((rc = get_sched(sys, &pl, img)) < 0)
		return rc;
	for (unsigned i = 0; i < sys->ncpus; i++) {
		if (!next_sec(body, TAG_CPU, &pl))
			return bad(sys, "fewer CPU sections than vCPUs");
		if ((rc = get_cpu(sys, &pl, i, img)) < 0)
			return rc;
	}
	if (!next_sec(body, TAG_MEM, &img->mem))
		return bad(sys, "no MEM section after the CPU sections");
	if ((rc = get_mem(sys, &img->mem)) < 0)
		return rc;
	/* checked by s390ap_machine_restore */
	if (!next_sec(body, TAG_MACH, &img->mach))
		return bad(sys, "no MACH section after the MEM section");
	if (ser_left(body))
		return bad(sys, "sections after the MACH section");
	return 0;
}

static void commit_cpu(struct s390ap_cpu *c, const struct cpu_img *ci)
{
	sie_abandon(c); /* the image holds level-1 state only */
	sie_cache_forget(c);
	memcpy(c->gr, ci->gr, sizeof(ci->gr));
	c->gr[16] = 0;
	c->psw = ci->psw;
	cpu_cc_from_mask(c);
	c->amask = cpu_amask_of(c->psw.mask);
	memcpy(c->cr, ci->cr, sizeof(ci->cr));
	c->prefix = ci->prefix;
	c->exit_value = ci->exit_value;
	c->state = ci->state;
	c->psw_dirty = ci->psw_dirty;
	c->pgm_streak = ci->pgm_streak;
	c->pgm_insns = ci->pgm_insns;
	c->slice_base = ci->slice_base;
	c->slice_cycles = ci->slice_cycles;
	c->slice_limit = ci->slice_limit;
	c->slice_qend = ci->slice_qend;
	c->slice_hard = ci->slice_hard;
	c->stats.cycles = ci->stats.cycles;
	c->stats.pgm_interruptions = ci->stats.pgm_interruptions;
	c->stats.io_interruptions = ci->stats.io_interruptions;
	c->stats.last_pgm_code = ci->stats.last_pgm_code;
	memcpy(c->stats.ap_path, ci->stats.ap_path, sizeof(ci->stats.ap_path));
	memcpy(c->counts, ci->counts, sizeof(ci->counts));
	/* caches: emptied, and rebuilt as the code runs */
	c->icache_clean = false;
	cpu_icache_flush(c);
	cpu_ap_invalidate(c);
	c->ap_epoch = CPU_AP_EPOCH_STALE; /* bound the slice at the next AP instruction */
}

/* Nothing here can fail: everything was checked. */
static void commit(struct s390ap_sys *sys, const struct sys_img *img)
{
	struct ser_r m = img->mem;

	cpu_cost_set(sys, &img->cost);
	sys->quantum = img->quantum;
	sys->cur = img->cur;
	sys->cur_used = img->cur_used;
	sys->dirty_mask = img->dirty_mask;
	sys->last_pgm_code = img->last_pgm_code;
	memcpy(sys->pgm_count, img->pgm_count, sizeof(img->pgm_count));
	sys->error = 0;

	memset(sys->mem_data, 0, (size_t)sys->mem_size);
	while (ser_left(&m)) {
		uint32_t i = ser_get_u32(&m);
		size_t len = page_len(sys->mem_size, i);

		memcpy(sys->mem_data + (uint64_t)i * STATE_PAGE, ser_get_bytes(&m, len), len);
	}
	memset(sys->code_map, 0, sys->code_map_len);

	sys->run_mask = sys->wait_mask = sys->gwait_mask = 0;
	sys->solo_stop = sys->dirty_mask;
	memset(sys->isc_wait, 0, sizeof(sys->isc_wait));
	for (unsigned i = 0; i < sys->ncpus; i++) {
		commit_cpu(sys->cpus[i], &img->cpu[i]);
		cpu_sched_file(sys, sys->cpus[i]);
	}
}

int s390ap_sys_restore(s390ap_sys *sys, const void *image, size_t len)
{
	struct sys_img *img;
	struct ser_r body;
	enum ser_open_err oe;
	uint16_t version;
	int rc;

	if (!sys)
		return S390AP_EINVAL;
	if (!image)
		return bad(sys, "no image (NULL)");
	oe = ser_open(image, len, SER_KIND_SYS, STATE_VERSION, &body, &version);
	if (oe != SER_OK)
		return cpu_sys_error(sys, S390AP_EINVAL, "restore: %s", ser_open_errstr(oe));
	img = calloc(1, sizeof(*img) + sys->ncpus * sizeof(img->cpu[0]));
	if (!img)
		return cpu_sys_error(sys, S390AP_ENOMEM, "restore: out of memory");
	/* The system's part is checked first and put in place last, after the
	 * machine took its image: a refusal of either leaves everything as
	 * it was, and the commit cannot fail. */
	rc = parse(sys, &body, img);
	if (rc == 0) {
		rc = s390ap_machine_restore(sys->machine, img->mach.p, img->mach.len);
		if (rc < 0)
			rc = cpu_sys_error(sys, rc, "restore: machine: %s",
					   s390ap_machine_errmsg(sys->machine));
	}
	if (rc == 0)
		commit(sys, img);
	free(img);
	return rc;
}
