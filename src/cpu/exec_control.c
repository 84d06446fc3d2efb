/* SPDX-License-Identifier: MIT */
/* Control instructions: IPM, SPM, STFLE, STFL, LPSWE, LCTLG, STCTG, SSM,
 * STOSM, STNSM, SPX, STPX, STAP, DIAG; the AP instructions (through the
 * instruction layer's internal entry, insn_exec) and SIE (through the
 * host-model hook).
 *
 * Exception priority inside one instruction: privileged operation, then
 * specification (operand alignment, reserved bits), then addressing.
 */
#include "cpu/cpu_internal.h"
#include "sie/sie_internal.h"

/* ---- program mask and condition code ---- */

void cpu_op_IPM(struct s390ap_cpu *c, const struct cpu_op *op)
{
	/* R1 bits 32-39 = 00 cc pm; the rest of R1 unchanged. */
	uint64_t byte = (uint64_t)(cpu_cc(c) << 4) | ((c->psw.mask >> 40) & 0xF);

	c->gr[op->r1] = (c->gr[op->r1] & ~0xFF000000ull) | byte << 24;
}

void cpu_op_SPM(struct s390ap_cpu *c, const struct cpu_op *op)
{
	/* R1 bits 34-35 -> cc, bits 36-39 -> program mask. */
	uint64_t v = c->gr[op->r1];
	uint64_t cc = (v >> 28) & 3, pm = (v >> 24) & 0xF;

	c->psw.mask = (c->psw.mask & ~S390AP_PSW_PM) | pm << 40;
	cpu_set_cc(c, (unsigned)cc);
}

/* ---- facility list ---- */

#define FAC_LIST_DWORDS 2u

/* Bits stored: 2 (z/Architecture active) always; 12 (QCI), 15 (APFT),
 * 65 (AQIC) and 76 (MSAX3) when the machine has the facility. */
static void facility_list(const struct s390ap_cpu *c, uint64_t fl[FAC_LIST_DWORDS])
{
	uint32_t fac = s390ap_machine_facilities(c->sys->machine);

	if (c->in_sie) { /* only with a list: STFLE intercepts without one */
		fl[0] = c->sie->fac_list[0];
		fl[1] = c->sie->fac_list[1];
		return;
	}

	cpu_fac_list(fac, fl);
}

/* The AP facilities as STFLE bits: one table both ways. */
static const struct {
	unsigned bit;
	uint32_t fac;
} fac_bits[] = { { 12, S390AP_FAC_QCI },
		 { 15, S390AP_FAC_APFT },
		 { 65, S390AP_FAC_AQIC },
		 { 76, S390AP_FAC_MSAX3 } };

void cpu_fac_list(uint32_t fac, uint64_t fl[2])
{
	fl[0] = 1ull << (63 - 2);
	fl[1] = 0;
	for (unsigned i = 0; i < sizeof(fac_bits) / sizeof(fac_bits[0]); i++)
		if (fac & fac_bits[i].fac)
			fl[fac_bits[i].bit / 64] |= 1ull << (63 - fac_bits[i].bit % 64);
}

uint32_t cpu_fac_from_list(const uint64_t fl[2])
{
	uint32_t f = 0;

	for (unsigned i = 0; i < sizeof(fac_bits) / sizeof(fac_bits[0]); i++)
		if (fl[fac_bits[i].bit / 64] & 1ull << (63 - fac_bits[i].bit % 64))
			f |= fac_bits[i].fac;
	return f;
}

void cpu_op_STFLE(struct s390ap_cpu *c, const struct cpu_op *op)
{
	uint64_t ea = cpu_ea2(c, op), fl[FAC_LIST_DWORDS];
	unsigned n = (unsigned)(c->gr[0] & 0xFF) + 1, store;
	uint8_t buf[8 * FAC_LIST_DWORDS];

	if (cpu_align_fail(c, op, ea, 7))
		return;
	facility_list(c, fl);
	store = n < FAC_LIST_DWORDS ? n : FAC_LIST_DWORDS;
	for (unsigned i = 0; i < store; i++)
		be_put64(buf + 8 * i, fl[i]);
	if (!cpu_write_op(c, op, ea, buf, 8ull * store))
		return;
	c->gr[0] = (c->gr[0] & ~0xFFull) | (FAC_LIST_DWORDS - 1);
	cpu_set_cc(c, n >= FAC_LIST_DWORDS ? 0u : 3u);
}

