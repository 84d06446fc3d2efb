/* SPDX-License-Identifier: MIT */
/* s390ap — byte layout of the SIE control block (SCB, the state
 * description a host hands to SIE), of the GISA and of the GIB.
 *
 * All offsets are from the start of the block, every multi-byte field is
 * big-endian, and bit masks are C masks on the field read as an unsigned
 * number (IBM bit 0 is the most significant bit).  The SCB is 512 bytes
 * on a 512-byte boundary.  The CRYCB designation (crycbd) has its masks in
 * crycb.h; only its offset is here.  docs/sie-block.md describes every
 * field, the interception and validity codes and the guest storage window.
 */
#ifndef S390AP_SIE_H
#define S390AP_SIE_H

#include <stddef.h>
#include <stdint.h>

#include "s390ap/export.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------------ */
/* SCB: size, alignment, field offsets and sizes                       */
/* ------------------------------------------------------------------ */
#define S390AP_SCB_SIZE 512
#define S390AP_SCB_ALIGN 512

#define S390AP_SCB_CPUFLAGS 0x000
#define S390AP_SCB_CPUFLAGS_SIZE 4
#define S390AP_SCB_PREFIX 0x004
#define S390AP_SCB_PREFIX_SIZE 4
#define S390AP_SCB_PROG0C 0x00C
#define S390AP_SCB_PROG0C_SIZE 4
#define S390AP_SCB_PROG20 0x020
#define S390AP_SCB_PROG20_SIZE 4
#define S390AP_SCB_CPUTM 0x028
#define S390AP_SCB_CPUTM_SIZE 8
#define S390AP_SCB_CKC 0x030
#define S390AP_SCB_CKC_SIZE 8
#define S390AP_SCB_EPOCH 0x038
#define S390AP_SCB_EPOCH_SIZE 8
#define S390AP_SCB_SVCC 0x040
#define S390AP_SCB_SVCC_SIZE 4
#define S390AP_SCB_LCTL 0x044
#define S390AP_SCB_LCTL_SIZE 2
#define S390AP_SCB_ICPUA 0x046
#define S390AP_SCB_ICPUA_SIZE 2
#define S390AP_SCB_ICTL 0x048
#define S390AP_SCB_ICTL_SIZE 4
#define S390AP_SCB_ECA 0x04C
#define S390AP_SCB_ECA_SIZE 4
#define S390AP_SCB_ICPTCODE 0x050
#define S390AP_SCB_ICPTCODE_SIZE 1
#define S390AP_SCB_ICPTSTATUS 0x051
#define S390AP_SCB_ICPTSTATUS_SIZE 1
#define S390AP_SCB_IHCPU 0x052
#define S390AP_SCB_IHCPU_SIZE 2
#define S390AP_SCB_IICTL 0x055
#define S390AP_SCB_IICTL_SIZE 1
#define S390AP_SCB_IPA 0x056
#define S390AP_SCB_IPA_SIZE 2
#define S390AP_SCB_IPB 0x058
#define S390AP_SCB_IPB_SIZE 4
#define S390AP_SCB_SCAOH 0x05C
#define S390AP_SCB_SCAOH_SIZE 4
#define S390AP_SCB_FPF 0x060
#define S390AP_SCB_FPF_SIZE 1
#define S390AP_SCB_ECB 0x061
#define S390AP_SCB_ECB_SIZE 1
#define S390AP_SCB_ECB2 0x062
#define S390AP_SCB_ECB2_SIZE 1
#define S390AP_SCB_ECB3 0x063
#define S390AP_SCB_ECB3_SIZE 1
#define S390AP_SCB_SCAOL 0x064
#define S390AP_SCB_SCAOL_SIZE 4
#define S390AP_SCB_SDF 0x068
#define S390AP_SCB_SDF_SIZE 1
#define S390AP_SCB_EPDX 0x069
#define S390AP_SCB_EPDX_SIZE 1
#define S390AP_SCB_CPNC 0x06A
#define S390AP_SCB_CPNC_SIZE 1
#define S390AP_SCB_TODPR 0x06C
#define S390AP_SCB_TODPR_SIZE 4
#define S390AP_SCB_GD 0x070
#define S390AP_SCB_GD_SIZE 4
#define S390AP_SCB_MSO 0x080
#define S390AP_SCB_MSO_SIZE 8
#define S390AP_SCB_MSL 0x088
#define S390AP_SCB_MSL_SIZE 8
#define S390AP_SCB_GPSW 0x090 /* 16 bytes: the mask doubleword, then the address */
#define S390AP_SCB_GPSW_SIZE 16
#define S390AP_SCB_GPSW_MASK 0x090
#define S390AP_SCB_GPSW_ADDR 0x098
#define S390AP_SCB_GG14 0x0A0
#define S390AP_SCB_GG14_SIZE 8
#define S390AP_SCB_GG15 0x0A8
#define S390AP_SCB_GG15_SIZE 8
#define S390AP_SCB_HPID 0x0B8
#define S390AP_SCB_HPID_SIZE 1
#define S390AP_SCB_EIPARAMS 0x0C0
#define S390AP_SCB_EIPARAMS_SIZE 4
#define S390AP_SCB_EXTCPUADDR 0x0C4
#define S390AP_SCB_EXTCPUADDR_SIZE 2
#define S390AP_SCB_EIC 0x0C6
#define S390AP_SCB_EIC_SIZE 2
#define S390AP_SCB_PGMILC 0x0CC
#define S390AP_SCB_PGMILC_SIZE 2
#define S390AP_SCB_IPRCC 0x0CE
#define S390AP_SCB_IPRCC_SIZE 2
#define S390AP_SCB_DXC 0x0D0
#define S390AP_SCB_DXC_SIZE 4
#define S390AP_SCB_MCN 0x0D4
#define S390AP_SCB_MCN_SIZE 2
#define S390AP_SCB_PERC 0x0D6
#define S390AP_SCB_PERC_SIZE 1
#define S390AP_SCB_PERATMID 0x0D7
#define S390AP_SCB_PERATMID_SIZE 1
#define S390AP_SCB_PERADDR 0x0D8
#define S390AP_SCB_PERADDR_SIZE 8
#define S390AP_SCB_EAI 0x0E0
#define S390AP_SCB_EAI_SIZE 1
#define S390AP_SCB_PERAID 0x0E1
#define S390AP_SCB_PERAID_SIZE 1
#define S390AP_SCB_OAI 0x0E2
#define S390AP_SCB_OAI_SIZE 1
#define S390AP_SCB_ARMID 0x0E3
#define S390AP_SCB_ARMID_SIZE 1
#define S390AP_SCB_TECMC 0x0E8
#define S390AP_SCB_TECMC_SIZE 8
#define S390AP_SCB_CRYCBD 0x0FC
#define S390AP_SCB_CRYCBD_SIZE 4
#define S390AP_SCB_GCR 0x100 /* 16 control registers, 8 bytes each */
#define S390AP_SCB_GCR_SIZE 8
#define S390AP_SCB_GCR_COUNT 16
#define S390AP_SCB_GCR_N(n) (S390AP_SCB_GCR + 8 * (n))
#define S390AP_SCB_GBEA 0x180
#define S390AP_SCB_GBEA_SIZE 8
#define S390AP_SCB_SDNXO 0x190
#define S390AP_SCB_SDNXO_SIZE 8
#define S390AP_SCB_FAC 0x1A0
#define S390AP_SCB_FAC_SIZE 4
#define S390AP_SCB_CBRLO 0x1B8
#define S390AP_SCB_CBRLO_SIZE 8
#define S390AP_SCB_ECD 0x1C8
#define S390AP_SCB_ECD_SIZE 4
#define S390AP_SCB_PP 0x1DE /* not doubleword aligned */
#define S390AP_SCB_PP_SIZE 8
#define S390AP_SCB_ITDBA 0x1E8
#define S390AP_SCB_ITDBA_SIZE 8
#define S390AP_SCB_RICCBD 0x1F0
#define S390AP_SCB_RICCBD_SIZE 8
#define S390AP_SCB_GVRD 0x1F8
#define S390AP_SCB_GVRD_SIZE 8

