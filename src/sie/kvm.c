/* SPDX-License-Identifier: MIT */
/* The KVM-like host model (docs/host.md).
 *
 * Layout of a VM's control blocks in the host's area (as KVM's sie_page2):
 *
 *   page + 0x000  facility list (STFLE bits of the CPU model), 16 bytes
 *   page + 0x800  CRYCB, 256 bytes
 *   page + 0x900  GISA, 32 bytes
 *
 * and one page per vCPU with its SCB at the start.  The host's first page
 * holds the GIB.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ap/ap_internal.h"
#include "s390ap/crycb.h"
#include "sie/kvm_internal.h"
#include "sie/sie_internal.h"
#include "vsie/vsie_internal.h"
#include "util/mask.h"
#include "util/opts.h"

__attribute__((format(printf, 3, 4))) static int kvm_err(s390ap_kvm *kvm, int err, const char *fmt,
							 ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(kvm->errmsg, sizeof kvm->errmsg, fmt, ap);
	va_end(ap);
	return err;
}

uint8_t *kvm_hmem(const s390ap_kvm *kvm, uint64_t abs)
{
	return kvm->sys->mem_data + abs;
}

bool kvm_keeps_spare_cache(const s390ap_vcpu *v)
{
	return !v->vm->kvm->o.vsie_no_cache;
}

uint8_t *kvm_scb(const s390ap_vcpu *v)
{
	return kvm_hmem(v->vm->kvm, v->scb);
}

void kvm_host_written(s390ap_kvm *kvm, uint64_t abs, uint64_t len)
{
	cpu_code_written(kvm->sys, abs, len);
}

/* ---- the area ---- */

int kvm_page_alloc(s390ap_kvm *kvm, uint64_t *abs)
{
	for (uint64_t i = 0; i < kvm->npages; i++) {
		if (!kvm->used[i]) {
			kvm->used[i] = 1;
			*abs = kvm->area + i * PAGE;
			memset(kvm_hmem(kvm, *abs), 0, PAGE);
			kvm_host_written(kvm, *abs, PAGE);
			return 0;
		}
	}
	return kvm_err(kvm, S390AP_ENOSPC, "host area full (%llu pages)",
		       (unsigned long long)kvm->npages);
}

void kvm_page_free(s390ap_kvm *kvm, uint64_t abs)
{
	if (abs >= kvm->area && abs < kvm->area + kvm->npages * PAGE)
		kvm->used[(abs - kvm->area) / PAGE] = 0;
}

/* ---- the host ---- */

int s390ap_kvm_new(s390ap_kvm **out, s390ap_sys *sys, const s390ap_kvm_opts *opts)
{
	s390ap_kvm_opts o = { 0 };
	s390ap_kvm *kvm;
	uint64_t top;

	if (!out || !sys)
		return S390AP_EINVAL;
	*out = NULL;
	if (opts && OPTS_COPY(&o, opts, s390ap_kvm_opts, vsie_no_cache) < 0)
		return cpu_sys_error(sys, S390AP_EINVAL, "kvm: options of an unknown size");
	if (!o.area_size)
		o.area_size = S390AP_KVM_DEFAULT_AREA_SIZE;
	top = sys->mem_size < TWO_GIB ? sys->mem_size : TWO_GIB;
	if (!o.area)
		o.area = o.area_size <= top ? top - o.area_size : 0;
	if ((o.area | o.area_size) & (PAGE - 1) || o.area_size < 2 * PAGE || o.area >= top ||
	    o.area_size > top - o.area)
		return cpu_sys_error(
			sys, S390AP_EINVAL,
			"kvm: area 0x%llx+0x%llx is not 4 KiB pages of storage below 2 GiB",
			(unsigned long long)o.area, (unsigned long long)o.area_size);
	if (o.pqap_policy > S390AP_KVM_PQAP_NO_AQIC_ICPT)
		return cpu_sys_error(sys, S390AP_EINVAL, "kvm: PQAP policy %u unknown",
				     o.pqap_policy);
	if (o.nisc && o.nisc != S390AP_KVM_NISC_0 && o.nisc > S390AP_ISC_MAX)
		return cpu_sys_error(sys, S390AP_EINVAL, "kvm: NISC %u over 7", o.nisc);
	kvm = calloc(1, sizeof(*kvm));
	if (!kvm)
		return S390AP_ENOMEM;
	kvm->sys = sys;
	kvm->o = o;
	kvm->nisc = o.nisc == S390AP_KVM_NISC_0 ? 0 : o.nisc ? o.nisc : S390AP_KVM_DEFAULT_NISC;
	kvm->area = o.area;
	kvm->npages = o.area_size / PAGE;
	kvm->used = calloc((size_t)kvm->npages, 1);
	if (!kvm->used) {
		free(kvm);
		return S390AP_ENOMEM;
	}
	s390ap_wkgen_seed(&kvm->wk, o.wk_seed);
	(void)kvm_page_alloc(kvm, &kvm->gib);
	/* an empty alert list, the host's ISC for alerts */
	kvm_hmem(kvm, kvm->gib)[8] = (uint8_t)kvm->nisc;
	*out = kvm;
	return 0;
}

static void vcpu_leave(s390ap_vcpu *v)
{
	struct s390ap_cpu *c = v->cpu;

	vsie_drop(v);
	if (c->sie && c->sie->vcpu == v) {
		if (c->in_sie) {
			sie_abandon(c);
			c->state = S390AP_CPU_STOPPED;
			cpu_sched_dirty(c);
		}
		c->sie->vcpu = NULL;
	}
}

void s390ap_vm_free(s390ap_vm *vm)
{
	s390ap_kvm *kvm;

	if (!vm)
		return;
	kvm = vm->kvm;
	for (unsigned i = 0; i < vm->nvcpus; i++) {
		s390ap_vcpu *v = vm->vcpus[i];

		vcpu_leave(v);
		kvm->owner[v->cpu->index] = NULL;
		kvm_page_free(kvm, v->page);
		vsie_free(v);
		free(v);
	}
	kvm_page_free(kvm, vm->page2);
	for (size_t i = 0; i < kvm->nvms; i++) {
		if (kvm->vms[i] == vm) {
			kvm->vms[i] = kvm->vms[--kvm->nvms];
			break;
		}
	}
	free(vm->aqic);
	free(vm);
}

void s390ap_kvm_free(s390ap_kvm *kvm)
{
	if (!kvm)
		return;
	while (kvm->nvms)
		s390ap_vm_free(kvm->vms[kvm->nvms - 1]);
	free(kvm->vms);
	free(kvm->used);
	free(kvm);
}

const char *s390ap_kvm_errmsg(const s390ap_kvm *kvm)
{
	return kvm ? kvm->errmsg : "";
}

s390ap_sys *s390ap_kvm_sys(s390ap_kvm *kvm)
{
	return kvm ? kvm->sys : NULL;
}

