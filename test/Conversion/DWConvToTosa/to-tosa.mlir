// RUN: dwconv-opt %s --convert-dwconv-to-tosa --split-input-file -verify-diagnostics | FileCheck %s
// And back: raising what the lowering wrote gives the op again ('same'
// becomes the explicit pads TensorFlow uses).
// RUN: dwconv-opt %s --convert-dwconv-to-tosa --dwconv-raise-tosa --split-input-file -verify-diagnostics | FileCheck %s --check-prefix=BACK

// 'same' at stride 2 on an even input: TOSA pad [0, 1, 0, 1]; relu6 is a
// clamp; a missing bias is zeros.
// CHECK-LABEL: func.func @same_relu6
// CHECK-DAG: %[[ZP:.*]] = "tosa.const"() <{values = dense<0.000000e+00> : tensor<1xf32>}>
// CHECK-DAG: %[[B:.*]] = "tosa.const"() <{values = dense<0.000000e+00> : tensor<8xf32>}>
// CHECK: %[[Y:.*]] = tosa.depthwise_conv2d %arg0, %arg1, %[[B]], %[[ZP]], %[[ZP]] {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 1, 0, 1>, stride = array<i64: 2, 2>} : (tensor<1x10x10x4xf32>, tensor<3x3x4x2xf32>, tensor<8xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x5x5x8xf32>
// CHECK: tosa.clamp %[[Y]] {max_val = 6.000000e+00 : f32, min_val = 0.000000e+00 : f32}
// BACK-LABEL: func.func @same_relu6
// BACK: dwconv.depthwise_conv2d %arg0, %arg1 strides [2, 2] padding [0, 1, 0, 1] activation relu6 : tensor<1x10x10x4xf32>, tensor<3x3x4x2xf32> -> tensor<1x5x5x8xf32>
// BACK-NOT: tosa.
func.func @same_relu6(%x: tensor<1x10x10x4xf32>, %k: tensor<3x3x4x2xf32>) -> tensor<1x5x5x8xf32> {
  %y = dwconv.depthwise_conv2d %x, %k strides [2, 2] padding same activation relu6 : tensor<1x10x10x4xf32>, tensor<3x3x4x2xf32>
  return %y : tensor<1x5x5x8xf32>
}

// -----

// channels_first: transposes on both sides; explicit asymmetric pads and
// dilation carry over; a bias is an operand.
// CHECK-LABEL: func.func @channels_first
// CHECK: %[[T:.*]] = tosa.transpose %arg0 {perms = array<i32: 0, 2, 3, 1>} : (tensor<2x3x9x9xf32>) -> tensor<2x9x9x3xf32>
// CHECK: %[[Y:.*]] = tosa.depthwise_conv2d %[[T]], %arg1, %arg2, {{.*}} {acc_type = f32, dilation = array<i64: 2, 1>, pad = array<i64: 1, 2, 0, 3>, stride = array<i64: 1, 1>}
// CHECK: tosa.transpose %[[Y]] {perms = array<i32: 0, 3, 1, 2>} : (tensor<2x8x10x3xf32>) -> tensor<2x3x8x10xf32>
// BACK-LABEL: func.func @channels_first
// BACK: dwconv.depthwise_conv2d %arg0, %arg1, %arg2 dilation_rate [2, 1] padding [1, 2, 0, 3] data_format channels_first : tensor<2x3x9x9xf32>, tensor<3x3x3x1xf32>, tensor<3xf32> -> tensor<2x3x8x10xf32>
// BACK-NOT: tosa.
func.func @channels_first(%x: tensor<2x3x9x9xf32>, %k: tensor<3x3x3x1xf32>, %b: tensor<3xf32>) -> tensor<2x3x8x10xf32> {
  %y = dwconv.depthwise_conv2d %x, %k, %b dilation_rate [2, 1] padding [1, 2, 0, 3] data_format channels_first : tensor<2x3x9x9xf32>, tensor<3x3x3x1xf32>, tensor<3xf32>
  return %y : tensor<2x3x8x10xf32>
}

// -----

// silu is x * sigmoid(x) (tosa.mul with a zero shift).
// CHECK-LABEL: func.func @silu
// CHECK: %[[Y:.*]] = tosa.depthwise_conv2d
// CHECK: %[[S:.*]] = tosa.sigmoid %[[Y]]
// CHECK: tosa.mul %[[Y]], %[[S]], %{{.*}} : (tensor<1x4x4x2xf32>, tensor<1x4x4x2xf32>, tensor<1xi8>) -> tensor<1x4x4x2xf32>
// Raising keeps what it does not fold (silu has no TOSA op of its own).
// BACK-LABEL: func.func @silu
// BACK: %[[Y:.*]] = dwconv.depthwise_conv2d %arg0, %arg1 : tensor<1x4x4x2xf32>
// BACK: tosa.sigmoid %[[Y]]
func.func @silu(%x: tensor<1x4x4x2xf32>, %k: tensor<1x1x2x1xf32>) -> tensor<1x4x4x2xf32> {
  %y = dwconv.depthwise_conv2d %x, %k activation silu : tensor<1x4x4x2xf32>, tensor<1x1x2x1xf32>
  return %y : tensor<1x4x4x2xf32>
}

// -----

func.func @gelu(%x: tensor<1x4x4x2xf32>, %k: tensor<1x1x2x1xf32>) -> tensor<1x4x4x2xf32> {
  // expected-error @+1 {{activation 'gelu' has no TOSA form here}}
  %y = dwconv.depthwise_conv2d %x, %k activation gelu : tensor<1x4x4x2xf32>, tensor<1x1x2x1xf32>
  return %y : tensor<1x4x4x2xf32>
}

// -----

func.func @same_dynamic(%x: tensor<1x?x8x2xf32>, %k: tensor<3x3x2x1xf32>) -> tensor<1x?x8x2xf32> {
  // expected-error @+1 {{'same' padding in TOSA needs static spatial input dims}}
  %y = dwconv.depthwise_conv2d %x, %k padding same : tensor<1x?x8x2xf32>, tensor<3x3x2x1xf32>
  return %y : tensor<1x?x8x2xf32>
}