/* ------------------------------------------------------------------ */
/* cpuflags: the guest CPU's state                                     */
/* ------------------------------------------------------------------ */
#define S390AP_CPUSTAT_STOPPED 0x80000000u
#define S390AP_CPUSTAT_WAIT 0x10000000u
#define S390AP_CPUSTAT_ECALL_PEND 0x08000000u
#define S390AP_CPUSTAT_STOP_INT 0x04000000u
#define S390AP_CPUSTAT_IO_INT 0x02000000u
#define S390AP_CPUSTAT_EXT_INT 0x01000000u
#define S390AP_CPUSTAT_RUNNING 0x00800000u
#define S390AP_CPUSTAT_RRF 0x00008000u
#define S390AP_CPUSTAT_SLSV 0x00004000u
#define S390AP_CPUSTAT_SLSR 0x00002000u
#define S390AP_CPUSTAT_ZARCH 0x00000800u
#define S390AP_CPUSTAT_KSS 0x00000200u
#define S390AP_CPUSTAT_MCDS 0x00000100u
#define S390AP_CPUSTAT_SM 0x00000080u
#define S390AP_CPUSTAT_GED2 0x00000010u
#define S390AP_CPUSTAT_GED 0x00000004u
#define S390AP_CPUSTAT_P 0x00000001u

