/* SPDX-License-Identifier: MIT */
/* apsim scenario area "matrix": the vfio-ap matrix layer (s390ap/matrix.h,
 * docs/matrix.md) driven the way an administrator drives Linux's vfio_ap:
 * mdevs, their assignment, open on a VM of the scenario, the sysfs-like
 * files (s390ap_matrix_write / _read) and mdevctl's JSON configurations;
 * the expectations on them and `print matrix`.
 *
 * The matrix is made at its first use, with the options of `matrix policy`
 * and `matrix masks-zero` (which must come before that use), over the
 * machine and the host model (made here if no `vm` made it yet).
 *
 * Strings of a command (UUIDs, paths, texts, file names) are kept one after
 * the other in c->bytes, each NUL-terminated; a[slot].v is the offset.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "listing.h"
#include "scn.h"
#include "util/array.h"

/* ---- strings of a command ---- */

#define STR(c, k) ((const char *)(c)->bytes + (c)->a[k].v)

static int add_str(struct scn_parser *p, struct scn_cmd *c, unsigned slot, const char *s,
		   size_t len)
{
	uint8_t *nb = realloc(c->bytes, c->nbytes + len + 1);

	if (!nb)
		return scn_error(p->x, c->pos, "out of memory");
	c->bytes = nb;
	memcpy(c->bytes + c->nbytes, s, len);
	c->bytes[c->nbytes + len] = '\0';
	c->a[slot].v = c->nbytes;
	c->nbytes += len + 1;
	c->set |= 1u << slot;
	return 0;
}

static bool is_hex(char ch)
{
	return (ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'f') || (ch >= 'A' && ch <= 'F');
}

/* A UUID: 8-4-4-4-12 hex digits, either case (the library decides the rest). */
static int p_uuid(struct scn_parser *p, struct scn_cmd *c, unsigned slot)
{
	const struct scn_tok *t = scn_p_at_end(p) ? NULL : &p->tok[p->i];
	bool ok = t && !t->quoted && t->len == S390AP_UUID_LEN;

	for (size_t k = 0; ok && k < t->len; k++)
		ok = (k == 8 || k == 13 || k == 18 || k == 23) ? t->s[k] == '-' : is_hex(t->s[k]);
	if (!ok)
		return scn_p_expected(p, "an mdev UUID (8-4-4-4-12 hex digits)");
	c->a[slot].pos = scn_p_pos(p);
	p->i++;
	return add_str(p, c, slot, t->s, t->len);
}

/* Before the words of `mdev ...`: the UUID, unless the word is create or
 * remove (which take the UUID after them). */
static int p_mdev_pre(struct scn_parser *p, struct scn_cmd *c, unsigned slot)
{
	const struct scn_tok *t = scn_p_at_end(p) ? NULL : &p->tok[p->i];

	if (t && !t->quoted &&
	    ((t->len == 6 && !memcmp(t->s, "create", 6)) ||
	     (t->len == 6 && !memcmp(t->s, "remove", 6))))
		return 0;
	return p_uuid(p, c, slot);
}

/* A sysfs path: a word or a string, below /sys (a leading "/sys/" is
 * dropped, so kernel-style lines translate as they are). */
static int p_syspath(struct scn_parser *p, struct scn_cmd *c, unsigned slot)
{
	const struct scn_tok *t = scn_p_at_end(p) ? NULL : &p->tok[p->i];
	const char *s;
	size_t len;

	if (!t)
		return scn_p_expected(p,
				      "a sysfs path (bus/ap/apmask, devices/vfio_ap/matrix/...)");
	s = t->s;
	len = t->len;
	if (len > 5 && !memcmp(s, "/sys/", 5)) {
		s += 5;
		len -= 5;
	}
	if (len == 0 || memchr(s, '\0', len))
		return scn_error(p->x, scn_p_pos(p), "a sysfs path must not be empty or hold NUL");
	c->a[slot].pos = scn_p_pos(p);
	p->i++;
	return add_str(p, c, slot, s, len);
}

/* Any word or string (may be empty, no NUL). */
static int p_str(struct scn_parser *p, struct scn_cmd *c, unsigned slot, const char *what)
{
	const struct scn_tok *t = scn_p_at_end(p) ? NULL : &p->tok[p->i];

	if (!t)
		return scn_p_expected(p, what);
	if (memchr(t->s, '\0', t->len))
		return scn_error(p->x, scn_p_pos(p), "%s must not contain a NUL byte", what);
	c->a[slot].pos = scn_p_pos(p);
	p->i++;
	return add_str(p, c, slot, t->s, t->len);
}

