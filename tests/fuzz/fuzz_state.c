/* SPDX-License-Identifier: MIT */
/* Fuzz target: saved machine states (docs/state-format.md) into
 * s390ap_machine_restore.
 *
 * Input: one option byte, then the image.
 *   h0  bit 0: make the END section's CRC-32 right (when the image ends in
 *       a 4-byte END section), so mutations reach the section parsers;
 *       bit 1: restore into the default machine instead of an empty one
 * Invariants:
 *   - restore returns 0 or S390AP_EINVAL with a "state: " message, never
 *     crashes, reads nothing outside the input (the replay and ASan runs
 *     give it exactly the input's bytes);
 *   - a refused image leaves the machine saving the very bytes it saved
 *     before;
 *   - an accepted image, restored into an empty machine, saves back to
 *     exactly the same bytes (when it carries every adapter's engine
 *     state: an adapter without gets a default engine, which has some);
 *   - the restored machine runs: its clock through the next events, TAPQ
 *     and DQAP on every queue, without a crash, and what it then saves is
 *     accepted by another empty machine, which saves it back unchanged.
 * Seeds: corpus/state (images of the test suite's machines). */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>

#include "fuzz.h"
#include "s390ap/s390ap.h"
#include "util/be.h"
#include "util/ser.h"

#define MEM_SIZE 0x4000u
#define BUF_AT 0x1000u

static void save_or_fail(const s390ap_machine *m, void **img, size_t *len)
{
	if (s390ap_machine_save(m, img, len) != 0)
		fuzz_fail("save failed: %s", s390ap_machine_errmsg(m));
}

/* Every adapter's engine state is in the image: an empty machine's
 * default engines then save exactly what they were given. */
static bool engines_all_saved(const uint8_t *img, size_t len)
{
	struct ser_r body, pl;
	uint16_t ver;
	uint32_t tag;

	if (ser_open(img, len, SER_KIND_MACHINE, 1, &body, &ver) != SER_OK)
		return false;
	while (ser_sec_next(&body, &tag, &pl))
		if (tag == SER_TAG('A', 'D', 'A', 'P') && (pl.len < 31 || pl.p[30] != 1))
			return false;
	return true;
}

static bool same(const void *a, size_t la, const void *b, size_t lb)
{
	return la == lb && memcmp(a, b, la) == 0;
}

/* Clock and instructions on every queue of the restored machine. */
static void run(s390ap_machine *m, const s390ap_storage *st)
{
	uint64_t gr[16] = { 0 };
	s390ap_insn_ctx c = { .gr = gr, .amode = 64, .storage = st };
	s390ap_insn_result res;
	uint8_t apm[32], aqm[32];

	(void)s390ap_machine_masks(m, apm, aqm, NULL);
	for (unsigned step = 0; step < 8; step++) {
		uint64_t next = s390ap_machine_next_event(m);

		for (unsigned id = 0; id < 256; id++) {
			for (unsigned qi = 0; (apm[id / 8] & (0x80u >> id % 8)) && qi < 256; qi++) {
				if (!(aqm[qi / 8] & (0x80u >> qi % 8)))
					continue;
				gr[0] = S390AP_APQN(id, qi);
				(void)s390ap_execute(m, &c, S390AP_OP_PQAP << 16, &res);
				gr[0] = S390AP_APQN(id, qi);
				gr[8] = BUF_AT;
				gr[9] = 100;
				(void)s390ap_execute(m, &c, S390AP_OP_DQAP << 16 | 0x68, &res);
			}
		}
		if (next == S390AP_NO_EVENT)
			break;
		(void)s390ap_machine_run_until(m, next);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	s390ap_mem *mem = NULL;
	s390ap_storage st;
	s390ap_machine *m = NULL, *m2 = NULL;
	s390ap_machine_opts o = { 0 };
	uint8_t *img;
	void *before, *after, *again;
	size_t len, lb, la, lg;
	int rc;

	if (size < 1)
		return 0;
	len = size - 1;
	img = malloc(len ? len : 1);
	if (!img)
		fuzz_fail("out of memory");
	memcpy(img, data + 1, len);
	if ((data[0] & 1) && len >= SER_HDR_LEN + SER_SEC_HDR_LEN + 4 &&
	    be_get32(img + len - 20) == SER_TAG_END && be_get64(img + len - 12) == 4)
		be_put32(img + len - 4, ser_crc32(img, len - 20));

	if (s390ap_mem_new(&mem, MEM_SIZE) != 0 || s390ap_mem_storage(mem, &st) != 0)
		fuzz_fail("no storage");
	o.storage = &st;
	rc = (data[0] & 2) ? s390ap_machine_new_default(&m, &st) : s390ap_machine_new(&m, &o);
	if (rc != 0)
		fuzz_fail("no machine");
	save_or_fail(m, &before, &lb);
	rc = s390ap_machine_restore(m, img, len);
	if (rc != 0) {
		if (rc != S390AP_EINVAL)
			fuzz_fail("restore returned %d: %s", rc, s390ap_machine_errmsg(m));
		if (strncmp(s390ap_machine_errmsg(m), "state: ", 7) != 0)
			fuzz_fail("refusal without a state message: %s", s390ap_machine_errmsg(m));
		save_or_fail(m, &after, &la);
		if (!same(before, lb, after, la))
			fuzz_fail("a refused image changed the machine");
		s390ap_state_free(after);
		goto out;
	}
	save_or_fail(m, &after, &la);
	if (!(data[0] & 2) && engines_all_saved(img, len) && !same(img, len, after, la))
		fuzz_fail("an accepted image saves back to other bytes");
	s390ap_state_free(after);

	run(m, &st);
	save_or_fail(m, &after, &la);
	if (s390ap_machine_new(&m2, &o) != 0)
		fuzz_fail("no machine");
	if (s390ap_machine_restore(m2, after, la) != 0)
		fuzz_fail("a running machine's image refused: %s", s390ap_machine_errmsg(m2));
	save_or_fail(m2, &again, &lg);
	if (!(data[0] & 2) && !same(after, la, again, lg))
		fuzz_fail("a running machine's image saves back to other bytes");
	s390ap_state_free(again);
	s390ap_state_free(after);
out:
	s390ap_state_free(before);
	s390ap_machine_free(m2);
	s390ap_machine_free(m);
	s390ap_mem_free(mem);
	free(img);
	return 0;
}
