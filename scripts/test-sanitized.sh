#!/usr/bin/env bash
# Builds dwconv with AddressSanitizer and UndefinedBehaviorSanitizer in
# build-sanitized/ (installing what is missing) and runs every test there:
# the tools, the runtime and the C programs the tests build are all
# instrumented; any report fails the test it happens in.
set -euo pipefail
export BUILD_DIR=${BUILD_DIR:-$(cd "$(dirname "$0")/.." && pwd)/build-sanitized}
source "$(dirname "$0")/common.sh"
install_missing_packages
if [ ! -f "$BUILD_DIR/build.ninja" ]; then
  cmake -S "$DWCONV_ROOT" -B "$BUILD_DIR" -G Ninja -DDWCONV_ENABLE_WERROR=ON \
    -DDWCONV_SANITIZE=address,undefined -DDWCONV_ENABLE_BENCH=OFF
fi
log=$BUILD_DIR/check-dwconv.log
status=0
cmake --build "$BUILD_DIR" --target check-dwconv 2>&1 | tee "$log" || status=$?
passed=$(sed -n 's/^ *Passed *: *\([0-9]*\).*/\1/p' "$log" | tail -n 1)
failed=$(sed -n 's/^ *Failed *: *\([0-9]*\).*/\1/p' "$log" | tail -n 1)
echo "sanitized: ${passed:-0} passed, ${failed:-0} failed"
exit "$status"
