// RUN: dwconv-opt %s --dwconv-infer-shapes --split-input-file -verify-diagnostics

// A refinement that exposes a contradiction is reported, not papered over.

func.func @channels_revealed(%x: tensor<1x8x8x4xf32>, %k1: tensor<3x3x4x2xf32>, %k2: tensor<3x3x4x1xf32>) -> tensor<?x?x?x?xf32> {
  %a = dwconv.depthwise_conv2d %x, %k1 : tensor<1x8x8x4xf32>, tensor<3x3x4x2xf32> -> tensor<?x?x?x?xf32>
  // expected-error @+1 {{'depthwise_kernel' has 4 channels (dim 2 of (kh, kw, C, M)) but 'input' has 8 (dim 3 of (N, H, W, C))}}
  %b = dwconv.depthwise_conv2d %a, %k2 : tensor<?x?x?x?xf32>, tensor<3x3x4x1xf32> -> tensor<?x?x?x?xf32>
  return %b : tensor<?x?x?x?xf32>
}

// -----

func.func @empty_output_revealed(%x: tensor<1x8x8x4xf32>, %k1: tensor<3x3x4x1xf32>, %k2: tensor<7x7x4x1xf32>) -> tensor<?x?x?x?xf32> {
  %a = dwconv.depthwise_conv2d %x, %k1 : tensor<1x8x8x4xf32>, tensor<3x3x4x1xf32> -> tensor<?x?x?x?xf32>
  // expected-error @+1 {{'valid' padding gives an empty output: the input height (6) is smaller than the dilated kernel height (k - 1) * dilation + 1 = 7}}
  %b = dwconv.depthwise_conv2d %a, %k2 : tensor<?x?x?x?xf32>, tensor<7x7x4x1xf32> -> tensor<?x?x?x?xf32>
  return %b : tensor<?x?x?x?xf32>
}