static int p_wtext(struct scn_parser *p, struct scn_cmd *c, unsigned slot)
{
	return p_str(p, c, slot, "the text to write (a word or a \"string\")");
}

static int p_json(struct scn_parser *p, struct scn_cmd *c, unsigned slot)
{
	if (!scn_p_at_end(p) && p->tok[p->i].len == 0)
		return scn_error(p->x, scn_p_pos(p), "empty path");
	return p_str(p, c, slot, "a JSON file path");
}

static int p_mtext(struct scn_parser *p, struct scn_cmd *c, unsigned slot)
{
	return p_str(p, c, slot, "the matrix as a \"string\" (\"03.0006 03.0007\", \"\" for none)");
}

/* ---- answers: ok or an error name ---- */

struct answer {
	const char *name;
	int code;
};

#define ANSWER_X(name, value, msg) { #name, value },
static const struct answer answers[] = { { "ok", 0 }, S390AP_ERRNO_MAP(ANSWER_X) };
#undef ANSWER_X

static const char *answer_name(int code)
{
	return code ? s390ap_err_name(code) : "ok";
}

/* The answer: a[slot].v = the code as an unsigned value */
static int find_answer(const struct scn_tok *t)
{
	for (size_t k = 0; t && !t->quoted && k < ARRAY_SIZE(answers); k++)
		if (strlen(answers[k].name) == t->len && !memcmp(answers[k].name, t->s, t->len))
			return (int)k;
	return -1;
}

static int p_answer(struct scn_parser *p, struct scn_cmd *c, unsigned slot)
{
	const struct scn_tok *t = scn_p_at_end(p) ? NULL : &p->tok[p->i];
	int k = find_answer(t);

	if (k < 0)
		return scn_p_expected(p, "an answer (ok or an error name: EINVAL, ENODEV, "
					 "EADDRNOTAVAIL, EADDRINUSE, EBUSY, EEXIST, EPERM, ...)");
	c->a[slot] = (struct scn_val){ (uint64_t)k, scn_p_pos(p) };
	c->set |= 1u << slot;
	p->i++;
	return 0;
}

/* expect sysfs: a "string" (the text) or a bare error name; a[slot].v is
 * the text's offset, the slot before it says which (1 = an error) */
static int p_text_or_answer(struct scn_parser *p, struct scn_cmd *c, unsigned slot)
{
	const struct scn_tok *t = scn_p_at_end(p) ? NULL : &p->tok[p->i];
	int k;

	if (t && t->quoted)
		return p_str(p, c, slot, "the file's text");
	k = find_answer(t);
	if (k <= 0)
		return scn_p_expected(p,
				      "the file's text as a \"string\" or an error name (ENOENT, "
				      "EPERM, ...)");
	c->a[slot] = (struct scn_val){ (uint64_t)k | (1ull << 63), scn_p_pos(p) };
	c->set |= 1u << slot;
	p->i++;
	return 0;
}

static int p_vm_or_none(struct scn_parser *p, struct scn_cmd *c, unsigned slot)
{
	if (scn_p_accept(p, "none")) {
		c->a[slot].v = UINT64_MAX;
		c->set |= 1u << slot;
		return 0;
	}
	return scn_p_vmname(p, c, slot);
}

/* ---- the matrix ---- */

/* The matrix, made at the first use; NULL after a scenario error. */
static s390ap_matrix *matrix(struct apsim_ctx *x, const struct scn_cmd *c)
{
	s390ap_matrix_opts o = { .size = sizeof(o) };
	int rc;

	if (x->mx)
		return x->mx;
	/* the host the mdevs open on; a machine too small for it has none */
	if (!x->kvm && s390ap_kvm_new(&x->kvm, x->sys, NULL) < 0)
		x->kvm = NULL;
	o.policy = x->mx_policy;
	o.masks_zero = x->mx_masks_zero;
	rc = s390ap_matrix_new(&x->mx, x->m, x->kvm, &o);
	if (rc < 0) {
		x->mx = NULL;
		scn_error(x, c->pos, "cannot create the matrix: %s (%s)", s390ap_err_name(rc),
			  s390ap_strerror(rc));
		return NULL;
	}
	return x->mx;
}

void scn_matrix_release(struct apsim_ctx *x)
{
	s390ap_matrix_free(x->mx); /* before the host and the machine it borrows */
	x->mx = NULL;
}

