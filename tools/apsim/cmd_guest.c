/* SPDX-License-Identifier: MIT */
/* apsim scenario area "guest": VMs of the KVM-like host model (s390ap/kvm.h),
 * their vCPUs, crypto attributes, AP masks and PQAP hook, programs loaded
 * into a guest's storage window; the SCB, CRYCB and VM listings and the
 * expectations on them.
 *
 * A VM is named in the scenario (`vm NAME mso ...`); the names are known to
 * the parser, so a VM used before it is made is an error at parse time.  A
 * guest vCPU is named by the system vCPU it runs on (each system vCPU runs
 * at most one), so `cpu N` selects it, and `set gr`, `expect gr`, `expect
 * cc`, `print regs` ... on that vCPU see the guest's registers.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "builtin.h"
#include "listing.h"
#include "scn.h"
#include "util/array.h"

/* ---- the guest on the current vCPU ---- */

s390ap_vcpu *scn_guest(const struct apsim_ctx *x)
{
	return x->cpu < S390AP_MAX_CPUS ? x->vcpu[x->cpu] : NULL;
}

int scn_host_only(struct apsim_ctx *x, const struct scn_cmd *c, const char *what)
{
	if (!scn_guest(x))
		return 0;
	return scn_error(x, c->pos, "vCPU %u runs a vCPU of VM '%s': %s is for host vCPUs only",
			 x->cpu, x->vms[x->vcpu_vm[x->cpu]].name, what);
}

uint64_t scn_gr(const struct apsim_ctx *x, unsigned n)
{
	s390ap_vcpu *v = scn_guest(x);

	return v ? s390ap_vcpu_gr(v, n) : s390ap_cpu_gr(s390ap_sys_cpu(x->sys, x->cpu))[n];
}

void scn_psw(const struct apsim_ctx *x, s390ap_psw *psw)
{
	s390ap_vcpu *v = scn_guest(x);

	if (!v || s390ap_vcpu_psw(v, psw) < 0)
		s390ap_cpu_psw(s390ap_sys_cpu(x->sys, x->cpu), psw);
}

unsigned scn_cc(const struct apsim_ctx *x)
{
	s390ap_psw psw;

	scn_psw(x, &psw);
	return (unsigned)(psw.mask >> S390AP_PSW_CC_SHIFT) & 3;
}

/* The SCB of a guest vCPU (out of host storage); false on a read error. */
static bool read_scb(const struct apsim_ctx *x, const s390ap_vcpu *v, uint8_t scb[S390AP_SCB_SIZE])
{
	return s390ap_storage_read(s390ap_sys_storage(x->sys), s390ap_vcpu_scb(v), scb,
				   S390AP_SCB_SIZE) == 0;
}

uint64_t scn_cr(const struct apsim_ctx *x, unsigned n)
{
	s390ap_vcpu *v = scn_guest(x);
	uint8_t scb[S390AP_SCB_SIZE];
	const s390ap_scb_field *f;

	/* out of SIE the guest's control registers are in the SCB */
	if (v && !s390ap_vcpu_in_sie(v) && read_scb(x, v, scb) &&
	    s390ap_scb_field_lookup("gcr", &f, NULL) == 0)
		return s390ap_scb_get(scb, f, n);
	return s390ap_cpu_cr(s390ap_sys_cpu(x->sys, x->cpu), n);
}

/* ---- names ---- */

static bool name_char(char ch, bool first)
{
	return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
	       (!first && ((ch >= '0' && ch <= '9') || ch == '_' || ch == '-'));
}

static int vm_index(const struct scn_parser *p, const struct scn_tok *t)
{
	for (unsigned k = 0; k < p->nvms; k++)
		if (strlen(p->vmnames[k]) == t->len && !memcmp(p->vmnames[k], t->s, t->len))
			return (int)k;
	return -1;
}

/* A VM name into p->newname (checked later: new or known). */
static int p_vmword(struct scn_parser *p, struct scn_cmd *c, unsigned slot)
{
	static const char what[] = "a VM name (letters, digits, '_' and '-', at most 32 bytes)";
	const struct scn_tok *t = scn_p_at_end(p) ? NULL : &p->tok[p->i];
	bool ok = t && !t->quoted && t->len >= 1 && t->len <= SCN_NAME_MAX;

	for (size_t k = 0; ok && k < t->len; k++)
		ok = name_char(t->s[k], k == 0);
	if (!ok)
		return scn_p_expected(p, what);
	c->a[slot].pos = scn_p_pos(p);
	c->a[slot].v = (uint64_t)(int64_t)vm_index(p, t);
	c->set |= 1u << slot;
	memcpy(p->newname, t->s, t->len);
	p->newname[t->len] = '\0';
	p->i++;
	return 0;
}

int scn_p_vmname(struct scn_parser *p, struct scn_cmd *c, unsigned slot)
{
	if (p_vmword(p, c, slot) < 0)
		return -1;
	if ((int64_t)c->a[slot].v < 0)
		return scn_error(p->x, c->a[slot].pos,
				 "no VM '%s' (make it first with 'vm %s mso ADDR size N')",
				 p->newname, p->newname);
	return 0;
}

/* `vm NAME ...` of an existing VM (every vm form but the one that makes it). */
static int check_vm(struct scn_parser *p, struct scn_cmd *c)
{
	if ((int64_t)c->a[0].v < 0)
		return scn_error(p->x, c->a[0].pos,
				 "no VM '%s' (make it first with 'vm %s mso ADDR size N')",
				 p->newname, p->newname);
	return 0;
}

/* ---- vm NAME mso ADDR size N [model FAC,...] [no-gisa] ---- */

static const char *const model_names[] = { "qci", "apft", "aqic", "msax3", NULL };
static const uint32_t model_bits[] = { S390AP_FAC_QCI, S390AP_FAC_APFT, S390AP_FAC_AQIC,
				       S390AP_FAC_MSAX3 };
