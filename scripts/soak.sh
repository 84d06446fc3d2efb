#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The matrix soak: test_matrix's randomized run with a million operations
# (a quarter of that for the static policy), checking the invariants after
# each (docs/matrix.md, "Tests").  Not part of scripts/test.sh.
#
#   scripts/soak.sh [-n OPS] [-s SEED] [--no-build]
#
#   -n OPS      operations of the dynamic run (default 1000000)
#   -s SEED     the generator's seed (default: the test's own)
#   --no-build  use build/release as it is
set -euo pipefail
cd "$(dirname "$0")/.."

ops=1000000
seed=
build=1
while [ $# -gt 0 ]; do
	case $1 in
	-n) ops=$2; shift 2 ;;
	-s) seed=$2; shift 2 ;;
	--no-build) build=0; shift ;;
	*) echo "usage: scripts/soak.sh [-n OPS] [-s SEED] [--no-build]" >&2; exit 2 ;;
	esac
done

if [ "$build" -eq 1 ]; then
	cmake --preset release >/dev/null
	cmake --build build/release -j2 --target test_matrix
fi
env S390AP_MATRIX_OPS="$ops" ${seed:+S390AP_MATRIX_SEED="$seed"} \
	CK_RUN_CASE=random CK_DEFAULT_TIMEOUT=0 \
	build/release/tests/test_matrix