static const char *mx_msg(const struct apsim_ctx *x, int rc)
{
	const char *m = x->mx ? s390ap_matrix_errmsg(x->mx) : NULL;

	return m && m[0] ? m : s390ap_strerror(rc);
}

/* The forms that use the matrix: `matrix policy` and `masks-zero` must come
 * before the first. */
static int check_use(struct scn_parser *p, struct scn_cmd *c)
{
	if (!p->matrix_line)
		p->matrix_line = c->pos.line;
	return 0;
}

static int check_before(struct scn_parser *p, struct scn_cmd *c)
{
	if (p->matrix_line)
		return scn_error(p->x, c->pos,
				 "'%s' after the matrix was made by line %u (the matrix options "
				 "come before its first use)",
				 c->form->path, p->matrix_line);
	return 0;
}

static const char *const policy_names[] = { "dynamic", "static", NULL };

static int run_policy(struct apsim_ctx *x, struct scn_cmd *c)
{
	x->mx_policy = c->a[0].v ? S390AP_MATRIX_STATIC : S390AP_MATRIX_DYNAMIC;
	return 0;
}

static int run_masks_zero(struct apsim_ctx *x, struct scn_cmd *c)
{
	(void)c;
	x->mx_masks_zero = true;
	return 0;
}

static int run_config_changed(struct apsim_ctx *x, struct scn_cmd *c)
{
	int rc;

	if (!matrix(x, c))
		return -1;
	rc = s390ap_matrix_config_changed(x->mx);
	if (rc < 0)
		return scn_error(x, c->pos, "the matrix's rescan failed: %s (%s)",
				 s390ap_err_name(rc), mx_msg(x, rc));
	return 0;
}

/* A file's text in a fresh buffer (*buf NULL on an error, rc returned). */
static int read_file(s390ap_matrix *mx, const char *path, char **buf, size_t *len)
{
	size_t size = 0;
	int rc;

	*buf = NULL;
	*len = 0;
	for (int tries = 0; tries < 4; tries++) {
		rc = s390ap_matrix_read(mx, path, *buf, size, len);
		if (rc == 0 && !*buf) /* nothing to read into: an empty text */
			*buf = calloc(1, 1);
		if (rc == 0)
			return *buf ? 0 : S390AP_ENOMEM;
		free(*buf);
		*buf = NULL;
		if (rc != S390AP_ENOSPC || *len <= size)
			return rc;
		size = *len;
		*buf = malloc(size);
		if (!*buf)
			return S390AP_ENOMEM;
	}
	free(*buf);
	*buf = NULL;
	return S390AP_ENOMEM;
}

/* The file's text with newlines between lines as blanks and no last
 * newline: "03.0006 03.0007". */
static void one_line(char *s, size_t *len)
{
	if (*len && s[*len - 1] == '\n')
		s[--*len] = '\0';
	for (size_t k = 0; k < *len; k++)
		if (s[k] == '\n')
			s[k] = ' ';
}

/* ---- mdevs ---- */

static s390ap_mdev *find_mdev(struct apsim_ctx *x, const struct scn_cmd *c, unsigned k)
{
	s390ap_mdev *md = s390ap_mdev_find(x->mx, STR(c, k));

	if (!md)
		scn_error(x, c->a[k].pos, "no mdev %s (create it with 'mdev create %s')", STR(c, k),
			  STR(c, k));
	return md;
}

static int check_mdev(struct scn_parser *p, struct scn_cmd *c)
{
	const char *w = strrchr(c->form->path, ' ') + 1;
	bool named_after = !strcmp(w, "create") || !strcmp(w, "remove");

	if (named_after && SCN_GIVEN(c, 0))
		return scn_error(p->x, c->a[0].pos, "the UUID comes after '%s': 'mdev %s UUID'", w,
				 w);
	return check_use(p, c);
}

/* The operations of `mdev` and `expect mdev`: the last word of the form. */
enum mdev_op {
	OP_CREATE,
	OP_REMOVE,
	OP_OPEN,
	OP_RELEASE,
	OP_RESET,
	OP_ASSIGN_ADAPTER,
	OP_UNASSIGN_ADAPTER,
	OP_ASSIGN_DOMAIN,
	OP_UNASSIGN_DOMAIN,
	OP_ASSIGN_CONTROL,
	OP_UNASSIGN_CONTROL
};

static const char *const op_words[] = {
	"create",
	"remove",
	"open",
	"release",
	"reset",
	"assign-adapter",
	"unassign-adapter",
	"assign-domain",
	"unassign-domain",
	"assign-control-domain",
	"unassign-control-domain",
	NULL,
};

