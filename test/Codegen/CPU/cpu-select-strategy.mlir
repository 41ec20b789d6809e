// RUN: dwconv-opt %s --dwconv-outline-kernels --dwconv-cpu-select-strategy | FileCheck %s

// Each kernel gets the output tile one tile index computes (CPUStrategy.h):
// one image, rows and columns for about 128 K multiply-adds, all channels.

// 112 columns stay whole; 5 rows of 112 x 32 x 9 multiply-adds.
// CHECK-LABEL: func.func private @dwconv_kernel.large
// CHECK-SAME: dwconv.tile_shape = array<i64: 1, 5, 0, 0>

// 7 x 960 x 9 per row: 3 rows.
// CHECK-LABEL: func.func private @dwconv_kernel.small
// CHECK-SAME: dwconv.tile_shape = array<i64: 1, 3, 0, 0>

// Dynamic height and width: blocks of 64 columns, and as many rows as the
// work allows, so that a tile's temporaries stay bounded.
// CHECK-LABEL: func.func private @dwconv_kernel.dynamic
// CHECK-SAME: dwconv.tile_shape = array<i64: 1, 15, 64, 0>

// Softmax over the width (channels_first): whole rows, in (N, C, H, W).
// CHECK-LABEL: func.func private @dwconv_kernel.softmax_nchw
// CHECK-SAME: dwconv.tile_shape = array<i64: 1, 0, 7, 0>
func.func @large(%x: tensor<1x112x112x32xf32>, %k: tensor<3x3x32x1xf32>) -> tensor<1x112x112x32xf32> {
  %y = dwconv.depthwise_conv2d %x, %k padding same : tensor<1x112x112x32xf32>, tensor<3x3x32x1xf32>
  return %y : tensor<1x112x112x32xf32>
}
func.func @small(%x: tensor<1x7x7x960xf32>, %k: tensor<3x3x960x1xf32>) -> tensor<1x7x7x960xf32> {
  %y = dwconv.depthwise_conv2d %x, %k padding same : tensor<1x7x7x960xf32>, tensor<3x3x960x1xf32>
  return %y : tensor<1x7x7x960xf32>
}
func.func @dynamic(%x: tensor<?x?x?x16xf32>, %k: tensor<3x3x16x1xf32>) -> tensor<?x?x?x16xf32> {
  %y = dwconv.depthwise_conv2d %x, %k padding same : tensor<?x?x?x16xf32>, tensor<3x3x16x1xf32>
  return %y : tensor<?x?x?x16xf32>
}
func.func @softmax_nchw(%x: tensor<1x8x300x300xf32>, %k: tensor<3x3x8x1xf32>) -> tensor<1x8x300x300xf32> {
  %y = dwconv.depthwise_conv2d %x, %k padding same data_format channels_first activation softmax : tensor<1x8x300x300xf32>, tensor<3x3x8x1xf32>
  return %y : tensor<1x8x300x300xf32>
}
