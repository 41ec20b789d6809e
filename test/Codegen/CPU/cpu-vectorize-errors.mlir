// RUN: dwconv-opt %s --split-input-file --dwconv-cpu-vectorize --verify-diagnostics

// The register block says the vector path, but the output is not computed
// by a depthwise contraction; with a dynamic width, the loop path cannot
// take the kernel either (cpu-vectorize-fallback.mlir: a static one).
// expected-error @+1 {{layer 'layer': the vector path cannot compute this kernel (no depthwise contraction computes the output) and the loop path needs a static width for it}}
func.func private @kernel(%x: tensor<1x4x?x4xf32>, %w: tensor<48xf32>, %out: tensor<1x4x?x4xf32> {bufferization.writable = true}) -> tensor<1x4x?x4xf32> attributes {dwconv.layer = {activation = #dwconv<activation linear>, data_format = #dwconv<data_format channels_last>, dilation_rate = array<i64: 1, 1>, has_bias = false, input = tensor<1x4x?x4xf32>, kernel = tensor<3x3x4x1xf32>, name = "layer", output = tensor<1x4x?x4xf32>, padding = #dwconv<padding same>, strides = array<i64: 1, 1>, weights_baked = false}, dwconv.packed_weights_bytes = 192 : i64, dwconv.register_block = {channel_vectors = 1 : i64, columns = 4 : i64, fma = false, lanes = 4 : i64, resident_weights = true}, dwconv.tile_shape = array<i64: 1, 0, 0, 0>} {
  %zero = arith.constant 0.0 : f32
  %fill = linalg.fill ins(%zero : f32) outs(%out : tensor<1x4x?x4xf32>) -> tensor<1x4x?x4xf32>
  %0 = bufferization.materialize_in_destination %fill in %out : (tensor<1x4x?x4xf32>, tensor<1x4x?x4xf32>) -> tensor<1x4x?x4xf32>
  return %0 : tensor<1x4x?x4xf32>
}

// -----

// A register block needs tiles of whole rows: one image, whole width and
// channels.
// expected-error @+1 {{malformed dwconv.register_block or dwconv.tile_shape for the vector path}}
func.func private @kernel(%x: tensor<1x4x4x4xf32>, %w: tensor<48xf32>, %out: tensor<1x4x4x4xf32> {bufferization.writable = true}) -> tensor<1x4x4x4xf32> attributes {dwconv.layer = {activation = #dwconv<activation linear>, data_format = #dwconv<data_format channels_last>, dilation_rate = array<i64: 1, 1>, has_bias = false, input = tensor<1x4x4x4xf32>, kernel = tensor<3x3x4x1xf32>, name = "layer", output = tensor<1x4x4x4xf32>, padding = #dwconv<padding same>, strides = array<i64: 1, 1>, weights_baked = false}, dwconv.packed_weights_bytes = 192 : i64, dwconv.register_block = {channel_vectors = 1 : i64, columns = 4 : i64, fma = false, lanes = 4 : i64, resident_weights = true}, dwconv.tile_shape = array<i64: 1, 0, 2, 0>} {
  return %out : tensor<1x4x4x4xf32>
}

// -----

// Every field of the register block is required.
// expected-error @+1 {{malformed dwconv.register_block or dwconv.tile_shape for the vector path}}
func.func private @kernel(%x: tensor<1x4x4x4xf32>, %w: tensor<48xf32>, %out: tensor<1x4x4x4xf32> {bufferization.writable = true}) -> tensor<1x4x4x4xf32> attributes {dwconv.layer = {activation = #dwconv<activation linear>, data_format = #dwconv<data_format channels_last>, dilation_rate = array<i64: 1, 1>, has_bias = false, input = tensor<1x4x4x4xf32>, kernel = tensor<3x3x4x1xf32>, name = "layer", output = tensor<1x4x4x4xf32>, padding = #dwconv<padding same>, strides = array<i64: 1, 1>, weights_baked = false}, dwconv.packed_weights_bytes = 192 : i64, dwconv.register_block = {columns = 4 : i64, lanes = 4 : i64}, dwconv.tile_shape = array<i64: 1, 0, 0, 0>} {
  return %out : tensor<1x4x4x4xf32>
}
