/* SPDX-License-Identifier: MIT */
/* The machine as a Linux 6.1 guest that owns it lists it: lszcrypt's
 * default table and the AP bus's sysfs attributes.  Built from the public
 * getters only; how each value follows from TAPQ and QCI is in
 * docs/listings.md. */
#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "ap/ap_internal.h"
#include "s390ap/insn.h"
#include "s390ap/listing.h"

/* Linux's limits when QCI gives none (or no APXA). */
#define LINUX_MAX_APID 63u
#define LINUX_MAX_APQI 15u
/* Below this AP type Linux makes no card device (CEX2A). */
#define LINUX_TYPE_MIN 6u
/* The TAPQ ML field counts 4 KiB; 0 means Linux's default of 12 KiB. */
#define LINUX_ML_CHUNK 4096u
#define LINUX_DEFAULT_MSG 12288u
#define MODE_BITS (S390AP_TAPQ_FAC_CCA | S390AP_TAPQ_FAC_ACCEL | S390AP_TAPQ_FAC_EP11)
#define MISSING "<missing>"

/* The listing so far: what fits goes into buf, len counts everything. */
struct out {
	char *buf;
	size_t size;
	size_t len;
};

static void put(struct out *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void put(struct out *o, const char *fmt, ...)
{
	char *dst = NULL;
	size_t room = 0;
	va_list ap;
	int n;

	if (o->len < o->size) {
		dst = o->buf + o->len;
		room = o->size - o->len;
	}
	va_start(ap, fmt);
	n = vsnprintf(dst, room, fmt, ap);
	va_end(ap);
	if (n > 0)
		o->len += (size_t)n;
}

/* What the guest knows of the machine. */
struct guest {
	const s390ap_machine *m;
	uint32_t fac;
	bool qci; /* PQAP(QCI): masks and the limits Na / Nd */
	bool irq; /* adapter interruptions in use */
	uint8_t block[S390AP_QCI_SIZE];
	unsigned max_apid, max_apqi;
};

static bool mask_bit(const uint8_t *mask, unsigned id)
{
	return (mask[id / 8] & (0x80u >> (id % 8))) != 0;
}

static void guest_init(struct guest *g, const s390ap_machine *m, bool polling)
{
	memset(g, 0, sizeof(*g));
	g->m = m;
	g->fac = s390ap_machine_facilities(m);
	g->qci = (g->fac & S390AP_FAC_QCI) != 0;
	g->irq = !polling && (g->fac & S390AP_FAC_AQIC);
	/* the block is always read: the library's own masks say which
	 * adapters and queues exist even where the guest has no QCI */
	s390ap_machine_qci(m, g->block);
	g->max_apid = LINUX_MAX_APID;
	g->max_apqi = LINUX_MAX_APQI;
	if (g->qci && (g->block[0] & 0x40)) { /* APXA: Na, Nd when not 0 */
		if (g->block[4])
			g->max_apid = g->block[4];
		if (g->block[5])
			g->max_apqi = g->block[5];
	}
}

/* A queue device: the queue exists (adapter present, APQI in the AQM and
 * below the adapter's domain count) and the guest's scan reaches it. */
static bool queue_dev(const struct guest *g, const s390ap_adapter_info *ai, unsigned apid,
		      unsigned apqi, s390ap_queue_info *qi)
{
	if (apid > g->max_apid || apqi > g->max_apqi || apqi >= ai->domains ||
	    !mask_bit(g->block + S390AP_QCI_AQM_OFF, apqi))
		return false;
	return s390ap_queue_info_get(g->m, S390AP_APQN(apid, apqi), qi) == 0 && qi->exists;
}

struct card {
	s390ap_adapter_info ai;
	uint32_t functions; /* ap_functions: TAPQ GR2 bits 0-31 of the first queue */
	bool bound;         /* zcrypt_cex4 drives it: type, online, ... */
	char type[8];       /* zcrypt's type string */
};

/* A card device exists when one of its queues answers TAPQ with info (every
 * existing queue does: RC 0, 03 and 04 all fill GR2). */
static bool card_dev(const struct guest *g, unsigned apid, struct card *c)
{
	static const char suffix[] = { 'A', 'C', 'P' };
	s390ap_queue_info qi;
	unsigned apqi;
	int letter;

	memset(c, 0, sizeof(*c));
	if (apid > g->max_apid || !mask_bit(g->block + S390AP_QCI_APM_OFF, apid) ||
	    s390ap_adapter_info_get(g->m, apid, &c->ai) != 0)
		return false;
	for (apqi = 0; apqi <= g->max_apqi; apqi++)
		if (queue_dev(g, &c->ai, apid, apqi, &qi))
			break;
	if (apqi > g->max_apqi || c->ai.type < LINUX_TYPE_MIN || c->ai.type > S390AP_TYPE_CEX8)
		return false;
	/* the facility word comes with TAPQ's T bit, which needs APFT */
	if (g->fac & S390AP_FAC_APFT)
		c->functions = c->ai.fac | (uint32_t)(qi.bs & 3u) << 14;
	/* zcrypt_cex4 takes CEX4..CEX8 and asks A before D before X */
	if (c->functions & S390AP_TAPQ_FAC_ACCEL)
		letter = 0;
	else if (c->functions & S390AP_TAPQ_FAC_CCA)
		letter = 1;
	else if (c->functions & S390AP_TAPQ_FAC_EP11)
		letter = 2;
	else
		letter = -1;
	c->bound = letter >= 0 && c->ai.type >= S390AP_TYPE_CEX4;
	if (c->bound)
		snprintf(c->type, sizeof(c->type), "CEX%u%c",
			 (unsigned)(c->ai.type - S390AP_TYPE_CEX4 + 4u), suffix[letter]);
	return true;
}

/* lszcrypt asks D before A before X. */
static const char *lszcrypt_mode(uint32_t functions)
{
	if (functions & S390AP_TAPQ_FAC_CCA)
		return "CCA-Coproc";
	if (functions & S390AP_TAPQ_FAC_ACCEL)
		return "Accelerator";
	if (functions & S390AP_TAPQ_FAC_EP11)
		return "EP11-Coproc";
	return "Unknown";
}

/* TAPQ answers RC 04 before RC 03, so a checkstopped adapter is configured
 * as far as Linux knows. */
static bool dev_config(const struct card *c)
{
	return c->ai.checkstopped || c->ai.configured;
}

static const char *lszcrypt_status(const struct card *c)
{
	if (!dev_config(c))
		return "deconfig";
	if (c->ai.checkstopped)
		return "chkstop";
	return "online"; /* zcrypt's online: config and its own flag (1) */
}

static void lszcrypt_row(struct out *o, const char *id, const struct card *c, uint64_t requests)
{
	char req[24];

	if (dev_config(c))
		snprintf(req, sizeof(req), "%" PRIu64, requests);
	else
		snprintf(req, sizeof(req), "-");
	put(o, "%-8s %-5s %-11s %-10s %8s\n", id, c->type, lszcrypt_mode(c->functions),
	    lszcrypt_status(c), req);
}

static void list_lszcrypt(struct out *o, const struct guest *g)
{
	bool any = false;

	/* without cards lszcrypt prints only an error (to stderr) */
	for (unsigned apid = 0; apid < S390AP_MAX_IDS && !any; apid++) {
		struct card c;
		any = card_dev(g, apid, &c);
	}
	if (!(g->fac & S390AP_FAC_AP) || !any)
		return;
	put(o, "%-8s %-5s %-11s %-10s %8s\n", "CARD.DOM", "TYPE", "MODE", "STATUS", "REQUESTS");
	put(o, "----------------------------------------------\n");
	for (unsigned apid = 0; apid < S390AP_MAX_IDS; apid++) {
		struct card c;
		char id[16];

		/* lszcrypt skips what zcrypt does not drive (no type, online) */
		if (!card_dev(g, apid, &c) || !c.bound)
			continue;
		snprintf(id, sizeof(id), "%02x", apid);
		lszcrypt_row(o, id, &c, c.ai.requests);
		for (unsigned apqi = 0; apqi < S390AP_MAX_IDS; apqi++) {
			s390ap_queue_info qi;

			if (!queue_dev(g, &c.ai, apid, apqi, &qi))
				continue;
			snprintf(id, sizeof(id), "%02x.%04x", apid, apqi);
			lszcrypt_row(o, id, &c, qi.enqueued);
		}
	}
}

/* ---- sysfs ---- */

static void put_mask(struct out *o, const struct guest *g, const char *name, size_t off)
{
	put(o, "bus/ap/%s ", name);
	if (!g->qci) {
		put(o, "not supported\n");
		return;
	}
	put(o, "0x");
	for (size_t i = 0; i < S390AP_MASK_BYTES; i++)
		put(o, "%02x", g->block[off + i]);
	put(o, "\n");
}

/* The default domain: the first usage domain in which some adapter's queue
 * answers TAPQ with RC 0; -1 if none does. */
static int default_domain(const struct guest *g)
{
	for (unsigned apqi = 0; apqi <= g->max_apqi; apqi++) {
		for (unsigned apid = 0; apid <= g->max_apid; apid++) {
			s390ap_adapter_info ai;
			s390ap_queue_info qi;

			if (!mask_bit(g->block + S390AP_QCI_APM_OFF, apid) ||
			    s390ap_adapter_info_get(g->m, apid, &ai) != 0)
				continue;
			if (ai.configured && !ai.checkstopped && queue_dev(g, &ai, apid, apqi, &qi))
				return (int)apqi;
		}
	}
	return -1;
}

static void sysfs_card(struct out *o, const struct card *c, unsigned apid)
{
	const char *p = "bus/ap/devices/card";
	unsigned msg = c->ai.ml ? c->ai.ml * LINUX_ML_CHUNK : LINUX_DEFAULT_MSG;

	put(o, "%s%02x/ap_functions 0x%08" PRIX32 "\n", p, apid, c->functions);
	put(o, "%s%02x/chkstop %d\n", p, apid, c->ai.checkstopped ? 1 : 0);
	put(o, "%s%02x/config %d\n", p, apid, dev_config(c) ? 1 : 0);
	put(o, "%s%02x/depth %u\n", p, apid, (c->ai.depth - 1u) & 0xfu); /* the QD field */
	put(o, "%s%02x/hwtype %u\n", p, apid, c->ai.type);
	put(o, "%s%02x/max_msg_size %u\n", p, apid, msg);
	put(o, "%s%02x/modalias ap:t%02X\n", p, apid, c->ai.type);
	if (c->bound)
		put(o, "%s%02x/online %d\n", p, apid, dev_config(c) ? 1 : 0);
	else
		put(o, "%s%02x/online " MISSING "\n", p, apid);
	put(o, "%s%02x/raw_hwtype %u\n", p, apid, c->ai.type);
	put(o, "%s%02x/request_count %" PRIu64 "\n", p, apid, c->ai.requests);
	put(o, "%s%02x/type %s\n", p, apid, c->bound ? c->type : MISSING);
}

static void sysfs_queue(struct out *o, const struct guest *g, const struct card *c,
			const s390ap_queue_info *qi, unsigned apid, unsigned apqi)
{
	const char *p = "bus/ap/devices/";
	/* a queue the driver brought up: reset, then AQIC when the guest
	 * uses interruptions; the reset fails on RC 03 / 04 */
	bool irq = g->irq && c->bound && c->ai.configured && !c->ai.checkstopped;

	put(o, "%s%02x.%04x/chkstop %d\n", p, apid, apqi, c->ai.checkstopped ? 1 : 0);
	put(o, "%s%02x.%04x/config %d\n", p, apid, apqi, dev_config(c) ? 1 : 0);
	put(o, "%s%02x.%04x/interrupt Interrupts %s.\n", p, apid, apqi,
	    irq ? "enabled" : "disabled");
	if (c->bound)
		put(o, "%s%02x.%04x/online %d\n", p, apid, apqi, dev_config(c) ? 1 : 0);
	else
		put(o, "%s%02x.%04x/online " MISSING "\n", p, apid, apqi);
	/* without a driver the queue was never initialised: "-" */
	if (c->bound)
		put(o, "%s%02x.%04x/request_count %" PRIu64 "\n", p, apid, apqi, qi->enqueued);
	else
		put(o, "%s%02x.%04x/request_count -\n", p, apid, apqi);
}

static void sysfs_queues(struct out *o, const struct guest *g, unsigned from, unsigned to)
{
	for (unsigned apid = from; apid <= to; apid++) {
		struct card c;

		if (!card_dev(g, apid, &c))
			continue;
		for (unsigned apqi = 0; apqi < S390AP_MAX_IDS; apqi++) {
			s390ap_queue_info qi;

			if (queue_dev(g, &c.ai, apid, apqi, &qi))
				sysfs_queue(o, g, &c, &qi, apid, apqi);
		}
	}
}

/* Bytewise order of the device names: "AA.DDDD" before "cardAA" exactly
 * when AA <= "ca" (0xca), so queues of adapters up to 0xca come first,
 * then every card, then the queues of adapters from 0xcb on. */
#define QUEUES_BEFORE_CARDS 0xcau

static void list_sysfs(struct out *o, const struct guest *g)
{
	if (!(g->fac & S390AP_FAC_AP)) {
		put(o, "bus/ap " MISSING "\n"); /* no AP instructions: no AP bus */
		return;
	}
	put_mask(o, g, "ap_adapter_mask", S390AP_QCI_APM_OFF);
	put_mask(o, g, "ap_control_domain_mask", S390AP_QCI_ADM_OFF);
	put(o, "bus/ap/ap_domain %d\n", default_domain(g));
	put(o, "bus/ap/ap_interrupts %d\n", g->irq ? 1 : 0);
	put(o, "bus/ap/ap_max_adapter_id %u\n", g->max_apid);
	put(o, "bus/ap/ap_max_domain_id %u\n", g->max_apqi);
	put_mask(o, g, "ap_usage_domain_mask", S390AP_QCI_AQM_OFF);
	sysfs_queues(o, g, 0, QUEUES_BEFORE_CARDS);
	for (unsigned apid = 0; apid < S390AP_MAX_IDS; apid++) {
		struct card c;

		if (card_dev(g, apid, &c))
			sysfs_card(o, &c, apid);
	}
	sysfs_queues(o, g, QUEUES_BEFORE_CARDS + 1, S390AP_MAX_IDS - 1);
}

int s390ap_machine_list(const s390ap_machine *m, s390ap_list_kind kind, char *buf, size_t size,
			size_t *needed)
{
	struct out o = { .buf = buf, .size = size, .len = 0 };
	struct guest g;

	if (!m)
		return S390AP_EINVAL;
	if (kind != S390AP_LIST_LSZCRYPT && kind != S390AP_LIST_SYSFS &&
	    kind != S390AP_LIST_SYSFS_POLLING)
		return ap_error_c(m, S390AP_EINVAL, "listing: unknown kind %d", (int)kind);
	if (!buf && size)
		return ap_error_c(m, S390AP_EINVAL, "listing: no buffer (NULL) for %zu bytes",
				  size);
	if (size)
		buf[0] = '\0';
	guest_init(&g, m, kind == S390AP_LIST_SYSFS_POLLING);
	if (kind == S390AP_LIST_LSZCRYPT)
		list_lszcrypt(&o, &g);
	else
		list_sysfs(&o, &g);
	if (needed)
		*needed = o.len;
	return 0;
}
