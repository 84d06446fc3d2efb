/* SPDX-License-Identifier: MIT */
/* apsim scenario area "vsie": nested guests (docs/vsie.md).  A VM's vCPU
 * (guest-2) runs a hypervisor program that issues SIE; these statements
 * place guest-3's program, SCB and CRYCB in guest-2's storage, and look at
 * guest-3's SCB, the host's shadow SCB and CRYCB and the vSIE counts.
 *
 * Guest-3's SCB address is remembered per VM (`vm NAME g3 scb`), so that
 * `expect g3scb NAME ...` reads it; the shadow is the vCPU's
 * (s390ap_vcpu_vsie). */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "scn.h"
#include "util/array.h"
#include "util/be.h"

#define VM(c) (&x->vms[(c)->a[0].v])
#define MIB (1ull << 20)

static int check_vm(struct scn_parser *p, struct scn_cmd *c)
{
	if ((int64_t)c->a[0].v < 0)
		return scn_error(p->x, c->a[0].pos,
				 "no VM '%s' (make it first with 'vm %s mso ADDR size N')",
				 p->newname, p->newname);
	return 0;
}

static int vm_write(struct apsim_ctx *x, const struct scn_cmd *c, uint64_t at, const void *b,
		    size_t n, const char *what)
{
	struct scn_vm *sv = VM(c);
	int rc = s390ap_vm_write(sv->vm, at, b, n);

	if (rc < 0)
		return scn_error(x, c->a[1].pos,
				 "cannot write %s (%zu bytes at 0x%" PRIx64 ") into VM '%s': %s",
				 what, n, at, sv->name, scn_kvm_msg(x, rc));
	return 0;
}

/* ---- vm NAME write GADDR HEX... ---- */

static int run_vm_write(struct apsim_ctx *x, struct scn_cmd *c)
{
	return vm_write(x, c, c->a[1].v, c->bytes, c->nbytes, "the bytes");
}

/* ---- vm NAME load raw FILE at GADDR ---- */

static int run_vm_load_raw(struct apsim_ctx *x, struct scn_cmd *c)
{
	struct scn_vm *sv = VM(c);
	char *data;
	size_t len;
	int rc;

	if (scn_read_path(x, c->a[1].pos, c->text, &data, &len) < 0)
		return -1;
	rc = s390ap_vm_load(sv->vm, c->a[3].v, data, len);
	free(data);
	if (rc < 0)
		return scn_error(x, c->a[3].pos,
				 "cannot load '%s' (%zu bytes) at 0x%" PRIx64 " into VM '%s': %s",
				 c->text, len, c->a[3].v, sv->name, scn_kvm_msg(x, rc));
	return 0;
}

/* ---- vm NAME load elf FILE at BASE ---- */

/* Each PT_LOAD segment of a big-endian ELF64 at BASE + its physical
 * address (the rest of its memory size zeroed): a guest-3 program into
 * guest-3's window at BASE.  The file is untrusted: every offset and size
 * is checked against it. */
static const char *elf_load_at(s390ap_vm *vm, const uint8_t *d, size_t len, uint64_t base, int *rc)
{
	uint64_t phoff;
	unsigned phnum, phent;
	static const uint8_t magic[4] = { 0x7f, 'E', 'L', 'F' };

	*rc = 0;
	if (len < 64 || memcmp(d, magic, 4) || d[4] != 2 || d[5] != 2) /* ELF64, MSB */
		return "not a big-endian ELF64 file";
	phoff = be_get64(d + 32);
	phent = be_get16(d + 54);
	phnum = be_get16(d + 56);
	if (phent < 56 || phoff > len || (uint64_t)phnum * phent > len - phoff)
		return "program headers outside the file";
	for (unsigned k = 0; k < phnum; k++) {
		const uint8_t *ph = d + phoff + (uint64_t)k * phent;
		uint64_t off = be_get64(ph + 8), paddr = be_get64(ph + 24);
		uint64_t filesz = be_get64(ph + 32), memsz = be_get64(ph + 40);
		static const uint8_t zero[4096];

		if (be_get32(ph) != 1) /* PT_LOAD */
			continue;
		if (off > len || filesz > len - off || filesz > memsz)
			return "a segment outside the file";
		if (paddr > UINT64_MAX - base || memsz > UINT64_MAX - base - paddr)
			return "a segment beyond 64 bits";
		*rc = s390ap_vm_load(vm, base + paddr, d + off, (size_t)filesz);
		for (uint64_t at = filesz; *rc == 0 && at < memsz;) {
			size_t n = memsz - at > sizeof(zero) ? sizeof(zero) : (size_t)(memsz - at);

			*rc = s390ap_vm_write(vm, base + paddr + at, zero, n);
			at += n;
		}
		if (*rc < 0)
			return "a segment outside the guest's storage";
	}
	return NULL;
}

