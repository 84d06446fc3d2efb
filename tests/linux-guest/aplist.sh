#!/bin/sh
# SPDX-License-Identifier: MIT
# aplist.sh - the AP devices of a running Linux guest, in the two listings
# s390ap_machine_list makes of the machine (docs/listings.md):
#
#   aplist.sh lszcrypt   lszcrypt's default table (s390-tools 2.25)
#   aplist.sh sysfs      the AP bus attributes, one "path value" line each
#
# POSIX sh; busybox ash and its cat, ls, sort, printf are enough.  The sysfs
# root is $AP_SYSFS_ROOT (default /sys), so the script also runs on a copy.
# An attribute that is not there reads as "<missing>", so a diff against the
# host's listing shows it instead of hiding it.

ROOT=${AP_SYSFS_ROOT:-/sys}
BUS=$ROOT/bus/ap
MISSING='<missing>'

usage() {
	echo "usage: aplist.sh lszcrypt|sysfs" >&2
	exit 2
}

# The first line of a file without its newline, or the marker.
val() {
	if [ -f "$1" ] && [ -r "$1" ]; then
		v=
		IFS= read -r v <"$1" || :
		printf '%s' "$v"
	else
		printf '%s' "$MISSING"
	fi
}

# A decimal attribute as lszcrypt reads it: -1 when unreadable or no number.
num() {
	n=$(val "$1")
	case $n in
	'' | *[!0-9-]* | ?*-*) n=-1 ;;
	esac
	printf '%s' "$n"
}

# Names in a directory that match a shell pattern, in byte order (the
# glob's own order follows the locale).
names() {
	for p in "$1"/*; do
		[ -e "$p" ] || [ -L "$p" ] || continue
		n=${p##*/}
		# shellcheck disable=SC2254 # the pattern is meant to match
		case $n in
		$2) printf '%s\n' "$n" ;;
		esac
	done | LC_ALL=C sort
}

# ---- lszcrypt ----

# MODE from ap_functions: D, then A, then X, as lszcrypt tests them.
mode_of() {
	f=$(val "$1")
	case $f in
	0x[0-9a-fA-F]* | 0X[0-9a-fA-F]*) ;;
	*) f=0 ;;
	esac
	if [ $((f & 0x10000000)) -ne 0 ]; then
		echo "CCA-Coproc"
	elif [ $((f & 0x08000000)) -ne 0 ]; then
		echo "Accelerator"
	elif [ $((f & 0x04000000)) -ne 0 ]; then
		echo "EP11-Coproc"
	else
		echo "Unknown"
	fi
}

# One row: ID, the card's directory, the device's directory.
row() {
	config=$(num "$3/config")
	chkstop=$(num "$3/chkstop")
	online=$(num "$3/online")
	if [ "$config" -eq 0 ]; then
		status=deconfig
	elif [ "$chkstop" -gt 0 ]; then
		status=chkstop
	elif [ "$online" -gt 0 ]; then
		status=online
	elif [ "$online" -eq 0 ]; then
		status=offline
	else
		status=-
	fi
	if [ "$config" -eq 0 ]; then
		requests=-
	else
		requests=$(val "$3/request_count")
	fi
	printf '%-8s %-5s %-11s %-10s %8s\n' "$1" "$(val "$2/type")" "$(mode_of "$2/ap_functions")" \
		"$status" "$requests"
}

list_lszcrypt() {
	devices=$ROOT/devices/ap
	cards=$(names "$devices" 'card[0-9a-fA-F]*')
	if [ -z "$cards" ]; then
		echo "aplist.sh: no crypto card devices found" >&2
		return 0
	fi
	printf '%-8s %-5s %-11s %-10s %8s\n' CARD.DOM TYPE MODE STATUS REQUESTS
	echo "----------------------------------------------"
	for card in $cards; do
		dir=$devices/$card
		# like lszcrypt: skip what no zcrypt driver took
		if [ ! -r "$dir/type" ] || [ ! -r "$dir/online" ]; then
			continue
		fi
		row "${card#card}" "$dir" "$dir"
		for queue in $(names "$dir" '??.????'); do
			[ -r "$dir/$queue/online" ] || continue
			row "$queue" "$dir" "$dir/$queue"
		done
	done
}

# ---- sysfs ----

CARD_ATTRS="ap_functions chkstop config depth hwtype max_msg_size modalias online raw_hwtype request_count type"
QUEUE_ATTRS="chkstop config interrupt online request_count"
BUS_ATTRS="ap_adapter_mask ap_control_domain_mask ap_domain ap_interrupts ap_max_adapter_id ap_max_domain_id ap_usage_domain_mask"

list_sysfs() {
	if [ ! -d "$BUS" ]; then
		echo "bus/ap $MISSING"
		return 0
	fi
	{
		for a in $BUS_ATTRS; do
			printf 'bus/ap/%s %s\n' "$a" "$(val "$BUS/$a")"
		done
		for dev in $(names "$BUS/devices" '*'); do
			case $dev in
			card[0-9a-fA-F][0-9a-fA-F]) attrs=$CARD_ATTRS ;;
			[0-9a-fA-F][0-9a-fA-F].[0-9a-fA-F][0-9a-fA-F][0-9a-fA-F][0-9a-fA-F]) attrs=$QUEUE_ATTRS ;;
			*) continue ;;
			esac
			for a in $attrs; do
				printf 'bus/ap/devices/%s/%s %s\n' "$dev" "$a" "$(val "$BUS/devices/$dev/$a")"
			done
		done
	} | LC_ALL=C sort
}

[ $# -eq 1 ] || usage
if [ ! -d "$BUS" ] && [ "$1" = lszcrypt ]; then
	echo "aplist.sh: no AP bus under $ROOT" >&2
	exit 0
fi
case $1 in
lszcrypt) list_lszcrypt ;;
sysfs) list_sysfs ;;
*) usage ;;
esac