static int form_op(const struct scn_cmd *c)
{
	const char *w = strrchr(c->form->path, ' ') + 1;

	for (int k = 0; op_words[k]; k++)
		if (!strcmp(op_words[k], w))
			return k;
	return -1;
}

/* Do the operation; the library's answer in *answer.  -1 after a scenario
 * error (no matrix, no such mdev). */
static int mdev_do(struct apsim_ctx *x, const struct scn_cmd *c, int *answer)
{
	int op = form_op(c);
	s390ap_mdev *md = NULL;
	unsigned long id = (unsigned long)c->a[1].v;

	if (!matrix(x, c))
		return -1;
	if (op == OP_CREATE) {
		*answer = s390ap_mdev_create(x->mx, STR(c, 1), NULL);
		return 0;
	}
	md = find_mdev(x, c, op == OP_REMOVE ? 1 : 0);
	if (!md)
		return -1;
	switch (op) {
	case OP_REMOVE:
		*answer = s390ap_mdev_remove(md);
		break;
	case OP_OPEN:
		*answer = s390ap_mdev_open(md, x->vms[c->a[1].v].vm);
		break;
	case OP_RELEASE:
		*answer = s390ap_mdev_release(md);
		break;
	case OP_RESET:
		*answer = s390ap_mdev_reset(md);
		break;
	case OP_ASSIGN_ADAPTER:
		*answer = s390ap_mdev_assign_adapter(md, id);
		break;
	case OP_UNASSIGN_ADAPTER:
		*answer = s390ap_mdev_unassign_adapter(md, id);
		break;
	case OP_ASSIGN_DOMAIN:
		*answer = s390ap_mdev_assign_domain(md, id);
		break;
	case OP_UNASSIGN_DOMAIN:
		*answer = s390ap_mdev_unassign_domain(md, id);
		break;
	case OP_ASSIGN_CONTROL:
		*answer = s390ap_mdev_assign_control_domain(md, id);
		break;
	default:
		*answer = s390ap_mdev_unassign_control_domain(md, id);
		break;
	}
	return 0;
}

static const char *mdev_of(const struct scn_cmd *c)
{
	return form_op(c) == OP_CREATE || form_op(c) == OP_REMOVE ? STR(c, 1) : STR(c, 0);
}

static int run_mdev(struct apsim_ctx *x, struct scn_cmd *c)
{
	int answer = 0;

	if (mdev_do(x, c, &answer) < 0)
		return -1;
	if (answer < 0)
		return scn_error(x, c->pos, "mdev %s: %s failed: %s (%s)", mdev_of(c),
				 op_words[form_op(c)], s390ap_err_name(answer), mx_msg(x, answer));
	return 0;
}

/* Compare an answer with the last two slots (==|!= ANSWER). */
static int check_answer(struct apsim_ctx *x, const struct scn_cmd *c, int answer, const char *what)
{
	bool eq = c->a[c->n - 2].v == SCN_EQ;
	int want = answers[c->a[c->n - 1].v].code;

	if ((answer == want) == eq) {
		x->passed++;
		return 0;
	}
	if (answer < 0)
		return scn_expect_failed(x, c, "%s answered %s (%s), expected %s %s", what,
					 answer_name(answer), mx_msg(x, answer),
					 eq ? "==" : "!=", answer_name(want));
	return scn_expect_failed(x, c, "%s answered ok, expected %s %s", what,
				 eq ? "==" : "!=", answer_name(want));
}

static int expect_mdev_op(struct apsim_ctx *x, struct scn_cmd *c)
{
	char what[96];
	int answer = 0;

	if (mdev_do(x, c, &answer) < 0)
		return -1;
	snprintf(what, sizeof(what), "%s of mdev %.36s", op_words[form_op(c)], mdev_of(c));
	return check_answer(x, c, answer, what);
}

