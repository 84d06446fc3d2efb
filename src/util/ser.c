/* SPDX-License-Identifier: MIT */
/* The saved-state container: see ser.h and docs/state-format.md. */
#include "util/ser.h"

#include <stdlib.h>
#include <string.h>

#include "s390ap/error.h"
#include "util/be.h"

static bool ser_grow(struct ser_w *w, size_t n)
{
	size_t cap;
	uint8_t *nb;

	if (w->fail)
		return false;
	if (n <= w->cap - w->len)
		return true;
	if (n > SIZE_MAX / 2 - w->len) {
		w->fail = true;
		return false;
	}
	cap = w->cap ? w->cap : 256;
	while (cap - w->len < n)
		cap *= 2;
	nb = realloc(w->buf, cap);
	if (!nb) {
		w->fail = true;
		return false;
	}
	w->buf = nb;
	w->cap = cap;
	return true;
}

uint8_t *ser_put_space(struct ser_w *w, size_t n)
{
	uint8_t *p;

	if (!ser_grow(w, n))
		return NULL;
	p = w->buf + w->len;
	w->len += n;
	return p;
}

void ser_put_bytes(struct ser_w *w, const void *p, size_t n)
{
	uint8_t *d = ser_put_space(w, n);

	if (d && n)
		memcpy(d, p, n);
}

void ser_put_u8(struct ser_w *w, uint8_t v)
{
	uint8_t *d = ser_put_space(w, 1);

	if (d)
		*d = v;
}

void ser_put_u16(struct ser_w *w, uint16_t v)
{
	uint8_t *d = ser_put_space(w, 2);

	if (d)
		be_put16(d, v);
}

void ser_put_u32(struct ser_w *w, uint32_t v)
{
	uint8_t *d = ser_put_space(w, 4);

	if (d)
		be_put32(d, v);
}

void ser_put_u64(struct ser_w *w, uint64_t v)
{
	uint8_t *d = ser_put_space(w, 8);

	if (d)
		be_put64(d, v);
}

void ser_put_bool(struct ser_w *w, bool v)
{
	ser_put_u8(w, v ? 1 : 0);
}

void ser_w_init(struct ser_w *w, uint16_t version, uint16_t kind)
{
	w->buf = NULL;
	w->len = w->cap = 0;
	w->fail = false;
	ser_put_bytes(w, SER_MAGIC, SER_MAGIC_LEN);
	ser_put_u16(w, version);
	ser_put_u16(w, kind);
	ser_put_u32(w, 0);
}

void ser_w_free(struct ser_w *w)
{
	free(w->buf);
	w->buf = NULL;
	w->len = w->cap = 0;
}

size_t ser_sec_begin(struct ser_w *w, uint32_t tag)
{
	size_t mark = w->len;

	ser_put_u32(w, tag);
	ser_put_u32(w, 0);
	ser_put_u64(w, 0); /* the length, once known */
	return mark;
}

void ser_sec_end(struct ser_w *w, size_t mark)
{
	if (w->fail)
		return;
	be_put64(w->buf + mark + 8, (uint64_t)(w->len - mark - SER_SEC_HDR_LEN));
}

int ser_w_finish(struct ser_w *w, void **out, size_t *len)
{
	size_t mark = ser_sec_begin(w, SER_TAG_END);

	if (!w->fail)
		ser_put_u32(w, ser_crc32(w->buf, mark));
	ser_sec_end(w, mark);
	if (w->fail) {
		ser_w_free(w);
		return S390AP_ENOMEM;
	}
	*out = w->buf;
	*len = w->len;
	w->buf = NULL;
	w->len = w->cap = 0;
	return 0;
}

const uint8_t *ser_get_bytes(struct ser_r *r, size_t n)
{
	const uint8_t *p;

	if (r->bad || n > r->len - r->off) {
		r->bad = true;
		return NULL;
	}
	p = r->p + r->off;
	r->off += n;
	return p;
}

uint8_t ser_get_u8(struct ser_r *r)
{
	const uint8_t *p = ser_get_bytes(r, 1);

	return p ? *p : 0;
}

