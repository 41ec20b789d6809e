// RUN: dwconv-opt %s | FileCheck %s

// Without a result type, the parser infers it with Keras's shape rule.

// CHECK-LABEL: func.func @same_stride2
// CHECK: -> tensor<1x7x7x4xf32>
func.func @same_stride2(%x: tensor<1x13x14x4xf32>, %k: tensor<3x3x4x1xf32>) {
  %y = dwconv.depthwise_conv2d %x, %k strides [2, 2] padding same : tensor<1x13x14x4xf32>, tensor<3x3x4x1xf32>
  return
}

// CHECK-LABEL: func.func @valid_dilated
// CHECK: -> tensor<3x9x6x4xf32>
func.func @valid_dilated(%x: tensor<3x13x14x4xf32>, %k: tensor<3x5x4x1xf32>) {
  %y = dwconv.depthwise_conv2d %x, %k dilation_rate [2, 2] : tensor<3x13x14x4xf32>, tensor<3x5x4x1xf32>
  return
}

// CHECK-LABEL: func.func @multiplier
// CHECK: -> tensor<1x8x8x12xf32>
func.func @multiplier(%x: tensor<1x8x8x3xf32>, %k: tensor<1x1x3x4xf32>, %b: tensor<12xf32>) {
  %y = dwconv.depthwise_conv2d %x, %k, %b : tensor<1x8x8x3xf32>, tensor<1x1x3x4xf32>, tensor<12xf32>
  return
}

// CHECK-LABEL: func.func @channels_first
// CHECK: -> tensor<2x6x5x3xf32>
func.func @channels_first(%x: tensor<2x3x9x7xf32>, %k: tensor<2x3x3x2xf32>) {
  %y = dwconv.depthwise_conv2d %x, %k strides [2, 3] padding same data_format channels_first : tensor<2x3x9x7xf32>, tensor<2x3x3x2xf32>
  return
}

// A kernel larger than the input is fine with 'same'.
// CHECK-LABEL: func.func @kernel_larger_than_input_same
// CHECK: -> tensor<1x2x1x1xf32>
func.func @kernel_larger_than_input_same(%x: tensor<1x2x1x1xf32>, %k: tensor<7x7x1x1xf32>) {
  %y = dwconv.depthwise_conv2d %x, %k padding same : tensor<1x2x1x1xf32>, tensor<7x7x1x1xf32>
  return
}

// An empty batch is a valid Keras batch.
// CHECK-LABEL: func.func @empty_batch
// CHECK: -> tensor<0x6x6x2xf32>
func.func @empty_batch(%x: tensor<0x8x8x2xf32>, %k: tensor<3x3x2x1xf32>) {
  %y = dwconv.depthwise_conv2d %x, %k : tensor<0x8x8x2xf32>, tensor<3x3x2x1xf32>
  return
}

// glu halves the last axis: the channels, or the width for channels_first.
// CHECK-LABEL: func.func @glu
// CHECK: -> tensor<2x6x6x6xf32>
func.func @glu(%x: tensor<2x8x8x4xf32>, %k: tensor<3x3x4x3xf32>) {
  %y = dwconv.depthwise_conv2d %x, %k activation glu : tensor<2x8x8x4xf32>, tensor<3x3x4x3xf32>
  return
}

// CHECK-LABEL: func.func @glu_channels_first
// CHECK: -> tensor<?x4x6x5xf32>
func.func @glu_channels_first(%x: tensor<?x4x8x12xf32>, %k: tensor<3x3x4x1xf32>) {
  %y = dwconv.depthwise_conv2d %x, %k data_format channels_first activation glu : tensor<?x4x8x12xf32>, tensor<3x3x4x1xf32>
  return
}
