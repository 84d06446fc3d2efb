/* SPDX-License-Identifier: MIT */
/* The JSON writer (see json.h) on jansson. */
#include <inttypes.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"

void apsim_json_init(apsim_json *j, FILE *out)
{
	*j = (apsim_json){ .out = out };
}

/* Adds v (a new reference, may be NULL after a failed allocation) where the
 * writer stands: the root, the member of the pending key, or the next array
 * element.  false when it could not. */
static bool put(apsim_json *j, json_t *v)
{
	bool ok = v != NULL;
	if (j->depth == 0) {
		if (j->root)
			ok = false;
		else if (ok)
			j->root = json_incref(v);
	} else if (json_is_object(j->open[j->depth - 1])) {
		ok = ok && j->key &&
		     !json_object_set(j->open[j->depth - 1], json_string_value(j->key), v);
		json_decref(j->key);
		j->key = NULL;
	} else {
		ok = ok && !json_array_append(j->open[j->depth - 1], v);
	}
	json_decref(v);
	if (!ok)
		j->broken = true;
	return ok;
}

static void container_open(apsim_json *j, json_t *c)
{
	if (j->depth >= APSIM_JSON_MAX_DEPTH) {
		json_decref(c);
		j->broken = true;
		return;
	}
	/* the parent holds the reference; open[] borrows it */
	if (put(j, c))
		j->open[j->depth++] = c;
}

static void container_close(apsim_json *j, bool object)
{
	if (j->depth == 0 || j->key || json_is_object(j->open[j->depth - 1]) != object) {
		j->broken = true;
		return;
	}
	j->depth--;
}

void apsim_json_object_begin(apsim_json *j)
{
	container_open(j, json_object());
}

void apsim_json_object_end(apsim_json *j)
{
	container_close(j, true);
}

void apsim_json_array_begin(apsim_json *j)
{
	container_open(j, json_array());
}

void apsim_json_array_end(apsim_json *j)
{
	container_close(j, false);
}

/* Length of the valid UTF-8 sequence at s (1..4), or 0 if it is not one. */
static size_t utf8_len(const unsigned char *s, size_t avail)
{
	size_t n;
	uint32_t cp;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		n = 2, cp = s[0] & 0x1fu;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		n = 3, cp = s[0] & 0x0fu;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		n = 4, cp = s[0] & 0x07u;
	else
		return 0;
	if (n > avail)
		return 0;
	for (size_t i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3fu);
	}
	/* No overlong forms, no surrogates, nothing above U+10FFFF. */
	if ((n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) || cp > 0x10ffff ||
	    (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return n;
}

/* A jansson string of str: jansson takes valid UTF-8 only, so each byte
 * that starts no valid sequence becomes U+FFFD (3 bytes). */
static json_t *utf8_string(const char *str)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t len = strlen(str), i = 0;

	while (i < len && utf8_len(s + i, len - i))
		i += utf8_len(s + i, len - i);
	if (i == len)
		return json_stringn(str, len);
	if (len > (SIZE_MAX - 1) / 3)
		return NULL;
	char *t = malloc(3 * len + 1);
	if (!t)
		return NULL;
	size_t o = 0;
	for (i = 0; i < len;) {
		size_t n = utf8_len(s + i, len - i);
		if (n) {
			memcpy(t + o, s + i, n);
			o += n;
			i += n;
		} else {
			memcpy(t + o, "\xef\xbf\xbd", 3);
			o += 3;
			i++;
		}
	}
	json_t *v = json_stringn(t, o);
	free(t);
	return v;
}

void apsim_json_string(apsim_json *j, const char *str)
{
	put(j, str ? utf8_string(str) : json_null());
}

void apsim_json_key(apsim_json *j, const char *key)
{
	if (j->key || j->depth == 0 || !json_is_object(j->open[j->depth - 1]) || !key) {
		j->broken = true;
		return;
	}
	j->key = utf8_string(key);
	if (!j->key)
		j->broken = true;
}

void apsim_json_hex(apsim_json *j, uint64_t v)
{
	char t[24];
	snprintf(t, sizeof(t), "0x%" PRIx64, v);
	put(j, json_string(t));
}

void apsim_json_null(apsim_json *j)
{
	put(j, json_null());
}

void apsim_json_kv_string(apsim_json *j, const char *key, const char *s)
{
	apsim_json_key(j, key);
	apsim_json_string(j, s);
}

void apsim_json_kv_u64(apsim_json *j, const char *key, uint64_t v)
{
	apsim_json_key(j, key);
	/* jansson's integers are signed 64-bit; counters never get near */
	put(j, json_integer(v > INT64_MAX ? INT64_MAX : (json_int_t)v));
}

bool apsim_json_finish(apsim_json *j)
{
	bool ok = !j->broken && j->depth == 0 && !j->key && j->root;
	if (j->root && json_dumpf(j->root, j->out, JSON_COMPACT | JSON_PRESERVE_ORDER))
		ok = false;
	fputc('\n', j->out);
	json_decref(j->root);
	json_decref(j->key);
	*j = (apsim_json){ .out = j->out };
	return ok;
}
