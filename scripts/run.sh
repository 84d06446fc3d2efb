#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Build the release preset and run apsim on its built-in default scenario.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/setup-deps.sh
export CMAKE_BUILD_PARALLEL_LEVEL=${CMAKE_BUILD_PARALLEL_LEVEL:-$(nproc)}

cmake --preset release
cmake --build --preset release
exec ./build/release/tools/apsim/apsim
