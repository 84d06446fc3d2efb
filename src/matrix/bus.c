/* SPDX-License-Identifier: MIT */
/* The AP bus side of the matrix: host masks, per-queue binding, the
 * configuration rescan, and the host's queue resets (ZAPQ, waited for on
 * the machine's clock). */
#include <string.h>

#include "matrix_internal.h"
#include "s390ap/cpu.h"
#include "s390ap/error.h"
#include "s390ap/insn.h"
#include "sie/sie_internal.h"

/* A queue is there when QCI has its adapter and domain and the adapter
 * implements the domain (TAPQ would not answer 0x01): the AP bus's scan. */
static s390ap_binding bind_of(const s390ap_matrix *mx, unsigned apid, unsigned apqi)
{
	s390ap_queue_info qi;

	if (!mx_test(mx->host.apm, apid) || !mx_test(mx->host.aqm, apqi))
		return S390AP_BIND_NONE;
	if (s390ap_queue_info_get(mx->m, S390AP_APQN(apid, apqi), &qi) < 0 || !qi.exists)
		return S390AP_BIND_NONE;
	return mx_test(mx->apmask, apid) && mx_test(mx->aqmask, apqi) ? S390AP_BIND_DEFAULT
								      : S390AP_BIND_VFIO;
}

/* Bind every queue as the masks and the configuration say; a queue newly
 * bound to vfio_ap starts with a clean reset status (the driver's probe).
 * Only the configuration's rows and columns are walked. */
static void rebind(s390ap_matrix *mx)
{
	for (unsigned apid = 0; apid < 256; apid++) {
		uint8_t *row = mx->binding + (apid << 8);
		uint8_t old[256];

		if (!mx_test(mx->host.apm, apid)) {
			memset(row, 0, 256);
			continue;
		}
		memcpy(old, row, sizeof(old));
		memset(row, 0, 256);
		for (unsigned apqi = 0; apqi < 256; apqi++) {
			s390ap_binding b;

			if (!mx_test(mx->host.aqm, apqi))
				continue;
			b = bind_of(mx, apid, apqi);
			if (b == S390AP_BIND_VFIO && old[apqi] != S390AP_BIND_VFIO)
				mx->reset_sw[apid << 8 | apqi] = 0;
			row[apqi] = (uint8_t)b;
		}
	}
}

void mx_bus_scan(s390ap_matrix *mx)
{
	(void)s390ap_machine_masks(mx->m, mx->host.apm, mx->host.aqm, mx->host.adm);
	rebind(mx);
}

s390ap_binding s390ap_matrix_binding(const s390ap_matrix *mx, uint16_t apqn)
{
	return mx ? (s390ap_binding)mx->binding[apqn] : S390AP_BIND_NONE;
}

int s390ap_matrix_apmask(const s390ap_matrix *mx, uint8_t mask[32])
{
	if (!mx || !mask)
		return S390AP_EINVAL;
	memcpy(mask, mx->apmask, MX_MASK);
	return 0;
}

int s390ap_matrix_aqmask(const s390ap_matrix *mx, uint8_t mask[32])
{
	if (!mx || !mask)
		return S390AP_EINVAL;
	memcpy(mask, mx->aqmask, MX_MASK);
	return 0;
}

/* A new pair of masks: the queues they would hand back to the default
 * driver must be in no mdev (EBUSY, nothing changes). */
static int set_masks(s390ap_matrix *mx, const uint8_t apmask[32], const uint8_t aqmask[32])
{
	if (memcmp(apmask, mx->apmask, MX_MASK) == 0 && memcmp(aqmask, mx->aqmask, MX_MASK) == 0)
		return 0;
	for (unsigned i = 0; i < mx->nmdevs; i++) {
		const struct mx_masks *k = &mx->mdevs[i]->assigned;

		for (unsigned apid = 0; apid < 256; apid++) {
			if (!mx_test(k->apm, apid) || !mx_test(apmask, apid))
				continue;
			for (unsigned apqi = 0; apqi < 256; apqi++) {
				if (!mx_test(k->aqm, apqi) || !mx_test(aqmask, apqi))
					continue;
				if (mx_test(mx->apmask, apid) && mx_test(mx->aqmask, apqi))
					continue; /* the default driver's already */
				return mx_err(mx, S390AP_EBUSY,
					      "Can not reserve queue %02x.%04x for host driver: in "
					      "use by mdev",
					      apid, apqi);
			}
		}
	}
	memcpy(mx->apmask, apmask, MX_MASK);
	memcpy(mx->aqmask, aqmask, MX_MASK);
	rebind(mx);
	return mx_refilter_all(mx);
}

int s390ap_matrix_set_apmask(s390ap_matrix *mx, const uint8_t mask[32])
{
	if (!mx)
		return S390AP_EINVAL;
	if (!mask)
		return mx_err(mx, S390AP_EINVAL, "apmask: no mask");
	return set_masks(mx, mask, mx->aqmask);
}

int s390ap_matrix_set_aqmask(s390ap_matrix *mx, const uint8_t mask[32])
{
	if (!mx)
		return S390AP_EINVAL;
	if (!mask)
		return mx_err(mx, S390AP_EINVAL, "aqmask: no mask");
	return set_masks(mx, mx->apmask, mask);
}

