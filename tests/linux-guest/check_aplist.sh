#!/bin/sh
# SPDX-License-Identifier: MIT
# check_aplist.sh APSIM WORKDIR - for several machines, apsim prints the two
# listings (s390ap_machine_list); fake-sysfs.sh builds the sysfs tree a
# Linux guest would have from the sysfs listing; aplist.sh, run on that
# tree, must print both listings byte for byte.  Then a damaged tree must
# show its damage.  Run by ctest with busybox sh when there is one.
set -e
[ $# -eq 2 ] || {
	echo "usage: check_aplist.sh APSIM WORKDIR" >&2
	exit 2
}
apsim=$1
work=$2
here=$(cd "$(dirname "$0")" && pwd)
# APLIST_SHELL: the shell to run the scripts with, e.g. "busybox sh"
shell=${APLIST_SHELL:-sh}
fails=0

# section NAME < apsim output: the lines between "@@ NAME" and the next "@@"
section() {
	awk -v want="@@ $1" '/^@@ /{on = ($0 == want); next} on'
}

# run_case NAME: the scenario comes on standard input (machine statements
# and faults); the listings are printed after it.
run_case() {
	name=$1
	dir=$work/$name
	rm -rf "$dir"
	mkdir -p "$dir"
	{
		cat
		printf '%s\n' 'echo "@@ lszcrypt"' 'print lszcrypt' 'echo "@@ sysfs"' 'print sysfs' \
			'echo "@@ polling"' 'print sysfs polling' 'echo "@@ end"'
	} >"$dir/case.scn"
	"$apsim" "$dir/case.scn" >"$dir/apsim.out"
	for kind in lszcrypt sysfs polling; do
		section "$kind" <"$dir/apsim.out" >"$dir/host.$kind"
	done
	for kind in sysfs polling; do
		$shell "$here/fake-sysfs.sh" "$dir/root.$kind" <"$dir/host.$kind"
		AP_SYSFS_ROOT=$dir/root.$kind $shell "$here/aplist.sh" sysfs >"$dir/guest.$kind"
		compare "$name $kind" "$dir/host.$kind" "$dir/guest.$kind"
	done
	AP_SYSFS_ROOT=$dir/root.sysfs $shell "$here/aplist.sh" lszcrypt >"$dir/guest.lszcrypt"
	compare "$name lszcrypt" "$dir/host.lszcrypt" "$dir/guest.lszcrypt"
}

compare() {
	if cmp -s "$2" "$3"; then
		echo "ok   $1"
	else
		echo "FAIL $1: host (-) and guest (+) differ:"
		diff -u "$2" "$3" || :
		fails=$((fails + 1))
	fi
}

run_case default <<'SCN'
machine default
SCN

# deconfigured and checkstopped adapters, a control-only domain, adapters
# on both sides of 0xca (the sort order of queue and card names), requests
run_case faults <<'SCN'
machine empty
adapter 0x01 type CEX8 mode cca
adapter 0x04 type CEX7 mode accel depth 4 ml 8
adapter 0x05 type CEX6 mode ep11
adapter 0xca type CEX5 mode accel
adapter 0xcb type CEX4 mode cca
domain 1
domain 2 control
domain 0x20 usage
let n = 0xbcb85c6c0d3b2c1e5f4f4e8d1a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c5
load builtin rsa
request type50 me at 0x20000 modulus n exponent 65537 message 0x1234 length len
set gr 9 0xca01
set gr 7 len
run until halt
inject now deconfigure 4
inject now checkstop 5
SCN

# no APFT: TAPQ gives no facility word, so zcrypt takes no card
run_case no_apft <<'SCN'
machine default
facilities default -APFT -AQIC
SCN

# no QCI: masks "not supported", ids up to 63 / 15
run_case no_qci <<'SCN'
machine empty
facilities default -QCI
adapter 0x02 mode ep11
adapter 0x40
domain 3
domain 0x10
SCN

run_case empty <<'SCN'
machine empty
SCN

# A damaged tree: a missing attribute and a queue directory that is gone
# must show in the guest's listings.
dir=$work/faults
rm -f "$dir/root.sysfs/devices/ap/card01/type"
rm -rf "$dir/root.sysfs/devices/ap/card01/01.0020" "$dir/root.sysfs/bus/ap/devices/01.0020"
AP_SYSFS_ROOT=$dir/root.sysfs $shell "$here/aplist.sh" sysfs >"$dir/damaged.sysfs"
if grep -qx 'bus/ap/devices/card01/type <missing>' "$dir/damaged.sysfs" &&
	! grep -q '^bus/ap/devices/01.0020/' "$dir/damaged.sysfs"; then
	echo "ok   damaged tree: sysfs shows the missing type and the missing queue"
else
	echo "FAIL damaged tree: sysfs listing does not show the damage"
	fails=$((fails + 1))
fi
AP_SYSFS_ROOT=$dir/root.sysfs $shell "$here/aplist.sh" lszcrypt >"$dir/damaged.lszcrypt"
if cmp -s "$dir/host.lszcrypt" "$dir/damaged.lszcrypt"; then
	echo "FAIL damaged tree: lszcrypt listing unchanged"
	fails=$((fails + 1))
else
	echo "ok   damaged tree: lszcrypt listing differs"
fi

[ "$fails" -eq 0 ] || {
	echo "$fails check(s) failed"
	exit 1
}
