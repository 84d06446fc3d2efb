/* SPDX-License-Identifier: MIT */
/* s390ap — the vfio-ap "matrix" layer: mediated devices (mdevs) that hand
 * AP queues of a machine to guests of the host model (kvm.h), with the
 * rules, formats and error codes of Linux's vfio_ap and AP bus
 * (docs/matrix.md).
 *
 * One matrix per machine: the AP bus's host masks (apmask / aqmask: a
 * queue whose adapter AND domain bits are both set belongs to the default
 * driver, every other queue of the configuration to vfio_ap), the binding
 * of each queue, and up to S390AP_MATRIX_MAX_MDEVS mdevs.  An mdev has an
 * assigned matrix (what the administrator assigned) and a guest matrix
 * (what its guest gets after filtering); opened on a VM it writes the
 * guest matrix into the VM's CRYCB and registers its PQAP hook.
 *
 * Masks are 32-byte MSB-first images (id 0 = 0x80 of byte 0).  Functions
 * return 0 or a negative S390AP_E* code: the codes the kernel's files
 * give (EINVAL, ENODEV, EADDRNOTAVAIL, EADDRINUSE, EBUSY, EEXIST, EUSERS,
 * EPERM, EIO, ERANGE), with a message in s390ap_matrix_errmsg.
 */
#ifndef S390AP_MATRIX_H
#define S390AP_MATRIX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "s390ap/export.h"
#include "s390ap/kvm.h"
#include "s390ap/machine.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct s390ap_matrix s390ap_matrix;
typedef struct s390ap_mdev s390ap_mdev;

#define S390AP_MATRIX_MAX_MDEVS 256u
#define S390AP_MDEV_TYPE "vfio_ap-passthrough"
#define S390AP_UUID_LEN 36 /* 8-4-4-4-12 hex digits, without the NUL */

/* Which vfio_ap the matrix behaves as. */
typedef enum s390ap_matrix_policy {
	/* Today's (dynamic) design: assignments at any time, hot plug into the
	 * running guest, filtering, over-provisioning, configuration changes
	 * applied to every guest. */
	S390AP_MATRIX_DYNAMIC = 0,
	/* The 2018 design: no change while a guest uses the mdev (EBUSY),
	 * assigned queues must be bound to vfio_ap, no filtering, a full parent
	 * answers EPERM. */
	S390AP_MATRIX_STATIC
} s390ap_matrix_policy;

typedef struct s390ap_matrix_opts {
	uint32_t size;   /* sizeof, S390AP_SIZED (docs/abi.md); 0 = this header's */
	unsigned policy; /* s390ap_matrix_policy */
	/* reset and AQIC-disable waits: retries and the machine cycles between
	 * them (the kernel's 20 ms); 0 = the defaults of docs/matrix.md */
	unsigned retries;
	uint64_t retry_cycles;
	/* start with apmask / aqmask all zero (as with the ap.apmask= / ap.aqmask=
	 * boot parameters) instead of all ones */
	bool masks_zero;
} s390ap_matrix_opts;

/* A matrix over a machine; kvm (may be NULL: no mdev can be opened) is the
 * host whose VMs the mdevs attach to.  Both are borrowed: free the matrix
 * first. */
S390AP_API int s390ap_matrix_new(s390ap_matrix **out, s390ap_machine *m, s390ap_kvm *kvm,
				 const s390ap_matrix_opts *opts);
/* Removes every mdev (releasing the open ones). */
S390AP_API void s390ap_matrix_free(s390ap_matrix *mx);
S390AP_API const char *s390ap_matrix_errmsg(const s390ap_matrix *mx);

/* ---- the AP bus: host masks, binding, configuration ---- */

/* The masks (bit set = the id is reserved for the default driver). */
S390AP_API int s390ap_matrix_apmask(const s390ap_matrix *mx, uint8_t mask[32]);
S390AP_API int s390ap_matrix_aqmask(const s390ap_matrix *mx, uint8_t mask[32]);
/* Replace a mask.  Setting a bit that would give the default driver a
 * queue assigned to an mdev fails with EBUSY and changes nothing; clearing
 * bits always works.  Queues whose owner changed are bound again. */
