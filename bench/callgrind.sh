#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Host instructions (callgrind Ir) per emulated instruction and per operation
# for apbench workloads: a repeatable figure for regressions, where wall time
# is not.
#
# usage: bench/callgrind.sh [APBENCH] [WORKLOADS] [N]
#   APBENCH    the apbench binary (default: build/release/bench/apbench)
#   WORKLOADS  comma-separated: W1 .. W8, W10, W11, W11nc, W2wait, W2halt,
#              W4events, Wallq, W9n1, W9n16, W9n64, W9, W6mx1, W6mx256
#              (default W1)
#   N          loop count in GR9 of the first run (default: per workload,
#              below); the second run uses 2N
#
# Each workload runs twice under callgrind, with N and 2N iterations, and
# the figures are differences: (Ir(2N) - Ir(N)) / (ops(2N) - ops(N)) and
# likewise per emulated instruction, so start-up (building the machine, the
# vCPUs, W4events' pending requests, W2halt's halting run, the first fill
# of the decoded-instruction cache) cancels out.  Only s390ap_sys_run is
# counted (--toggle-collect); --runs 1 --warmup 0 makes it one run of the
# instructions apbench reports in "insns".
#
# When the pairs are measured in the same call, the scaling ratios follow:
# W2wait / W2, W2halt / W2 and W4events / W4 (Ir per op; how cost grows with
# idle vCPUs and pending events), and W6 / W2 (a TAPQ interpreted in a guest
# over the same TAPQ at level 1).  W6 .. W8 run in a guest under SIE; their
# start-up (the host model, the VM, the first SIE entry) cancels out too.
# Wallq is not a dispatcher run: it is run natively and its RSS growth printed.
# The W9 rows run no program either: their Ir are those of
# s390ap_matrix_config_changed alone (the AP bus's rescan and every mdev's
# CRYCB update), per configuration change, and when several of them are
# measured together the growth per mdev follows.  W6mx256 / W6mx1 (and
# W6mx1 / W6) is a guest's interpreted TAPQ with 256 mdevs open over 1.
# W10 / W2 is a TAPQ interpreted in a guest-3 (vSIE, the shadow CRYCB's
# view) over the level-1 one; W11 / W11nc a guest-3 SIE round trip with the
# shadow cache over one without it.  docs/bench.md.
set -euo pipefail

apbench=${1:-build/release/bench/apbench}
workloads=${2:-W1}
n_arg=${3:-}

command -v valgrind >/dev/null || { echo "callgrind.sh: valgrind not installed" >&2; exit 1; }
[ -x "$apbench" ] || { echo "callgrind.sh: no executable $apbench (build it first)" >&2; exit 1; }
if [ -n "$n_arg" ] && ! [[ "$n_arg" =~ ^[1-9][0-9]*$ ]]; then
	echo "callgrind.sh: N must be a positive integer, not '$n_arg'" >&2
	exit 2
fi

out=$(mktemp -d "${TMPDIR:-/tmp}/apbench-cg-XXXXXX")
trap 'rm -rf "$out"' EXIT

# Default N: large enough that the difference dwarfs any noise in start-up,
# small enough for a minute or so under callgrind.
default_n() {
	case "$1" in
	W1 | w1) echo 1000000 ;;
	W3 | w3) echo 50000 ;;
	W5 | w5) echo 100 ;;
	W7 | w7) echo 50000 ;;
	W11* | w11*) echo 20000 ;;
	W9* | w9*) echo 100 ;;
	*) echo 100000 ;;
	esac
}

# json_field FILE KEY: the first numeric value of "KEY" in apbench's JSON.
json_field() {
	sed -n "s/^ *\"$2\": *\\([0-9-]*\\).*/\\1/p" "$1" | head -n 1
}
json_text() {
	sed -n "s/^ *\"$2\": *\"\\([^\"]*\\)\".*/\\1/p" "$1" | head -n 1
}

# cg_run WORKLOAD N TAG [FUNCTION]: one callgrind run, counting FUNCTION
# (default s390ap_sys_run); leaves TAG.ir, TAG.json.
cg_run() {
	valgrind --tool=callgrind --callgrind-out-file="$out/$3.cg" \
		--toggle-collect="${4:-s390ap_sys_run}" \
		"$apbench" --workload "$1" --iterations "$2" \
		--runs 1 --warmup 0 --no-baseline --no-hercules --json --output "$out/$3.json" \
		2>"$out/$3.log" || { cat "$out/$3.log" >&2; exit 1; }
	# "summary: <Ir>" is the total of the collected events (Ir only by default).
	sed -n 's/^summary: *\([0-9]*\).*/\1/p' "$out/$3.cg" >"$out/$3.ir"
}

