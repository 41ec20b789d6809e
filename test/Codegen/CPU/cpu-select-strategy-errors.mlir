// RUN: dwconv-opt %s --dwconv-outline-kernels --dwconv-cpu-select-strategy -verify-diagnostics

// softmax over the width of channels_first needs whole rows in a tile: a
// dynamic width would leave a tile's temporaries unbounded.
// expected-error @+1 {{layer 'softmax_dynamic_width': softmax over the width (the last axis of channels_first) needs whole rows in a tile, which a dynamic width does not bound; compile the layer for a static width}}
func.func @softmax_dynamic_width(%x: tensor<1x4x8x?xf32>, %k: tensor<3x3x4x1xf32>) -> tensor<1x4x8x?xf32> {
  %y = dwconv.depthwise_conv2d %x, %k padding same data_format channels_first activation softmax : tensor<1x4x8x?xf32>, tensor<3x3x4x1xf32>
  return %y : tensor<1x4x8x?xf32>
}
