/* SPDX-License-Identifier: MIT */
/* s390ap — machine descriptions: a small line-oriented language that says
 * which AP machine to build (facilities, Na / Nd, delays, adapters,
 * domains), read the same way by apsim's scenarios and by any embedder
 * (docs/machine-files.md).
 *
 *     machine empty
 *     facilities default +APSB
 *     adapter 0x03 type CEX8 mode accel
 *     domain 6
 *     domain 0 control
 *
 * The text is untrusted: every byte sequence gives a machine or an error
 * with its line, column and a one-line message; nothing is kept from the
 * text after the call returns.
 */
#ifndef S390AP_DESC_H
#define S390AP_DESC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "s390ap/export.h"
#include "s390ap/machine.h"
#include "s390ap/storage.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Where and why a description was refused. */
typedef struct s390ap_desc_error {
	unsigned line;   /* 1-based; 0 = not tied to a line (e.g. file cannot be read) */
	unsigned column; /* 1-based; 0 = whole line */
	char msg[256];   /* one line, no newline, names the statement and the value */
} s390ap_desc_error;

/* Files above this size are refused (ERANGE). */
#define S390AP_DESC_MAX_FILE (64u << 20)

/* Build a machine from a machine description text (the AP machine statements only:
 * machine, facilities, na, nd, reset-cycles, irq-cycles, assoc-cycles, cpu-determined,
 * adapter, domain; comments and blank lines allowed). storage may be NULL (set later with
 * s390ap_machine_set_storage). 0 with *out set, or a negative S390AP_E* code with *err
 * filled (err may be NULL) and *out untouched.  EINVAL for a statement the language
 * refuses (apsim's system statements memory, cpus, quantum and cost included: they are
 * not part of a machine description), ENOMEM, or the code of the machine call that
 * refused the description (ERANGE for an id over Na / Nd, ...). */
S390AP_API int s390ap_machine_from_desc(const char *text, size_t len, const s390ap_storage *storage,
					s390ap_machine **out, s390ap_desc_error *err);
/* Same, reading the file at path (messages then name the path: "FILE:LINE:COL: ..." is the
 * caller's job, line/column are in err).  A file that cannot be opened or read gives
 * ENOENT (no such file) or EIO with line 0; one above S390AP_DESC_MAX_FILE ERANGE. */
S390AP_API int s390ap_machine_from_desc_file(const char *path, const s390ap_storage *storage,
					     s390ap_machine **out, s390ap_desc_error *err);

/* ---- One statement at a time (for languages that embed the statements, as apsim's
 * scenarios do) ---- */
typedef struct s390ap_desc s390ap_desc;

/* A name the caller defined, for a number (apsim's `let`): 0 with *value, S390AP_ENOENT
 * when the caller knows no such name, S390AP_ERANGE when its value is wider than 64 bits. */
typedef int s390ap_desc_name_fn(void *ctx, const char *name, size_t len, uint64_t *value);

/* A description with nothing said yet (it builds the default machine). 0, EINVAL (NULL
 * out) or ENOMEM. */
S390AP_API int s390ap_desc_new(s390ap_desc **out);
S390AP_API void s390ap_desc_free(s390ap_desc *d);
/* Let names stand for numbers, as decimal and 0x hex do (fn NULL: numbers only).  A word
 * that is a keyword where it stands (`unlimited`, a property) is read as the keyword. */
S390AP_API void s390ap_desc_set_names(s390ap_desc *d, s390ap_desc_name_fn *fn, void *ctx);
/* One line of text (len bytes, no newline) as line number `line` of its file: a machine
 * statement is added to the description, a blank or comment line changes nothing (0).
 * S390AP_ENOENT when the line's first word is no machine statement (err says which; d
 * unchanged); EINVAL for a machine statement with an error (d unchanged), for a NULL d, or
 * for a NULL text with len > 0. */
S390AP_API int s390ap_desc_statement(s390ap_desc *d, unsigned line, const char *text, size_t len,
				     s390ap_desc_error *err);
/* True once a statement changed the description (it no longer builds the plain default
 * machine with s390ap_machine_new_default). */
S390AP_API bool s390ap_desc_modified(const s390ap_desc *d);
/* The machine described so far (d unchanged; build as often as wanted).  0 with *out, or a
 * negative code with err: line and column of the adapter or domain statement the machine
 * refused, the last na / nd line when Na / Nd need APXA, line 0 when the default machine's
 * own adapters or domains were refused). */
S390AP_API int s390ap_desc_build(const s390ap_desc *d, const s390ap_storage *storage,
				 s390ap_machine **out, s390ap_desc_error *err);

/* The operands of an `adapter` statement ("APID [PROP VALUE]...") and of a `domain`
 * statement ("APQI [usage] [control]"), for statements that add adapters or domains
 * elsewhere (apsim's `inject add`): parsed from text[start..len) of line `line` (columns
 * count from text), with d's names (d may be NULL: numbers only).  0 with the results,
 * or EINVAL with err. */
S390AP_API int s390ap_desc_parse_adapter(const s390ap_desc *d, unsigned line, const char *text,
					 size_t len, size_t start, unsigned *apid,
					 s390ap_adapter_opts *opts, s390ap_desc_error *err);
S390AP_API int s390ap_desc_parse_domain(const s390ap_desc *d, unsigned line, const char *text,
					size_t len, size_t start, unsigned *apqi, bool *usage,
					bool *control, s390ap_desc_error *err);

#ifdef __cplusplus
}
#endif
#endif
