// RUN: dwconv-opt %s --dwconv-infer-shapes --split-input-file | FileCheck %s

// `?` results become static where the operands are, and the function's
// result types follow.

// CHECK-LABEL: func.func @static_operands
// CHECK-SAME: -> tensor<1x7x7x8xf32>
// CHECK: %[[Y:.*]] = dwconv.depthwise_conv2d {{.*}} -> tensor<1x7x7x8xf32>
// CHECK-NOT: tensor.cast
// CHECK: return %[[Y]] : tensor<1x7x7x8xf32>
func.func @static_operands(%x: tensor<1x13x14x4xf32>, %k: tensor<3x3x4x2xf32>) -> tensor<?x?x?x?xf32> {
  %y = dwconv.depthwise_conv2d %x, %k strides [2, 2] padding same : tensor<1x13x14x4xf32>, tensor<3x3x4x2xf32> -> tensor<?x?x?x?xf32>
  return %y : tensor<?x?x?x?xf32>
}

// -----

// Dims that depend on a dynamic operand dim stay dynamic.
// CHECK-LABEL: func.func @dynamic_batch_and_width
// CHECK-SAME: -> tensor<?x11x?x4xf32>
// CHECK: dwconv.depthwise_conv2d {{.*}} -> tensor<?x11x?x4xf32>
func.func @dynamic_batch_and_width(%x: tensor<?x13x?x4xf32>, %k: tensor<3x3x4x1xf32>) -> tensor<?x?x?x?xf32> {
  %y = dwconv.depthwise_conv2d %x, %k : tensor<?x13x?x4xf32>, tensor<3x3x4x1xf32> -> tensor<?x?x?x?xf32>
  return %y : tensor<?x?x?x?xf32>
}

// -----

// Nothing to refine: the IR is left as it is.
// CHECK-LABEL: func.func @all_dynamic
// CHECK-SAME: -> tensor<?x?x?x?xf32>
// CHECK: dwconv.depthwise_conv2d {{.*}} -> tensor<?x?x?x?xf32>
func.func @all_dynamic(%x: tensor<?x?x?x?xf32>, %k: tensor<3x3x?x1xf32>) -> tensor<?x?x?x?xf32> {
  %y = dwconv.depthwise_conv2d %x, %k : tensor<?x?x?x?xf32>, tensor<3x3x?x1xf32> -> tensor<?x?x?x?xf32>
  return %y : tensor<?x?x?x?xf32>
}

// -----

// A refined result feeds the next op, which is refined in turn.
// CHECK-LABEL: func.func @chain
// CHECK-SAME: -> tensor<1x4x4x16xf32>
// CHECK: %[[A:.*]] = dwconv.depthwise_conv2d {{.*}} -> tensor<1x7x7x8xf32>
// CHECK: %[[B:.*]] = dwconv.depthwise_conv2d %[[A]], {{.*}} : tensor<1x7x7x8xf32>, tensor<3x3x8x2xf32> -> tensor<1x4x4x16xf32>
// CHECK: return %[[B]] : tensor<1x4x4x16xf32>
func.func @chain(%x: tensor<1x13x14x4xf32>, %k1: tensor<3x3x4x2xf32>, %k2: tensor<3x3x8x2xf32>) -> tensor<?x?x?x?xf32> {
  %a = dwconv.depthwise_conv2d %x, %k1 strides [2, 2] padding same : tensor<1x13x14x4xf32>, tensor<3x3x4x2xf32> -> tensor<?x?x?x?xf32>
  %b = dwconv.depthwise_conv2d %a, %k2 strides [2, 2] padding same : tensor<?x?x?x?xf32>, tensor<3x3x8x2xf32> -> tensor<?x?x?x?xf32>
  return %b : tensor<?x?x?x?xf32>
}

// -----

// tensor.dim takes the refined value as it is and then folds.
// CHECK-LABEL: func.func @dim_user
// CHECK: %[[Y:.*]] = dwconv.depthwise_conv2d {{.*}} -> tensor<1x7x7x8xf32>
// CHECK: tensor.dim %[[Y]], %{{.*}} : tensor<1x7x7x8xf32>
func.func @dim_user(%x: tensor<1x13x14x4xf32>, %k: tensor<3x3x4x2xf32>) -> index {
  %y = dwconv.depthwise_conv2d %x, %k strides [2, 2] padding same : tensor<1x13x14x4xf32>, tensor<3x3x4x2xf32> -> tensor<?x?x?x?xf32>
  %c1 = arith.constant 1 : index
  %d = tensor.dim %y, %c1 : tensor<?x?x?x?xf32>
  return %d : index
}
