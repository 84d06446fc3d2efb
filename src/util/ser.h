/* SPDX-License-Identifier: MIT */
/* The saved-state container (docs/state-format.md): a header, tagged
 * sections, and an END section with a CRC-32.  Big-endian throughout.
 *
 * Writers append and remember the first failure (out of memory, too
 * large); readers never read past their bytes: a short read gives zeros
 * and marks the reader bad, so a parser checks r->bad once per section
 * instead of after every field.  The bytes are untrusted input. */
#ifndef S390AP_UTIL_SER_H
#define S390AP_UTIL_SER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SER_MAGIC "S390APST"
#define SER_MAGIC_LEN 8
#define SER_HDR_LEN 16     /* magic, u16 version, u16 kind, u32 zero */
#define SER_SEC_HDR_LEN 16 /* u32 tag, u32 zero, u64 length */

/* Image kinds (header) */
#define SER_KIND_MACHINE 1u
#define SER_KIND_SYS 2u

/* A four-character section tag, as it reads in a hex dump. */
#define SER_TAG(a, b, c, d)                                            \
	((uint32_t)(uint8_t)(a) << 24 | (uint32_t)(uint8_t)(b) << 16 | \
	 (uint32_t)(uint8_t)(c) << 8 | (uint32_t)(uint8_t)(d))
#define SER_TAG_END SER_TAG('E', 'N', 'D', ' ')

struct ser_w {
	uint8_t *buf;
	size_t len, cap;
	bool fail; /* out of memory or a length that cannot be stored */
};

/* An empty writer with the image header (version, kind) written. */
void ser_w_init(struct ser_w *w, uint16_t version, uint16_t kind);
void ser_w_free(struct ser_w *w);
void ser_put_u8(struct ser_w *w, uint8_t v);
void ser_put_u16(struct ser_w *w, uint16_t v);
void ser_put_u32(struct ser_w *w, uint32_t v);
void ser_put_u64(struct ser_w *w, uint64_t v);
void ser_put_bool(struct ser_w *w, bool v);
void ser_put_bytes(struct ser_w *w, const void *p, size_t n);
/* Room for n bytes at the end, to be filled by the caller; NULL on failure. */
uint8_t *ser_put_space(struct ser_w *w, size_t n);
/* Open a section; returns the mark ser_sec_end needs. */
size_t ser_sec_begin(struct ser_w *w, uint32_t tag);
void ser_sec_end(struct ser_w *w, size_t mark);
/* Append the END section and hand the image over (*out is malloc'd; the
 * writer is empty afterwards).  0 or S390AP_ENOMEM. */
int ser_w_finish(struct ser_w *w, void **out, size_t *len);

struct ser_r {
	const uint8_t *p;
	size_t len, off;
	bool bad; /* a read went past the end, or a value was out of range */
};

static inline void ser_r_init(struct ser_r *r, const void *p, size_t len)
{
	r->p = p;
	r->len = len;
	r->off = 0;
	r->bad = false;
}

static inline size_t ser_left(const struct ser_r *r)
{
	return r->len - r->off;
}

uint8_t ser_get_u8(struct ser_r *r);
uint16_t ser_get_u16(struct ser_r *r);
uint32_t ser_get_u32(struct ser_r *r);
uint64_t ser_get_u64(struct ser_r *r);
/* 0 or 1; anything else marks the reader bad. */
bool ser_get_bool(struct ser_r *r);
/* n bytes in place, or NULL (reader bad) if fewer are left. */
const uint8_t *ser_get_bytes(struct ser_r *r, size_t n);
/* All bytes read and none bad. */
static inline bool ser_done(const struct ser_r *r)
{
	return !r->bad && r->off == r->len;
}

enum ser_open_err {
	SER_OK = 0,
	SER_ESHORT,   /* shorter than a header and an END section */
	SER_EMAGIC,   /* not a saved state */
	SER_EKIND,    /* a state of the other kind (machine vs system) */
	SER_EVERSION, /* a format version this library does not read */
	SER_EFRAME,   /* sections do not tile the image / no END last */
	SER_ECRC      /* the CRC-32 does not match */
};

/* Check an image's header, section framing and CRC; on success *body
 * reads the sections (not the END one) and *version is the format
 * version.  versions = the highest version this reader knows. */
enum ser_open_err ser_open(const void *img, size_t len, uint16_t kind, uint16_t max_version,
			   struct ser_r *body, uint16_t *version);
/* Text for an ser_open error. */
const char *ser_open_errstr(enum ser_open_err e);

/* The next section of body: its tag and a reader over its payload.
 * false at the end of the sections. */
bool ser_sec_next(struct ser_r *body, uint32_t *tag, struct ser_r *payload);

/* CRC-32 (IEEE 802.3, reflected, as zlib and PNG compute it). */
uint32_t ser_crc32(const uint8_t *p, size_t n);

#endif
