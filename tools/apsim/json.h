/* SPDX-License-Identifier: MIT */
/* A JSON writer with a streaming interface: objects, arrays, strings
 * (valid UTF-8 kept, invalid bytes replaced by U+FFFD), integers, null.
 * The document is built with jansson and written by apsim_json_finish, in
 * member order, on one line. */
#ifndef APSIM_JSON_H
#define APSIM_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define APSIM_JSON_MAX_DEPTH 32

struct json_t;

typedef struct apsim_json {
	FILE *out;
	struct json_t *root;
	unsigned depth;
	struct json_t *open[APSIM_JSON_MAX_DEPTH]; /* the open containers, borrowed */
	struct json_t *key;                        /* a key was written; the value comes next */
	bool broken; /* misuse detected (too deep, unbalanced) or out of memory */
} apsim_json;

void apsim_json_init(apsim_json *j, FILE *out);
void apsim_json_object_begin(apsim_json *j);
void apsim_json_object_end(apsim_json *j);
void apsim_json_array_begin(apsim_json *j);
void apsim_json_array_end(apsim_json *j);
/* Object member name; the next call writes its value. */
void apsim_json_key(apsim_json *j, const char *key);
void apsim_json_string(apsim_json *j, const char *s);
/* A 64-bit value as a string "0x..." (registers, addresses: exact in any
 * JSON reader). */
void apsim_json_hex(apsim_json *j, uint64_t v);
void apsim_json_null(apsim_json *j);
/* Shorthands for one member. */
void apsim_json_kv_string(apsim_json *j, const char *key, const char *s);
void apsim_json_kv_u64(apsim_json *j, const char *key, uint64_t v);
/* Writes the document and a newline and frees it; true if it was well
 * formed. */
bool apsim_json_finish(apsim_json *j);

#endif
