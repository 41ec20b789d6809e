// RUN: dwconv-opt %s | FileCheck %s

// Dynamic operand dims give dynamic result dims, and only those.

// CHECK-LABEL: func.func @dynamic_batch
// CHECK: -> tensor<?x7x7x4xf32>
func.func @dynamic_batch(%x: tensor<?x13x14x4xf32>, %k: tensor<3x3x4x1xf32>) {
  %y = dwconv.depthwise_conv2d %x, %k strides [2, 2] padding same : tensor<?x13x14x4xf32>, tensor<3x3x4x1xf32>
  return
}

// CHECK-LABEL: func.func @dynamic_spatial
// CHECK: -> tensor<1x?x12x4xf32>
func.func @dynamic_spatial(%x: tensor<1x?x14x4xf32>, %k: tensor<3x3x4x1xf32>) {
  %y = dwconv.depthwise_conv2d %x, %k : tensor<1x?x14x4xf32>, tensor<3x3x4x1xf32>
  return
}

// The kernel's C fixes the channel count even when the input's is dynamic.
// CHECK-LABEL: func.func @dynamic_input_channels
// CHECK: -> tensor<1x6x6x8xf32>
func.func @dynamic_input_channels(%x: tensor<1x8x8x?xf32>, %k: tensor<3x3x4x2xf32>) {
  %y = dwconv.depthwise_conv2d %x, %k : tensor<1x8x8x?xf32>, tensor<3x3x4x2xf32>
  return
}

// CHECK-LABEL: func.func @dynamic_channels
// CHECK: -> tensor<1x6x6x?xf32>
func.func @dynamic_channels(%x: tensor<1x8x8x?xf32>, %k: tensor<3x3x?x2xf32>) {
  %y = dwconv.depthwise_conv2d %x, %k : tensor<1x8x8x?xf32>, tensor<3x3x?x2xf32>
  return
}

// With C dynamic everywhere, a static bias length still fixes C * M.
// CHECK-LABEL: func.func @dynamic_channels_static_bias
// CHECK: -> tensor<1x6x6x10xf32>
func.func @dynamic_channels_static_bias(%x: tensor<1x8x8x?xf32>, %k: tensor<3x3x?x2xf32>, %b: tensor<10xf32>) {
  %y = dwconv.depthwise_conv2d %x, %k, %b : tensor<1x8x8x?xf32>, tensor<3x3x?x2xf32>, tensor<10xf32>
  return
}

// CHECK-LABEL: func.func @all_dynamic_channels_first
// CHECK: -> tensor<?x?x?x?xf32>
func.func @all_dynamic_channels_first(%x: tensor<?x?x?x?xf32>, %k: tensor<3x3x?x2xf32>, %b: tensor<?xf32>) {
  %y = dwconv.depthwise_conv2d %x, %k, %b padding same data_format channels_first : tensor<?x?x?x?xf32>, tensor<3x3x?x2xf32>, tensor<?xf32>
  return
}

// A written result type may be more static than what the operands imply.
// CHECK-LABEL: func.func @result_more_static
// CHECK: -> tensor<4x6x6x4xf32>
func.func @result_more_static(%x: tensor<?x8x8x4xf32>, %k: tensor<3x3x4x1xf32>) {
  %y = dwconv.depthwise_conv2d %x, %k : tensor<?x8x8x4xf32>, tensor<3x3x4x1xf32> -> tensor<4x6x6x4xf32>
  return
}

// ...or less static.
// CHECK-LABEL: func.func @result_less_static
// CHECK: -> tensor<?x?x?x?xf32>
func.func @result_less_static(%x: tensor<1x8x8x4xf32>, %k: tensor<3x3x4x1xf32>) {
  %y = dwconv.depthwise_conv2d %x, %k : tensor<1x8x8x4xf32>, tensor<3x3x4x1xf32> -> tensor<?x?x?x?xf32>
  return
}