uint64_t s390ap_kvm_gib(const s390ap_kvm *kvm)
{
	return kvm ? kvm->gib : 0;
}

static bool host_has_ap(const s390ap_kvm *kvm)
{
	return (kvm->sys->machine->fac & S390AP_FAC_AP) != 0;
}

/* ---- VMs ---- */

uint8_t *kvm_crycb(const s390ap_vm *vm)
{
	return kvm_hmem(vm->kvm, vm->page2 + P2_CRYCB);
}

static unsigned vm_format(const s390ap_vm *vm)
{
	return vm->crycbd & S390AP_CRYCBD_FORMAT_MASK;
}

/* The model's STFLE list: bit 2 (z/Architecture) and the AP facilities. */
static void fac_list_write(s390ap_vm *vm)
{
	uint8_t *p = kvm_hmem(vm->kvm, vm->page2 + P2_FAC);
	uint64_t fl[2];

	cpu_fac_list(vm->model, fl);
	be_put64(p, fl[0]);
	be_put64(p + 8, fl[1]);
	kvm_host_written(vm->kvm, vm->page2 + P2_FAC, 16);
}

static void wk_generate(s390ap_vm *vm, enum s390ap_crycb_wkm which)
{
	s390ap_crycb_wk_generate(kvm_crycb(vm), which, &vm->kvm->wk);
	kvm_host_written(vm->kvm, vm->page2 + P2_CRYCB, S390AP_CRYCB_SIZE);
}

int s390ap_vm_new(s390ap_kvm *kvm, s390ap_vm **out, const s390ap_vm_opts *opts)
{
	s390ap_vm_opts o = { 0 };
	const s390ap_machine *m;
	s390ap_vm *vm, **vms;
	unsigned fmt;
	int rc;

	if (!kvm || !out)
		return S390AP_EINVAL;
	*out = NULL;
	if (!opts || OPTS_COPY(&o, opts, s390ap_vm_opts, pckmo_hmac) < 0)
		return kvm_err(kvm, S390AP_EINVAL, "vm: no options, or options of an unknown size");
	m = kvm->sys->machine;
	if ((o.mso | o.mem_size) & (MIB - 1) || o.mem_size == 0 || o.mso > kvm->sys->mem_size ||
	    o.mem_size > kvm->sys->mem_size - o.mso)
		return kvm_err(kvm, S390AP_EINVAL,
			       "vm: storage 0x%llx+0x%llx is not whole MiB inside host storage",
			       (unsigned long long)o.mso, (unsigned long long)o.mem_size);
	if (o.mso < kvm->area + kvm->npages * PAGE && kvm->area < o.mso + o.mem_size)
		return kvm_err(kvm, S390AP_EINVAL, "vm: storage overlaps the host's area");
	vm = calloc(1, sizeof(*vm));
	vms = realloc(kvm->vms, (kvm->nvms + 1) * sizeof(*vms));
	if (!vm || !vms) {
		free(vm);
		if (vms)
			kvm->vms = vms;
		return S390AP_ENOMEM;
	}
	kvm->vms = vms;
	vm->kvm = kvm;
	vm->mso = o.mso;
	vm->size = o.mem_size;
	vm->pckmo_ecc = o.pckmo_ecc;
	vm->pckmo_hmac = o.pckmo_hmac;
	vm->model = o.facilities & m->fac &
		    (S390AP_FAC_QCI | S390AP_FAC_APFT | S390AP_FAC_AQIC | S390AP_FAC_MSAX3);
	if (kvm->o.pqap_policy == S390AP_KVM_PQAP_NO_AQIC_ICPT)
		vm->model &= ~(uint32_t)S390AP_FAC_AQIC;
	rc = kvm_page_alloc(kvm, &vm->page2);
	if (rc < 0) {
		free(vm);
		return rc;
	}
	kvm->vms[kvm->nvms++] = vm;
	fac_list_write(vm);
	fmt = s390ap_crycb_format_select((vm->model & S390AP_FAC_MSAX3) != 0,
					 (m->fac & S390AP_FAC_APXA) != 0);
	(void)s390ap_crycbd_encode(vm->page2 + P2_CRYCB, fmt, &vm->crycbd);
	if (vm->model & S390AP_FAC_MSAX3) {
		vm->aes_kw = vm->dea_kw = true;
		wk_generate(vm, S390AP_CRYCB_WKM_AES);
		wk_generate(vm, S390AP_CRYCB_WKM_DEA);
	}
	if (!o.no_gisa) {
		uint8_t *g = kvm_hmem(kvm, vm->page2 + P2_GISA);

		vm->gisa = (uint32_t)(vm->page2 + P2_GISA);
		be_put32(g + S390AP_GISA_NEXT_ALERT, vm->gisa); /* not on the alert list */
		kvm_host_written(kvm, vm->gisa, S390AP_GISA_SIZE);
	}
	*out = vm;
	return 0;
}

uint32_t s390ap_vm_facilities(const s390ap_vm *vm)
{
	return vm ? vm->model : 0;
}

uint64_t s390ap_vm_gisa(const s390ap_vm *vm)
{
	return vm ? vm->gisa : 0;
}

int s390ap_vm_crypto_get(const s390ap_vm *vm, s390ap_vm_crypto *out)
{
	if (!vm || !out)
		return S390AP_EINVAL;
	*out = (s390ap_vm_crypto){ .aes_kw = vm->aes_kw,
				   .dea_kw = vm->dea_kw,
				   .apie = vm->apie,
				   .crycbd = vm->crycbd,
				   .crycb = vm->page2 + P2_CRYCB,
				   .format = vm_format(vm) };
	return 0;
}

/* ---- vCPU crypto set-up and the reset of all vCPUs ---- */

/* KVM's vCPU crypto set-up: no CRYCB and no crypto controls without APIE
 * and MSAX3; otherwise the VM's CRYCBD and the controls from the VM's
 * flags.  The controls are cleared first in both cases, so that a reset
 * after APIE was disabled on a VM without MSAX3 takes the CRYCB away
 * again (KVM returns early there and leaves the old set-up). */
