/* SPDX-License-Identifier: MIT */
/* The vfio-ap matrix layer (docs/matrix.md): mdevs, their assigned and
 * guest matrices, the assignment rules of both policies, filtering, and
 * open / release / reset / remove on the host model's VMs. */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "matrix_internal.h"
#include "s390ap/error.h"
#include "sie/sie_internal.h"
#include "util/opts.h"

#define MS_PER_RETRY 20u /* the kernel's wait between reset checks */
#define DEFAULT_RETRIES 5u

int mx_err(const s390ap_matrix *mx, int err, const char *fmt, ...)
{
	/* the matrix is the caller's heap object: a getter that fails may
	 * leave its message too */
	s390ap_matrix *w = (s390ap_matrix *)(uintptr_t)mx;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(w->errmsg, sizeof w->errmsg, fmt, ap);
	va_end(ap);
	return err;
}

const char *s390ap_matrix_errmsg(const s390ap_matrix *mx)
{
	return mx ? mx->errmsg : "";
}

/* The set ids of a mask, ascending. */
static unsigned ids_of(const uint8_t m[MX_MASK], uint8_t ids[256])
{
	unsigned n = 0;

	for (unsigned b = 0; b < MX_MASK; b++) {
		if (!m[b])
			continue;
		for (unsigned i = 0; i < 8; i++)
			if (m[b] & (0x80u >> i))
				ids[n++] = (uint8_t)(b * 8 + i);
	}
	return n;
}

static bool masks_eq(const struct mx_masks *a, const struct mx_masks *b)
{
	return memcmp(a, b, sizeof(*a)) == 0;
}

s390ap_mdev *mx_owner(const s390ap_matrix *mx, uint16_t apqn, const s390ap_mdev *skip)
{
	for (unsigned i = 0; i < mx->nmdevs; i++)
		if (mx->mdevs[i] != skip && mx_has(&mx->mdevs[i]->assigned, apqn))
			return mx->mdevs[i];
	return NULL;
}

/* ---- the matrix ---- */

int s390ap_matrix_new(s390ap_matrix **out, s390ap_machine *m, s390ap_kvm *kvm,
		      const s390ap_matrix_opts *opts)
{
	s390ap_matrix_opts o = { 0 };
	s390ap_matrix *mx;

	if (out)
		*out = NULL;
	if (!out || !m)
		return S390AP_EINVAL;
	if (opts && OPTS_COPY(&o, opts, s390ap_matrix_opts, masks_zero) < 0)
		return S390AP_EINVAL;
	if (o.policy > S390AP_MATRIX_STATIC)
		return S390AP_EINVAL;
	mx = calloc(1, sizeof(*mx));
	if (!mx)
		return S390AP_ENOMEM;
	mx->binding = calloc(MX_NAPQN, 1);
	mx->reset_sw = calloc(MX_NAPQN, sizeof(*mx->reset_sw));
	if (!mx->binding || !mx->reset_sw) {
		free(mx->binding);
		free(mx->reset_sw);
		free(mx);
		return S390AP_ENOMEM;
	}
	mx->m = m;
	mx->kvm = kvm;
	mx->policy = o.policy;
	mx->retries = o.retries ? o.retries : DEFAULT_RETRIES;
	mx->retry_cycles = o.retry_cycles
				   ? o.retry_cycles
				   : s390ap_machine_cycles_from_ns(m, MS_PER_RETRY * 1000000ull);
	memset(mx->apmask, o.masks_zero ? 0 : 0xff, MX_MASK);
	memset(mx->aqmask, o.masks_zero ? 0 : 0xff, MX_MASK);
	mx_bus_scan(mx);
	*out = mx;
	return 0;
}

static void mdev_free(s390ap_mdev *md)
{
	free(md);
}

void s390ap_matrix_free(s390ap_matrix *mx)
{
	if (!mx)
		return;
	for (unsigned i = 0; i < mx->nmdevs; i++) {
		if (mx->mdevs[i]->vm)
			(void)s390ap_mdev_release(mx->mdevs[i]);
		mdev_free(mx->mdevs[i]);
	}
	free(mx->mdevs);
	free(mx->binding);
	free(mx->reset_sw);
	free(mx);
}

