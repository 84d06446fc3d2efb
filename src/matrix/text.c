/* SPDX-License-Identifier: MIT */
/* Text formats of the matrix layer's files: parsers and printers without
 * matrix state (text.h). */
#include "matrix/text.h"

#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "s390ap/error.h"
#include "util/mask.h"

void mtx_buf_init(mtx_buf *b, char *p, size_t size)
{
	b->p = p;
	b->size = p ? size : 0;
	b->len = 0;
	if (b->size)
		p[0] = '\0';
}

static void buf_put(mtx_buf *b, const char *s, size_t n)
{
	if (b->len < b->size) {
		size_t room = b->size - 1 - b->len;
		size_t k = n < room ? n : room;
		memcpy(b->p + b->len, s, k);
		b->p[b->len + k] = '\0';
	}
	b->len += n;
}

void mtx_buf_puts(mtx_buf *b, const char *s)
{
	buf_put(b, s, strlen(s));
}

void mtx_buf_printf(mtx_buf *b, const char *fmt, ...)
{
	char tmp[128];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(tmp, sizeof(tmp), fmt, ap);
	va_end(ap);
	/* the printers' pieces are short; a longer one is cut */
	if (n < 0)
		return;
	buf_put(b, tmp, (size_t)n < sizeof(tmp) ? (size_t)n : sizeof(tmp) - 1);
}

static int hex_val(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static int digit_val(char c, unsigned base)
{
	int v = hex_val(c);
	return v >= 0 && (unsigned)v < base ? v : -1;
}

/* The base of a number with prefix as the kernel's base-0 conversions
 * decide it: "0x" followed by a hex digit is hex, another leading 0 octal.
 * *s is moved past a hex prefix. */
static unsigned radix(const char **s)
{
	const char *p = *s;
	if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X') && hex_val(p[2]) >= 0) {
		*s = p + 2;
		return 16;
	}
	return p[0] == '0' ? 8 : 10;
}

/* Digits of one number; *end past them.  false without a digit; *over on
 * overflow (the digits are consumed all the same). */
static bool scan_ulong(const char *s, const char **end, unsigned long *out, bool *over)
{
	unsigned base = radix(&s);
	unsigned long v = 0;
	const char *p = s;
	int d;
	*over = false;
	while ((d = digit_val(*p, base)) >= 0) {
		if (v > (ULONG_MAX - (unsigned long)d) / base)
			*over = true;
		else
			v = v * base + (unsigned long)d;
		p++;
	}
	*end = p;
	*out = v;
	return p != s;
}

int mtx_parse_ulong(const char *text, unsigned long *out)
{
	if (!text || !out)
		return S390AP_EINVAL;
	const char *s = text;
	if (*s == '+')
		s++;
	const char *end;
	unsigned long v;
	bool over;
	if (!scan_ulong(s, &end, &v, &over))
		return S390AP_EINVAL;
	if (*end == '\n')
		end++;
	if (*end != '\0')
		return S390AP_EINVAL;
	if (over)
		return S390AP_ERANGE;
	*out = v;
	return 0;
}

int mtx_parse_hex_mask(const char *s, size_t len, uint8_t out[32])
{
	uint8_t m[MTX_MASK_BYTES] = { 0 };
	size_t i = 0;
	if (len >= 2 && s[0] == '0' && s[1] == 'x')
		i = 2;
	else if (len >= 1 && s[0] == 'x')
		i = 1;
	for (unsigned n = 0; i < len; i++, n++) {
		int v = hex_val(s[i]);
		if (v < 0 || n >= MTX_MASK_DIGITS)
			return S390AP_EINVAL;
		m[n / 2] |= (uint8_t)(n % 2 ? v : v << 4);
	}
	memcpy(out, m, sizeof(m));
	return 0;
}