/* expect mdev UUID matrix|guest-matrix ==|!= "TEXT" */
static int expect_mdev_matrix(struct apsim_ctx *x, struct scn_cmd *c)
{
	bool guest = strstr(c->form->path, "guest-matrix") != NULL;
	bool eq = c->a[1].v == SCN_EQ;
	char path[128], *text;
	size_t len;
	int rc;

	if (!matrix(x, c) || !find_mdev(x, c, 0))
		return -1;
	snprintf(path, sizeof(path), "devices/vfio_ap/matrix/%s/%s", STR(c, 0),
		 guest ? "guest_matrix" : "matrix");
	for (char *s = path; *s; s++)
		*s = (*s >= 'A' && *s <= 'F') ? (char)(*s - 'A' + 'a') : *s;
	rc = read_file(x->mx, path, &text, &len);
	if (rc < 0)
		return scn_error(x, c->pos, "cannot read %s: %s (%s)", path, s390ap_err_name(rc),
				 mx_msg(x, rc));
	one_line(text, &len);
	if ((strcmp(text, STR(c, 2)) == 0) == eq) {
		free(text);
		x->passed++;
		return 0;
	}
	rc = scn_expect_failed(x, c, "the %s of mdev %s is \"%s\", expected %s \"%s\"",
			       guest ? "guest matrix" : "matrix", STR(c, 0), text,
			       eq ? "==" : "!=", STR(c, 2));
	free(text);
	return rc;
}

/* expect mdev UUID vm ==|!= NAME|none */
static int expect_mdev_vm(struct apsim_ctx *x, struct scn_cmd *c)
{
	s390ap_mdev *md;
	s390ap_vm *vm, *want;
	bool eq = c->a[1].v == SCN_EQ;
	const char *name = "none";

	if (!matrix(x, c) || !(md = find_mdev(x, c, 0)))
		return -1;
	vm = s390ap_mdev_vm(md);
	want = c->a[2].v == UINT64_MAX ? NULL : x->vms[c->a[2].v].vm;
	if ((vm == want) == eq) {
		x->passed++;
		return 0;
	}
	for (unsigned k = 0; vm && k < x->nvms; k++)
		if (x->vms[k].vm == vm)
			name = x->vms[k].name;
	return scn_expect_failed(x, c, "mdev %s is %s%s, expected %s %s", STR(c, 0),
				 vm ? "open on VM " : "not open", vm ? name : "",
				 eq ? "==" : "!=", want ? x->vms[c->a[2].v].name : "none");
}

static int get_crycb_updates(struct apsim_ctx *x, const struct scn_cmd *c, uint64_t *v, char *what,
			     size_t size)
{
	s390ap_mdev *md;

	if (!matrix(x, c) || !(md = find_mdev(x, c, 0)))
		return -1;
	snprintf(what, size, "the CRYCB updates of mdev %.36s", STR(c, 0));
	*v = s390ap_mdev_crycb_updates(md);
	return 0;
}

static int check_cmpeq(struct scn_parser *p, struct scn_cmd *c)
{
	unsigned k = c->n - 2;

	if (c->a[k].v != SCN_EQ && c->a[k].v != SCN_NE)
		return scn_error(p->x, c->a[k].pos, "this compares with == or != only");
	return check_mdev(p, c);
}

/* ---- sysfs ---- */

static int run_sysfs_write(struct apsim_ctx *x, struct scn_cmd *c)
{
	int rc;

	if (!matrix(x, c))
		return -1;
	rc = s390ap_matrix_write(x->mx, STR(c, 0), STR(c, 1));
	if (rc < 0)
		return scn_error(x, c->pos, "write to %s failed: %s (%s)", STR(c, 0),
				 s390ap_err_name(rc), mx_msg(x, rc));
	return 0;
}

static int run_sysfs_read(struct apsim_ctx *x, struct scn_cmd *c)
{
	char *text;
	size_t len;
	int rc;

	if (!matrix(x, c))
		return -1;
	rc = read_file(x->mx, STR(c, 0), &text, &len);
	if (rc < 0)
		return scn_error(x, c->pos, "read of %s failed: %s (%s)", STR(c, 0),
				 s390ap_err_name(rc), mx_msg(x, rc));
	fwrite(text, 1, len, x->out);
	if (len && text[len - 1] != '\n')
		fputc('\n', x->out);
	free(text);
	return 0;
}

/* s with newlines as \n, cut to fit buf. */
static const char *escaped(const char *s, char *buf, size_t size)
{
	size_t n = 0;

	for (; *s && n + 3 < size; s++) {
		if (*s == '\n') {
			buf[n++] = '\\';
			buf[n++] = 'n';
		} else {
			buf[n++] = *s;
		}
	}
	buf[n] = '\0';
	return buf;
}

/* expect sysfs PATH ==|!= "TEXT"|ERROR: the text without the file's last
 * newline, or the read's error */