S390AP_API int s390ap_matrix_set_apmask(s390ap_matrix *mx, const uint8_t mask[32]);
S390AP_API int s390ap_matrix_set_aqmask(s390ap_matrix *mx, const uint8_t mask[32]);

typedef enum s390ap_binding {
	S390AP_BIND_NONE = 0, /* no such queue in the configuration */
	S390AP_BIND_DEFAULT,  /* the default (zcrypt) driver */
	S390AP_BIND_VFIO      /* vfio_ap */
} s390ap_binding;
S390AP_API s390ap_binding s390ap_matrix_binding(const s390ap_matrix *mx, uint16_t apqn);

/* The vfio_ap status of a queue bound to it, as lszcrypt shows it. */
typedef enum s390ap_queue_use {
	S390AP_QUEUE_UNASSIGNED = 0, /* in no mdev's assigned matrix */
	S390AP_QUEUE_ASSIGNED,       /* assigned, not in a running guest */
	S390AP_QUEUE_IN_USE          /* in the guest matrix of an open mdev */
} s390ap_queue_use;
/* ENODEV for a queue not bound to vfio_ap. */
S390AP_API int s390ap_matrix_queue_use(const s390ap_matrix *mx, uint16_t apqn,
				       s390ap_queue_use *use);

/* The machine's configuration changed (adapters or domains added,
 * removed, configured, deconfigured): the AP bus's rescan.  Queues are
 * bound and unbound, and every mdev's guest matrix follows in one CRYCB
 * update per mdev (the dynamic policy). */
S390AP_API int s390ap_matrix_config_changed(s390ap_matrix *mx);

/* ---- mdevs ---- */

/* Create one (the type's `create` file): uuid in the 8-4-4-4-12 form, any
 * case.  EINVAL bad text, EEXIST taken, EUSERS (EPERM in the static
 * policy) when S390AP_MATRIX_MAX_MDEVS exist. */
S390AP_API int s390ap_mdev_create(s390ap_matrix *mx, const char *uuid, s390ap_mdev **out);
/* Remove (the mdev's `remove` file).  An open mdev: the dynamic policy
 * calls its request callback (user space should release it) and answers
 * EBUSY while it stays open; the static policy answers EBUSY. */
S390AP_API int s390ap_mdev_remove(s390ap_mdev *md);
S390AP_API s390ap_mdev *s390ap_mdev_find(const s390ap_matrix *mx, const char *uuid);
S390AP_API unsigned s390ap_matrix_mdev_count(const s390ap_matrix *mx);
/* The i-th mdev in creation order, NULL past the end. */
S390AP_API s390ap_mdev *s390ap_matrix_mdev(const s390ap_matrix *mx, unsigned i);
/* Lowercase 8-4-4-4-12 text. */
S390AP_API const char *s390ap_mdev_uuid(const s390ap_mdev *md);

typedef void (*s390ap_mdev_request_fn)(void *ctx, s390ap_mdev *md);
S390AP_API int s390ap_mdev_set_request(s390ap_mdev *md, s390ap_mdev_request_fn fn, void *ctx);

/* Assignment (assign_adapter ... unassign_control_domain).  ENODEV over
 * the maximum id; assigning: EADDRNOTAVAIL when a new queue still belongs
 * to the default driver, EADDRINUSE when another mdev has it (not for
 * control domains); re-assigning and unassigning are idempotent; the
 * static policy answers EBUSY while the mdev is open. */
S390AP_API int s390ap_mdev_assign_adapter(s390ap_mdev *md, unsigned long apid);
S390AP_API int s390ap_mdev_unassign_adapter(s390ap_mdev *md, unsigned long apid);
S390AP_API int s390ap_mdev_assign_domain(s390ap_mdev *md, unsigned long apqi);
S390AP_API int s390ap_mdev_unassign_domain(s390ap_mdev *md, unsigned long apqi);
S390AP_API int s390ap_mdev_assign_control_domain(s390ap_mdev *md, unsigned long dom);
S390AP_API int s390ap_mdev_unassign_control_domain(s390ap_mdev *md, unsigned long dom);
/* All three at once (ap_config): all or nothing. */
S390AP_API int s390ap_mdev_set_config(s390ap_mdev *md, const uint8_t apm[32], const uint8_t aqm[32],
				      const uint8_t adm[32]);

