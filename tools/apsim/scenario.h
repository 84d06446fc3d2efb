/* SPDX-License-Identifier: MIT */
/* apsim scenarios: run one scenario text against a fresh system.
 *
 * A scenario is parsed completely first (any syntax error stops it before
 * anything runs), then executed command by command.  docs/scenario.md
 * describes the language.
 */
#ifndef APSIM_SCENARIO_H
#define APSIM_SCENARIO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "json.h"

/* Exit statuses (also the result of apsim_scenario_run). */
enum {
	APSIM_EXIT_OK = 0,     /* every expectation held */
	APSIM_EXIT_FAILED = 1, /* an expectation failed */
	APSIM_EXIT_ERROR = 2   /* usage or scenario error */
};

/* Largest scenario file, program image or ELF file apsim reads. */
#define APSIM_MAX_FILE (64u << 20)

typedef struct apsim_opts {
	bool trace;                /* one line per instruction */
	bool stats;                /* statistics after each scenario */
	FILE *out;                 /* listings, echo, trace, statistics */
	FILE *err;                 /* scenario errors and failed expectations */
	apsim_json *json;          /* when set, each scenario adds one result object */
	const char *const *search; /* more directories for relative paths (-I) */
	size_t nsearch;
	bool check_only; /* parse, report errors, run nothing (--check) */
	/* --machine FILE: machine statements (docs/machine-files.md) read
	 * before each scenario's, named machine_name in messages */
	const char *machine_name;
	const char *machine_text;
	size_t machine_len;
	/* Caps for running untrusted scenarios (the fuzz test); 0 = none. */
	uint64_t cap_insns;  /* instructions per run command */
	uint64_t cap_cycles; /* cycles per run command */
	uint64_t cap_memory; /* main storage bytes */
	unsigned cap_cpus;   /* vCPUs */
} apsim_opts;

/* Run one scenario.  `name` is shown in messages (file:line:col), `dir` is
 * the directory relative paths in the scenario are resolved against (NULL =
 * the current directory).  `text` need not be NUL-terminated.  Returns an
 * APSIM_EXIT_* status. */
int apsim_scenario_run(const apsim_opts *opts, const char *name, const char *dir, const char *text,
		       size_t len);

/* Read a whole file (or stdin for "-") into a fresh buffer, refusing files
 * over APSIM_MAX_FILE.  Returns 0, or -1 with a message in errbuf. */
int apsim_read_file(const char *path, char **data, size_t *len, char *errbuf, size_t errsize);

#endif
