/* SPDX-License-Identifier: MIT */
/* The host model's objects (src/sie/kvm.c), shared with vSIE
 * (src/vsie/).  Not part of the public API. */
#ifndef S390AP_KVM_INTERNAL_H
#define S390AP_KVM_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>

#include "s390ap/crycb.h"
#include "s390ap/kvm.h"
#include "sie/sie_internal.h"

#define PAGE 0x1000ull
#define MIB 0x100000ull
#define TWO_GIB 0x80000000ull
#define P2_FAC 0x000u
#define P2_CRYCB 0x800u
#define P2_GISA 0x900u
/* nested re-entries from one exit before the vCPU is given up (a user
 * space that resumes a guest which cannot run) */
#define REENTER_LIMIT 8u

struct aqic_rec {
	uint16_t apqn;
	uint8_t gisc;
};

struct s390ap_vm {
	s390ap_kvm *kvm;
	uint32_t model; /* S390AP_FAC_* of the CPU model */
	uint64_t mso, size;
	uint64_t page2;
	uint32_t crycbd;
	bool aes_kw, dea_kw, apie;
	bool pckmo_ecc, pckmo_hmac;
	uint32_t gisa;
	unsigned gisc_ref[8];
	uint8_t alert_mask;
	s390ap_pqap_hook_fn hook;
	void *hook_ctx;
	s390ap_vcpu *vcpus[S390AP_MAX_CPUS];
	unsigned nvcpus;
	struct aqic_rec *aqic;
	size_t naqic, aqic_cap;
	/* bumped at every change of the crypto attributes, the masks or the
	 * CRYCB (reset_all): the vSIE shadow cache keys on it */
	uint64_t crypto_gen;
};

struct s390ap_vcpu {
	s390ap_vm *vm;
	struct s390ap_cpu *cpu;
	unsigned id;
	uint64_t scb;
	uint64_t page;
	unsigned depth; /* nested re-entries (REENTER_LIMIT) */
	uint16_t pgm;   /* to inject at the next entry */
	unsigned pgm_ilen;
	s390ap_vcpu_stats st;
	struct vsie_state *vsie; /* src/vsie/, allocated at the first SIE of guest-2 */
};

struct s390ap_kvm {
	s390ap_sys *sys;
	s390ap_kvm_opts o;
	unsigned nisc;
	uint64_t area, npages;
	uint8_t *used; /* one byte per page of the area */
	uint64_t gib;
	s390ap_wkgen wk;
	s390ap_vm **vms;
	size_t nvms;
	s390ap_vcpu *owner[S390AP_MAX_CPUS];
	char errmsg[256];
};

/* The vSIE state of a vCPU whose guest (guest-2) runs a guest-3 of its
 * own (src/vsie/). */
struct vsie_state;

/* ---- kvm.c helpers vSIE uses ---- */
uint8_t *kvm_hmem(const s390ap_kvm *kvm, uint64_t abs);
uint8_t *kvm_scb(const s390ap_vcpu *v);
void kvm_host_written(s390ap_kvm *kvm, uint64_t abs, uint64_t len);
int kvm_page_alloc(s390ap_kvm *kvm, uint64_t *abs);
void kvm_page_free(s390ap_kvm *kvm, uint64_t abs);
/* The VM's CRYCB in host storage, and its format. */
uint8_t *kvm_crycb(const s390ap_vm *vm);
/* Guest real -> guest absolute through the guest's prefix, len bytes
 * inside one 8 KiB block and inside the window. */
bool kvm_guest_abs(const s390ap_vcpu *v, uint64_t ra, uint64_t len, uint64_t *abs);
/* Queue a program interruption for the guest's next entry. */
void kvm_inject(s390ap_vcpu *v, uint16_t code, unsigned ilen);
/* Into SIE on the vCPU's own SCB (with a queued interruption). */
int kvm_vcpu_enter(s390ap_vcpu *v);
/* The operand address of an S-format instruction from ipb, in the guest's
 * addressing mode. */
uint64_t kvm_s_operand(const s390ap_vcpu *v, uint32_t ipb);

#endif
