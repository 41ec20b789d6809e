// RUN: dwconv-opt %s --dwconv-cpu-vectorize | FileCheck %s

// A kernel whose form the vector path does not know (here its output is a
// fill, not a contraction) goes to the loop path: the pass drops its
// register block and leaves it as it was; its static width bounds the loop
// path's temporaries.
// CHECK-LABEL: func.func private @kernel
// CHECK-NOT: dwconv.register_block
// CHECK-SAME: dwconv.tile_shape = array<i64: 1, 0, 0, 0>
// CHECK-NOT: scf.forall
// CHECK: linalg.fill
// CHECK: bufferization.materialize_in_destination
func.func private @kernel(%x: tensor<1x4x4x4xf32>, %w: tensor<48xf32>, %out: tensor<1x4x4x4xf32> {bufferization.writable = true}) -> tensor<1x4x4x4xf32> attributes {dwconv.layer = {activation = #dwconv<activation linear>, data_format = #dwconv<data_format channels_last>, dilation_rate = array<i64: 1, 1>, has_bias = false, input = tensor<1x4x4x4xf32>, kernel = tensor<3x3x4x1xf32>, name = "layer", output = tensor<1x4x4x4xf32>, padding = #dwconv<padding same>, strides = array<i64: 1, 1>, weights_baked = false}, dwconv.packed_weights_bytes = 192 : i64, dwconv.register_block = {channel_vectors = 1 : i64, columns = 4 : i64, fma = false, lanes = 4 : i64, resident_weights = true}, dwconv.tile_shape = array<i64: 1, 0, 0, 0>} {
  %zero = arith.constant 0.0 : f32
  %empty = tensor.empty() : tensor<1x4x4x4xf32>
  %fill = linalg.fill ins(%zero : f32) outs(%empty : tensor<1x4x4x4xf32>) -> tensor<1x4x4x4xf32>
  %0 = bufferization.materialize_in_destination %fill in %out : (tensor<1x4x4x4xf32>, tensor<1x4x4x4xf32>) -> tensor<1x4x4x4xf32>
  return %0 : tensor<1x4x4x4xf32>
}