#define MODEL_ALL (S390AP_FAC_QCI | S390AP_FAC_APFT | S390AP_FAC_AQIC | S390AP_FAC_MSAX3)

/* model qci,apft,... | all | none: a[slot] = the S390AP_FAC_* bits */
static int p_model(struct scn_parser *p, struct scn_cmd *c, unsigned slot)
{
	static const char what[] = "a CPU model: facility names joined by commas (qci, apft, "
				   "aqic, msax3), 'all' or 'none'";
	const struct scn_tok *t = scn_p_at_end(p) ? NULL : &p->tok[p->i];
	uint32_t bits = 0;
	size_t at = 0;

	if (!t || t->quoted)
		return scn_p_expected(p, what);
	c->a[slot].pos = scn_p_pos(p);
	if (t->len == 3 && !memcmp(t->s, "all", 3)) {
		bits = MODEL_ALL;
	} else if (!(t->len == 4 && !memcmp(t->s, "none", 4))) {
		while (at <= t->len) {
			const char *comma = memchr(t->s + at, ',', t->len - at);
			size_t n = comma ? (size_t)(comma - t->s) - at : t->len - at;
			int k;

			for (k = 0; model_names[k]; k++)
				if (strlen(model_names[k]) == n &&
				    !memcmp(model_names[k], t->s + at, n))
					break;
			if (!model_names[k])
				return scn_error(p->x,
						 (struct scn_pos){ p->line, t->col + (unsigned)at },
						 "'%.*s' is not a facility of the CPU model "
						 "(qci, apft, aqic, msax3)",
						 (int)(n > 40 ? 40 : n), t->s + at);
			bits |= model_bits[k];
			at += n + 1;
		}
	}
	c->a[slot].v = bits;
	c->set |= 1u << slot;
	p->i++;
	return 0;
}

static const char *const vm_prop_words[] = { "model", "no-gisa", NULL };
static const struct scn_props vm_props = SCN_PROPS_OF("a VM property (model, no-gisa)",
						      "given twice", vm_prop_words, SCN_FN(p_model),
						      SCN_NONE);

static int check_vm_new(struct scn_parser *p, struct scn_cmd *c)
{
	if ((int64_t)c->a[0].v >= 0)
		return scn_error(p->x, c->a[0].pos, "VM '%s' already exists", p->newname);
	if (p->nvms >= SCN_MAX_VMS)
		return scn_error(p->x, c->a[0].pos, "more than %u VMs (apsim's limit)",
				 SCN_MAX_VMS);
	snprintf(p->vmnames[p->nvms], sizeof(p->vmnames[0]), "%s", p->newname);
	c->a[0].v = p->nvms++;
	return 0;
}

const char *scn_kvm_msg(const struct apsim_ctx *x, int rc)
{
	const char *m = x->kvm ? s390ap_kvm_errmsg(x->kvm) : "";

	return m && m[0] ? m : s390ap_strerror(rc);
}

static int run_vm_new(struct apsim_ctx *x, struct scn_cmd *c)
{
	struct scn_vm *sv = &x->vms[c->a[0].v];
	s390ap_vm_opts vo = { .size = sizeof(vo) };
	int rc;

	if (!x->kvm) {
		rc = s390ap_kvm_new(&x->kvm, x->sys, NULL);
		if (rc < 0)
			return scn_error(x, c->pos, "cannot create the host: %s",
					 s390ap_strerror(rc));
	}
	vo.mso = c->a[1].v; /* a[2] is the word 'size' */
	vo.mem_size = c->a[3].v;
	vo.facilities = SCN_GIVEN(c, 4) ? (uint32_t)c->a[4].v : MODEL_ALL;
	vo.no_gisa = SCN_GIVEN(c, 5);
	rc = s390ap_vm_new(x->kvm, &sv->vm, &vo);
	if (rc < 0)
		return scn_error(x, c->pos, "cannot create VM '%s': %s", x->vms[c->a[0].v].name,
				 scn_kvm_msg(x, rc));
	x->nvms = (unsigned)c->a[0].v + 1;
	return 0;
}

/* Names are copied at parse time into the context when the scenario runs;
 * the runner keeps them in the command's text. */
static int check_vm_new_name(struct scn_parser *p, struct scn_cmd *c)
{
	if (check_vm_new(p, c) < 0)
		return -1;
	free(c->text);
	c->text = malloc(strlen(p->newname) + 1);
	if (!c->text)
		return scn_error(p->x, c->pos, "out of memory");
	strcpy(c->text, p->newname);
	return 0;
}

static int run_vm_new_named(struct apsim_ctx *x, struct scn_cmd *c)
{
	snprintf(x->vms[c->a[0].v].name, sizeof(x->vms[0].name), "%s", c->text);
	return run_vm_new(x, c);
}

#define VM(c) (&x->vms[(c)->a[0].v])

/* ---- vm NAME vcpu N ---- */

static int run_vm_vcpu(struct apsim_ctx *x, struct scn_cmd *c)
{
	unsigned n = (unsigned)c->a[1].v, ncpus = s390ap_sys_ncpus(x->sys);
	int rc;

	if (n >= ncpus)
		return scn_error(x, c->a[1].pos,
				 "vCPU %u does not exist (the system has %u; see 'cpus')", n,
				 ncpus);
	if (x->vcpu[n])
		return scn_error(x, c->a[1].pos, "vCPU %u already runs a vCPU of VM '%s'", n,
				 x->vms[x->vcpu_vm[n]].name);
	rc = s390ap_vcpu_new(VM(c)->vm, &x->vcpu[n], n);
	if (rc < 0)
		return scn_error(x, c->pos, "cannot create a vCPU of VM '%s' on vCPU %u: %s",
				 VM(c)->name, n, scn_kvm_msg(x, rc));
	x->vcpu_vm[n] = (unsigned)c->a[0].v;
	return 0;
}

/* ---- vm NAME attr ATTR ---- */

static const char *const attr_names[] = {
	"enable-aes-kw",
	"enable-dea-kw",
	"disable-aes-kw",
	"disable-dea-kw",
	"enable-apie",
	"disable-apie",
	NULL,
};

