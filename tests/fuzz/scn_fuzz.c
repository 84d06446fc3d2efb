/* SPDX-License-Identifier: MIT */
/* Fuzz the apsim scenario language.
 *
 *   scn_fuzz [-n ITERATIONS] [-s SEED] [-I DIR] [-v] SCENARIO...
 *
 * Mutates the given scenarios and the built-in default (truncation, random
 * bytes including NUL and non-ASCII, dropped, doubled and spliced lines,
 * tokens swapped for keywords, extreme numbers and odd words) and feeds
 * every mutant to the scenario engine in-process: all of them parse-only,
 * every eighth one also executed with caps on instructions, cycles, storage
 * and vCPUs so that no mutant runs long.  Deterministic for a given seed.
 * It passes when it finishes: a crash, a sanitizer report or a hang is the
 * failure.  -v shows every mutant and what apsim said.  Exit 0, or 2 on a
 * usage error.
 *
 * Before the mutants it replays the regression inputs below, each in a
 * buffer of exactly its own size with no NUL after it (apsim_scenario_run
 * takes text that need not be terminated), so a read past the end shows
 * under valgrind and ASan; each must end with the status it names.
 */
#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "builtin.h"
#include "scenario.h"
#include "util/array.h"

/* Inputs that once misbehaved, with the status apsim must give them. */
static const struct regression {
	const char *why;
	const char *text;
	int status;
} regressions[] = {
	/* a name of 33..39 bytes at the very end of the text: the "too long"
	 * message printed it with %.40s, past the end of the buffer */
	{ "long name at the end of an unterminated text",
	  "let abcdefghijklmnopqrstuvwxyz0123456789", APSIM_EXIT_ERROR },
	{ "long name (33 bytes) at the end", "let a12345678901234567890123456789012",
	  APSIM_EXIT_ERROR },
};

/* Replay each regression input from an exact-size copy. */
static int replay_regressions(const apsim_opts *o)
{
	for (size_t i = 0; i < ARRAY_SIZE(regressions); i++) {
		size_t n = strlen(regressions[i].text);
		char *exact = malloc(n ? n : 1);
		int status;

		if (!exact)
			return -1;
		memcpy(exact, regressions[i].text, n);
		status = apsim_scenario_run(o, "regression.scn", ".", exact, n);
		free(exact);
		if (status != regressions[i].status) {
			fprintf(stderr, "scn_fuzz: regression %zu (%s): status %d, want %d\n", i,
				regressions[i].why, status, regressions[i].status);
			return -1;
		}
	}
	return 0;
}

static uint64_t rng_state;

static uint64_t rnd(void)
{
	/* xorshift64* */
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 0x2545F4914F6CDD1Dull;
}

static size_t pick(size_t n)
{
	return n ? (size_t)(rnd() % n) : 0;
}

/* Words a mutant may gain: commands, sub-words, numbers at the edges of
 * every range, and things that are almost right. */
/* clang-format off */
static const char *const vocab[] = {
	"machine", "default", "empty", "facilities", "all", "none", "+APXA", "-APXA", "APSB",
	"na", "nd", "reset-cycles", "irq-cycles", "assoc-cycles", "cpu-determined", "unlimited",
	"adapter", "type", "mode", "CEX4", "CEX8", "accel", "cca", "ep11", "domains", "ml",
	"depth", "latency", "fac", "domain", "usage", "control", "memory", "cpus", "quantum",
	"cost", "simple", "diag", "load", "elf", "raw", "builtin", "tour", "at", "store", "start",
	"cpu", "set", "gr", "cr", "psw", "prefix", "resume", "run", "until", "halt", "cycle",
	"limit", "inject", "now", "checkstop", "off", "deconfigure", "configure", "busy",
	"delay-reply", "lose-reply", "fail-assoc", "remove", "add", "echo", "print", "config",
	"regs", "sw", "storage", "queue", "stats", "expect", "cc", "addr", "mask", "requests",
	"replies", "irq", "reset", "irq-count", "irq-pending", "state", "halted", "wait",
	"exit", "pgm-count", "rc-count", "insn-count", "PQAP", "stat", "clock", "file",
	"tapq.elf", "tapq.bin", "nqdq.elf", "irq.elf", "/", "..", "-", "==", "!=", "<", "<=",
	">", ">=", "&", "0", "1", "15", "16", "255", "256", "0x", "0x0", "0xff", "0x100",
	"0xffffffffffffffff", "18446744073709551615", "18446744073709551616",
	"99999999999999999999999", "-1", "4G", "64K", "1M", "0x7fffffff", "03.0006",
	"ff.00ff", "03.0100", "3.6", ".", "03.", ".0006", "00", "0", "5a5a", "abc",
	"\"str\"", "\"\\q\"", "\"open", "#", "\"a # b\"",
	/* numbers, messages and replies (cmd_msg.c, reply.c) */
	"let", "=", "n", "m", "len", "request", "type50", "me", "crt", "cca", "rl", "pk", "pd",
	"modulus", "exponent", "message", "p", "q", "dp", "dq", "u", "block", "meb1", "meb3",
	"crb2", "length", "count", "rule", "odd", "reply", "result", "code", "rc", "rs",
	"data-length", "modexp", "rsa", "rsa.elf", "65537", "0x10001", "0x0000000000000000001",
	/* one word of 131 characters, split over two lines */
	("0xfffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff"
	 "ffffffffffffffffffffffffffffffffffffffffffffffffff"),
};
/* clang-format on */

