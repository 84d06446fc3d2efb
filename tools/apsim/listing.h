/* SPDX-License-Identifier: MIT */
/* apsim listings, built only from the public API: the lszcrypt-like
 * configuration table, one queue, storage dumps, vCPU registers. */
#ifndef APSIM_LISTING_H
#define APSIM_LISTING_H

#include <stdint.h>
#include <stdio.h>

#include "s390ap/s390ap.h"

/* One line per adapter, then one per queue (CARD.DOM, TYPE, MODE, STATUS,
 * REQUESTS, PENDING, DEPTH, STATE), in the style of lszcrypt.  With a
 * matrix (may be NULL) a DRIVER column too, and a queue bound to vfio_ap
 * shows its use as STATUS (unassigned, assigned, in use). */
void apsim_list_config(FILE *out, const s390ap_machine *m, const s390ap_matrix *mx);

/* s390ap_machine_list's listing of the machine (listing.h). */
void apsim_list_machine(FILE *out, const s390ap_machine *m, s390ap_list_kind kind);

/* Everything s390ap_queue_info_get says about one queue. */
void apsim_list_queue(FILE *out, const s390ap_machine *m, uint16_t apqn);

/* "E R F I A rc=0x10" decoding of a status word. */
const char *apsim_sw_text(uint32_t sw, char *buf, size_t size);

/* Hex dump, 16 bytes a line, addresses from `addr`. */
void apsim_hexdump(FILE *out, uint64_t addr, const uint8_t *data, size_t len);

/* State, PSW and the 16 general registers of one vCPU; with guest (a
 * vCPU of VM vm running on it), the guest's PSW and registers. */
void apsim_list_cpu(FILE *out, s390ap_cpu *cpu, s390ap_vcpu *guest, const char *vm);

/* "running", "halted", "wait", "stopped", "checkstop": by state, then NULL. */
extern const char *const apsim_state_names[];
const char *apsim_state_name(s390ap_cpu_state st);

#endif