/* "+a", "-a", "+a-z" terms separated by commas (newlines skipped). */
static int parse_relative(const char *s, uint8_t m[32])
{
	while (*s) {
		char sign = *s++;
		if (sign != '+' && sign != '-')
			return S390AP_EINVAL;
		unsigned long a, z;
		bool over;
		const char *end;
		if (!scan_ulong(s, &end, &a, &over) || over || a >= MTX_IDS)
			return S390AP_EINVAL;
		s = end;
		z = a;
		if (*s == '-') {
			s++;
			if (!scan_ulong(s, &end, &z, &over) || over || z >= MTX_IDS || a > z)
				return S390AP_EINVAL;
			s = end;
		}
		for (unsigned long id = a; id <= z; id++) {
			if (sign == '+')
				mask_set(m, (unsigned)id);
			else
				mask_clear(m, (unsigned)id);
		}
		while (*s == ',' || *s == '\n')
			s++;
	}
	return 0;
}

int mtx_parse_bus_mask(const char *text, const uint8_t cur[32], uint8_t out[32])
{
	if (!text || !out)
		return S390AP_EINVAL;
	uint8_t m[MTX_MASK_BYTES];
	int rc;
	if (text[0] == '+' || text[0] == '-') {
		if (!cur)
			return S390AP_EINVAL;
		memcpy(m, cur, sizeof(m));
		rc = parse_relative(text, m);
	} else {
		size_t len = strlen(text);
		if (len && text[len - 1] == '\n')
			len--;
		rc = mtx_parse_hex_mask(text, len, m);
	}
	if (rc == 0)
		memcpy(out, m, sizeof(m));
	return rc;
}

static void print_hex64(mtx_buf *b, const uint8_t m[32])
{
	static const char digits[] = "0123456789abcdef";
	char t[MTX_MASK_DIGITS + 1];
	for (unsigned i = 0; i < MTX_MASK_BYTES; i++) {
		t[2 * i] = digits[m[i] >> 4];
		t[2 * i + 1] = digits[m[i] & 15];
	}
	t[MTX_MASK_DIGITS] = '\0';
	mtx_buf_puts(b, "0x");
	mtx_buf_puts(b, t);
}

void mtx_print_mask(mtx_buf *b, const uint8_t m[32])
{
	print_hex64(b, m);
	mtx_buf_puts(b, "\n");
}

static bool mask_empty(const uint8_t m[32])
{
	for (unsigned i = 0; i < MTX_MASK_BYTES; i++)
		if (m[i])
			return false;
	return true;
}

void mtx_print_matrix(mtx_buf *b, const uint8_t apm[32], const uint8_t aqm[32])
{
	bool no_dom = mask_empty(aqm);
	if (mask_empty(apm)) {
		for (unsigned q = 0; q < MTX_IDS; q++)
			if (mask_test(aqm, q))
				mtx_buf_printf(b, ".%04x\n", q);
		return;
	}
	for (unsigned a = 0; a < MTX_IDS; a++) {
		if (!mask_test(apm, a))
			continue;
		if (no_dom) {
			mtx_buf_printf(b, "%02x.\n", a);
			continue;
		}
		for (unsigned q = 0; q < MTX_IDS; q++)
			if (mask_test(aqm, q))
				mtx_buf_printf(b, "%02x.%04x\n", a, q);
	}
}

void mtx_print_domains(mtx_buf *b, const uint8_t adm[32])
{
	for (unsigned d = 0; d < MTX_IDS; d++)
		if (mask_test(adm, d))
			mtx_buf_printf(b, "%04x\n", d);
}

void mtx_print_ap_config(mtx_buf *b, const uint8_t apm[32], const uint8_t aqm[32],
			 const uint8_t adm[32])
{
	print_hex64(b, apm);
	mtx_buf_puts(b, ",");
	print_hex64(b, aqm);
	mtx_buf_puts(b, ",");
	print_hex64(b, adm);
	mtx_buf_puts(b, "\n");
}