int s390ap_matrix_reset_status(const s390ap_matrix *mx, uint16_t apqn, uint32_t *sw)
{
	if (!mx || !sw)
		return S390AP_EINVAL;
	*sw = mx->reset_sw[apqn];
	return 0;
}

/* ---- filtering ---- */

static bool dynamic(const s390ap_matrix *mx)
{
	return mx->policy == S390AP_MATRIX_DYNAMIC;
}

/* The guest matrix the mdev's assigned matrix gives now. */
static void filter(const s390ap_mdev *md, struct mx_masks *g)
{
	const s390ap_matrix *mx = md->mx;
	uint8_t apids[256], apqis[256];
	unsigned na, nq;

	if (!dynamic(mx)) {
		*g = md->assigned;
		return;
	}
	for (unsigned b = 0; b < MX_MASK; b++) {
		g->apm[b] = md->assigned.apm[b] & mx->host.apm[b];
		g->aqm[b] = md->assigned.aqm[b] & mx->host.aqm[b];
		g->adm[b] = md->assigned.adm[b] & mx->host.adm[b];
	}
	/* one missing, unbound or badly reset queue hides its whole adapter:
	 * the APCB cannot leave out a single APQN */
	na = ids_of(g->apm, apids);
	nq = ids_of(g->aqm, apqis);
	for (unsigned i = 0; i < na; i++)
		for (unsigned j = 0; j < nq; j++) {
			uint16_t apqn = S390AP_APQN(apids[i], apqis[j]);

			if (mx->binding[apqn] != S390AP_BIND_VFIO ||
			    S390AP_SW_RC(mx->reset_sw[apqn]) != 0) {
				mx_clear(g->apm, apids[i]);
				break;
			}
		}
}

/* Make the new guest matrix the mdev's: one CRYCB update when it is open
 * and the matrix changed; the queues that left the guest lose their
 * interruption registration and, when reset_left and still bound to
 * vfio_ap, are reset (they come back clean). */
static int apply(s390ap_mdev *md, const struct mx_masks *g, bool reset_left)
{
	s390ap_matrix *mx = md->mx;
	struct mx_masks old = md->guest;
	uint8_t apids[256], apqis[256];
	uint16_t *left = NULL;
	unsigned na, nq, nleft = 0;
	int rc = 0;

	if (masks_eq(&old, g))
		return 0;
	md->guest = *g;
	if (!md->vm)
		return 0;
	rc = s390ap_vm_set_masks(md->vm, g->apm, g->aqm, g->adm);
	if (rc < 0)
		return mx_err(mx, rc, "mdev %s: the guest's CRYCB: %s", md->uuid,
			      s390ap_kvm_errmsg(mx->kvm));
	md->crycb_updates++;
	na = ids_of(old.apm, apids);
	nq = ids_of(old.aqm, apqis);
	if (!na || !nq)
		return 0;
	left = malloc((size_t)na * nq * sizeof(*left));
	if (!left)
		return mx_err(mx, S390AP_ENOMEM, "mdev %s: out of memory", md->uuid);
	for (unsigned i = 0; i < na; i++)
		for (unsigned j = 0; j < nq; j++) {
			uint16_t apqn = S390AP_APQN(apids[i], apqis[j]);

			if (mx_has(g, apqn))
				continue;
			kvm_aqic_forget(md->vm, apqn);
			if (reset_left && mx->binding[apqn] == S390AP_BIND_VFIO)
				left[nleft++] = apqn;
		}
	if (nleft)
		(void)mx_reset_queues(mx, left, nleft);
	free(left);
	return 0;
}

static int refilter(s390ap_mdev *md)
{
	struct mx_masks g;

	filter(md, &g);
	return apply(md, &g, true);
}

int mx_refilter_all(s390ap_matrix *mx)
{
	int rc = 0;

	for (unsigned i = 0; i < mx->nmdevs; i++) {
		int r = refilter(mx->mdevs[i]);

		if (r < 0 && rc == 0)
			rc = r;
	}
	return rc;
}

/* ---- mdevs ---- */

