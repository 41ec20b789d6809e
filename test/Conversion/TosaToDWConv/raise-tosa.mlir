// RUN: dwconv-opt %s --dwconv-raise-tosa --split-input-file -verify-diagnostics | FileCheck %s

// Asymmetric pads (TFLite's 'same' at stride 2 on an even input), the
// weights and bias made arith constants, the zero points gone.
// CHECK-LABEL: func.func @pads
// CHECK-DAG: %[[K:.*]] = arith.constant dense<{{.*}}> : tensor<3x3x4x1xf32>
// CHECK-DAG: %[[B:.*]] = arith.constant dense<[1.000000e+00, 2.000000e+00, 3.000000e+00, 4.000000e+00]> : tensor<4xf32>
// CHECK: %[[Y:.*]] = dwconv.depthwise_conv2d %arg0, %[[K]], %[[B]] strides [2, 2] padding [0, 1, 0, 1] : tensor<1x10x10x4xf32>, tensor<3x3x4x1xf32>, tensor<4xf32> -> tensor<1x5x5x4xf32>
// CHECK-NEXT: return %[[Y]]
// CHECK-NOT: tosa.
func.func @pads(%x: tensor<1x10x10x4xf32>) -> tensor<1x5x5x4xf32> {
  %zp = "tosa.const"() <{values = dense<0.0> : tensor<1xf32>}> : () -> tensor<1xf32>
  %b = "tosa.const"() <{values = dense<[1.0, 2.0, 3.0, 4.0]> : tensor<4xf32>}> : () -> tensor<4xf32>
  %k = "tosa.const"() <{values = dense<0.5> : tensor<3x3x4x1xf32>}> : () -> tensor<3x3x4x1xf32>
  %y = tosa.depthwise_conv2d %x, %k, %b, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 1, 0, 1>, stride = array<i64: 2, 2>} : (tensor<1x10x10x4xf32>, tensor<3x3x4x1xf32>, tensor<4xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x5x5x4xf32>
  return %y : tensor<1x5x5x4xf32>
}

// -----