static void vcpu_crypto_setup(s390ap_vcpu *v)
{
	const s390ap_vm *vm = v->vm;
	uint8_t *scb = kvm_scb(v);
	bool none = !vm->apie && !(vm->model & S390AP_FAC_MSAX3);
	uint32_t eca, ecd;
	uint8_t ecb3;

	be_put32(scb + S390AP_SCB_CRYCBD, none ? 0 : vm->crycbd);
	eca = be_get32(scb + S390AP_SCB_ECA) & ~(uint32_t)S390AP_ECA_APIE;
	ecb3 = (uint8_t)(scb[S390AP_SCB_ECB3] & ~(S390AP_ECB3_AES | S390AP_ECB3_DEA));
	ecd = be_get32(scb + S390AP_SCB_ECD) & ~(uint32_t)(S390AP_ECD_ECC | S390AP_ECD_HMAC);
	if (none) {
		be_put32(scb + S390AP_SCB_ECA, eca);
		scb[S390AP_SCB_ECB3] = ecb3;
		be_put32(scb + S390AP_SCB_ECD, ecd);
		return;
	}
	if (vm->apie)
		eca |= S390AP_ECA_APIE;
	if (vm->aes_kw) {
		ecb3 |= S390AP_ECB3_AES;
		if (vm->pckmo_ecc)
			ecd |= S390AP_ECD_ECC;
		if (vm->pckmo_hmac)
			ecd |= S390AP_ECD_HMAC;
	}
	if (vm->dea_kw)
		ecb3 |= S390AP_ECB3_DEA;
	be_put32(scb + S390AP_SCB_ECA, eca);
	scb[S390AP_SCB_ECB3] = ecb3;
	be_put32(scb + S390AP_SCB_ECD, ecd);
}

static bool vcpu_in_sie(const s390ap_vcpu *v)
{
	const struct s390ap_cpu *c = v->cpu;

	return c->in_sie && c->sie->vcpu == v;
}

/* Block every vCPU, give each the new set-up (forcing the ones in SIE out
 * and in again, which rebuilds their view), unblock. */
static void reset_all(s390ap_vm *vm)
{
	vm->crypto_gen++; /* every shadow built over the old state is stale */
	for (unsigned i = 0; i < vm->nvcpus; i++) {
		uint8_t *scb = kvm_scb(vm->vcpus[i]);

		be_put32(scb + S390AP_SCB_PROG20,
			 be_get32(scb + S390AP_SCB_PROG20) | S390AP_PROG_BLOCK_SIE);
	}
	for (unsigned i = 0; i < vm->nvcpus; i++) {
		s390ap_vcpu *v = vm->vcpus[i];
		bool was = vcpu_in_sie(v);
		uint8_t *scb = kvm_scb(v);

		if (was) {
			if (vsie_active(v))
				vsie_restart(v); /* guest-2 issues its SIE again */
			else
				sie_kick(v->cpu);
			v->st.kicks++;
		}
		vcpu_crypto_setup(v);
		be_put32(scb + S390AP_SCB_PROG20,
			 be_get32(scb + S390AP_SCB_PROG20) & ~(uint32_t)S390AP_PROG_BLOCK_SIE);
		kvm_host_written(vm->kvm, v->scb, S390AP_SCB_SIZE);
		if (was) {
			(void)kvm_vcpu_enter(v);
			cpu_sched_dirty(v->cpu);
		}
	}
}

int s390ap_vm_set_attr(s390ap_vm *vm, unsigned group, unsigned attr)
{
	bool msax3;

	if (!vm)
		return S390AP_EINVAL;
	if (group != S390AP_VM_CRYPTO || attr > S390AP_VM_CRYPTO_DISABLE_APIE)
		return kvm_err(vm->kvm, S390AP_ENXIO, "vm: no attribute %u in group %u", attr,
			       group);
	msax3 = (vm->model & S390AP_FAC_MSAX3) != 0;
	if (attr <= S390AP_VM_CRYPTO_DISABLE_DEA_KW && !msax3)
		return kvm_err(vm->kvm, S390AP_EINVAL,
			       "vm: key wrapping needs facility 76 (MSAX3) in the CPU model");
	if (attr >= S390AP_VM_CRYPTO_ENABLE_APIE && !host_has_ap(vm->kvm))
		return kvm_err(vm->kvm, S390AP_ENOTSUP, "vm: the host has no AP instructions");
	switch (attr) {
	case S390AP_VM_CRYPTO_ENABLE_AES_KW:
		wk_generate(vm, S390AP_CRYCB_WKM_AES);
		vm->aes_kw = true;
		break;
	case S390AP_VM_CRYPTO_ENABLE_DEA_KW:
		wk_generate(vm, S390AP_CRYCB_WKM_DEA);
		vm->dea_kw = true;
		break;
	case S390AP_VM_CRYPTO_DISABLE_AES_KW:
		s390ap_crycb_wk_clear(kvm_crycb(vm), S390AP_CRYCB_WKM_AES);
		vm->aes_kw = false;
		break;
	case S390AP_VM_CRYPTO_DISABLE_DEA_KW:
		s390ap_crycb_wk_clear(kvm_crycb(vm), S390AP_CRYCB_WKM_DEA);
		vm->dea_kw = false;
		break;
	case S390AP_VM_CRYPTO_ENABLE_APIE:
		vm->apie = true;
		break;
	default: /* S390AP_VM_CRYPTO_DISABLE_APIE */
		vm->apie = false;
		break;
	}
	kvm_host_written(vm->kvm, vm->page2 + P2_CRYCB, S390AP_CRYCB_SIZE);
	reset_all(vm);
	return 0;
}

int s390ap_vm_has_attr(const s390ap_vm *vm, unsigned group, unsigned attr)
{
	if (!vm)
		return S390AP_EINVAL;
	if (group != S390AP_VM_CRYPTO || attr > S390AP_VM_CRYPTO_DISABLE_APIE)
		return S390AP_ENXIO;
	if (attr >= S390AP_VM_CRYPTO_ENABLE_APIE && !host_has_ap(vm->kvm))
		return S390AP_ENXIO;
	return 0;
}

int s390ap_vm_get_attr(const s390ap_vm *vm, unsigned group, unsigned attr, uint64_t *value)
{
	(void)group;
	(void)attr;
	(void)value;
	return vm ? S390AP_ENXIO : S390AP_EINVAL;
}

int s390ap_vm_set_masks(s390ap_vm *vm, const uint8_t apm[32], const uint8_t aqm[32],
			const uint8_t adm[32])
{
	int rc;

	if (!vm)
		return S390AP_EINVAL;
	for (unsigned i = 0; i < vm->nvcpus; i++) {
		uint8_t *scb = kvm_scb(vm->vcpus[i]);

		be_put32(scb + S390AP_SCB_PROG20,
			 be_get32(scb + S390AP_SCB_PROG20) | S390AP_PROG_BLOCK_SIE);
	}
	rc = s390ap_crycb_set_masks(kvm_crycb(vm), vm_format(vm), apm, aqm, adm);
	kvm_host_written(vm->kvm, vm->page2 + P2_CRYCB, S390AP_CRYCB_SIZE);
	reset_all(vm);
	return rc;
}

int s390ap_vm_clear_masks(s390ap_vm *vm)
{
	if (!vm)
		return S390AP_EINVAL;
	s390ap_crycb_clear_masks(kvm_crycb(vm));
	kvm_host_written(vm->kvm, vm->page2 + P2_CRYCB, S390AP_CRYCB_SIZE);
	reset_all(vm);
	return 0;
}

