#!/usr/bin/env bash
# The long ThreadSanitizer run (the test suite's runtime/threads-tsan.test is
# the short one, in every run of the suite): builds dwconv with
# ThreadSanitizer in build-tsan/ and runs what splits calls over threads:
# the randomized sweeps, TensorFlow's vectors and the Keras golden suite, each case at 1, 2, 3 and 8 threads and through a caller's
# pool, plus the runtime's own test. Any report fails the run.
set -euo pipefail
source "$(dirname "$0")/common.sh"
install_missing_packages
cd "$DWCONV_ROOT"
build=$DWCONV_ROOT/build-tsan
if [ ! -f "$build/build.ninja" ]; then
  cmake -S . -B "$build" -G Ninja -DLLVM_USE_SANITIZER=Thread \
    -DCMAKE_BUILD_TYPE=RelWithDebInfo
fi
cmake --build "$build" --target dwconv-sweep dwconv-run dwconv_runtime
export TSAN_OPTIONS="suppressions=$DWCONV_ROOT/utils/tsan.supp halt_on_error=1"
count=${SWEEP_COUNT:-300}
"$build/bin/dwconv-sweep" --count "$count" --threads 1,2,3,8 --caller-pool
"$build/bin/dwconv-sweep" --count "$count" --integer --threads 1,2,3,8 \
  --caller-pool
for vectors in tf_depthwise_conv_op_test.json keras_golden.json; do
  python3 utils/run-conformance.py --threads 1,2,3,8 --caller-pool \
    --dwconv-run "$build/bin/dwconv-run" "test/e2e/data/$vectors" | tail -n 2
done
cc -std=c11 -g -fsanitize=thread -pthread -Iruntime/include \
  test/runtime/runtime-test.c runtime/src/runtime.c runtime/src/pool.c \
  runtime/src/cuda.c -ldl -o "$build/runtime-test"
"$build/runtime-test" > /dev/null
echo "ThreadSanitizer: no reports"