/* ATTR: a name of attr_names or an attribute number (to see ENXIO) */
static int p_attr(struct scn_parser *p, struct scn_cmd *c, unsigned slot)
{
	static const struct scn_arg num = SCN_NUM(0, UINT32_MAX, "a crypto attribute");
	static const char what[] = "a crypto attribute (enable-aes-kw, enable-dea-kw, "
				   "disable-aes-kw, disable-dea-kw, enable-apie, disable-apie "
				   "or its number)";
	const struct scn_tok *t = scn_p_at_end(p) ? NULL : &p->tok[p->i];

	for (int k = 0; t && attr_names[k]; k++) {
		if (scn_p_accept(p, attr_names[k])) {
			c->a[slot] = (struct scn_val){ (uint64_t)k, { p->line, t->col } };
			c->set |= 1u << slot;
			return 0;
		}
	}
	if (!t || t->len == 0 || t->s[0] < '0' || t->s[0] > '9')
		return scn_p_expected(p, what);
	return scn_parse_arg(p, c, &num, slot);
}

static const char *attr_text(uint64_t attr, char *buf, size_t size)
{
	if (attr < ARRAY_SIZE(attr_names) - 1)
		return attr_names[attr];
	snprintf(buf, size, "attribute %" PRIu64, attr);
	return buf;
}

static int run_vm_attr(struct apsim_ctx *x, struct scn_cmd *c)
{
	int rc = s390ap_vm_set_attr(VM(c)->vm, S390AP_VM_CRYPTO, (unsigned)c->a[1].v);
	char buf[32];

	if (rc < 0)
		return scn_error(x, c->a[1].pos, "VM '%s' refused %s: %s (%s)", VM(c)->name,
				 attr_text(c->a[1].v, buf, sizeof(buf)), s390ap_err_name(rc),
				 s390ap_strerror(rc));
	return 0;
}

/* expect attr VM ATTR ==|!= ok|EINVAL|ENXIO|ENOTSUP: sets it, checks the answer */
static const char *const answer_names[] = { "ok", "EINVAL", "ENXIO", "ENOTSUP", "EOPNOTSUPP", NULL };
static const int answer_codes[] = { 0, S390AP_EINVAL, S390AP_ENXIO, S390AP_ENOTSUP,
				    S390AP_ENOTSUP };

static int check_expect_attr(struct scn_parser *p, struct scn_cmd *c)
{
	if (c->a[2].v != SCN_EQ && c->a[2].v != SCN_NE)
		return scn_error(p->x, c->a[2].pos,
				 "an attribute's answer compares with == or != only");
	return 0;
}

static int expect_attr(struct apsim_ctx *x, struct scn_cmd *c)
{
	int rc = s390ap_vm_set_attr(VM(c)->vm, S390AP_VM_CRYPTO, (unsigned)c->a[1].v);
	int want = answer_codes[c->a[3].v];
	bool eq = c->a[2].v == SCN_EQ;
	char buf[32];

	if ((rc == want) == eq) {
		x->passed++;
		return 0;
	}
	return scn_expect_failed(x, c, "VM '%s' answered %s with %s, expected %s %s", VM(c)->name,
				 attr_text(c->a[1].v, buf, sizeof(buf)),
				 rc ? s390ap_err_name(rc) : "ok",
				 eq ? "==" : "!=", want ? s390ap_err_name(want) : "ok");
}

/* ---- vm NAME masks ... | grant APQN... | hook ---- */

static void bit_set(uint8_t m[32], unsigned id)
{
	m[id / 8] |= (uint8_t)(0x80u >> (id % 8));
}

/* An id list: numbers and ranges A-B joined by commas ("3,5,0x10-0x12");
 * bits into c->bytes at 32 * (slot - base) */
int scn_p_idlist_at(struct scn_parser *p, struct scn_cmd *c, unsigned slot, unsigned k)
{
	static const char what[] = "ids 0..255 joined by commas, ranges as A-B ('3,5', '0-15')";
	const struct scn_tok *t = scn_p_at_end(p) ? NULL : &p->tok[p->i];
	size_t at = 0;

	if (!t || t->quoted)
		return scn_p_expected(p, what);
	if (!c->bytes) {
		c->bytes = calloc(96, 1);
		if (!c->bytes)
			return scn_error(p->x, c->pos, "out of memory");
		c->nbytes = 96;
	}
	c->a[slot].pos = scn_p_pos(p);
	while (at < t->len) {
		uint64_t lo = 0, hi;
		size_t end = at, dash = 0;
		char *stop;
		char num[24];

		while (end < t->len && t->s[end] != ',')
			end++;
		for (size_t d = at + 1; d < end; d++)
			if (t->s[d] == '-')
				dash = d;
		for (int part = 0; part < (dash ? 2 : 1); part++) {
			size_t from = part ? dash + 1 : at, to = dash && !part ? dash : end;

			if (to <= from || to - from >= sizeof(num))
				return scn_p_expected(p, what);
			memcpy(num, t->s + from, to - from);
			num[to - from] = '\0';
			hi = strtoull(num, &stop, 0);
			if (*stop || num[0] == '-' || num[0] == '+' || hi > 255)
				return scn_error(p->x,
						 (struct scn_pos){ p->line,
								   t->col + (unsigned)from },
						 "'%s' is not an id 0..255", num);
			if (!part)
				lo = hi;
		}
		if (hi < lo)
			return scn_error(p->x, (struct scn_pos){ p->line, t->col + (unsigned)at },
					 "empty range %.*s", (int)(end - at), t->s + at);
		for (uint64_t id = lo; id <= hi; id++)
			bit_set(c->bytes + 32 * k, (unsigned)id);
		at = end + 1;
		if (end + 1 == t->len)
			return scn_p_expected(p, what); /* a trailing comma */
	}
	c->set |= 1u << slot;
	p->i++;
	return 0;
}

