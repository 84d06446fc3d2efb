/* SPDX-License-Identifier: MIT */
/* s390ap — error codes returned by library functions.
 *
 * Every public function that can fail returns 0 on success or one of the
 * negative codes below, never another value; what it produces goes through
 * out parameters (s390ap_default_engine(&engine), s390ap_cpu_psw(cpu,
 * &psw), s390ap_machine_irq_ack(m, isc, &was_pending)).  The other kinds
 * of public function:
 *   - getters of one value (s390ap_machine_now, s390ap_cpu_cc, names and
 *     counters) return it directly and give a documented neutral value
 *     (0, NULL, "?") for a NULL object or an index out of range;
 *   - s390ap_*_free and s390ap_view_lpar return nothing.
 * Architected outcomes of an instruction (condition code, response code,
 * program-interruption code) are results, not errors: they are reported
 * through s390ap_insn_result.
 */
#ifndef S390AP_ERROR_H
#define S390AP_ERROR_H

#include "s390ap/export.h"

#ifdef __cplusplus
extern "C" {
#endif

/* X(name, value, message) */
#define S390AP_ERRNO_MAP(X)                                    \
	X(EINVAL, -22, "invalid argument")                     \
	X(ENOMEM, -12, "out of memory")                        \
	X(ENOENT, -2, "no such adapter, domain or queue")      \
	X(EEXIST, -17, "already exists")                       \
	X(ERANGE, -34, "value out of range")                   \
	X(EFAULT, -14, "storage address out of range")         \
	X(EBUSY, -16, "resource busy")                         \
	X(ENOTSUP, -95, "not supported by this configuration") \
	X(ENOSPC, -28, "no space left (table full)")           \
	X(ENXIO, -6, "no such attribute")                      \
	X(ENODEV, -19, "no such device")                       \
	X(EPERM, -1, "operation not permitted")                \
	X(EIO, -5, "input/output error")                       \
	X(EUSERS, -87, "too many instances")                   \
	X(EADDRINUSE, -98, "already assigned elsewhere")       \
	X(EADDRNOTAVAIL, -99, "not available (owned by the host)")

typedef enum s390ap_errno {
#define S390AP_X_(name, value, msg) S390AP_##name = (value),
	S390AP_ERRNO_MAP(S390AP_X_)
#undef S390AP_X_
} s390ap_errno;

/* Static text for an error code; "unknown error" for anything else. */
S390AP_API const char *s390ap_strerror(int err);
/* Symbolic name ("EINVAL"), or "UNKNOWN". */
S390AP_API const char *s390ap_err_name(int err);

#ifdef __cplusplus
}
#endif
#endif
