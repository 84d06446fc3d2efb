#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The Linux guest test, end to end (tests/linux-guest/README.md): an unmodified
# Debian 12 s390x kernel in QEMU (TCG) with the s390ap device must find and use
# the emulated AP cards through its AP bus and zcrypt driver.
#
# usage: scripts/linux-guest.sh [OPTION]...
#   --no-deps       do not install anything (no apt-get)
#   --no-build      use what the cache holds; build nothing
#   --mode M        irq, poll or both (default both)
#   --bench N       benchmark seconds in the guest (default 10; 0 skips)
#   --timeout S     seconds per guest run (default 900)
#   --jobs N        parallel build jobs (default 2)
#
# Steps (each timed): install missing Debian packages (root; enables deb-src
# and the s390x architecture), build the library (release) and install it into
# the cache, fetch QEMU's Debian source, apply integrations/qemu/patches/series
# in order and build qemu-system-s390x, download the guest kernel and
# busybox-static (s390x), cross-build zctest, write the known-answer vectors,
# make the initramfs, then boot the guest once per mode; every run must pass.
#
# Environment:
#   S390AP_CACHE   cache directory (default /var/cache/s390ap).  The built QEMU
#                  is kept under qemu/KEY, KEY a hash of the patch files, the
#                  library's public headers and QEMU_CONFIGURE_EXTRA: a second
#                  run does not rebuild it.
#   S390AP_QEMU    use this qemu-system-s390x; no QEMU is built then
#   S390AP_DEBS    a directory that already holds the linux-image-*-s390x and
#                  busybox-static s390x debs (no download)
#   QEMU_CONFIGURE_EXTRA  more arguments for QEMU's configure (word-split)
#   S390AP_RUN_ARGS  more arguments for tests/linux-guest/run.py (shell words,
#                  quotes honoured), e.g. "--busy 06.0047:200000 --probe-inject"
#   S390AP_DEVICE_ARGS  QEMU arguments for the AP device, {machine} standing for
#                  the machine file (default: -device s390ap,config={machine})
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
guestdir="$repo/tests/linux-guest"
patchdir="$repo/integrations/qemu/patches"
cache=${S390AP_CACHE:-/var/cache/s390ap}
deps=1 build=1 modes="irq poll" bench=10 timeout=900 jobs=2

while [ $# -gt 0 ]; do
	case "$1" in
	--no-deps) deps=0; shift ;;
	--no-build) build=0; shift ;;
	--mode)
		case "${2:-}" in
		irq | poll) modes=$2 ;;
		both) modes="irq poll" ;;
		*) echo "linux-guest: --mode irq|poll|both" >&2; exit 2 ;;
		esac
		shift 2 ;;
	--bench) bench=$2; shift 2 ;;
	--timeout) timeout=$2; shift 2 ;;
	--jobs) jobs=$2; shift 2 ;;
	-h | --help) sed -n '3,/^set -e/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
	*) echo "linux-guest: unknown argument $1 (--help)" >&2; exit 2 ;;
	esac
done

# ---- timing --------------------------------------------------------------------------

timings=()
phase_name="" phase_start=0
phase()
{
	local now
	now=$(date +%s)
	if [ -n "$phase_name" ]; then
		timings+=("$(printf '%-12s %5ds' "$phase_name" $((now - phase_start)))")
		echo "linux-guest: $phase_name: $((now - phase_start))s"
	fi
	phase_name=${1:-}
	phase_start=$now
	[ -z "$phase_name" ] || echo "linux-guest: === $phase_name"
}
report_timings()
{
	phase
	echo "linux-guest: time per phase:"
	printf '  %s\n' "${timings[@]}"
}
die()
{
	echo "linux-guest: $*" >&2
	exit 1
}

# ---- the QEMU patches must exist (unless a QEMU is given) ---------------------------------