static int expect_sysfs(struct apsim_ctx *x, struct scn_cmd *c)
{
	char shown[2][160];
	bool eq = c->a[1].v == SCN_EQ;
	bool want_err = c->a[2].v >> 63;
	char *text;
	size_t len;
	int rc;

	if (!matrix(x, c))
		return -1;
	rc = read_file(x->mx, STR(c, 0), &text, &len);
	if (want_err) {
		int want = answers[c->a[2].v & 0xff].code;

		free(text);
		if ((rc == want) == eq) {
			x->passed++;
			return 0;
		}
		return scn_expect_failed(x, c, "read of %s answered %s, expected %s %s", STR(c, 0),
					 answer_name(rc), eq ? "==" : "!=", answer_name(want));
	}
	if (rc < 0)
		return scn_expect_failed(x, c, "read of %s failed: %s (%s)", STR(c, 0),
					 s390ap_err_name(rc), mx_msg(x, rc));
	if (len && text[len - 1] == '\n')
		text[--len] = '\0';
	if ((len == strlen(STR(c, 2)) && !memcmp(text, STR(c, 2), len)) == eq) {
		free(text);
		x->passed++;
		return 0;
	}
	rc = scn_expect_failed(x, c, "%s reads \"%s\", expected %s \"%s\"", STR(c, 0),
			       escaped(text, shown[0], sizeof(shown[0])),
			       eq ? "==" : "!=", escaped(STR(c, 2), shown[1], sizeof(shown[1])));
	free(text);
	return rc;
}

static int expect_sysfs_write(struct apsim_ctx *x, struct scn_cmd *c)
{
	char what[160];

	if (!matrix(x, c))
		return -1;
	snprintf(what, sizeof(what), "write to %.120s", STR(c, 0));
	return check_answer(x, c, s390ap_matrix_write(x->mx, STR(c, 0), STR(c, 1)), what);
}

/* ---- mdevctl ---- */

static int mdevctl_start(struct apsim_ctx *x, const struct scn_cmd *c, int *answer)
{
	char *json;
	size_t len;

	if (!matrix(x, c) || scn_read_path(x, c->a[1].pos, STR(c, 1), &json, &len) < 0)
		return -1;
	if (memchr(json, '\0', len)) {
		free(json);
		return scn_error(x, c->a[1].pos, "'%s' holds a NUL byte", STR(c, 1));
	}
	*answer = s390ap_mdevctl_start(x->mx, STR(c, 0), json);
	free(json);
	return 0;
}

static int run_mdevctl_start(struct apsim_ctx *x, struct scn_cmd *c)
{
	int answer = 0;

	if (mdevctl_start(x, c, &answer) < 0)
		return -1;
	if (answer < 0)
		return scn_error(x, c->pos, "mdevctl start %s failed: %s (%s)", STR(c, 0),
				 s390ap_err_name(answer), mx_msg(x, answer));
	return 0;
}

static int expect_mdevctl_start(struct apsim_ctx *x, struct scn_cmd *c)
{
	char what[96];
	int answer = 0;

	if (mdevctl_start(x, c, &answer) < 0)
		return -1;
	snprintf(what, sizeof(what), "mdevctl start %.36s", STR(c, 0));
	return check_answer(x, c, answer, what);
}

static int run_mdevctl_export(struct apsim_ctx *x, struct scn_cmd *c)
{
	s390ap_mdev *md;
	char *json = NULL;
	int rc;

	if (!matrix(x, c) || !(md = find_mdev(x, c, 0)))
		return -1;
	rc = s390ap_mdevctl_export(md, &json);
	if (rc < 0)
		return scn_error(x, c->pos, "mdevctl export %s failed: %s (%s)", STR(c, 0),
				 s390ap_err_name(rc), mx_msg(x, rc));
	fprintf(x->out, "%s\n", json);
	s390ap_mdevctl_free(json);
	return 0;
}

/* ---- print matrix ---- */

static const char *vm_name(const struct apsim_ctx *x, const s390ap_vm *vm)
{
	for (unsigned k = 0; vm && k < x->nvms; k++)
		if (x->vms[k].vm == vm)
			return x->vms[k].name;
	return "?";
}

static void print_file_line(struct apsim_ctx *x, const char *label, const char *uuid,
			    const char *file)
{
	char path[128], *text;
	size_t len;

	snprintf(path, sizeof(path), "devices/vfio_ap/matrix/%s/%s", uuid, file);
	if (read_file(x->mx, path, &text, &len) < 0) {
		fprintf(x->out, "  %-16s ?\n", label);
		return;
	}
	one_line(text, &len);
	fprintf(x->out, "  %-16s %s\n", label, len ? text : "-");
	free(text);
}

