/* SPDX-License-Identifier: MIT */
/* TEMP stub of the matrix core: mdevs and masks without the assignment
 * rules, only so that the string interface links and its tests run before
 * the core is merged.  Drop with the core's arrival. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "matrix/text.h"
#include "s390ap/error.h"
#include "s390ap/matrix.h"

struct s390ap_mdev {
	s390ap_matrix *mx;
	char uuid[S390AP_UUID_LEN + 1];
	uint8_t apm[32], aqm[32], adm[32];
};

struct s390ap_matrix {
	uint8_t apmask[32], aqmask[32];
	s390ap_mdev *mdevs[S390AP_MATRIX_MAX_MDEVS];
	unsigned n;
	char errmsg[192];
};

int matrix_error(s390ap_matrix *mx, int err, const char *fmt, ...)
{
	if (mx) {
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(mx->errmsg, sizeof(mx->errmsg), fmt, ap);
		va_end(ap);
	}
	return err;
}

int s390ap_matrix_new(s390ap_matrix **out, s390ap_machine *m, s390ap_kvm *kvm,
		      const s390ap_matrix_opts *opts)
{
	(void)m;
	(void)kvm;
	if (!out)
		return S390AP_EINVAL;
	s390ap_matrix *mx = calloc(1, sizeof(*mx));
	if (!mx)
		return S390AP_ENOMEM;
	if (!opts || !opts->masks_zero) {
		memset(mx->apmask, 0xff, 32);
		memset(mx->aqmask, 0xff, 32);
	}
	*out = mx;
	return 0;
}

void s390ap_matrix_free(s390ap_matrix *mx)
{
	if (!mx)
		return;
	for (unsigned i = 0; i < mx->n; i++)
		free(mx->mdevs[i]);
	free(mx);
}

const char *s390ap_matrix_errmsg(const s390ap_matrix *mx)
{
	return mx ? mx->errmsg : "no matrix";
}

int s390ap_matrix_apmask(const s390ap_matrix *mx, uint8_t mask[32])
{
	memcpy(mask, mx->apmask, 32);
	return 0;
}

int s390ap_matrix_aqmask(const s390ap_matrix *mx, uint8_t mask[32])
{
	memcpy(mask, mx->aqmask, 32);
	return 0;
}

int s390ap_matrix_set_apmask(s390ap_matrix *mx, const uint8_t mask[32])
{
	memcpy(mx->apmask, mask, 32);
	return 0;
}

int s390ap_matrix_set_aqmask(s390ap_matrix *mx, const uint8_t mask[32])
{
	memcpy(mx->aqmask, mask, 32);
	return 0;
}

s390ap_binding s390ap_matrix_binding(const s390ap_matrix *mx, uint16_t apqn)
{
	(void)mx;
	(void)apqn;
	return S390AP_BIND_NONE;
}

int s390ap_matrix_queue_use(const s390ap_matrix *mx, uint16_t apqn, s390ap_queue_use *use)
{
	(void)mx;
	(void)apqn;
	(void)use;
	return S390AP_ENODEV;
}

int s390ap_matrix_config_changed(s390ap_matrix *mx)
{
	(void)mx;
	return 0;
}

int s390ap_mdev_create(s390ap_matrix *mx, const char *uuid, s390ap_mdev **out)
{
	char u[S390AP_UUID_LEN + 1];
	if (!mx || !uuid || mtx_parse_uuid(uuid, u))
		return S390AP_EINVAL;
	if (s390ap_mdev_find(mx, u))
		return matrix_error(mx, S390AP_EEXIST, "%s exists", u);
	if (mx->n == S390AP_MATRIX_MAX_MDEVS)
		return matrix_error(mx, S390AP_EUSERS, "full");
	s390ap_mdev *md = calloc(1, sizeof(*md));
	if (!md)
		return S390AP_ENOMEM;
	md->mx = mx;
	memcpy(md->uuid, u, sizeof(u));
	mx->mdevs[mx->n++] = md;
	if (out)
		*out = md;
	return 0;
}

int s390ap_mdev_remove(s390ap_mdev *md)
{
	s390ap_matrix *mx = md->mx;
	for (unsigned i = 0; i < mx->n; i++) {
		if (mx->mdevs[i] == md) {
			memmove(&mx->mdevs[i], &mx->mdevs[i + 1], (mx->n - i - 1) * sizeof(md));
			mx->n--;
			free(md);
			return 0;
		}
	}
	return S390AP_EINVAL;
}

s390ap_mdev *s390ap_mdev_find(const s390ap_matrix *mx, const char *uuid)
{
	char u[S390AP_UUID_LEN + 1];
	if (!mx || !uuid || mtx_parse_uuid(uuid, u))
		return NULL;
	for (unsigned i = 0; i < mx->n; i++)
		if (!strcmp(mx->mdevs[i]->uuid, u))
			return mx->mdevs[i];
	return NULL;
}

unsigned s390ap_matrix_mdev_count(const s390ap_matrix *mx)
{
	return mx ? mx->n : 0;
}

s390ap_mdev *s390ap_matrix_mdev(const s390ap_matrix *mx, unsigned i)
{
	return mx && i < mx->n ? mx->mdevs[i] : NULL;
}

const char *s390ap_mdev_uuid(const s390ap_mdev *md)
{
	return md ? md->uuid : "";
}

int s390ap_mdev_set_request(s390ap_mdev *md, s390ap_mdev_request_fn fn, void *ctx)
{
	(void)md;
	(void)fn;
	(void)ctx;
	return 0;
}

static int set_id(s390ap_mdev *md, uint8_t *m, unsigned long id, bool on)
{
	if (id > 255)
		return matrix_error(md->mx, S390AP_ENODEV, "id %lu over the maximum", id);
	if (on)
		m[id / 8] |= (uint8_t)(0x80u >> (id % 8));
	else
		m[id / 8] &= (uint8_t) ~(0x80u >> (id % 8));
	return 0;
}

int s390ap_mdev_assign_adapter(s390ap_mdev *md, unsigned long apid)
{
	return set_id(md, md->apm, apid, true);
}

int s390ap_mdev_unassign_adapter(s390ap_mdev *md, unsigned long apid)
{
	return set_id(md, md->apm, apid, false);
}

int s390ap_mdev_assign_domain(s390ap_mdev *md, unsigned long apqi)
{
	return set_id(md, md->aqm, apqi, true);
}

int s390ap_mdev_unassign_domain(s390ap_mdev *md, unsigned long apqi)
{
	return set_id(md, md->aqm, apqi, false);
}

int s390ap_mdev_assign_control_domain(s390ap_mdev *md, unsigned long dom)
{
	return set_id(md, md->adm, dom, true);
}

int s390ap_mdev_unassign_control_domain(s390ap_mdev *md, unsigned long dom)
{
	return set_id(md, md->adm, dom, false);
}

int s390ap_mdev_set_config(s390ap_mdev *md, const uint8_t apm[32], const uint8_t aqm[32],
			   const uint8_t adm[32])
{
	memcpy(md->apm, apm, 32);
	memcpy(md->aqm, aqm, 32);
	memcpy(md->adm, adm, 32);
	return 0;
}

int s390ap_mdev_matrix(const s390ap_mdev *md, uint8_t apm[32], uint8_t aqm[32], uint8_t adm[32])
{
	if (apm)
		memcpy(apm, md->apm, 32);
	if (aqm)
		memcpy(aqm, md->aqm, 32);
	if (adm)
		memcpy(adm, md->adm, 32);
	return 0;
}

int s390ap_mdev_guest_matrix(const s390ap_mdev *md, uint8_t apm[32], uint8_t aqm[32],
			     uint8_t adm[32])
{
	/* nothing is configured in the stub: the guest sees nothing */
	(void)md;
	if (apm)
		memset(apm, 0, 32);
	if (aqm)
		memset(aqm, 0, 32);
	if (adm)
		memset(adm, 0, 32);
	return 0;
}

int s390ap_mdev_open(s390ap_mdev *md, s390ap_vm *vm)
{
	(void)md;
	(void)vm;
	return S390AP_EINVAL;
}

int s390ap_mdev_release(s390ap_mdev *md)
{
	(void)md;
	return 0;
}

int s390ap_mdev_reset(s390ap_mdev *md)
{
	(void)md;
	return 0;
}

s390ap_vm *s390ap_mdev_vm(const s390ap_mdev *md)
{
	(void)md;
	return NULL;
}

int s390ap_mdev_aqic_hook(void *md, s390ap_vcpu *vcpu)
{
	(void)md;
	(void)vcpu;
	return S390AP_EINVAL;
}
