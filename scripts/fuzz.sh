#!/usr/bin/env bash
# Fuzzes dwconv's input readers for a long time with libFuzzer: builds the
# fuzz targets with clang, AddressSanitizer and UndefinedBehaviorSanitizer in
# build-fuzz/, then runs each target for SECONDS (default 3600) on a copy of
# its corpus, in turn. Findings (crash-*, leak-*, timeout-*) are left in
# build-fuzz/findings/<target>/; fix them, then add the input to fuzz/corpus.
#   scripts/fuzz.sh [SECONDS] [TARGET...]
# $FUZZ_RSS_MB bounds each target's memory (default 4096); run several
# targets at once with one call per target.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD_DIR:-$root/build-fuzz}
seconds=${1:-3600}
shift || true
targets=("$@")
[ ${#targets[@]} -eq 0 ] && targets=(keras-json keras-archive npy mlir runtime)
if [ ! -f "$build/build.ninja" ]; then
  cmake -S "$root" -B "$build" -G Ninja -DCMAKE_C_COMPILER=clang \
    -DCMAKE_CXX_COMPILER=clang++ -DDWCONV_SANITIZE=address,undefined \
    -DDWCONV_ENABLE_BENCH=OFF
fi
cmake --build "$build" --target $(printf 'dwconv-fuzz-%s ' "${targets[@]}")
export ASAN_OPTIONS=detect_container_overflow=0:allow_user_poisoning=0:allocator_may_return_null=1
for target in "${targets[@]}"; do
  corpus=$build/corpus/$target findings=$build/findings/$target
  mkdir -p "$corpus" "$findings"
  cp -n "$root/fuzz/corpus/$target/"* "$corpus/" 2>/dev/null || true
  echo "== dwconv-fuzz-$target for ${seconds}s"
  "$build/bin/dwconv-fuzz-$target" -max_total_time="$seconds" -timeout=30 \
    -rss_limit_mb="${FUZZ_RSS_MB:-4096}" -artifact_prefix="$findings/" "$corpus" 2>&1 |
    grep -E '^(#[0-9]+[[:space:]]+(INITED|DONE)|Done |==[0-9]+==|SUMMARY|artifact)' || true
done
