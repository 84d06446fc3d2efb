/* SPDX-License-Identifier: MIT */
/* The sysfs-like string interface of the matrix layer: s390ap_matrix_write
 * and s390ap_matrix_read over the public matrix functions
 * (docs/matrix-files.md). */
#include <string.h>

#include "matrix/text.h"
#include "s390ap/error.h"
#include "s390ap/matrix.h"

/* Reading a write-only file or writing a read-only one: the kernel's open()
 * answers EACCES, which the library's codes lack; EPERM is the nearest. */
static int no_access(s390ap_matrix *mx, const char *path, const char *what)
{
	return mx_err(mx, S390AP_EPERM, "%s: %s", path, what);
}

static s390ap_mdev *find_mdev(s390ap_matrix *mx, const mtx_path *p, const char *path, int *rc)
{
	s390ap_mdev *md = s390ap_mdev_find(mx, p->uuid);
	if (!md)
		*rc = mx_err(mx, S390AP_ENOENT, "%s: no mdev %s", path, p->uuid);
	return md;
}

static int write_mask(s390ap_matrix *mx, const mtx_path *p, const char *path, const char *text)
{
	uint8_t cur[32], m[32];
	bool ap = p->file == MTX_F_APMASK;
	int rc = ap ? s390ap_matrix_apmask(mx, cur) : s390ap_matrix_aqmask(mx, cur);
	if (rc)
		return rc;
	rc = mtx_parse_bus_mask(text, cur, m);
	if (rc)
		return mx_err(mx, rc, "%s: bad mask text", path);
	return ap ? s390ap_matrix_set_apmask(mx, m) : s390ap_matrix_set_aqmask(mx, m);
}

static int write_id(s390ap_mdev *md, s390ap_matrix *mx, mtx_file f, const char *path,
		    const char *text)
{
	unsigned long id;
	int rc = mtx_parse_ulong(text, &id);
	if (rc)
		return mx_err(mx, rc, "%s: %s", path,
			      rc == S390AP_ERANGE ? "number too large" : "not a number");
	switch (f) {
	case MTX_F_ASSIGN_ADAPTER:
		return s390ap_mdev_assign_adapter(md, id);
	case MTX_F_UNASSIGN_ADAPTER:
		return s390ap_mdev_unassign_adapter(md, id);
	case MTX_F_ASSIGN_DOMAIN:
		return s390ap_mdev_assign_domain(md, id);
	case MTX_F_UNASSIGN_DOMAIN:
		return s390ap_mdev_unassign_domain(md, id);
	case MTX_F_ASSIGN_CONTROL_DOMAIN:
		return s390ap_mdev_assign_control_domain(md, id);
	case MTX_F_UNASSIGN_CONTROL_DOMAIN:
		return s390ap_mdev_unassign_control_domain(md, id);
	case MTX_F_REMOVE:
		/* remove acts on a non-zero number, as the kernel's does */
		return id ? s390ap_mdev_remove(md) : 0;
	default:
		return mx_err(mx, S390AP_EINVAL, "%s: not an id file", path);
	}
}

static int write_mdev_file(s390ap_matrix *mx, const mtx_path *p, const char *path, const char *text)
{
	int rc = 0;
	s390ap_mdev *md = find_mdev(mx, p, path, &rc);
	if (!md)
		return rc;
	if (p->file == MTX_F_AP_CONFIG) {
		uint8_t apm[32], aqm[32], adm[32];
		rc = mtx_parse_ap_config(text, apm, aqm, adm);
		if (rc)
			return mx_err(mx, rc, "%s: want three hex masks, comma-separated", path);
		return s390ap_mdev_set_config(md, apm, aqm, adm);
	}
	return write_id(md, mx, p->file, path, text);
}

int s390ap_matrix_write(s390ap_matrix *mx, const char *path, const char *text)
{
	if (!mx)
		return S390AP_EINVAL;
	if (!path || !text)
		return mx_err(mx, S390AP_EINVAL, "NULL path or text");
	mtx_path p;
	int rc = mtx_parse_path(path, &p);
	if (rc)
		return mx_err(mx, rc, "%s: no such file", path);
	if (!mtx_file_writable(p.file))
		return no_access(mx, path, "read-only file");
	switch (p.file) {
	case MTX_F_APMASK:
	case MTX_F_AQMASK:
		return write_mask(mx, &p, path, text);
	case MTX_F_TYPE_CREATE: {
		char uuid[S390AP_UUID_LEN + 1];
		rc = mtx_parse_uuid(text, uuid);
		if (rc)
			return mx_err(mx, rc, "%s: not a UUID", path);
		s390ap_mdev *md;
		return s390ap_mdev_create(mx, uuid, &md);
	}
	default:
		return write_mdev_file(mx, &p, path, text);
	}
}