if [ -z "${S390AP_QEMU:-}" ] && [ ! -f "$patchdir/series" ]; then
	die "no QEMU patch series ($patchdir/series is missing): the QEMU integration is not" \
		"there yet, so there is no QEMU with the s390ap device to test with" \
		"(S390AP_QEMU=/path/to/qemu-system-s390x runs the test with a given binary)"
fi

mkdir -p "$cache" || die "cannot create the cache $cache (S390AP_CACHE)"
cache=$(cd "$cache" && pwd)

# ---- Debian packages -------------------------------------------------------------------

packages=(
	# the library
	build-essential cmake pkg-config libssl-dev libbsd-dev libjansson-dev
	binutils-s390x-linux-gnu
	# QEMU's source and build; qemu-system-misc brings the s390-ccw firmware
	dpkg-dev ninja-build meson libglib2.0-dev libpixman-1-dev zlib1g-dev flex bison python3
	qemu-system-misc
	# the guest side
	gcc-s390x-linux-gnu cpio xz-utils gzip
)

missing_packages()
{
	local p
	for p in "${packages[@]}"; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' ||
			echo "$p"
	done
}

# deb-src lines for apt-get source; the s390x architecture for the guest's debs
setup_apt()
{
	local changed=0 f
	if ! dpkg --print-foreign-architectures | grep -qx s390x; then
		dpkg --add-architecture s390x
		changed=1
	fi
	if ! grep -rqsE '^[[:space:]]*(Types:.*deb-src|deb-src[[:space:]])' \
		/etc/apt/sources.list /etc/apt/sources.list.d/; then
		if [ -f /etc/apt/sources.list.d/debian.sources ]; then
			sed -i 's/^Types:[[:space:]]*deb[[:space:]]*$/Types: deb deb-src/' \
				/etc/apt/sources.list.d/debian.sources
		else
			f=/etc/apt/sources.list.d/s390ap-deb-src.list
			grep -hE '^[[:space:]]*deb[[:space:]]' /etc/apt/sources.list 2>/dev/null |
				sed 's/^[[:space:]]*deb[[:space:]]/deb-src /' >"$f"
			[ -s "$f" ] || die "found no deb line in /etc/apt/sources.list to make deb-src of"
		fi
		grep -rqsE '^[[:space:]]*(Types:.*deb-src|deb-src[[:space:]])' \
			/etc/apt/sources.list /etc/apt/sources.list.d/ ||
			die "could not enable deb-src; add deb-src sources by hand"
		changed=1
	fi
	echo $changed
}

