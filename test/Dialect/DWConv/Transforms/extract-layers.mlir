// RUN: dwconv-opt %s --dwconv-extract-layers --split-input-file | FileCheck %s

// Two chained layers (what dwconv-raise-tosa makes of a TFLite model): one
// layer function per op, in order, constant weights cloned in (baked), the
// kernel given as an argument where it is one; the function goes private.
// CHECK-LABEL: func.func private @model(
// CHECK-LABEL: func.func @model_0(%arg0: tensor<1x8x8x2xf32>) -> tensor<1x8x8x2xf32>
// CHECK-NEXT: %[[K:.*]] = arith.constant dense<5.000000e-01> : tensor<3x3x2x1xf32>
// CHECK-NEXT: %[[Y:.*]] = dwconv.depthwise_conv2d %arg0, %[[K]] padding same activation relu6
// CHECK-NEXT: return %[[Y]]
// CHECK-LABEL: func.func @model_1(%arg0: tensor<1x8x8x2xf32>, %arg1: tensor<3x3x2x2xf32>) -> tensor<1x4x4x4xf32>
// CHECK-NEXT: %[[Y:.*]] = dwconv.depthwise_conv2d %arg0, %arg1 strides [2, 2] padding [0, 1, 0, 1]
// CHECK-NEXT: return %[[Y]]
func.func @model(%x: tensor<1x8x8x2xf32>, %k2: tensor<3x3x2x2xf32>) -> tensor<1x4x4x4xf32> {
  %k = arith.constant dense<0.5> : tensor<3x3x2x1xf32>
  %a = dwconv.depthwise_conv2d %x, %k padding same activation relu6 : tensor<1x8x8x2xf32>, tensor<3x3x2x1xf32>
  %b = dwconv.depthwise_conv2d %a, %k2 strides [2, 2] padding [0, 1, 0, 1] : tensor<1x8x8x2xf32>, tensor<3x3x2x2xf32>
  return %b : tensor<1x4x4x4xf32>
}

// -----

// A layer function (baked weights) is left as it is; a taken name gets a
// suffix.
// CHECK-LABEL: func.func @layer(
// CHECK-LABEL: func.func private @f(
// CHECK: func.func @f_0_0(
// CHECK: func.func @f_0(%arg0: tensor<1x4x4x2xf32>, %arg1: tensor<1x1x2x1xf32>)
func.func @layer(%x: tensor<1x4x4x2xf32>) -> tensor<1x4x4x2xf32> {
  %k = arith.constant dense<1.0> : tensor<1x1x2x1xf32>
  %y = dwconv.depthwise_conv2d %x, %k : tensor<1x4x4x2xf32>, tensor<1x1x2x1xf32>
  return %y : tensor<1x4x4x2xf32>
}
func.func @f(%x: tensor<1x4x4x2xf32>) -> tensor<1x4x4x2xf32> {
  %k = arith.constant dense<1.0> : tensor<1x1x2x1xf32>
  %y = dwconv.depthwise_conv2d %x, %k : tensor<1x4x4x2xf32>, tensor<1x1x2x1xf32>
  %z = arith.addf %y, %y : tensor<1x4x4x2xf32>
  return %z : tensor<1x4x4x2xf32>
}
func.func @f_0(%x: tensor<1x4x4x2xf32>, %k: tensor<1x1x2x1xf32>) -> tensor<1x4x4x2xf32> {
  %y = dwconv.depthwise_conv2d %x, %k : tensor<1x4x4x2xf32>, tensor<1x1x2x1xf32>
  return %y : tensor<1x4x4x2xf32>
}

// -----

// A layer's weights are baked all together or not at all: where only some
// are constants, all become arguments of the layer function.
// CHECK-LABEL: func.func private @mixed(
// CHECK-LABEL: func.func @mixed_0(%arg0: tensor<1x4x4x2xf32>, %arg1: tensor<1x1x2x1xf32>, %arg2: tensor<2xf32>) -> tensor<1x4x4x2xf32>
// CHECK-NEXT: %[[Y:.*]] = dwconv.depthwise_conv2d %arg0, %arg1, %arg2
// CHECK-NEXT: return %[[Y]]
func.func @mixed(%x: tensor<1x4x4x2xf32>, %b: tensor<2xf32>) -> tensor<1x4x4x2xf32> {
  %k = arith.constant dense<1.0> : tensor<1x1x2x1xf32>
  %y = dwconv.depthwise_conv2d %x, %k, %b : tensor<1x4x4x2xf32>, tensor<1x1x2x1xf32>, tensor<2xf32>
  return %y : tensor<1x4x4x2xf32>
}
