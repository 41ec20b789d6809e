// RUN: dwconv-opt %s | FileCheck %s
// RUN: dwconv-opt %s --mlir-print-op-generic | FileCheck %s --check-prefix=GENERIC

// Attributes equal to their Keras default are elided from the custom form,
// and spelled out in the generic form.

// CHECK-LABEL: func.func @explicit_defaults
// CHECK: dwconv.depthwise_conv2d %{{.*}}, %{{.*}} : tensor<1x8x8x3xf32>, tensor<3x3x3x1xf32> -> tensor<1x6x6x3xf32>
// GENERIC-LABEL: sym_name = "explicit_defaults"
// GENERIC: "dwconv.depthwise_conv2d"(%{{.*}}, %{{.*}}) <{activation = #dwconv<activation linear>, data_format = #dwconv<data_format channels_last>, dilation_rate = array<i64: 1, 1>, padding = #dwconv<padding valid>, strides = array<i64: 1, 1>}>
func.func @explicit_defaults(%x: tensor<1x8x8x3xf32>, %k: tensor<3x3x3x1xf32>) -> tensor<1x6x6x3xf32> {
  %y = dwconv.depthwise_conv2d %x, %k strides [1, 1] dilation_rate [1, 1] padding valid data_format channels_last activation linear : tensor<1x8x8x3xf32>, tensor<3x3x3x1xf32> -> tensor<1x6x6x3xf32>
  return %y : tensor<1x6x6x3xf32>
}

// CHECK-LABEL: func.func @implicit_defaults
// CHECK: dwconv.depthwise_conv2d %{{.*}}, %{{.*}} : tensor<1x8x8x3xf32>, tensor<3x3x3x1xf32> -> tensor<1x6x6x3xf32>
// GENERIC-LABEL: sym_name = "implicit_defaults"
// GENERIC: "dwconv.depthwise_conv2d"(%{{.*}}, %{{.*}}) <{activation = #dwconv<activation linear>, data_format = #dwconv<data_format channels_last>, dilation_rate = array<i64: 1, 1>, padding = #dwconv<padding valid>, strides = array<i64: 1, 1>}>
func.func @implicit_defaults(%x: tensor<1x8x8x3xf32>, %k: tensor<3x3x3x1xf32>) -> tensor<1x6x6x3xf32> {
  %y = dwconv.depthwise_conv2d %x, %k : tensor<1x8x8x3xf32>, tensor<3x3x3x1xf32> -> tensor<1x6x6x3xf32>
  return %y : tensor<1x6x6x3xf32>
}

// A generic op without the attributes takes the same defaults.
// CHECK-LABEL: func.func @generic_without_attributes
// CHECK: dwconv.depthwise_conv2d %{{.*}}, %{{.*}} : tensor<1x8x8x3xf32>, tensor<3x3x3x1xf32> -> tensor<1x6x6x3xf32>
func.func @generic_without_attributes(%x: tensor<1x8x8x3xf32>, %k: tensor<3x3x3x1xf32>) -> tensor<1x6x6x3xf32> {
  %y = "dwconv.depthwise_conv2d"(%x, %k) : (tensor<1x8x8x3xf32>, tensor<3x3x3x1xf32>) -> tensor<1x6x6x3xf32>
  return %y : tensor<1x6x6x3xf32>
}
