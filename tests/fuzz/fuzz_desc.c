/* SPDX-License-Identifier: MIT */
/* Fuzz target: machine descriptions (desc.h, docs/machine-files.md).
 *
 * The input is a machine description text (not NUL-terminated).  It goes
 * to s390ap_machine_from_desc whole, and line by line to a description
 * object, as apsim feeds it.  Invariants:
 *   - the result is 0 with a machine, or a negative code with a one-line
 *     message of printable bytes, no machine, and a line within the text;
 *   - both ways agree: the same result, the same error place, and on
 *     success the same QCI block;
 *   - a line the description refuses leaves it as it was (a later build
 *     gives the same QCI block as one without that line).
 * Seeds: examples/machines and the scenarios' machine statements.
 */
#include <stdlib.h>

#include "fuzz.h"
#include "s390ap/desc.h"
#include "s390ap/error.h"

static void check_err(const s390ap_desc_error *err, uint32_t lines)
{
	size_t n = strlen(err->msg);

	if (n == 0 || n >= sizeof(err->msg))
		fuzz_fail("desc: message of %zu bytes", n);
	for (size_t k = 0; k < n; k++)
		if ((unsigned char)err->msg[k] < 0x20)
			fuzz_fail("desc: byte 0x%02x in the message", (unsigned char)err->msg[k]);
	if (err->line > lines)
		fuzz_fail("desc: error on line %u of %u", err->line, lines);
}

/* Same QCI block, or both refused. */
static void same(int rc1, s390ap_machine *m1, int rc2, s390ap_machine *m2, const char *what)
{
	uint8_t q1[128], q2[128];

	if (rc1 != rc2)
		fuzz_fail("desc: %s: results %d and %d", what, rc1, rc2);
	if (rc1 == 0) {
		s390ap_machine_qci(m1, q1);
		s390ap_machine_qci(m2, q2);
		if (memcmp(q1, q2, sizeof(q1)))
			fuzz_fail("desc: %s: the machines differ", what);
	}
	s390ap_machine_free(m1);
	s390ap_machine_free(m2);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *text = (const char *)data;
	s390ap_desc_error err, lerr;
	s390ap_machine *whole = NULL, *byline = NULL, *before = NULL, *prefix = NULL;
	s390ap_desc *d;
	unsigned line = 0;
	size_t off = 0, at = 0;
	int rc, lrc = 0, brc, prc;

	rc = s390ap_machine_from_desc(text, size, NULL, &whole, &err);
	if ((rc == 0) != (whole != NULL) || rc > 0)
		fuzz_fail("desc: result %d with machine %p", rc, (void *)whole);
	if (rc < 0)
		check_err(&err, UINT32_MAX);

	if (s390ap_desc_new(&d) < 0)
		fuzz_fail("desc: no description");
	while (off < size && lrc == 0) {
		const char *s = text + off, *nl = memchr(s, '\n', size - off);
		size_t ll = nl ? (size_t)(nl - s) : size - off;

		at = off;
		off += ll + (nl ? 1 : 0);
		lrc = s390ap_desc_statement(d, ++line, s, ll, &lerr);
		if (lrc == S390AP_ENOENT)
			lrc = S390AP_EINVAL;
	}
	if (lrc < 0) {
		/* a refused line leaves the description as the lines before it
		 * made it */
		check_err(&lerr, line);
		brc = s390ap_desc_build(d, NULL, &before, NULL);
		prc = s390ap_machine_from_desc(text, at, NULL, &prefix, NULL);
		same(brc, before, prc, prefix, "the lines before a refused one");
	} else {
		lrc = s390ap_desc_build(d, NULL, &byline, &lerr);
	}
	if (rc < 0 && (err.line != lerr.line || err.column != lerr.column))
		fuzz_fail("desc: error at %u:%u and %u:%u", err.line, err.column, lerr.line,
			  lerr.column);
	same(rc, whole, lrc, byline, "whole and line by line");
	s390ap_desc_free(d);
	return 0;
}
