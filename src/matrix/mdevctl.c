/* SPDX-License-Identifier: MIT */
/* mdevctl configurations of vfio_ap mdevs (JSON, through jansson): start
 * one from its configuration, export a running one's
 * (docs/matrix-files.md). */
#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "matrix/text.h"
#include "s390ap/error.h"
#include "s390ap/matrix.h"

/* One attribute: an object with a single string member. */
static int check_attr(s390ap_matrix *mx, size_t i, json_t *a, const char **name, const char **value)
{
	if (!json_is_object(a) || json_object_size(a) != 1)
		return mx_err(mx, S390AP_EINVAL, "attrs[%zu]: not an object with one member", i);
	void *it = json_object_iter(a);
	*name = json_object_iter_key(it);
	json_t *v = json_object_iter_value(it);
	if (!json_is_string(v))
		return mx_err(mx, S390AP_EINVAL, "attrs[%zu] (%s): value not a string", i, *name);
	*value = json_string_value(v);
	mtx_file f = mtx_mdev_attr(*name);
	if (!f || !mtx_file_writable(f) || f == MTX_F_REMOVE)
		return mx_err(mx, S390AP_EINVAL, "attrs[%zu] (%s): no such attribute", i, *name);
	return 0;
}

/* The configuration's shape, before anything is created. */
static int check_config(s390ap_matrix *mx, json_t *root, json_t **attrs)
{
	if (!json_is_object(root))
		return mx_err(mx, S390AP_EINVAL, "mdevctl: not a JSON object");
	json_t *type = json_object_get(root, "mdev_type");
	if (!json_is_string(type) || strcmp(json_string_value(type), S390AP_MDEV_TYPE))
		return mx_err(mx, S390AP_EINVAL, "mdevctl: mdev_type is not \"%s\"",
			      S390AP_MDEV_TYPE);
	json_t *start = json_object_get(root, "start");
	if (start && (!json_is_string(start) || (strcmp(json_string_value(start), "auto") &&
						 strcmp(json_string_value(start), "manual"))))
		return mx_err(mx, S390AP_EINVAL,
			      "mdevctl: start is neither \"auto\" nor \"manual\"");
	*attrs = json_object_get(root, "attrs");
	if (*attrs && !json_is_array(*attrs))
		return mx_err(mx, S390AP_EINVAL, "mdevctl: attrs is not an array");
	for (size_t i = 0; *attrs && i < json_array_size(*attrs); i++) {
		const char *name, *value;
		int rc = check_attr(mx, i, json_array_get(*attrs, i), &name, &value);
		if (rc)
			return rc;
	}
	return 0;
}

int s390ap_mdevctl_start(s390ap_matrix *mx, const char *uuid, const char *json)
{
	if (!mx)
		return S390AP_EINVAL;
	if (!uuid || !json)
		return mx_err(mx, S390AP_EINVAL, "mdevctl: NULL uuid or configuration");
	char id[S390AP_UUID_LEN + 1];
	if (mtx_parse_uuid(uuid, id) || strchr(uuid, '\n'))
		return mx_err(mx, S390AP_EINVAL, "mdevctl: \"%.40s\" is not a UUID", uuid);
	json_error_t jerr;
	json_t *root = json_loads(json, JSON_REJECT_DUPLICATES, &jerr);
	if (!root)
		return mx_err(mx, S390AP_EINVAL, "mdevctl: line %d column %d: %s", jerr.line,
			      jerr.column, jerr.text);
	json_t *attrs = NULL;
	int rc = check_config(mx, root, &attrs);
	if (rc)
		goto out;
	s390ap_mdev *md;
	rc = s390ap_mdev_create(mx, id, &md);
	if (rc)
		goto out;
	for (size_t i = 0; attrs && i < json_array_size(attrs); i++) {
		const char *name, *value;
		char path[128];
		check_attr(mx, i, json_array_get(attrs, i), &name, &value);
		snprintf(path, sizeof(path), "devices/vfio_ap/matrix/%s/%s", id, name);
		rc = s390ap_matrix_write(mx, path, value);
		if (rc) {
			/* keep the cause: the message is rewritten by the removal */
			char why[160];
			snprintf(why, sizeof(why), "%s", s390ap_matrix_errmsg(mx));
			s390ap_mdev_remove(md);
			mx_err(mx, rc, "mdevctl: attrs[%zu] (%s=\"%.32s\"): %s", i, name, value,
			       why);
			goto out;
		}
	}
out:
	json_decref(root);
	return rc;
}

static int add_ids(json_t *attrs, const char *name, const uint8_t m[32])
{
	for (unsigned id = 0; id < MTX_IDS; id++) {
		if (!(m[id / 8] & (0x80u >> (id % 8))))
			continue;
		char v[8];
		snprintf(v, sizeof(v), "%u", id);
		json_t *a = json_pack("{ss}", name, v);
		if (!a || json_array_append_new(attrs, a))
			return S390AP_ENOMEM;
	}
	return 0;
}

int s390ap_mdevctl_export(const s390ap_mdev *md, char **json)
{
	if (!md || !json)
		return S390AP_EINVAL;
	uint8_t apm[32], aqm[32], adm[32];
	int rc = s390ap_mdev_matrix(md, apm, aqm, adm);
	if (rc)
		return rc;
	json_t *attrs = json_array();
	json_t *root = json_pack("{ss,ss,so}", "mdev_type", S390AP_MDEV_TYPE, "start", "manual",
				 "attrs", attrs);
	if (!root)
		return S390AP_ENOMEM;
	rc = add_ids(attrs, "assign_adapter", apm);
	if (!rc)
		rc = add_ids(attrs, "assign_domain", aqm);
	if (!rc)
		rc = add_ids(attrs, "assign_control_domain", adm);
	char *text = rc ? NULL : json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	json_decref(root);
	if (!text)
		return S390AP_ENOMEM;
	*json = text;
	return 0;
}

void s390ap_mdevctl_free(char *json)
{
	/* json_dumps allocated it with jansson's allocator */
	json_malloc_t m;
	json_free_t f;
	json_get_alloc_funcs(&m, &f);
	if (json)
		f(json);
}