int s390ap_vm_set_pqap_hook(s390ap_vm *vm, s390ap_pqap_hook_fn fn, void *ctx)
{
	if (!vm)
		return S390AP_EINVAL;
	vm->hook = fn;
	vm->hook_ctx = fn ? ctx : NULL;
	return 0;
}

/* ---- the GISA ---- */

static void iam_write(s390ap_vm *vm)
{
	kvm_hmem(vm->kvm, vm->gisa)[S390AP_GISA_IAM] = vm->alert_mask;
	kvm_host_written(vm->kvm, (uint64_t)vm->gisa + S390AP_GISA_IAM, 1);
}

/* What registering and unregistering both check first. */
static int gisc_check(s390ap_vm *vm, unsigned isc)
{
	if (!vm)
		return S390AP_EINVAL;
	if (!vm->gisa)
		return kvm_err(vm->kvm, S390AP_ENODEV, "vm: no GISA");
	if (isc > S390AP_ISC_MAX)
		return kvm_err(vm->kvm, S390AP_ERANGE, "vm: guest ISC %u over 7", isc);
	return 0;
}

int s390ap_vm_gisc_register(s390ap_vm *vm, unsigned isc, unsigned *nisc)
{
	int rc = gisc_check(vm, isc);

	if (rc < 0)
		return rc;
	if (vm->gisc_ref[isc]++ == 0) {
		vm->alert_mask |= (uint8_t)S390AP_GISA_ISC_BIT(isc);
		iam_write(vm);
	}
	if (nisc)
		*nisc = vm->kvm->nisc;
	return 0;
}

int s390ap_vm_gisc_unregister(s390ap_vm *vm, unsigned isc)
{
	int rc = gisc_check(vm, isc);

	if (rc < 0)
		return rc;
	if (vm->gisc_ref[isc] == 0)
		return kvm_err(vm->kvm, S390AP_EINVAL, "vm: guest ISC %u is not registered", isc);
	if (--vm->gisc_ref[isc] == 0) {
		vm->alert_mask &= (uint8_t)~S390AP_GISA_ISC_BIT(isc);
		iam_write(vm);
	}
	return 0;
}

/* Before an entry: a GISA that alerted (its IAM cleared by the machine)
 * is armed again and the host's ISC taken back, as KVM does when it
 * restores the IAM. */
static void gisa_rearm(s390ap_vm *vm)
{
	uint8_t *g;

	if (!vm->gisa || !vm->alert_mask)
		return;
	g = kvm_hmem(vm->kvm, vm->gisa);
	if (g[S390AP_GISA_IAM] == vm->alert_mask)
		return;
	(void)s390ap_machine_irq_ack(vm->kvm->sys->machine, vm->kvm->nisc, NULL);
	iam_write(vm);
}

/* ---- guest storage ---- */

static bool window_ok(const s390ap_vm *vm, uint64_t gaddr, uint64_t len)
{
	return gaddr <= vm->size && len <= vm->size - gaddr;
}

int s390ap_vm_load(s390ap_vm *vm, uint64_t gaddr, const void *data, size_t len)
{
	return s390ap_vm_write(vm, gaddr, data, len);
}

int s390ap_vm_write(s390ap_vm *vm, uint64_t gaddr, const void *buf, size_t len)
{
	if (!vm || (!buf && len))
		return S390AP_EINVAL;
	if (!window_ok(vm, gaddr, len))
		return kvm_err(vm->kvm, S390AP_EFAULT, "vm: 0x%llx+%zu outside guest storage",
			       (unsigned long long)gaddr, len);
	if (len) {
		memcpy(kvm_hmem(vm->kvm, vm->mso + gaddr), buf, len);
		kvm_host_written(vm->kvm, vm->mso + gaddr, len);
	}
	return 0;
}

int s390ap_vm_read(const s390ap_vm *vm, uint64_t gaddr, void *buf, size_t len)
{
	if (!vm || (!buf && len))
		return S390AP_EINVAL;
	if (!window_ok(vm, gaddr, len))
		return S390AP_EFAULT;
	if (len)
		memcpy(buf, kvm_hmem(vm->kvm, vm->mso + gaddr), len);
	return 0;
}

int s390ap_vm_load_elf(s390ap_vm *vm, const void *data, size_t len, uint64_t *entry)
{
	int rc;

	if (!vm)
		return S390AP_EINVAL;
	rc = cpu_elf_load(vm->kvm->sys, data, len, vm->mso, vm->size, entry);
	if (rc < 0)
		return kvm_err(vm->kvm, rc, "vm: %s", s390ap_sys_errmsg(vm->kvm->sys));
	return 0;
}

/* Guest real address -> guest absolute (the guest's prefix), inside the
 * window for len bytes, else false. */
bool kvm_guest_abs(const s390ap_vcpu *v, uint64_t ra, uint64_t len, uint64_t *abs)
{
	uint64_t prefix = s390ap_vcpu_in_sie(v) ? v->cpu->prefix
						: be_get32(kvm_scb(v) + S390AP_SCB_PREFIX) &
							  S390AP_SCB_PREFIX_MASK;
	uint64_t a = cpu_prefix_swap(ra, prefix);

	if (((ra ^ (ra + len - 1)) & ~(CPU_LOWCORE - 1)) != 0 || !window_ok(v->vm, a, len))
		return false;
	*abs = a;
	return true;
}

/* ---- vCPUs ---- */

int s390ap_vcpu_new(s390ap_vm *vm, s390ap_vcpu **out, unsigned cpu_index)
{
	s390ap_kvm *kvm;
	s390ap_vcpu *v;
	uint8_t *scb;
	int rc;

	if (!vm || !out)
		return S390AP_EINVAL;
	*out = NULL;
	kvm = vm->kvm;
	if (cpu_index >= kvm->sys->ncpus)
		return kvm_err(kvm, S390AP_EINVAL, "vcpu: the system has no vCPU %u", cpu_index);
	if (kvm->owner[cpu_index])
		return kvm_err(kvm, S390AP_EBUSY, "vcpu: vCPU %u runs another guest's vCPU",
			       cpu_index);
	v = calloc(1, sizeof(*v));
	if (!v)
		return S390AP_ENOMEM;
	rc = kvm_page_alloc(kvm, &v->page);
	if (rc < 0) {
		free(v);
		return rc;
	}
	v->vm = vm;
	v->cpu = kvm->sys->cpus[cpu_index];
	v->id = vm->nvcpus;
	v->scb = v->page;
	scb = kvm_scb(v);
	be_put32(scb + S390AP_SCB_CPUFLAGS, S390AP_CPUSTAT_ZARCH);
	be_put16(scb + S390AP_SCB_IHCPU, 0xFFFF);
	be_put16(scb + S390AP_SCB_ICPUA, (uint16_t)v->id);
	be_put64(scb + S390AP_SCB_MSO, vm->mso);
	be_put64(scb + S390AP_SCB_MSL, vm->mso + vm->size - MIB);
	be_put32(scb + S390AP_SCB_FAC, (uint32_t)(vm->page2 + P2_FAC));
	if (vm->gisa) {
		be_put32(scb + S390AP_SCB_GD, vm->gisa | S390AP_GD_GISA_FORMAT1);
		be_put32(scb + S390AP_SCB_ECA, S390AP_ECA_AIV);
	}
	vcpu_crypto_setup(v);
	kvm_host_written(kvm, v->scb, S390AP_SCB_SIZE);
	kvm->owner[cpu_index] = v;
	vm->vcpus[vm->nvcpus++] = v;
	*out = v;
	return 0;
}

