// RUN: dwconv-opt %s --convert-dwconv-to-linalg --canonicalize --dwconv-cpu-tile-and-fuse --split-input-file | FileCheck %s

// The op writing the output is tiled by the kernel's tile shape (1 image, 2
// rows, 4 columns, all channels) into an scf.forall, and every producer is
// computed per tile: the padding of the tile's input window (no padded copy
// of the whole input), the fill, the contraction and the epilogue.

// CHECK-LABEL: func.func private @kernel
// CHECK-SAME: (%[[X:.*]]: tensor<?x13x14x4xf32>, %{{.*}}: tensor<3x3x4x1xf32>, %[[B:.*]]: tensor<4xf32>, %[[OUT:.*]]: tensor<?x7x7x4xf32>
// CHECK-NOT: tensor.pad
// CHECK: tensor.dim %[[X]], %c0
// CHECK: %[[RESULT:.*]] = scf.forall (%[[I:.*]], %[[J:.*]], %[[K:.*]]) = (0, 0, 0) to (%{{.*}}, 7, 7) step (1, 2, 4) shared_outs(%[[ACC:.*]] = %{{.*}})
// CHECK: %[[WINDOW:.*]] = scf.if
// CHECK: tensor.generate
// CHECK: } else {
// CHECK: %[[SLICE:.*]] = tensor.extract_slice %[[X]][%[[I]], %{{.*}}, %{{.*}}, 0]
// CHECK: tensor.pad %[[SLICE]]
// CHECK: %[[TILE:.*]] = tensor.extract_slice %[[ACC]][%[[I]], %[[J]], %[[K]], 0]
// CHECK: %[[INIT:.*]] = linalg.fill {{.*}} outs(%[[TILE]] :
// CHECK: %[[CONV:.*]] = linalg.depthwise_conv_2d_nhwc_hwc {{.*}} ins(%[[WINDOW]], %{{.*}} : tensor<1x?x?x4xf32>, tensor<3x3x4xf32>) outs(%[[INIT]] :
// CHECK: %[[EPILOGUE:.*]] = linalg.generic {{.*}} ins(%[[B]] : tensor<4xf32>) outs(%[[CONV]] :
// CHECK: tensor.parallel_insert_slice %[[EPILOGUE]] into %[[ACC]][%[[I]], %[[J]], %[[K]], 0]
// CHECK: bufferization.materialize_in_destination %[[RESULT]] in %[[OUT]]
func.func private @kernel(%x: tensor<?x13x14x4xf32>, %k: tensor<3x3x4x1xf32>, %b: tensor<4xf32>, %out: tensor<?x7x7x4xf32> {bufferization.writable = true}) -> tensor<?x7x7x4xf32> attributes {dwconv.tile_shape = array<i64: 1, 2, 4, 0>} {
  %y = dwconv.depthwise_conv2d %x, %k, %b strides [2, 2] padding same activation relu : tensor<?x13x14x4xf32>, tensor<3x3x4x1xf32>, tensor<4xf32>
  %r = bufferization.materialize_in_destination %y in %out : (tensor<?x7x7x4xf32>, tensor<?x7x7x4xf32>) -> tensor<?x7x7x4xf32>
  return %r : tensor<?x7x7x4xf32>
}

// -----

// channels_first with softmax over the width: the tile holds whole rows
// (tile shape in (N, C, H, W)); the transposes in and out, the contraction
// and the softmax reductions all run per tile on tile-sized tensors.
// CHECK-LABEL: func.func private @softmax_nchw
// CHECK: scf.forall (%[[I:.*]], %[[J:.*]]) = (0, 0) to (2, 5) step (1, 3)
// CHECK: linalg.transpose {{.*}} permutation = [0, 2, 3, 1]
// CHECK: linalg.depthwise_conv_2d_nhwc_hwc {{.*}} -> tensor<1x?x6x3xf32>
// CHECK: linalg.transpose {{.*}} permutation = [0, 3, 1, 2]
// CHECK: linalg.generic {{.*}}"reduction"]
// CHECK: arith.maximumf
// CHECK: } -> tensor<1x3x?xf32>
// CHECK: linalg.generic {{.*}}"reduction"]
// CHECK: math.exp
// CHECK: } -> tensor<1x3x?xf32>
// CHECK: arith.divf
// CHECK: tensor.parallel_insert_slice {{.*}}[%[[I]], 0, %[[J]], 0] [1, 3, %{{.*}}, 6]
func.func private @softmax_nchw(%x: tensor<2x3x5x6xf32>, %k: tensor<3x3x3x1xf32>, %out: tensor<2x3x5x6xf32> {bufferization.writable = true}) -> tensor<2x3x5x6xf32> attributes {dwconv.tile_shape = array<i64: 1, 0, 3, 0>} {
  %y = dwconv.depthwise_conv2d %x, %k padding same data_format channels_first activation softmax : tensor<2x3x5x6xf32>, tensor<3x3x3x1xf32>
  %r = bufferization.materialize_in_destination %y in %out : (tensor<2x3x5x6xf32>, tensor<2x3x5x6xf32>) -> tensor<2x3x5x6xf32>
  return %r : tensor<2x3x5x6xf32>
}

// -----

// A function without a tile shape is left alone.
// CHECK-LABEL: func.func private @untiled
// CHECK-NOT: scf.forall
// CHECK: linalg.depthwise_conv_2d_nhwc_hwc
func.func private @untiled(%x: tensor<1x8x8x2xf32>, %k: tensor<3x3x2x1xf32>, %out: tensor<1x6x6x2xf32> {bufferization.writable = true}) -> tensor<1x6x6x2xf32> {
  %y = dwconv.depthwise_conv2d %x, %k : tensor<1x8x8x2xf32>, tensor<3x3x2x1xf32>
  %r = bufferization.materialize_in_destination %y in %out : (tensor<1x6x6x2xf32>, tensor<1x6x6x2xf32>) -> tensor<1x6x6x2xf32>
  return %r : tensor<1x6x6x2xf32>
}
