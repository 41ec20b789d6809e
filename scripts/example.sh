#!/usr/bin/env bash
# Builds dwconv (installing what is missing), compiles the bundled Keras model
# of MobileNetV2's block_1 (ZeroPadding2D, DepthwiseConv2D, BatchNormalization,
# ReLU(6); weights baked) to an object file and a C header, links it with a
# small C program and the runtime, runs it and checks it against the output
# Keras computed for the same block.
set -euo pipefail
source "$(dirname "$0")/common.sh"
build_dwconv --target dwconv-compile --target dwconv_runtime
cd "$DWCONV_ROOT"
out=$BUILD_DIR/example
mkdir -p "$out"

echo "== dwconv-compile examples/mobilenet_v2_block_1.keras -o $out/block.o --header $out/block.h"
"$BUILD_DIR/bin/dwconv-compile" examples/mobilenet_v2_block_1.keras \
  -o "$out/block.o" --header "$out/block.h"
sed -n '/^\/\* Layer/,/^ \*\//p' "$out/block.h"

echo "== cc examples/run_block.c $out/block.o + runtime, and run it"
cc -std=c11 -O2 -include "$out/block.h" -Iruntime/include -Iexamples \
  examples/run_block.c "$out/block.o" \
  "$BUILD_DIR/lib/libdwconv_runtime.a" -lm -pthread -o "$out/run_block"
"$out/run_block"