static int read_mdev_file(s390ap_matrix *mx, const mtx_path *p, const char *path, mtx_buf *b)
{
	int rc = 0;
	s390ap_mdev *md = find_mdev(mx, p, path, &rc);
	if (!md)
		return rc;
	uint8_t apm[32], aqm[32], adm[32];
	if (p->file == MTX_F_GUEST_MATRIX)
		rc = s390ap_mdev_guest_matrix(md, apm, aqm, adm);
	else
		rc = s390ap_mdev_matrix(md, apm, aqm, adm);
	if (rc)
		return rc;
	switch (p->file) {
	case MTX_F_MATRIX:
	case MTX_F_GUEST_MATRIX:
		mtx_print_matrix(b, apm, aqm);
		break;
	case MTX_F_CONTROL_DOMAINS:
		mtx_print_domains(b, adm);
		break;
	default:
		mtx_print_ap_config(b, apm, aqm, adm);
		break;
	}
	return 0;
}

static int read_file(s390ap_matrix *mx, const mtx_path *p, const char *path, mtx_buf *b)
{
	uint8_t m[32];
	int rc;
	switch (p->file) {
	case MTX_F_APMASK:
	case MTX_F_AQMASK:
		rc = p->file == MTX_F_APMASK ? s390ap_matrix_apmask(mx, m)
					     : s390ap_matrix_aqmask(mx, m);
		if (rc)
			return rc;
		mtx_print_mask(b, m);
		return 0;
	case MTX_F_QUEUE_STATUS: {
		/* the file exists only on a queue bound to vfio_ap */
		s390ap_queue_use use;
		if (s390ap_matrix_binding(mx, p->apqn) != S390AP_BIND_VFIO)
			return mx_err(mx, S390AP_ENOENT, "%s: queue not bound to vfio_ap", path);
		rc = s390ap_matrix_queue_use(mx, p->apqn, &use);
		if (rc)
			return rc == S390AP_ENODEV ? S390AP_ENOENT : rc;
		const char *w = mtx_queue_use_word(use);
		if (!w)
			return mx_err(mx, S390AP_EIO, "%s: unknown status %d", path, (int)use);
		mtx_buf_puts(b, w);
		mtx_buf_puts(b, "\n");
		return 0;
	}
	case MTX_F_FEATURES:
		mtx_buf_puts(b, MTX_FEATURES);
		return 0;
	case MTX_F_TYPE_AVAILABLE:
		mtx_buf_printf(b, "%u\n", S390AP_MATRIX_MAX_MDEVS - s390ap_matrix_mdev_count(mx));
		return 0;
	case MTX_F_TYPE_NAME:
		mtx_buf_puts(b, MTX_TYPE_NAME);
		return 0;
	case MTX_F_TYPE_DEVICE_API:
		mtx_buf_puts(b, MTX_DEVICE_API);
		return 0;
	default:
		return read_mdev_file(mx, p, path, b);
	}
}

int s390ap_matrix_read(s390ap_matrix *mx, const char *path, char *buf, size_t size, size_t *len)
{
	if (!mx)
		return S390AP_EINVAL;
	if (!path || (!buf && size))
		return mx_err(mx, S390AP_EINVAL, "NULL path or buffer");
	mtx_path p;
	int rc = mtx_parse_path(path, &p);
	if (rc)
		return mx_err(mx, rc, "%s: no such file", path);
	if (!mtx_file_readable(p.file))
		return no_access(mx, path, "write-only file");
	mtx_buf b;
	mtx_buf_init(&b, buf, size);
	rc = read_file(mx, &p, path, &b);
	if (rc)
		return rc;
	if (len)
		*len = mtx_buf_fits(&b) ? b.len : b.len + 1;
	if (!mtx_buf_fits(&b))
		return mx_err(mx, S390AP_ENOSPC, "%s: %zu bytes needed", path, b.len + 1);
	return 0;
}