int s390ap_matrix_config_changed(s390ap_matrix *mx)
{
	if (!mx)
		return S390AP_EINVAL;
	mx_bus_scan(mx);
	return mx_refilter_all(mx);
}

int s390ap_matrix_queue_use(const s390ap_matrix *mx, uint16_t apqn, s390ap_queue_use *use)
{
	const s390ap_mdev *md;

	if (!mx || !use)
		return S390AP_EINVAL;
	if (mx->binding[apqn] != S390AP_BIND_VFIO)
		return mx_err(mx, S390AP_ENODEV, "queue %02x.%04x is not bound to vfio_ap",
			      apqn >> 8, apqn & 0xffu);
	md = mx_owner(mx, apqn, NULL);
	if (!md)
		*use = S390AP_QUEUE_UNASSIGNED;
	else if (md->vm && mx_has(&md->guest, apqn))
		*use = S390AP_QUEUE_IN_USE;
	else
		*use = S390AP_QUEUE_ASSIGNED;
	return 0;
}

/* ---- queue resets ---- */

static uint32_t host_pqap(s390ap_matrix *mx, unsigned fc, uint16_t apqn)
{
	uint64_t gr[16] = { 0 };
	s390ap_insn_ctx ctx = { .gr = gr };
	s390ap_insn_result res;

	if (mx->kvm)
		ctx.storage = s390ap_sys_storage(s390ap_kvm_sys(mx->kvm));
	gr[0] = (uint64_t)fc << S390AP_GR0_FC_SHIFT | apqn;
	if (s390ap_pqap(mx->m, &ctx, &res) < 0 || res.pgm || !res.sw_stored)
		return (uint32_t)S390AP_RC_Q_NOT_AVAIL << 16;
	return (uint32_t)gr[1];
}

enum { RQ_NONE = 0, RQ_ZAP, RQ_CHECK };

/* What to do after an answer: done (status set), check again, or issue
 * the ZAPQ again once the queue is idle. */
static uint8_t reset_step(s390ap_matrix *mx, uint16_t apqn, uint32_t sw, bool from_zapq)
{
	s390ap_queue_info qi;

	switch (S390AP_SW_RC(sw)) {
	case S390AP_RC_NORMAL:
		if (from_zapq)
			return RQ_CHECK;
		if (s390ap_queue_info_get(mx->m, apqn, &qi) == 0 && qi.reset_pending)
			return RQ_CHECK;
		mx->reset_sw[apqn] = sw;
		return RQ_NONE;
	case S390AP_RC_DECONFIGURED:
		/* the machine resets a deconfigured queue itself */
		mx->reset_sw[apqn] = 0;
		return RQ_NONE;
	case S390AP_RC_RESET_IN_PROGRESS:
	case S390AP_RC_BUSY:
	case S390AP_RC_STATE_CHANGE_IN_PROGRESS:
		mx->reset_sw[apqn] = sw;
		return from_zapq ? RQ_ZAP : RQ_CHECK;
	default:
		mx->reset_sw[apqn] = sw;
		return RQ_NONE;
	}
}

/* One batch: every ZAPQ first, then the waits together (the current
 * driver's asynchronous reset). */
static unsigned reset_batch(s390ap_matrix *mx, const uint16_t *apqns, unsigned n)
{
	uint8_t st[MX_RESET_BATCH];
	unsigned pending = 0, failed = 0;

	for (unsigned i = 0; i < n; i++) {
		/* in progress until seen complete: a timeout is a failed reset */
		mx->reset_sw[apqns[i]] = (uint32_t)S390AP_RC_RESET_IN_PROGRESS << 16;
		st[i] = reset_step(mx, apqns[i], host_pqap(mx, S390AP_FC_ZAPQ, apqns[i]), true);
		pending += st[i] != RQ_NONE;
	}
	for (unsigned round = 0; pending && round < mx->retries; round++) {
		(void)s390ap_machine_advance(mx->m, mx->retry_cycles);
		pending = 0;
		for (unsigned i = 0; i < n; i++) {
			uint16_t apqn = apqns[i];

			if (st[i] == RQ_ZAP) {
				uint32_t sw = host_pqap(mx, S390AP_FC_TAPQ, apqn);

				/* still busy: wait on; idle: the ZAPQ again */
				if (S390AP_SW_RC(sw) != S390AP_RC_BUSY &&
				    S390AP_SW_RC(sw) != S390AP_RC_RESET_IN_PROGRESS)
					st[i] = reset_step(mx, apqn,
							   host_pqap(mx, S390AP_FC_ZAPQ, apqn),
							   true);
			} else if (st[i] == RQ_CHECK) {
				st[i] = reset_step(mx, apqn, host_pqap(mx, S390AP_FC_TAPQ, apqn),
						   false);
			}
			pending += st[i] != RQ_NONE;
		}
	}
	for (unsigned i = 0; i < n; i++)
		failed += S390AP_SW_RC(mx->reset_sw[apqns[i]]) != 0;
	return failed;
}

unsigned mx_reset_queues(s390ap_matrix *mx, const uint16_t *apqns, unsigned n)
{
	unsigned failed = 0;

	for (unsigned i = 0; i < n; i += MX_RESET_BATCH)
		failed +=
			reset_batch(mx, apqns + i, n - i < MX_RESET_BATCH ? n - i : MX_RESET_BATCH);
	return failed;
}
