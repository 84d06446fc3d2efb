/* apsim: the s390ap command-line simulator.  It runs scenarios (the language
 * is in docs/scenario.md); with no scenario it runs the built-in tour. */
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
		"  --check         parse the scenarios and report errors; run nothing\n"
		"  --show-default  print the built-in default scenario and exit\n"
		"  --version       print the version and exit\n"
		"  -h, --help      print this help and exit\n"
		"\n"
		"exit status: 0 every expectation held, 1 an expectation failed,\n"
		"2 usage or scenario error (reported as file:line:column).\n"
		"The scenario language: docs/scenario.md.\n");
}

/* The directory part of a path ("." for none); caller frees. */
static char *dir_of(const char *path)
{
	const char *slash = strrchr(path, '/');
	size_t n;
	char *d;

	if (!slash)
		n = 0;
	else if (slash == path)
		n = 1;
	else
		n = (size_t)(slash - path);
	d = malloc(n + 2);
	if (!d)
		return NULL;
	if (n == 0)
		strcpy(d, ".");
	else {
		memcpy(d, path, n);
		d[n] = '\0';
	}
	return d;
}

static int run_file(const apsim_opts *o, const char *path)
{
	char err[600];
	char *text, *dir;
	size_t len;
	int status;

	if (apsim_read_file(path, &text, &len, err, sizeof(err)) < 0) {
		fprintf(o->err, "apsim: %s\n", err);
		if (o->json) {
			apsim_json_object_begin(o->json);
			apsim_json_kv_string(o->json, "file", strcmp(path, "-") ? path : "<stdin>");
			apsim_json_kv_string(o->json, "status", "error");
			apsim_json_kv_u64(o->json, "exit", APSIM_EXIT_ERROR);
			apsim_json_key(o->json, "error");
			apsim_json_object_begin(o->json);
			apsim_json_kv_string(o->json, "message", err);
			apsim_json_object_end(o->json);
			apsim_json_object_end(o->json);
		}
		return APSIM_EXIT_ERROR;
	}
	if (strcmp(path, "-") == 0) {
		status = apsim_scenario_run(o, "<stdin>", NULL, text, len);
	} else {
		dir = dir_of(path);
		if (!dir) {
			free(text);
			fprintf(o->err, "apsim: out of memory\n");
			return APSIM_EXIT_ERROR;
		}
		status = apsim_scenario_run(o, path, dir, text, len);
		free(dir);
	}
	free(text);
	return status;
}

int main(int argc, char **argv)
{
	apsim_opts o = { .out = stdout, .err = stderr };
	const char **search = NULL;
	apsim_json json;
	bool want_json = false, options_done = false, stdin_used = false;
	int nfiles = 0, status = APSIM_EXIT_OK;

	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];

		if (options_done || a[0] != '-' || strcmp(a, "-") == 0) {
			if (strcmp(a, "-") == 0) {
				if (stdin_used) {
					fprintf(stderr, "apsim: '-' (standard input) given twice\n");
					free(search);
					return APSIM_EXIT_ERROR;
				}
				stdin_used = true;
			}
			nfiles++;
			continue;
		}
		if (!strcmp(a, "--")) {
			options_done = true;
		} else if (!strcmp(a, "-I")) {
			if (i + 1 >= argc || argv[i + 1][0] == '\0') {
				fprintf(stderr, "apsim: -I needs a directory\n");
				free(search);
				return APSIM_EXIT_ERROR;
			}
			if (!search) {
				search = malloc((size_t)argc * sizeof(*search));
				if (!search) {
					fprintf(stderr, "apsim: out of memory\n");
					return APSIM_EXIT_ERROR;
				}
			}
			search[o.nsearch++] = argv[++i];
		} else if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
			usage(stdout);
			free(search);
			return APSIM_EXIT_OK;
		} else if (!strcmp(a, "--version")) {
			printf("apsim (s390ap) %s\n", s390ap_version());
			free(search);
			return APSIM_EXIT_OK;
		} else if (!strcmp(a, "--show-default")) {
			fputs(apsim_default_scenario, stdout);
			free(search);
			return APSIM_EXIT_OK;
		} else if (!strcmp(a, "--check")) {
			o.check_only = true;
		} else if (!strcmp(a, "--trace")) {
			o.trace = true;
		} else if (!strcmp(a, "--stats")) {
			o.stats = true;
		} else if (!strcmp(a, "--json")) {
			want_json = true;
		} else {
			fprintf(stderr, "apsim: unknown option '%s'\n\n", a);
			usage(stderr);
			free(search);
			return APSIM_EXIT_ERROR;
		}
	}
	o.search = search;

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
		status = apsim_scenario_run(&o, "<default>", NULL, apsim_default_scenario,
					    strlen(apsim_default_scenario));
	} else {
		options_done = false;
		for (int i = 1; i < argc; i++) {
			const char *a = argv[i];
			int s;

			if (!options_done && !strcmp(a, "--")) {
				options_done = true;
				continue;
			}
			if (!options_done && !strcmp(a, "-I")) {
				i++; /* and its directory */
				continue;
			}
			if (!options_done && a[0] == '-' && strcmp(a, "-") != 0)
				continue;
			s = run_file(&o, a);
			if (s > status)
				status = s;
		}
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
	free(search);
	if (fflush(stdout) != 0 || ferror(stdout)) {
		fprintf(stderr, "apsim: cannot write the output\n");
		return APSIM_EXIT_ERROR;
	}
	return status;
}