s390ap_cpu *s390ap_vcpu_cpu(s390ap_vcpu *vcpu)
{
	return vcpu ? vcpu->cpu : NULL;
}

s390ap_vm *s390ap_vcpu_vm(s390ap_vcpu *vcpu)
{
	return vcpu ? vcpu->vm : NULL;
}

uint64_t s390ap_vcpu_scb(const s390ap_vcpu *vcpu)
{
	return vcpu ? vcpu->scb : 0;
}

bool s390ap_vcpu_in_sie(const s390ap_vcpu *vcpu)
{
	return vcpu && vcpu_in_sie(vcpu);
}

/* Into SIE, with a program interruption to inject if one is queued.
 * Returns what sie_enter does. */
int kvm_vcpu_enter(s390ap_vcpu *v)
{
	struct s390ap_cpu *c = v->cpu;
	uint16_t pgm = v->pgm;
	int rc;

	if (v->depth >= REENTER_LIMIT) {
		c->state = S390AP_CPU_CHECKSTOP;
		c->exit_value = 0;
		cpu_end_slice(c);
		cpu_fail(c, S390AP_EINVAL,
			 "kvm: vCPU %u: the guest ends SIE at every entry and user space resumes it",
			 v->id);
		return S390AP_EINVAL;
	}
	gisa_rearm(v->vm);
	v->pgm = 0;
	v->depth++;
	rc = sie_enter(c, v->scb, v, S390AP_PATH_INTERPRETED);
	if (rc == 0) {
		v->st.entries++;
		if (pgm) {
			v->st.injected++;
			cpu_program(c, pgm, v->pgm_ilen);
		}
	} else if (rc == 1 && kvm_scb(v)[S390AP_SCB_ICPTCODE] == S390AP_ICPT_VALIDITY) {
		v->st.entries++;
		kvm_handle_exit(v); /* user space hears of it */
	}
	v->depth--;
	return rc < 0 ? rc : 0;
}

int s390ap_vcpu_start(s390ap_vcpu *vcpu, uint64_t entry)
{
	struct s390ap_cpu *c;
	uint8_t *scb;
	int rc;

	if (!vcpu)
		return S390AP_EINVAL;
	c = vcpu->cpu;
	if ((entry & 1) || entry >= vcpu->vm->size)
		return kvm_err(vcpu->vm->kvm, S390AP_EINVAL,
			       "vcpu: entry 0x%llx is odd or outside guest storage",
			       (unsigned long long)entry);
	vcpu_leave(vcpu);
	scb = kvm_scb(vcpu);
	be_put64(scb + S390AP_SCB_GPSW, S390AP_PSW_EA | S390AP_PSW_BA);
	be_put64(scb + S390AP_SCB_GPSW + 8, entry);
	be_put64(scb + S390AP_SCB_GG14, 0);
	be_put64(scb + S390AP_SCB_GG15, 0);
	memset(scb + S390AP_SCB_GCR, 0, S390AP_SCB_GCR_SIZE);
	be_put64(scb + S390AP_SCB_GCR + 0 * 8, 0xE0);
	be_put64(scb + S390AP_SCB_GCR + 14 * 8, 0xC2000000ull);
	be_put32(scb + S390AP_SCB_PREFIX,
		 be_get32(scb + S390AP_SCB_PREFIX) & ~(uint32_t)S390AP_SCB_PREFIX_MASK);
	scb[S390AP_SCB_ICPTCODE] = 0;
	kvm_host_written(vcpu->vm->kvm, vcpu->scb, S390AP_SCB_SIZE);
	memset(c->gr, 0, sizeof(c->gr));
	/* the host's context while the guest runs: nothing of its own */
	c->psw.mask = S390AP_PSW_EA | S390AP_PSW_BA | S390AP_PSW_WAIT;
	c->psw.addr = 0;
	c->psw_dirty = false;
	vcpu->pgm = 0;
	vcpu->depth = 0;
	rc = kvm_vcpu_enter(vcpu);
	cpu_sched_dirty(c);
	if (rc < 0)
		return kvm_err(vcpu->vm->kvm, rc, "vcpu: out of memory");
	return 0;
}

int s390ap_vcpu_resume(s390ap_vcpu *vcpu)
{
	int rc;

	if (!vcpu)
		return S390AP_EINVAL;
	if (vcpu_in_sie(vcpu))
		return 0;
	vcpu->pgm = 0;
	vcpu->depth = 0;
	rc = kvm_vcpu_enter(vcpu);
	cpu_sched_dirty(vcpu->cpu);
	if (rc < 0)
		return kvm_err(vcpu->vm->kvm, rc, "vcpu: out of memory");
	return 0;
}

uint64_t s390ap_vcpu_gr(const s390ap_vcpu *vcpu, unsigned n)
{
	if (!vcpu || n > 15)
		return 0;
	if (n < 14 || vcpu_in_sie(vcpu))
		return vcpu->cpu->gr[n];
	return be_get64(kvm_scb(vcpu) + (n == 14 ? S390AP_SCB_GG14 : S390AP_SCB_GG15));
}

int s390ap_vcpu_set_gr(s390ap_vcpu *vcpu, unsigned n, uint64_t value)
{
	if (!vcpu || n > 15)
		return S390AP_EINVAL;
	if (n < 14 || vcpu_in_sie(vcpu))
		vcpu->cpu->gr[n] = value;
	else
		be_put64(kvm_scb(vcpu) + (n == 14 ? S390AP_SCB_GG14 : S390AP_SCB_GG15), value);
	return 0;
}

int s390ap_vcpu_psw(const s390ap_vcpu *vcpu, s390ap_psw *psw)
{
	if (!vcpu || !psw)
		return S390AP_EINVAL;
	if (vcpu_in_sie(vcpu))
		return s390ap_cpu_psw(vcpu->cpu, psw);
	psw->mask = be_get64(kvm_scb(vcpu) + S390AP_SCB_GPSW);
	psw->addr = be_get64(kvm_scb(vcpu) + S390AP_SCB_GPSW + 8);
	return 0;
}