/* 8-4-4-4-12 hex digits, any case, stored lowercase. */
static bool uuid_parse(const char *text, char out[S390AP_UUID_LEN + 1])
{
	for (unsigned i = 0; i < S390AP_UUID_LEN; i++) {
		char c = text[i];

		if (i == 8 || i == 13 || i == 18 || i == 23) {
			if (c != '-')
				return false;
		} else if (!isxdigit((unsigned char)c)) {
			return false;
		}
		out[i] = (char)tolower((unsigned char)c);
	}
	if (text[S390AP_UUID_LEN] != '\0')
		return false;
	out[S390AP_UUID_LEN] = '\0';
	return true;
}

s390ap_mdev *s390ap_mdev_find(const s390ap_matrix *mx, const char *uuid)
{
	char u[S390AP_UUID_LEN + 1];

	if (!mx || !uuid || !uuid_parse(uuid, u))
		return NULL;
	for (unsigned i = 0; i < mx->nmdevs; i++)
		if (strcmp(mx->mdevs[i]->uuid, u) == 0)
			return mx->mdevs[i];
	return NULL;
}

int s390ap_mdev_create(s390ap_matrix *mx, const char *uuid, s390ap_mdev **out)
{
	char u[S390AP_UUID_LEN + 1];
	s390ap_mdev *md, **list;

	if (out)
		*out = NULL;
	if (!mx)
		return S390AP_EINVAL;
	if (!uuid || !uuid_parse(uuid, u))
		return mx_err(mx, S390AP_EINVAL, "create: not a UUID");
	if (s390ap_mdev_find(mx, u))
		return mx_err(mx, S390AP_EEXIST, "create: mdev %s exists", u);
	if (mx->nmdevs >= S390AP_MATRIX_MAX_MDEVS)
		return mx_err(mx, dynamic(mx) ? S390AP_EUSERS : S390AP_EPERM,
			      "create: no instances left (%u exist)", mx->nmdevs);
	md = calloc(1, sizeof(*md));
	if (!md)
		return mx_err(mx, S390AP_ENOMEM, "create: out of memory");
	list = realloc(mx->mdevs, (mx->nmdevs + 1) * sizeof(*list));
	if (!list) {
		free(md);
		return mx_err(mx, S390AP_ENOMEM, "create: out of memory");
	}
	mx->mdevs = list;
	md->mx = mx;
	memcpy(md->uuid, u, sizeof(u));
	mx->mdevs[mx->nmdevs++] = md;
	if (out)
		*out = md;
	return 0;
}

unsigned s390ap_matrix_mdev_count(const s390ap_matrix *mx)
{
	return mx ? mx->nmdevs : 0;
}

s390ap_mdev *s390ap_matrix_mdev(const s390ap_matrix *mx, unsigned i)
{
	return mx && i < mx->nmdevs ? mx->mdevs[i] : NULL;
}

const char *s390ap_mdev_uuid(const s390ap_mdev *md)
{
	return md ? md->uuid : "";
}

int s390ap_mdev_set_request(s390ap_mdev *md, s390ap_mdev_request_fn fn, void *ctx)
{
	if (!md)
		return S390AP_EINVAL;
	md->request = fn;
	md->request_ctx = ctx;
	return 0;
}

s390ap_vm *s390ap_mdev_vm(const s390ap_mdev *md)
{
	return md ? md->vm : NULL;
}

uint64_t s390ap_mdev_crycb_updates(const s390ap_mdev *md)
{
	return md ? md->crycb_updates : 0;
}

static void copy_out(const struct mx_masks *k, uint8_t apm[32], uint8_t aqm[32], uint8_t adm[32])
{
	if (apm)
		memcpy(apm, k->apm, MX_MASK);
	if (aqm)
		memcpy(aqm, k->aqm, MX_MASK);
	if (adm)
		memcpy(adm, k->adm, MX_MASK);
}

int s390ap_mdev_matrix(const s390ap_mdev *md, uint8_t apm[32], uint8_t aqm[32], uint8_t adm[32])
{
	if (!md)
		return S390AP_EINVAL;
	copy_out(&md->assigned, apm, aqm, adm);
	return 0;
}

int s390ap_mdev_guest_matrix(const s390ap_mdev *md, uint8_t apm[32], uint8_t aqm[32],
			     uint8_t adm[32])
{
	if (!md)
		return S390AP_EINVAL;
	copy_out(&md->guest, apm, aqm, adm);
	return 0;
}