if [ $deps = 1 ]; then
	phase deps
	if [ "$(id -u)" -ne 0 ]; then
		m=$(missing_packages | tr '\n' ' ')
		[ -z "$m" ] || die "missing packages ($m); run as root or install them"
		echo "linux-guest: not root: skipping the apt set-up (all packages present)"
	else
		export DEBIAN_FRONTEND=noninteractive
		changed=$(setup_apt)
		mapfile -t missing < <(missing_packages)
		if [ "$changed" = 1 ] || [ ${#missing[@]} -gt 0 ]; then
			apt-get update
		fi
		if [ ${#missing[@]} -gt 0 ]; then
			echo "linux-guest: installing ${missing[*]}"
			apt-get install -y --no-install-recommends "${missing[@]}"
		else
			echo "linux-guest: all packages present"
		fi
	fi
fi

# ---- the library ------------------------------------------------------------------------

prefix="$cache/prefix"
libbuild="$cache/build/lib"
if [ $build = 1 ]; then
	phase library
	# a cache shared by several checkouts: CMake refuses another source tree
	if [ -f "$libbuild/CMakeCache.txt" ] &&
		! grep -qxF "CMAKE_HOME_DIRECTORY:INTERNAL=$repo" "$libbuild/CMakeCache.txt"; then
		rm -rf "$libbuild"
	fi
	cmake -S "$repo" -B "$libbuild" -DCMAKE_BUILD_TYPE=Release \
		-DS390AP_BUILD_TESTS=OFF -DS390AP_BUILD_BENCH=ON -DS390AP_BUILD_TOOLS=ON \
		-DS390AP_WERROR=OFF >/dev/null
	cmake --build "$libbuild" -j"$jobs"
	cmake --install "$libbuild" --prefix "$prefix" >/dev/null
fi
pcfile=$(find "$prefix" -name s390ap.pc -print -quit 2>/dev/null || true)
[ -n "$pcfile" ] || die "no installed library in $prefix (run without --no-build)"
pcdir=$(dirname "$pcfile")
libdir=$(dirname "$pcdir")

# ---- QEMU -------------------------------------------------------------------------------

qemu_key()
{
	{
		echo "series"
		cat "$patchdir/series"
		echo "configure ${QEMU_CONFIGURE_EXTRA:-}"
		while read -r p; do
			case "$p" in '' | '#'*) continue ;; esac
			echo "patch ${p%% *}"
			cat "$patchdir/${p%% *}"
		done <"$patchdir/series"
		for h in "$repo"/include/s390ap/*.h; do
			echo "header ${h##*/}"
			cat "$h"
		done
	} | sha256sum | cut -c1-16
}

if [ -n "${S390AP_QEMU:-}" ]; then
	qemu=$S390AP_QEMU
	[ -x "$qemu" ] || die "S390AP_QEMU=$qemu is not an executable"
	firmware=/usr/share/qemu
	echo "linux-guest: using S390AP_QEMU=$qemu (no QEMU build)"
else
	key=$(qemu_key)
	qdir="$cache/qemu/$key"
	qemu="$qdir/qemu-system-s390x"
	# Debian's source has no prebuilt s390-ccw firmware: qemu-system-misc's
	firmware=/usr/share/qemu
	if [ -x "$qemu" ]; then
		echo "linux-guest: cached QEMU $qemu (key $key)"
	elif [ $build = 0 ]; then
		die "no cached QEMU for key $key; run without --no-build"
	else
		phase qemu-source
		src="$cache/src"
		mkdir -p "$src"
		dsc=$(find "$src" -maxdepth 1 -name 'qemu_*.dsc' -print -quit)
		if [ -z "$dsc" ]; then
			(cd "$src" && apt-get source --download-only qemu)
			dsc=$(find "$src" -maxdepth 1 -name 'qemu_*.dsc' -print -quit)
			[ -n "$dsc" ] || die "apt-get source qemu gave no .dsc"
		fi
		tree="$cache/build/qemu-$key"
		rm -rf "$tree"
		dpkg-source -x "$dsc" "$tree" >/dev/null
		# dpkg-source leaves links to the tarballs beside the tree
		find "$cache/build" -maxdepth 1 -name 'qemu_*.tar.*' -delete
		while read -r p; do
			case "$p" in '' | '#'*) continue ;; esac
			echo "linux-guest: patch ${p%% *}"
			patch -d "$tree" -p1 --batch --forward <"$patchdir/${p%% *}" ||
				die "patch ${p%% *} does not apply to $(basename "$dsc" .dsc)"
		done <"$patchdir/series"
		phase qemu-build
		mkdir -p "$tree/build"
		# shellcheck disable=SC2086 # QEMU_CONFIGURE_EXTRA is a word list
		(cd "$tree/build" &&
			PKG_CONFIG_PATH="$pcdir${PKG_CONFIG_PATH:+:$PKG_CONFIG_PATH}" \
				../configure --target-list=s390x-softmmu --disable-docs \
				${QEMU_CONFIGURE_EXTRA:-} >configure.log 2>&1 ||
			{ tail -n 30 configure.log >&2; exit 1; }) || die "QEMU configure failed"
		ninja -C "$tree/build" -j"$jobs" qemu-system-s390x
		mkdir -p "$qdir.tmp"
		cp "$tree/build/qemu-system-s390x" "$qdir.tmp/"
		rm -rf "$qdir"
		mv "$qdir.tmp" "$qdir"
		rm -rf "$tree"
	fi
fi

# ---- the guest's kernel, busybox, zctest, vectors, initramfs ----------------------------------

debs=${S390AP_DEBS:-$cache/debs}
guest="$cache/guest"
if [ $build = 1 ]; then
	phase guest-debs
	mkdir -p "$debs"
	kpkg=$(apt-cache depends linux-image-s390x:s390x 2>/dev/null |
		sed -n 's/^[[:space:]]*Depends:[[:space:]]*\(linux-image-[0-9][^:[:space:]]*-s390x\).*/\1/p' |
		head -n 1)
	[ -n "$kpkg" ] || die "cannot tell which kernel linux-image-s390x:s390x depends on" \
		"(is the s390x architecture enabled and apt-get update done?)"
	kdeb=$(find "$debs" -maxdepth 1 -name "${kpkg}_*_s390x.deb" -print -quit)
	bdeb=$(find "$debs" -maxdepth 1 -name 'busybox-static_*_s390x.deb' -print -quit)
	if [ -z "$kdeb" ] || [ -z "$bdeb" ]; then
		[ -z "${S390AP_DEBS:-}" ] || die "S390AP_DEBS=$debs lacks ${kpkg} or busybox-static"
		(cd "$debs" && apt-get download "$kpkg:s390x" busybox-static:s390x)
		kdeb=$(find "$debs" -maxdepth 1 -name "${kpkg}_*_s390x.deb" -print -quit)
		bdeb=$(find "$debs" -maxdepth 1 -name 'busybox-static_*_s390x.deb' -print -quit)
	fi
	if [ -z "$kdeb" ] || [ -z "$bdeb" ]; then
		die "kernel or busybox deb missing in $debs"
	fi
	echo "linux-guest: kernel $(basename "$kdeb"), $(basename "$bdeb")"

	phase guest-build
	mkdir -p "$guest"
	s390x-linux-gnu-gcc -std=c11 -static -O2 -Wall -Wextra -Werror \
		-o "$guest/zctest" "$guestdir/zctest.c"
	python3 "$guestdir/kat.py" "$guest/kat.txt"
	bash "$guestdir/mkinitramfs.sh" --kernel-deb "$kdeb" --busybox-deb "$bdeb" \
		--zctest "$guest/zctest" --kat "$guest/kat.txt" --out "$guest"
fi
for f in vmlinuz initrd.gz kat.txt; do
	[ -f "$guest/$f" ] || die "no $guest/$f (run without --no-build)"
done

# ---- the guest runs ---------------------------------------------------------------------------

export LD_LIBRARY_PATH="$libdir${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
mkdir -p "$cache/logs"
status=0
verdicts=()
# Bare metal first: the access exceptions Linux never provokes (translation,
# protection, addressing through QEMU's TLB; privileged operation; no device:
# operation exception), tests/qemu-bare/README.md.
phase bare
if QEMU_FIRMWARE_DIR="$firmware" bash "$repo/tests/qemu-bare/run.sh" "$qemu" "$libdir" \
	"$cache/bare" >"$cache/logs/bare.log" 2>&1; then
	grep -c '^exc: PASS' "$cache/logs/bare.log" | sed 's/^/linux-guest: bare metal: PASS, checks: /'
	verdicts+=("bare metal: PASS")
else
	cat "$cache/logs/bare.log"
	verdicts+=("bare metal: FAIL (log $cache/logs/bare.log)")
	status=1
fi

# The device refuses what it cannot build, with the file, line and column.
phase device-errors
bad="$cache/bare/bad.machine"
printf 'machine empty\nadapter 0x03 type CEX9\n' >"$bad"
device_error()
{
	local want=$1 out
	shift
	if out=$("$qemu" -M s390-ccw-virtio -display none -L "$firmware" -S "$@" 2>&1 </dev/null); then
		echo "linux-guest: QEMU started with $*"
		return 1
	fi
	case "$out" in
	*"$want"*) echo "linux-guest: refused as expected: ${out##*: s390ap: }" ;;
	*) echo "linux-guest: expected '$want', got: $out"; return 1 ;;
	esac
}
if device_error "s390ap: $bad:2:19: adapter: expected an adapter type" \
	-device "s390ap,config=$bad" &&
	device_error "s390ap: $cache/bare/none.machine: cannot open" \
		-device "s390ap,config=$cache/bare/none.machine" &&
	device_error "s390ap: only one s390ap device per machine" -device s390ap -device s390ap; then
	verdicts+=("device errors: PASS")
