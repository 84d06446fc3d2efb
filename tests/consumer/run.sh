#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Build a consumer of s390ap.  Usage: run.sh BUILD_DIR cmake|pkgconfig|subdir
#   cmake, pkgconfig: install BUILD_DIR into a scratch prefix and build against
#     it with find_package / pkg-config (cmake: examples/embed as well);
#   subdir: a project that adds this source tree with add_subdirectory()
#     (BUILD_DIR only holds the work directory).
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

if [ "$mode" = subdir ]; then
	src=$(cd "$here/../.." && pwd)
	"$cmake" -S "$here/subdir" -B "$work/build" -DS390AP_SOURCE_DIR="$src" \
		-DCMAKE_BUILD_TYPE=Debug -DCMAKE_EXPORT_COMPILE_COMMANDS=ON
	# the library's own warnings, without -Werror
	grep -q -- '-Wall' "$work/build/compile_commands.json" ||
		{ echo "s390ap compiled without its warnings" >&2; exit 1; }
	if grep -q -- '-Werror' "$work/build/compile_commands.json"; then
		echo "s390ap compiled with -Werror inside another project" >&2
		exit 1
	fi
	"$cmake" --build "$work/build"
	"$work/build/consumer_shared"
	"$work/build/consumer_static"
	echo "consumer_$mode: OK"
	exit 0
fi

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
	# the embedding example stands alone too: its own project and test
	"$cmake" -S "$here/../../examples/embed" -B "$work/embed" -DCMAKE_PREFIX_PATH="$prefix" \
		-DCMAKE_BUILD_TYPE=Debug
	"$cmake" --build "$work/embed"
	run "$work/embed/embed" >"$work/embed.log"
	(cd "$work/embed" && "$(dirname "$cmake")/ctest" --output-on-failure)
	;;
pkgconfig)
	pc=$(find "$prefix" -name 's390ap.pc' -print -quit)
	[ -n "$pc" ] || { echo "s390ap.pc not installed under $prefix" >&2; exit 1; }
	flags=$(PKG_CONFIG_PATH="$(dirname "$pc")" "$pkg_config" --cflags --libs s390ap)
	echo "pkg-config: $flags"
	# shellcheck disable=SC2086 # word splitting of flags is intended
	"$cc" ${CFLAGS:-} -std=c11 -o "$work/consumer" "$here/main.c" $flags
	run "$work/consumer"
	# static: libs390ap.a by path, its dependencies from Requires.private
	static=$(PKG_CONFIG_PATH="$(dirname "$pc")" "$pkg_config" --static --cflags --libs s390ap)
	static=${static/-ls390ap/$libdir/libs390ap.a}
	echo "pkg-config --static: $static"
	# shellcheck disable=SC2086
	"$cc" ${CFLAGS:-} -std=c11 -DS390AP_STATIC -o "$work/consumer_static" "$here/main.c" $static
	if ldd "$work/consumer_static" | grep -q 'libs390ap\.so'; then
		echo "consumer_static loads libs390ap.so" >&2
		exit 1
	fi
	run "$work/consumer_static"
	;;
*)
	echo "usage: $0 BUILD_DIR cmake|pkgconfig|subdir" >&2
	exit 2
	;;
esac
echo "consumer_$mode: OK"