int mtx_parse_ap_config(const char *text, uint8_t apm[32], uint8_t aqm[32], uint8_t adm[32])
{
	if (!text || !apm || !aqm || !adm)
		return S390AP_EINVAL;
	size_t len = 0;
	while (len < MTX_AP_CONFIG_MAX && text[len])
		len++;
	if (len && text[len - 1] == '\n')
		len--;
	uint8_t m[3][MTX_MASK_BYTES];
	size_t start = 0;
	for (unsigned k = 0; k < 3; k++) {
		size_t end = start;
		while (end < len && text[end] != ',')
			end++;
		/* the last mask ends the text; the others end at a comma */
		if (k < 2 ? end == len : end != len)
			return S390AP_EINVAL;
		int rc = mtx_parse_hex_mask(text + start, end - start, m[k]);
		if (rc)
			return rc;
		start = end + 1;
	}
	memcpy(apm, m[0], MTX_MASK_BYTES);
	memcpy(aqm, m[1], MTX_MASK_BYTES);
	memcpy(adm, m[2], MTX_MASK_BYTES);
	return 0;
}

const char *mtx_queue_use_word(s390ap_queue_use use)
{
	switch (use) {
	case S390AP_QUEUE_UNASSIGNED:
		return "unassigned";
	case S390AP_QUEUE_ASSIGNED:
		return "assigned";
	case S390AP_QUEUE_IN_USE:
		return "in use";
	}
	return NULL;
}

int mtx_parse_uuid(const char *text, char out[S390AP_UUID_LEN + 1])
{
	if (!text || !out)
		return S390AP_EINVAL;
	char u[S390AP_UUID_LEN + 1];
	for (unsigned i = 0; i < S390AP_UUID_LEN; i++) {
		char c = text[i];
		if (i == 8 || i == 13 || i == 18 || i == 23) {
			if (c != '-')
				return S390AP_EINVAL;
			u[i] = c;
			continue;
		}
		int v = hex_val(c);
		if (v < 0)
			return S390AP_EINVAL;
		u[i] = "0123456789abcdef"[v];
	}
	const char *rest = text + S390AP_UUID_LEN;
	if (*rest == '\n')
		rest++;
	if (*rest)
		return S390AP_EINVAL;
	u[S390AP_UUID_LEN] = '\0';
	memcpy(out, u, sizeof(u));
	return 0;
}

static int lower_hex(char c)
{
	return c >= 'A' && c <= 'F' ? -1 : hex_val(c);
}

int mtx_parse_apqn_name(const char *s, size_t len, uint16_t *apqn)
{
	if (!s || !apqn || len != 7 || s[2] != '.')
		return S390AP_ENOENT;
	unsigned v[6];
	static const unsigned pos[6] = { 0, 1, 3, 4, 5, 6 };
	for (unsigned i = 0; i < 6; i++) {
		int d = lower_hex(s[pos[i]]);
		if (d < 0)
			return S390AP_ENOENT;
		v[i] = (unsigned)d;
	}
	/* domains go to 255: the two high digits of yyyy are zero */
	if (v[2] || v[3])
		return S390AP_ENOENT;
	*apqn = (uint16_t)((v[0] << 12) | (v[1] << 8) | (v[4] << 4) | v[5]);
	return 0;
}

struct named_file {
	const char *name;
	mtx_file file;
};

static const struct named_file mdev_files[] = {
	{ "assign_adapter", MTX_F_ASSIGN_ADAPTER },
	{ "unassign_adapter", MTX_F_UNASSIGN_ADAPTER },
	{ "assign_domain", MTX_F_ASSIGN_DOMAIN },
	{ "unassign_domain", MTX_F_UNASSIGN_DOMAIN },
	{ "assign_control_domain", MTX_F_ASSIGN_CONTROL_DOMAIN },
	{ "unassign_control_domain", MTX_F_UNASSIGN_CONTROL_DOMAIN },
	{ "matrix", MTX_F_MATRIX },
	{ "guest_matrix", MTX_F_GUEST_MATRIX },
	{ "control_domains", MTX_F_CONTROL_DOMAINS },
	{ "ap_config", MTX_F_AP_CONFIG },
	{ "remove", MTX_F_REMOVE },
};

static const struct named_file type_files[] = {
	{ "create", MTX_F_TYPE_CREATE },
	{ "available_instances", MTX_F_TYPE_AVAILABLE },
	{ "name", MTX_F_TYPE_NAME },
	{ "device_api", MTX_F_TYPE_DEVICE_API },
};

