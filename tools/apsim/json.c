/* SPDX-License-Identifier: MIT */
/* The JSON writer (see json.h). */
#include <inttypes.h>
#include <string.h>

#include "json.h"

void apsim_json_init(apsim_json *j, FILE *out)
{
	*j = (apsim_json){ .out = out };
}

/* Separator before a value: a comma unless it is the first in its container
 * or follows a key. */
static void value_prefix(apsim_json *j)
{
	if (j->after_key) {
		j->after_key = false;
		return;
	}
	if (j->depth == 0)
		return;
	if (j->need_comma[j->depth - 1])
		fputc(',', j->out);
	j->need_comma[j->depth - 1] = true;
}

static void container_open(apsim_json *j, char c)
{
	value_prefix(j);
	if (j->depth >= APSIM_JSON_MAX_DEPTH) {
		j->broken = true;
		return;
	}
	fputc(c, j->out);
	j->need_comma[j->depth++] = false;
}

static void container_close(apsim_json *j, char c)
{
	if (j->depth == 0 || j->after_key) {
		j->broken = true;
		return;
	}
	j->depth--;
	fputc(c, j->out);
}

void apsim_json_object_begin(apsim_json *j)
{
	container_open(j, '{');
}

void apsim_json_object_end(apsim_json *j)
{
	container_close(j, '}');
}

void apsim_json_array_begin(apsim_json *j)
{
	container_open(j, '[');
}

void apsim_json_array_end(apsim_json *j)
{
	container_close(j, ']');
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

void apsim_json_string(apsim_json *j, const char *str)
{
	/* the characters with a short escape, and the letter of each */
	static const char special[] = "\"\\\n\r\t", escaped[] = "\"\\nrt";
	const unsigned char *s = (const unsigned char *)str;
	size_t len = str ? strlen(str) : 0;

	if (!str) {
		apsim_json_null(j);
		return;
	}
	value_prefix(j);
	fputc('"', j->out);
	for (size_t i = 0; i < len;) {
		unsigned char c = s[i];
		const char *sp = strchr(special, c); /* c is not NUL here */
		size_t n = sp || c < 0x20 || c == 0x7f ? 1 : utf8_len(s + i, len - i);

		if (sp)
			fprintf(j->out, "\\%c", escaped[sp - special]);
		else if (c < 0x20 || c == 0x7f)
			fprintf(j->out, "\\u%04x", c);
		else if (n)
			fwrite(s + i, 1, n, j->out);
		else
			fputs("\\ufffd", j->out);
		i += n ? n : 1;
	}
	fputc('"', j->out);
}

void apsim_json_key(apsim_json *j, const char *key)
{
	if (j->after_key || j->depth == 0) {
		j->broken = true;
		return;
	}
	apsim_json_string(j, key);
	fputc(':', j->out);
	j->after_key = true;
}

void apsim_json_hex(apsim_json *j, uint64_t v)
{
	value_prefix(j);
	fprintf(j->out, "\"0x%" PRIx64 "\"", v);
}

void apsim_json_null(apsim_json *j)
{
	value_prefix(j);
	fputs("null", j->out);
}

void apsim_json_kv_string(apsim_json *j, const char *key, const char *s)
{
	apsim_json_key(j, key);
	apsim_json_string(j, s);
}

void apsim_json_kv_u64(apsim_json *j, const char *key, uint64_t v)
{
	apsim_json_key(j, key);
	value_prefix(j);
	fprintf(j->out, "%" PRIu64, v);
}

bool apsim_json_finish(apsim_json *j)
{
	fputc('\n', j->out);
	return !j->broken && j->depth == 0 && !j->after_key;
}