int s390ap_vcpu_set_cc(s390ap_vcpu *vcpu, unsigned cc)
{
	uint8_t *p;

	if (!vcpu || cc > 3)
		return S390AP_EINVAL;
	if (vcpu_in_sie(vcpu)) {
		cpu_set_cc(vcpu->cpu, cc);
		return 0;
	}
	p = kvm_scb(vcpu) + S390AP_SCB_GPSW;
	be_put64(p, (be_get64(p) & ~S390AP_PSW_CC) | (uint64_t)cc << S390AP_PSW_CC_SHIFT);
	return 0;
}

int s390ap_vcpu_stats_get(const s390ap_vcpu *vcpu, s390ap_vcpu_stats *st)
{
	const struct sie_state *s;

	if (!vcpu || !st)
		return S390AP_EINVAL;
	*st = vcpu->st;
	s = vcpu->cpu->sie;
	if (s)
		memcpy(st->icpt, s->icpt, sizeof(st->icpt));
	return 0;
}

uint64_t s390ap_vcpu_icpt_insn(const s390ap_vcpu *vcpu, unsigned insn_id)
{
	if (!vcpu || !vcpu->cpu->sie || insn_id >= CPU_NINSNS)
		return 0;
	return vcpu->cpu->sie->icpt_insn[insn_id];
}

/* ---- handle_pqap ---- */

static bool guest_problem_state(const s390ap_vcpu *v)
{
	s390ap_psw psw;

	(void)s390ap_vcpu_psw(v, &psw);
	return (psw.mask & S390AP_PSW_PROB) != 0;
}

void kvm_inject(s390ap_vcpu *v, uint16_t code, unsigned ilen)
{
	v->pgm = code;
	v->pgm_ilen = ilen;
}

static void inject(s390ap_vcpu *v, uint16_t code)
{
	kvm_inject(v, code, 4); /* the B2xx instructions handled here */
}

int s390ap_kvm_handle_pqap(s390ap_vcpu *v)
{
	s390ap_vm *vm;
	s390ap_kvm *kvm;
	uint64_t gr0, gr1;
	const uint8_t *scb;
	int rc;

	if (!v)
		return S390AP_EINVAL;
	vm = v->vm;
	kvm = vm->kvm;
	scb = kvm_scb(v);
	gr0 = s390ap_vcpu_gr(v, 0);
	if (!host_has_ap(kvm) || kvm->o.pqap_policy == S390AP_KVM_PQAP_NO_AQIC_ICPT)
		return S390AP_ENOTSUP;
	if (!(be_get32(scb + S390AP_SCB_ECA) & S390AP_ECA_APIE))
		return S390AP_ENOTSUP;
	if (((gr0 >> S390AP_GR0_FC_SHIFT) & 0xFF) != S390AP_FC_AQIC)
		return S390AP_ENOTSUP;
	if (guest_problem_state(v)) {
		inject(v, S390AP_PGM_PRIVILEGED);
		return 0;
	}
	if ((gr0 & 0x007F0000u) || (!(vm->model & S390AP_FAC_APFT) && (gr0 & 0x00800000u)) ||
	    (!(vm->crycbd & S390AP_CRYCBD_APXA) && (gr0 & 0x0000C0F0u)) ||
	    !(vm->model & S390AP_FAC_AQIC)) {
		inject(v, S390AP_PGM_SPECIFICATION);
		return 0;
	}
	if (vm->hook) {
		v->st.pqap_hook++;
		rc = vm->hook(vm->hook_ctx, v);
		if (rc == 0) {
			gr1 = s390ap_vcpu_gr(v, 1);
			if (gr1 & 0x00FF0000u)
				(void)s390ap_vcpu_set_cc(v, 3);
			else if (kvm->o.pqap_policy != S390AP_KVM_PQAP_BEFORE_CC_FIX)
				(void)s390ap_vcpu_set_cc(v, 0);
		}
		return rc;
	}
	/* no hook: no driver gave the guest queues */
	gr1 = s390ap_vcpu_gr(v, 1);
	if (kvm->o.nohook_high_word) /* KVM's code: into bits 0-31, the rest kept */
		gr1 = (gr1 & 0xFFFFFFFFull) | (uint64_t)S390AP_RC_Q_NOT_AVAIL << 48;
	else /* as the machine stores a status word */
		gr1 = (uint64_t)S390AP_RC_Q_NOT_AVAIL << 16;
	(void)s390ap_vcpu_set_gr(v, 1, gr1);
	(void)s390ap_vcpu_set_cc(v, 3);
	return 0;
}

/* ---- the built-in AQIC hook ---- */

static struct aqic_rec *aqic_find(s390ap_vm *vm, uint16_t apqn)
{
	for (size_t i = 0; i < vm->naqic; i++)
		if (vm->aqic[i].apqn == apqn)
			return &vm->aqic[i];
	return NULL;
}

static void aqic_drop(s390ap_vm *vm, struct aqic_rec *r)
{
	(void)s390ap_vm_gisc_unregister(vm, r->gisc);
	*r = vm->aqic[--vm->naqic];
}

static bool vm_has_queue(const s390ap_vm *vm, uint16_t apqn)
{
	uint8_t apm[32], aqm[32];

	if (s390ap_crycb_masks(kvm_crycb(vm), vm_format(vm), apm, aqm, NULL) < 0)
		return false;
	return mask_test(apm, apqn >> 8) && mask_test(aqm, apqn & 0xFF);
}

/* The host's own AQIC on the machine: level 1, absolute storage.  The
 * status word it stored (GR1 bits 32-63). */
static uint32_t host_aqic(s390ap_kvm *kvm, uint16_t apqn, uint64_t gr1, uint64_t nib)
{
	uint64_t gr[16] = { 0 };
	s390ap_insn_ctx ctx = { .gr = gr,
				.amode = 64,
				.storage = s390ap_sys_storage(kvm->sys),
				.asc = S390AP_ASC_PRIMARY };
	s390ap_insn_result res;

	gr[0] = (uint64_t)S390AP_FC_AQIC << S390AP_GR0_FC_SHIFT | apqn;
	gr[1] = gr1;
	gr[2] = nib;
	if (s390ap_pqap(kvm->sys->machine, &ctx, &res) < 0 || res.pgm)
		return (uint32_t)S390AP_RC_Q_NOT_AVAIL << 16;
	return (uint32_t)gr[1];
}

static uint8_t sw_rc(uint32_t sw)
{
	return (uint8_t)(sw >> 16);
}

static bool vm_owns(void *ctx, uint16_t apqn)
{
	return vm_has_queue(ctx, apqn);
}

