#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Build the libFuzzer targets (preset "fuzz": clang, ASan, UBSan) and run them.
#
#   scripts/fuzz.sh [-t SECONDS | -r RUNS] [-p PARALLEL] [-o DIR] [--no-build] [TARGET...]
#
#   -t SECONDS   how long each target runs (default 60)
#   -r RUNS      run each target for this many executions instead
#   -p PARALLEL  targets run at the same time (default 1)
#   -o DIR       work corpora, findings and logs (default build/fuzz/work)
#   --no-build   use the programs already in build/fuzz
#   TARGET       ap, cpu, engine, scn, ... (default: every target)
#
# Each target starts from its regression corpus and seeds (tests/fuzz/), adds
# what it finds to DIR/corpus/TARGET, and writes a crashing or invariant-
# breaking input to DIR/findings/TARGET/.  A table gives executions, speed
# and coverage per target.  Exit 0 when no target found anything, 1 when one
# did, 2 on a usage or build error.  docs/fuzzing.md tells how to reproduce
# and minimise a finding.
set -euo pipefail
cd "$(dirname "$0")/.."

seconds=60
runs=
parallel=1
work=build/fuzz/work
build=1
targets=()
usage() { sed -n '4,12p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }
while [ $# -gt 0 ]; do
	case "$1" in
	-t) [ $# -ge 2 ] || usage; seconds=$2; runs=; shift 2 ;;
	-r) [ $# -ge 2 ] || usage; runs=$2; shift 2 ;;
	-p) [ $# -ge 2 ] || usage; parallel=$2; shift 2 ;;
	-o) [ $# -ge 2 ] || usage; work=$2; shift 2 ;;
	--no-build) build=0; shift ;;
	-h|--help) usage ;;
	-*) echo "fuzz.sh: unknown option $1" >&2; usage ;;
	*) targets+=("$1"); shift ;;
	esac
done
for n in "$seconds" "${runs:-1}" "$parallel"; do
	[[ "$n" =~ ^[1-9][0-9]*$ ]] || { echo "fuzz.sh: '$n' is not a positive number" >&2; exit 2; }
done

if ! command -v clang >/dev/null; then
	echo "fuzz.sh: clang is not installed (Debian: apt-get install clang; scripts/setup-deps.sh does)" >&2
	exit 2
fi
if [ "$build" = 1 ]; then
	echo "==> fuzz: configure and build (preset fuzz)"
	cmake --preset fuzz >/dev/null
	cmake --build --preset fuzz
fi
manifest=build/fuzz/tests/fuzz/targets.tsv
[ -f "$manifest" ] || { echo "fuzz.sh: $manifest missing: build first" >&2; exit 2; }

declare -A prog dict seeds
all=()
while IFS=$'\t' read -r name replay d rest; do
	all+=("$name")
	prog[$name]="${replay%_replay}"
	dict[$name]="$d"
	seeds[$name]="$rest"
done <"$manifest"
[ ${#targets[@]} -gt 0 ] || targets=("${all[@]}")
for t in "${targets[@]}"; do
	[ -n "${prog[$t]:-}" ] || { echo "fuzz.sh: no target '$t' (have: ${all[*]})" >&2; exit 2; }
done

mkdir -p "$work"
run_one() {
	local t=$1 corpus="$work/corpus/$1" found="$work/findings/$1" log="$work/$1.log"
	local args=(-print_final_stats=1 -timeout=30 -rss_limit_mb=2560 -max_len=65536
		-artifact_prefix="$found/")
	mkdir -p "$corpus" "$found"
	if [ -n "$runs" ]; then args+=(-runs="$runs"); else args+=(-max_total_time="$seconds"); fi
	[ "${dict[$t]}" = "-" ] || args+=(-dict="${dict[$t]}")
	local -a s=()
	IFS=$'\t' read -r -a s <<<"${seeds[$t]}"
	"${prog[$t]}" "${args[@]}" "$corpus" "${s[@]}" >"$log" 2>&1
}

echo "==> fuzz: ${targets[*]} (${runs:+$runs runs}${runs:-$seconds s} each, $parallel at a time)"
declare -A status
pids=()
for t in "${targets[@]}"; do
	while [ "$(jobs -rp | wc -l)" -ge "$parallel" ]; do wait -n || true; done
	( run_one "$t" ) &
	pids+=("$t:$!")
done
for p in "${pids[@]}"; do
	t=${p%%:*}
	if wait "${p#*:}"; then status[$t]=ok; else status[$t]=FOUND; fi
done

failed=0
printf '%-8s %12s %10s %8s %8s %8s %8s  %s\n' target executions exec/s cov ft units rss_mb result
for t in "${targets[@]}"; do
	log="$work/$t.log"
	stat() { sed -n "s/^stat::$1: *//p" "$log" | tail -1; }
	cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1 | cut -d' ' -f2 || true)
	ft=$(grep -o 'ft: [0-9]*' "$log" | tail -1 | cut -d' ' -f2 || true)
	units=$(grep -o 'corp: [0-9]*' "$log" | tail -1 | cut -d' ' -f2 || true)
	printf '%-8s %12s %10s %8s %8s %8s %8s  %s\n' "$t" "$(stat number_of_executed_units)" \
		"$(stat average_exec_per_sec)" "${cov:-?}" "${ft:-?}" "${units:-?}" \
		"$(stat peak_rss_mb)" "${status[$t]}"
	if [ "${status[$t]}" != ok ]; then
		failed=1
		echo "---- $t: last lines of $log" >&2
		tail -40 "$log" >&2
		echo "---- findings in $work/findings/$t/: $(ls "$work/findings/$t" | tr '\n' ' ')" >&2
	fi
done
exit $failed
