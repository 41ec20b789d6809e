#!/usr/bin/env bash
# Builds dwconv (installing what is missing) and runs it on the bundled
# example: shape inference on a MobileNetV2-style block, then a layer config
# that Keras rejects, rejected by the verifier with Keras's reason.
set -euo pipefail
source "$(dirname "$0")/common.sh"
build_dwconv --target dwconv-opt
cd "$DWCONV_ROOT"
opt=$BUILD_DIR/bin/dwconv-opt

echo "== dwconv-opt examples/mobilenet_block.mlir --dwconv-infer-shapes"
"$opt" examples/mobilenet_block.mlir --dwconv-infer-shapes

echo "== dwconv-opt examples/invalid_config.mlir (must be rejected)"
if "$opt" examples/invalid_config.mlir >/dev/null; then
  echo "error: the invalid config was accepted" >&2
  exit 1
fi
echo "== rejected, as Keras rejects it"
