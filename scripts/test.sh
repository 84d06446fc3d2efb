#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Build and run every test: debug (ctest), valgrind memcheck, ASan/UBSan, TSan
# on the unit suites, a short pass of every fuzz target
# (S390AP_FUZZ_SECONDS each, default 30), and the Linux guest in QEMU
# (scripts/linux-guest.sh).
# Exits non-zero on the first failure.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/setup-deps.sh
export CMAKE_BUILD_PARALLEL_LEVEL=${CMAKE_BUILD_PARALLEL_LEVEL:-$(nproc)}
export CTEST_PARALLEL_LEVEL=${CTEST_PARALLEL_LEVEL:-$(nproc)}

echo "==> style: clang-format, SPDX lines, no pointers outside the repository"
bash scripts/check-format.sh

echo "==> debug: configure, build, ctest"
cmake --workflow --preset debug

echo "==> memcheck: valgrind on every suite (Check without fork)"
(
	cd build/debug
	rm -f Testing/Temporary/MemoryChecker.*.log
	# valgrind exits 1 on any error or definite leak, which fails the test;
	# the logs are searched as well, and shown when they report a defect.
	status=0
	CK_FORK=no ctest -T memcheck -LE consumer --output-on-failure || status=$?
	logs=(Testing/Temporary/MemoryChecker.*.log)
	[ -e "${logs[0]}" ] || { echo "memcheck: no valgrind logs written" >&2; exit 1; }
	bad=$(grep -lE 'ERROR SUMMARY: [1-9]|definitely lost: [1-9]' "${logs[@]}" || true)
	for log in $bad; do
		echo "---- $log"
		cat "$log"
	done
	if [ "$status" -ne 0 ] || [ -n "$bad" ]; then
		echo "memcheck: FAILED (ctest status $status)" >&2
		exit 1
	fi
	echo "memcheck: no defects"
)

echo "==> asan: configure, build, ctest with ASan/UBSan"
cmake --workflow --preset asan

# The unit suites (test_threads drives objects from several threads); about
# 1.5 minutes on two cores.  Check's fork mode works under TSan.
echo "==> tsan: configure, build, ctest -L unit with ThreadSanitizer"
cmake --workflow --preset tsan

echo "==> fuzz: every libFuzzer target for a short time (docs/fuzzing.md)"
bash scripts/fuzz.sh -t "${S390AP_FUZZ_SECONDS:-30}" -p "$(nproc)"

# An unmodified Debian kernel's AP bus and zcrypt driver on the library's cards,
# inside QEMU (TCG) patched with integrations/qemu; the first run builds QEMU
# (cached under /var/cache/s390ap), docs/qemu.md.
echo "==> linux guest: Debian's kernel in QEMU with the s390ap device, interruption and polling mode"
bash scripts/linux-guest.sh --jobs "$CMAKE_BUILD_PARALLEL_LEVEL"

echo "==> all tests passed"