/* prefix: the word holds more than the prefix address */
#define S390AP_SCB_PREFIX_MASK 0x7FFFE000u

/* prog0c, prog20: host-program flags */
#define S390AP_PROG_IN_SIE 0x1u    /* prog0c */
#define S390AP_PROG_BLOCK_SIE 0x1u /* prog20 */
#define S390AP_PROG_REQUEST 0x2u   /* prog20 */

/* lctl: intercept LCTL/LCTLG that load control register n */
#define S390AP_LCTL_CR(n) (0x8000u >> (n))

/* ictl: instructions to intercept */
#define S390AP_ICTL_OPEREXC 0x80000000u
#define S390AP_ICTL_PINT 0x20000000u
#define S390AP_ICTL_LPSW 0x00400000u
#define S390AP_ICTL_STCTL 0x00040000u
#define S390AP_ICTL_ISKE 0x00004000u
#define S390AP_ICTL_SSKE 0x00002000u
#define S390AP_ICTL_RRBE 0x00001000u
#define S390AP_ICTL_TPROT 0x00000200u

/* eca: execution controls A */
#define S390AP_ECA_CEI 0x80000000u
#define S390AP_ECA_IB 0x40000000u
#define S390AP_ECA_SIGPI 0x10000000u
#define S390AP_ECA_MVPGI 0x01000000u
#define S390AP_ECA_AIV 0x00200000u
#define S390AP_ECA_VX 0x00020000u
#define S390AP_ECA_PROTEXCI 0x00002000u
#define S390AP_ECA_APIE 0x00000008u
#define S390AP_ECA_SII 0x00000001u

/* ecb, ecb2, ecb3: execution controls B (one byte each) */
#define S390AP_ECB_GS 0x40u
#define S390AP_ECB_TE 0x10u
#define S390AP_ECB_SPECI 0x08u
#define S390AP_ECB_SRSI 0x04u
#define S390AP_ECB_HOSTPROTINT 0x02u
#define S390AP_ECB_PTF 0x01u

#define S390AP_ECB2_CMMA 0x80u
#define S390AP_ECB2_IEP 0x20u
#define S390AP_ECB2_PFMFI 0x08u
#define S390AP_ECB2_ESCA 0x04u
#define S390AP_ECB2_ZPCI_LSI 0x02u

