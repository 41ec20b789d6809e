#!/usr/bin/env bash
# Builds dwconv (installing what is missing), compiles the bundled Keras layer
# config to an object file and a C header, links it with a small C program and
# the runtime, runs it and checks it against a double-precision reference.
set -euo pipefail
source "$(dirname "$0")/common.sh"
build_dwconv --target dwconv-compile --target dwconv_runtime
cd "$DWCONV_ROOT"
out=$BUILD_DIR/example
mkdir -p "$out"

echo "== dwconv-compile examples/block_1_depthwise.json -o $out/layer.o --header $out/layer.h"
"$BUILD_DIR/bin/dwconv-compile" examples/block_1_depthwise.json \
  -o "$out/layer.o" --header "$out/layer.h"
sed -n '/^\/\* Layer/,/^ \*\//p' "$out/layer.h"

echo "== cc examples/run_layer.c $out/layer.o + runtime, and run it"
cc -std=c11 -O2 -include "$out/layer.h" -Iruntime/include -Itest/e2e/lib \
  examples/run_layer.c test/e2e/lib/reference.c "$out/layer.o" \
  "$BUILD_DIR/lib/libdwconv_runtime.a" -lm -pthread -o "$out/run_layer"
"$out/run_layer"
