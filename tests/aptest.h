/* SPDX-License-Identifier: MIT */
/* aptest -- the fixture and helpers shared by the Check suites: a flat
 * storage, the default machine seen through its LPAR view, a 16-register
 * file and the instruction result, plus the small helpers every suite
 * uses to build machines and read their state.
 *
 * Storage layouts (MEM_SIZE, message and buffer addresses) and the
 * helpers that differ between suites stay in the suites.
 *
 * Test names, in every suite: test_<area>_<what>, <area> the instruction,
 * object or layer under test (tapq, nqap, clock, decode, elf, ...),
 * <what> the behaviour checked (test_nqap_queue_full,
 * test_decode_rejects).  A table run with tcase_add_loop_test is one test
 * of that name; Check reports each row (_i) on its own.
 */
#ifndef S390AP_TESTS_APTEST_H
#define S390AP_TESTS_APTEST_H

#include <check.h>
#include <inttypes.h>
#include <stdint.h>

#include "s390ap/s390ap.h"
#include "testutil.h"

/* Queues of the default machine (s390ap_machine_new_default). */
#define ACC S390AP_APQN(0x03, 0x06)  /* CEX8 accelerator */
#define CCA S390AP_APQN(0x04, 0x06)  /* CEX8 CCA */
#define EP11 S390AP_APQN(0x05, 0x06) /* CEX7 EP11 */

/* Status-word bits and the response code, as they stand in GR1. */
#define E ((uint64_t)S390AP_SW_E)
#define R ((uint64_t)S390AP_SW_R)
#define F ((uint64_t)S390AP_SW_F)
#define A ((uint64_t)S390AP_SW_A)
#define I ((uint64_t)S390AP_SW_I)
#define RC(x) ((uint64_t)(x) << 16)

/* Registers used for NQAP / DQAP operands (GR0..GR2 are implicit). */
#define NQ_R1 10
#define NQ_R2 12
#define DQ_R1 6
#define DQ_R2 8

/* ------------------------------------------------------------------ */
/* Fixture                                                             */
/* ------------------------------------------------------------------ */
extern s390ap_machine *m;
extern s390ap_storage st;
extern uint8_t *ram; /* the storage's bytes, ram_size of them */
extern uint64_t ram_size;
extern s390ap_view view;
extern s390ap_insn_ctx ctx;
extern uint64_t gr[16];
extern s390ap_insn_result res;

/* A flat storage of mem_size bytes (the suite's own buffer behind st, so
 * tests may write ram directly: no dispatcher caches code here) and the
 * default machine on it; ctx
 * runs in the supervisor state, 64-bit mode, through the LPAR view. */
void fixture_setup(uint64_t mem_size);
void fixture_teardown(void);

/* Replace the machine by one built from o (storage filled in). */
void use_machine(s390ap_machine_opts *o);
/* The same for a machine whose options only set the facilities. */
void use_machine_facs(uint32_t facilities);
/* use_machine, then the CEX8 accelerator of ACC (adapter 3, domain 6). */
void use_machine_acc(s390ap_machine_opts *o);

void add_adapter(unsigned apid, uint8_t type, s390ap_mode mode);

/* s390ap_machine_irq_ack on m: 1 if the ISC was pending, 0 if not,
 * the error code otherwise. */
int irq_ack_was(unsigned isc);

/* Zeroed info, then the library's answer (its return value). */
int ainfo_get(unsigned apid, s390ap_adapter_info *ai);
int qinfo_get(uint16_t apqn, s390ap_queue_info *qi);
/* The same, asserting the call succeeds. */
s390ap_adapter_info ainfo(unsigned apid);
s390ap_queue_info qinfo(uint16_t apqn);

void advance(uint64_t cycles);

/* One NQAP part (the L bit when last) from NQ_R1/NQ_R2 with this PSMID and
 * operand; asserts only that the call succeeded (res has the outcome). */
void nq_part(uint16_t apqn, uint64_t psmid, uint64_t addr, uint64_t len, bool last);

/* GR0 for PQAP: function code and APQN. */
uint64_t gr0_fc(unsigned fc, uint16_t apqn);

/* The PSMID DQAP left in DQ_R1 / DQ_R1 + 1. */
uint64_t dq_psmid(void);

/* A new test case of s, each test run between setup and
 * fixture_teardown. */
TCase *fixture_tcase(Suite *s, const char *name, SFun setup);

#endif /* S390AP_TESTS_APTEST_H */
