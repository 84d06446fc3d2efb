/* SPDX-License-Identifier: MIT */
/* The sie suite's fixture: a dispatcher system with a KVM-like host, one
 * VM and its vCPUs, and the guest programs of sie/programs.h. */
#ifndef S390AP_TESTS_SIE_TEST_H
#define S390AP_TESTS_SIE_TEST_H

#include <check.h>
#include <stdint.h>
#include <string.h>

#include "s390ap/s390ap.h"
#include "sie/programs.h"
#include "testutil.h"
#include "util/be.h"
#include "util/mask.h"

#define MEM_SIZE (64u << 20)
#define GUEST_MSO (8u << 20)
#define GUEST_SIZE (4u << 20)
#define ALL_FAC (S390AP_FAC_QCI | S390AP_FAC_APFT | S390AP_FAC_AQIC | S390AP_FAC_MSAX3)
#define ISC 6u
#define APQN_GRANTED 0x0306u
#define APQN_OTHER 0x0307u /* in the machine, not granted */

/* one_ap.S's selector (GR9) */
enum one_ap_sel {
	SEL_PQAP = 0,
	SEL_NQAP = 1,
	SEL_DQAP = 2,
	SEL_PQAP_PROBLEM = 3,
	SEL_NOTHING = 4,
	SEL_INVALID = 5
};

struct env {
	s390ap_sys *sys;
	s390ap_kvm *kvm;
	s390ap_vm *vm;
	s390ap_vcpu *v;
	s390ap_cpu *cpu;
	s390ap_machine *m;  /* own machine, or NULL for the system's default */
	s390ap_vcpu *vs[2]; /* the VM's vCPUs on system vCPUs 0 and 1 */
};

/* What to build: the default machine unless own_machine; then a machine
 * with mach_fac and queues 03.0006, 03.0007, 04.0006. */
struct env_cfg {
	bool own_machine;
	uint32_t mach_fac;
	uint32_t vm_fac;
	const s390ap_kvm_opts *ko;
	bool no_gisa, pckmo_ecc, pckmo_hmac;
	unsigned nvcpus; /* 0 = 1, at most 2 */
};

void env_open(struct env *e, uint32_t fac, const s390ap_kvm_opts *ko);
void env_open_cfg(struct env *e, const struct env_cfg *cfg);
void env_close(struct env *e);

uint8_t *host_mem(struct env *e);
uint8_t *scb_of(struct env *e, s390ap_vcpu *v);
uint8_t *crycb_host(struct env *e);

void grant(struct env *e, const unsigned *apids, size_t na, const unsigned *apqis, size_t nq);
void grant_one(struct env *e, uint16_t apqn);
void enable_apie(struct env *e);
void load_start(struct env *e, const unsigned char *elf, size_t len, uint64_t gr9);
void run_done(struct env *e);
unsigned insn_id(const char *name);
unsigned guest_cc(struct env *e);
uint8_t guest_rc(struct env *e);

/* one_ap.S with GR0-GR8 from gr (9 values) and GR13 = 0, run to the end. */
void one_ap(struct env *e, enum one_ap_sel sel, const uint64_t gr[9]);

static inline uint64_t gr0_fc(unsigned fc, uint16_t apqn)
{
	return (uint64_t)fc << S390AP_GR0_FC_SHIFT | apqn;
}

TCase *sie_crypto_tcase(void);
TCase *sie_pqap_tcase(void);
TCase *sie_isolation_tcase(void);
TCase *sie_aqic_tcase(void);
TCase *sie_native_tcase(void);

#endif