int scn_vm_load_elf_at(struct apsim_ctx *x, struct scn_cmd *c, uint64_t base)
{
	struct scn_vm *sv = VM(c);
	const char *why;
	char *data;
	size_t len;
	int rc;

	if (scn_read_path(x, c->a[1].pos, c->text, &data, &len) < 0)
		return -1;
	why = elf_load_at(sv->vm, (const uint8_t *)data, len, base, &rc);
	free(data);
	if (why)
		return scn_error(x, c->a[1].pos,
				 "cannot load ELF '%s' at 0x%" PRIx64 " into VM '%s': %s%s%s",
				 c->text, base, sv->name, why, rc < 0 ? ": " : "",
				 rc < 0 ? scn_kvm_msg(x, rc) : "");
	return 0;
}

/* ---- vm NAME g3 scb GADDR window MSO [size N] [entry A] [apie] [crycb O]
 *      [format F] [crycbd V] [prefix P] ---- */

enum { P_WINDOW, P_SIZE, P_ENTRY, P_APIE, P_CRYCB, P_FORMAT, P_CRYCBD, P_PREFIX };
#define PS(k) (2 + (k)) /* the property's slot */

static const char *const g3scb_words[] = { "window", "size",   "entry",  "apie", "crycb",
					   "format", "crycbd", "prefix", NULL };
static const struct scn_props g3scb_props = SCN_PROPS_OF(
	"a guest-3 SCB property (window, size, entry, apie, crycb, format, crycbd, prefix)",
	"given twice", g3scb_words,
	SCN_SIZE(0, UINT64_MAX - MIB, "guest-3's MSO (a guest-2 address)"),
	SCN_SIZE(MIB, 1ull << 40, "the window's size (a multiple of 1M)"),
	SCN_NUM(0, UINT64_MAX, "guest-3's start address"), SCN_NONE,
	SCN_NUM(0, 0x7FFFFFF8, "the CRYCB origin (8-byte aligned, below 2G)"),
	SCN_NUM(0, 2, "a CRYCB format (0, 1 or 2)"),
	SCN_NUM(0, UINT32_MAX, "a CRYCBD value (32 bits)"),
	SCN_NUM(0, UINT32_MAX, "guest-3's prefix"));

/* The format field of a CRYCBD: format 2 is the value 3. */
static unsigned format_value(uint64_t f)
{
	return f == 2 ? S390AP_CRYCB_FORMAT2 : (unsigned)f;
}

static int check_g3scb(struct scn_parser *p, struct scn_cmd *c)
{
	if (check_vm(p, c) < 0)
		return -1;
	if (c->a[1].v & 511)
		return scn_error(p->x, c->a[1].pos,
				 "an SCB is 512-byte aligned (0x%" PRIx64 " is not)", c->a[1].v);
	if (!SCN_GIVEN(c, PS(P_WINDOW)))
		return scn_error(p->x, c->pos, "guest-3's SCB needs its window: 'window MSO'");
	if (SCN_GIVEN(c, PS(P_SIZE)) && c->a[PS(P_SIZE)].v % MIB)
		return scn_error(p->x, c->a[PS(P_SIZE)].pos,
				 "the window's size is a multiple of 1M");
	if (SCN_GIVEN(c, PS(P_SIZE)) &&
	    c->a[PS(P_WINDOW)].v > UINT64_MAX - (c->a[PS(P_SIZE)].v - MIB))
		return scn_error(p->x, c->a[PS(P_SIZE)].pos, "the window ends beyond 64 bits");
	if (SCN_GIVEN(c, PS(P_FORMAT)) && !SCN_GIVEN(c, PS(P_CRYCB)))
		return scn_error(p->x, c->a[PS(P_FORMAT)].pos, "'format' goes with 'crycb ORIGIN'");
	if (SCN_GIVEN(c, PS(P_CRYCB)) && (c->a[PS(P_CRYCB)].v & 7))
		return scn_error(p->x, c->a[PS(P_CRYCB)].pos,
				 "a CRYCB origin is 8-byte aligned (use 'crycbd V' for any value)");
	if (SCN_GIVEN(c, PS(P_CRYCBD)) && SCN_GIVEN(c, PS(P_CRYCB)))
		return scn_error(p->x, c->a[PS(P_CRYCBD)].pos,
				 "'crycbd' and 'crycb' both give the CRYCBD: one of them");
	return 0;
}

