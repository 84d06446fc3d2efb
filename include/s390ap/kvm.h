/* SPDX-License-Identifier: MIT */
/* s390ap — the KVM-like host model: VMs with AP crypto, their vCPUs, the
 * crypto attributes, the intercept path of PQAP and the user-space exits
 * (docs/host.md).
 *
 * A host (s390ap_kvm) attaches to a dispatcher system (s390ap_sys).  Each
 * VM has a storage window in the system's storage (MSO/MSL), a CPU model
 * (S390AP_FAC_* bits for STFLE 12, 15, 65, 76), a CRYCB in the format the
 * model and the machine select, a GISA, and control blocks in the host's
 * area.  Each vCPU of a VM runs on one of the system's vCPUs, inside SIE:
 * s390ap_sys_run runs the guests; their AP instructions are interpreted
 * against the CRYCB (ECA_APIE) or intercepted to this host, which handles
 * them the way KVM's handle_pqap does, and passes what it does not handle
 * to a user-space exit, as KVM passes it to QEMU.
 *
 * Use from one thread, like the system it is attached to.  Changes of the
 * crypto state (attributes, masks) may be made between runs or from a hook
 * or an exit callback; vCPUs in SIE are forced out and in again so that
 * they see them, as KVM's reset-all does.
 */
#ifndef S390AP_KVM_H
#define S390AP_KVM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "s390ap/cpu.h"
#include "s390ap/export.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct s390ap_kvm s390ap_kvm;
typedef struct s390ap_vm s390ap_vm;
typedef struct s390ap_vcpu s390ap_vcpu;

/* ---- user-space exits ---- */

/* What the host did not handle, as KVM's SIE-intercept exit reports it. */
typedef struct s390ap_kvm_exit {
	uint8_t icptcode;
	uint8_t icptstatus;
	uint16_t ipa;
	uint32_t ipb;
	uint16_t validity; /* reason (ipb >> 16) with icptcode 0x20, else 0 */
} s390ap_kvm_exit;

typedef enum s390ap_kvm_action {
	S390AP_KVM_RESUME = 0, /* run the guest on (after injecting pgm, if set) */
	S390AP_KVM_HALT,       /* the vCPU is done: S390AP_CPU_HALTED, exit_value */
	S390AP_KVM_STOP,       /* the vCPU is done: S390AP_CPU_STOPPED, exit_value */
	S390AP_KVM_CHECKSTOP   /* the guest cannot go on: S390AP_CPU_CHECKSTOP */
} s390ap_kvm_action;

typedef struct s390ap_kvm_reply {
	s390ap_kvm_action action;
	uint16_t pgm;        /* with RESUME: a program interruption to inject, 0 none */
	uint64_t exit_value; /* with HALT / STOP */
} s390ap_kvm_reply;

/* Called with the vCPU out of SIE; the guest's registers, PSW and SCB can
 * be read and changed through the s390ap_vcpu_* functions.  The reply
 * starts as RESUME with nothing to inject. */
typedef void (*s390ap_kvm_exit_fn)(void *ctx, s390ap_vcpu *vcpu, const s390ap_kvm_exit *exit,
				   s390ap_kvm_reply *reply);

/* The default user space (what QEMU does, plus s390ap's program ends):
 *   PQAP, NQAP, DQAP (ipa 0xB2AF / 0xB2AD / 0xB2AE): operation exception;
 *   DIAG 0x44: HALT, exit value 0; DIAG 0x500: HALT, exit value GR2;
 *   other DIAG codes: specification exception;
 *   a disabled wait (0x1C): STOP, exit value the PSW address's low word;
 *   a validity interception: CHECKSTOP, exit value the reason;
 *   any other instruction: operation exception. */
S390AP_API void s390ap_kvm_default_exit(void *ctx, s390ap_vcpu *vcpu, const s390ap_kvm_exit *exit,
					s390ap_kvm_reply *reply);

/* ---- the PQAP hook ---- */

/* A vfio-ap-like driver's AQIC handler.  Called for an intercepted
 * PQAP(AQIC) that passed handle_pqap's checks, with the vCPU out of SIE.
 * Return 0 when the status word is in GR1 bits 32-63 (the host then sets
 * the CC from its response code), S390AP_ENOTSUP to pass the instruction
 * to user space; any other negative value ends the run as an error. */
