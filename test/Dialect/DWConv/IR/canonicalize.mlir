// RUN: dwconv-opt %s --canonicalize --cse --split-input-file | FileCheck %s

// The op has no side effects: identical ops merge and unused ones vanish.

// CHECK-LABEL: func.func @cse
// CHECK-COUNT-1: dwconv.depthwise_conv2d
// CHECK-NOT: dwconv.depthwise_conv2d
// CHECK: return %[[Y:.*]], %[[Y]]
func.func @cse(%x: tensor<1x8x8x4xf32>, %k: tensor<3x3x4x1xf32>) -> (tensor<1x8x8x4xf32>, tensor<1x8x8x4xf32>) {
  %a = dwconv.depthwise_conv2d %x, %k padding same : tensor<1x8x8x4xf32>, tensor<3x3x4x1xf32>
  %b = dwconv.depthwise_conv2d %x, %k padding same : tensor<1x8x8x4xf32>, tensor<3x3x4x1xf32>
  return %a, %b : tensor<1x8x8x4xf32>, tensor<1x8x8x4xf32>
}

// -----

// Ops that differ in any attribute stay apart.
// CHECK-LABEL: func.func @different_activation
// CHECK-COUNT-2: dwconv.depthwise_conv2d
func.func @different_activation(%x: tensor<1x8x8x4xf32>, %k: tensor<3x3x4x1xf32>) -> (tensor<1x8x8x4xf32>, tensor<1x8x8x4xf32>) {
  %a = dwconv.depthwise_conv2d %x, %k padding same activation relu : tensor<1x8x8x4xf32>, tensor<3x3x4x1xf32>
  %b = dwconv.depthwise_conv2d %x, %k padding same activation relu6 : tensor<1x8x8x4xf32>, tensor<3x3x4x1xf32>
  return %a, %b : tensor<1x8x8x4xf32>, tensor<1x8x8x4xf32>
}

// -----

// CHECK-LABEL: func.func @dead
// CHECK-NOT: dwconv.depthwise_conv2d
// CHECK: return
func.func @dead(%x: tensor<1x8x8x4xf32>, %k: tensor<3x3x4x1xf32>) {
  %a = dwconv.depthwise_conv2d %x, %k : tensor<1x8x8x4xf32>, tensor<3x3x4x1xf32>
  return
}
