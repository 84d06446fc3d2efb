/* SPDX-License-Identifier: MIT */
/* apsim: the s390ap command-line simulator.  It runs scenarios (the language
 * is in docs/scenario.md); with no scenario it runs the built-in tour. */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "builtin.h"
#include "s390ap/s390ap.h"
#include "scenario.h"

static void usage(FILE *out)
{
	fprintf(out,
		"usage: apsim [options] [SCENARIO...]\n"
		"\n"
		"Runs each scenario file (\"-\" reads standard input) against a fresh\n"
		"system: the AP machine, main storage and vCPUs running real s390x code.\n"
		"Without a scenario, runs the built-in tour of the default machine:\n"
		"its lszcrypt-like table, then a program doing QCI, TAPQ, RAPQ, AQIC,\n"
		"NQAP and DQAP on queue 03.0006 and taking an adapter interruption.\n"
		"\n"
		"options:\n"
		"  --trace         one line per instruction: cycle cpu psw-addr insn mnemonic\n"
		"  --stats         statistics after each scenario\n"
		"  --json          results and statistics as one JSON object on stdout\n"
		"                  (listings and traces then go to stderr)\n"
		"  -I DIR          look for relative files (load, expect storage ... file)\n"
		"                  in DIR after the scenario's directory; repeatable\n"
		"  --machine FILE  read the machine statements of FILE (a machine\n"
		"                  description, docs/machine-files.md) before each scenario\n"
		"  --check         parse the scenarios and report errors; run nothing\n"
		"  --show-default  print the built-in default scenario and exit\n"
		"  --version       print the version and exit\n"
		"  -h, --help      print this help and exit\n"
		"\n"
		"exit status: 0 every expectation held, 1 an expectation failed,\n"
		"2 usage or scenario error (reported as file:line:column).\n"
		"The scenario language: docs/scenario.md.\n");
}

static int run_file(const apsim_opts *o, const char *path)
{
	bool is_stdin = strcmp(path, "-") == 0;
	const char *slash = strrchr(path, '/');
	/* the directory part: "." for none, "/" at the root */
	size_t n = !slash ? 0 : slash == path ? 1 : (size_t)(slash - path);
	char err[600], *text, *dir = malloc(n + 2);
	size_t len;
	int status = APSIM_EXIT_ERROR;

	if (!dir) {
		fprintf(o->err, "apsim: out of memory\n");
		return status;
	}
	snprintf(dir, n + 2, "%.*s", n ? (int)n : 1, n ? path : ".");
	if (apsim_read_file(path, &text, &len, err, sizeof(err)) < 0) {
		fprintf(o->err, "apsim: %s\n", err);
		if (o->json) {
			apsim_json_object_begin(o->json);
			apsim_json_kv_string(o->json, "file", is_stdin ? "<stdin>" : path);
			apsim_json_kv_string(o->json, "status", "error");
			apsim_json_kv_u64(o->json, "exit", APSIM_EXIT_ERROR);
			apsim_json_key(o->json, "error");
			apsim_json_object_begin(o->json);
			apsim_json_kv_string(o->json, "message", err);
			apsim_json_object_end(o->json);
			apsim_json_object_end(o->json);
		}
	} else {
		status = apsim_scenario_run(o, is_stdin ? "<stdin>" : path, is_stdin ? NULL : dir,
					    text, len);
		free(text);
	}
	free(dir);
	return status;
}

/* Options are spelt out exactly: no abbreviations, no "--opt=value", no
 * bundled or attached short options. */
static bool exact(const char *arg, const struct option *longopts)
{
	if (!strcmp(arg, "-h") || !strcmp(arg, "-I"))
		return true;
	for (const struct option *o = longopts; o->name; o++)
		if (!strncmp(arg, "--", 2) && !strcmp(arg + 2, o->name))
			return true;
	return false;
}