/* The assigned matrix and the guest matrix (NULL pointers skipped). */
S390AP_API int s390ap_mdev_matrix(const s390ap_mdev *md, uint8_t apm[32], uint8_t aqm[32],
				  uint8_t adm[32]);
S390AP_API int s390ap_mdev_guest_matrix(const s390ap_mdev *md, uint8_t apm[32], uint8_t aqm[32],
					uint8_t adm[32]);

/* Attach to a VM (the VFIO device's open with a KVM): EINVAL without a
 * host model, EPERM when the VM has an mdev already; the guest matrix goes
 * into the VM's CRYCB and the mdev's AQIC hook is registered. */
S390AP_API int s390ap_mdev_open(s390ap_mdev *md, s390ap_vm *vm);
/* Detach: the hook unregistered, the CRYCB's masks cleared, every queue
 * reset (ZAPQ, waited for on the machine's clock), interruption state
 * freed. */
S390AP_API int s390ap_mdev_release(s390ap_mdev *md);
/* VFIO_DEVICE_RESET: reset every queue of the mdev; EIO when a queue's
 * reset failed. */
S390AP_API int s390ap_mdev_reset(s390ap_mdev *md);
S390AP_API s390ap_vm *s390ap_mdev_vm(const s390ap_mdev *md);

/* CRYCB writes made for the mdev (open, release, and each change of the
 * guest matrix of an open mdev): one per operation. */
S390AP_API uint64_t s390ap_mdev_crycb_updates(const s390ap_mdev *md);
/* The status word of the queue's last reset by the matrix (0 before any,
 * and again when the queue is bound to vfio_ap anew); a non-zero response
 * code in it hides the queue's adapter from guests. */
S390AP_API int s390ap_matrix_reset_status(const s390ap_matrix *mx, uint16_t apqn, uint32_t *sw);

/* The mdev's AQIC hook (what s390ap_mdev_open registers). */
S390AP_API int s390ap_mdev_aqic_hook(void *md, s390ap_vcpu *vcpu);

/* ---- the sysfs-like string interface (docs/matrix.md, "Files") ----
 * Paths as under Linux's /sys, relative:
 *   bus/ap/apmask, bus/ap/aqmask
 *   bus/ap/devices/XX.YYYY/status
 *   devices/vfio_ap/matrix/features
 *   devices/vfio_ap/matrix/mdev_supported_types/vfio_ap-passthrough/{create,available_instances,name,device_api}
 *   devices/vfio_ap/matrix/UUID/{assign_adapter,...,matrix,guest_matrix,control_domains,ap_config,remove}
 * A write takes the text a shell's echo writes (one trailing newline
 * allowed); a read gives the file's text.  Errors are the codes the
 * kernel's write() would give. */
S390AP_API int s390ap_matrix_write(s390ap_matrix *mx, const char *path, const char *text);
/* *len gets the text's length; ENOSPC (with *len the size needed) when
 * size is too small. */
S390AP_API int s390ap_matrix_read(s390ap_matrix *mx, const char *path, char *buf, size_t size,
				  size_t *len);

/* ---- mdevctl configurations (JSON) ----
 * {"mdev_type": "vfio_ap-passthrough", "start": "auto"|"manual",
 *  "attrs": [{"assign_adapter": "5"}, {"assign_domain": "0x47"}, ...]}
 * Start: create the mdev, write the attributes in order; if one fails,
 * remove it again and return that error (message names the attribute). */
S390AP_API int s390ap_mdevctl_start(s390ap_matrix *mx, const char *uuid, const char *json);
/* The running mdev's configuration (adapters, domains, control domains
 * as decimal assign_* attributes, "start": "manual"); release the text
 * with s390ap_mdevctl_free. */
S390AP_API int s390ap_mdevctl_export(const s390ap_mdev *md, char **json);
S390AP_API void s390ap_mdevctl_free(char *json);

#ifdef __cplusplus
}
#endif
#endif
