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
run_check_suite "sanitized: "