static int run_g3scb(struct apsim_ctx *x, struct scn_cmd *c)
{
	struct scn_vm *sv = VM(c);
	uint8_t scb[S390AP_SCB_SIZE] = { 0 };
	uint64_t mso = c->a[PS(P_WINDOW)].v;
	uint64_t size = SCN_GIVEN(c, PS(P_SIZE)) ? c->a[PS(P_SIZE)].v : MIB;
	uint32_t crycbd = 0;

	if (SCN_GIVEN(c, PS(P_CRYCBD)))
		crycbd = (uint32_t)c->a[PS(P_CRYCBD)].v;
	else if (SCN_GIVEN(c, PS(P_CRYCB)))
		crycbd = (uint32_t)c->a[PS(P_CRYCB)].v |
			 format_value(SCN_GIVEN(c, PS(P_FORMAT)) ? c->a[PS(P_FORMAT)].v : 2);
	be_put32(scb + S390AP_SCB_CPUFLAGS, S390AP_CPUSTAT_ZARCH);
	be_put32(scb + S390AP_SCB_PREFIX, (uint32_t)c->a[PS(P_PREFIX)].v);
	be_put64(scb + S390AP_SCB_MSO, mso);
	/* MSL: the origin of the window's last megabyte */
	be_put64(scb + S390AP_SCB_MSL, mso + size - MIB);
	be_put64(scb + S390AP_SCB_GPSW, S390AP_PSW_EA | S390AP_PSW_BA);
	be_put64(scb + S390AP_SCB_GPSW + 8,
		 SCN_GIVEN(c, PS(P_ENTRY)) ? c->a[PS(P_ENTRY)].v : 0x10000);
	be_put32(scb + S390AP_SCB_ECA, SCN_GIVEN(c, PS(P_APIE)) ? S390AP_ECA_APIE : 0);
	be_put32(scb + S390AP_SCB_CRYCBD, crycbd);
	if (vm_write(x, c, c->a[1].v, scb, sizeof(scb), "guest-3's SCB") < 0)
		return -1;
	sv->g3scb = c->a[1].v;
	sv->have_g3scb = true;
	return 0;
}

/* ---- vm NAME g3 crycb GADDR format F [apm L] [aqm L] [adm L] ---- */

static int p_g3ids(struct scn_parser *p, struct scn_cmd *c, unsigned slot)
{
	return scn_p_idlist_at(p, c, slot, slot - 4); /* apm, aqm, adm from slot 4 */
}

static const char *const mask_words[] = { "apm", "aqm", "adm", NULL };
static const struct scn_props g3mask_props = SCN_PROPS_OF("a mask (apm, aqm, adm)", "given twice",
							  mask_words, SCN_FN(p_g3ids),
							  SCN_FN(p_g3ids), SCN_FN(p_g3ids));

static int check_g3crycb(struct scn_parser *p, struct scn_cmd *c)
{
	if (check_vm(p, c) < 0)
		return -1;
	if (c->a[1].v & 7)
		return scn_error(p->x, c->a[1].pos, "a CRYCB origin is 8-byte aligned");
	return 0;
}

static int run_g3crycb(struct apsim_ctx *x, struct scn_cmd *c)
{
	static const uint8_t zero[96];
	const uint8_t *m = c->bytes ? c->bytes : zero;
	uint8_t blk[S390AP_CRYCB_SIZE] = { 0 };
	unsigned fmt = format_value(c->a[3].v);

	if (s390ap_crycb_set_masks(blk, fmt, m, m + 32, m + 64) < 0)
		return scn_error(x, c->pos, "cannot build a CRYCB of %s",
				 scn_crycb_format_name(fmt));
	return vm_write(x, c, c->a[1].v, blk, s390ap_crycb_format_size(fmt), "guest-3's CRYCB");
}

