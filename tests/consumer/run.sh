#!/usr/bin/env bash
# Install a built s390ap into a scratch prefix and build a consumer against it.
# Usage: run.sh BUILD_DIR cmake|pkgconfig
# Tools come from CMAKE, CC, PKG_CONFIG; CFLAGS is passed to the consumer
# (the sanitizer build needs its -fsanitize flags there too).
set -euo pipefail

build=$(cd "$1" && pwd)
mode=$2
here=$(cd "$(dirname "$0")" && pwd)
cmake=${CMAKE:-cmake}
cc=${CC:-cc}
pkg_config=${PKG_CONFIG:-pkg-config}

work="$build/consumer-$mode"
prefix="$work/prefix"
rm -rf "$work"
mkdir -p "$work"

"$cmake" --install "$build" --prefix "$prefix" >"$work/install.log"

lib=$(find "$prefix" -name 'libs390ap.so' -print -quit)
[ -n "$lib" ] || { echo "libs390ap.so not installed under $prefix" >&2; exit 1; }
libdir=$(dirname "$lib")
export LD_LIBRARY_PATH="$libdir${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"

# Fail unless the program ran and took libs390ap.so from the scratch prefix.
run() {
	"$1"
	if ldd "$1" | grep -q 'libs390ap\.so' && ! ldd "$1" | grep 'libs390ap\.so' | grep -qF "$prefix"; then
		echo "$1 did not load libs390ap.so from $prefix" >&2
		exit 1
	fi
}

case $mode in
cmake)
	"$cmake" -S "$here" -B "$work/build" -DCMAKE_PREFIX_PATH="$prefix" \
		-DCMAKE_BUILD_TYPE=Debug
	grep -qF "s390ap_DIR:PATH=$prefix/" "$work/build/CMakeCache.txt" ||
		{ echo "find_package did not use $prefix" >&2; exit 1; }
	"$cmake" --build "$work/build"
	run "$work/build/consumer_shared"
	run "$work/build/consumer_static"
	;;
pkgconfig)
	pc=$(find "$prefix" -name 's390ap.pc' -print -quit)
	[ -n "$pc" ] || { echo "s390ap.pc not installed under $prefix" >&2; exit 1; }
	flags=$(PKG_CONFIG_PATH="$(dirname "$pc")" "$pkg_config" --cflags --libs s390ap)
	echo "pkg-config: $flags"
	# shellcheck disable=SC2086 # word splitting of flags is intended
	"$cc" ${CFLAGS:-} -std=c11 -o "$work/consumer" "$here/main.c" $flags
	run "$work/consumer"
	;;
*)
	echo "usage: $0 BUILD_DIR cmake|pkgconfig" >&2
	exit 2
	;;
esac
echo "consumer_$mode: OK"