void cpu_op_STFL(struct s390ap_cpu *c, const struct cpu_op *op)
{
	uint64_t fl[FAC_LIST_DWORDS];
	uint8_t w[4];

	if (cpu_priv_fail(c, op))
		return;
	facility_list(c, fl);
	be_put32(w, (uint32_t)(fl[0] >> 32));
	cpu_lowcore_write(c, S390AP_LC_STFLE, w, sizeof(w));
}

/* ---- PSW ---- */

void cpu_op_LPSWE(struct s390ap_cpu *c, const struct cpu_op *op)
{
	uint64_t ea = cpu_ea2(c, op);
	uint8_t b[16];

	if (cpu_priv_fail(c, op) || cpu_align_fail(c, op, ea, 7))
		return;
	if (!cpu_read_op(c, op, ea, b, sizeof(b)))
		return;
	cpu_psw_from_bytes(&c->psw, b);
	cpu_cc_from_mask(c);
	cpu_psw_settle(c);
}

/* SSM: bits 0 and 2-4 of the operand byte must be zero. */
void cpu_op_SSM(struct s390ap_cpu *c, const struct cpu_op *op)
{
	uint64_t ea = cpu_ea2(c, op), v;

	if (cpu_priv_fail(c, op))
		return;
	if (!cpu_load(c, op, ea, 1, &v))
		return;
	if (v & 0xB8) {
		cpu_program(c, S390AP_PGM_SPECIFICATION, op->ilen);
		return;
	}
	c->psw.mask = (c->psw.mask & ~CPU_PSW_SYSMASK) | v << 56;
	cpu_psw_settle(c);
}

/* STOSM/STNSM: store the system mask, then OR/AND I2 into it.  A result
 * with a reserved bit on is an early specification exception (ILC 0). */
static void store_then_mask(struct s390ap_cpu *c, const struct cpu_op *op, bool is_or)
{
	uint64_t i2 = (uint64_t)(uint8_t)op->imm << 56;

	if (cpu_priv_fail(c, op))
		return;
	if (!cpu_store(c, op, cpu_ea1(c, op), 1, c->psw.mask >> 56))
		return;
	if (is_or)
		c->psw.mask |= i2;
	else
		c->psw.mask &= i2 | ~CPU_PSW_SYSMASK;
	cpu_psw_settle(c);
}

void cpu_op_STOSM(struct s390ap_cpu *c, const struct cpu_op *op)
{
	store_then_mask(c, op, true);
}

void cpu_op_STNSM(struct s390ap_cpu *c, const struct cpu_op *op)
{
	store_then_mask(c, op, false);
}

/* ---- control registers: R1 through R3, wrapping ---- */

static unsigned cr_count(const struct cpu_op *op)
{
	return ((op->r2 - op->r1) & 15u) + 1u;
}

void cpu_op_LCTLG(struct s390ap_cpu *c, const struct cpu_op *op)
{
	uint64_t ea = cpu_ea2(c, op);
	unsigned n = cr_count(op);
	uint8_t buf[128];

	if (cpu_priv_fail(c, op) || cpu_align_fail(c, op, ea, 7))
		return;
	if (!cpu_read_op(c, op, ea, buf, 8ull * n))
		return;
	for (unsigned i = 0; i < n; i++)
		c->cr[(op->r1 + i) & 15u] = be_get64(buf + 8 * i);
	cpu_psw_settle(c); /* CR6 may have enabled a pending ISC */
}

void cpu_op_STCTG(struct s390ap_cpu *c, const struct cpu_op *op)
{
	uint64_t ea = cpu_ea2(c, op);
	unsigned n = cr_count(op);
	uint8_t buf[128];

	if (cpu_priv_fail(c, op) || cpu_align_fail(c, op, ea, 7))
		return;
	for (unsigned i = 0; i < n; i++)
		be_put64(buf + 8 * i, c->cr[(op->r1 + i) & 15u]);
	cpu_write_op(c, op, ea, buf, 8ull * n);
}

/* ---- prefix and CPU address ---- */

