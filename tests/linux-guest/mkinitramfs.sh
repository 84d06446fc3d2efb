#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Build the Linux guest test's initramfs (tests/linux-guest/README.md).
#
# usage: mkinitramfs.sh --kernel-deb DEB --busybox-deb DEB --zctest BIN --kat FILE
#                       --out DIR [--machine FILE]
#   Writes DIR/vmlinuz (the kernel from the deb), DIR/initrd.gz and DIR/kver.
#   The initramfs holds busybox (static), /init, zctest, the KAT vectors, the
#   AP listing script if tests/linux-guest/aplist.sh exists, the machine file if
#   given, and the zcrypt modules with what they depend on (from the modules'
#   own "depends=" records, compressed modules decompressed; the deb has no
#   modules.dep: depmod runs at install time).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
kernel_deb="" busybox_deb="" zctest="" kat="" out="" machine=""
while [ $# -gt 0 ]; do
	case "$1" in
	--kernel-deb) kernel_deb=$2; shift 2 ;;
	--busybox-deb) busybox_deb=$2; shift 2 ;;
	--zctest) zctest=$2; shift 2 ;;
	--kat) kat=$2; shift 2 ;;
	--out) out=$2; shift 2 ;;
	--machine) machine=$2; shift 2 ;;
	-h | --help) sed -n '3,12p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
	*) echo "mkinitramfs: unknown argument $1" >&2; exit 2 ;;
	esac
done
for v in kernel_deb busybox_deb zctest kat out; do
	if [ -z "${!v}" ]; then
		echo "mkinitramfs: --${v//_/-} is required" >&2
		exit 2
	fi
done
for f in "$kernel_deb" "$busybox_deb" "$zctest" "$kat" ${machine:+"$machine"}; do
	[ -f "$f" ] || { echo "mkinitramfs: $f: no such file" >&2; exit 1; }
done
for tool in dpkg-deb cpio gzip xz; do
	command -v "$tool" >/dev/null || { echo "mkinitramfs: $tool not found" >&2; exit 1; }
done

# The modules the test needs; their dependencies are added below.
wanted=(zcrypt_cex4)

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$out"
dpkg-deb -x "$kernel_deb" "$work/kernel"
dpkg-deb -x "$busybox_deb" "$work/busybox"

kver=$(ls "$work/kernel/lib/modules")
if [ "$(echo "$kver" | wc -w)" -ne 1 ]; then
	echo "mkinitramfs: expected one kernel version in the deb, found: $kver" >&2
	exit 1
fi
kmods="$work/kernel/lib/modules/$kver"
vmlinuz="$work/kernel/boot/vmlinuz-$kver"
[ -f "$vmlinuz" ] || { echo "mkinitramfs: no boot/vmlinuz-$kver in the deb" >&2; exit 1; }

root="$work/root"
mkdir -p "$root"/{bin,sbin,proc,sys,dev,tmp,etc,root,"lib/modules/$kver"}
cp "$work/busybox/bin/busybox" "$root/bin/busybox"
ln -s busybox "$root/bin/sh"
install -m 0755 "$here/init" "$root/init"
install -m 0755 "$zctest" "$root/bin/zctest"
install -m 0644 "$kat" "$root/kat.txt"
if [ -f "$here/aplist.sh" ]; then
	install -m 0755 "$here/aplist.sh" "$root/bin/aplist.sh"
fi
if [ -n "$machine" ]; then
	install -m 0644 "$machine" "$root/etc/s390ap.machine"
fi
# The kernel's built-in initramfs has /dev/console already; add it when we can.
if [ "$(id -u)" -eq 0 ]; then
	mknod -m 0600 "$root/dev/console" c 5 1
fi

# path of a module by name (kernel/.../NAME.ko[.xz|.zst]), relative to $kmods
module_path()
{
	local n f
	for n in "$1" "${1//_/-}"; do
		for f in "$n.ko" "$n.ko.xz" "$n.ko.zst" "$n.ko.gz"; do
			f=$(cd "$kmods" && find kernel -name "$f" -print -quit)
			if [ -n "$f" ]; then
				echo "$f"
				return 0
			fi
		done
	done
}

# decompressed copy of a module into the initramfs; prints its .ko path
install_module()
{
	local rel=$1 dst
	dst="${rel%.xz}"
	dst="${dst%.zst}"
	dst="${dst%.gz}"
	mkdir -p "$root/lib/modules/$kver/$(dirname "$dst")"
	case "$rel" in
	*.xz) xz -dc "$kmods/$rel" >"$root/lib/modules/$kver/$dst" ;;
	*.gz) gzip -dc "$kmods/$rel" >"$root/lib/modules/$kver/$dst" ;;
	*.zst) zstd -qdc "$kmods/$rel" >"$root/lib/modules/$kver/$dst" ;;
	*) cp "$kmods/$rel" "$root/lib/modules/$kver/$dst" ;;
	esac
	echo "$dst"
}

# the module's "depends=" record (comma separated names)
module_depends()
{
	local rec
	rec=$(grep -a -o -m 1 'depends=[A-Za-z0-9_,-]*' "$root/lib/modules/$kver/$1" || true)
	rec=${rec%%$'\n'*}
	rec=${rec#depends=}
	echo "${rec//,/ }"
}

declare -A done_mod
load_order=()
dep_lines=()
add_module()
{
	local name=${1//-/_} rel ko deps d dep_paths=()
	[ -z "${done_mod[$name]:-}" ] || return 0
	done_mod[$name]=busy
	if grep -qE "/(${name}|${name//_/-})\.ko$" "$kmods/modules.builtin" 2>/dev/null; then
		done_mod[$name]=builtin
		return 0
	fi
	rel=$(module_path "$name")
	if [ -z "$rel" ]; then
		echo "mkinitramfs: module $name is neither in the deb nor built in" >&2
		exit 1
	fi
	ko=$(install_module "$rel")
	deps=$(module_depends "$ko")
	for d in $deps; do
		add_module "$d"
		[ "${done_mod[${d//-/_}]}" = builtin ] || dep_paths+=("${done_mod[${d//-/_}]}")
	done
	done_mod[$name]=$ko
	load_order+=("$ko")
	dep_lines+=("$ko:${dep_paths[*]:+ ${dep_paths[*]}}")
}
for m in "${wanted[@]}"; do
	add_module "$m"
done
printf '%s\n' "${dep_lines[@]}" >"$root/lib/modules/$kver/modules.dep"
printf '%s\n' "${load_order[@]}" >"$root/lib/modules/$kver/modules.load"
cp "$kmods/modules.builtin" "$root/lib/modules/$kver/" 2>/dev/null || true
echo "mkinitramfs: kernel $kver, modules in load order: ${load_order[*]}"

(cd "$root" && find . -mindepth 1 | LC_ALL=C sort |
	cpio -o -H newc -R 0:0 --reproducible --quiet) | gzip -9n >"$out/initrd.gz.tmp"
mv "$out/initrd.gz.tmp" "$out/initrd.gz"
cp "$vmlinuz" "$out/vmlinuz"
echo "$kver" >"$out/kver"
echo "mkinitramfs: wrote $out/vmlinuz and $out/initrd.gz ($(du -k "$out/initrd.gz" | cut -f1) KiB)"
