#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Write the cpu fuzz target's raw-form seeds (tests/fuzz/corpus/cpu/): the
# programs in tests/fuzz/seeds/cpu/*.S and some assembled test programs,
# each behind the 0x00 marker and the 40 option bytes of fuzz_cpu.c, with
# options that reach vCPU counts, addressing modes, prefixes, chunked runs,
# a machine of the target's own, the SIE hook and cost tweaks.
#
#   tests/fuzz/gen_cpu_seeds.sh BUILD/tests/asm
#
# Run by hand when the programs change; the output is committed.  It also
# writes the regression inputs in tests/fuzz/regress/cpu/ (at the end).
set -euo pipefail
cd "$(dirname "$0")/../.."
asm=${1:?usage: $0 BUILD/tests/asm (the assembled test programs)}
out=tests/fuzz/corpus/cpu
src=tests/fuzz/seeds/cpu
mkdir -p "$out"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

for s in "$src"/*.S; do
	n=$(basename "$s" .S)
	s390x-linux-gnu-as -o "$tmp/$n.o" "$s"
	s390x-linux-gnu-objcopy -O binary -j .text "$tmp/$n.o" "$tmp/$n.bin"
done
cp "$asm"/tour.bin "$asm"/tapq.bin "$asm"/irq.bin "$tmp"/

# seed NAME PROGRAM OPTION=VALUE...: option k (o0..o39) set to VALUE
seed() {
	local name=$1 prog=$2 o=() kv
	shift 2
	for k in $(seq 0 39); do o[k]=0; done
	for kv in "$@"; do o[${kv%%=*}]=$((${kv#*=})); done
	perl -e 'print pack("C*", @ARGV)' 0 "${o[@]}" >"$out/$name"
	cat "$tmp/$prog.bin" >>"$out/$name"
}

seed loop-4cpu-chunked loop 0=3 2=0x35
seed loop-31bit-prefix-1m loop 0=0x28 1=0x41
seed loop-2cpu-24bit-chunked loop 0=0x41 1=0x42 2=0x0A 4=0 5=200
seed pgm-lowcore pgm 2=0x80 8=0x02 9=0x00 0=0x80
seed pgm-lowcore-prob-8k pgm 2=0x80 8=0x02 9=0x00 0=0x9C
seed ctl ctl
seed ctl-2cpu-chunked ctl 0=1 2=0x05 39=4
seed sie-hook sie 3=0x20 23=0x8A 24=1
seed nq nq
seed nq-io-trace-off nq 0=0x80 39=5 2=0x01
seed nq-own-machine nq 3=0x0A 12=0x03 13=0x04 14=0x28 21=0x04 22=0x05
seed nq-own-machine-cca nq 3=0x0E 12=0x03 13=0x14 14=0x14 21=0x04 22=0x05 2=0x09
seed tour-4cpu-chunked tour 0=3 2=0x3B
seed tour-facilities tour 3=0x1B 10=0x00 11=0xFF 12=0x03 13=0x04 15=0x04 16=0x14 \
	18=0x05 19=0x22 21=0x0C 22=0x0D
seed tour-costs tour 23=0x80 24=2 25=0x84 26=12 27=0x87 28=13 29=0x8D 30=11
seed tapq-gr9 tapq 31=0x90 32=0x00 33=0x03 34=0x06
seed irq-io-4cpu irq 0=0x83 31=0x90 32=0 33=0x03 34=0x06 2=0x02
echo "wrote $(ls "$out" | wc -l) seeds to $out"

# Regression inputs (tests/fuzz/regress/cpu/), one per finding of
# docs/fuzzing.md's table that the raw form can express.
reg=tests/fuzz/regress/cpu
mkdir -p "$reg"
regress() {
	seed "$@"
	mv "$out/$1" "$reg/$1.bin"
}
# the hook clears itself after 3 calls, with 2 vCPUs: never called again
regress trace-hook-clears-itself loop 0=1 39=1
# multiple and per_256_bytes at UINT32_MAX (their sum wrapped in 32 bits),
# branch and interruption costs at S390AP_COST_MAX + 1: the sys is refused
regress cost-model-past-max loop 23=0x83 24=15 25=0x84 26=15 27=0x81 28=14 29=0x87 30=14
echo "wrote 2 regression inputs to $reg"