/* apm, aqm, adm follow the VM name */
static int p_idlist(struct scn_parser *p, struct scn_cmd *c, unsigned slot)
{
	return scn_p_idlist_at(p, c, slot, slot - 1);
}

static const char *const mask_words[] = { "apm", "aqm", "adm", NULL };
static const struct scn_props mask_props = SCN_PROPS_OF("a mask (apm, aqm, adm)", "given twice",
							mask_words, SCN_FN(p_idlist),
							SCN_FN(p_idlist), SCN_FN(p_idlist));

static int set_masks(struct apsim_ctx *x, const struct scn_cmd *c, struct scn_vm *sv)
{
	int rc = s390ap_vm_set_masks(sv->vm, sv->apm, sv->aqm, sv->adm);

	if (rc < 0)
		return scn_error(x, c->pos, "cannot set the masks of VM '%s': %s", sv->name,
				 scn_kvm_msg(x, rc));
	return 0;
}

static int check_masks(struct scn_parser *p, struct scn_cmd *c)
{
	if (check_vm(p, c) < 0)
		return -1;
	if (!c->bytes)
		return scn_p_expected(p, "a mask (apm, aqm, adm)");
	return 0;
}

static int run_vm_masks(struct apsim_ctx *x, struct scn_cmd *c)
{
	struct scn_vm *sv = VM(c);

	memcpy(sv->apm, c->bytes, 32);
	memcpy(sv->aqm, c->bytes + 32, 32);
	memcpy(sv->adm, c->bytes + 64, 32);
	return set_masks(x, c, sv);
}

static int run_vm_masks_none(struct apsim_ctx *x, struct scn_cmd *c)
{
	struct scn_vm *sv = VM(c);
	int rc;

	memset(sv->apm, 0, 32);
	memset(sv->aqm, 0, 32);
	memset(sv->adm, 0, 32);
	rc = s390ap_vm_clear_masks(sv->vm);
	if (rc < 0)
		return scn_error(x, c->pos, "cannot clear the masks of VM '%s': %s", sv->name,
				 scn_kvm_msg(x, rc));
	return 0;
}

/* grant APQN...: apm, aqm (and adm: the domain) bits into c->bytes */
static int p_apqns(struct scn_parser *p, struct scn_cmd *c, unsigned slot)
{
	static const struct scn_arg apqn = SCN_APQN;

	c->bytes = calloc(96, 1);
	if (!c->bytes)
		return scn_error(p->x, c->pos, "out of memory");
	c->nbytes = 96;
	do {
		if (scn_parse_arg(p, c, &apqn, slot) < 0)
			return -1;
		bit_set(c->bytes, S390AP_APQN_APID(c->a[slot].v));
		bit_set(c->bytes + 32, S390AP_APQN_APQI(c->a[slot].v));
		bit_set(c->bytes + 64, S390AP_APQN_APQI(c->a[slot].v));
	} while (!scn_p_at_end(p));
	return 0;
}

static int run_vm_grant(struct apsim_ctx *x, struct scn_cmd *c)
{
	struct scn_vm *sv = VM(c);

	for (unsigned k = 0; k < 32; k++) {
		sv->apm[k] |= c->bytes[k];
		sv->aqm[k] |= c->bytes[32 + k];
		sv->adm[k] |= c->bytes[64 + k];
	}
	return set_masks(x, c, sv);
}

static const char *const hook_names[] = { "aqic", "none", NULL };

static int run_vm_hook(struct apsim_ctx *x, struct scn_cmd *c)
{
	int rc = s390ap_vm_set_pqap_hook(VM(c)->vm, c->a[1].v == 0 ? s390ap_kvm_aqic_hook : NULL,
					 NULL);

	if (rc < 0)
		return scn_error(x, c->pos, "cannot set the PQAP hook of VM '%s': %s", VM(c)->name,
				 scn_kvm_msg(x, rc));
	return 0;
}

/* ---- vm NAME load elf|builtin, vm NAME start ---- */

static int run_vm_load_elf(struct apsim_ctx *x, struct scn_cmd *c)
{
	struct scn_vm *sv = VM(c);
	char *data;
	size_t len;
	uint64_t entry;
	int rc;

	if (c->a[2].v) /* at BASE: a nested guest's program, no entry */
		return scn_vm_load_elf_at(x, c, c->a[3].v);
	if (scn_read_path(x, c->a[1].pos, c->text, &data, &len) < 0)
		return -1;
	rc = s390ap_vm_load_elf(sv->vm, data, len, &entry);
	free(data);
	if (rc < 0)
		return scn_error(x, c->a[1].pos, "cannot load ELF '%s' into VM '%s': %s", c->text,
				 sv->name, scn_kvm_msg(x, rc));
	sv->entry = entry;
	sv->have_entry = true;
	return 0;
}

static int run_vm_load_builtin(struct apsim_ctx *x, struct scn_cmd *c)
{
	struct scn_vm *sv = VM(c);
	const struct apsim_builtin *b = apsim_builtin_find(c->text);
	int rc;

	if (!b)
		return scn_error(x, c->a[1].pos, "no built-in program '%s' (built in: %s)", c->text,
				 apsim_builtin_names());
	/* `at BASE`: the image as a nested guest's window at BASE sees it */
	if (c->a[2].v && c->a[3].v > UINT64_MAX - b->addr)
		return scn_error(x, c->a[3].pos, "0x%" PRIx64 " + 0x%" PRIx64 " is beyond 64 bits",
				 c->a[3].v, b->addr);
	rc = s390ap_vm_load(sv->vm, b->addr + (c->a[2].v ? c->a[3].v : 0), b->bytes, b->len);
	if (rc < 0)
		return scn_error(x, c->a[1].pos, "cannot load '%s' into VM '%s': %s", c->text,
				 sv->name, scn_kvm_msg(x, rc));
	if (!c->a[2].v) {
		sv->entry = b->entry;
		sv->have_entry = true;
	}
	return 0;
}

