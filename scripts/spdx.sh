#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Give every source file that lacks one an SPDX-License-Identifier line:
#   .c .h .S                           /* SPDX-License-Identifier: MIT */ first
#   .sh .py .cmake .cmake.in CMakeLists  # SPDX-License-Identifier: MIT first,
#                                      or after the #! line
# integrations/ is GPL-2.0-or-later, everything else MIT.
#
# usage: bash scripts/spdx.sh [PATH...]   (default: the whole repository)
exec bash "$(dirname "$0")/check-format.sh" --add-spdx "$@"
