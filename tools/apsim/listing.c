/* SPDX-License-Identifier: MIT */
/* apsim listings, built only from the public API. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

#include "listing.h"
#include "util/array.h"

static const char *mode_column(s390ap_mode mode)
{
	static const char *const modes[] = {
		[S390AP_MODE_ACCEL] = "Accelerator",
		[S390AP_MODE_CCA] = "CCA-Coproc",
		[S390AP_MODE_EP11] = "EP11-Coproc",
	};

	return (unsigned)mode < ARRAY_SIZE(modes) ? modes[mode] : "?";
}

/* lszcrypt's words: TAPQ answers RC 04 before RC 03, so a checkstopped
 * adapter shows as checkstopped whatever its configuration. */
static const char *status_column(const s390ap_adapter_info *ai)
{
	if (ai->checkstopped)
		return "chkstop";
	return ai->configured ? "online" : "deconfig";
}

/* The queue's state in a few words: "-" when idle and plain. */
static const char *queue_state(const s390ap_queue_info *qi, char *buf, size_t size)
{
	size_t n = 0;

	buf[0] = '\0';
	if (qi->reset_pending)
		n += (size_t)snprintf(buf + n, size - n, "%sresetting", n ? " " : "");
	if (qi->irq_enabled && n < size)
		n += (size_t)snprintf(buf + n, size - n, "%sirq(isc %u)", n ? " " : "", qi->isc);
	if (qi->irq_change_pending && n < size)
		n += (size_t)snprintf(buf + n, size - n, "%sirq-changing", n ? " " : "");
	if (qi->async_rc && n < size)
		n += (size_t)snprintf(buf + n, size - n, "%sasync-rc 0x%02x", n ? " " : "",
				      qi->async_rc);
	if (n == 0)
		snprintf(buf, size, "-");
	return buf;
}

/* A queue's STATUS and DRIVER with a matrix: vfio_ap's use, as lszcrypt
 * shows it for queues bound to vfio_ap. */
static const char *queue_driver(const s390ap_matrix *mx, uint16_t apqn, const char **status)
{
	static const char *const uses[] = { "unassigned", "assigned", "in use" };
	s390ap_queue_use use;

	switch (s390ap_matrix_binding(mx, apqn)) {
	case S390AP_BIND_VFIO:
		if (s390ap_matrix_queue_use(mx, apqn, &use) == 0 && (unsigned)use < 3)
			*status = uses[use];
		return "vfio_ap";
	case S390AP_BIND_DEFAULT:
		return "cex4queue";
	default:
		return "-";
	}
}

void apsim_list_config(FILE *out, const s390ap_machine *m, const s390ap_matrix *mx)
{
	fprintf(out, "CARD.DOM TYPE  MODE        STATUS     REQUESTS  PENDING DEPTH %sSTATE\n",
		mx ? "DRIVER    " : "");
	fprintf(out, "--------------------------------------------------------------------%s\n",
		mx ? "----------" : "");
	for (unsigned apid = 0; apid < S390AP_MAX_IDS; apid++) {
		s390ap_adapter_info ai;
		unsigned pending = 0;
		char name[16], state[96];

		if (s390ap_adapter_info_get(m, apid, &ai) != 0)
			continue;
		for (unsigned apqi = 0; apqi < S390AP_MAX_IDS; apqi++) {
			s390ap_queue_info qi;

			if (s390ap_queue_info_get(m, S390AP_APQN(apid, apqi), &qi) == 0)
				pending += qi.requests + qi.replies;
		}
		s390ap_card_name(ai.type, ai.mode, name, sizeof(name));
		fprintf(out, "%02x       %-5s %-11s %-10s %8" PRIu64 " %8u %5u %s-\n", apid, name,
			mode_column(ai.mode), status_column(&ai), ai.requests, pending, ai.depth,
			mx ? "cex4card  " : "");
		for (unsigned apqi = 0; apqi < S390AP_MAX_IDS; apqi++) {
			uint16_t apqn = S390AP_APQN(apid, apqi);
			const char *status = status_column(&ai), *driver = NULL;
			s390ap_queue_info qi;

			if (s390ap_queue_info_get(m, apqn, &qi) != 0)
				continue;
			if (mx)
				driver = queue_driver(mx, apqn, &status);
			fprintf(out, "%02x.%04x  %-5s %-11s %-10s %8" PRIu64 " %8u %5u ", apid,
				apqi, name, mode_column(ai.mode), status, qi.enqueued,
				qi.requests + qi.replies, qi.capacity);
			if (driver)
				fprintf(out, "%-9s ", driver);
			fprintf(out, "%s\n", queue_state(&qi, state, sizeof(state)));
		}
	}
}