static int print_matrix(struct apsim_ctx *x, struct scn_cmd *c)
{
	unsigned n;
	char *text;
	size_t len;

	if (!matrix(x, c))
		return -1;
	n = s390ap_matrix_mdev_count(x->mx);
	fprintf(x->out, "vfio_ap matrix: %s policy, %u mdev%s\n",
		x->mx_policy ? "static" : "dynamic", n, n == 1 ? "" : "s");
	for (int k = 0; k < 2; k++) {
		const char *path = k ? "bus/ap/aqmask" : "bus/ap/apmask";

		if (read_file(x->mx, path, &text, &len) < 0)
			continue;
		one_line(text, &len);
		fprintf(x->out, "  %-16s %s\n", k ? "aqmask" : "apmask", text);
		free(text);
	}
	for (unsigned i = 0; i < n; i++) {
		s390ap_mdev *md = s390ap_matrix_mdev(x->mx, i);
		const char *uuid = s390ap_mdev_uuid(md);
		s390ap_vm *vm = s390ap_mdev_vm(md);

		if (vm)
			fprintf(x->out, "mdev %s: open on VM %s, %" PRIu64 " CRYCB update%s\n",
				uuid, vm_name(x, vm), s390ap_mdev_crycb_updates(md),
				s390ap_mdev_crycb_updates(md) == 1 ? "" : "s");
		else
			fprintf(x->out, "mdev %s: not open\n", uuid);
		print_file_line(x, "matrix", uuid, "matrix");
		print_file_line(x, "guest matrix", uuid, "guest_matrix");
		print_file_line(x, "control domains", uuid, "control_domains");
	}
	return 0;
}

int scn_print_config(struct apsim_ctx *x, struct scn_cmd *c)
{
	(void)c;
	apsim_list_config(x->out, x->m, x->mx);
	return 0;
}

/* ---- expect queue APQN use | driver ---- */

static const char *const use_names[] = { "unassigned", "assigned", "in-use", NULL };
/* expect queue's field index of `use` (`driver` follows): cmd_check.c */
#define QUEUE_FIELD_USE 15
/* by s390ap_binding */
static const char *const driver_names[] = { "none", "default", "vfio_ap", NULL };

int scn_p_queue_use(struct scn_parser *p, struct scn_cmd *c, unsigned slot)
{
	static const struct scn_arg use =
		SCN_WORDS(use_names, "a queue's use (unassigned, assigned, in-use)");
	static const struct scn_arg driver =
		SCN_WORDS(driver_names, "a queue's driver (vfio_ap, default, none)");
	bool is_use = c->a[1].v == QUEUE_FIELD_USE;

	if (c->a[slot - 1].v != SCN_EQ && c->a[slot - 1].v != SCN_NE)
		return scn_error(p->x, c->a[slot - 1].pos,
				 "a queue's use or driver compares with == or != only");
	return scn_parse_arg(p, c, is_use ? &use : &driver, slot);
}

int scn_expect_queue_use(struct apsim_ctx *x, const struct scn_cmd *c)
{
	uint16_t apqn = (uint16_t)c->a[0].v;
	bool eq = c->a[2].v == SCN_EQ, is_use = c->a[1].v == QUEUE_FIELD_USE;
	const char *const *names = is_use ? use_names : driver_names;
	s390ap_queue_use use = S390AP_QUEUE_UNASSIGNED;
	unsigned actual;

	if (!x->mx)
		return scn_expect_failed(x, c,
					 "there is no matrix (no mdev, sysfs or matrix "
					 "statement ran)");
	actual = (unsigned)s390ap_matrix_binding(x->mx, apqn);
	if (is_use) {
		if (s390ap_matrix_queue_use(x->mx, apqn, &use) < 0)
			return scn_expect_failed(x, c,
						 "queue %02x.%04x is not bound to vfio_ap (%s)",
						 S390AP_APQN_APID(apqn), S390AP_APQN_APQI(apqn),
						 actual < 3 ? driver_names[actual] : "?");
		actual = (unsigned)use;
	}
	if ((actual == c->a[3].v) == eq) {
		x->passed++;
		return 1; /* decided here: words, not numbers */
	}
	return scn_expect_failed(x, c, "queue %02x.%04x %s %s, expected %s %s",
				 S390AP_APQN_APID(apqn), S390AP_APQN_APQI(apqn),
				 is_use ? "is" : "is bound to", actual < 3 ? names[actual] : "?",
				 eq ? "==" : "!=", names[c->a[3].v]);
}

/* ---- the tables ---- */