#define S390AP_ECB3_AISI 0x20u
#define S390AP_ECB3_AISII 0x10u
#define S390AP_ECB3_DEA 0x08u
#define S390AP_ECB3_AES 0x04u
#define S390AP_ECB3_RI 0x01u

/* ecd: execution controls D */
#define S390AP_ECD_HOSTREGMGMT 0x20000000u
#define S390AP_ECD_MEF 0x08000000u
#define S390AP_ECD_ETOKENF 0x02000000u
#define S390AP_ECD_ECC 0x00200000u
#define S390AP_ECD_HMAC 0x00004000u

/* gd: GISA designation, the GISA's 31-bit origin with the format in the
 * low bit.  The GISA is 16-byte aligned (AQIC names it by its origin over
 * 16), so the origin mask keeps the low four bits out of the address
 * (docs/sie-block.md). */
#define S390AP_GD_GISA_ORIGIN_MASK 0x7FFFFFF0u
#define S390AP_GD_GISA_FORMAT1 0x1u

/* fac: facility-list designation (format 0), a 31-bit origin */
#define S390AP_SCB_FAC_ORIGIN_MASK 0x7FFFFFF8u

/* mso, msl: guest storage origin and limit, 1 MiB granularity */
#define S390AP_SCB_MS_BLOCK 0x100000u
#define S390AP_SCB_MS_MASK 0xFFFFFFFFFFF00000u

/* ------------------------------------------------------------------ */
/* icptcode: why SIE ended                                             */
/* ------------------------------------------------------------------ */
#define S390AP_ICPT_NONE 0x00
#define S390AP_ICPT_INST 0x04
#define S390AP_ICPT_PROGI 0x08
#define S390AP_ICPT_INSTPROGI 0x0C
#define S390AP_ICPT_EXTREQ 0x10
#define S390AP_ICPT_EXTINT 0x14
#define S390AP_ICPT_IOREQ 0x18
#define S390AP_ICPT_WAIT 0x1C
#define S390AP_ICPT_VALIDITY 0x20
#define S390AP_ICPT_STOP 0x28
#define S390AP_ICPT_OPEREXC 0x2C
#define S390AP_ICPT_PARTEXEC 0x38
#define S390AP_ICPT_IOINST 0x40
#define S390AP_ICPT_KSS 0x5C

/* A validity interception: icptcode S390AP_ICPT_VALIDITY, ipa
 * S390AP_VALIDITY_IPA, the reason code in the high halfword of ipb. */
#define S390AP_VALIDITY_IPA 0x1000u
#define S390AP_VALIDITY_IPB(reason) ((uint32_t)(reason) << 16)
#define S390AP_VALIDITY_REASON(ipb) ((uint16_t)((ipb) >> 16))

#define S390AP_VALIDITY_MODE 0x0001          /* no ZARCH, or RRF, MCDS, GED with GED2 */
#define S390AP_VALIDITY_SLS 0x0007           /* SLSV or SLSR set */
#define S390AP_VALIDITY_PREFIX 0x0010        /* prefix area outside guest storage */
#define S390AP_VALIDITY_CRYCB_FORMAT 0x0022  /* CRYCB format invalid or incompatible */
#define S390AP_VALIDITY_CRYCB_FETCH 0x0035   /* CRYCB cannot be read */
#define S390AP_VALIDITY_PREFIX_ACCESS 0x0037 /* guest prefix area inaccessible */
#define S390AP_VALIDITY_CRYCB_ZERO 0x0039    /* CRYCB origin zero where one is needed */
#define S390AP_VALIDITY_CRYCB_PAGE 0x003C    /* CRYCB crosses a 4 KiB boundary */
#define S390AP_VALIDITY_MSL 0x003D           /* MSL beyond the host's storage */
#define S390AP_VALIDITY_MSO_MSL 0x0041       /* MSO above MSL */
#define S390AP_VALIDITY_FAC 0x1090           /* facility list (fac) outside host storage */
/* No architected reason is known for a GISA (gd with ECA_AIV) outside
 * host storage; this one is s390ap's choice. */
