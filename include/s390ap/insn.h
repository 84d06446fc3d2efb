/* SPDX-License-Identifier: MIT */
/* s390ap — the AP instructions PQAP (0xB2AF), NQAP (0xB2AD), DQAP (0xB2AE).
 *
 * An emulator with its own CPU calls s390ap_execute() with its register
 * file, the problem-state bit, an AP view (what the executing level may see)
 * and a storage interface.  The call updates the registers exactly as the
 * architecture does and reports either a condition code or a program
 * interruption.  No dispatcher is needed.
 *
 * Order of checks (docs/ap-model.md): operation (AP facility absent) >
 * privileged operation (problem state) > specification > response codes
 * and access exceptions.  An access exception is recognized only for
 * storage the instruction accesses: the QCI block, the NQAP message and the
 * DQAP buffer (logical addresses: ctx key and asc), each reached only after
 * every response code that can stop the instruction was checked, so such
 * an RC wins over a bad operand.  NQAP's RC 0x42 needs the message's bytes
 * and comes after.  AQIC's NIB is an absolute address and no operand: any
 * access exception there is RC 0x06, never a program interruption.
 *
 * How each exception ends the instruction (res->ending; docs/ap-model.md
 * has the table):
 *   operation, privileged operation, specification     suppressed
 *   addressing, protection, ALET specification (0x28),
 *   translation specification (and any code not below) suppressed
 *   ASCE-type, region-first/second/third-translation,
 *   segment-translation, page-translation,
 *   ALEN-translation, ALE-sequence, ASTE-validity,
 *   ASTE-sequence, extended-authority (0x29-0x2D)        nullified
 * for PQAP(QCI), NQAP and DQAP alike.  Suppressed and nullified both leave
 * registers, queues and storage unchanged; they differ in the old PSW:
 * nullified points at the instruction, suppressed past it.  An access
 * callback may override the choice (s390ap_access_exc.ending).
 */
#ifndef S390AP_INSN_H
#define S390AP_INSN_H

#include <stdbool.h>
#include <stdint.h>

#include "s390ap/export.h"
#include "s390ap/machine.h"
#include "s390ap/storage.h"
#include "s390ap/view.h"