/* ---- reading the levels ---- */

static bool vsie_info(struct apsim_ctx *x, const struct scn_cmd *c, s390ap_vcpu **v,
		      s390ap_vsie_info *info)
{
	*v = scn_vcpu_at(x, c, 0);
	if (!*v)
		return false;
	if (s390ap_vcpu_vsie(*v, info) < 0) {
		scn_error(x, c->pos, "no vSIE state of vCPU %" PRIu64, c->a[0].v);
		return false;
	}
	return true;
}

/* The shadow SCB; false after an error (none yet: guest-2 issued no SIE). */
static bool read_shadow(struct apsim_ctx *x, const struct scn_cmd *c, s390ap_vsie_info *info,
			uint8_t scb[S390AP_SCB_SIZE])
{
	s390ap_vcpu *v;

	if (!vsie_info(x, c, &v, info))
		return false;
	if (!info->shadow_scb) {
		scn_error(x, c->pos,
			  "vCPU %" PRIu64 " has no shadow SCB: its guest-2 issued no SIE yet",
			  c->a[0].v);
		return false;
	}
	if (s390ap_storage_read(s390ap_sys_storage(x->sys), info->shadow_scb, scb,
				S390AP_SCB_SIZE) < 0) {
		scn_error(x, c->pos, "cannot read the shadow SCB of vCPU %" PRIu64, c->a[0].v);
		return false;
	}
	return true;
}

/* The format in which guest-3 sees the shadow CRYCB's masks: a format-2
 * designation is read from APCB1 with APXA, from APCB0 without
 * (docs/vsie.md, "Limitations"). */
static unsigned shadow_view_format(const struct apsim_ctx *x)
{
	return (s390ap_machine_facilities(x->m) & S390AP_FAC_APXA) ? S390AP_CRYCB_FORMAT2
								   : S390AP_CRYCB_FORMAT1;
}

/* The shadow CRYCB as guest-3 sees it: *has false when the shadow has
 * no CRYCBD (guest-3 runs with no CRYCB). */
static bool read_shadow_crycb(struct apsim_ctx *x, const struct scn_cmd *c,
			      const uint8_t scb[S390AP_SCB_SIZE], uint8_t blk[S390AP_CRYCB_SIZE],
			      bool *has)
{
	uint32_t crycbd = be_get32(scb + S390AP_SCB_CRYCBD), origin;

	memset(blk, 0, S390AP_CRYCB_SIZE);
	*has = crycbd != 0;
	if (!*has)
		return true;
	s390ap_crycbd_decode(crycbd, &origin, NULL);
	if (s390ap_storage_read(s390ap_sys_storage(x->sys), origin, blk, S390AP_CRYCB_SIZE) < 0) {
		scn_error(x, c->pos, "cannot read the shadow CRYCB of vCPU %" PRIu64, c->a[0].v);
		return false;
	}
	return true;
}

/* Guest-2's CRYCB masks (its VM's), widened. */
static bool vm_masks(struct apsim_ctx *x, const struct scn_cmd *c, const struct scn_vm *sv,
		     uint8_t m[3][32])
{
	s390ap_vm_crypto cr;
	uint8_t blk[S390AP_CRYCB_SIZE];
	unsigned fmt;

	if (s390ap_vm_crypto_get(sv->vm, &cr) < 0 ||
	    s390ap_storage_read(s390ap_sys_storage(x->sys), cr.crycb, blk, sizeof(blk)) < 0) {
		scn_error(x, c->pos, "cannot read the CRYCB of VM '%s'", sv->name);
		return false;
	}
	s390ap_crycbd_decode(cr.crycbd, NULL, &fmt);
	memset(m, 0, 96);
	s390ap_crycb_masks(blk, fmt, m[0], m[1], m[2]); /* an invalid format: none */
	return true;
}

static bool bit(const uint8_t m[32], unsigned id)
{
	return (m[id / 8] >> (7 - id % 8)) & 1;
}

/* ---- print shadow VCPU, print views VCPU ---- */

