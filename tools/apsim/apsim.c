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

/* Options are spelt out exactly: no abbreviations, no "--opt=value", no
 * bundled or attached short options. */
static bool exact(const char *arg)
{
	static const char *const spelt[] = { "-h", "--help", "--version", "--show-default",
					     "--check", "--trace", "--stats", "--json", "-I", NULL };

	for (int k = 0; spelt[k]; k++)
		if (!strcmp(arg, spelt[k]))
			return true;
	return false;
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ "show-default", no_argument, NULL, 'D' },
		{ "check", no_argument, NULL, 'c' },
		{ "trace", no_argument, NULL, 't' },
		{ "stats", no_argument, NULL, 's' },
		{ "json", no_argument, NULL, 'j' },
		{ NULL, 0, NULL, 0 },
	};
	apsim_opts o = { .out = stdout, .err = stderr };
	/* -I directories from the front, scenario files from the back */
	const char **list = malloc((size_t)argc * sizeof(*list));
	apsim_json json;
	bool want_json = false, stdin_used = false;
	int nfiles = 0, status = APSIM_EXIT_OK, c, prev;

	if (!list) {
		fprintf(stderr, "apsim: out of memory\n");
		return APSIM_EXIT_ERROR;
	}
	opterr = 0;
	/* "-": files come in order with the options (code 1) */
	while (prev = optind, (c = getopt_long(argc, argv, "-hI:", longopts, NULL)) != -1) {
		const char *arg = argv[prev];

		if (c == 1 || (c != '?' && optind > prev && !exact(arg))) {
			if (c != 1)
				c = '?';
			else if (!strcmp(arg, "-") && stdin_used)
				c = '2';
			else
				stdin_used |= !strcmp(arg, "-");
		}
		if (c == 'I' && !optarg[0])
			c = ':';
		if (c == '?' && !strcmp(arg, "-I"))
			c = ':';
		switch (c) {
		case 1:
			list[argc - 1 - nfiles++] = arg;
			break;
		case 'I':
			list[o.nsearch++] = optarg;
			break;
		case 'c':
			o.check_only = true;
			break;
		case 't':
			o.trace = true;
			break;
		case 's':
			o.stats = true;
			break;
		case 'j':
			want_json = true;
			break;
		case 'h':
			usage(stdout);
			goto done;
		case 'V':
			printf("apsim (s390ap) %s\n", s390ap_version());
			goto done;
		case 'D':
			fputs(apsim_default_scenario, stdout);
			goto done;
		case '2':
			fprintf(stderr, "apsim: '-' (standard input) given twice\n");
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
		if (!strcmp(argv[optind], "-") && stdin_used) {
			fprintf(stderr, "apsim: '-' (standard input) given twice\n");
			status = APSIM_EXIT_ERROR;
			goto done;
		}
		stdin_used |= !strcmp(argv[optind], "-");
		list[argc - 1 - nfiles++] = argv[optind];
	}
	o.search = list;

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
	if (nfiles == 0)
		status = apsim_scenario_run(&o, "<default>", NULL, apsim_default_scenario,
					    strlen(apsim_default_scenario));
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
	free(list);
	return status;
}