// Dilation, multiplier 2, weights given as an argument, no pad: 'valid'; a
// zero bias is no bias; clamp(0, 6) is relu6.
// CHECK-LABEL: func.func @dilated_multiplier_relu6
// CHECK: dwconv.depthwise_conv2d %arg0, %arg1 dilation_rate [2, 2] activation relu6 : tensor<1x9x9x2xf32>, tensor<3x3x2x2xf32> -> tensor<1x5x5x4xf32>
// CHECK-NOT: tosa.
func.func @dilated_multiplier_relu6(%x: tensor<1x9x9x2xf32>, %k: tensor<3x3x2x2xf32>) -> tensor<1x5x5x4xf32> {
  %zp = "tosa.const"() <{values = dense<0.0> : tensor<1xf32>}> : () -> tensor<1xf32>
  %b = "tosa.const"() <{values = dense<0.0> : tensor<4xf32>}> : () -> tensor<4xf32>
  %y = tosa.depthwise_conv2d %x, %k, %b, %zp, %zp {acc_type = f32, dilation = array<i64: 2, 2>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x9x9x2xf32>, tensor<3x3x2x2xf32>, tensor<4xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x5x5x4xf32>
  %r = tosa.clamp %y {max_val = 6.0 : f32, min_val = 0.0 : f32} : (tensor<1x5x5x4xf32>) -> tensor<1x5x5x4xf32>
  return %r : tensor<1x5x5x4xf32>
}

// -----

// torch-mlir's form: NCHW transposes around the op (channels_first), then
// maximum with 0 and minimum with 4 (relu with max_value 4).
// CHECK-LABEL: func.func @channels_first
// CHECK: dwconv.depthwise_conv2d %arg0, %arg1 padding [1, 0, 1, 0] data_format channels_first activation relu(max_value = 4.0) : tensor<1x3x8x8xf32>, tensor<3x3x3x1xf32> -> tensor<1x3x7x7xf32>
// CHECK-NOT: tosa.
func.func @channels_first(%x: tensor<1x3x8x8xf32>, %k: tensor<3x3x3x1xf32>) -> tensor<1x3x7x7xf32> {
  %zp = "tosa.const"() <{values = dense<0.0> : tensor<1xf32>}> : () -> tensor<1xf32>
  %b = "tosa.const"() <{values = dense<0.0> : tensor<3xf32>}> : () -> tensor<3xf32>
  %c0 = "tosa.const"() <{values = dense<0.0> : tensor<1x1x1x1xf32>}> : () -> tensor<1x1x1x1xf32>
  %c4 = "tosa.const"() <{values = dense<4.0> : tensor<1x1x1x1xf32>}> : () -> tensor<1x1x1x1xf32>
  %t = tosa.transpose %x {perms = array<i32: 0, 2, 3, 1>} : (tensor<1x3x8x8xf32>) -> tensor<1x8x8x3xf32>
  %y = tosa.depthwise_conv2d %t, %k, %b, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 1, 0, 1, 0>, stride = array<i64: 1, 1>} : (tensor<1x8x8x3xf32>, tensor<3x3x3x1xf32>, tensor<3xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x7x7x3xf32>
  %u = tosa.transpose %y {perms = array<i32: 0, 3, 1, 2>} : (tensor<1x7x7x3xf32>) -> tensor<1x3x7x7xf32>
  %m = tosa.maximum %u, %c0 : (tensor<1x3x7x7xf32>, tensor<1x1x1x1xf32>) -> tensor<1x3x7x7xf32>
  %n = tosa.minimum %m, %c4 : (tensor<1x3x7x7xf32>, tensor<1x1x1x1xf32>) -> tensor<1x3x7x7xf32>
  return %n : tensor<1x3x7x7xf32>
}

// -----

// A bias added after the op folds into it; clamp up to the float maximum is
// relu.
// CHECK-LABEL: func.func @bias_add
// CHECK: %[[B:.*]] = arith.constant dense<[5.000000e-01, 1.500000e+00]> : tensor<2xf32>
// CHECK: dwconv.depthwise_conv2d %arg0, %arg1, %[[B]] activation relu : tensor<1x4x4x2xf32>, tensor<1x1x2x1xf32>, tensor<2xf32> -> tensor<1x4x4x2xf32>
// CHECK-NOT: tosa.
func.func @bias_add(%x: tensor<1x4x4x2xf32>, %k: tensor<1x1x2x1xf32>) -> tensor<1x4x4x2xf32> {
  %zp = "tosa.const"() <{values = dense<0.0> : tensor<1xf32>}> : () -> tensor<1xf32>
  %b = "tosa.const"() <{values = dense<0.0> : tensor<2xf32>}> : () -> tensor<2xf32>
  %c = "tosa.const"() <{values = dense<[[[[0.5, 1.5]]]]> : tensor<1x1x1x2xf32>}> : () -> tensor<1x1x1x2xf32>
  %y = tosa.depthwise_conv2d %x, %k, %b, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x4x4x2xf32>, tensor<1x1x2x1xf32>, tensor<2xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x4x4x2xf32>
  %a = tosa.add %y, %c : (tensor<1x4x4x2xf32>, tensor<1x1x1x2xf32>) -> tensor<1x4x4x2xf32>
  %r = tosa.clamp %a {max_val = 3.40282347E+38 : f32, min_val = 0.0 : f32} : (tensor<1x4x4x2xf32>) -> tensor<1x4x4x2xf32>
  return %r : tensor<1x4x4x2xf32>
}

// -----

// A clamp Keras has no activation for stays a clamp after the raised op.
// CHECK-LABEL: func.func @other_clamp
// CHECK: %[[Y:.*]] = dwconv.depthwise_conv2d
// CHECK: tosa.clamp %[[Y]] {max_val = 1.000000e+00 : f32, min_val = -1.000000e+00 : f32}
func.func @other_clamp(%x: tensor<1x4x4x2xf32>, %k: tensor<1x1x2x1xf32>) -> tensor<1x4x4x2xf32> {
  %zp = "tosa.const"() <{values = dense<0.0> : tensor<1xf32>}> : () -> tensor<1xf32>
  %b = "tosa.const"() <{values = dense<0.0> : tensor<2xf32>}> : () -> tensor<2xf32>
  %y = tosa.depthwise_conv2d %x, %k, %b, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x4x4x2xf32>, tensor<1x1x2x1xf32>, tensor<2xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x4x4x2xf32>
  %r = tosa.clamp %y {max_val = 1.0 : f32, min_val = -1.0 : f32} : (tensor<1x4x4x2xf32>) -> tensor<1x4x4x2xf32>
  return %r : tensor<1x4x4x2xf32>
}

// -----

// Quantized (int8, zero points -1 and 0, i32 accumulator): left alone.
// CHECK-LABEL: func.func @int8
// CHECK: tosa.depthwise_conv2d
// CHECK-NOT: dwconv.depthwise_conv2d
func.func @int8(%x: tensor<1x4x4x2xi8>, %k: tensor<1x1x2x1xi8>) -> tensor<1x4x4x2xi32> {
  %izp = "tosa.const"() <{values = dense<-1> : tensor<1xi8>}> : () -> tensor<1xi8>
  %wzp = "tosa.const"() <{values = dense<0> : tensor<1xi8>}> : () -> tensor<1xi8>
  %b = "tosa.const"() <{values = dense<0> : tensor<2xi32>}> : () -> tensor<2xi32>
  // expected-remark @+1 {{tosa.depthwise_conv2d left as it is: only f32 input, weights, bias and accumulator match Keras's DepthwiseConv2D (a quantized op keeps its zero points and rescale)}}
  %y = tosa.depthwise_conv2d %x, %k, %b, %izp, %wzp {acc_type = i32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x4x4x2xi8>, tensor<1x1x2x1xi8>, tensor<2xi32>, tensor<1xi8>, tensor<1xi8>) -> tensor<1x4x4x2xi32>
  return %y : tensor<1x4x4x2xi32>
}

// -----

// Float, but a zero point that is not a constant zero: left alone.
func.func @zero_point(%x: tensor<1x4x4x2xf32>, %k: tensor<1x1x2x1xf32>, %zp: tensor<1xf32>) -> tensor<1x4x4x2xf32> {
  %b = "tosa.const"() <{values = dense<0.0> : tensor<2xf32>}> : () -> tensor<2xf32>
  // expected-remark @+1 {{tosa.depthwise_conv2d left as it is: the zero points are not constant zeros}}
  %y = tosa.depthwise_conv2d %x, %k, %b, %zp, %zp {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 0, 0, 0>, stride = array<i64: 1, 1>} : (tensor<1x4x4x2xf32>, tensor<1x1x2x1xf32>, tensor<2xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x4x4x2xf32>
  return %y : tensor<1x4x4x2xf32>
}

