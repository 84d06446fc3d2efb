#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Write the engine fuzz target's seeds (tests/fuzz/corpus/engine/) from the
# requests the scenarios build: every `request` line of
# tests/scenarios/{rsa,cca}_*.scn (with the `store` patches right after it)
# is built by apsim and dumped, then written with the target's 4 option
# bytes in front (fuzz_engine.c): 00 for type 50 on an accelerator, 01 for
# CCA.  A few EP11 and error-engine seeds are written here directly.
#
#   tests/fuzz/gen_engine_seeds.sh path/to/apsim
#
# Run by hand when the scenarios change; the output is committed.  It also
# writes the regression inputs in tests/fuzz/regress/engine/ (at the end).
set -euo pipefail
cd "$(dirname "$0")/../.."
apsim=${1:?usage: $0 path/to/apsim}
out=tests/fuzz/corpus/engine
mkdir -p "$out"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# hex dump lines "ADDR: xx xx ... |text|" to bytes
dump_to_bin() { grep -E '^[0-9a-f]{8}: ' | cut -c11-59 | tr -d ' \n' | xxd -r -p; }

n=0
for scn in tests/scenarios/rsa_*.scn tests/scenarios/cca_*.scn; do
	base=$(basename "$scn" .scn)
	grep '^let ' "$scn" >"$tmp/lets" || true
	i=0
	# one item per request line, with the store lines that follow it
	awk -v dir="$tmp" -v base="$base" '
		/^request / { i++; f = dir "/" base "." i ".items"; print > f; on = 1; next }
		on && /^store / { print >> f; next }
		{ on = 0 }' "$scn"
	for item in "$tmp/$base".*.items; do
		[ -e "$item" ] || continue
		req=$(head -1 "$item")
		addr=$(awk '{ for (k = 1; k < NF; k++) if ($k == "at") print $(k + 1) }' <<<"$req")
		req=$(sed 's/ length [A-Za-z0-9_]*//' <<<"$req")
		{
			cat "$tmp/lets"
			echo "$req length fz_len"
			tail -n +2 "$item"
			echo "print storage $addr fz_len"
		} >"$tmp/s.scn"
		case "$req" in
		"request type50"*) hdr='\x00\x00\x00\x00' ;;
		*) hdr='\x01\x00\x00\x00' ;;
		esac
		i=$((i + 1))
		name="$out/$base-$i"
		if "$apsim" "$tmp/s.scn" >"$tmp/dump" 2>"$tmp/err"; then
			{ printf "$hdr"; dump_to_bin <"$tmp/dump"; } >"$name"
			n=$((n + 1))
		else
			echo "skipped $base request $i: $(head -1 "$tmp/err")" >&2
		fi
		rm -f "$item"
	done
done

# EP11: a well-formed type 6 "XC" request (answered with type 87 0x30),
# header | ep11_cprb (32 bytes, payload_len 14) | 30 0c 04 04 fn 04 04 dom
ep11() {
	printf '\x02\x00\x00\x00'
	printf '\x00\x06\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00'
	printf '\x00\x00\x00\x58\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00'
	printf 'XC\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00'
	printf '\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x2e\x00\x00\x00\x00'
	printf '\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x2e\x00\x00\x00\x00'
	printf '\x00\x00\x00\x00\x00\x00\x00\x00'
	printf '\x00\x20\x04\x00\x00\x00T4\x00\x00\x00\x00\x00\x00\x00\x00'
	printf '\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x0e'
	printf '\x30\x0c\x04\x04\x00\x00\x00\x01\x04\x04\x00\x00\x00\x06'
}
ep11 >"$out/ep11-xc"
# the same on the error engine, and a type 50 header on it
{ printf '\x06'; ep11 | tail -c +2; } >"$out/error-engine-xc"
printf '\x04\x00\x00\x00\x00\x50\x00\x10\x00\x00\x00\x00\x00\x01\x00\x00\x00\x00\x00\x00' \
	>"$out/error-engine-t50"
echo "wrote $((n + 3)) seeds to $out"

# Regression inputs (tests/fuzz/regress/engine/), one per finding of
# docs/fuzzing.md's table that a request can express, with 8-byte keys so
# they replay fast.  regress NAME HEADER LINE...: the scenario LINEs build
# the request at 0x20000 with `length fz_len`; it is written behind HEADER.
reg=tests/fuzz/regress/engine
mkdir -p "$reg"
regress() {
	local name=$1 hdr=$2
	shift 2
	printf '%s\n' "$@" "print storage 0x20000 fz_len" >"$tmp/r.scn"
	"$apsim" "$tmp/r.scn" >"$tmp/dump"
	{ printf "$hdr"; dump_to_bin <"$tmp/dump"; } >"$reg/$name.bin"
}
# PK with a 9-byte exponent and an 8-byte modulus: token error 770 before
# any work (was: a modexp whose cost grew with the exponent's length)
regress cca-pk-exponent-longer-than-modulus '\x01\x00\x00\x00' \
	'request cca pk at 0x20000 modulus 0xc5a3f2e1d4b7c9a5 exponent 0x010000000000000001 message 0x1234 length fz_len'
# PK with an exponent of the modulus' length, every bit set: the latency is
# charged by its 64 bits and saturates from 2^64 - 1000 (h2 = 5)
regress cca-pk-long-exponent-latency '\x01\x00\x05\x00' \
	'request cca pk at 0x20000 modulus 0xc5a3f2e1d4b7c9a5 exponent 0xffffffffffffffff message 0x1234 length fz_len'
# PD whose section says mod_len 7 (at 0x201a0): p, dp and u (16 bytes) are
# longer than mod_len + 8, a token error 770
regress cca-pd-part-too-long '\x01\x00\x00\x00' \
	'request cca pd at 0x20000 p 0xf1e2d3c4b5a69788 q 0xe4d5c6b7a8998a7b dp 0x0123456789abcdef dq 0x1122334455667788 u 0x2233445566778899 message 0x1234 length fz_len' \
	'store 0x201a0 00 07'
echo "wrote 3 regression inputs to $reg"
