/* SPDX-License-Identifier: MIT */
/* s390ap — the crypto control block (CRYCB) a hypervisor keeps for a
 * guest, and the CRYCB designation (CRYCBD) that points the SIE block at
 * it.  The CRYCB holds the guest's AP masks (APM, AQM, ADM) and the
 * wrapping-key masks of the protected-key functions; its layout, the
 * formats and the rules below are in docs/crycb.md.
 *
 * Every function works on a caller-owned 256-byte image and touches no
 * library state.  Masks are MSB-first: id 0 is bit 0x80 of byte 0.  A
 * guest may use the queue APQN (apid, apqi) iff APM[apid] and AQM[apqi].
 */
#ifndef S390AP_CRYCB_H
#define S390AP_CRYCB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "s390ap/export.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The CRYCB as a hypervisor keeps it, whatever the format. */
#define S390AP_CRYCB_SIZE 256u

/* Byte offsets and lengths of its areas. */
#define S390AP_CRYCB_APCB0 0x00u /* AP control block 0 (formats 0 and 1) */
#define S390AP_CRYCB_APCB0_LEN 32u
#define S390AP_CRYCB_WK_DEA 0x48u /* DEA wrapping-key mask */
#define S390AP_CRYCB_WK_DEA_LEN 24u
#define S390AP_CRYCB_WK_AES 0x60u /* AES wrapping-key mask, right after the DEA one */
#define S390AP_CRYCB_WK_AES_LEN 32u
#define S390AP_CRYCB_APCB1 0x80u /* AP control block 1 (format 2) */
#define S390AP_CRYCB_APCB1_LEN 128u

/* The masks inside the two AP control blocks.  APCB0's words are 8 bytes,
 * but only the leftmost 16 bits of its AQM and ADM are defined. */
#define S390AP_CRYCB_APCB0_APM 0x00u /* 8 bytes, APIDs 0-63 */
#define S390AP_CRYCB_APCB0_AQM 0x08u /* 8 bytes, APQIs 0-15 valid */
#define S390AP_CRYCB_APCB0_ADM 0x10u /* 8 bytes, control domains 0-15 valid */
#define S390AP_CRYCB_APCB1_APM 0x80u /* 32 bytes, APIDs 0-255 */
#define S390AP_CRYCB_APCB1_AQM 0xA0u /* 32 bytes, APQIs 0-255 */
#define S390AP_CRYCB_APCB1_ADM 0xC0u /* 32 bytes, control domains 0-255 */
#define S390AP_CRYCB_MASK_LEN 32u    /* a widened mask image: 256 ids */

/* The 32-bit CRYCB designation of the SIE block.  Bit 0 is zero, the
 * origin is 8-byte aligned below 2 GiB, and the format field is made of
 * two bits: MSAX3 in effect (bit 31) and APXA for the guest (bit 30). */
#define S390AP_CRYCBD_ORIGIN_MASK 0x7FFFFFF8u
#define S390AP_CRYCBD_FORMAT_MASK 0x3u
#define S390AP_CRYCBD_APXA 0x2u
#define S390AP_CRYCBD_MSAX3 0x1u

/* Format field values.  2 (APXA without MSAX3) is invalid. */
enum s390ap_crycb_format {
	S390AP_CRYCB_FORMAT0 = 0, /* APCB0 only; block size 32 */
	S390AP_CRYCB_FORMAT1 = 1, /* APCB0 and the wrapping-key masks; size 128 */
	S390AP_CRYCB_FORMAT2 = 3, /* APCB1 and the wrapping-key masks; size 256 */
};

/* Which of the three AP masks. */
enum s390ap_crycb_mask {
	S390AP_CRYCB_APM = 0, /* adapters (APIDs) */
	S390AP_CRYCB_AQM = 1, /* usage domains (APQIs) */
	S390AP_CRYCB_ADM = 2, /* control domains */
};

/* Which wrapping-key mask. */
enum s390ap_crycb_wkm {
	S390AP_CRYCB_WKM_DEA = 0, /* 24 bytes at S390AP_CRYCB_WK_DEA */
	S390AP_CRYCB_WKM_AES = 1, /* 32 bytes at S390AP_CRYCB_WK_AES */
};

/* True for the format values 0, 1 and 3. */
S390AP_API bool s390ap_crycb_format_valid(unsigned fmt);

/* Bytes of the CRYCB a format uses from its origin: 32, 128 or 256; 0 for
 * an invalid format. */
S390AP_API size_t s390ap_crycb_format_size(unsigned fmt);

/* The format a hypervisor gives a new guest: format 0 when the guest's CPU
 * model lacks facility 76 (MSAX3), format 1 with it on a host without APXA,
 * format 2 (value 3) with it on a host with APXA. */
S390AP_API unsigned s390ap_crycb_format_select(bool msax3, bool apxa);

/* Build a CRYCBD from an origin and a format.  S390AP_EINVAL (crycbd
 * untouched) for a NULL crycbd, an invalid format, an origin not 8-byte
 * aligned, or a block (the format's size from the origin) that does not
 * end at or below 2 GiB. */
S390AP_API int s390ap_crycbd_encode(uint64_t origin, unsigned fmt, uint32_t *crycbd);

/* Split a CRYCBD into origin and format field, as found: the format may
 * be the invalid 2 (check with s390ap_crycb_format_valid).  Either output
 * may be NULL. */
S390AP_API void s390ap_crycbd_decode(uint32_t crycbd, uint32_t *origin, unsigned *fmt);

