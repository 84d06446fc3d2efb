/* SPDX-License-Identifier: MIT */
/* The text formats of the matrix layer's files (docs/matrix-files.md):
 * pure parsers and printers over 32-byte MSB-first masks, no matrix state.
 * Parsers return 0 or a negative S390AP_E* code and leave their outputs
 * untouched on failure.  Printers append to an mtx_buf, which counts the
 * length even past its end (snprintf-like) so a caller learns the size a
 * text needs. */
#ifndef S390AP_MATRIX_TEXT_H
#define S390AP_MATRIX_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "s390ap/matrix.h"

#define MTX_IDS 256u
#define MTX_MASK_BYTES 32u
/* "0x" + 64 hex digits */
#define MTX_MASK_DIGITS 64u
/* ap_config writes are cut to this many characters before parsing */
#define MTX_AP_CONFIG_MAX 201u

#define MTX_FEATURES "guest_matrix hotplug ap_config\n"
#define MTX_TYPE_NAME "VFIO AP Passthrough Device\n"
#define MTX_DEVICE_API "vfio-ap\n"

typedef struct mtx_buf {
	char *p;     /* may be NULL with size 0: count only */
	size_t size; /* bytes of p, NUL included */
	size_t len;  /* length of the whole text, also past size */
} mtx_buf;

void mtx_buf_init(mtx_buf *b, char *p, size_t size);
void mtx_buf_puts(mtx_buf *b, const char *s);
void mtx_buf_printf(mtx_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* The text fitted (with its NUL). */
static inline bool mtx_buf_fits(const mtx_buf *b)
{
	return b->len < b->size;
}

/* kstrtoul(text, 0): decimal, 0x/0X hex, leading-0 octal, an optional '+',
 * one trailing newline.  EINVAL for anything else, ERANGE past ULONG_MAX. */
int mtx_parse_ulong(const char *text, unsigned long *out);

/* An AP bus mask write: absolute hex ("0x41", "x41", "41") or a relative
 * list ("+0-15,-128,+0x47") applied to cur.  out may equal cur. */
int mtx_parse_bus_mask(const char *text, const uint8_t cur[32], uint8_t out[32]);
/* One hex mask of ap_config or the absolute bus mask form: optional 0x/x
 * prefix, at most 64 digits, left-aligned; len characters of s. */
int mtx_parse_hex_mask(const char *s, size_t len, uint8_t out[32]);

/* "0x" + 64 lowercase hex digits + "\n" */
void mtx_print_mask(mtx_buf *b, const uint8_t m[32]);
/* matrix / guest_matrix: "aa.dddd" lines adapter-major, "aa." lines with no
 * domain, ".dddd" lines with no adapter, nothing for an empty matrix. */
void mtx_print_matrix(mtx_buf *b, const uint8_t apm[32], const uint8_t aqm[32]);
/* control_domains: one "dddd" line per domain */
void mtx_print_domains(mtx_buf *b, const uint8_t adm[32]);
/* ap_config read: "0x<64>,0x<64>,0x<64>\n" */
void mtx_print_ap_config(mtx_buf *b, const uint8_t apm[32], const uint8_t aqm[32],
			 const uint8_t adm[32]);
/* ap_config write: three comma-separated hex masks, one trailing newline. */
int mtx_parse_ap_config(const char *text, uint8_t apm[32], uint8_t aqm[32], uint8_t adm[32]);

/* A queue's status file: "unassigned", "assigned", "in use"; NULL for an
 * unknown value. */
const char *mtx_queue_use_word(s390ap_queue_use use);

/* 8-4-4-4-12 hex digits, any case, one trailing newline allowed; out gets
 * the lowercase form and its NUL (S390AP_UUID_LEN + 1 bytes). */
int mtx_parse_uuid(const char *text, char out[S390AP_UUID_LEN + 1]);
/* "aa.dddd" (sysfs names are lowercase): the APQN. */
int mtx_parse_apqn_name(const char *s, size_t len, uint16_t *apqn);

/* The files of the string interface. */
typedef enum mtx_file {
	MTX_F_APMASK = 1,
	MTX_F_AQMASK,
	MTX_F_QUEUE_STATUS,
	MTX_F_FEATURES,
	MTX_F_TYPE_CREATE,
	MTX_F_TYPE_AVAILABLE,
	MTX_F_TYPE_NAME,
	MTX_F_TYPE_DEVICE_API,
	MTX_F_ASSIGN_ADAPTER,
	MTX_F_UNASSIGN_ADAPTER,
	MTX_F_ASSIGN_DOMAIN,
	MTX_F_UNASSIGN_DOMAIN,
	MTX_F_ASSIGN_CONTROL_DOMAIN,
	MTX_F_UNASSIGN_CONTROL_DOMAIN,
	MTX_F_MATRIX,
	MTX_F_GUEST_MATRIX,
	MTX_F_CONTROL_DOMAINS,
	MTX_F_AP_CONFIG,
	MTX_F_REMOVE
} mtx_file;

typedef struct mtx_path {
	mtx_file file;
	uint16_t apqn;                  /* MTX_F_QUEUE_STATUS */
	char uuid[S390AP_UUID_LEN + 1]; /* per-mdev files, lowercase */
} mtx_path;

/* Which file a path names: EINVAL for NULL, ENOENT for no such file. */
int mtx_parse_path(const char *path, mtx_path *out);
/* What the file allows. */
bool mtx_file_readable(mtx_file f);
bool mtx_file_writable(mtx_file f);
/* The per-mdev file name of a writable mdev attribute (mdevctl attrs);
 * 0 when name is none. */
mtx_file mtx_mdev_attr(const char *name);

/* ---- provided by the matrix core ---- */
/* Sets the matrix's message (s390ap_matrix_errmsg) and returns err; mx not
 * NULL.  The same declaration as the core's internal header. */
__attribute__((format(printf, 3, 4))) int mx_err(const s390ap_matrix *mx, int err, const char *fmt,
						 ...);

#endif