static mtx_file lookup(const struct named_file *t, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(t[i].name, name))
			return t[i].file;
	return 0;
}

#define PFX_BUS "bus/ap/"
#define PFX_QUEUES "bus/ap/devices/"
#define PFX_MATRIX "devices/vfio_ap/matrix/"
#define PFX_TYPE "mdev_supported_types/" S390AP_MDEV_TYPE "/"

static bool skip(const char **s, const char *prefix)
{
	size_t n = strlen(prefix);
	if (strncmp(*s, prefix, n))
		return false;
	*s += n;
	return true;
}

int mtx_parse_path(const char *path, mtx_path *out)
{
	if (!path || !out)
		return S390AP_EINVAL;
	mtx_path r;
	memset(&r, 0, sizeof(r));
	const char *s = path;
	if (skip(&s, PFX_QUEUES)) {
		const char *slash = strchr(s, '/');
		if (!slash || strcmp(slash, "/status") ||
		    mtx_parse_apqn_name(s, (size_t)(slash - s), &r.apqn))
			return S390AP_ENOENT;
		r.file = MTX_F_QUEUE_STATUS;
	} else if (skip(&s, PFX_BUS)) {
		if (!strcmp(s, "apmask"))
			r.file = MTX_F_APMASK;
		else if (!strcmp(s, "aqmask"))
			r.file = MTX_F_AQMASK;
		else
			return S390AP_ENOENT;
	} else if (skip(&s, PFX_MATRIX)) {
		if (!strcmp(s, "features")) {
			r.file = MTX_F_FEATURES;
		} else if (skip(&s, PFX_TYPE)) {
			r.file = lookup(type_files, sizeof(type_files) / sizeof(type_files[0]), s);
		} else {
			/* UUID/file: the directory names are lowercase */
			if (strlen(s) <= S390AP_UUID_LEN || s[S390AP_UUID_LEN] != '/')
				return S390AP_ENOENT;
			char u[S390AP_UUID_LEN + 1];
			memcpy(u, s, S390AP_UUID_LEN);
			u[S390AP_UUID_LEN] = '\0';
			if (mtx_parse_uuid(u, r.uuid) || strcmp(u, r.uuid))
				return S390AP_ENOENT;
			r.file = mtx_mdev_attr(s + S390AP_UUID_LEN + 1);
		}
	}
	if (!r.file)
		return S390AP_ENOENT;
	*out = r;
	return 0;
}

mtx_file mtx_mdev_attr(const char *name)
{
	if (!name)
		return 0;
	return lookup(mdev_files, sizeof(mdev_files) / sizeof(mdev_files[0]), name);
}

bool mtx_file_readable(mtx_file f)
{
	switch (f) {
	case MTX_F_APMASK:
	case MTX_F_AQMASK:
	case MTX_F_QUEUE_STATUS:
	case MTX_F_FEATURES:
	case MTX_F_TYPE_AVAILABLE:
	case MTX_F_TYPE_NAME:
	case MTX_F_TYPE_DEVICE_API:
	case MTX_F_MATRIX:
	case MTX_F_GUEST_MATRIX:
	case MTX_F_CONTROL_DOMAINS:
	case MTX_F_AP_CONFIG:
		return true;
	default:
		return false;
	}
}

bool mtx_file_writable(mtx_file f)
{
	switch (f) {
	case MTX_F_APMASK:
	case MTX_F_AQMASK:
	case MTX_F_TYPE_CREATE:
	case MTX_F_ASSIGN_ADAPTER:
	case MTX_F_UNASSIGN_ADAPTER:
	case MTX_F_ASSIGN_DOMAIN:
	case MTX_F_UNASSIGN_DOMAIN:
	case MTX_F_ASSIGN_CONTROL_DOMAIN:
	case MTX_F_UNASSIGN_CONTROL_DOMAIN:
	case MTX_F_AP_CONFIG:
	case MTX_F_REMOVE:
		return true;
	default:
		return false;
	}
}
