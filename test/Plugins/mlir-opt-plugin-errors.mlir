// UNSUPPORTED: sanitized
// The op's verifier through the dialect plugin in stock mlir-opt.
// RUN: mlir-opt %s --load-dialect-plugin=%dwconv_obj_root/lib/DWConvDialectPlugin.so -split-input-file -verify-diagnostics

func.func @odd_glu(%x: tensor<1x8x8x3xf32>, %k: tensor<3x3x3x1xf32>) {
  // expected-error @+1 {{activation 'glu' splits the last axis (channels) into halves: it must be even, got 3}}
  %y = dwconv.depthwise_conv2d %x, %k activation glu : tensor<1x8x8x3xf32>, tensor<3x3x3x1xf32>
  return
}

// -----

func.func @kernel_channels(%x: tensor<1x8x8x4xf32>, %k: tensor<3x3x5x1xf32>) {
  // expected-error @+1 {{'dwconv.depthwise_conv2d' op}}
  %y = dwconv.depthwise_conv2d %x, %k : tensor<1x8x8x4xf32>, tensor<3x3x5x1xf32>
  return
}