#define S SCN_F_SYS
#define UUID SCN_FN(p_uuid)
#define ID(w) SCN_NUM(0, UINT64_MAX, w)
#define ANSWER SCN_CMP, SCN_FN(p_answer)
#define MDEV_OP(word, ...)                                                                    \
	{ "mdev " word, S, SCN_ARGS(__VA_ARGS__), .run = run_mdev, .check = check_mdev },     \
	{                                                                                     \
		"expect mdev " word, S, SCN_ARGS(__VA_ARGS__, ANSWER), .run = expect_mdev_op, \
								       .check = check_cmpeq   \
	}
#define MDEV_OP0(word)                                                           \
	{ "mdev " word, S, NULL, .run = run_mdev, .check = check_mdev },         \
	{                                                                        \
		"expect mdev " word, S, SCN_ARGS(ANSWER), .run = expect_mdev_op, \
							  .check = check_cmpeq   \
	}

static const struct scn_form forms[] = {
	{ "matrix policy", 0, SCN_ARGS(SCN_WORDS(policy_names, "a policy (dynamic or static)")),
	  .run = run_policy, .check = check_before },
	{ "matrix masks-zero", 0, NULL, .run = run_masks_zero, .check = check_before },
	{ "matrix config-changed", S, NULL, .run = run_config_changed, .check = check_use },
	MDEV_OP("create", UUID),
	MDEV_OP("remove", UUID),
	MDEV_OP("open", SCN_FN(scn_p_vmname)),
	MDEV_OP0("release"),
	MDEV_OP0("reset"),
	MDEV_OP("assign-adapter", ID("an adapter id")),
	MDEV_OP("unassign-adapter", ID("an adapter id")),
	MDEV_OP("assign-domain", ID("a domain id")),
	MDEV_OP("unassign-domain", ID("a domain id")),
	MDEV_OP("assign-control-domain", ID("a control domain id")),
	MDEV_OP("unassign-control-domain", ID("a control domain id")),
	{ "expect mdev matrix", S, SCN_ARGS(SCN_CMP, SCN_FN(p_mtext)), .run = expect_mdev_matrix,
	  .check = check_cmpeq },
	{ "expect mdev guest-matrix", S, SCN_ARGS(SCN_CMP, SCN_FN(p_mtext)),
	  .run = expect_mdev_matrix, .check = check_cmpeq },
	{ "expect mdev vm", S, SCN_ARGS(SCN_CMP, SCN_FN(p_vm_or_none)), .run = expect_mdev_vm,
	  .check = check_cmpeq },
	{ "expect mdev crycb-updates", S, SCN_ARGS(SCN_CMP, ID("a count")),
	  .get = get_crycb_updates, .check = check_mdev },
	{ "sysfs write", S, SCN_ARGS(SCN_FN(p_syspath), SCN_FN(p_wtext)), .run = run_sysfs_write,
	  .check = check_use },
	{ "sysfs read", S, SCN_ARGS(SCN_FN(p_syspath)), .run = run_sysfs_read, .check = check_use },
	{ "expect sysfs", S, SCN_ARGS(SCN_FN(p_syspath), SCN_CMP, SCN_FN(p_text_or_answer)),
	  .run = expect_sysfs, .check = check_cmpeq },
	{ "expect sysfs-write", S, SCN_ARGS(SCN_FN(p_syspath), SCN_FN(p_wtext), ANSWER),
	  .run = expect_sysfs_write, .check = check_cmpeq },
	{ "mdevctl start", S, SCN_ARGS(UUID, SCN_FN(p_json)), .run = run_mdevctl_start,
	  .check = check_use },
	{ "mdevctl export", S, SCN_ARGS(UUID), .run = run_mdevctl_export, .check = check_use },
	{ "expect mdevctl start", S, SCN_ARGS(UUID, SCN_FN(p_json), ANSWER),
	  .run = expect_mdevctl_start, .check = check_cmpeq },
	{ "print matrix", S, NULL, .run = print_matrix, .check = check_use },
};

static const struct scn_group groups[] = {
	{ "matrix", "a matrix statement", NULL },
	{ "mdev", "what to do with the mdev", SCN_ARGS(SCN_FN(p_mdev_pre)) },
	{ "expect mdev", "what to expect of the mdev", SCN_ARGS(SCN_FN(p_mdev_pre)) },
	{ "sysfs", "a sysfs operation", NULL },
	{ "mdevctl", "an mdevctl command", NULL },
};

const struct scn_area scn_area_matrix = SCN_AREA(forms, groups);