static int print_shadow(struct apsim_ctx *x, struct scn_cmd *c)
{
	s390ap_vsie_info info;
	uint8_t scb[S390AP_SCB_SIZE], blk[S390AP_CRYCB_SIZE];
	bool has;

	if (!read_shadow(x, c, &info, scb) || !read_shadow_crycb(x, c, scb, blk, &has))
		return -1;
	fprintf(x->out,
		"Shadow SCB of vCPU %" PRIu64 " at 0x%08" PRIx64
		" (guest-3's SCB at guest-2 0x%08" PRIx64 ")%s\n",
		c->a[0].v, info.shadow_scb, info.g3_scb, info.active ? ", guest-3 running" : "");
	fprintf(x->out,
		"  vSIE entries %" PRIu64 ", exits %" PRIu64 ", validity %" PRIu64
		", restarts %" PRIu64 "\n",
		info.entries, info.exits, info.validity, info.restarts);
	scn_list_scb(x->out, scb);
	if (!has) {
		fprintf(x->out, "Shadow CRYCB: none (CRYCBD 0: guest-3 runs without a CRYCB)\n");
		return 0;
	}
	fprintf(x->out, "Shadow CRYCB at 0x%08" PRIx64 ", CRYCBD 0x%08" PRIx32 ", read as %s\n",
		info.shadow_crycb, be_get32(scb + S390AP_SCB_CRYCBD),
		shadow_view_format(x) == S390AP_CRYCB_FORMAT2 ? "APCB1 (APXA)" : "APCB0 (no APXA)");
	scn_list_crycb(x->out, blk, shadow_view_format(x));
	return 0;
}

static int print_views(struct apsim_ctx *x, struct scn_cmd *c)
{
	s390ap_vsie_info info;
	s390ap_vcpu *v;
	uint8_t mach[3][32], g2[3][32], g3[3][32] = { { 0 } };
	uint8_t scb[S390AP_SCB_SIZE], blk[S390AP_CRYCB_SIZE];
	const struct scn_vm *sv;
	bool have_g3 = false, has = false;
	unsigned rows = 0;

	if (!vsie_info(x, c, &v, &info))
		return -1;
	sv = &x->vms[x->vcpu_vm[c->a[0].v]];
	s390ap_machine_masks(x->m, mach[0], mach[1], mach[2]);
	if (!vm_masks(x, c, sv, g2))
		return -1;
	if (info.shadow_scb) {
		if (!read_shadow(x, c, &info, scb) || !read_shadow_crycb(x, c, scb, blk, &has))
			return -1;
		have_g3 = true;
		if (has)
			s390ap_crycb_masks(blk, shadow_view_format(x), g3[0], g3[1], g3[2]);
	}
	fprintf(x->out, "The AP configuration at each level, vCPU %" PRIu64 ":\n", c->a[0].v);
	fprintf(x->out,
		"  level 1: the machine; guest-2: VM %s's CRYCB; guest-3: the shadow "
		"CRYCB%s\n",
		sv->name,
		!have_g3 ? " (none: no SIE from guest-2 yet)"
		: !has   ? " (none: guest-3 runs without a CRYCB)"
			 : "");
	fprintf(x->out, "  APQN     level-1  guest-2  guest-3\n");
	for (unsigned a = 0; a < 256; a++)
		for (unsigned q = 0; q < 256; q++) {
			bool l1 = bit(mach[0], a) && bit(mach[1], q);
			bool l2 = bit(g2[0], a) && bit(g2[1], q);
			bool l3 = bit(g3[0], a) && bit(g3[1], q);

			if (!l1 && !l2 && !l3)
				continue;
			fprintf(x->out, "  %02x.%04x  %-7s  %-7s  %s\n", a, q, l1 ? "yes" : "-",
				l2 ? "yes" : "-", l3 ? "yes" : "-");
			rows++;
		}
	if (!rows)
		fprintf(x->out, "  (no APQN at any level)\n");
	fprintf(x->out, "  control domains: level-1 ");
	scn_hex_mask(x->out, mach[2], 32);
	fprintf(x->out, ", guest-2 ");
	scn_hex_mask(x->out, g2[2], 32);
	fprintf(x->out, ", guest-3 ");
	scn_hex_mask(x->out, g3[2], 32);
	fputc('\n', x->out);
	return 0;
}

