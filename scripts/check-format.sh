#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The house-keeping checks, from the repository root:
#   format    every .c/.h under src include tools tests bench examples is
#             as clang-format (14 or later, .clang-format) would write it;
#   spdx      every source file (.c .h .S .sh .py .cmake .cmake.in,
#             CMakeLists.txt) has an SPDX-License-Identifier line in its first
#             three lines: MIT, GPL-2.0-or-later under integrations/;
#   pointers  no file points outside the repository (a sibling checkout,
#             design notes or specs kept elsewhere) or talks about how the work
#             was organised (issue numbers, "moved from") instead of the project.
#
# usage: bash scripts/check-format.sh [--fix | --add-spdx] [PATH...]
#   (no option)  check; list what fails and exit 1 if anything does
#   --fix        reformat the C files and add missing SPDX lines, then check
#   --add-spdx   only add missing SPDX lines (what scripts/spdx.sh runs)
#   PATH...      limit everything to these files or directories
# CLANG_FORMAT names the clang-format binary (default: clang-format, else
# clang-format-14 and later).
set -euo pipefail
cd "$(dirname "$0")/.."

mode=check
case "${1:-}" in
--fix) mode=fix; shift ;;
--add-spdx) mode=spdx; shift ;;
-h | --help) sed -n '3,/^set -e/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
-*) echo "check-format: unknown option $1" >&2; exit 2 ;;
esac
paths=("$@")
[ ${#paths[@]} -gt 0 ] || paths=(.)

# ---- file selection -------------------------------------------------------

# The repository's files under the paths, without build trees and fuzz data.
list_files()
{
	if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
		# tracked and new (not ignored) files that still exist
		# shellcheck disable=SC2016 # the inner sh expands $f
		git ls-files -z --cached --others --exclude-standard -- "${paths[@]}" |
			xargs -0 -r sh -c 'for f; do [ -f "$f" ] && printf "%s\n" "$f"; done' sh
	else
		find "${paths[@]}" \( -name .git -o -name build -o -name 'build-*' \) -prune \
			-o -type f -print | sed 's|^\./||'
	fi | grep -Ev '^(build|build-[^/]*)/|^tests/fuzz/(corpus|regress|seeds)/' | sort -u
}

mapfile -t files < <(list_files)
mapfile -t c_files < <(printf '%s\n' "${files[@]}" |
	grep -E '^(src|include|tools|tests|bench|examples)/.*\.[ch]$' || true)
mapfile -t spdx_files < <(printf '%s\n' "${files[@]}" |
	grep -E '\.(c|h|S|sh|py|cmake|cmake\.in)$|(^|/)CMakeLists\.txt$' || true)

# ---- SPDX -------------------------------------------------------------------

spdx_license()
{
	case "$1" in
	integrations/*) echo GPL-2.0-or-later ;;
	*) echo MIT ;;
	esac
}

spdx_present()
{
	head -n 3 "$1" | grep -qF "SPDX-License-Identifier: $(spdx_license "$1")"
}

# The identifier goes first, or after a #! line.
spdx_add()
{
	local f=$1 line tmp

	case "$f" in
	*.c | *.h | *.S) line="/* SPDX-License-Identifier: $(spdx_license "$f") */" ;;
	*) line="# SPDX-License-Identifier: $(spdx_license "$f")" ;;
	esac
	tmp=$(mktemp "$f.XXXXXX")
	if head -n 1 "$f" | grep -q '^#!'; then
		{ head -n 1 "$f"; printf '%s\n' "$line"; tail -n +2 "$f"; } >"$tmp"
	else
		{ printf '%s\n' "$line"; cat "$f"; } >"$tmp"
	fi
	chmod --reference="$f" "$tmp"
	mv "$tmp" "$f"
	echo "spdx: added to $f"
}

if [ "$mode" != check ]; then
	for f in "${spdx_files[@]}"; do
		spdx_present "$f" || spdx_add "$f"
	done
	[ "$mode" = fix ] || exit 0
fi

# ---- clang-format -------------------------------------------------------------

find_clang_format()
{
	local c

	for c in "${CLANG_FORMAT:-}" clang-format clang-format-{14..19}; do
		[ -n "$c" ] && command -v "$c" >/dev/null 2>&1 && { echo "$c"; return 0; }
	done
	return 1
}

cf=$(find_clang_format) || {
	echo "check-format: clang-format not found (Debian: apt-get install clang-format)" >&2
	exit 2
}
cf_major=$("$cf" --version | sed -n 's/.*version \([0-9]*\).*/\1/p')
if [ "${cf_major:-0}" -lt 14 ]; then
	echo "check-format: $cf is version ${cf_major:-?}; .clang-format needs 14 or later" >&2
	exit 2
fi

if [ "$mode" = fix ] && [ ${#c_files[@]} -gt 0 ]; then
	"$cf" -i --style=file "${c_files[@]}"
fi

fail=0
bad_format=()
for f in "${c_files[@]}"; do
	"$cf" --style=file "$f" | cmp -s - "$f" || bad_format+=("$f")
done
if [ ${#bad_format[@]} -gt 0 ]; then
	fail=1
	echo "format: ${#bad_format[@]} file(s) differ from $cf's output" \
		"(bash scripts/check-format.sh --fix):"
	printf '  %s\n' "${bad_format[@]}"
fi

bad_spdx=()
for f in "${spdx_files[@]}"; do
	spdx_present "$f" || bad_spdx+=("$f")
done
if [ ${#bad_spdx[@]} -gt 0 ]; then
	fail=1
	echo "spdx: ${#bad_spdx[@]} file(s) without an SPDX-License-Identifier line" \
		"(bash scripts/spdx.sh):"
	printf '  %s\n' "${bad_spdx[@]}"
fi

# ---- pointers outside the repository ---------------------------------------------

# This script names the patterns, so it is the one file not searched.
pointer_re='\.\./shared|(^|[^[:alnum:]_])(design|messages)\.md|(^|[^[:alnum:]_])spec/'
pointer_re+='|shared spec|(^|[^[:alnum:]_])issue[- ]?#?[0-9]|moved from'
mapfile -t text_files < <(printf '%s\n' "${files[@]}" | grep -vxF 'scripts/check-format.sh')
hits=""
if [ ${#text_files[@]} -gt 0 ]; then
	hits=$(printf '%s\0' "${text_files[@]}" |
		xargs -0 grep -InHiE "$pointer_re" -- 2>/dev/null || true)
fi
if [ -n "$hits" ]; then
	fail=1
	echo "pointers: say it in the project's own words (and put the facts in docs/):"
	printf '%s\n' "$hits" | cut -c1-200 | sed 's/^/  /'
fi

if [ $fail -eq 0 ]; then
	echo "check-format: ${#c_files[@]} C files formatted, ${#spdx_files[@]} source files" \
		"licensed, no pointers outside the repository"
fi
exit $fail