#define S390AP_VALIDITY_GISA 0x0060

/* ------------------------------------------------------------------ */
/* GISA: guest interruption state area, 32 bytes, 31-bit address        */
/* ------------------------------------------------------------------ */
#define S390AP_GISA_SIZE 32
#define S390AP_GISA_NEXT_ALERT 0x00 /* u32; its own address when not on the alert list */
#define S390AP_GISA_IPM 0x04        /* u8 interruption pending mask */
#define S390AP_GISA_IAM 0x07        /* u8 interruption alert mask */
/* ISC n in the IPM and the IAM */
#define S390AP_GISA_ISC_BIT(n) (0x80u >> (n))

/* Format 0 */
#define S390AP_GISA0_FLAGS 0x06 /* u8: S390AP_GISA0_G, S390AP_GISA0_C */
#define S390AP_GISA0_G 0x02u
#define S390AP_GISA0_C 0x01u
#define S390AP_GISA0_AIRQ_COUNT 0x0C /* u32 */

/* Format 1 */
#define S390AP_GISA1_SIMM 0x05
#define S390AP_GISA1_NIMM 0x06
#define S390AP_GISA1_AISM 0x08 /* 8 bytes */
#define S390AP_GISA1_AISM_SIZE 8
#define S390AP_GISA1_FLAGS 0x10
#define S390AP_GISA1_AIRQ_COUNT 0x1C /* u32 */

/* ------------------------------------------------------------------ */
/* GIB: GISA interruption block, 32 bytes                              */
/* ------------------------------------------------------------------ */
#define S390AP_GIB_SIZE 32
#define S390AP_GIB_ALERT_LIST_ORIGIN 0x00 /* u32 */
#define S390AP_GIB_RESERVED 0x04          /* u32 */
#define S390AP_GIB_NISC 0x08              /* u8, the NISC in its low three bits */
#define S390AP_GIB_NISC_MASK 0x07u

/* ------------------------------------------------------------------ */
/* Field table                                                         */
/* ------------------------------------------------------------------ */

/* One named SCB field: count consecutive items of size bytes.  gcr is one
 * entry of 16 items of 8 bytes; gpsw one item of 16 bytes, read and written
 * as two doublewords (index 0 the mask, 1 the address).  In general an
 * item over 8 bytes is split into doublewords. */
typedef struct s390ap_scb_field {
	const char *name; /* lower case, as in the offsets above */
	uint16_t offset;
	uint8_t size;
	uint8_t count;
} s390ap_scb_field;

/* The table, in offset order; returns its length.  table may be NULL. */
S390AP_API size_t s390ap_scb_fields(const s390ap_scb_field **table);

/* The field called name (case-insensitive, the exact name only), or NULL. */
S390AP_API const s390ap_scb_field *s390ap_scb_field_find(const char *name);

/* As s390ap_scb_field_find, also taking one item of an indexed field:
 * "gcr6" is gcr with *index 6 (decimal, 0-15), "gpsw0" / "gpsw1" the two
 * halves of the PSW; a plain name gives index 0.  Returns 0,
 * S390AP_ENOENT for an unknown name or an index out of range, or
 * S390AP_EINVAL for a NULL argument.  index may be NULL. */
S390AP_API int s390ap_scb_field_lookup(const char *name, const s390ap_scb_field **f,
				       unsigned *index);

/* Number of values s390ap_scb_get/set take for f (16 for gcr, 2 for gpsw,
 * 1 otherwise); 0 for NULL. */
S390AP_API unsigned s390ap_scb_field_items(const s390ap_scb_field *f);

/* Item index of field f of the 512-byte block scb, big-endian.  0 for a NULL
 * argument, an index out of range or a field outside the block. */
S390AP_API uint64_t s390ap_scb_get(const uint8_t *scb, const s390ap_scb_field *f, unsigned index);