static int run_vm_start(struct apsim_ctx *x, struct scn_cmd *c)
{
	struct scn_vm *sv = VM(c);
	uint64_t entry = SCN_GIVEN(c, 1) ? c->a[1].v : sv->entry;
	bool any = false;

	if (!SCN_GIVEN(c, 1) && !sv->have_entry)
		return scn_error(x, c->pos,
				 "no program loaded into VM '%s' yet: give the start address",
				 sv->name);
	for (unsigned n = 0; n < S390AP_MAX_CPUS; n++) {
		int rc;

		if (!x->vcpu[n] || x->vcpu_vm[n] != c->a[0].v)
			continue;
		rc = s390ap_vcpu_start(x->vcpu[n], entry);
		if (rc < 0)
			return scn_error(x, c->pos, "cannot start vCPU %u of VM '%s': %s", n,
					 sv->name, scn_kvm_msg(x, rc));
		any = true;
	}
	if (!any)
		return scn_error(x, c->pos, "VM '%s' has no vCPU (add one with 'vm %s vcpu N')",
				 sv->name, sv->name);
	return 0;
}

/* ---- listings ---- */

s390ap_vcpu *scn_vcpu_at(struct apsim_ctx *x, const struct scn_cmd *c, unsigned k)
{
	uint64_t n = c->a[k].v;

	if (n >= s390ap_sys_ncpus(x->sys) || !x->vcpu[n]) {
		scn_error(x, c->a[k].pos, "vCPU %" PRIu64 " runs no guest (see 'vm NAME vcpu N')",
			  n);
		return NULL;
	}
	return x->vcpu[n];
}

void scn_hex_mask(FILE *out, const uint8_t *m, size_t n)
{
	size_t last = n;

	while (last > 8 && m[last - 1] == 0)
		last--; /* the rest is zero: say so once */
	for (size_t k = 0; k < last; k++)
		fprintf(out, "%02x", m[k]);
	if (last < n)
		fputs("...00", out);
}

static bool all_zero(const uint8_t *m, size_t n)
{
	for (size_t k = 0; k < n; k++)
		if (m[k])
			return false;
	return true;
}

const char *scn_crycb_format_name(unsigned fmt)
{
	return fmt == S390AP_CRYCB_FORMAT0   ? "format 0"
	       : fmt == S390AP_CRYCB_FORMAT1 ? "format 1"
	       : fmt == S390AP_CRYCB_FORMAT2 ? "format 2"
					     : "invalid format";
}

void scn_list_crycb(FILE *out, const uint8_t blk[S390AP_CRYCB_SIZE], unsigned fmt)
{
	uint8_t apm[32], aqm[32], adm[32];
	unsigned count = 0;
	char *list;

	if (s390ap_crycb_masks(blk, fmt, apm, aqm, adm) == 0) {
		const uint8_t *m[] = { apm, aqm, adm };
		const char *names[] = { "APM", "AQM", "ADM" };

		for (int k = 0; k < 3; k++) {
			fprintf(out, "  %s  ", names[k]);
			scn_hex_mask(out, m[k], 32);
			fputc('\n', out);
		}
	}
	s390ap_crycb_apqn_list(blk, fmt, NULL, 0, &count);
	list = malloc(8u * count + 1);
	if (list && s390ap_crycb_apqn_list(blk, fmt, list, 8u * count + 1, NULL) == 0)
		fprintf(out, "  APQNs (%u) %s\n", count, count ? list : "none");
	free(list);
	if (fmt == S390AP_CRYCB_FORMAT0) {
		fprintf(out, "  wrapping-key masks: none in format 0\n");
	} else {
		const uint8_t *dea = blk + S390AP_CRYCB_WK_DEA, *aes = blk + S390AP_CRYCB_WK_AES;

		fprintf(out, "  DEA wrapping-key mask %s, AES wrapping-key mask %s\n",
			all_zero(dea, S390AP_CRYCB_WK_DEA_LEN) ? "zero" : "set",
			all_zero(aes, S390AP_CRYCB_WK_AES_LEN) ? "zero" : "set");
	}
}

static int print_crycb(struct apsim_ctx *x, struct scn_cmd *c)
{
	struct scn_vm *sv = VM(c);
	s390ap_vm_crypto cr;
	uint8_t blk[S390AP_CRYCB_SIZE];
	uint32_t origin;
	unsigned fmt;
	int rc = s390ap_vm_crypto_get(sv->vm, &cr);

	if (rc < 0 ||
	    s390ap_storage_read(s390ap_sys_storage(x->sys), cr.crycb, blk, sizeof(blk)) < 0)
		return scn_error(x, c->pos, "cannot read the CRYCB of VM '%s'", sv->name);
	s390ap_crycbd_decode(cr.crycbd, &origin, &fmt);
	fprintf(x->out, "CRYCB of VM %s: CRYCBD 0x%08" PRIx32 ", origin 0x%08" PRIx32 ", %s%s%s\n",
		sv->name, cr.crycbd, origin, scn_crycb_format_name(fmt),
		(cr.crycbd & S390AP_CRYCBD_APXA) ? ", APXA" : "",
		(cr.crycbd & S390AP_CRYCBD_MSAX3) ? ", MSAX3" : "");
	scn_list_crycb(x->out, blk, fmt);
	return 0;
}

static void model_text(uint32_t fac, char *buf, size_t size)
{
	size_t n = 0;

	buf[0] = '\0';
	for (int k = 0; model_names[k]; k++)
		if ((fac & model_bits[k]) && n < size)
			n += (size_t)snprintf(buf + n, size - n, "%s%s", n ? "," : "",
					      model_names[k]);
	if (!n)
		snprintf(buf, size, "none");
}