/* Reset every linked queue (assigned and bound to vfio_ap) and forget
 * the guest's interruption state of every assigned one: the number of
 * failed resets, or a negative error. */
static int reset_all(s390ap_mdev *md, s390ap_vm *vm)
{
	uint8_t apids[256], apqis[256];
	unsigned na = ids_of(md->assigned.apm, apids), nq = ids_of(md->assigned.aqm, apqis);
	unsigned n = 0, failed;
	uint16_t *apqns;

	if (!na || !nq)
		return 0;
	apqns = malloc((size_t)na * nq * sizeof(*apqns));
	if (!apqns)
		return mx_err(md->mx, S390AP_ENOMEM, "mdev %s: out of memory", md->uuid);
	for (unsigned i = 0; i < na; i++)
		for (unsigned j = 0; j < nq; j++) {
			uint16_t apqn = S390AP_APQN(apids[i], apqis[j]);

			if (md->mx->binding[apqn] == S390AP_BIND_VFIO)
				apqns[n++] = apqn;
			if (vm)
				kvm_aqic_forget(vm, apqn);
		}
	failed = mx_reset_queues(md->mx, apqns, n);
	free(apqns);
	return (int)failed;
}

int s390ap_mdev_open(s390ap_mdev *md, s390ap_vm *vm)
{
	s390ap_matrix *mx;
	struct mx_masks g;
	int rc;

	if (!md)
		return S390AP_EINVAL;
	mx = md->mx;
	if (!vm || !mx->kvm)
		return mx_err(mx, S390AP_EINVAL, "mdev %s: open without a KVM", md->uuid);
	if (md->vm)
		return mx_err(mx, S390AP_EBUSY, "mdev %s is open already", md->uuid);
	for (unsigned i = 0; i < mx->nmdevs; i++)
		if (mx->mdevs[i]->vm == vm)
			return mx_err(mx, S390AP_EPERM, "the VM has mdev %s already",
				      mx->mdevs[i]->uuid);
	rc = s390ap_vm_set_pqap_hook(vm, s390ap_mdev_aqic_hook, md);
	if (rc < 0)
		return mx_err(mx, rc, "mdev %s: the PQAP hook: %s", md->uuid,
			      s390ap_kvm_errmsg(mx->kvm));
	filter(md, &g);
	md->guest = g;
	rc = s390ap_vm_set_masks(vm, g.apm, g.aqm, g.adm);
	if (rc < 0) {
		(void)s390ap_vm_set_pqap_hook(vm, NULL, NULL);
		return mx_err(mx, rc, "mdev %s: the guest's CRYCB: %s", md->uuid,
			      s390ap_kvm_errmsg(mx->kvm));
	}
	md->crycb_updates++;
	md->vm = vm;
	return 0;
}

int s390ap_mdev_release(s390ap_mdev *md)
{
	s390ap_vm *vm;
	struct mx_masks g;
	int rc;

	if (!md)
		return S390AP_EINVAL;
	vm = md->vm;
	if (!vm)
		return 0;
	(void)s390ap_vm_set_pqap_hook(vm, NULL, NULL);
	(void)s390ap_vm_clear_masks(vm);
	md->crycb_updates++;
	md->vm = NULL;
	rc = reset_all(md, vm);
	filter(md, &g);
	(void)apply(md, &g, false);
	return rc < 0 ? rc : 0;
}

int s390ap_mdev_reset(s390ap_mdev *md)
{
	struct mx_masks g;
	int rc;

	if (!md)
		return S390AP_EINVAL;
	rc = reset_all(md, md->vm);
	if (rc < 0)
		return rc;
	/* a failed reset hides its adapter from now on */
	filter(md, &g);
	(void)apply(md, &g, false);
	if (rc > 0)
		return mx_err(md->mx, S390AP_EIO, "mdev %s: %d queue reset(s) failed", md->uuid,
			      rc);
	return 0;
}