# copy_calls FILE: calls of memcpy / memmove and of the vCPU's AP storage
# callbacks (real_read / real_write in src/cpu/access.c; an LTO build names
# them real_read.lto_priv.0) in a callgrind file, as "memcpy storage".  A
# callback copies once, inline or through the library memcpy, so a memcpy
# called by a callback is not counted again.  Callgrind names a function
# once ("cfn=(7) name") and then by number ("cfn=(7)"); "fn=" is the caller
# of the "cfn=" lines after it; "calls=N ..." follows the callee line.
copy_calls() {
	awk '
	function callee(s,   id, rest) {
		id = s; sub(/^c?fn=/, "", id)
		rest = id; sub(/^\([0-9]+\) ?/, "", rest); sub(/ .*$/, "", id)
		if (rest != "") name[id] = rest
		return name[id]
	}
	/^fn=/ { caller = callee($0) }
	/^cfn=/ { cur = callee($0) }
	/^calls=/ {
		split($0, f, /[= ]/)
		if (cur ~ /mem(cpy|move)/ && caller !~ /^real_(read|write)($|\.)/) mc += f[2]
		else if (cur ~ /^real_(read|write)($|\.)/) st += f[2]
	}
	END { printf "%d %d\n", mc, st }' "$1"
}

declare -A per_op
scale=()