typedef int (*s390ap_pqap_hook_fn)(void *ctx, s390ap_vcpu *vcpu);

/* The built-in AQIC handler, what vfio_ap does for the queues of the VM's
 * CRYCB: needs ECA_AIV (else S390AP_ENOTSUP); RC 0x01 for a queue outside
 * the CRYCB; an enable translates the guest's NIB address through the
 * guest's prefix and storage window (RC 0x06 outside it or 0), registers
 * the guest ISC (RC 0x08 on failure) and issues the host's AQIC with the
 * VM's GISA, the guest ISC and the host's ISC; a disable issues it with
 * IR 0 and drops the registration.  ctx is unused. */
S390AP_API int s390ap_kvm_aqic_hook(void *ctx, s390ap_vcpu *vcpu);

/* ---- the host ---- */

/* How the host handles an intercepted PQAP: the rows of the table made
 * when AQIC interception was designed (docs/host.md, "Compatibility"). */
typedef enum s390ap_kvm_pqap_policy {
	S390AP_KVM_PQAP_CURRENT = 0,   /* today's kernels: handle_pqap, CC 0 after a good hook */
	S390AP_KVM_PQAP_BEFORE_CC_FIX, /* a hook's RC 0 leaves the guest's CC as it was */
	S390AP_KVM_PQAP_NO_AQIC_ICPT   /* before AQIC interception: every PQAP goes to user
					* space and VMs never get facility 65 */
} s390ap_kvm_pqap_policy;

#define S390AP_KVM_DEFAULT_AREA_SIZE 0x100000u /* 1 MiB */
#define S390AP_KVM_DEFAULT_NISC 7u

typedef struct s390ap_kvm_opts {
	uint32_t size; /* sizeof, S390AP_SIZED (docs/abi.md); 0 = this header's */
	/* Host storage for the control blocks (SCBs, CRYCBs, facility lists,
	 * GISAs, the GIB): [area, area + area_size), 4 KiB aligned, below
	 * 2 GiB.  0 = the last area_size bytes of storage below 2 GiB. */
	uint64_t area;
	uint64_t area_size;      /* 0 = S390AP_KVM_DEFAULT_AREA_SIZE */
	unsigned pqap_policy;    /* s390ap_kvm_pqap_policy */
	bool nohook_high_word;   /* the no-hook reply's status word in GR1 bits 0-31, as
				  * KVM's code stores it (default: bits 32-63) */
	unsigned nisc;           /* the host's ISC for GISA alerts; 0 = default 7
				  * (S390AP_KVM_NISC_0 asks for ISC 0) */
	uint64_t wk_seed;        /* the wrapping-key masks' generator */
	s390ap_kvm_exit_fn exit; /* user space; NULL = s390ap_kvm_default_exit */
	void *exit_ctx;
	/* vSIE without its shadow cache (docs/vsie.md): guest-3's shadow CRYCB
	 * built at every SIE of guest-2, and no decoded-instruction cache of
	 * guest-3's kept beside guest-2's.  The same results, for measurements */
	bool vsie_no_cache;
} s390ap_kvm_opts;

#define S390AP_KVM_NISC_0 0x100u

S390AP_API int s390ap_kvm_new(s390ap_kvm **out, s390ap_sys *sys, const s390ap_kvm_opts *opts);
/* Frees its VMs and vCPUs; vCPUs in SIE leave it (the system's vCPUs are
 * left STOPPED). */
S390AP_API void s390ap_kvm_free(s390ap_kvm *kvm);
S390AP_API const char *s390ap_kvm_errmsg(const s390ap_kvm *kvm);
S390AP_API s390ap_sys *s390ap_kvm_sys(s390ap_kvm *kvm);
/* Host absolute address of the GIB (32 bytes: alert list origin, NISC). */
S390AP_API uint64_t s390ap_kvm_gib(const s390ap_kvm *kvm);

/* ---- VMs ---- */

typedef struct s390ap_vm_opts {
	uint32_t size; /* sizeof, S390AP_SIZED (docs/abi.md); 0 = this header's */
	/* the CPU model: S390AP_FAC_QCI (12), APFT (15), AQIC (65), MSAX3 (76);
	 * ANDed with the machine's (65 also needs the host's AQIC) */
	uint32_t facilities;
	uint64_t mso;      /* guest storage origin in host storage, 1 MiB aligned */
	uint64_t mem_size; /* guest storage, a multiple of 1 MiB, at least 1 MiB */
	bool no_gisa;      /* a VM without a GISA (no interruption forwarding) */
	bool pckmo_ecc;    /* guest and host both have a PCKMO ECC function (ECD_ECC) */
	bool pckmo_hmac;   /* likewise for HMAC (ECD_HMAC) */
} s390ap_vm_opts;

