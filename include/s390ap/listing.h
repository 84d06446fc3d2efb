/* SPDX-License-Identifier: MIT */
/* s390ap — listings of a machine as a Linux guest that owns it sees it:
 * lszcrypt's default table and the sysfs attributes of the AP bus
 * (docs/listings.md).  A guest-side script (tests/linux-guest/aplist.sh)
 * prints the same text from a running Linux, so a diff of the two shows
 * where the guest's view and the machine differ. */
#ifndef S390AP_LISTING_H
#define S390AP_LISTING_H

#include <stddef.h>

#include "s390ap/export.h"
#include "s390ap/machine.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum s390ap_list_kind {
	/* lszcrypt's default listing (s390-tools 2.25, no options): header,
	 * dash line, one line per card and per queue */
	S390AP_LIST_LSZCRYPT = 0,
	/* the attributes Linux 6.1's AP bus and zcrypt_cex4 show under
	 * /sys/bus/ap, one "path value" line each, sorted bytewise; a guest
	 * with adapter interruptions (AQIC, STFLE 65) when the machine has
	 * the facility */
	S390AP_LIST_SYSFS = 1,
	/* the same for a guest that polls: no AQIC whatever the machine
	 * offers, so ap_interrupts is 0 and no queue has interruptions */
	S390AP_LIST_SYSFS_POLLING = 2
} s390ap_list_kind;

/* Writes the listing into buf (always NUL-terminated when size > 0,
 * truncated to fit; buf may be NULL when size is 0).  *needed (may be NULL)
 * gets the length of the whole listing without the NUL.  0, or
 * S390AP_EINVAL for a NULL machine, a bad kind or a NULL buf with a size. */
S390AP_API int s390ap_machine_list(const s390ap_machine *m, s390ap_list_kind kind, char *buf,
				   size_t size, size_t *needed);

#ifdef __cplusplus
}
#endif
#endif