else
	verdicts+=("device errors: FAIL")
	status=1
fi

for mode in $modes; do
	phase "guest-$mode"
	device_args=()
	if [ -n "${S390AP_DEVICE_ARGS+set}" ]; then
		device_args=(--device-args "$S390AP_DEVICE_ARGS")
	fi
	# interruption mode runs two vCPUs (multi-threaded TCG: the device takes the BQL)
	smp_args=()
	[ "$mode" = irq ] && smp_args=(--qemu-arg=-smp --qemu-arg=2)
	run_args=()
	if [ -n "${S390AP_RUN_ARGS:-}" ]; then
		# shell-style words, quotes honoured
		mapfile -t run_args < <(python3 -c \
			'import shlex, sys; print("\n".join(shlex.split(sys.argv[1])))' "$S390AP_RUN_ARGS")
	fi
	if python3 "$guestdir/run.py" --qemu "$qemu" --firmware "$firmware" "${device_args[@]}" \
		--kernel "$guest/vmlinuz" --initrd "$guest/initrd.gz" --kat "$guest/kat.txt" \
		--machine "$guestdir/$mode.machine" --mode "$mode" --bench "$bench" \
		--apsim "$prefix/bin/apsim" "${smp_args[@]}" \
		--timeout "$timeout" --log "$cache/logs/$mode.log" \
		--summary "$cache/logs/$mode.json" "${run_args[@]}"; then
		verdicts+=("$mode: PASS")
	else
		verdicts+=("$mode: FAIL (log $cache/logs/$mode.log)")
		status=1
	fi
