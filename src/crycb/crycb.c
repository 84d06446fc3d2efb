/* SPDX-License-Identifier: MIT */
/* The crypto control block: formats, the designation, the AP masks in
 * APCB0 / APCB1, the wrapping-key masks and their seedable generator
 * (docs/crycb.md).  Pure functions on caller-owned images. */
#include <stdio.h>
#include <string.h>

#include "s390ap/crycb.h"
#include "s390ap/error.h"
#include "util/be.h"
#include "util/mask.h"

#define CRYCBD_LIMIT 0x80000000u /* the block lies below 2 GiB */

/* Where one mask of one format lives, and how many bytes of the guest's
 * 32-byte image a hypervisor copies into it. */
struct mask_place {
	unsigned off;
	unsigned copy;
	unsigned max_id;
};

static const struct mask_place apcb0_places[3] = {
	[S390AP_CRYCB_APM] = { S390AP_CRYCB_APCB0_APM, 8, 63 },
	[S390AP_CRYCB_AQM] = { S390AP_CRYCB_APCB0_AQM, 2, 15 },
	[S390AP_CRYCB_ADM] = { S390AP_CRYCB_APCB0_ADM, 2, 15 },
};

static const struct mask_place apcb1_places[3] = {
	[S390AP_CRYCB_APM] = { S390AP_CRYCB_APCB1_APM, 32, 255 },
	[S390AP_CRYCB_AQM] = { S390AP_CRYCB_APCB1_AQM, 32, 255 },
	[S390AP_CRYCB_ADM] = { S390AP_CRYCB_APCB1_ADM, 32, 255 },
};

/* The three places of a valid format, NULL for an invalid one. */
static const struct mask_place *places(unsigned fmt)
{
	switch (fmt) {
	case S390AP_CRYCB_FORMAT0:
	case S390AP_CRYCB_FORMAT1:
		return apcb0_places;
	case S390AP_CRYCB_FORMAT2:
		return apcb1_places;
	}
	return NULL;
}

bool s390ap_crycb_format_valid(unsigned fmt)
{
	return places(fmt) != NULL;
}

size_t s390ap_crycb_format_size(unsigned fmt)
{
	switch (fmt) {
	case S390AP_CRYCB_FORMAT0:
		return S390AP_CRYCB_APCB0_LEN;
	case S390AP_CRYCB_FORMAT1:
		return S390AP_CRYCB_WK_AES + S390AP_CRYCB_WK_AES_LEN; /* APCB0 to the AES mask's end
								       */
	case S390AP_CRYCB_FORMAT2:
		return S390AP_CRYCB_SIZE;
	}
	return 0;
}

unsigned s390ap_crycb_format_select(bool msax3, bool apxa)
{
	if (!msax3)
		return S390AP_CRYCB_FORMAT0;
	return apxa ? S390AP_CRYCB_FORMAT2 : S390AP_CRYCB_FORMAT1;
}

int s390ap_crycbd_encode(uint64_t origin, unsigned fmt, uint32_t *crycbd)
{
	size_t size = s390ap_crycb_format_size(fmt);

	if (!crycbd || size == 0)
		return S390AP_EINVAL;
	if (origin & 7u || origin >= CRYCBD_LIMIT || size > CRYCBD_LIMIT - origin)
		return S390AP_EINVAL;
	*crycbd = (uint32_t)origin | fmt;
	return 0;
}

void s390ap_crycbd_decode(uint32_t crycbd, uint32_t *origin, unsigned *fmt)
{
	if (origin)
		*origin = crycbd & S390AP_CRYCBD_ORIGIN_MASK;
	if (fmt)
		*fmt = crycbd & S390AP_CRYCBD_FORMAT_MASK;
}

int s390ap_crycb_limits(unsigned fmt, unsigned *max_apid, unsigned *max_apqi, unsigned *max_adm)
{
	const struct mask_place *p = places(fmt);

	if (!p)
		return S390AP_EINVAL;
	if (max_apid)
		*max_apid = p[S390AP_CRYCB_APM].max_id;
	if (max_apqi)
		*max_apqi = p[S390AP_CRYCB_AQM].max_id;
	if (max_adm)
		*max_adm = p[S390AP_CRYCB_ADM].max_id;
	return 0;
}

int s390ap_crycb_set_masks(uint8_t crycb[S390AP_CRYCB_SIZE], unsigned fmt,
			   const uint8_t apm[S390AP_CRYCB_MASK_LEN],
			   const uint8_t aqm[S390AP_CRYCB_MASK_LEN],
			   const uint8_t adm[S390AP_CRYCB_MASK_LEN])
{
	const struct mask_place *p = places(fmt);
	const uint8_t *src[3] = { apm, aqm, adm };

	if (!crycb || !p)
		return S390AP_EINVAL;
	for (unsigned i = 0; i < 3; i++) {
		if (src[i])
			memcpy(crycb + p[i].off, src[i], p[i].copy);
		else
			memset(crycb + p[i].off, 0, p[i].copy);
	}
	return 0;
}

void s390ap_crycb_clear_masks(uint8_t crycb[S390AP_CRYCB_SIZE])
{
	if (!crycb)
		return;
	memset(crycb + S390AP_CRYCB_APCB0, 0, S390AP_CRYCB_APCB0_LEN);
	memset(crycb + S390AP_CRYCB_APCB1, 0, S390AP_CRYCB_APCB1_LEN);
}

