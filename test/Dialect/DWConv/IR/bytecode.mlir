// RUN: dwconv-opt %s -emit-bytecode | dwconv-opt | FileCheck %s
// RUN: dwconv-opt %s --verify-roundtrip | FileCheck %s

// The op and its enum attributes survive MLIR bytecode.

// CHECK-LABEL: func.func @bytecode
// CHECK: dwconv.depthwise_conv2d %{{.*}}, %{{.*}}, %{{.*}} strides [2, 1] padding same data_format channels_first activation hard_sigmoid_keras2
// CHECK-SAME: : tensor<1x3x9x8xf32>, tensor<3x2x3x2xf32>, tensor<6xf32> -> tensor<1x6x5x8xf32>
func.func @bytecode(%x: tensor<1x3x9x8xf32>, %k: tensor<3x2x3x2xf32>, %b: tensor<6xf32>) -> tensor<1x6x5x8xf32> {
  %y = dwconv.depthwise_conv2d %x, %k, %b strides [2, 1] padding same data_format channels_first activation hard_sigmoid_keras2 : tensor<1x3x9x8xf32>, tensor<3x2x3x2xf32>, tensor<6xf32> -> tensor<1x6x5x8xf32>
  return %y : tensor<1x6x5x8xf32>
}