/* ---- expectations ---- */

#define GETTER(fn)                                                                           \
	static int fn(struct apsim_ctx *x, const struct scn_cmd *c, uint64_t *v, char *what, \
		      size_t size)

static void field_value(const uint8_t scb[S390AP_SCB_SIZE], const struct scn_cmd *c,
			const char *whose, uint64_t *v, char *what, size_t size)
{
	const s390ap_scb_field *tab, *f;
	unsigned item = (unsigned)(c->a[1].v & 0xff);
	uint64_t mask = SCN_GIVEN(c, 3) ? c->a[3].v : UINT64_MAX;

	s390ap_scb_fields(&tab);
	f = &tab[c->a[1].v >> 8];
	if (s390ap_scb_field_items(f) > 1)
		snprintf(what, size, "%s %s%u", whose, f->name, item);
	else
		snprintf(what, size, "%s %s", whose, f->name);
	*v = s390ap_scb_get(scb, f, item) & mask;
}

GETTER(get_g3scb)
{
	struct scn_vm *sv = VM(c);
	uint8_t scb[S390AP_SCB_SIZE];
	char whose[64];
	int rc;

	if (!sv->have_g3scb)
		return scn_error(x, c->a[0].pos,
				 "VM '%s' has no guest-3 SCB yet (write one with 'vm %s g3 scb "
				 "ADDR window MSO ...')",
				 sv->name, sv->name);
	rc = s390ap_vm_read(sv->vm, sv->g3scb, scb, sizeof(scb));
	if (rc < 0)
		return scn_error(x, c->pos, "cannot read guest-3's SCB in VM '%s': %s", sv->name,
				 scn_kvm_msg(x, rc));
	snprintf(whose, sizeof(whose), "guest-3's SCB (VM %s)", sv->name);
	field_value(scb, c, whose, v, what, size);
	return 0;
}

GETTER(get_shadow)
{
	s390ap_vsie_info info;
	uint8_t scb[S390AP_SCB_SIZE];
	char whose[64];

	if (!read_shadow(x, c, &info, scb))
		return -1;
	snprintf(whose, sizeof(whose), "shadow SCB of vCPU %" PRIu64, c->a[0].v);
	field_value(scb, c, whose, v, what, size);
	return 0;
}

static const char *const vsie_count_names[] = { "entries",  "exits",  "validity",
						"restarts", "active", NULL };

GETTER(get_vsie)
{
	s390ap_vsie_info info;
	s390ap_vcpu *vc;
	const uint64_t *n[] = { &info.entries, &info.exits, &info.validity, &info.restarts };

	if (!vsie_info(x, c, &vc, &info))
		return -1;
	snprintf(what, size, "vSIE %s of vCPU %" PRIu64, vsie_count_names[c->a[1].v], c->a[0].v);
	*v = c->a[1].v < ARRAY_SIZE(n) ? *n[c->a[1].v] : info.active;
	return 0;
}

/* expect shadow crycb VCPU apm|aqm|adm|apqns ==|!= "TEXT" */
static const char *const crycb_item_names[] = { "apm", "aqm", "adm", "apqns", NULL };

/* The ids of a mask ("03 04"; domains as "0006 0007"), or APQNs. */
static char *ids_text(const uint8_t m[3][32], unsigned item)
{
	char *s = malloc(256u * 5 * 2 + 1);
	size_t n = 0;

	if (!s)
		return NULL;
	s[0] = '\0';
	if (item == 3) {
		for (unsigned a = 0; a < 256; a++)
			for (unsigned q = 0; q < 256 && bit(m[0], a); q++)
				if (bit(m[1], q)) {
					char *t = realloc(s, n + 9 + 1);

					if (!t) {
						free(s);
						return NULL;
					}
					s = t;
					n += (size_t)sprintf(s + n, "%s%02x.%04x", n ? " " : "", a,
							     q);
				}
		return s;
	}
	for (unsigned id = 0; id < 256; id++)
		if (bit(m[item], id))
			n += (size_t)sprintf(s + n, item ? "%s%04x" : "%s%02x", n ? " " : "", id);
	return s;
}

