// RUN: dwconv-opt %s --dwconv-to-linalg-pipeline --dwconv-cpu-bufferize-pipeline | FileCheck %s

// A layer becomes a kernel on buffers that computes a range of tiles: the
// input, the packed weights, the output (written in place, no copy), the
// workspace and the tile range [begin, end). Nothing is allocated.

// The vector path (channels_last): each tile (one image here) reads the input
// in place, with no padded copy and no workspace, and writes vectors into
// its slice of the output.
// CHECK-LABEL: func.func private @dwconv_kernel.layer
// CHECK-SAME: (%[[X:.*]]: memref<?x13x14x4xf32>, %[[W:.*]]: memref<64xf32>, %[[OUT:.*]]: memref<?x7x7x4xf32>, %[[WS:.*]]: memref<?xi8>, %[[BEGIN:.*]]: index, %[[END:.*]]: index)
// CHECK-SAME: dwconv.packed_weights_bytes = 256
// CHECK-SAME: dwconv.register_block =
// CHECK-SAME: dwconv.tile_shape = array<i64: 1, 0, 0, 0>
// CHECK-SAME: dwconv.workspace_bytes = 0
// CHECK-NOT: memref.alloc
// CHECK-NOT: memref.copy
// CHECK-NOT: memref.view
// CHECK: scf.for %[[T:.*]] = %[[BEGIN]] to %[[END]]
// CHECK: %[[TILE:.*]] = memref.subview %[[OUT]][%[[T]], 0, 0, 0] [1, 7, 7, 4]
// CHECK: vector.transfer_read %[[X]][%[[T]], {{.*}} : memref<?x13x14x4xf32>, vector<4xf32>
// CHECK: vector.transfer_write {{.*}}, %[[TILE]]
// CHECK-NOT: memref.alloc
// CHECK-NOT: memref.dealloc
// CHECK: return

// The pack function writes the bias at 0 and the kernel at 16 (64 bytes) of
// the packed buffer, zeros elsewhere.
// CHECK-LABEL: func.func private @dwconv_pack.layer
// CHECK-SAME: (%[[K:.*]]: memref<3x3x4x1xf32>, %[[B:.*]]: memref<4xf32>, %[[P:.*]]: memref<64xf32>)
// CHECK: linalg.fill {{.*}} outs(%[[P]] : memref<64xf32>)
// CHECK: %[[KFLAT:.*]] = memref.collapse_shape %[[K]]
// CHECK: %[[KDST:.*]] = memref.subview %[[P]][16] [36] [1]
// CHECK: memref.copy %[[KFLAT]], %[[KDST]]
// CHECK: %[[BDST:.*]] = memref.subview %[[P]][0] [4] [1]
// CHECK: memref.copy %[[B]], %[[BDST]]

// The loop path (channels_first): each tile transposes and pads its input
// into the workspace and computes there with linalg ops.
// CHECK-LABEL: func.func private @dwconv_kernel.nchw
// CHECK-SAME: (%[[X:.*]]: memref<?x4x13x14xf32>, %[[W:.*]]: memref<64xf32>, %[[OUT:.*]]: memref<?x4x7x7xf32>, %[[WS:.*]]: memref<?xi8>, %[[BEGIN:.*]]: index, %[[END:.*]]: index)
// CHECK-NOT: dwconv.register_block
// CHECK-SAME: dwconv.workspace_bytes = 7424
// CHECK-NOT: memref.alloc
// CHECK: scf.for %[[T:.*]] = %[[BEGIN]] to %[[END]]
// CHECK: %[[IMAGE:.*]] = memref.subview %[[X]][%[[T]], 0, 0, 0] [1, 4, 13, 14]
// CHECK: %[[NHWC:.*]] = memref.view %[[WS]][%{{.*}}][] : memref<?xi8> to memref<1x13x14x4xf32>
// CHECK: linalg.transpose ins(%[[IMAGE]] {{.*}} outs(%[[NHWC]]
// CHECK: %[[PADDED:.*]] = memref.view %[[WS]][%{{.*}}][] : memref<?xi8> to memref<1x15x15x4xf32>
// CHECK: memref.copy %[[NHWC]], %{{.*}}
// CHECK: linalg.depthwise_conv_2d_nhwc_hwc {{.*}} ins(%[[PADDED]], %{{.*}} : memref<1x15x15x4xf32>
// CHECK: %[[TILE:.*]] = memref.subview %[[OUT]][%[[T]], 0, 0, 0] [1, 4, 7, 7]
// CHECK: linalg.transpose {{.*}} outs(%[[TILE]]
// CHECK-NOT: memref.alloc
// CHECK-NOT: memref.dealloc
// CHECK: return
func.func @layer(%x: tensor<?x13x14x4xf32>, %k: tensor<3x3x4x1xf32>, %b: tensor<4xf32>) -> tensor<?x7x7x4xf32> {
  %y = dwconv.depthwise_conv2d %x, %k, %b strides [2, 2] padding same activation relu : tensor<?x13x14x4xf32>, tensor<3x3x4x1xf32>, tensor<4xf32>
  return %y : tensor<?x7x7x4xf32>
}
func.func @nchw(%x: tensor<?x4x13x14xf32>, %k: tensor<3x3x4x1xf32>, %b: tensor<4xf32>) -> tensor<?x4x7x7xf32> {
  %y = dwconv.depthwise_conv2d %x, %k, %b strides [2, 2] padding same data_format channels_first activation relu : tensor<?x4x13x14xf32>, tensor<3x3x4x1xf32>, tensor<4xf32>
  return %y : tensor<?x4x7x7xf32>
}
