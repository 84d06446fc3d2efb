/* The lszcrypt-like table, built only from the public API. */
#include <stdio.h>

#include "listing.h"

static const char *mode_column(s390ap_mode mode)
{
	switch (mode) {
	case S390AP_MODE_ACCEL:
		return "Accelerator";
	case S390AP_MODE_CCA:
		return "CCA-Coproc";
	case S390AP_MODE_EP11:
		return "EP11-Coproc";
	}
	return "?";
}

static const char *status_column(const s390ap_adapter_info *ai)
{
	if (ai->checkstopped)
		return "checkstop";
	return ai->configured ? "online" : "offline";
}

void apsim_list_config(FILE *out, const s390ap_machine *m)
{
	fprintf(out, "CARD.DOM TYPE  MODE        STATUS     REQUESTS\n");
	fprintf(out, "----------------------------------------------\n");
	for (unsigned apid = 0; apid < S390AP_MAX_IDS; apid++) {
		s390ap_adapter_info ai;
		char name[16];

		if (s390ap_adapter_info_get(m, apid, &ai) != 0)
			continue;
		s390ap_card_name(ai.type, ai.mode, name, sizeof(name));
		fprintf(out, "%02x       %-5s %-11s %-10s %8llu\n", apid, name,
			mode_column(ai.mode), status_column(&ai),
			(unsigned long long)ai.requests);
		for (unsigned apqi = 0; apqi < S390AP_MAX_IDS; apqi++) {
			s390ap_queue_info qi;

			if (s390ap_queue_info_get(m, S390AP_APQN(apid, apqi), &qi) != 0)
				continue;
			fprintf(out, "%02x.%04x  %-5s %-11s %-10s %8llu\n", apid, apqi, name,
				mode_column(ai.mode), status_column(&ai),
				(unsigned long long)qi.enqueued);
		}
	}
}

const char *apsim_sw_text(uint32_t sw, char *buf, size_t size)
{
	snprintf(buf, size, "%c%c%c%c%c rc=0x%02x", sw & S390AP_SW_E ? 'E' : '-',
		 sw & S390AP_SW_R ? 'R' : '-', sw & S390AP_SW_F ? 'F' : '-',
		 sw & S390AP_SW_I ? 'I' : '-', sw & S390AP_SW_A ? 'A' : '-',
		 S390AP_SW_RC(sw));
	return buf;
}