int s390ap_mdev_remove(s390ap_mdev *md)
{
	s390ap_matrix *mx;
	unsigned i;

	if (!md)
		return S390AP_EINVAL;
	mx = md->mx;
	if (md->vm) {
		if (!dynamic(mx))
			return mx_err(mx, S390AP_EBUSY, "mdev %s is in use by a guest", md->uuid);
		if (!md->request)
			return mx_err(mx, S390AP_EBUSY,
				      "No device request registered, blocked until released by "
				      "user");
		md->request(md->request_ctx, md);
		if (md->vm)
			return mx_err(mx, S390AP_EBUSY, "mdev %s is still open after the request",
				      md->uuid);
	}
	(void)reset_all(md, NULL);
	for (i = 0; i < mx->nmdevs && mx->mdevs[i] != md; i++)
		;
	if (i == mx->nmdevs)
		return mx_err(mx, S390AP_EINVAL, "no such mdev");
	memmove(mx->mdevs + i, mx->mdevs + i + 1, (mx->nmdevs - i - 1) * sizeof(*mx->mdevs));
	mx->nmdevs--;
	mdev_free(md);
	return 0;
}

/* ---- assignment ---- */

enum mx_which { W_APM, W_AQM, W_ADM };

static const char *const what_name[] = { "adapter", "domain", "control domain" };

static unsigned max_id(const s390ap_matrix *mx, enum mx_which w)
{
	return w == W_APM ? s390ap_machine_max_apid(mx->m) : s390ap_machine_max_apqi(mx->m);
}

/* May the queues apm x aqm be given to the mdev?  EADDRNOTAVAIL when one
 * is the default driver's (the dynamic policy: by the masks; the static
 * one: not bound to vfio_ap), EADDRINUSE when another mdev has one. */
static int check_queues(const s390ap_mdev *md, const uint8_t *apm, const uint8_t *aqm)
{
	const s390ap_matrix *mx = md->mx;
	uint8_t apids[256], apqis[256];
	unsigned na = ids_of(apm, apids), nq = ids_of(aqm, apqis);

	if (!dynamic(mx)) {
		/* the 2018 rule: bound to vfio_ap; with the other mask empty,
		 * at least one bound queue on the id */
		if (na && !nq) {
			for (unsigned i = 0; i < na; i++) {
				unsigned q = 0;

				while (q < 256 &&
				       mx->binding[S390AP_APQN(apids[i], q)] != S390AP_BIND_VFIO)
					q++;
				if (q == 256)
					return mx_err(mx, S390AP_EADDRNOTAVAIL,
						      "adapter %02x has no queue bound to vfio_ap",
						      apids[i]);
			}
		} else if (nq && !na) {
			for (unsigned j = 0; j < nq; j++) {
				unsigned a = 0;

				while (a < 256 &&
				       mx->binding[S390AP_APQN(a, apqis[j])] != S390AP_BIND_VFIO)
					a++;
				if (a == 256)
					return mx_err(mx, S390AP_EADDRNOTAVAIL,
						      "domain %04x has no queue bound to vfio_ap",
						      apqis[j]);
			}
		}
	}
	for (unsigned i = 0; i < na; i++)
		for (unsigned j = 0; j < nq; j++) {
			uint16_t apqn = S390AP_APQN(apids[i], apqis[j]);
			bool ok = dynamic(mx) ? !(mx_test(mx->apmask, apids[i]) &&
						  mx_test(mx->aqmask, apqis[j]))
					      : mx->binding[apqn] == S390AP_BIND_VFIO;

			if (!ok)
				return mx_err(mx, S390AP_EADDRNOTAVAIL,
					      "Userspace may not assign queue %02x.%04x to mdev: "
					      "%s",
					      apids[i], apqis[j],
					      dynamic(mx) ? "reserved for the default driver"
							  : "not bound to vfio_ap");
		}
	for (unsigned i = 0; i < na; i++)
		for (unsigned j = 0; j < nq; j++) {
			const s390ap_mdev *o = mx_owner(mx, S390AP_APQN(apids[i], apqis[j]), md);

			if (o)
				return mx_err(mx, S390AP_EADDRINUSE,
					      "Userspace may not assign queue %02x.%04x to mdev: "
					      "already assigned to %s",
					      apids[i], apqis[j], o->uuid);
		}
	return 0;
}

