// RUN: dwconv-opt %s --dwconv-to-linalg-pipeline --dwconv-cpu-bufferize-pipeline --split-input-file | FileCheck %s

// A kernel in destination-passing style bufferizes with its function
// boundaries: tensors become identity-layout memrefs, the result lands in the
// output argument without a copy, and the padded input is freed.

// CHECK-LABEL: func.func private @kernel
// CHECK-SAME: (%[[X:.*]]: memref<?x13x14x4xf32>, %[[K:.*]]: memref<3x3x4x1xf32>, %[[B:.*]]: memref<4xf32>, %[[OUT:.*]]: memref<?x7x7x4xf32>)
// CHECK-NOT: -> memref
// CHECK: %[[PADDED:.*]] = memref.alloc
// CHECK: linalg.depthwise_conv_2d_nhwc_hwc {{.*}} ins(%[[PADDED]], %{{.*}} : memref<?x15x15x4xf32>, memref<3x3x4xf32>) outs(%[[OUT]] : memref<?x7x7x4xf32>)
// CHECK: linalg.generic {{.*}} ins(%[[B]] : memref<4xf32>) outs(%[[OUT]] : memref<?x7x7x4xf32>)
// CHECK-NOT: memref.copy {{.*}}, %[[OUT]]
// CHECK: memref.dealloc %[[PADDED]]
// CHECK-NEXT: return
func.func private @kernel(%x: tensor<?x13x14x4xf32>, %k: tensor<3x3x4x1xf32>, %b: tensor<4xf32>, %out: tensor<?x7x7x4xf32> {bufferization.writable = true}) -> tensor<?x7x7x4xf32> {
  %y = dwconv.depthwise_conv2d %x, %k, %b strides [2, 2] padding same activation relu : tensor<?x13x14x4xf32>, tensor<3x3x4x1xf32>, tensor<4xf32>
  %r = bufferization.materialize_in_destination %y in %out : (tensor<?x7x7x4xf32>, tensor<?x7x7x4xf32>) -> tensor<?x7x7x4xf32>
  return %r : tensor<?x7x7x4xf32>
}

// -----

// A plain tensor function bufferizes too; its result is a new buffer.
// CHECK-LABEL: func.func @tensor_function
// CHECK-SAME: (%{{.*}}: memref<1x8x8x2xf32>, %{{.*}}: memref<3x3x2x1xf32>) -> memref<1x6x6x2xf32>
// CHECK: %[[ALLOC:.*]] = memref.alloc() {{.*}} : memref<1x6x6x2xf32>
// CHECK: linalg.depthwise_conv_2d_nhwc_hwc {{.*}} outs(%[[ALLOC]] : memref<1x6x6x2xf32>)
// CHECK: return %[[ALLOC]]
func.func @tensor_function(%x: tensor<1x8x8x2xf32>, %k: tensor<3x3x2x1xf32>) -> tensor<1x6x6x2xf32> {
  %y = dwconv.depthwise_conv2d %x, %k : tensor<1x8x8x2xf32>, tensor<3x3x2x1xf32>
  return %y : tensor<1x6x6x2xf32>
}