void cpu_op_SPX(struct s390ap_cpu *c, const struct cpu_op *op)
{
	uint64_t ea = cpu_ea2(c, op), v;
	uint64_t p;

	if (cpu_priv_fail(c, op) || cpu_align_fail(c, op, ea, 3))
		return;
	if (!cpu_load(c, op, ea, 4, &v))
		return;
	p = v & CPU_PREFIX_MASK;
	if (p + CPU_LOWCORE > c->mem_size) {
		cpu_program(c, S390AP_PGM_ADDRESSING, op->ilen);
		return;
	}
	if (p != c->prefix) {
		c->prefix = p;
		cpu_icache_flush(c);
	}
}

void cpu_op_STPX(struct s390ap_cpu *c, const struct cpu_op *op)
{
	uint64_t ea = cpu_ea2(c, op);

	if (cpu_priv_fail(c, op) || cpu_align_fail(c, op, ea, 3))
		return;
	cpu_store(c, op, ea, 4, c->prefix);
}

void cpu_op_STAP(struct s390ap_cpu *c, const struct cpu_op *op)
{
	uint64_t ea = cpu_ea2(c, op);

	if (cpu_priv_fail(c, op) || cpu_align_fail(c, op, ea, 1))
		return;
	cpu_store(c, op, ea, 2, c->index);
}

/* ---- DIAGNOSE: the program's way out ---- */

#define DIAG_HALT 0x0044u
#define DIAG_EXIT 0x0500u

void cpu_op_DIAG(struct s390ap_cpu *c, const struct cpu_op *op)
{
	/* Code = base register + displacement, not subject to the
	 * addressing mode, low 16 bits. */
	unsigned code = (unsigned)((c->gr[op->b2] + (uint64_t)(int64_t)op->d2) & 0xFFFF);

	if (cpu_priv_fail(c, op))
		return;
	switch (code) {
	case DIAG_HALT:
		c->exit_value = 0;
		break;
	case DIAG_EXIT:
		c->exit_value = c->gr[2];
		break;
	default:
		cpu_program(c, S390AP_PGM_SPECIFICATION, op->ilen);
		return;
	}
	c->state = S390AP_CPU_HALTED;
	cpu_end_slice(c);
}

/* ---- AP instructions ---- */

/* Level 1's AP environment, built again when the problem-state bit, the
 * PSW key, the address-space control, the addressing mode or the machine's
 * facilities differ from what it was built for (the key is amask with those
 * PSW bits folded in: the amasks differ in bits 0-31, the PSW bits lie
 * above, so every combination gives its own key). */
static uint64_t ap_env_key(const struct s390ap_cpu *c)
{
	return c->amask ^ (c->psw.mask & (S390AP_PSW_PROB | S390AP_PSW_KEY | S390AP_PSW_ASC));
}

static CPU_NOINLINE struct insn_env *ap_env_build(struct s390ap_cpu *c, s390ap_machine *m,
						  unsigned level)
{
	struct cpu_ap_level *l = &c->ap_level[level];

	l->ctx = (s390ap_insn_ctx){
		.gr = c->gr,
		.problem_state = (c->psw.mask & S390AP_PSW_PROB) != 0,
		.amode = c->amask == ~0ull           ? 64
			 : c->amask == 0x7FFFFFFFull ? 31
						     : 24,
		.view = level == CPU_AP_GUEST ? &c->sie->view : NULL,
		.storage = &c->ap_storage,
		.key = (uint8_t)((c->psw.mask & S390AP_PSW_KEY) >> 52),
		.asc = (uint8_t)((c->psw.mask & S390AP_PSW_ASC) >> 46),
	};
	insn_prepare(&l->env, m, &l->ctx);
	l->key = ap_env_key(c);
	l->mfac = m->fac;
	return &l->env;
}

static CPU_ALWAYS_INLINE struct insn_env *ap_env(struct s390ap_cpu *c, s390ap_machine *m,
						 unsigned level)
{
	struct cpu_ap_level *l = &c->ap_level[level];

	if (CPU_UNLIKELY(l->key != ap_env_key(c) || l->mfac != m->fac))
		return ap_env_build(c, m, level);
	return &l->env;
}

/* An exception the AP instruction reported: the old PSW by its ending
 * (nullified: at the instruction; suppressed, terminated: past it) and the
 * translation-exception identification and exception access id in the
 * lowcore when the storage gave them. */