static int print_vm(struct apsim_ctx *x, struct scn_cmd *c)
{
	struct scn_vm *sv = VM(c);
	s390ap_vm_crypto cr;
	char model[64];
	uint64_t gisa = s390ap_vm_gisa(sv->vm);

	if (s390ap_vm_crypto_get(sv->vm, &cr) < 0)
		return scn_error(x, c->pos, "cannot read the crypto state of VM '%s'", sv->name);
	model_text(s390ap_vm_facilities(sv->vm), model, sizeof(model));
	fprintf(x->out, "VM %s: model %s\n", sv->name, model);
	fprintf(x->out, "  CRYCB 0x%08" PRIx64 " %s; aes-kw %s, dea-kw %s, apie %s\n", cr.crycb,
		scn_crycb_format_name(cr.format), cr.aes_kw ? "on" : "off",
		cr.dea_kw ? "on" : "off", cr.apie ? "on" : "off");
	if (gisa)
		fprintf(x->out, "  GISA 0x%08" PRIx64 "\n", gisa);
	else
		fprintf(x->out, "  no GISA\n");
	for (unsigned n = 0; n < S390AP_MAX_CPUS; n++)
		if (x->vcpu[n] && x->vcpu_vm[n] == c->a[0].v)
			fprintf(x->out, "  vCPU on %u: SCB 0x%08" PRIx64 "%s\n", n,
				s390ap_vcpu_scb(x->vcpu[n]),
				s390ap_vcpu_in_sie(x->vcpu[n]) ? ", in SIE" : "");
	return 0;
}

void scn_list_scb(FILE *out, const uint8_t scb[S390AP_SCB_SIZE])
{
	const s390ap_scb_field *tab;
	size_t n = s390ap_scb_fields(&tab);
	char text[256];

	for (size_t k = 0; k < n; k++) {
		const s390ap_scb_field *f = &tab[k];
		unsigned items = s390ap_scb_field_items(f);

		for (unsigned i = 0; i < items; i++) {
			uint64_t val = s390ap_scb_get(scb, f, i);
			unsigned digits = f->size >= 8 || items > 1 ? 16 : 2u * f->size;
			char name[24];

			if (items > 1)
				snprintf(name, sizeof(name), "%s%u", f->name, i);
			else
				snprintf(name, sizeof(name), "%s", f->name);
			fprintf(out, "  %-10s +0x%03x  %0*" PRIx64, name,
				(unsigned)(f->offset +
					   (items > 1 ? i * (f->size > 8 ? 8 : f->size) : 0)),
				(int)digits, val);
			s390ap_scb_flags_text(f, val, text, sizeof(text));
			if (strncmp(text, "0x", 2) != 0 && !(val == 0 && !strcmp(text, "0")))
				fprintf(out, "  %s", text);
			fputc('\n', out);
		}
	}
}

static int print_scb(struct apsim_ctx *x, struct scn_cmd *c)
{
	s390ap_vcpu *v = scn_vcpu_at(x, c, 0);
	uint8_t scb[S390AP_SCB_SIZE];

	if (!v)
		return -1;
	if (!read_scb(x, v, scb))
		return scn_error(x, c->pos, "cannot read the SCB of vCPU %" PRIu64, c->a[0].v);
	fprintf(x->out, "SCB of vCPU %" PRIu64 " (VM %s) at 0x%08" PRIx64 "\n", c->a[0].v,
		x->vms[x->vcpu_vm[c->a[0].v]].name, s390ap_vcpu_scb(v));
	scn_list_scb(x->out, scb);
	return 0;
}

/* ---- expectations ---- */

/* scb FIELD: a[slot] = table index << 8 | item */
int scn_p_scbfield(struct scn_parser *p, struct scn_cmd *c, unsigned slot)
{
	const struct scn_tok *t = scn_p_at_end(p) ? NULL : &p->tok[p->i];
	const s390ap_scb_field *tab, *f;
	char name[32];
	unsigned idx;

	if (!t || t->quoted || t->len >= sizeof(name))
		return scn_p_expected(p, "an SCB field (eca, ecb3, icptcode, crycbd, gcr6, "
					 "gpsw1, ...: include/s390ap/sie.h)");
	memcpy(name, t->s, t->len);
	name[t->len] = '\0';
	if (s390ap_scb_field_lookup(name, &f, &idx) < 0)
		return scn_error(p->x, scn_p_pos(p),
				 "'%s' is not an SCB field (the names of include/s390ap/sie.h's "
				 "table, in lower case: eca, ecb3, crycbd, gcr6, gpsw1, ...)",
				 name);
	s390ap_scb_fields(&tab);
	c->a[slot] = (struct scn_val){ (uint64_t)(f - tab) << 8 | idx, scn_p_pos(p) };
	c->set |= 1u << slot;
	p->i++;
	return 0;
}

#define GETTER(fn)                                                                           \
	static int fn(struct apsim_ctx *x, const struct scn_cmd *c, uint64_t *v, char *what, \
		      size_t size)

GETTER(get_scb)
{
	s390ap_vcpu *vc = scn_vcpu_at(x, c, 0);
	const s390ap_scb_field *tab;
	uint8_t scb[S390AP_SCB_SIZE];
	uint64_t mask = SCN_GIVEN(c, 3) ? c->a[3].v : UINT64_MAX;
	const s390ap_scb_field *f;
	unsigned item = (unsigned)(c->a[1].v & 0xff);

	if (!vc)
		return -1;
	s390ap_scb_fields(&tab);
	f = &tab[c->a[1].v >> 8];
	if (!read_scb(x, vc, scb))
		return scn_error(x, c->pos, "cannot read the SCB of vCPU %" PRIu64, c->a[0].v);
	if (s390ap_scb_field_items(f) > 1)
		snprintf(what, size, "SCB %s%u of vCPU %" PRIu64, f->name, item, c->a[0].v);
	else
		snprintf(what, size, "SCB %s of vCPU %" PRIu64, f->name, c->a[0].v);
	*v = s390ap_scb_get(scb, f, item) & mask;
	return 0;
}

