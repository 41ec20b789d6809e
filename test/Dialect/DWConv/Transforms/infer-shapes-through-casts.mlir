// RUN: dwconv-opt %s --dwconv-infer-shapes --split-input-file | FileCheck %s

// Sizes hidden behind a tensor.cast that only erased them still refine.

// CHECK-LABEL: func.func @erasing_cast
// CHECK-SAME: (%[[X:.*]]: tensor<1x13x14x4xf32>, %[[K:.*]]: tensor<3x3x4x2xf32>) -> tensor<1x7x7x8xf32>
// CHECK: %[[Y:.*]] = dwconv.depthwise_conv2d %[[X]], %[[K]] {{.*}} : tensor<1x13x14x4xf32>, tensor<3x3x4x2xf32> -> tensor<1x7x7x8xf32>
// CHECK: return %[[Y]]
func.func @erasing_cast(%x: tensor<1x13x14x4xf32>, %k: tensor<3x3x4x2xf32>) -> tensor<?x?x?x?xf32> {
  %c = tensor.cast %x : tensor<1x13x14x4xf32> to tensor<?x?x?x?xf32>
  %y = dwconv.depthwise_conv2d %c, %k strides [2, 2] padding same : tensor<?x?x?x?xf32>, tensor<3x3x4x2xf32> -> tensor<?x?x?x?xf32>
  return %y : tensor<?x?x?x?xf32>
}

// -----

// A cast that adds information is the operand as it is.
// CHECK-LABEL: func.func @refining_cast
// CHECK: %[[C:.*]] = tensor.cast %{{.*}} : tensor<?x13x14x4xf32> to tensor<1x13x14x4xf32>
// CHECK: dwconv.depthwise_conv2d %[[C]], {{.*}} -> tensor<1x11x12x4xf32>
func.func @refining_cast(%x: tensor<?x13x14x4xf32>, %k: tensor<3x3x4x1xf32>) -> tensor<?x?x?x?xf32> {
  %c = tensor.cast %x : tensor<?x13x14x4xf32> to tensor<1x13x14x4xf32>
  %y = dwconv.depthwise_conv2d %c, %k : tensor<1x13x14x4xf32>, tensor<3x3x4x1xf32> -> tensor<?x?x?x?xf32>
  return %y : tensor<?x?x?x?xf32>
}
