/* SPDX-License-Identifier: MIT */
/* PSW validity, program interruptions, adapter (I/O) interruptions and the
 * wait state.
 *
 * Lowcore fields written on an interruption (real addresses, prefixed):
 *
 *   0x8C  byte      0
 *   0x8D  byte      instruction length in bytes (ILC << 1): 0, 2, 4, 6
 *   0x8E  halfword  program-interruption code
 *   0xB8  word      0 (adapter interruption: no subchannel)
 *   0xBC  word      0
 *   0xC0  word      0x80000000 | ISC << 27
 *   0x150 16 bytes  program old PSW         0x1D0  program new PSW
 *   0x170 16 bytes  I/O old PSW             0x1F0  I/O new PSW
 */
#include "cpu/cpu_internal.h"
#include "sie/sie_internal.h"

void cpu_psw_from_bytes(s390ap_psw *psw, const uint8_t b[16])
{
	psw->mask = be_get64(b);
	psw->addr = be_get64(b + 8);
}

void cpu_psw_to_bytes(const s390ap_psw *psw, uint8_t b[16])
{
	be_put64(b, psw->mask);
	be_put64(b + 8, psw->addr);
}

/* A PSW that would raise an early specification exception: a one in an
 * unassigned mask bit, EA without BA, an odd address, or an address beyond
 * the 24/31-bit addressing mode. */
bool cpu_psw_valid(const s390ap_psw *psw)
{
	uint64_t m = psw->mask;

	if (m & ~CPU_PSW_VALID_BITS)
		return false;
	if ((m & S390AP_PSW_EA) && !(m & S390AP_PSW_BA))
		return false;
	if (psw->addr & 1)
		return false;
	return (psw->addr & ~cpu_amask_of(m)) == 0;
}

static void checkstop(struct s390ap_cpu *c)
{
	c->state = S390AP_CPU_CHECKSTOP;
	c->exit_value = 0;
	cpu_end_slice(c);
}

static void swap_psw(struct s390ap_cpu *c, uint64_t old_off, uint64_t new_off)
{
	uint8_t b[16];

	s390ap_psw old = { cpu_psw_mask(c), c->psw.addr };

	cpu_psw_to_bytes(&old, b);
	cpu_lowcore_write(c, old_off, b, sizeof(b));
	cpu_lowcore_read(c, new_off, b, sizeof(b));
	cpu_psw_from_bytes(&c->psw, b);
	cpu_cc_from_mask(c);
	c->amask = cpu_amask_of(c->psw.mask);
}

/* Store the program-interruption fields and swap PSWs.  False when the CPU
 * checkstopped instead: CPU_PGM_LOOP_LIMIT interruptions in a row with no
 * instruction completed in between (a new PSW that cannot work).  by_insn:
 * raised by the instruction just dispatched, which therefore did not
 * complete; otherwise raised on the fetch or by a PSW just loaded. */
static bool pgm_deliver(struct s390ap_cpu *c, uint16_t code, unsigned ilen, bool by_insn)
{
	uint8_t id[4] = { 0, (uint8_t)ilen, (uint8_t)(code >> 8), (uint8_t)code };
	uint64_t insns = cpu_insns(c);
	uint64_t completed = insns - c->pgm_insns - (by_insn ? 1 : 0);

	if (CPU_UNLIKELY(c->in_sie) && sie_pgm_intercept(c, code, ilen))
		return false; /* the host has it now */
	c->pgm_streak = completed == 0 ? c->pgm_streak + 1 : 1;
	c->pgm_insns = insns;
	if (c->pgm_streak > CPU_PGM_LOOP_LIMIT) {
		checkstop(c);
		return false;
	}
	c->slice_cycles += c->sys->cost.interruption;
	c->stats.pgm_interruptions++;
	c->stats.last_pgm_code = code;
	c->sys->last_pgm_code = code;
	c->sys->pgm_count[code % CPU_PGM_CODES]++;
	cpu_lowcore_write(c, S390AP_LC_PGM_ILC, id, sizeof(id));
	swap_psw(c, S390AP_LC_PGM_OLD_PSW, S390AP_LC_PGM_NEW_PSW);
	return true;
}

static bool io_deliver(struct s390ap_cpu *c)
{
	s390ap_machine *m = c->sys->machine;
	uint8_t pend, parm[12] = { 0 };
	unsigned isc = 0;

	/* a program's SIE ends for an interruption of its own */
	if (CPU_UNLIKELY(c->in_sie))
		(void)sie_host_io(c);
	if (!(c->psw.mask & S390AP_PSW_IO))
		return false;
	/* a guest's come from its GISA, the host's from the machine */
	pend = CPU_UNLIKELY(c->in_sie) ? sie_io_pending(c)
				       : s390ap_machine_irq_pending(m) & (uint8_t)(c->cr[6] >> 24);
	if (!pend)
		return false;
	while (!(pend & S390AP_ISC_BIT(isc)))
		isc++;
	if (CPU_UNLIKELY(c->in_sie))
		sie_io_ack(c, isc);
	else
		(void)s390ap_machine_irq_ack(m, isc, NULL);
	be_put32(parm + 8, 0x80000000u | (uint32_t)isc << 27);
	cpu_lowcore_write(c, S390AP_LC_SUBCHANNEL_ID, parm, sizeof(parm));
	swap_psw(c, S390AP_LC_IO_OLD_PSW, S390AP_LC_IO_NEW_PSW);
	c->slice_cycles += c->sys->cost.interruption;
	c->stats.io_interruptions++;
	c->pgm_streak = 0;
	return true;
}

void cpu_psw_settle(struct s390ap_cpu *c)
{
	c->psw_dirty = false;
	for (;;) {
		c->amask = cpu_amask_of(c->psw.mask);
		if (!cpu_psw_valid(&c->psw)) {
			/* Early exception: ILC 0, the old PSW is the bad one. */
			if (!pgm_deliver(c, S390AP_PGM_SPECIFICATION, 0, false))
				return;
			continue;
		}
		if (io_deliver(c))
			continue;
		if (c->psw.mask & S390AP_PSW_WAIT) {
			if (CPU_UNLIKELY(c->in_sie) && sie_wait(c)) {
				/* SIE ended: settle the host's PSW, unless the
				 * host model stopped the vCPU */
				if (c->state != S390AP_CPU_RUNNING)
					return;
				continue;
			}
			if (c->psw.mask & (S390AP_PSW_IO | S390AP_PSW_EXT | S390AP_PSW_MCHK)) {
				c->state = S390AP_CPU_WAIT;
			} else {
				c->state = S390AP_CPU_STOPPED;
				c->exit_value = c->psw.addr & 0xFFFFFFFFull;
			}
			cpu_end_slice(c);
		} else {
			c->state = S390AP_CPU_RUNNING;
		}
		return;
	}
}

void cpu_program(struct s390ap_cpu *c, uint16_t code, unsigned ilen)
{
	if (pgm_deliver(c, code, ilen, true))
		cpu_psw_settle(c);
}

void cpu_program_fetch(struct s390ap_cpu *c, uint16_t code, unsigned ilen)
{
	if (pgm_deliver(c, code, ilen, false))
		cpu_psw_settle(c);
}

bool cpu_io_check(struct s390ap_cpu *c)
{
	if (!io_deliver(c))
		return false;
	cpu_psw_settle(c);
	return true;
}