static CPU_NOINLINE void ap_program(struct s390ap_cpu *c, const s390ap_insn_result *res,
				    unsigned ilen)
{
	if (res->ending == S390AP_ENDING_NULLIFIED)
		c->psw.addr = (c->psw.addr - ilen) & c->amask;
	if (res->exc_flags & S390AP_EXC_TEID) {
		uint8_t b[8];

		be_put64(b, res->teid);
		cpu_lowcore_write(c, S390AP_LC_TEID, b, sizeof(b));
	}
	if (res->exc_flags & S390AP_EXC_EAI)
		cpu_lowcore_write(c, S390AP_LC_EXC_ACCESS_ID, &res->eai, 1);
	cpu_program(c, res->pgm, ilen);
}

/* Events may be due by now: fire them (as the scheduler would).  A SIE
 * hook may have moved the machine clock past this vCPU's cycle; then there
 * is nothing to do. */
static CPU_NOINLINE void ap_sync(s390ap_machine *m, uint64_t now)
{
	if (now > s390ap_machine_now(m))
		ap_clock_to(m, now);
}

/* After a sync or an added event: an event earlier than the end of this
 * slice cuts it; remember the epoch.  Adding an AQIC change does not move
 * the epoch (the change is quiet); with a SIE or trace hook, whose slices
 * end at every event, the epoch is left stale so that every AP
 * instruction bounds the slice again (cpu_ap_hooked). */
static CPU_NOINLINE void ap_bound(struct s390ap_cpu *c, s390ap_machine *m)
{
	cpu_slice_bound(c); /* loud events cut the slice (run.c) */
	c->ap_epoch = cpu_ap_hooked(c) ? CPU_AP_EPOCH_STALE : ap_clock_epoch(m);
}

/* The clock and interruption sync around an AP instruction.  The machine
 * sees the instruction at the cycle it completes, so events due by then
 * fire first; afterwards a new event earlier than the slice's end cuts the
 * slice, and a pending interruption is taken if enabled.  The work is
 * skipped when it cannot matter: nothing is due before the machine's next
 * event (one compare; when only AQIC changes are due they land without the
 * general sync), and the scheduler starts every slice ending no later than
 * the next loud event, so only an event added since (the epoch moved) can
 * cut it.  Inline in each cpu_op_* so the opcode is a constant. */
static CPU_ALWAYS_INLINE void ap_insn(struct s390ap_cpu *c, const struct cpu_op *op,
				      uint32_t opcode, unsigned level)
{
	s390ap_machine *m = c->sys->machine;
	uint64_t now = c->slice_base + c->slice_cycles;
	struct insn_env *env = ap_env(c, m, level);
	bool synced = false;
	s390ap_insn_result res;
	int rc;

	if (CPU_LIKELY(now < ap_clock_next(m))) {
		ap_clock_move(m, now); /* nothing is due by now */
	} else if (now < ap_clock_next_queued(m)) {
		ap_clock_irq_land(m, now); /* only AQIC changes: they add no events */
	} else {
		ap_sync(m, now);
		synced = true;
	}
	rc = insn_exec(env, opcode << 16 | (uint32_t)op->r1 << 4 | op->r2, &res);
	if (CPU_UNLIKELY(rc < 0)) {
		cpu_fail(c, rc, "AP instruction: %s", s390ap_machine_errmsg(m));
		return;
	}
	/* a guest-3's count as vSIE (the level's constant folds at level 0) */
	c->stats.ap_path[level == CPU_AP_GUEST ? c->sie->ap_path : S390AP_PATH_INTERPRETED]++;
	if (CPU_UNLIKELY(res.pgm))
		ap_program(c, &res, op->ilen);
	else
		cpu_set_cc(c, res.cc);
	if (CPU_UNLIKELY(synced || ap_clock_epoch(m) != c->ap_epoch))
		ap_bound(c, m);
	/* ISCs become pending as events fire (the sync before the instruction,
	 * or one it scheduled); take one only if this vCPU is enabled for it
	 * (a program interruption has already taken any it enabled). */
	if (CPU_UNLIKELY(ap_clock_irq_pending(m) & (uint8_t)(c->cr[6] >> 24)) &&
	    (c->psw.mask & S390AP_PSW_IO) && c->state == S390AP_CPU_RUNNING)
		cpu_io_check(c);
}