int s390ap_kvm_aqic_hook(void *ctx, s390ap_vcpu *v)
{
	(void)ctx;
	if (!v)
		return S390AP_EINVAL;
	return kvm_aqic(v, vm_owns, v->vm, 0, 0);
}

void kvm_aqic_forget(s390ap_vm *vm, uint16_t apqn)
{
	struct aqic_rec *r = aqic_find(vm, apqn);

	if (r)
		aqic_drop(vm, r);
}

/* The host's disable, re-issued while the queue answers 0x02 or 0x05
 * (reset in progress, busy), retry_cycles of the machine's clock apart. */
static uint32_t host_aqic_off(s390ap_vcpu *v, uint16_t apqn, unsigned retries,
			      uint64_t retry_cycles)
{
	s390ap_kvm *kvm = v->vm->kvm;
	uint32_t sw = host_aqic(kvm, apqn, 0, 0);

	for (unsigned i = 0; i < retries && (sw_rc(sw) == S390AP_RC_RESET_IN_PROGRESS ||
					     sw_rc(sw) == S390AP_RC_BUSY);
	     i++) {
		/* the vCPU waits that long: the machine's clock moves on with it */
		(void)s390ap_machine_advance(kvm->sys->machine, retry_cycles);
		v->cpu->slice_cycles += retry_cycles;
		sw = host_aqic(kvm, apqn, 0, 0);
	}
	return sw;
}

int kvm_aqic(s390ap_vcpu *v, bool (*owns)(void *ctx, uint16_t apqn), void *ctx, unsigned retries,
	     uint64_t retry_cycles)
{
	s390ap_vm *vm = v->vm;
	uint16_t apqn;
	uint64_t gr1;
	uint32_t sw = (uint32_t)S390AP_RC_Q_NOT_AVAIL << 16;
	struct aqic_rec *r;

	if (!(be_get32(kvm_scb(v) + S390AP_SCB_ECA) & S390AP_ECA_AIV))
		return S390AP_ENOTSUP;
	apqn = (uint16_t)s390ap_vcpu_gr(v, 0);
	gr1 = s390ap_vcpu_gr(v, 1);
	r = aqic_find(vm, apqn);
	if (!owns(ctx, apqn)) {
		sw = (uint32_t)S390AP_RC_Q_NOT_AVAIL << 16;
	} else if (gr1 & S390AP_AQIC_IR) {
		unsigned gisc = (unsigned)(gr1 & S390AP_AQIC_ISC_MASK), nisc;
		uint64_t gnib = s390ap_vcpu_gr(v, 2), abs;

		if (gnib == 0 || !kvm_guest_abs(v, gnib, 1, &abs)) {
			sw = (uint32_t)S390AP_RC_INVALID_ADDRESS << 16;
		} else if (s390ap_vm_gisc_register(vm, gisc, &nisc) < 0) {
			sw = (uint32_t)S390AP_RC_INVALID_GISA << 16;
		} else {
			uint64_t hgr1 = S390AP_AQIC_IR | (uint64_t)gisc << S390AP_AQIC_GISC_SHIFT |
					(uint64_t)vm->gisa | nisc;

			sw = host_aqic(vm->kvm, apqn, hgr1, vm->mso + abs);
			if (sw_rc(sw) == S390AP_RC_NORMAL) {
				struct aqic_rec *nr;

				if (r)
					aqic_drop(vm, r);
				if (vm->naqic == vm->aqic_cap) {
					size_t cap = vm->aqic_cap ? 2 * vm->aqic_cap : 4;

					nr = realloc(vm->aqic, cap * sizeof(*nr));
					if (!nr) {
						(void)s390ap_vm_gisc_unregister(vm, gisc);
						return S390AP_ENOMEM;
					}
					vm->aqic = nr;
					vm->aqic_cap = cap;
				}
				vm->aqic[vm->naqic++] = (struct aqic_rec){ apqn, (uint8_t)gisc };
			} else {
				(void)s390ap_vm_gisc_unregister(vm, gisc);
			}
		}
	} else {
		sw = host_aqic_off(v, apqn, retries, retry_cycles);
		if ((sw_rc(sw) == S390AP_RC_NORMAL || sw_rc(sw) == S390AP_RC_OTHERWISE_CHANGED) &&
		    r)
			aqic_drop(vm, r);
	}
	/* the status word of the host's AQIC, or of the check that stopped
	 * it here, in GR1 bits 32-63 and zeros in bits 0-31, as the machine
	 * stores it */
	(void)s390ap_vcpu_set_gr(v, 1, sw);
	return 0;
}

/* ---- interceptions ---- */

/* Operand address of an S-format instruction from ipb: base + disp in the
 * guest's addressing mode. */
uint64_t kvm_s_operand(const s390ap_vcpu *v, uint32_t ipb)
{
	unsigned b = ipb >> 28;
	uint64_t a = (b ? s390ap_vcpu_gr(v, b) : 0) + ((ipb >> 16) & 0xFFF);
	s390ap_psw psw;

	(void)s390ap_vcpu_psw(v, &psw);
	return a & cpu_amask_of(psw.mask);
}

static int guest_store(s390ap_vcpu *v, uint64_t ra, const void *src, size_t len)
{
	uint64_t abs;

	if (!kvm_guest_abs(v, ra, len, &abs)) {
		inject(v, S390AP_PGM_ADDRESSING);
		return -1;
	}
	(void)s390ap_vm_write(v->vm, abs, src, len);
	return 0;
}

/* The instructions the host handles itself, as KVM's priv.c does: STAP,
 * STPX, SPX, STFL; DIAG 0x9C (a yield: nothing to do). */
