/* SPDX-License-Identifier: MIT */
/* apsim's built-in material: the default scenario and the program images
 * `load builtin NAME` can load. */
#ifndef APSIM_BUILTIN_H
#define APSIM_BUILTIN_H

#include <stddef.h>
#include <stdint.h>

struct apsim_builtin {
	const char *name;
	uint64_t addr;  /* load address */
	uint64_t entry; /* start address */
	const uint8_t *bytes;
	size_t len;
};

/* The image named `name`, or NULL. */
const struct apsim_builtin *apsim_builtin_find(const char *name);
/* "tour, rsa, probe, hyp" (a comma-separated list of the names, for messages). */
const char *apsim_builtin_names(void);

/* The scenario `apsim` runs without arguments, in a fresh buffer (free
 * it), or NULL without memory; *len (may be NULL) gets its length. */
char *apsim_default_scenario(size_t *len);

#endif