#ifdef __cplusplus
extern "C" {
#endif

#define S390AP_OP_PQAP 0xB2AFu
#define S390AP_OP_NQAP 0xB2ADu
#define S390AP_OP_DQAP 0xB2AEu

/* PQAP function codes (GR0 bits 32-39). */
enum s390ap_pqap_fc {
	S390AP_FC_TAPQ = 0,
	S390AP_FC_RAPQ = 1,
	S390AP_FC_ZAPQ = 2,
	S390AP_FC_AQIC = 3,
	S390AP_FC_QCI = 4,
	S390AP_FC_QACT = 5,
	S390AP_FC_6 = 6, /* not installed: specification exception */
	S390AP_FC_BAPQ = 7,
	S390AP_FC_AAPQ = 8
};

/* GR0 fields (C masks on the 64-bit register). */
#define S390AP_GR0_FC_SHIFT 24
#define S390AP_GR0_T 0x00800000ull        /* bit 40: TAPQ facilities test */
#define S390AP_GR0_F 0x00400000ull        /* bit 41: RAPQ/ZAPQ full reset, QACT if-bit */
#define S390AP_NQAP_L 0x40000000ull       /* bit 33: last part */
#define S390AP_NQAP_SPECIAL 0x00400000ull /* bit 41: special command */
#define S390AP_DQAP_BIT32 0x80000000ull   /* bit 32: set by Linux, ignored */

/* AP queue status word (GR1 bits 32-63). */
#define S390AP_SW_E 0x80000000u
#define S390AP_SW_R 0x40000000u
#define S390AP_SW_F 0x20000000u
#define S390AP_SW_A 0x02000000u
#define S390AP_SW_I 0x01000000u
#define S390AP_SW_RC(sw) (((sw) >> 16) & 0xffu)

/* Response codes. */
enum s390ap_rc {
	S390AP_RC_NORMAL = 0x00,
	S390AP_RC_Q_NOT_AVAIL = 0x01,
	S390AP_RC_RESET_IN_PROGRESS = 0x02,
	S390AP_RC_DECONFIGURED = 0x03,
	S390AP_RC_CHECKSTOPPED = 0x04,
	S390AP_RC_BUSY = 0x05,
	S390AP_RC_INVALID_ADDRESS = 0x06,
	S390AP_RC_OTHERWISE_CHANGED = 0x07,
	S390AP_RC_INVALID_GISA = 0x08,
	S390AP_RC_Q_BOUND_TO_ANOTHER = 0x09,
	S390AP_RC_STATE_CHANGE_IN_PROGRESS = 0x0A,
	S390AP_RC_Q_NOT_BOUND = 0x0B,
	S390AP_RC_Q_FULL = 0x10,           /* NQAP */
	S390AP_RC_NO_PENDING_REPLY = 0x10, /* DQAP */
	S390AP_RC_INDEX_TOO_BIG = 0x11,
	S390AP_RC_NO_FIRST_PART = 0x13,
	S390AP_RC_MESSAGE_TOO_BIG = 0x15,
	S390AP_RC_REQ_FAC_NOT_INST = 0x16,
	S390AP_RC_Q_BIND_ERROR = 0x30,
	S390AP_RC_Q_NOT_AVAIL_FOR_ASSOC = 0x31,
	S390AP_RC_Q_NOT_EMPTY = 0x32,
	S390AP_RC_BIND_LIMIT_EXCEEDED = 0x33,
	S390AP_RC_INVALID_ASSOC_SECRET = 0x34,
	S390AP_RC_ASSOC_SECRET_NOT_UNIQUE = 0x35,
	S390AP_RC_ASSOC_FAILED = 0x36,
	S390AP_RC_INVALID_DOMAIN = 0x42
};

/* Program-interruption codes. */
#define S390AP_PGM_OPERATION 0x0001
#define S390AP_PGM_PRIVILEGED 0x0002
#define S390AP_PGM_ADDRESSING 0x0005
#define S390AP_PGM_SPECIFICATION 0x0006
#define S390AP_PGM_FIXED_OVERFLOW 0x0008 /* raised by the dispatcher (signed add, subtract) */
/* Access exceptions a storage callback may report. */
#define S390AP_PGM_PROTECTION 0x0004
#define S390AP_PGM_SEGMENT_TRANSLATION 0x0010
#define S390AP_PGM_PAGE_TRANSLATION 0x0011
#define S390AP_PGM_TRANSLATION_SPEC 0x0012
#define S390AP_PGM_ALET_SPEC 0x0028
#define S390AP_PGM_ALEN_TRANSLATION 0x0029
#define S390AP_PGM_ALE_SEQUENCE 0x002A
#define S390AP_PGM_ASTE_VALIDITY 0x002B
#define S390AP_PGM_ASTE_SEQUENCE 0x002C
#define S390AP_PGM_EXTENDED_AUTHORITY 0x002D
#define S390AP_PGM_ASCE_TYPE 0x0038
#define S390AP_PGM_REGION_FIRST_TRANSLATION 0x0039
#define S390AP_PGM_REGION_SECOND_TRANSLATION 0x003A
#define S390AP_PGM_REGION_THIRD_TRANSLATION 0x003B

/* How an exception ended the instruction (s390ap_insn_result.ending). */
typedef enum s390ap_ending {
	S390AP_ENDING_COMPLETED = 0,  /* no exception (cc valid), or a completing one */
	S390AP_ENDING_NULLIFIED = 1,  /* nothing changed; old PSW at the instruction */
	S390AP_ENDING_SUPPRESSED = 2, /* nothing changed; old PSW past it */
	S390AP_ENDING_TERMINATED = 3  /* results unpredictable; old PSW past it */
} s390ap_ending;

/* The ending the library gives an exception it reports. */
S390AP_API s390ap_ending s390ap_pgm_ending(uint16_t pgm);

/* AQIC GR1 input fields. */
#define S390AP_AQIC_IR 0x0000800000000000ull /* bit 16: enable */
#define S390AP_AQIC_ISC_MASK 0x7ull          /* bits 61-63 */
/* A hypervisor's AQIC for a guest: the guest ISC (bits 21-23) and the
 * GISA origin over 16 (bits 33-59, 27 bits).  A non-zero origin sends the
 * queue's interruptions to that GISA (docs/ap-model.md, "GISA"). */
#define S390AP_AQIC_GISC_SHIFT 40
#define S390AP_AQIC_GISA_SHIFT 4
#define S390AP_AQIC_GISA_MASK 0x7FFFFFFull

/* QCI block. */
#define S390AP_QCI_SIZE 128
#define S390AP_QCI_APM_OFF 16
#define S390AP_QCI_AQM_OFF 48
#define S390AP_QCI_ADM_OFF 80

typedef struct s390ap_insn_ctx {
	uint64_t *gr;                  /* 16 general registers, updated in place */
	bool problem_state;            /* PSW bit 15 */
	uint8_t amode;                 /* 64 (default when 0), 31 or 24; operands that run
					* past the top of the space wrap to 0 (two
					* storage accesses, docs/ap-model.md) */
	const s390ap_view *view;       /* NULL = whole machine */
	const s390ap_storage *storage; /* operand storage of the executing level */
	uint8_t key;                   /* PSW key (bits 8-11) 0-15: operand access key */
	uint8_t asc;                   /* PSW bits 16-17 as s390ap_asc 0-3: operands' space */
} s390ap_insn_ctx;

typedef struct s390ap_insn_result {
	uint16_t pgm;      /* program-interruption code, 0 if none */
	uint8_t cc;        /* condition code when pgm == 0 */
	uint8_t rc;        /* response code stored in GR1 (0 if none stored) */
	bool sw_stored;    /* a status word was stored in GR1 */
	uint8_t ending;    /* s390ap_ending: how pgm ended the instruction */
	uint8_t exc_flags; /* S390AP_EXC_TEID / S390AP_EXC_EAI: teid / eai valid */
	uint8_t eai;       /* exception access identification (lowcore 0xA0) */
	uint64_t teid;     /* translation-exception identification (lowcore 0xA8) */
} s390ap_insn_result;

/* Execute one AP instruction given its 4-byte RRE image (0xB2AFr1r2...).
 * Returns 0 with *res filled, or a negative error for bad arguments (NULL
 * pointers, an opcode that is not an AP instruction). */
S390AP_API int s390ap_execute(s390ap_machine *m, const s390ap_insn_ctx *ctx, uint32_t insn,
			      s390ap_insn_result *res);

/* Same, by instruction. */
S390AP_API int s390ap_pqap(s390ap_machine *m, const s390ap_insn_ctx *ctx, s390ap_insn_result *res);
S390AP_API int s390ap_nqap(s390ap_machine *m, const s390ap_insn_ctx *ctx, unsigned r1, unsigned r2,
			   s390ap_insn_result *res);
S390AP_API int s390ap_dqap(s390ap_machine *m, const s390ap_insn_ctx *ctx, unsigned r1, unsigned r2,
			   s390ap_insn_result *res);

#ifdef __cplusplus
}
#endif
#endif