S390AP_API int s390ap_vm_new(s390ap_kvm *kvm, s390ap_vm **out, const s390ap_vm_opts *opts);
S390AP_API void s390ap_vm_free(s390ap_vm *vm);
S390AP_API uint32_t s390ap_vm_facilities(const s390ap_vm *vm);

/* The crypto attribute group (KVM_S390_VM_CRYPTO) and its attributes. */
#define S390AP_VM_CRYPTO 2u
enum s390ap_vm_crypto_attr {
	S390AP_VM_CRYPTO_ENABLE_AES_KW = 0,
	S390AP_VM_CRYPTO_ENABLE_DEA_KW = 1,
	S390AP_VM_CRYPTO_DISABLE_AES_KW = 2,
	S390AP_VM_CRYPTO_DISABLE_DEA_KW = 3,
	S390AP_VM_CRYPTO_ENABLE_APIE = 4,
	S390AP_VM_CRYPTO_DISABLE_APIE = 5
};
/* The kernel's answers: the key-wrapping attributes need facility 76
 * (S390AP_EINVAL), the APIE ones AP instructions on the host
 * (S390AP_ENOTSUP); another group or attribute is S390AP_ENXIO.  A change
 * resets every vCPU's crypto set-up. */
S390AP_API int s390ap_vm_set_attr(s390ap_vm *vm, unsigned group, unsigned attr);
/* 0 when the attribute exists: the key-wrapping ones always, the APIE ones
 * with AP instructions on the host; S390AP_ENXIO otherwise. */
S390AP_API int s390ap_vm_has_attr(const s390ap_vm *vm, unsigned group, unsigned attr);
/* There is nothing to read in this group: S390AP_ENXIO. */
S390AP_API int s390ap_vm_get_attr(const s390ap_vm *vm, unsigned group, unsigned attr,
				  uint64_t *value);

typedef struct s390ap_vm_crypto {
	bool aes_kw, dea_kw, apie;
	uint32_t crycbd;
	uint64_t crycb;  /* host absolute */
	unsigned format; /* S390AP_CRYCB_FORMAT* */
} s390ap_vm_crypto;
S390AP_API int s390ap_vm_crypto_get(const s390ap_vm *vm, s390ap_vm_crypto *out);

/* Write the AP masks into the CRYCB (32-byte MSB-first images; formats 0
 * and 1 take what APCB0 can hold) and make every vCPU see them, as a
 * vfio-ap driver does when it hands queues to a guest. */
S390AP_API int s390ap_vm_set_masks(s390ap_vm *vm, const uint8_t apm[32], const uint8_t aqm[32],
				   const uint8_t adm[32]);
S390AP_API int s390ap_vm_clear_masks(s390ap_vm *vm);

/* Register or clear (fn NULL) the VM's PQAP hook. */
S390AP_API int s390ap_vm_set_pqap_hook(s390ap_vm *vm, s390ap_pqap_hook_fn fn, void *ctx);

/* Guest ISC registration: a reference count per guest ISC (0..7); the
 * first one sets the ISC in the GISA's alert mask.  *nisc gets the host's
 * ISC for alerts.  No GISA: S390AP_ENODEV; isc over 7: S390AP_ERANGE;
 * unregistering an ISC with no registration: S390AP_EINVAL. */
S390AP_API int s390ap_vm_gisc_register(s390ap_vm *vm, unsigned isc, unsigned *nisc);
S390AP_API int s390ap_vm_gisc_unregister(s390ap_vm *vm, unsigned isc);
/* Host absolute address of the GISA, 0 without one. */
S390AP_API uint64_t s390ap_vm_gisa(const s390ap_vm *vm);

/* Guest storage: guest absolute addresses, inside the window. */
S390AP_API int s390ap_vm_load(s390ap_vm *vm, uint64_t gaddr, const void *data, size_t len);
S390AP_API int s390ap_vm_load_elf(s390ap_vm *vm, const void *data, size_t len, uint64_t *entry);
S390AP_API int s390ap_vm_read(const s390ap_vm *vm, uint64_t gaddr, void *buf, size_t len);
S390AP_API int s390ap_vm_write(s390ap_vm *vm, uint64_t gaddr, const void *buf, size_t len);

