/* apsim listings: the lszcrypt-like configuration table. */
#ifndef APSIM_LISTING_H
#define APSIM_LISTING_H

#include <stdio.h>

#include "s390ap/s390ap.h"

/* One line per adapter, then one per queue (CARD.DOM, TYPE, MODE, STATUS,
 * REQUESTS), in the style of lszcrypt. */
void apsim_list_config(FILE *out, const s390ap_machine *m);

/* "E R F I A rc=0x10" decoding of a status word. */
const char *apsim_sw_text(uint32_t sw, char *buf, size_t size);

#endif