/* Store v into item index of field f.  Returns 0, S390AP_EINVAL for a NULL
 * argument or a field outside the block, S390AP_ERANGE for an index out of
 * range or a value wider than the item (nothing is written then). */
S390AP_API int s390ap_scb_set(uint8_t *scb, const s390ap_scb_field *f, unsigned index, uint64_t v);

/* The names of the bits set in value, for the fields that have named bits
 * or codes (cpuflags, prog0c, prog20, lctl, ictl, eca, ecb, ecb2, ecb3,
 * ecd, gd, icptcode), joined by '|' in IBM bit order (bit 0 first); bits
 * without a name follow as one hexadecimal remainder ("0x..."); 0 is "0".
 * icptcode gives the code's name ("INST", "VALIDITY") or its hexadecimal
 * value.  Every other field gives value in hexadecimal.  Returns 0,
 * S390AP_EINVAL (NULL f or buf, size 0), or S390AP_ENOSPC when the text was
 * cut to fit (buf is terminated whenever size > 0). */
S390AP_API int s390ap_scb_flags_text(const s390ap_scb_field *f, uint64_t value, char *buf,
				     size_t size);

/* ------------------------------------------------------------------ */
/* Interception parameters and guest storage                           */
/* ------------------------------------------------------------------ */

/* ipa and ipb of an intercepted instruction of ilen bytes (2, 4 or 6,
 * which must be the length its first two opcode bits give): ipa is bytes 0
 * and 1, ipb bytes 2 to 5 left-aligned, zero where the instruction has no
 * byte.  Returns 0 or S390AP_EINVAL. */
S390AP_API int s390ap_scb_ipa_ipb(const uint8_t *insn, unsigned ilen, uint16_t *ipa, uint32_t *ipb);

/* The guest storage window of an MSO and MSL (low 20 bits ignored, MSL
 * names the last 1 MiB block): *origin the host address of guest absolute
 * 0, *size the bytes.  Returns 0, S390AP_ERANGE when MSO is above MSL
 * (SIE reports S390AP_VALIDITY_MSO_MSL) or the window would be 2^64 bytes,
 * S390AP_EINVAL for a NULL pointer.  Nothing is stored on an error. */
S390AP_API int s390ap_scb_window(uint64_t mso, uint64_t msl, uint64_t *origin, uint64_t *size);

/* Host address of guest absolute address gaddr.  Returns 0, S390AP_EFAULT
 * when gaddr is beyond the window, S390AP_ERANGE when MSO is above MSL,
 * S390AP_EINVAL for a NULL pointer. */
S390AP_API int s390ap_scb_guest_to_host(uint64_t mso, uint64_t msl, uint64_t gaddr,
					uint64_t *haddr);

/* The interception code of a block. */
static inline uint8_t s390ap_scb_icptcode(const uint8_t *scb)
{
	return scb[S390AP_SCB_ICPTCODE];
}

static inline uint16_t s390ap_scb_ipa(const uint8_t *scb)
{
	return (uint16_t)((unsigned)scb[S390AP_SCB_IPA] << 8 | scb[S390AP_SCB_IPA + 1]);
}

static inline uint32_t s390ap_scb_ipb(const uint8_t *scb)
{
	const uint8_t *p = scb + S390AP_SCB_IPB;

	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* Operands of the intercepted instruction, from ipb: R1 and R2 of an RRE
 * instruction, base and displacement of an S or RS instruction. */
static inline unsigned s390ap_ipb_rre_r1(uint32_t ipb)
{
	return (ipb >> 20) & 0xF;
}

static inline unsigned s390ap_ipb_rre_r2(uint32_t ipb)
{
	return (ipb >> 16) & 0xF;
}

static inline unsigned s390ap_ipb_base(uint32_t ipb)
{
	return ipb >> 28;
}

static inline unsigned s390ap_ipb_disp(uint32_t ipb)
{
	return (ipb >> 16) & 0xFFF;
}

#ifdef __cplusplus
}
#endif
#endif
