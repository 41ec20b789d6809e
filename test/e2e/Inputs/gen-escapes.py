"""Writes specs with terminal control sequences (hostile-text.test), or with
--check FILE exits 1 if FILE holds an ESC byte."""

import sys

if sys.argv[1] == "--check":
    sys.exit(1 if b"\x1b" in open(sys.argv[2], "rb").read() else 0)
out = sys.argv[1]
with open(out + "/esc.json", "w") as f:
    f.write('{"class_name":"DepthwiseConv2D","config":{"name":"L\\u001b[31mRED",'
            '"kernel_size":3,"padding":"\\u001b]0;pwned\\u0007",'
            '"batch_input_shape":[1,8,8,4]}}')
with open(out + "/esc.mlir", "w") as f:
    f.write("func.func @f(%x: tensor<1x8x8x4xf32>, %k: tensor<3x3x4x1xf32>) {\n"
            "  %y = dwconv.depthwise_conv2d %x, %k padding \x1b[2J : "
            "tensor<1x8x8x4xf32>, tensor<3x3x4x1xf32>\n  return\n}\n")
