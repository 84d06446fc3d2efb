/* Shared helpers of the AP instruction layer. */
#ifndef S390AP_PQAP_INTERNAL_H
#define S390AP_PQAP_INTERNAL_H

#include "ap/ap_internal.h"

/* What the executing level sees, resolved once per instruction. */
struct insn_env {
	s390ap_machine *m;
	const s390ap_insn_ctx *ctx;
	const s390ap_view *view;     /* NULL = whole machine */
	uint32_t fac;                /* view facilities AND machine facilities */
	uint64_t *gr;
	uint64_t amask;              /* address mask for the addressing mode */
	s390ap_insn_result *res;
};

/* Flags for insn_resolve. */
#define RESOLVE_NQDQ 0x1u   /* NQAP/DQAP: missing domain on the adapter is 0x11 */
#define RESOLVE_DQAP 0x2u   /* not subject to busy windows */
#define RESOLVE_RESET 0x4u  /* RAPQ/ZAPQ: not stopped by the sticky async error */

/* GR0 bits 48-63 with ids over the limit without APXA (GR0 & 0xC0F0). */
#define GR0_APQN_NOAPXA_BITS 0xC0F0ull

int insn_begin(struct insn_env *env, s390ap_machine *m, const s390ap_insn_ctx *ctx,
	       s390ap_insn_result *res);
void insn_pgm(struct insn_env *env, uint16_t pgm);
void insn_status(struct insn_env *env, const struct ap_queue *q, uint8_t rc);
uint8_t insn_resolve(const struct insn_env *env, uint16_t apqn, unsigned flags,
		     struct ap_adapter **pa, struct ap_queue **pq);
bool insn_ids_ok(const struct insn_env *env, uint64_t gr0);

/* Register-pair helpers honouring the addressing mode. */
uint64_t insn_addr(const struct insn_env *env, unsigned r);
uint64_t insn_len(const struct insn_env *env, unsigned r);
void insn_advance(struct insn_env *env, unsigned r, uint64_t n);

#endif
