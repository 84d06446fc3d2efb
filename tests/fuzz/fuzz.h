/* SPDX-License-Identifier: MIT */
/* Shared by the fuzz targets in tests/fuzz/.
 *
 * Each target defines LLVMFuzzerTestOneInput.  Built with clang and
 * -fsanitize=fuzzer it is a libFuzzer program (scripts/fuzz.sh); built with
 * any compiler and replay.c it replays corpus files and directories, which is
 * how the seed and regression corpora run in the normal test suite.
 *
 * A target reports an invariant failure with fuzz_fail, which prints the
 * reason and aborts: libFuzzer records the input as a crash, the replay
 * driver's test fails.
 */
#ifndef S390AP_FUZZ_H
#define S390AP_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#if defined(__GNUC__) || defined(__clang__)
#define FUZZ_PRINTF(a, b) __attribute__((format(printf, a, b)))
#else
#define FUZZ_PRINTF(a, b)
#endif

/* Print "fuzz: <target>: <reason>" to stderr and abort. */
_Noreturn void fuzz_fail(const char *fmt, ...) FUZZ_PRINTF(1, 2);

/* A cursor over the input for structured targets: reads past the end give
 * zeros, so every input is a valid program of some length. */
struct fuzz_in {
	const uint8_t *p;
	size_t n;
};

static inline int fuzz_more(const struct fuzz_in *in)
{
	return in->n != 0;
}

static inline uint8_t fuzz_u8(struct fuzz_in *in)
{
	uint8_t v = 0;

	if (in->n) {
		v = *in->p++;
		in->n--;
	}
	return v;
}

/* Big-endian, like the machine. */
static inline uint64_t fuzz_uint(struct fuzz_in *in, unsigned bytes)
{
	uint64_t v = 0;

	while (bytes--)
		v = v << 8 | fuzz_u8(in);
	return v;
}

/* Up to `want` bytes of the input itself (no copy); *got says how many. */
static inline const uint8_t *fuzz_take(struct fuzz_in *in, size_t want, size_t *got)
{
	const uint8_t *p = in->p;

	if (want > in->n)
		want = in->n;
	in->p += want;
	in->n -= want;
	*got = want;
	return p;
}

#endif