void apsim_list_machine(FILE *out, const s390ap_machine *m, s390ap_list_kind kind)
{
	size_t needed = 0;
	char *text;

	if (s390ap_machine_list(m, kind, NULL, 0, &needed) != 0)
		return;
	text = malloc(needed + 1);
	if (!text) {
		fprintf(out, "(no memory for a listing of %zu bytes)\n", needed);
		return;
	}
	if (s390ap_machine_list(m, kind, text, needed + 1, NULL) == 0)
		fputs(text, out);
	free(text);
}

void apsim_list_queue(FILE *out, const s390ap_machine *m, uint16_t apqn)
{
	s390ap_queue_info qi;
	char state[96];

	if (s390ap_queue_info_get(m, apqn, &qi) != 0 || !qi.exists) {
		fprintf(out, "queue %02x.%04x: does not exist\n", S390AP_APQN_APID(apqn),
			S390AP_APQN_APQI(apqn));
		return;
	}
	fprintf(out,
		"queue %02x.%04x: %s; requests %u, replies %u, capacity %u; enqueued %" PRIu64
		", dequeued %" PRIu64 ", resets %" PRIu64 "; nib 0x%" PRIx64 ", bs %u\n",
		S390AP_APQN_APID(apqn), S390AP_APQN_APQI(apqn),
		queue_state(&qi, state, sizeof(state)), qi.requests, qi.replies, qi.capacity,
		qi.enqueued, qi.dequeued, qi.resets, qi.nib, qi.bs);
}

const char *apsim_sw_text(uint32_t sw, char *buf, size_t size)
{
	snprintf(buf, size, "%c%c%c%c%c rc=0x%02x", sw & S390AP_SW_E ? 'E' : '-',
		 sw & S390AP_SW_R ? 'R' : '-', sw & S390AP_SW_F ? 'F' : '-',
		 sw & S390AP_SW_I ? 'I' : '-', sw & S390AP_SW_A ? 'A' : '-', S390AP_SW_RC(sw));
	return buf;
}

void apsim_hexdump(FILE *out, uint64_t addr, const uint8_t *data, size_t len)
{
	for (size_t off = 0; off < len; off += 16) {
		size_t n = len - off < 16 ? len - off : 16;

		fprintf(out, "%08" PRIx64 ":", addr + off);
		for (size_t k = 0; k < 16; k++) {
			if (k < n)
				fprintf(out, "%s%02x", k == 8 ? "  " : " ", data[off + k]);
			else
				fprintf(out, "%s  ", k == 8 ? "  " : " ");
		}
		fputs("  |", out);
		for (size_t k = 0; k < n; k++) {
			uint8_t ch = data[off + k];
			fputc(ch >= 0x20 && ch < 0x7f ? ch : '.', out);
		}
		fputs("|\n", out);
	}
}

const char *const apsim_state_names[] = {
	[S390AP_CPU_RUNNING] = "running",     [S390AP_CPU_HALTED] = "halted",
	[S390AP_CPU_WAIT] = "wait",           [S390AP_CPU_STOPPED] = "stopped",
	[S390AP_CPU_CHECKSTOP] = "checkstop", NULL,
};

const char *apsim_state_name(s390ap_cpu_state st)
{
	return (unsigned)st <= S390AP_CPU_CHECKSTOP ? apsim_state_names[st] : "?";
}

void apsim_list_cpu(FILE *out, s390ap_cpu *cpu, s390ap_vcpu *guest, const char *vm)
{
	s390ap_cpu_state st = s390ap_cpu_state_get(cpu);
	s390ap_psw psw;

	if (!guest || s390ap_vcpu_psw(guest, &psw) < 0)
		s390ap_cpu_psw(cpu, &psw);
	fprintf(out, "vCPU %u %s", s390ap_cpu_index(cpu), apsim_state_name(st));
	if (guest)
		fprintf(out, " (guest of VM %s%s)", vm,
			s390ap_vcpu_in_sie(guest) ? ", in SIE" : "");
	if (st == S390AP_CPU_HALTED || st == S390AP_CPU_STOPPED)
		fprintf(out, " (exit 0x%" PRIx64 ")", s390ap_cpu_exit_value(cpu));
	fprintf(out, "  PSW %016" PRIx64 " %016" PRIx64 "  cc %u\n", psw.mask, psw.addr,
		(unsigned)(psw.mask >> S390AP_PSW_CC_SHIFT) & 3);
	for (unsigned r = 0; r < 16; r++)
		fprintf(out, "%sGR%-2u %016" PRIx64 "%s", r % 4 ? "  " : " ", r,
			guest ? s390ap_vcpu_gr(guest, r) : s390ap_cpu_gr(cpu)[r],
			r % 4 == 3 ? "\n" : "");
}
