#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Every symbol the shared library exports must carry the public prefix.
# Usage: exports.sh LIBRARY [NM]
set -euo pipefail
lib=$1
nm=${2:-nm}

syms=$("$nm" -D --defined-only "$lib" | awk '{print $NF}')
bad=$(grep -v '^s390ap_' <<<"$syms" || true)
count=$(grep -c '^s390ap_' <<<"$syms" || true)

if [ -n "$bad" ]; then
	echo "exported without the s390ap_ prefix:" >&2
	echo "$bad" >&2
	exit 1
fi
if [ "$count" -eq 0 ]; then
	echo "no s390ap_ symbols exported from $lib" >&2
	exit 1
fi
echo "$lib: $count symbols, all s390ap_*"
