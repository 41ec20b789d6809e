// RUN: dwconv-opt %s | dwconv-opt | FileCheck %s
// RUN: dwconv-opt %s --mlir-print-op-generic | dwconv-opt | FileCheck %s

// CHECK-LABEL: func.func @all_attributes
// CHECK-SAME: (%[[X:.*]]: tensor<2x13x14x4xf32>, %[[K:.*]]: tensor<3x5x4x2xf32>, %[[B:.*]]: tensor<8xf32>)
// CHECK: dwconv.depthwise_conv2d %[[X]], %[[K]], %[[B]] strides [2, 3] padding same activation relu6
// CHECK-SAME: : tensor<2x13x14x4xf32>, tensor<3x5x4x2xf32>, tensor<8xf32> -> tensor<2x7x5x8xf32>
func.func @all_attributes(%x: tensor<2x13x14x4xf32>, %k: tensor<3x5x4x2xf32>, %b: tensor<8xf32>) -> tensor<2x7x5x8xf32> {
  %y = dwconv.depthwise_conv2d %x, %k, %b strides [2, 3] dilation_rate [1, 1] padding same data_format channels_last activation relu6 : tensor<2x13x14x4xf32>, tensor<3x5x4x2xf32>, tensor<8xf32> -> tensor<2x7x5x8xf32>
  return %y : tensor<2x7x5x8xf32>
}

// CHECK-LABEL: func.func @keywords_any_order
// CHECK: dwconv.depthwise_conv2d %{{.*}}, %{{.*}} dilation_rate [2, 3] padding same data_format channels_first activation tanh
// CHECK-SAME: : tensor<1x4x9x10xf32>, tensor<3x3x4x1xf32> -> tensor<1x4x9x10xf32>
func.func @keywords_any_order(%x: tensor<1x4x9x10xf32>, %k: tensor<3x3x4x1xf32>) -> tensor<1x4x9x10xf32> {
  %y = dwconv.depthwise_conv2d %x, %k activation tanh data_format channels_first padding same dilation_rate [2, 3] : tensor<1x4x9x10xf32>, tensor<3x3x4x1xf32> -> tensor<1x4x9x10xf32>
  return %y : tensor<1x4x9x10xf32>
}

// CHECK-LABEL: func.func @no_bias_valid
// CHECK: dwconv.depthwise_conv2d %{{.*}}, %{{.*}} : tensor<1x8x8x3xf32>, tensor<3x3x3x1xf32> -> tensor<1x6x6x3xf32>
func.func @no_bias_valid(%x: tensor<1x8x8x3xf32>, %k: tensor<3x3x3x1xf32>) -> tensor<1x6x6x3xf32> {
  %y = dwconv.depthwise_conv2d %x, %k : tensor<1x8x8x3xf32>, tensor<3x3x3x1xf32> -> tensor<1x6x6x3xf32>
  return %y : tensor<1x6x6x3xf32>
}

// CHECK-LABEL: func.func @string_keywords
// CHECK: dwconv.depthwise_conv2d %{{.*}}, %{{.*}} padding same activation gelu
func.func @string_keywords(%x: tensor<1x8x8x3xf32>, %k: tensor<3x3x3x1xf32>) -> tensor<1x8x8x3xf32> {
  %y = dwconv.depthwise_conv2d %x, %k padding "same" activation "gelu" : tensor<1x8x8x3xf32>, tensor<3x3x3x1xf32> -> tensor<1x8x8x3xf32>
  return %y : tensor<1x8x8x3xf32>
}

// CHECK-LABEL: func.func @discardable_attributes
// CHECK: dwconv.depthwise_conv2d %{{.*}}, %{{.*}} padding same {layer_name = "block_1_depthwise"}
// CHECK-SAME: -> tensor<1x8x8x3xf32>
func.func @discardable_attributes(%x: tensor<1x8x8x3xf32>, %k: tensor<3x3x3x1xf32>) -> tensor<1x8x8x3xf32> {
  %y = dwconv.depthwise_conv2d %x, %k padding same {layer_name = "block_1_depthwise"} : tensor<1x8x8x3xf32>, tensor<3x3x3x1xf32> -> tensor<1x8x8x3xf32>
  return %y : tensor<1x8x8x3xf32>
}

// -----

// Explicit (top, bottom, left, right) pads: 8 + 1 + 2 - 2 = 9 rows,
// 9 + 0 + 3 - 2 = 10 columns.
// CHECK-LABEL: func.func @explicit_pads
// CHECK: dwconv.depthwise_conv2d %{{.*}}, %{{.*}} padding [1, 2, 0, 3] : {{.*}} -> tensor<1x9x10x4xf32>
func.func @explicit_pads(%x: tensor<1x8x9x4xf32>, %k: tensor<3x3x4x1xf32>) -> tensor<1x9x10x4xf32> {
  %y = dwconv.depthwise_conv2d %x, %k padding [1, 2, 0, 3] : tensor<1x8x9x4xf32>, tensor<3x3x4x1xf32>
  return %y : tensor<1x9x10x4xf32>
}

// -----

// Keras's relu and leaky_relu parameters, printed as the shortest f32.
// CHECK-LABEL: func.func @activation_params
// CHECK: activation relu(negative_slope = 0.1, max_value = 6.0, threshold = 0.5)
// CHECK: activation leaky_relu(negative_slope = 0.3)
// CHECK: activation relu(max_value = 1.0e-05)
func.func @activation_params(%x: tensor<1x8x8x4xf32>, %k: tensor<3x3x4x1xf32>) -> (tensor<1x6x6x4xf32>, tensor<1x6x6x4xf32>, tensor<1x6x6x4xf32>) {
  %a = dwconv.depthwise_conv2d %x, %k activation relu(threshold = 0.5, negative_slope = 0.1, max_value = 6.0) : tensor<1x8x8x4xf32>, tensor<3x3x4x1xf32>
  %b = dwconv.depthwise_conv2d %x, %k activation leaky_relu(negative_slope = 0.3) : tensor<1x8x8x4xf32>, tensor<3x3x4x1xf32>
  %c = dwconv.depthwise_conv2d %x, %k activation relu(max_value = 0.00001) : tensor<1x8x8x4xf32>, tensor<3x3x4x1xf32>
  return %a, %b, %c : tensor<1x6x6x4xf32>, tensor<1x6x6x4xf32>, tensor<1x6x6x4xf32>
}
