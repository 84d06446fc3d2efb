#!/bin/sh
# SPDX-License-Identifier: MIT
# fake-sysfs.sh ROOT < LISTING - build a sysfs tree under ROOT from a sysfs
# listing (s390ap_machine_list, S390AP_LIST_SYSFS): the layout Linux has,
# card directories under devices/ap with their queues inside, links to
# each from bus/ap/devices, the bus attributes in bus/ap, and a few entries
# a real tree has besides (uevent, power/, driver) to keep the script honest.
# An attribute listed as "<missing>" is left out.
set -e
[ $# -eq 1 ] || {
	echo "usage: fake-sysfs.sh ROOT < LISTING" >&2
	exit 2
}
root=$1
mkdir -p "$root"
while IFS= read -r line; do
	path=${line%% *}
	value=${line#* }
	case $path in
	bus/ap/devices/*/*)
		name=${path#bus/ap/devices/}
		attr=${name#*/}
		name=${name%%/*}
		case $name in
		card*) rel=devices/ap/$name ;;
		*) rel=devices/ap/card${name%%.*}/$name ;;
		esac
		if [ ! -L "$root/bus/ap/devices/$name" ]; then
			mkdir -p "$root/$rel/power" "$root/bus/ap/devices" "$root/bus/ap/drivers/cex4"
			echo "DEV_TYPE=000E" >"$root/$rel/uevent"
			ln -s "../../../$rel" "$root/bus/ap/devices/$name"
			ln -s "../../../bus/ap/drivers/cex4" "$root/$rel/driver"
		fi
		[ "$value" = "<missing>" ] || printf '%s\n' "$value" >"$root/$rel/$attr"
		;;
	bus/ap/*)
		mkdir -p "$root/bus/ap/devices"
		[ "$value" = "<missing>" ] || printf '%s\n' "$value" >"$root/$path"
		;;
	esac
done
