#!/usr/bin/env bash
# Builds dwconv (installing what is missing) and runs every test: the lit
# suite (FileCheck, diagnostics, round trip) and the C++ unit tests.
set -euo pipefail
source "$(dirname "$0")/common.sh"
build_dwconv
log=$BUILD_DIR/check-dwconv.log
status=0
cmake --build "$BUILD_DIR" --target check-dwconv 2>&1 | tee "$log" || status=$?
passed=$(sed -n 's/^ *Passed *: *\([0-9]*\).*/\1/p' "$log" | tail -n 1)
failed=$(sed -n 's/^ *Failed *: *\([0-9]*\).*/\1/p' "$log" | tail -n 1)
echo "${passed:-0} passed, ${failed:-0} failed"
exit "$status"