void cpu_op_PQAP(struct s390ap_cpu *c, const struct cpu_op *op)
{
	ap_insn(c, op, S390AP_OP_PQAP, 0);
}

void cpu_op_NQAP(struct s390ap_cpu *c, const struct cpu_op *op)
{
	ap_insn(c, op, S390AP_OP_NQAP, 0);
}

void cpu_op_DQAP(struct s390ap_cpu *c, const struct cpu_op *op)
{
	ap_insn(c, op, S390AP_OP_DQAP, 0);
}

/* ---- the AP instructions of a guest (SIE) ----
 * With ECA_APIE they run against the guest's view, except PQAP(AQIC),
 * which the host handles (handle_pqap); without it every one intercepts.
 * A privileged-operation exception comes before the interception. */

static CPU_NOINLINE void ap_intercept(struct s390ap_cpu *c, const struct cpu_op *op)
{
	/* a machine without AP instructions: the guest's operation exception
	 * (before the privileged-operation one), as at level 1 */
	if (!(c->sys->machine->fac & S390AP_FAC_AP)) {
		cpu_program(c, S390AP_PGM_OPERATION, op->ilen);
		return;
	}
	if (cpu_priv_fail(c, op))
		return;
	c->stats.ap_path[S390AP_PATH_INTERCEPTED]++;
	c->slice_cycles += c->sys->cost.ap_intercept;
	sie_icpt_insn(c, op, S390AP_ICPT_INST);
}

void sie_op_PQAP(struct s390ap_cpu *c, const struct cpu_op *op)
{
	if (CPU_UNLIKELY(!(c->sie->eca & S390AP_ECA_APIE) ||
			 ((c->gr[0] >> S390AP_GR0_FC_SHIFT) & 0xFF) == S390AP_FC_AQIC)) {
		ap_intercept(c, op);
		return;
	}
	ap_insn(c, op, S390AP_OP_PQAP, CPU_AP_GUEST);
}

void sie_op_NQAP(struct s390ap_cpu *c, const struct cpu_op *op)
{
	if (CPU_UNLIKELY(!(c->sie->eca & S390AP_ECA_APIE))) {
		ap_intercept(c, op);
		return;
	}
	ap_insn(c, op, S390AP_OP_NQAP, CPU_AP_GUEST);
}

void sie_op_DQAP(struct s390ap_cpu *c, const struct cpu_op *op)
{
	if (CPU_UNLIKELY(!(c->sie->eca & S390AP_ECA_APIE))) {
		ap_intercept(c, op);
		return;
	}
	ap_insn(c, op, S390AP_OP_DQAP, CPU_AP_GUEST);
}

/* ---- SIE: handed to the host model ---- */

/* Without a hook the dispatcher's own SIE runs the guest (src/sie/):
 * the SCB address is absolute. */
static void sie_native(struct s390ap_cpu *c, const struct cpu_op *op, uint64_t ea)
{
	int rc;

	if (ea > c->sys->mem_size - S390AP_SCB_SIZE) {
		cpu_program(c, S390AP_PGM_ADDRESSING, op->ilen);
		return;
	}
	rc = sie_enter(c, ea, NULL, S390AP_PATH_INTERPRETED);
	if (rc < 0)
		cpu_fail(c, rc, "SIE: out of memory");
}

void cpu_op_SIE(struct s390ap_cpu *c, const struct cpu_op *op)
{
	struct s390ap_sys *sys = c->sys;
	uint64_t ea = cpu_ea2(c, op);
	int rc;

	if (cpu_priv_fail(c, op) || cpu_align_fail(c, op, ea, 0x1FF))
		return;
	if (!sys->sie) {
		sie_native(c, op, ea);
		return;
	}
	rc = sys->sie(sys->sie_ctx, c, ea);
	c->slice_cycles += sys->cost.sie_exit;
	if (rc < 0 || rc > 0xFFFF) {
		cpu_fail(c, rc < 0 ? rc : S390AP_ERANGE, "SIE handler returned %d", rc);
		return;
	}
	if (rc > 0) {
		cpu_program(c, (uint16_t)rc, op->ilen);
		return;
	}
	if (c->psw_dirty || c->state != S390AP_CPU_RUNNING)
		cpu_psw_settle(c);
}