static int assign(s390ap_mdev *md, enum mx_which w, unsigned long id, bool on)
{
	s390ap_matrix *mx;
	uint8_t *mask;

	if (!md)
		return S390AP_EINVAL;
	mx = md->mx;
	if (!dynamic(mx) && md->vm)
		return mx_err(mx, S390AP_EBUSY, "mdev %s is in use by a guest", md->uuid);
	if (id > max_id(mx, w))
		return mx_err(mx, S390AP_ENODEV, "%s %lu is over the maximum %u", what_name[w], id,
			      max_id(mx, w));
	mask = w == W_APM ? md->assigned.apm : w == W_AQM ? md->assigned.aqm : md->assigned.adm;
	if (mx_test(mask, (unsigned)id) == on)
		return 0;
	if (on && w != W_ADM) {
		uint8_t one[MX_MASK] = { 0 };
		int rc;

		mx_set(one, (unsigned)id);
		rc = w == W_APM ? check_queues(md, one, md->assigned.aqm)
				: check_queues(md, md->assigned.apm, one);
		if (rc < 0)
			return rc;
	}
	if (on)
		mx_set(mask, (unsigned)id);
	else
		mx_clear(mask, (unsigned)id);
	return refilter(md);
}

int s390ap_mdev_assign_adapter(s390ap_mdev *md, unsigned long apid)
{
	return assign(md, W_APM, apid, true);
}

int s390ap_mdev_unassign_adapter(s390ap_mdev *md, unsigned long apid)
{
	return assign(md, W_APM, apid, false);
}

int s390ap_mdev_assign_domain(s390ap_mdev *md, unsigned long apqi)
{
	return assign(md, W_AQM, apqi, true);
}

int s390ap_mdev_unassign_domain(s390ap_mdev *md, unsigned long apqi)
{
	return assign(md, W_AQM, apqi, false);
}

int s390ap_mdev_assign_control_domain(s390ap_mdev *md, unsigned long dom)
{
	return assign(md, W_ADM, dom, true);
}

int s390ap_mdev_unassign_control_domain(s390ap_mdev *md, unsigned long dom)
{
	return assign(md, W_ADM, dom, false);
}

/* The highest id set in a mask, -1 for none. */
static int top_id(const uint8_t m[MX_MASK])
{
	for (int id = 255; id >= 0; id--)
		if (mx_test(m, (unsigned)id))
			return id;
	return -1;
}

int s390ap_mdev_set_config(s390ap_mdev *md, const uint8_t apm[32], const uint8_t aqm[32],
			   const uint8_t adm[32])
{
	s390ap_matrix *mx;
	int rc;

	if (!md)
		return S390AP_EINVAL;
	mx = md->mx;
	if (!apm || !aqm || !adm)
		return mx_err(mx, S390AP_EINVAL, "ap_config: a mask is missing");
	if (!dynamic(mx) && md->vm)
		return mx_err(mx, S390AP_EBUSY, "mdev %s is in use by a guest", md->uuid);
	rc = check_queues(md, apm, aqm);
	if (rc < 0)
		return rc;
	if (top_id(apm) > (int)max_id(mx, W_APM) || top_id(aqm) > (int)max_id(mx, W_AQM) ||
	    top_id(adm) > (int)max_id(mx, W_ADM))
		return mx_err(mx, S390AP_ENODEV, "ap_config: an id is over the maximum (%u/%u)",
			      max_id(mx, W_APM), max_id(mx, W_AQM));
	memcpy(md->assigned.apm, apm, MX_MASK);
	memcpy(md->assigned.aqm, aqm, MX_MASK);
	memcpy(md->assigned.adm, adm, MX_MASK);
	return refilter(md);
}

/* ---- the AQIC hook ---- */

static bool mdev_owns(void *ctx, uint16_t apqn)
{
	const s390ap_mdev *md = ctx;

	return md->vm && mx_has(&md->guest, apqn) && md->mx->binding[apqn] == S390AP_BIND_VFIO;
}

int s390ap_mdev_aqic_hook(void *ctx, s390ap_vcpu *vcpu)
{
	s390ap_mdev *md = ctx;

	if (!md || !vcpu)
		return S390AP_EINVAL;
	return kvm_aqic(vcpu, mdev_owns, md, md->mx->retries, md->mx->retry_cycles);
}