/* The highest APID, APQI and control domain a format can express:
 * 63/15/15 for formats 0 and 1, 255/255/255 for format 2.  Outputs may be
 * NULL.  S390AP_EINVAL for an invalid format. */
S390AP_API int s390ap_crycb_limits(unsigned fmt, unsigned *max_apid, unsigned *max_apqi,
				   unsigned *max_adm);

/* Store a guest's masks (32-byte MSB-first images; NULL = all zero) into
 * the CRYCB the way a hypervisor does for the format: format 2 copies all
 * 32 bytes of each into APCB1; formats 0 and 1 copy the first 8 bytes of
 * apm into APCB0's APM and the first 2 bytes of aqm and adm into APCB0's
 * AQM and ADM, leaving the other bytes of those words as they were.  Ids
 * beyond the format's limits are dropped silently.  S390AP_EINVAL for a
 * NULL crycb or an invalid format (crycb untouched). */
S390AP_API int s390ap_crycb_set_masks(uint8_t crycb[S390AP_CRYCB_SIZE], unsigned fmt,
				      const uint8_t apm[S390AP_CRYCB_MASK_LEN],
				      const uint8_t aqm[S390AP_CRYCB_MASK_LEN],
				      const uint8_t adm[S390AP_CRYCB_MASK_LEN]);

/* Zero all of APCB0 and APCB1, whatever the format; the wrapping-key masks
 * stay.  No-op for NULL. */
S390AP_API void s390ap_crycb_clear_masks(uint8_t crycb[S390AP_CRYCB_SIZE]);

/* The masks a guest of this format sees, widened to 32-byte images (ready
 * for an s390ap_view): format 2 gives APCB1's; formats 0 and 1 give APCB0's
 * APM (ids 0-63) and the leftmost 16 bits of its AQM and ADM, every other
 * bit zero.  A NULL output is skipped.  S390AP_EINVAL for a NULL crycb or
 * an invalid format (outputs untouched). */
S390AP_API int s390ap_crycb_masks(const uint8_t crycb[S390AP_CRYCB_SIZE], unsigned fmt,
				  uint8_t apm[S390AP_CRYCB_MASK_LEN],
				  uint8_t aqm[S390AP_CRYCB_MASK_LEN],
				  uint8_t adm[S390AP_CRYCB_MASK_LEN]);

/* Set (on) or clear one id of one mask in the control block the format
 * uses.  S390AP_EINVAL for a NULL crycb, an invalid format or mask;
 * S390AP_ERANGE for an id beyond the format's limit (s390ap_crycb_limits). */
S390AP_API int s390ap_crycb_set_bit(uint8_t crycb[S390AP_CRYCB_SIZE], unsigned fmt,
				    enum s390ap_crycb_mask which, unsigned id, bool on);

/* Whether one id is set in one mask of the format's control block; false
 * for a NULL crycb, an invalid format or mask, or an id beyond the limit. */
S390AP_API bool s390ap_crycb_test_bit(const uint8_t crycb[S390AP_CRYCB_SIZE], unsigned fmt,
				      enum s390ap_crycb_mask which, unsigned id);

/* A seedable source for the wrapping-key masks: splitmix64 (docs/crycb.md
 * gives the exact steps), its whole state in the caller's structure, so
 * equal seeds give equal masks and generators share nothing. */
typedef struct s390ap_wkgen {
	uint64_t state;
} s390ap_wkgen;

/* Start a generator at a seed.  No-op for NULL. */
S390AP_API void s390ap_wkgen_seed(s390ap_wkgen *g, uint64_t seed);

/* The next 64-bit output; 0 for NULL. */
S390AP_API uint64_t s390ap_wkgen_next(s390ap_wkgen *g);

/* Fill len bytes: each output stored big-endian, the last one cut to the
 * bytes still needed.  No-op for a NULL g or buf. */
S390AP_API void s390ap_wkgen_fill(s390ap_wkgen *g, void *buf, size_t len);

/* Fill one wrapping-key mask from the generator (what a hypervisor does
 * when key wrapping is enabled); no other byte changes.  No-op for a NULL
 * argument or an unknown mask. */
S390AP_API void s390ap_crycb_wk_generate(uint8_t crycb[S390AP_CRYCB_SIZE],
					 enum s390ap_crycb_wkm which, s390ap_wkgen *g);

/* Zero one wrapping-key mask (key wrapping disabled).  No-op for NULL or
 * an unknown mask. */
S390AP_API void s390ap_crycb_wk_clear(uint8_t crycb[S390AP_CRYCB_SIZE],
				      enum s390ap_crycb_wkm which);

/* The APQNs the format grants (APM x AQM), as lszcrypt names them: two hex
 * digits of APID, a dot, four of APQI, one space between ("01.0004
 * 01.0005 03.0004"), by APID then APQI; "" for none.  *count (may be NULL)
 * receives the number of APQNs, also on S390AP_ENOSPC.  The text needs
 * 8 * count bytes with its NUL (at least 1): with less, S390AP_ENOSPC and
 * buf (if size > 0) holds "".  size 0 with a NULL buf asks for the count.
 * S390AP_EINVAL for a NULL crycb, a NULL buf with size > 0, or an invalid
 * format. */
S390AP_API int s390ap_crycb_apqn_list(const uint8_t crycb[S390AP_CRYCB_SIZE], unsigned fmt,
				      char *buf, size_t size, unsigned *count);

#ifdef __cplusplus
}
#endif
#endif
