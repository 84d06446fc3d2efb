#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Bare-metal exception test of the s390ap QEMU device (README.md here).
#
# usage: run.sh QEMU [LIBDIR [OUTDIR]]
#   QEMU    a qemu-system-s390x built with the s390ap patches
#   LIBDIR  where libs390ap.so is, put first on LD_LIBRARY_PATH
#   OUTDIR  where exc.elf is built (default: a temporary directory)
# Environment: QEMU_FIRMWARE_DIR (default /usr/share/qemu), S390X_AS,
# S390X_LD (default s390x-linux-gnu-as / -ld), TIMEOUT (seconds per QEMU
# run, default 60).
#
# Runs exc.elf twice: with -device s390ap (every access-exception check) and
# without it (PQAP, NQAP, DQAP are operation exceptions).  Exit 0 only when
# both runs pass.
set -euo pipefail

if [ $# -lt 1 ] || [ $# -gt 3 ]; then
	sed -n '3,/^set -e/p' "$0" | sed '$d; s/^# \{0,1\}//' >&2
	exit 2
fi
qemu=$1
libdir=${2:-}
here=$(cd "$(dirname "$0")" && pwd)
as=${S390X_AS:-s390x-linux-gnu-as}
ld=${S390X_LD:-s390x-linux-gnu-ld}
fw=${QEMU_FIRMWARE_DIR:-/usr/share/qemu}

if [ -n "${3:-}" ]; then
	out=$3
	mkdir -p "$out"
else
	out=$(mktemp -d)
	trap 'rm -rf "$out"' EXIT
fi

for tool in "$as" "$ld" python3; do
	if ! command -v "$tool" >/dev/null; then
		echo "exc: FAIL $tool not found (binutils-s390x-linux-gnu, python3)" >&2
		exit 1
	fi
done
if [ ! -x "$qemu" ]; then
	echo "exc: FAIL $qemu is not an executable" >&2
	exit 1
fi

ldflags=(-T "$here/exc.ld")
# binutils 2.39+ warns about the one RWX segment a bare program has
if "$ld" --help 2>/dev/null | grep -q -- --no-warn-rwx-segments; then
	ldflags+=(--no-warn-rwx-segments)
fi
"$as" -m64 -o "$out/exc.o" "$here/exc.S"
"$ld" "${ldflags[@]}" -o "$out/exc.elf" "$out/exc.o"

if [ -n "$libdir" ]; then
	export LD_LIBRARY_PATH="$libdir${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
fi

rc=0
python3 "$here/run.py" "$qemu" "$out/exc.elf" ap "$fw" || rc=1
python3 "$here/run.py" "$qemu" "$out/exc.elf" noap "$fw" || rc=1
if [ $rc -eq 0 ]; then
	echo "exc: all passed"
else
	echo "exc: FAILED"
fi
exit $rc