IFS=, read -r -a list <<<"$workloads"
for w in "${list[@]}"; do
	[ -n "$w" ] || continue
	if [ "$w" = Wallq ] || [ "$w" = wallq ]; then
		n=${n_arg:-256}
		[ "$n" -le 256 ] || n=256 # adapters: a shared N for the others may be larger
		"$apbench" --workload Wallq --iterations "$n" --runs 1 --warmup 0 \
			--no-baseline --no-hercules --json --output "$out/wallq.json" \
			2>"$out/wallq.log" || { cat "$out/wallq.log" >&2; exit 1; }
		before=$(json_field "$out/wallq.json" rss_before_kib)
		after=$(json_field "$out/wallq.json" rss_after_kib)
		ops=$(json_field "$out/wallq.json" ops)
		if [ -z "$before" ] || [ -z "$after" ]; then
			echo "Wallq: no RSS figures (no /proc/self/status?)"
			continue
		fi
		awk -v n="$n" -v q="$ops" -v b="$before" -v a="$after" 'BEGIN {
			printf "Wallq: %.0f adapters x 256 domains = %.0f queues, one NQAP + DQAP each: " \
			       "RSS %.0f KiB -> %.0f KiB, growth %+.1f MiB (%.0f bytes per queue)\n",
			       n, q, b, a, (a - b) / 1024, (a - b) * 1024 / q
		}'
		continue
	fi

	n1=${n_arg:-$(default_n "$w")}
	n2=$((2 * n1))
	case "$w" in
	W9* | w9*)
		[ "$n1" -le 10000 ] || n1=10000 # change pairs: a shared N may be far larger
		n2=$((2 * n1))
		cg_run "$w" "$n1" a s390ap_matrix_config_changed
		cg_run "$w" "$n2" b s390ap_matrix_config_changed
		ir1=$(cat "$out/a.ir")
		ir2=$(cat "$out/b.ir")
		o1=$(json_field "$out/a.json" ops)
		o2=$(json_field "$out/b.json" ops)
		m=$(json_field "$out/a.json" mdevs)
		name=$(json_text "$out/a.json" name)
		if [ -z "$ir1" ] || [ -z "$ir2" ] || [ -z "$o1" ] || [ -z "$o2" ] ||
			[ -z "$m" ] || [ "$o2" -le "$o1" ] || [ "$ir2" -le "$ir1" ]; then
			echo "callgrind.sh: $w: could not read Ir, ops or mdevs" >&2
			exit 1
		fi
		line=$(awk -v w="$name" -v m="$m" -v ir1="$ir1" -v ir2="$ir2" -v o1="$o1" \
			-v o2="$o2" 'BEGIN {
			d = (ir2 - ir1) / (o2 - o1)
			printf "%s: %.0f mdevs: %.1f Ir per configuration change " \
			       "(s390ap_matrix_config_changed, 2N - N), %.1f per mdev\n", w, m, d, d / m
			printf "SCALE %.0f %.4f\n", m, d
		}')
		grep -v '^SCALE' <<<"$line"
		scale+=("$(sed -n 's/^SCALE //p' <<<"$line")")
		continue
		;;
	esac
	cg_run "$w" "$n1" a
	cg_run "$w" "$n2" b
	ir1=$(cat "$out/a.ir")
	ir2=$(cat "$out/b.ir")
	i1=$(json_field "$out/a.json" insns)
	i2=$(json_field "$out/b.json" insns)
	o1=$(json_field "$out/a.json" ops)
	o2=$(json_field "$out/b.json" ops)
	op=$(json_text "$out/a.json" op)
	name=$(json_text "$out/a.json" name)
	if [ -z "$ir1" ] || [ -z "$ir2" ] || [ -z "$i1" ] || [ -z "$i2" ] ||
		[ -z "$o1" ] || [ -z "$o2" ] || [ "$i2" -le "$i1" ] || [ "$o2" -le "$o1" ]; then
		echo "callgrind.sh: $w: could not read Ir, insns or ops" >&2
		exit 1
	fi
	line=$(awk -v w="$name" -v op="$op" -v n1="$n1" -v n2="$n2" -v ir1="$ir1" -v ir2="$ir2" \
		-v i1="$i1" -v i2="$i2" -v o1="$o1" -v o2="$o2" 'BEGIN {
		di = i2 - i1; dop = o2 - o1; dir = ir2 - ir1
		printf "%s: N=%.0f: %.0f Ir, %.0f insns; 2N: %.0f Ir, %.0f insns\n", w, n1, ir1, i1, ir2, i2
		printf "%s: %.2f Ir per emulated instruction, %.1f Ir per %s (2N - N)\n",
		       w, dir / di, dir / dop, op
		printf "PEROP %.4f\n", dir / dop
	}')
	grep -v '^PEROP' <<<"$line"
	case "$name" in
	W3 | W5)
		read -r m1 s1 < <(copy_calls "$out/a.cg")
		read -r m2 s2 < <(copy_calls "$out/b.cg")
		awk -v w="$name" -v op="$op" -v dm=$((m2 - m1)) -v ds=$((s2 - s1)) \
			-v dop=$((o2 - o1)) 'BEGIN {
			printf "%s: payload copies per %s: %.2f (%.2f memcpy/memmove calls + " \
			       "%.2f AP storage accessor calls)\n", w, op, (dm + ds) / dop,
			       dm / dop, ds / dop
		}'
		;;
	esac
	per_op[$name]=$(sed -n 's/^PEROP //p' <<<"$line")
	if [ -n "${CALLGRIND_TOP:-}" ] && command -v callgrind_annotate >/dev/null; then
		echo "top functions by self cost (2N run):"
		callgrind_annotate "$out/b.cg" 2>/dev/null |
			grep -E '^ *[0-9,]+ +\(' | grep -v 'PROGRAM TOTALS' | head -n 8 || true
	fi
done

ratio() { # NAME BASE
	if [ -n "${per_op[$1]:-}" ] && [ -n "${per_op[$2]:-}" ]; then
		awk -v a="${per_op[$1]}" -v b="${per_op[$2]}" -v x="$1" -v y="$2" \
			'BEGIN { printf "%s / %s: %.2fx (Ir per op)\n", x, y, a / b }'
	fi
}
ratio W2wait W2
ratio W2halt W2
ratio W4events W4
ratio W6 W2
ratio W10 W2
ratio W11 W11nc
ratio W6mx1 W6
ratio W6mx256 W6mx1

# W9 rows: the growth from the fewest mdevs to the most, per added mdev
if [ "${#scale[@]}" -ge 2 ]; then
	printf '%s\n' "${scale[@]}" | sort -n | awk '
	NR == 1 { m0 = $1; d0 = $2 } { m1 = $1; d1 = $2 }
	END {
		if (m1 > m0)
			printf "W9: %.0f -> %.0f mdevs: %.1f -> %.1f Ir per change, " \
			       "%.1f Ir per added mdev, %.2fx\n", m0, m1, d0, d1,
			       (d1 - d0) / (m1 - m0), d1 / d0
	}'
fi