struct buf {
	char *p;
	size_t n, cap;
};

static void need(struct buf *b, size_t more)
{
	if (b->n + more <= b->cap)
		return;
	while (b->n + more > b->cap)
		b->cap = b->cap ? b->cap * 2 : 4096;
	b->p = realloc(b->p, b->cap);
	if (!b->p) {
		fprintf(stderr, "scn_fuzz: out of memory\n");
		exit(2);
	}
}

static void put(struct buf *b, const char *s, size_t n)
{
	if (n == 0)
		return;
	need(b, n);
	memcpy(b->p + b->n, s, n);
	b->n += n;
}

/* Start (and length, with its newline) of line k of t, or false. */
static bool line_at(const char *t, size_t n, size_t k, size_t *start, size_t *len)
{
	size_t i = 0;

	for (size_t l = 0; l < k; l++) {
		const char *nl = memchr(t + i, '\n', n - i);
		if (!nl)
			return false;
		i = (size_t)(nl - t) + 1;
	}
	if (i >= n)
		return false;
	*start = i;
	{
		const char *nl = memchr(t + i, '\n', n - i);
		*len = nl ? (size_t)(nl - (t + i)) + 1 : n - i;
	}
	return true;
}

static size_t count_lines(const char *t, size_t n)
{
	size_t c = 1;

	for (size_t i = 0; i < n; i++)
		c += t[i] == '\n';
	return c;
}

struct corpus {
	char **text;
	size_t *len;
	size_t n;
};

/* One mutation of `in` into `out`.  Mild mutations keep lines whole (drop,
 * double, splice, swap a word), so that more mutants get past the parser
 * and run. */
static void mutate(const struct corpus *cp, const struct buf *in, struct buf *out, bool mild)
{
	static const int mild_kinds[] = { 3, 4, 5, 7, 8 };
	size_t s, l, at = pick(in->n + 1), nl = count_lines(in->p, in->n);
	int kind = mild ? mild_kinds[pick(5)] : (int)pick(9);

	out->n = 0;
	if (mild && (kind == 5 || kind >= 7)) {
		/* at a line start, so a spliced line stays a line */
		while (at > 0 && in->p[at - 1] != '\n')
			at--;
	}
	switch (kind) {
	case 0: /* truncate */
		put(out, in->p, at);
		break;
	case 1: /* replace a byte by any byte */
		put(out, in->p, in->n);
		if (out->n)
			out->p[pick(out->n)] = (char)(rnd() & 0xff);
		break;
	case 2: /* insert a byte (NUL, control, high, quote, hash ...) */
		put(out, in->p, at);
		{
			static const char odd[] = { '\0',   '\r',   '\t',   '"', '#', '\\',
						    '\x7f', '\xc3', '\xff', '&', '.', 'x' };
			char ch = (rnd() & 1) ? odd[pick(sizeof(odd))] : (char)(rnd() & 0xff);
			put(out, &ch, 1);
		}
		put(out, in->p + at, in->n - at);
		break;
	case 3: /* drop a line */
		if (line_at(in->p, in->n, pick(nl), &s, &l)) {
			put(out, in->p, s);
			put(out, in->p + s + l, in->n - s - l);
		} else {
			put(out, in->p, in->n);
		}
		break;
	case 4: /* double a line somewhere else */
		put(out, in->p, in->n);
		if (line_at(in->p, in->n, pick(nl), &s, &l)) {
			struct buf tmp = { 0 };
			size_t to = pick(out->n + 1);

			put(&tmp, out->p, to);
			put(&tmp, "\n", 1);
			put(&tmp, in->p + s, l);
			put(&tmp, out->p + to, out->n - to);
			free(out->p);
			*out = tmp;
		}
		break;
	case 5: /* a line from another scenario */
		put(out, in->p, at);
		{
			size_t f = pick(cp->n);
			size_t k = pick(count_lines(cp->text[f], cp->len[f]));

			put(out, "\n", 1);
			if (line_at(cp->text[f], cp->len[f], k, &s, &l))
				put(out, cp->text[f] + s, l);
		}
		put(out, in->p + at, in->n - at);
		break;
	case 6: /* a line of random words */
		put(out, in->p, at);
		put(out, "\n", 1);
		for (size_t w = 0, nw = 1 + pick(8); w < nw; w++) {
			const char *v = vocab[pick(ARRAY_SIZE(vocab))];
			put(out, v, strlen(v));
			put(out, " ", 1);
		}
		put(out, "\n", 1);
		put(out, in->p + at, in->n - at);
		break;
	default: { /* swap a word for a vocabulary word */
		size_t a = at, b;
		const char *v = vocab[pick(ARRAY_SIZE(vocab))];

		while (a > 0 && in->p[a - 1] != ' ' && in->p[a - 1] != '\n')
			a--;
		b = a;
		while (b < in->n && in->p[b] != ' ' && in->p[b] != '\n')
			b++;
		put(out, in->p, a);
		put(out, v, strlen(v));
		put(out, in->p + b, in->n - b);
		break;
	}
	}
}