static int handle_instruction(s390ap_vcpu *v, uint16_t ipa, uint32_t ipb)
{
	uint8_t b[4];
	uint64_t ea;

	if (ipa == 0xB2AF)
		return s390ap_kvm_handle_pqap(v);
	if (ipa == 0xB214) /* guest-2 runs a guest of its own */
		return vsie_handle(v, ipb);
	if ((ipa >> 8) == 0x83) {
		unsigned b2 = ipb >> 28;
		uint64_t code = ((b2 ? s390ap_vcpu_gr(v, b2) : 0) + ((ipb >> 16) & 0xFFF)) & 0xFFFF;

		return code == 0x9C ? 0 : S390AP_ENOTSUP;
	}
	if (guest_problem_state(v) &&
	    (ipa == 0xB212 || ipa == 0xB211 || ipa == 0xB210 || ipa == 0xB2B1)) {
		inject(v, S390AP_PGM_PRIVILEGED);
		return 0;
	}
	switch (ipa) {
	case 0xB212: /* STAP */
		ea = kvm_s_operand(v, ipb);
		if (ea & 1) {
			inject(v, S390AP_PGM_SPECIFICATION);
			return 0;
		}
		be_put16(b, (uint16_t)v->id);
		(void)guest_store(v, ea, b, 2);
		return 0;
	case 0xB211: /* STPX */
		ea = kvm_s_operand(v, ipb);
		if (ea & 3) {
			inject(v, S390AP_PGM_SPECIFICATION);
			return 0;
		}
		be_put32(b, be_get32(kvm_scb(v) + S390AP_SCB_PREFIX) & S390AP_SCB_PREFIX_MASK);
		(void)guest_store(v, ea, b, 4);
		return 0;
	case 0xB210: { /* SPX */
		uint64_t abs;
		uint32_t p;
		uint8_t *scb = kvm_scb(v);

		ea = kvm_s_operand(v, ipb);
		if (ea & 3) {
			inject(v, S390AP_PGM_SPECIFICATION);
			return 0;
		}
		if (!kvm_guest_abs(v, ea, 4, &abs)) {
			inject(v, S390AP_PGM_ADDRESSING);
			return 0;
		}
		(void)s390ap_vm_read(v->vm, abs, b, 4);
		p = be_get32(b) & S390AP_SCB_PREFIX_MASK;
		if (p + CPU_LOWCORE > v->vm->size) {
			inject(v, S390AP_PGM_ADDRESSING);
			return 0;
		}
		be_put32(scb + S390AP_SCB_PREFIX,
			 (be_get32(scb + S390AP_SCB_PREFIX) & ~(uint32_t)S390AP_SCB_PREFIX_MASK) |
				 p);
		return 0;
	}
	case 0xB2B1: /* STFL: the list's first word at real 0xC8 */
		memcpy(b, kvm_hmem(v->vm->kvm, v->vm->page2 + P2_FAC), 4);
		(void)guest_store(v, S390AP_LC_STFLE, b, 4);
		return 0;
	default:
		return S390AP_ENOTSUP;
	}
}

static unsigned ipa_ilen(uint16_t ipa)
{
	return cpu_ilen((uint8_t)(ipa >> 8));
}

void s390ap_kvm_default_exit(void *ctx, s390ap_vcpu *v, const s390ap_kvm_exit *e,
			     s390ap_kvm_reply *reply)
{
	(void)ctx;
	if (!v || !e || !reply)
		return;
	switch (e->icptcode) {
	case S390AP_ICPT_INST:
		if ((e->ipa >> 8) == 0x83) {
			unsigned b2 = e->ipb >> 28;
			uint64_t code =
				((b2 ? s390ap_vcpu_gr(v, b2) : 0) + ((e->ipb >> 16) & 0xFFF)) &
				0xFFFF;

			if (code == 0x44 || code == 0x500) {
				reply->action = S390AP_KVM_HALT;
				reply->exit_value = code == 0x500 ? s390ap_vcpu_gr(v, 2) : 0;
			} else {
				reply->pgm = S390AP_PGM_SPECIFICATION;
			}
			return;
		}
		reply->pgm = S390AP_PGM_OPERATION;
		return;
	case S390AP_ICPT_WAIT: {
		s390ap_psw psw;

		(void)s390ap_vcpu_psw(v, &psw);
		reply->action = S390AP_KVM_STOP;
		reply->exit_value = psw.addr & 0xFFFFFFFFull;
		return;
	}
	default:
		reply->action = S390AP_KVM_CHECKSTOP;
		reply->exit_value = e->validity;
		return;
	}
}

static void vcpu_done(s390ap_vcpu *v, s390ap_cpu_state state, uint64_t value)
{
	struct s390ap_cpu *c = v->cpu;

	c->state = state;
	c->exit_value = value;
	c->psw.mask = S390AP_PSW_EA | S390AP_PSW_BA | S390AP_PSW_WAIT;
	c->psw.addr = 0;
	cpu_end_slice(c);
}

void kvm_handle_exit(s390ap_vcpu *v)
{
	s390ap_kvm *kvm = v->vm->kvm;
	struct s390ap_cpu *c = v->cpu;
	uint8_t *scb = kvm_scb(v);
	s390ap_kvm_exit e = { .icptcode = scb[S390AP_SCB_ICPTCODE],
			      .icptstatus = scb[S390AP_SCB_ICPTSTATUS],
			      .ipa = be_get16(scb + S390AP_SCB_IPA),
			      .ipb = be_get32(scb + S390AP_SCB_IPB) };
	s390ap_kvm_reply reply = { S390AP_KVM_RESUME, 0, 0 };
	int rc = S390AP_ENOTSUP;

	if (vsie_active(v)) { /* guest-3 left SIE: back to guest-2 */
		vsie_exit(v);
		return;
	}
	if (e.icptcode == S390AP_ICPT_VALIDITY)
		e.validity = (uint16_t)S390AP_VALIDITY_REASON(e.ipb);
	v->pgm = 0;
	if (e.icptcode == S390AP_ICPT_INST) {
		rc = handle_instruction(v, e.ipa, e.ipb);
		if (rc == 1)
			return; /* the vCPU runs guest-3 (or guest-2 again) */
		if (rc == 0 && v->pgm)
			v->pgm_ilen = ipa_ilen(e.ipa);
	} else if (e.icptcode == S390AP_ICPT_STOP) {
		be_put32(scb + S390AP_SCB_CPUFLAGS,
			 be_get32(scb + S390AP_SCB_CPUFLAGS) & ~(uint32_t)S390AP_CPUSTAT_STOP_INT);
		rc = 0;
	}
	if (rc < 0 && rc != S390AP_ENOTSUP) {
		cpu_fail(c, rc, "kvm: vCPU %u: PQAP hook returned %d", v->id, rc);
		vcpu_done(v, S390AP_CPU_CHECKSTOP, 0);
		return;
	}
	if (rc == S390AP_ENOTSUP) {
		v->st.user_exits++;
		if (kvm->o.exit)
			kvm->o.exit(kvm->o.exit_ctx, v, &e, &reply);
		else
			s390ap_kvm_default_exit(NULL, v, &e, &reply);
		if (reply.action != S390AP_KVM_RESUME) {
			vcpu_done(v,
				  reply.action == S390AP_KVM_HALT   ? S390AP_CPU_HALTED
				  : reply.action == S390AP_KVM_STOP ? S390AP_CPU_STOPPED
								    : S390AP_CPU_CHECKSTOP,
				  reply.exit_value);
			return;
		}
		if (reply.pgm) {
			v->pgm = reply.pgm;
			v->pgm_ilen = e.icptcode == S390AP_ICPT_INST ? ipa_ilen(e.ipa) : 0;
		}
	}
	if (e.icptcode == S390AP_ICPT_VALIDITY) {
		/* nothing to enter: the SCB is still bad */
		vcpu_done(v, S390AP_CPU_CHECKSTOP, e.validity);
		return;
	}
	c->slice_cycles += kvm->sys->cost.sie_entry;
	(void)kvm_vcpu_enter(v);
}