/* ---- vCPUs ---- */

/* A vCPU on the system's vCPU cpu_index (not given to another VM's vCPU),
 * with its SCB set up: S390AP_CPUSTAT_ZARCH, the window, the facility
 * list, the GISA (with ECA_AIV) and the crypto set-up of docs/host.md. */
S390AP_API int s390ap_vcpu_new(s390ap_vm *vm, s390ap_vcpu **out, unsigned cpu_index);
S390AP_API s390ap_cpu *s390ap_vcpu_cpu(s390ap_vcpu *vcpu);
S390AP_API s390ap_vm *s390ap_vcpu_vm(s390ap_vcpu *vcpu);
/* Host absolute address of the SCB. */
S390AP_API uint64_t s390ap_vcpu_scb(const s390ap_vcpu *vcpu);
/* The guest's start state (PSW EA|BA at entry, supervisor, DAT off,
 * everything disabled; GRs zero; CR0 0xE0, CR14 0xC2000000; prefix 0),
 * then into SIE: the next s390ap_sys_run runs it. */
S390AP_API int s390ap_vcpu_start(s390ap_vcpu *vcpu, uint64_t entry);
/* Enter SIE again with the guest's state as the SCB and the vCPU's GR 0-13
 * hold it: a vCPU that user space halted or stopped (after a DIAG 0x44
 * the guest goes on at the next instruction).  0 also when it runs in SIE
 * already. */
S390AP_API int s390ap_vcpu_resume(s390ap_vcpu *vcpu);
/* Whether the vCPU is in SIE now (it is, except inside an exit or hook). */
S390AP_API bool s390ap_vcpu_in_sie(const s390ap_vcpu *vcpu);
/* The guest's general registers 0..15, PSW and condition code, wherever
 * they are at the moment (the vCPU's registers or the SCB). */
S390AP_API uint64_t s390ap_vcpu_gr(const s390ap_vcpu *vcpu, unsigned n);
S390AP_API int s390ap_vcpu_set_gr(s390ap_vcpu *vcpu, unsigned n, uint64_t value);
S390AP_API int s390ap_vcpu_psw(const s390ap_vcpu *vcpu, s390ap_psw *psw);
S390AP_API int s390ap_vcpu_set_cc(s390ap_vcpu *vcpu, unsigned cc);

typedef struct s390ap_vcpu_stats {
	uint64_t entries;    /* SIE entries */
	uint64_t icpt[64];   /* interceptions by code / 4 */
	uint64_t user_exits; /* passed to user space */
	uint64_t pqap_hook;  /* PQAP hook calls */
	uint64_t kicks;      /* forced out of SIE by a crypto change */
	uint64_t injected;   /* program interruptions injected */
} s390ap_vcpu_stats;
S390AP_API int s390ap_vcpu_stats_get(const s390ap_vcpu *vcpu, s390ap_vcpu_stats *st);
/* Interceptions of this instruction (s390ap_insn_name ids). */
S390AP_API uint64_t s390ap_vcpu_icpt_insn(const s390ap_vcpu *vcpu, unsigned insn_id);

/* vSIE: the vCPU's guest (guest-2) running a guest-3 of its own
 * (docs/vsie.md).  Host absolute addresses of the shadow SCB and CRYCB
 * (0 before guest-2's first SIE), guest-2's address of guest-3's SCB,
 * whether guest-3 runs now, and counts. */
typedef struct s390ap_vsie_info {
	bool active;
	uint64_t shadow_scb, shadow_crycb;
	uint64_t g3_scb;
	uint64_t entries, exits, validity, restarts;
} s390ap_vsie_info;
S390AP_API int s390ap_vcpu_vsie(const s390ap_vcpu *vcpu, s390ap_vsie_info *info);

/* The host's handling of an intercepted PQAP (KVM's handle_pqap), for an
 * embedder with its own intercept loop: 0 handled (GR1 and the CC set, or
 * a program interruption queued for the next entry), S390AP_ENOTSUP to
 * pass to user space. */
S390AP_API int s390ap_kvm_handle_pqap(s390ap_vcpu *vcpu);

#ifdef __cplusplus
}
#endif
#endif
