/* SPDX-License-Identifier: MIT */
/* SIE inside the dispatcher (src/sie/).  Not part of the public API.
 *
 *   sie.c    entering and leaving SIE: the SCB's fields in and out, the
 *            validity checks, the storage window, the guest's cache
 *   guest.c  what a guest may not do itself: instruction, program and
 *            wait interceptions, guest I/O interruptions from the GISA
 *   kvm.c    the KVM-like host model: VMs, vCPUs, crypto attributes,
 *            handle_pqap, the AQIC hook, user-space exits
 *
 * A vCPU in SIE keeps the guest's state where the dispatcher looks for
 * its own: PSW, registers, control registers, prefix; main storage is the
 * guest's window (mem = host storage + MSO), so every fast path runs
 * unchanged.  The host's context waits in struct sie_state.
 */
#ifndef S390AP_SIE_INTERNAL_H
#define S390AP_SIE_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>

#include "cpu/cpu_internal.h"
#include "s390ap/kvm.h"
#include "s390ap/sie.h"
#include "s390ap/view.h"

/* Interception codes are multiples of 4 below 0x100. */
#define SIE_ICPT_SLOTS 64u

/* A guest's decoded-instruction cache and the window [base, base + size)
 * and prefix its tags were made through. */
struct sie_gcache {
	struct cpu_op *cache;
	bool clean, valid;
	uint64_t base, size, prefix;
};

struct sie_state {
	struct s390ap_vcpu *vcpu; /* the host model's vCPU, NULL for a program's SIE */
	uint64_t scb;             /* host absolute address of the SCB */
	uint8_t ap_path;          /* where the guest's interpreted AP instructions count
				   * (S390AP_PATH_VSIE for a guest-3) */

	/* the host's context, given back at the exit */
	s390ap_psw host_psw; /* the cc in the mask */
	uint64_t host_gr14, host_gr15;
	uint64_t host_cr[16];
	uint64_t host_prefix;
	struct cpu_op *host_icache;
	bool host_icache_clean;

	/* the guest's controls, read at the entry */
	uint32_t cpuflags, ictl, eca, ecd, crycbd;
	uint16_t lctl;
	uint8_t ecb3;
	uint64_t mso, gsize;
	uint32_t gisa; /* GISA origin (host absolute) with ECA_AIV, else 0 */
	bool has_fac;  /* STFLE is interpreted from fac_list */
	uint64_t fac_list[2];
	uint8_t apm[32], aqm[32], adm[32];
	s390ap_view view;

	/* what the exit stores */
	uint16_t ipa;
	uint32_t ipb;

	/* the guest's decoded-instruction cache, and the window and prefix
	 * its tags were made through (a new one at the entry flushes it); and
	 * a second one, allocated when the vCPU enters a second window (a
	 * guest-2 and its guest-3 under vSIE take turns): the entry swaps the
	 * two when the spare's window is the one entered, so neither is
	 * flushed; stores reach it as they reach the other caches.  Part of
	 * vSIE's shadow cache: a host with vsie_no_cache has no spare */
	struct sie_gcache gc, spare;

	uint64_t entries;
	uint64_t icpt[SIE_ICPT_SLOTS];
	uint64_t icpt_insn[CPU_NINSNS];
};

/* ---- sie.c ---- */
/* Enter the guest of the SCB at host absolute scb (inside storage, 512
 * aligned: the caller checked).  0: the vCPU runs the guest; 1: SIE ended
 * at once (a validity or stop interception, stored in the SCB); < 0: a
 * library error (out of memory). */
int sie_enter(struct s390ap_cpu *c, uint64_t scb, struct s390ap_vcpu *vcpu, unsigned ap_path);
/* Leave SIE with this interception code: the guest's state and the
 * interception into the SCB, the host's context back.  A host-model vCPU
 * then gets its intercept handled (kvm.c), which may enter again. */
void sie_exit(struct s390ap_cpu *c, uint8_t icptcode);
/* Force the vCPU out of SIE with icptcode 0 and no interception handling
 * (a host that changed what the guest sees enters it again). */
void sie_kick(struct s390ap_cpu *c);
/* Leave SIE without storing anything (a reset of the vCPU). */
void sie_abandon(struct s390ap_cpu *c);
void sie_free(struct s390ap_cpu *c);
/* Storage changed behind the code map (a restore): the guest's cache is
 * flushed at the next entry. */
void sie_cache_forget(struct s390ap_cpu *c);
void sie_icache_invalidate_other(struct s390ap_cpu *c, uint64_t abs, uint64_t len);
/* The SCB of the guest c runs, in host storage. */
uint8_t *sie_scb(const struct s390ap_cpu *c);

/* ---- guest.c ---- */
/* Give the decoded guest instruction its guest handler where it has one. */
void sie_decode(struct cpu_op *e);
/* The instruction just dispatched is intercepted: ipa/ipb from its bytes. */
void sie_icpt_insn(struct s390ap_cpu *c, const struct cpu_op *op, uint8_t icptcode);
/* A program interruption in the guest: true when the SCB's controls make
 * it an interception (the exit is done). */
bool sie_pgm_intercept(struct s390ap_cpu *c, uint16_t code, unsigned ilen);
/* A wait PSW in the guest: true when it ended SIE (an interception). */
bool sie_wait(struct s390ap_cpu *c);
/* A program's SIE (not a host-model vCPU's) whose host has an enabled
 * machine ISC pending ends with icptcode 0, the host's PSW back at the
 * SIE instruction: true when it did. */
bool sie_host_io(struct s390ap_cpu *c);
/* The guest ISCs pending in the GISA that the guest is enabled for now. */
uint8_t sie_io_pending(const struct s390ap_cpu *c);
/* Take the guest ISC out of the GISA's IPM (the interruption is presented). */
void sie_io_ack(struct s390ap_cpu *c, unsigned isc);
/* Waiting guests that would take an interruption from their GISA now. */
uint64_t sie_takers(const struct s390ap_sys *sys);

/* ---- exec_control.c: the guest's AP instructions ---- */
void sie_op_PQAP(struct s390ap_cpu *c, const struct cpu_op *op);
void sie_op_NQAP(struct s390ap_cpu *c, const struct cpu_op *op);
void sie_op_DQAP(struct s390ap_cpu *c, const struct cpu_op *op);

/* ---- kvm.c ---- */
/* The AQIC handling of the built-in hook, for a driver that owns queues
 * of its own (src/matrix/): owns(ctx, apqn) says whether the APQN is the
 * driver's (else RC 0x01); a disable answered 0x02 or 0x05 is issued again
 * up to `retries` times, retry_cycles of the machine's clock apart. */
int kvm_aqic(struct s390ap_vcpu *v, bool (*owns)(void *ctx, uint16_t apqn), void *ctx,
	     unsigned retries, uint64_t retry_cycles);
/* Drop the VM's AQIC registration of the APQN (its guest ISC), as after a
 * reset of the queue. */
void kvm_aqic_forget(struct s390ap_vm *vm, uint16_t apqn);
/* A host-model vCPU left SIE: handle the interception the way KVM does
 * and go on (enter again), or stop the vCPU. */
void kvm_handle_exit(struct s390ap_vcpu *v);
/* Whether the vCPU's host keeps a second guest decoded-instruction cache
 * (sie_state.spare) for guest-3 under vSIE: not with vsie_no_cache. */
bool kvm_keeps_spare_cache(const struct s390ap_vcpu *v);

#endif