uint16_t ser_get_u16(struct ser_r *r)
{
	const uint8_t *p = ser_get_bytes(r, 2);

	return p ? be_get16(p) : 0;
}

uint32_t ser_get_u32(struct ser_r *r)
{
	const uint8_t *p = ser_get_bytes(r, 4);

	return p ? be_get32(p) : 0;
}

uint64_t ser_get_u64(struct ser_r *r)
{
	const uint8_t *p = ser_get_bytes(r, 8);

	return p ? be_get64(p) : 0;
}

bool ser_get_bool(struct ser_r *r)
{
	uint8_t v = ser_get_u8(r);

	if (v > 1)
		r->bad = true;
	return v == 1;
}

uint32_t ser_crc32(const uint8_t *p, size_t n)
{
	uint32_t table[256];
	uint32_t crc = 0xffffffffu;

	/* A table per call: no global state, and 2 KiB of work is nothing
	 * next to hashing a saved storage. */
	for (uint32_t i = 0; i < 256; i++) {
		uint32_t c = i;

		for (int k = 0; k < 8; k++)
			c = (c & 1) ? 0xedb88320u ^ (c >> 1) : c >> 1;
		table[i] = c;
	}
	for (size_t i = 0; i < n; i++)
		crc = table[(crc ^ p[i]) & 0xff] ^ (crc >> 8);
	return crc ^ 0xffffffffu;
}

bool ser_sec_next(struct ser_r *body, uint32_t *tag, struct ser_r *payload)
{
	uint64_t n;
	const uint8_t *p;

	if (body->bad || ser_left(body) == 0)
		return false;
	*tag = ser_get_u32(body);
	if (ser_get_u32(body) != 0)
		body->bad = true;
	n = ser_get_u64(body);
	if (body->bad || n > ser_left(body)) {
		body->bad = true;
		return false;
	}
	p = ser_get_bytes(body, (size_t)n);
	ser_r_init(payload, p, (size_t)n);
	return true;
}

enum ser_open_err ser_open(const void *img, size_t len, uint16_t kind, uint16_t max_version,
			   struct ser_r *body, uint16_t *version)
{
	const uint8_t *b = img;
	struct ser_r r;
	size_t end_at = 0;
	uint32_t tag;
	struct ser_r pl;
	uint16_t ver, k;

	if (!img || len < SER_HDR_LEN + SER_SEC_HDR_LEN + 4)
		return SER_ESHORT;
	if (memcmp(b, SER_MAGIC, SER_MAGIC_LEN) != 0)
		return SER_EMAGIC;
	ver = be_get16(b + 8);
	k = be_get16(b + 10);
	if (k != kind)
		return SER_EKIND;
	if (ver == 0 || ver > max_version)
		return SER_EVERSION;
	if (be_get32(b + 12) != 0)
		return SER_EFRAME;
	/* The sections must tile the rest exactly, END last. */
	ser_r_init(&r, b + SER_HDR_LEN, len - SER_HDR_LEN);
	for (;;) {
		size_t at = SER_HDR_LEN + r.off;

		if (!ser_sec_next(&r, &tag, &pl))
			return SER_EFRAME;
		if (tag == SER_TAG_END) {
			if (pl.len != 4 || ser_left(&r) != 0)
				return SER_EFRAME;
			end_at = at;
			break;
		}
	}
	if (ser_crc32(b, end_at) != be_get32(pl.p))
		return SER_ECRC;
	ser_r_init(body, b + SER_HDR_LEN, end_at - SER_HDR_LEN);
	*version = ver;
	return SER_OK;
}

const char *ser_open_errstr(enum ser_open_err e)
{
	switch (e) {
	case SER_OK:
		return "ok";
	case SER_ESHORT:
		return "too short to be a saved state";
	case SER_EMAGIC:
		return "not a saved state (bad magic)";
	case SER_EKIND:
		return "a saved state of the other kind (machine / system)";
	case SER_EVERSION:
		return "a format version this library cannot read";
	case SER_EFRAME:
		return "sections do not fit the image (truncated or corrupt)";
	case SER_ECRC:
		return "CRC-32 mismatch (corrupt)";
	}
	return "?";
}
