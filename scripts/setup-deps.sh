#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Install the Debian 12 packages s390ap needs to build and test.
# Installs only what is missing; runs `apt-get update` only then.  Needs root.
set -euo pipefail

# docs/building.md says which part needs which.
packages=(
	build-essential
	cmake
	pkg-config
	# the library: libcrypto (find_package(OpenSSL)), libbsd and jansson
	# (pkg-config)
	libssl-dev
	libbsd-dev
	libjansson-dev
	# s390x programs: apsim's built-in ones, the scenario tests', apbench's
	binutils-s390x-linux-gnu
	# the tests: Check suites, valgrind memcheck
	check
	valgrind
	# the fuzz targets: clang with libFuzzer (scripts/fuzz.sh)
	clang
	libclang-rt-14-dev
	# the style check (scripts/check-format.sh)
	clang-format
)

missing=()
for p in "${packages[@]}"; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
		missing+=("$p")
	fi
done

if [ ${#missing[@]} -eq 0 ]; then
	echo "setup-deps: all packages present"
	exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
	echo "setup-deps: missing ${missing[*]}; run as root to install them" >&2
	exit 1
fi

echo "setup-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update
apt-get install -y --no-install-recommends "${missing[@]}"
