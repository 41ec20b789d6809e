// RUN: dwconv-opt %s --dwconv-infer-shapes --split-input-file | FileCheck %s

// A refined callee signature refines its call sites, and the refinement goes
// on through the caller.

// CHECK-LABEL: func.func @callee
// CHECK-SAME: -> tensor<1x7x7x8xf32>
func.func @callee(%x: tensor<1x13x14x4xf32>, %k: tensor<3x3x4x2xf32>) -> tensor<?x?x?x?xf32> {
  %y = dwconv.depthwise_conv2d %x, %k strides [2, 2] padding same : tensor<1x13x14x4xf32>, tensor<3x3x4x2xf32> -> tensor<?x?x?x?xf32>
  return %y : tensor<?x?x?x?xf32>
}

// CHECK-LABEL: func.func @caller
// CHECK-SAME: -> tensor<1x5x5x8xf32>
// CHECK: %[[A:.*]] = call @callee({{.*}}) : (tensor<1x13x14x4xf32>, tensor<3x3x4x2xf32>) -> tensor<1x7x7x8xf32>
// CHECK: %[[B:.*]] = dwconv.depthwise_conv2d %[[A]], {{.*}} : tensor<1x7x7x8xf32>, tensor<3x3x8x1xf32> -> tensor<1x5x5x8xf32>
// CHECK: return %[[B]] : tensor<1x5x5x8xf32>
func.func @caller(%x: tensor<1x13x14x4xf32>, %k: tensor<3x3x4x2xf32>, %k2: tensor<3x3x8x1xf32>) -> tensor<?x?x?x?xf32> {
  %a = call @callee(%x, %k) : (tensor<1x13x14x4xf32>, tensor<3x3x4x2xf32>) -> tensor<?x?x?x?xf32>
  %b = dwconv.depthwise_conv2d %a, %k2 : tensor<?x?x?x?xf32>, tensor<3x3x8x1xf32> -> tensor<?x?x?x?xf32>
  return %b : tensor<?x?x?x?xf32>
}

// -----

// A function referenced other than by func.call keeps its signature; its
// return casts the refined value back.
// CHECK-LABEL: func.func @taken_by_address
// CHECK-SAME: -> tensor<?x?x?x?xf32>
// CHECK: %[[Y:.*]] = dwconv.depthwise_conv2d {{.*}} -> tensor<1x6x6x4xf32>
// CHECK: %[[CAST:.*]] = tensor.cast %[[Y]] : tensor<1x6x6x4xf32> to tensor<?x?x?x?xf32>
// CHECK: return %[[CAST]]
func.func @taken_by_address(%x: tensor<1x8x8x4xf32>, %k: tensor<3x3x4x1xf32>) -> tensor<?x?x?x?xf32> {
  %y = dwconv.depthwise_conv2d %x, %k : tensor<1x8x8x4xf32>, tensor<3x3x4x1xf32> -> tensor<?x?x?x?xf32>
  return %y : tensor<?x?x?x?xf32>
}

func.func @address() -> ((tensor<1x8x8x4xf32>, tensor<3x3x4x1xf32>) -> tensor<?x?x?x?xf32>) {
  %f = func.constant @taken_by_address : (tensor<1x8x8x4xf32>, tensor<3x3x4x1xf32>) -> tensor<?x?x?x?xf32>
  return %f : (tensor<1x8x8x4xf32>, tensor<3x3x4x1xf32>) -> tensor<?x?x?x?xf32>
}
