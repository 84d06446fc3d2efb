/* SPDX-License-Identifier: MIT */
/* s390ap_mem internals shared with the dispatcher: the writable bytes and
 * a hook every public write calls, so a system can drop decoded
 * instructions that a write through its storage replaced. */
#ifndef S390AP_MEM_INTERNAL_H
#define S390AP_MEM_INTERNAL_H

#include <stdint.h>

#include "s390ap/storage.h"

typedef void (*ap_mem_write_hook)(void *ctx, uint64_t addr, uint64_t len);

/* The bytes, writable: only for the library's own code, which calls the
 * hook's owner (cpu_code_written) itself. */
uint8_t *ap_mem_bytes(s390ap_mem *mem);
/* Called after every write through s390ap_mem_write or the callbacks of
 * s390ap_mem_storage; NULL to remove. */
void ap_mem_set_write_hook(s390ap_mem *mem, ap_mem_write_hook fn, void *ctx);

#endif
