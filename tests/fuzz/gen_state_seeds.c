/* SPDX-License-Identifier: MIT */
/* Seeds for fuzz_state (tests/fuzz/corpus/state): saved images of a few
 * machines with something in every section, each behind the option byte
 * 0x01 (make the CRC right).  Usage: fuzz_state_gen <directory>. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "s390ap/s390ap.h"

#define MSG_AT 0x1000u
#define BUF_AT 0x8000u
#define NIB_AT 0x100u

struct gen {
	s390ap_storage st;
	uint64_t gr[16];
	const char *dir;
};

static void ex(struct gen *g, s390ap_machine *m, uint32_t insn, int se)
{
	s390ap_view v;
	s390ap_insn_ctx c = { .gr = g->gr, .amode = 64, .storage = &g->st };
	s390ap_insn_result r;

	if (se) {
		s390ap_view_lpar(m, &v);
		v.se_guest = 1;
		c.view = &v;
	}
	if (s390ap_execute(m, &c, insn, &r) != 0) {
		fprintf(stderr, "execute failed\n");
		exit(1);
	}
}

static void nq(struct gen *g, s390ap_machine *m, uint16_t apqn, uint64_t psmid, size_t len,
	       int last)
{
	g->gr[0] = apqn | (last ? S390AP_NQAP_L : 0);
	g->gr[10] = 0;
	g->gr[11] = psmid;
	g->gr[12] = MSG_AT;
	g->gr[13] = len;
	ex(g, m, 0xB2AD00ACu, 0);
}

static void pq(struct gen *g, s390ap_machine *m, unsigned fc, uint16_t apqn, uint64_t gr1,
	       uint64_t gr2, int se)
{
	g->gr[0] = (uint64_t)fc << S390AP_GR0_FC_SHIFT | apqn;
	g->gr[1] = gr1;
	g->gr[2] = gr2;
	ex(g, m, 0xB2AF0000u, se);
}

static void out(const struct gen *g, s390ap_machine *m, const char *name)
{
	char path[4096];
	void *img;
	size_t len;
	FILE *f;

	if (s390ap_machine_save(m, &img, &len) != 0) {
		fprintf(stderr, "save: %s\n", s390ap_machine_errmsg(m));
		exit(1);
	}
	snprintf(path, sizeof path, "%s/%s.bin", g->dir, name);
	f = fopen(path, "wb");
	if (!f || fputc(1, f) == EOF || fwrite(img, 1, len, f) != len || fclose(f) != 0) {
		perror(path);
		exit(1);
	}
	s390ap_state_free(img);
}

int main(int argc, char **argv)
{
	s390ap_machine_opts o = {
		.facilities = S390AP_FAC_ALL, .facilities_set = 1, .na = 15, .nd = 15
	};
	s390ap_adapter_opts ep = { .mode = S390AP_MODE_EP11, .depth = 4 };
	struct gen g = { .dir = argc > 1 ? argv[1] : "." };
	s390ap_machine *m;
	s390ap_mem *mem;
	uint8_t msg[256];

	for (unsigned i = 0; i < sizeof msg; i++)
		msg[i] = (uint8_t)(i * 13);
	msg[0] = 0;
	if (s390ap_mem_new(&mem, 0x10000) != 0 || s390ap_mem_storage(mem, &g.st) != 0 ||
	    s390ap_mem_write(mem, MSG_AT, msg, sizeof msg) != 0 ||
	    s390ap_machine_new_default(&m, &g.st) != 0)
		return 1;
	out(&g, m, "default-idle");

	/* a reply half dequeued, a request in flight, a partial message, an
	 * AQIC change and a reset pending, injected faults */
	nq(&g, m, 0x0306, 1, 100, 1);
	(void)s390ap_machine_advance(m, 100000);
	g.gr[0] = 0x0306;
	g.gr[8] = BUF_AT;
	g.gr[9] = 3;
	g.gr[2] = 0;
	ex(&g, m, 0xB2AE0068u, 0);
	nq(&g, m, 0x0306, 2, 50, 1);
	nq(&g, m, 0x0406, 7, 60, 0);
	nq(&g, m, 0x0406, 7, 61, 0);
	pq(&g, m, S390AP_FC_AQIC, 0x0307, S390AP_AQIC_IR | 3, NIB_AT, 0);
	pq(&g, m, S390AP_FC_RAPQ, 0x0506, 0, 0, 0);
	(void)s390ap_queue_busy(m, 0x0407, 3000);
	(void)s390ap_queue_delay_reply(m, 0x0447, 9000);
	(void)s390ap_queue_lose_reply(m, 0x0347);
	(void)s390ap_machine_set_mem_limit(m, 1u << 20);
	out(&g, m, "default-busy");
	s390ap_machine_free(m);

	/* SE: bound, associating, an association to fail; a flushed queue
	 * with its stale reply event */
	o.storage = &g.st;
	if (s390ap_machine_new(&m, &o) != 0)
		return 1;
	(void)s390ap_domain_add(m, 1, 1, 1);
	(void)s390ap_domain_add(m, 2, 1, 0);
	(void)s390ap_adapter_add(m, 2, &ep);
	pq(&g, m, S390AP_FC_BAPQ, 0x0201, 0, 0, 1);
	pq(&g, m, S390AP_FC_AAPQ, 0x0201, 0, 1, 1);
	pq(&g, m, S390AP_FC_BAPQ, 0x0202, 0, 0, 1);
	(void)s390ap_queue_fail_assoc(m, 0x0202, 0x36);
	pq(&g, m, S390AP_FC_AAPQ, 0x0202, 0, 2, 1);
	nq(&g, m, 0x0201, 5, 30, 1);
	(void)s390ap_adapter_configure(m, 2, 0);
	(void)s390ap_adapter_configure(m, 2, 1);
	nq(&g, m, 0x0201, 6, 30, 1);
	out(&g, m, "se-assoc");
	s390ap_machine_free(m);
	s390ap_mem_free(mem);
	return 0;
}
