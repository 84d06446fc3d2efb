/* SPDX-License-Identifier: MIT */
/* The pqap suite's shared part: the storage layout and constants of the
 * default machine, one helper per instruction and function code, the
 * expectations on the result, and a capturing message engine.
 *
 * Every expected value is the architected one (docs/ap-model.md): status
 * words in GR1 (upper half zero), TAPQ GR2 images, the QCI block,
 * condition codes and program-interruption codes. */
#ifndef S390AP_TESTS_PQAP_TEST_H
#define S390AP_TESTS_PQAP_TEST_H

#include <check.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "s390ap/s390ap.h"
#include "aptest.h"

/* ------------------------------------------------------------------ */
/* Constants of the default machine (s390ap_machine_new_default)       */
/* ------------------------------------------------------------------ */
#define MEM_SIZE 0x100000u
#define QCI_ADDR 0x800u
#define NIB_ADDR 0x900u
#define NIB2_ADDR 0x901u
#define MSG_ADDR 0x10000u
#define BUF_ADDR 0x40000u
#define BUF2_ADDR 0x60000u

#define ACC47 S390AP_APQN(0x03, 0x47)

/* TAPQ GR2 bits 32-63: type << 24 | nd << 16 | ml << 8 | qd with
 * nd = 85 - 1, ml = 3, qd = 8 - 1. */
#define INFO_CEX8 0x0E540307ull
#define INFO_CEX7 0x0D540307ull
/* TAPQ facility words (GR2 >> 32) with the machine's APSC:
 * accel = S M C A N H, CCA = S D N H F, EP11 (CEX7) = S X N F. */
#define FAC_ACC_CEX8 0xEB000000ull
#define FAC_CCA_CEX8 0x93800000ull
#define FAC_EP11_CEX7 0x86800000ull

#define GARBAGE 0xDEADBEEFCAFEF00Dull
#define PSMID_HI_FILL 0xA5A5A5A500000000ull
#define PSMID_LO_FILL 0x5A5A5A5A00000000ull

/* ------------------------------------------------------------------ */
/* Fixture                                                             */
/* ------------------------------------------------------------------ */
void setup(void);

/* ------------------------------------------------------------------ */
/* Instruction helpers                                                 */
/* ------------------------------------------------------------------ */
void do_pqap(uint64_t g0);
void tapq(uint16_t apqn, bool t);
void rapq(uint16_t apqn);
void zapq(uint16_t apqn);
void aqic(uint16_t apqn, bool enable, unsigned isc, uint64_t nib);
void qci(uint64_t addr);
void nqap_raw(uint64_t g0, uint64_t psmid, uint64_t addr, uint64_t len);

/* NQAP of a complete (L = 1) message. */
void nqap(uint16_t apqn, uint64_t psmid, uint64_t addr, uint64_t len);

/* DQAP with GR0 = g0, keeping GR2 (continuation). */
void dqap_raw(uint64_t g0, uint64_t addr, uint64_t len);

/* DQAP keeping GR2 (continuation). */
void dqap_cont(uint16_t apqn, uint64_t addr, uint64_t len);

/* DQAP starting a new reply (GR2 = 0). */
void dqap(uint16_t apqn, uint64_t addr, uint64_t len);

/* A type 50 request of len bytes whose length field says lenfield. */
void put_msg50(uint64_t addr, size_t len, uint16_t lenfield);
void put_msg(uint64_t addr, size_t len);

/* Expect a stored status word with condition code cc. */
#define EXPECT_SW(cc_, sw_)                                               \
	do {                                                              \
		ck_assert_uint_eq(res.pgm, 0);                            \
		ck_assert_uint_eq(res.cc, (cc_));                         \
		ck_assert(res.sw_stored);                                 \
		ck_assert_x64(gr[1], (sw_));                              \
		ck_assert_uint_eq(res.rc, S390AP_SW_RC((uint64_t)(sw_))); \
	} while (0)

/* Expect a program interruption. */
#define EXPECT_PGM(code_)                            \
	do {                                         \
		ck_assert_uint_eq(res.pgm, (code_)); \
		ck_assert(!res.sw_stored);           \
	} while (0)

/* Expect cc with no status word stored (GR1 untouched). */
#define EXPECT_CC_NO_SW(cc_)                      \
	do {                                      \
		ck_assert_uint_eq(res.pgm, 0);    \
		ck_assert_uint_eq(res.cc, (cc_)); \
		ck_assert(!res.sw_stored);        \
		ck_assert_x64(gr[1], GARBAGE);    \
	} while (0)

/* ------------------------------------------------------------------ */
/* A capturing message engine                                          */
/* ------------------------------------------------------------------ */
#define CAP_MAX 32

struct capture {
	unsigned calls;
	unsigned destroyed;
	uint64_t psmid[CAP_MAX];
	size_t len[CAP_MAX];
	bool special[CAP_MAX];
	uint8_t last[16384];
	size_t last_len;
	size_t reply_len;        /* 0: 8 bytes */
	bool latency_from_psmid; /* latency = low 16 bits of the PSMID */
};

extern struct capture cap;
/* Byte k of the reply to the request with this PSMID. */
uint8_t reply_byte(uint64_t psmid, size_t k);
int cap_process(void *c, const s390ap_engine_request *req, s390ap_engine_reply *rep);
void cap_destroy(void *c);
/* The capturing engine, emptied, on adapter apid. */
void use_capture(unsigned apid);

/* Secure Execution: a machine with every facility, seen by an SE guest,
 * and the bind / associate steps. */
void use_se_machine(void);
/* RAPQ with F: unbind (bs -> 2), wait for the reset. */
void se_unbind(uint16_t apqn);
unsigned tapq_bs(uint16_t apqn);
void bapq(uint16_t apqn);
void aapq(uint16_t apqn, uint64_t index);

/* The suite's test cases, one function per file. */
void tcase_pqap_exceptions(Suite *s);
void tcase_pqap_tapq(Suite *s);
void tcase_pqap_qci(Suite *s);
void tcase_pqap_aqic(Suite *s);
void tcase_pqap_nqap(Suite *s);
void tcase_pqap_dqap(Suite *s);
void tcase_pqap_rc(Suite *s);
void tcase_pqap_se(Suite *s);
void tcase_pqap_execute(Suite *s);
void tcase_pqap_access(Suite *s);
void tcase_pqap_api_errors(Suite *s);

#endif /* S390AP_TESTS_PQAP_TEST_H */