static int read_all(const char *path, char **data, size_t *len)
{
	char err[600];

	if (apsim_read_file(path, data, len, err, sizeof(err)) < 0) {
		fprintf(stderr, "scn_fuzz: %s\n", err);
		return -1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	unsigned long iterations = 3000;
	uint64_t seed = 0x5339304150ull; /* "S390AP" */
	const char *search[1] = { NULL };
	struct corpus cp = { 0 };
	struct buf cur = { 0 }, next = { 0 };
	apsim_opts o = { 0 };
	unsigned long counts[3] = { 0 }, ran_ok = 0;
	FILE *sink;
	bool verbose = false;

	cp.text = calloc((size_t)argc + 1, sizeof(*cp.text));
	cp.len = calloc((size_t)argc + 1, sizeof(*cp.len));
	if (!cp.text || !cp.len)
		return 2;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "-n") && i + 1 < argc) {
			iterations = strtoul(argv[++i], NULL, 0);
		} else if (!strcmp(argv[i], "-s") && i + 1 < argc) {
			seed = strtoull(argv[++i], NULL, 0);
		} else if (!strcmp(argv[i], "-I") && i + 1 < argc) {
			search[0] = argv[++i];
		} else if (!strcmp(argv[i], "-v")) {
			verbose = true;
		} else if (argv[i][0] == '-') {
			fprintf(stderr, "usage: scn_fuzz [-n ITERATIONS] [-s SEED] [-I DIR] [-v] "
					"SCENARIO...\n");
			return 2;
		} else {
			if (read_all(argv[i], &cp.text[cp.n], &cp.len[cp.n]) < 0)
				return 2;
			cp.n++;
		}
	}
	cp.text[cp.n] = apsim_default_scenario(&cp.len[cp.n]);
	if (!cp.text[cp.n])
		return 2;
	cp.n++;

	sink = verbose ? stdout : fopen("/dev/null", "w");
	if (!sink)
		sink = tmpfile();
	if (!sink)
		return 2;
	o.out = sink;
	o.err = sink;
	o.search = search;
	o.nsearch = search[0] ? 1 : 0;
	o.cap_insns = 20000;
	o.cap_cycles = 2000000;
	o.cap_memory = 1u << 20;
	o.cap_cpus = 4;
	rng_state = seed ? seed : 1;
	if (replay_regressions(&o) < 0) /* parsed and run: o.check_only is false */
		return 1;

	for (unsigned long it = 0; it < iterations; it++) {
		size_t f = pick(cp.n);
		int status;

		bool run = it % 8 == 0;

		cur.n = 0;
		put(&cur, cp.text[f], cp.len[f]);
		for (size_t m = 0, nm = run ? 1 : 1 + pick(4); m < nm; m++) {
			mutate(&cp, &cur, &next, run);
			{
				struct buf t = cur;
				cur = next;
				next = t;
			}
		}
		o.check_only = !run;
		if (verbose) {
			printf("==== mutant %lu (%s)\n", it, o.check_only ? "parse only" : "run");
			fwrite(cur.p ? cur.p : "", 1, cur.n, stdout);
			printf("\n==== apsim:\n");
		}
		status = apsim_scenario_run(&o, "fuzz.scn", ".", cur.p ? cur.p : "", cur.n);
		if (status < 0 || status > 2) {
			fprintf(stderr, "scn_fuzz: iteration %lu: status %d\n", it, status);
			return 1;
		}
		counts[status]++;
		ran_ok += run && status != APSIM_EXIT_ERROR;
	}
	printf("scn_fuzz: %lu mutants (seed 0x%" PRIx64 "): %lu ok, %lu failed expectations, "
	       "%lu scenario errors; %lu ran to the end\n",
	       iterations, seed, counts[0], counts[1], counts[2], ran_ok);

	if (sink != stdout)
		fclose(sink);
	for (size_t k = 0; k < cp.n; k++)
		free(cp.text[k]);
	free(cp.text);
	free(cp.len);
	free(cur.p);
	free(next.p);
	return 0;
}
