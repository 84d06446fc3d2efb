/* SPDX-License-Identifier: MIT */
/* Error table and version. */
#include "s390ap/error.h"
#include "s390ap/version.h"

const char *s390ap_strerror(int err)
{
	switch (err) {
	case 0:
		return "success";
#define S390AP_X_(name, value, msg) \
	case value:                 \
		return msg;
		S390AP_ERRNO_MAP(S390AP_X_)
#undef S390AP_X_
	}
	return "unknown error";
}

const char *s390ap_err_name(int err)
{
	switch (err) {
	case 0:
		return "OK";
#define S390AP_X_(name, value, msg) \
	case value:                 \
		return #name;
		S390AP_ERRNO_MAP(S390AP_X_)
#undef S390AP_X_
	}
	return "UNKNOWN";
}

const char *s390ap_version(void)
{
	return S390AP_VERSION_STRING;
}