done
# The guest's throughput next to apbench's W5, the same RSA-2048 ME (e = 65537)
# issued by the library's own dispatcher with no guest around it (docs/qemu.md).
if [ "$bench" -gt 0 ] 2>/dev/null && [ -x "$libbuild/bench/apbench" ]; then
	phase bench
	"$libbuild/bench/apbench" --workload W5 --no-hercules --json \
		-o "$cache/logs/apbench-w5.json" >/dev/null || echo "linux-guest: apbench W5 failed"
	python3 - "$cache/logs" $modes <<'PY' | tee "$cache/logs/bench.txt"
import json, os, sys
logs, modes = sys.argv[1], sys.argv[2:]
def rate(text):
    kv = dict(w.split("=", 1) for w in text.split()[1:] if "=" in w)
    return float(kv["ops_per_s"])
try:
    w5 = json.load(open(os.path.join(logs, "apbench-w5.json")))["workloads"][0]["ops_per_sec"]
except (OSError, ValueError, KeyError, IndexError):
    w5 = None
print("linux-guest: RSA-2048 throughput (ops/s, us/op; ME with e = 65537 is apbench W5's operation)")
if w5:
    print(f"  apbench W5, library's dispatcher      me-pub-2048 {w5:8.0f} {1e6 / w5:7.1f}")
for mode in modes:
    try:
        benches = json.load(open(os.path.join(logs, mode + ".json"))).get("bench", [])
    except (OSError, ValueError):
        continue
    for b in benches:
        r = rate(b)
        ratio = f"  {w5 / r:4.1f}x W5's time" if w5 and b.startswith("me-pub-2048") else ""
        print(f"  guest {mode:4} (zcrypt, QEMU TCG)        {b.split()[0]:11} {r:8.0f} {1e6 / r:7.1f}{ratio}")
PY
fi

report_timings
printf 'linux-guest: %s\n' "${verdicts[@]}"
exit $status