/* icpt CODE | MNEMONIC: a[slot] = the code, or 0x100 + the instruction id */
static const char *const icpt_names[] = {
	"none",     "inst", "progi",   "instprogi", "extreq", "extint", "ioreq", "wait",
	"validity", "stop", "operexc", "partexec",  "ioinst", "kss",    NULL,
};
static const uint8_t icpt_codes[] = {
	S390AP_ICPT_NONE,     S390AP_ICPT_INST,   S390AP_ICPT_PROGI,   S390AP_ICPT_INSTPROGI,
	S390AP_ICPT_EXTREQ,   S390AP_ICPT_EXTINT, S390AP_ICPT_IOREQ,   S390AP_ICPT_WAIT,
	S390AP_ICPT_VALIDITY, S390AP_ICPT_STOP,   S390AP_ICPT_OPEREXC, S390AP_ICPT_PARTEXEC,
	S390AP_ICPT_IOINST,   S390AP_ICPT_KSS,
};

static int p_icpt(struct scn_parser *p, struct scn_cmd *c, unsigned slot)
{
	const struct scn_tok *t = scn_p_at_end(p) ? NULL : &p->tok[p->i];
	unsigned n = s390ap_insn_count();

	for (int k = 0; t && icpt_names[k]; k++)
		if (scn_p_accept(p, icpt_names[k])) {
			c->a[slot] = (struct scn_val){ icpt_codes[k], { p->line, t->col } };
			c->set |= 1u << slot;
			return 0;
		}
	for (unsigned k = 0; t && !t->quoted && k < n; k++) {
		const char *name = s390ap_insn_name(k);

		if (name && strlen(name) == t->len && !strncmp(name, t->s, t->len)) {
			c->a[slot] = (struct scn_val){ 0x100u + k, scn_p_pos(p) };
			c->set |= 1u << slot;
			p->i++;
			return 0;
		}
	}
	return scn_p_expected(p, "an interception code (inst, progi, instprogi, extreq, extint, "
				 "ioreq, wait, validity, stop, operexc, partexec, ioinst, kss) "
				 "or an instruction mnemonic (PQAP)");
}

GETTER(get_icpt)
{
	s390ap_vcpu *vc = scn_vcpu_at(x, c, 0);
	s390ap_vcpu_stats st;
	uint64_t code = c->a[1].v;

	if (!vc || s390ap_vcpu_stats_get(vc, &st) < 0)
		return vc ? scn_error(x, c->pos, "no statistics of vCPU %" PRIu64, c->a[0].v) : -1;
	if (code >= 0x100) {
		snprintf(what, size, "interceptions of %s on vCPU %" PRIu64,
			 s390ap_insn_name((unsigned)(code - 0x100)), c->a[0].v);
		*v = s390ap_vcpu_icpt_insn(vc, (unsigned)(code - 0x100));
		return 0;
	}
	for (int k = 0; icpt_names[k]; k++)
		if (icpt_codes[k] == code)
			snprintf(what, size, "interceptions '%s' (0x%02x) on vCPU %" PRIu64,
				 icpt_names[k], (unsigned)code, c->a[0].v);
	*v = st.icpt[code >> 2];
	return 0;
}

static const char *const vcpu_stat_names[] = { "entries",  "user-exits", "pqap-hook", "kicks",
					       "injected", "in-sie",     NULL };

GETTER(get_vcpu_stat)
{
	s390ap_vcpu *vc = scn_vcpu_at(x, c, 0);
	s390ap_vcpu_stats st;

	if (!vc || s390ap_vcpu_stats_get(vc, &st) < 0)
		return vc ? scn_error(x, c->pos, "no statistics of vCPU %" PRIu64, c->a[0].v) : -1;
	snprintf(what, size, "%s of vCPU %" PRIu64, vcpu_stat_names[c->a[1].v], c->a[0].v);
	switch (c->a[1].v) {
	case 0:
		*v = st.entries;
		break;
	case 1:
		*v = st.user_exits;
		break;
	case 2:
		*v = st.pqap_hook;
		break;
	case 3:
		*v = st.kicks;
		break;
	case 4:
		*v = st.injected;
		break;
	default:
		*v = s390ap_vcpu_in_sie(vc);
		break;
	}
	return 0;
}

static const char *const vm_field_names[] = { "apie",   "aes-kw",     "dea-kw", "format",
					      "crycbd", "facilities", "gisa",   NULL };

GETTER(get_vm)
{
	struct scn_vm *sv = VM(c);
	s390ap_vm_crypto cr;

	if (s390ap_vm_crypto_get(sv->vm, &cr) < 0)
		return scn_error(x, c->pos, "cannot read the crypto state of VM '%s'", sv->name);
	snprintf(what, size, "%s of VM %s", vm_field_names[c->a[1].v], sv->name);
	switch (c->a[1].v) {
	case 0:
		*v = cr.apie;
		break;
	case 1:
		*v = cr.aes_kw;
		break;
	case 2:
		*v = cr.dea_kw;
		break;
	case 3:
		*v = cr.format;
		break;
	case 4:
		*v = cr.crycbd;
		break;
	case 5:
		*v = s390ap_vm_facilities(sv->vm);
		break;
	default:
		*v = s390ap_vm_gisa(sv->vm);
		break;
	}
	return 0;
}

/* ---- --stats and --json ---- */

void scn_print_guest_stats(struct apsim_ctx *x, FILE *out)
{
	for (unsigned n = 0; n < S390AP_MAX_CPUS; n++) {
		s390ap_vcpu_stats st;

		if (!x->vcpu[n] || s390ap_vcpu_stats_get(x->vcpu[n], &st) < 0)
			continue;
		fprintf(out,
			"  guest on vCPU %u (VM %s): SIE entries %" PRIu64 ", user exits %" PRIu64
			", PQAP hook %" PRIu64 ", kicks %" PRIu64 ", injected %" PRIu64 "\n",
			n, x->vms[x->vcpu_vm[n]].name, st.entries, st.user_exits, st.pqap_hook,
			st.kicks, st.injected);
		fprintf(out, "    interceptions");
		for (int k = 0; icpt_names[k]; k++)
			if (st.icpt[icpt_codes[k] >> 2])
				fprintf(out, " %s: %" PRIu64, icpt_names[k],
					st.icpt[icpt_codes[k] >> 2]);
		fputc('\n', out);
	}
}