int main(int argc, char **argv)
{
	int check = 0, trace = 0, stats = 0, want_json = 0;
	/* the switches set their flag (getopt_long returns 0) */
	/* clang-format off */
	const struct option longopts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ "show-default", no_argument, NULL, 'D' },
		{ "machine", required_argument, NULL, 'M' },
		{ "check", no_argument, &check, 1 },
		{ "trace", no_argument, &trace, 1 },
		{ "stats", no_argument, &stats, 1 },
		{ "json", no_argument, &want_json, 1 },
		{ NULL, 0, NULL, 0 },
	};
	/* clang-format on */
	apsim_opts o = { .out = stdout, .err = stderr };
	/* -I directories from the front, scenario files from the back */
	const char **list = malloc((size_t)argc * sizeof(*list));
	apsim_json json;
	int nfiles = 0, stdin_used = 0, status = APSIM_EXIT_OK, c, prev;
	char *machine = NULL;

	if (!list) {
		fprintf(stderr, "apsim: out of memory\n");
		return APSIM_EXIT_ERROR;
	}
	opterr = 0;
	/* "-": files come in order with the options (code 1) */
	while (prev = optind, (c = getopt_long(argc, argv, "-hI:", longopts, NULL)) != -1) {
		const char *arg = argv[prev];

		if (c != 1 && c != '?' && (optind == prev || !exact(arg, longopts)))
			c = '?'; /* abbreviated, bundled or attached */
		if ((c == '?' && !strcmp(arg, "-I")) || (c == 'I' && !optarg[0]))
			c = ':';
		if ((c == '?' && !strcmp(arg, "--machine")) || (c == 'M' && !optarg[0]))
			c = 'm';
		if (c == 'M' && !strcmp(optarg, "-") && stdin_used++)
			c = '2';
		if (c == 1 && !strcmp(arg, "-") && stdin_used++)
			c = '2';
		switch (c) {
		case 1:
			list[argc - 1 - nfiles++] = arg;
			break;
		case 'I':
			list[o.nsearch++] = optarg;
			break;
		case 'M': {
			char err[600];

			if (machine) {
				fprintf(stderr, "apsim: --machine given twice\n");
				status = APSIM_EXIT_ERROR;
				goto done;
			}
			if (apsim_read_file(optarg, &machine, &o.machine_len, err, sizeof(err)) <
			    0) {
				fprintf(stderr, "apsim: %s\n", err);
				status = APSIM_EXIT_ERROR;
				goto done;
			}
			o.machine_text = machine;
			o.machine_name = strcmp(optarg, "-") ? optarg : "<stdin>";
			break;
		}
		case 0:
			break;
		case 'h':
			usage(stdout);
			goto done;
		case 'V':
			printf("apsim (s390ap) %s\n", s390ap_version());
			goto done;
		case 'D': {
			char *text = apsim_default_scenario(NULL);

			if (!text) {
				fprintf(stderr, "apsim: out of memory\n");
				status = APSIM_EXIT_ERROR;
				goto done;
			}
			fputs(text, stdout);
			free(text);
			goto done;
		}
		case '2':
			fprintf(stderr, "apsim: '-' (standard input) given twice\n");
			status = APSIM_EXIT_ERROR;
			goto done;
		case 'm':
			fprintf(stderr, "apsim: --machine needs a file\n");
			status = APSIM_EXIT_ERROR;
			goto done;
		case ':':
			fprintf(stderr, "apsim: -I needs a directory\n");
			status = APSIM_EXIT_ERROR;
			goto done;
		default:
			fprintf(stderr, "apsim: unknown option '%s'\n\n", arg);
			usage(stderr);
			status = APSIM_EXIT_ERROR;
			goto done;
		}
	}
	for (; optind < argc; optind++) { /* after "--" */
		if (!strcmp(argv[optind], "-") && stdin_used++) {
			fprintf(stderr, "apsim: '-' (standard input) given twice\n");
			status = APSIM_EXIT_ERROR;
			goto done;
		}
		list[argc - 1 - nfiles++] = argv[optind];
	}
	o.search = list;
	o.check_only = check;
	o.trace = trace;
	o.stats = stats;

	if (want_json) {
		/* stdout carries the JSON document only. */
		o.out = stderr;
		apsim_json_init(&json, stdout);
		o.json = &json;
		apsim_json_object_begin(&json);
		apsim_json_kv_string(&json, "apsim", s390ap_version());
		apsim_json_key(&json, "scenarios");
		apsim_json_array_begin(&json);
	}
	if (nfiles == 0) {
		size_t len;
		char *text = apsim_default_scenario(&len);

		if (!text) {
			fprintf(stderr, "apsim: out of memory\n");
			status = APSIM_EXIT_ERROR;
		} else {
			status = apsim_scenario_run(&o, "<default>", NULL, text, len);
			free(text);
		}
	}
	for (int k = 0; k < nfiles; k++) {
		int s = run_file(&o, list[argc - 1 - k]);

		if (s > status)
			status = s;
	}
	if (want_json) {
		apsim_json_array_end(&json);
		apsim_json_kv_u64(&json, "exit", (uint64_t)status);
		apsim_json_object_end(&json);
		if (!apsim_json_finish(&json)) {
			fprintf(stderr, "apsim: internal error: malformed JSON\n");
			status = APSIM_EXIT_ERROR;
		}
	}
	if (fflush(stdout) != 0 || ferror(stdout)) {
		fprintf(stderr, "apsim: cannot write the output\n");
		status = APSIM_EXIT_ERROR;
	}
done:
	free(machine);
	free(list);
	return status;
}