static int expect_shadow_crycb(struct apsim_ctx *x, struct scn_cmd *c)
{
	s390ap_vsie_info info;
	uint8_t scb[S390AP_SCB_SIZE], blk[S390AP_CRYCB_SIZE], m[3][32] = { { 0 } };
	bool has, eq = c->a[2].v == SCN_EQ;
	char *text;
	int rc;

	if (!read_shadow(x, c, &info, scb) || !read_shadow_crycb(x, c, scb, blk, &has))
		return -1;
	if (has)
		s390ap_crycb_masks(blk, shadow_view_format(x), m[0], m[1], m[2]);
	text = ids_text((const uint8_t(*)[32])m, (unsigned)c->a[1].v);
	if (!text)
		return scn_error(x, c->pos, "out of memory");
	if ((strcmp(text, c->text) == 0) == eq) {
		free(text);
		x->passed++;
		return 0;
	}
	rc = scn_expect_failed(x, c,
			       "the shadow CRYCB's %s of vCPU %" PRIu64
			       " is \"%s\", expected %s \"%s\"",
			       crycb_item_names[c->a[1].v], c->a[0].v, text,
			       eq ? "==" : "!=", c->text);
	free(text);
	return rc;
}

/* ---- the table ---- */

#define S SCN_F_SYS
#define ADDR(w) SCN_NUM(0, UINT64_MAX, w)
#define U64 ADDR("a 64-bit value")
#define VMNAME SCN_FN(scn_p_vmname)
#define SYSCPU SCN_NUM(0, S390AP_MAX_CPUS - 1, "a vCPU number")
#define WRITE_MAX 4096

static const struct scn_form forms[] = {
	{ "vm write", S, SCN_ARGS(ADDR("a guest address"), SCN_HEX(WRITE_MAX)), .run = run_vm_write,
	  .check = check_vm },
	{ "vm load raw", S,
	  SCN_ARGS(SCN_PATH("a file path"), SCN_LIT("at", "'at' and the guest address"),
		   ADDR("the guest address")),
	  .run = run_vm_load_raw, .check = check_vm },
	{ "vm g3 scb", S,
	  SCN_ARGS(SCN_NUM(0, UINT64_MAX, "the SCB's guest address"), SCN_PROPS(&g3scb_props)),
	  .run = run_g3scb, .check = check_g3scb },
	{ "vm g3 crycb", S,
	  SCN_ARGS(SCN_NUM(0, UINT64_MAX, "the CRYCB's guest address"),
		   SCN_LIT("format", "'format' and the CRYCB format (0, 1 or 2)"),
		   SCN_NUM(0, 2, "a CRYCB format (0, 1 or 2)"), SCN_PROPS(&g3mask_props)),
	  .run = run_g3crycb, .check = check_g3crycb },
	{ "print shadow", S, SCN_ARGS(SYSCPU), .run = print_shadow },
	{ "print views", S, SCN_ARGS(SYSCPU), .run = print_views },
	{ "expect g3scb", S,
	  SCN_ARGS(VMNAME, SCN_FN(scn_p_scbfield), SCN_FLAG("&"),
		   SCN_NUM_IF(0, UINT64_MAX, "a mask"), SCN_CMP, U64),
	  .get = get_g3scb },
	{ "expect shadow", S,
	  SCN_ARGS(SYSCPU, SCN_FN(scn_p_scbfield), SCN_FLAG("&"),
		   SCN_NUM_IF(0, UINT64_MAX, "a mask"), SCN_CMP, U64),
	  .get = get_shadow },
	{ "expect shadow crycb", S,
	  SCN_ARGS(SYSCPU, SCN_WORDS(crycb_item_names, "a shadow CRYCB item"), SCN_CMPEQ,
		   SCN_TEXT("the ids as a \"string\" (\"03 04\", \"03.0006\", \"\")")),
	  .run = expect_shadow_crycb },
	{ "expect vsie", S,
	  SCN_ARGS(SYSCPU, SCN_WORDS(vsie_count_names, "a vSIE count"), SCN_CMP, ADDR("a count")),
	  .get = get_vsie },
};

static const struct scn_group groups[] = {
	{ "vm g3", "what of guest-3 to write (scb, crycb)", NULL },
};

const struct scn_area scn_area_vsie = SCN_AREA(forms, groups);