void scn_json_guests(struct apsim_ctx *x, apsim_json *j)
{
	apsim_json_array_begin(j);
	for (unsigned n = 0; n < S390AP_MAX_CPUS; n++) {
		s390ap_vcpu_stats st;

		if (!x->vcpu[n] || s390ap_vcpu_stats_get(x->vcpu[n], &st) < 0)
			continue;
		apsim_json_object_begin(j);
		apsim_json_kv_u64(j, "cpu", n);
		apsim_json_kv_string(j, "vm", x->vms[x->vcpu_vm[n]].name);
		apsim_json_kv_u64(j, "entries", st.entries);
		apsim_json_kv_u64(j, "user_exits", st.user_exits);
		apsim_json_kv_u64(j, "pqap_hook", st.pqap_hook);
		apsim_json_kv_u64(j, "kicks", st.kicks);
		apsim_json_kv_u64(j, "injected", st.injected);
		apsim_json_key(j, "icpt");
		apsim_json_object_begin(j);
		for (int k = 0; icpt_names[k]; k++)
			if (st.icpt[icpt_codes[k] >> 2])
				apsim_json_kv_u64(j, icpt_names[k], st.icpt[icpt_codes[k] >> 2]);
		apsim_json_object_end(j);
		apsim_json_object_end(j);
	}
	apsim_json_array_end(j);
}

void scn_guests_release(struct apsim_ctx *x)
{
	s390ap_kvm_free(x->kvm); /* frees the VMs and vCPUs */
	x->kvm = NULL;
}

/* ---- the tables ---- */

#define S SCN_F_SYS
#define ADDR(w) SCN_NUM(0, UINT64_MAX, w)
#define U64 ADDR("a 64-bit value")
#define VMNAME SCN_FN(scn_p_vmname)
#define SYSCPU SCN_NUM(0, S390AP_MAX_CPUS - 1, "a vCPU number")

static const struct scn_form forms[] = {
	{ "vm mso", S,
	  SCN_ARGS(SCN_SIZE(0, UINT64_MAX, "the guest storage origin (1 MiB aligned)"),
		   SCN_LIT("size", "'size' and the guest storage size"),
		   SCN_SIZE(1, UINT64_MAX, "the guest storage size (a multiple of 1M)"),
		   SCN_PROPS(&vm_props)),
	  .run = run_vm_new_named, .check = check_vm_new_name },
	{ "vm vcpu", S, SCN_ARGS(SYSCPU), .run = run_vm_vcpu, .check = check_vm },
	{ "vm attr", S, SCN_ARGS(SCN_FN(p_attr)), .run = run_vm_attr, .check = check_vm },
	{ "vm masks", S, SCN_ARGS(SCN_PROPS(&mask_props)), .run = run_vm_masks,
	  .check = check_masks },
	{ "vm masks none", S, NULL, .run = run_vm_masks_none, .check = check_vm },
	{ "vm grant", S, SCN_ARGS(SCN_FN(p_apqns)), .run = run_vm_grant, .check = check_vm },
	{ "vm hook", S, SCN_ARGS(SCN_WORDS(hook_names, "a PQAP hook (aqic or none)")),
	  .run = run_vm_hook, .check = check_vm },
	{ "vm load elf", S,
	  SCN_ARGS(SCN_PATH("a file path"), SCN_FLAG("at"),
		   SCN_NUM_IF(0, UINT64_MAX, "the base address (guest-3's window)")),
	  .run = run_vm_load_elf, .check = check_vm },
	{ "vm load builtin", S,
	  SCN_ARGS(SCN_PATH("a built-in program name"), SCN_FLAG("at"),
		   SCN_NUM_IF(0, UINT64_MAX, "the base address (guest-3's window)")),
	  .run = run_vm_load_builtin, .check = check_vm },
	{ "vm start", S, SCN_ARGS(SCN_NUM_OPT(0, UINT64_MAX, "the start address")),
	  .run = run_vm_start, .check = check_vm },
	{ "print vm", S, SCN_ARGS(VMNAME), .run = print_vm },
	{ "print crycb", S, SCN_ARGS(VMNAME), .run = print_crycb },
	{ "print scb", S, SCN_ARGS(SYSCPU), .run = print_scb },
	{ "expect scb", S,
	  SCN_ARGS(SYSCPU, SCN_FN(scn_p_scbfield), SCN_FLAG("&"),
		   SCN_NUM_IF(0, UINT64_MAX, "a mask"), SCN_CMP, U64),
	  .get = get_scb },
	{ "expect icpt", S, SCN_ARGS(SYSCPU, SCN_FN(p_icpt), SCN_CMP, ADDR("a count")),
	  .get = get_icpt },
	{ "expect vcpu", S,
	  SCN_ARGS(SYSCPU, SCN_WORDS(vcpu_stat_names, "a guest vCPU statistic"), SCN_CMP,
		   ADDR("a count")),
	  .get = get_vcpu_stat },
	{ "expect vm", S, SCN_ARGS(VMNAME, SCN_WORDS(vm_field_names, "a VM field"), SCN_CMP, U64),
	  .get = get_vm },
	{ "expect attr", S,
	  SCN_ARGS(VMNAME, SCN_FN(p_attr), SCN_CMP,
		   SCN_WORDS(answer_names, "the answer (ok, EINVAL, ENXIO, ENOTSUP)")),
	  .run = expect_attr, .check = check_expect_attr },
};

static const struct scn_group groups[] = {
	{ "vm", "what to do with the VM (mso, vcpu, attr, masks, grant, hook, load, start)",
	  SCN_ARGS(SCN_FN(p_vmword)) },
	{ "vm load", "what to load", NULL },
};

const struct scn_area scn_area_guest = SCN_AREA(forms, groups);