int s390ap_crycb_masks(const uint8_t crycb[S390AP_CRYCB_SIZE], unsigned fmt,
		       uint8_t apm[S390AP_CRYCB_MASK_LEN], uint8_t aqm[S390AP_CRYCB_MASK_LEN],
		       uint8_t adm[S390AP_CRYCB_MASK_LEN])
{
	const struct mask_place *p = places(fmt);
	uint8_t *dst[3] = { apm, aqm, adm };

	if (!crycb || !p)
		return S390AP_EINVAL;
	for (unsigned i = 0; i < 3; i++) {
		if (!dst[i])
			continue;
		memset(dst[i], 0, S390AP_CRYCB_MASK_LEN);
		memcpy(dst[i], crycb + p[i].off, p[i].copy);
	}
	return 0;
}

int s390ap_crycb_set_bit(uint8_t crycb[S390AP_CRYCB_SIZE], unsigned fmt,
			 enum s390ap_crycb_mask which, unsigned id, bool on)
{
	const struct mask_place *p = places(fmt);

	if (!crycb || !p || (unsigned)which > S390AP_CRYCB_ADM)
		return S390AP_EINVAL;
	if (id > p[which].max_id)
		return S390AP_ERANGE;
	if (on)
		mask_set(crycb + p[which].off, id);
	else
		mask_clear(crycb + p[which].off, id);
	return 0;
}

bool s390ap_crycb_test_bit(const uint8_t crycb[S390AP_CRYCB_SIZE], unsigned fmt,
			   enum s390ap_crycb_mask which, unsigned id)
{
	const struct mask_place *p = places(fmt);

	if (!crycb || !p || (unsigned)which > S390AP_CRYCB_ADM || id > p[which].max_id)
		return false;
	return mask_test(crycb + p[which].off, id);
}

/* splitmix64: a Weyl sequence through a 64-bit mixer; every seed is a
 * good one, and the state is one word the caller owns. */
void s390ap_wkgen_seed(s390ap_wkgen *g, uint64_t seed)
{
	if (g)
		g->state = seed;
}

uint64_t s390ap_wkgen_next(s390ap_wkgen *g)
{
	uint64_t z;

	if (!g)
		return 0;
	g->state += 0x9E3779B97F4A7C15u;
	z = g->state;
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9u;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBu;
	return z ^ (z >> 31);
}

void s390ap_wkgen_fill(s390ap_wkgen *g, void *buf, size_t len)
{
	uint8_t *p = buf;

	if (!g || !buf)
		return;
	while (len >= 8) {
		be_put64(p, s390ap_wkgen_next(g));
		p += 8;
		len -= 8;
	}
	if (len) {
		uint8_t last[8];

		be_put64(last, s390ap_wkgen_next(g));
		memcpy(p, last, len);
	}
}

/* Offset and length of a wrapping-key mask; false for an unknown one. */
static bool wk_area(enum s390ap_crycb_wkm which, unsigned *off, unsigned *len)
{
	switch (which) {
	case S390AP_CRYCB_WKM_DEA:
		*off = S390AP_CRYCB_WK_DEA;
		*len = S390AP_CRYCB_WK_DEA_LEN;
		return true;
	case S390AP_CRYCB_WKM_AES:
		*off = S390AP_CRYCB_WK_AES;
		*len = S390AP_CRYCB_WK_AES_LEN;
		return true;
	}
	return false;
}

void s390ap_crycb_wk_generate(uint8_t crycb[S390AP_CRYCB_SIZE], enum s390ap_crycb_wkm which,
			      s390ap_wkgen *g)
{
	unsigned off, len;

	if (!crycb || !g || !wk_area(which, &off, &len))
		return;
	s390ap_wkgen_fill(g, crycb + off, len);
}

void s390ap_crycb_wk_clear(uint8_t crycb[S390AP_CRYCB_SIZE], enum s390ap_crycb_wkm which)
{
	unsigned off, len;

	if (!crycb || !wk_area(which, &off, &len))
		return;
	memset(crycb + off, 0, len);
}

int s390ap_crycb_apqn_list(const uint8_t crycb[S390AP_CRYCB_SIZE], unsigned fmt, char *buf,
			   size_t size, unsigned *count)
{
	const struct mask_place *p = places(fmt);
	const uint8_t *apm, *aqm;
	unsigned n, napid = 0, napqi = 0, max_apid, max_apqi;
	size_t need, pos = 0;

	if (!crycb || !p || (!buf && size))
		return S390AP_EINVAL;
	apm = crycb + p[S390AP_CRYCB_APM].off;
	aqm = crycb + p[S390AP_CRYCB_AQM].off;
	max_apid = p[S390AP_CRYCB_APM].max_id;
	max_apqi = p[S390AP_CRYCB_AQM].max_id;

	/* Count first, so a short buffer is refused before anything is written. */
	for (unsigned id = 0; id <= max_apid; id++)
		napid += mask_test(apm, id);
	for (unsigned id = 0; id <= max_apqi; id++)
		napqi += mask_test(aqm, id);
	n = napid * napqi;
	if (count)
		*count = n;
	need = n ? 8u * (size_t)n : 1u;
	if (size < need) {
		if (size)
			buf[0] = '\0';
		return S390AP_ENOSPC;
	}

	for (unsigned apid = 0; apid <= max_apid; apid++) {
		if (!mask_test(apm, apid))
			continue;
		for (unsigned apqi = 0; apqi <= max_apqi; apqi++) {
			if (!mask_test(aqm, apqi))
				continue;
			/* 7 characters and a separator or the NUL: fits by the count above */
			snprintf(buf + pos, size - pos, "%s%02x.%04x", pos ? " " : "", apid, apqi);
			pos += pos ? 8 : 7;
		}
	}
	buf[pos] = '\0';
	return 0;
}
