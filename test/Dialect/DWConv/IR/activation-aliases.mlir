// RUN: dwconv-opt %s | FileCheck %s

// Keras's alternative names parse to the one case they share, and print under
// that case's name.

// CHECK-LABEL: func.func @swish
// CHECK: dwconv.depthwise_conv2d {{.*}} activation silu :
func.func @swish(%x: tensor<1x5x5x2xf32>, %k: tensor<3x3x2x1xf32>) -> tensor<1x3x3x2xf32> {
  %y = dwconv.depthwise_conv2d %x, %k activation swish : tensor<1x5x5x2xf32>, tensor<3x3x2x1xf32> -> tensor<1x3x3x2xf32>
  return %y : tensor<1x3x3x2xf32>
}

// CHECK-LABEL: func.func @hard_swish
// CHECK: dwconv.depthwise_conv2d {{.*}} activation hard_silu :
func.func @hard_swish(%x: tensor<1x5x5x2xf32>, %k: tensor<3x3x2x1xf32>) -> tensor<1x3x3x2xf32> {
  %y = dwconv.depthwise_conv2d %x, %k activation hard_swish : tensor<1x5x5x2xf32>, tensor<3x3x2x1xf32> -> tensor<1x3x3x2xf32>
  return %y : tensor<1x3x3x2xf32>
}

// The two meanings of Keras's hard_sigmoid stay distinct.
// CHECK-LABEL: func.func @hard_sigmoid_both
// CHECK: dwconv.depthwise_conv2d {{.*}} activation hard_sigmoid :
// CHECK: dwconv.depthwise_conv2d {{.*}} activation hard_sigmoid_keras2 :
func.func @hard_sigmoid_both(%x: tensor<1x5x5x2xf32>, %k: tensor<3x3x2x1xf32>) -> (tensor<1x3x3x2xf32>, tensor<1x3x3x2xf32>) {
  %a = dwconv.depthwise_conv2d %x, %k activation hard_sigmoid : tensor<1x5x5x2xf32>, tensor<3x3x2x1xf32> -> tensor<1x3x3x2xf32>
  %b = dwconv.depthwise_conv2d %x, %k activation hard_sigmoid_keras2 : tensor<1x5x5x2xf32>, tensor<3x3x2x1xf32> -> tensor<1x3x3x2xf32>
  return %a, %b : tensor<1x3x3x2xf32>, tensor<1x3x3x2xf32>
}
