/* SPDX-License-Identifier: MIT */
/* The vfio-ap matrix layer's objects (docs/matrix.md), shared by its
 * files: matrix.c (mdevs, assignment, filtering, open/release), bus.c
 * (host masks, binding, configuration, queue resets). */
#ifndef S390AP_MATRIX_INTERNAL_H
#define S390AP_MATRIX_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>

#include "s390ap/matrix.h"

#define MX_MASK 32u
#define MX_NAPQN 65536u
#define MX_RESET_BATCH 256u

/* One APCB's worth of masks. */
struct mx_masks {
	uint8_t apm[MX_MASK], aqm[MX_MASK], adm[MX_MASK];
};

struct s390ap_mdev {
	s390ap_matrix *mx;
	char uuid[S390AP_UUID_LEN + 1];
	struct mx_masks assigned;
	struct mx_masks guest; /* the shadow APCB */
	s390ap_vm *vm;         /* open on this VM, or NULL */
	s390ap_mdev_request_fn request;
	void *request_ctx;
	uint64_t crycb_updates;
};

struct s390ap_matrix {
	s390ap_machine *m;
	s390ap_kvm *kvm;
	unsigned policy;
	unsigned retries;
	uint64_t retry_cycles;
	uint8_t apmask[MX_MASK], aqmask[MX_MASK];
	struct mx_masks host; /* the configuration as QCI shows it */
	uint8_t *binding;     /* s390ap_binding per APQN */
	uint32_t *reset_sw;   /* the last reset's status word per APQN */
	s390ap_mdev **mdevs;
	unsigned nmdevs;
	char errmsg[256];
};

__attribute__((format(printf, 3, 4))) int mx_err(const s390ap_matrix *mx, int err, const char *fmt,
						 ...);

static inline bool mx_test(const uint8_t *m, unsigned id)
{
	return (m[id >> 3] & (0x80u >> (id & 7u))) != 0;
}

static inline void mx_set(uint8_t *m, unsigned id)
{
	m[id >> 3] = (uint8_t)(m[id >> 3] | (0x80u >> (id & 7u)));
}

static inline void mx_clear(uint8_t *m, unsigned id)
{
	m[id >> 3] = (uint8_t)(m[id >> 3] & ~(0x80u >> (id & 7u)));
}

/* apqn in apm x aqm */
static inline bool mx_has(const struct mx_masks *k, uint16_t apqn)
{
	return mx_test(k->apm, apqn >> 8) && mx_test(k->aqm, apqn & 0xffu);
}

/* ---- bus.c ---- */
/* Read the machine's configuration and bind every queue from the masks. */
void mx_bus_scan(s390ap_matrix *mx);
/* Reset (ZAPQ) the queues of the list and wait for them on the machine's
 * clock; each one's status word is recorded.  Returns the number of
 * queues whose reset failed. */
unsigned mx_reset_queues(s390ap_matrix *mx, const uint16_t *apqns, unsigned n);

/* ---- matrix.c ---- */
/* Recompute every mdev's guest matrix and bring the open ones' CRYCBs up
 * to date (one update each when it changed), resetting the queues that
 * left a guest. */
int mx_refilter_all(s390ap_matrix *mx);
/* The mdev (other than `skip`) whose assigned matrix has the APQN. */
s390ap_mdev *mx_owner(const s390ap_matrix *mx, uint16_t apqn, const s390ap_mdev *skip);

#endif
