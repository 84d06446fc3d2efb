/* apsim: the s390ap command-line simulator.  With no arguments it runs the
 * built-in default tour of the AP model. */
#include <stdio.h>
#include <string.h>

#include "demo.h"
#include "s390ap/s390ap.h"

static void usage(FILE *out)
{
	fprintf(out,
		"usage: apsim [--help] [--version]\n"
		"\n"
		"With no arguments, apsim builds the default machine (CEX8A 03, CEX8C 04,\n"
		"CEX7P 05; usage domains 6, 7, 0x47), prints its AP configuration and runs\n"
		"a short TAPQ / RAPQ / AQIC / NQAP / DQAP tour on queue 03.0006.\n"
		"Exit status: 0 every step gave the architected result, 1 one did not,\n"
		"2 usage error.\n");
}

int main(int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			usage(stdout);
			return 0;
		}
		if (!strcmp(argv[i], "--version")) {
			printf("apsim (s390ap) %s\n", s390ap_version());
			return 0;
		}
		fprintf(stderr, "apsim: unknown argument '%s'\n", argv[i]);
		usage(stderr);
		return 2;
	}
	return apsim_demo(stdout);
}
