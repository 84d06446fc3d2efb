/* SPDX-License-Identifier: MIT */
/* s390ap — save and restore of a machine's whole AP state (configuration,
 * adapters, queues with their messages, the event clock and its pending
 * events, counters) as a versioned byte image.  The format and the rules
 * are in docs/state-format.md. */
#ifndef S390AP_STATE_H
#define S390AP_STATE_H

#include <stddef.h>

#include "s390ap/export.h"
#include "s390ap/machine.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Save m's AP state: *image (malloc'd; release it with s390ap_state_free)
 * and its length *len.  Host storage, callbacks and the error message are
 * no part of it; each adapter's engine adds its own state through its
 * save callback.  0, or S390AP_EINVAL (NULL arguments), S390AP_ENOMEM, or
 * an engine's save error (with a message).  m is not changed. */
S390AP_API int s390ap_machine_save(const s390ap_machine *m, void **image, size_t *len);

/* Replace m's AP state by the image's.  The image is untrusted: anything
 * malformed or inconsistent is refused with S390AP_EINVAL and a message
 * naming the section and the value, and m stays exactly as it was.  An
 * adapter in m and in the image keeps m's engine (its restore callback
 * gets the saved engine state); an adapter only in the image gets
 * s390ap_default_engine(); adapters only in m are removed.  Host storage
 * and callbacks stay, and no callback is called: read
 * s390ap_machine_next_event and s390ap_machine_irq_pending afterwards.
 * 0, or S390AP_EINVAL, S390AP_ENOMEM, S390AP_EBUSY (from a callback). */
S390AP_API int s390ap_machine_restore(s390ap_machine *m, const void *image, size_t len);

/* Release an image from s390ap_machine_save (NULL is fine). */
S390AP_API void s390ap_state_free(void *image);

#ifdef __cplusplus
}
#endif
#endif
