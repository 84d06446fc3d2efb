/* SPDX-License-Identifier: MIT */
/* Replay driver for the fuzz targets, for builds without libFuzzer.
 *
 *   fuzz_<target>_replay [-v] PATH...
 *
 * Every PATH is a file or a directory (its regular files, recursively, in
 * name order).  Each file is passed once to LLVMFuzzerTestOneInput from a
 * heap buffer of exactly its size, so a read past the end shows under
 * valgrind and ASan.  A target that finds a broken invariant aborts
 * (fuzz_fail).  Exit 0 when every input ran, 2 on a usage or I/O error.
 */
#define _POSIX_C_SOURCE 200809L
#include <dirent.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fuzz.h"

/* Far above any corpus file; a guard against replaying a disk image. */
#define REPLAY_MAX_FILE (64u << 20)

struct replay {
	bool verbose;
	unsigned long inputs;
};

static int replay_file(struct replay *r, const char *path)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf = NULL;
	size_t len = 0, cap = 0;

	if (!f) {
		fprintf(stderr, "replay: %s: %s\n", path, strerror(errno));
		return -1;
	}
	for (;;) {
		if (len == cap) {
			size_t ncap = cap ? cap * 2 : 4096;
			uint8_t *nb;

			if (ncap > REPLAY_MAX_FILE + 1)
				ncap = REPLAY_MAX_FILE + 1;
			if (len == ncap) {
				fprintf(stderr, "replay: %s: larger than %u bytes\n", path,
					REPLAY_MAX_FILE);
				goto fail;
			}
			nb = realloc(buf, ncap);
			if (!nb)
				goto nomem;
			buf = nb;
			cap = ncap;
		}
		size_t got = fread(buf + len, 1, cap - len, f);

		len += got;
		if (got == 0)
			break;
	}
	if (ferror(f)) {
		fprintf(stderr, "replay: %s: read error\n", path);
		goto fail;
	}
	fclose(f);
	f = NULL;

	/* exactly len bytes: nothing after the input to read by mistake */
	uint8_t *exact = malloc(len ? len : 1);

	if (!exact)
		goto nomem;
	memcpy(exact, buf, len);
	free(buf);
	if (r->verbose)
		fprintf(stderr, "replay: %s (%zu bytes)\n", path, len);
	LLVMFuzzerTestOneInput(exact, len);
	free(exact);
	r->inputs++;
	return 0;

nomem:
	fprintf(stderr, "replay: %s: out of memory\n", path);
fail:
	if (f)
		fclose(f);
	free(buf);
	return -1;
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int replay_path(struct replay *r, const char *path, unsigned depth);

static int replay_dir(struct replay *r, const char *path, unsigned depth)
{
	DIR *d = opendir(path);
	char **names = NULL;
	size_t n = 0, cap = 0;
	int rc = 0;

	if (!d) {
		fprintf(stderr, "replay: %s: %s\n", path, strerror(errno));
		return -1;
	}
	for (struct dirent *e; (e = readdir(d)) != NULL;) {
		if (e->d_name[0] == '.')
			continue; /* ".", "..", and hidden files such as .gitkeep */
		if (n == cap) {
			size_t ncap = cap ? cap * 2 : 64;
			char **nn = realloc(names, ncap * sizeof(*names));

			if (!nn) {
				rc = -1;
				break;
			}
			names = nn;
			cap = ncap;
		}
		size_t len = strlen(path) + strlen(e->d_name) + 2;

		names[n] = malloc(len);
		if (!names[n]) {
			rc = -1;
			break;
		}
		snprintf(names[n], len, "%s/%s", path, e->d_name);
		n++;
	}
	closedir(d);
	if (rc == 0) {
		qsort(names, n, sizeof(*names), by_name);
		for (size_t i = 0; i < n && rc == 0; i++)
			rc = replay_path(r, names[i], depth + 1);
	} else {
		fprintf(stderr, "replay: %s: out of memory\n", path);
	}
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
	return rc;
}

static int replay_path(struct replay *r, const char *path, unsigned depth)
{
	struct stat st;

	if (stat(path, &st) < 0) {
		fprintf(stderr, "replay: %s: %s\n", path, strerror(errno));
		return -1;
	}
	if (S_ISDIR(st.st_mode)) {
		if (depth > 8) {
			fprintf(stderr, "replay: %s: directories nested too deeply\n", path);
			return -1;
		}
		return replay_dir(r, path, depth);
	}
	if (!S_ISREG(st.st_mode))
		return 0; /* sockets, fifos: not inputs */
	return replay_file(r, path);
}

int main(int argc, char **argv)
{
	struct replay r = { 0 };
	int first = 1;

	if (argc > 1 && strcmp(argv[1], "-v") == 0) {
		r.verbose = true;
		first = 2;
	}
	if (first >= argc) {
		fprintf(stderr, "usage: %s [-v] FILE-OR-DIRECTORY...\n", argv[0]);
		return 2;
	}
	for (int i = first; i < argc; i++)
		if (replay_path(&r, argv[i], 0) < 0)
			return 2;
	printf("replay: %lu inputs, no invariant failed\n", r.inputs);
	return 0;
}
