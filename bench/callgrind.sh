#!/usr/bin/env bash
# Host instructions (callgrind Ir) per emulated instruction for one apbench
# workload: a repeatable figure for regressions, where wall time is not.
#
# usage: bench/callgrind.sh [APBENCH] [WORKLOAD] [ITERATIONS]
#   APBENCH     the apbench binary (default: build/release/bench/apbench)
#   WORKLOAD    W1 .. W5 (default W1)
#   ITERATIONS  loop count in GR9 (default 1000000)
#
# Only s390ap_sys_run is counted (--toggle-collect), so set-up, the host
# baseline and the report are not; --runs 1 --warmup 0 makes it one run of
# exactly the instructions apbench reports in "insns".  docs/bench.md.
set -euo pipefail

apbench=${1:-build/release/bench/apbench}
workload=${2:-W1}
iters=${3:-1000000}

command -v valgrind >/dev/null || { echo "callgrind.sh: valgrind not installed" >&2; exit 1; }
[ -x "$apbench" ] || { echo "callgrind.sh: no executable $apbench (build it first)" >&2; exit 1; }

out=$(mktemp -d "${TMPDIR:-/tmp}/apbench-cg-XXXXXX")
trap 'rm -rf "$out"' EXIT

valgrind --tool=callgrind --callgrind-out-file="$out/callgrind.out" \
	--toggle-collect=s390ap_sys_run \
	"$apbench" --workload "$workload" --iterations "$iters" \
	--runs 1 --warmup 0 --no-baseline --no-hercules --json --output "$out/run.json" \
	2>"$out/valgrind.log" || { cat "$out/valgrind.log" >&2; exit 1; }

# "summary: <Ir>" is the total of the collected events (Ir only by default).
ir=$(sed -n 's/^summary: *\([0-9]*\).*/\1/p' "$out/callgrind.out")
insns=$(sed -n 's/^ *"insns": *\([0-9]*\).*/\1/p' "$out/run.json" | head -n 1)
ops=$(sed -n 's/^ *"ops": *\([0-9]*\).*/\1/p' "$out/run.json" | head -n 1)
if [ -z "$ir" ] || [ -z "$insns" ] || [ "$insns" -eq 0 ]; then
	echo "callgrind.sh: could not read Ir or insns" >&2
	exit 1
fi

awk -v w="$workload" -v ir="$ir" -v n="$insns" -v ops="$ops" 'BEGIN {
	printf "%s: %d Ir in s390ap_sys_run, %d emulated instructions, %d ops\n", w, ir, n, ops
	printf "%s: %.2f Ir per emulated instruction, %.1f Ir per op\n", w, ir / n, ir / ops
}'
if command -v callgrind_annotate >/dev/null; then
	echo "top functions by self cost:"
	callgrind_annotate "$out/callgrind.out" 2>/dev/null |
		grep -E '^ *[0-9,]+ +\(' | grep -v 'PROGRAM TOTALS' | head -n 8 || true
fi
