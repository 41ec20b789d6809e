// RUN: dwconv-opt %s --dwconv-outline-kernels --dwconv-gpu-select-strategy | FileCheck %s
// RUN: dwconv-opt %s --dwconv-outline-kernels --dwconv-gpu-select-strategy="threads-x=64 threads-y=2 outputs-per-thread=8" | FileCheck %s --check-prefix=FORCED

// The pipeline's options override the heuristics for every layer.
// FORCED-LABEL: func.func private @dwconv_kernel.large
// FORCED-SAME: dwconv.gpu_mapping = {outputs_per_thread = 8 : i64, threads_x = 64 : i64, threads_y = 2 : i64}
// FORCED-SAME: dwconv.tile_shape = array<i64: 1, 1, 16, 64>

// One thread block per tile (GPUStrategy.h): one image, one index of output
// dim 1, threads_y x outputs_per_thread of the blocked dim (W, or H for
// channels_first) and 32 threads along the contiguous dim (C, or W). A
// thread unrolls kw x outputs_per_thread taps per kernel row, at most 64.

// 112 columns: 8 x 4 outputs per block, 32 channels.
// CHECK-LABEL: func.func private @dwconv_kernel.large
// CHECK-SAME: dwconv.gpu_mapping = {outputs_per_thread = 4 : i64, threads_x = 32 : i64, threads_y = 8 : i64}
// CHECK-SAME: dwconv.tile_shape = array<i64: 1, 1, 32, 32>

// 7 columns: 2 threads in y (8 outputs), not 8 mostly idle ones.
// CHECK-LABEL: func.func private @dwconv_kernel.small
// CHECK-SAME: dwconv.gpu_mapping = {outputs_per_thread = 4 : i64, threads_x = 32 : i64, threads_y = 2 : i64}
// CHECK-SAME: dwconv.tile_shape = array<i64: 1, 1, 8, 32>

// A 1x31 kernel: 2 outputs per thread (62 unrolled taps).
// CHECK-LABEL: func.func private @dwconv_kernel.wide_kernel
// CHECK-SAME: dwconv.gpu_mapping = {outputs_per_thread = 2 : i64, threads_x = 32 : i64, threads_y = 8 : i64}
// CHECK-SAME: dwconv.tile_shape = array<i64: 1, 1, 16, 32>

// Dynamic width: 8 threads in y.
// CHECK-LABEL: func.func private @dwconv_kernel.dynamic
// CHECK-SAME: dwconv.tile_shape = array<i64: 1, 1, 32, 32>

// channels_first: (N, C, H, W) tiles of one channel, rows x 32 columns.
// CHECK-LABEL: func.func private @dwconv_kernel.nchw
// CHECK-SAME: dwconv.gpu_mapping = {outputs_per_thread = 4 : i64, threads_x = 32 : i64, threads_y = 4 : i64}
// CHECK-SAME: dwconv.tile_shape = array<i64: 1, 1, 16, 32>

// softmax reduces over the contiguous dim: tiles hold whole rows of it.
// CHECK-LABEL: func.func private @dwconv_kernel.softmax
// CHECK-SAME: dwconv.tile_shape = array<i64: 1, 1, 32, 0>
func.func @large(%x: tensor<1x112x112x32xf32>, %k: tensor<3x3x32x1xf32>) -> tensor<1x112x112x32xf32> {
  %y = dwconv.depthwise_conv2d %x, %k padding same : tensor<1x112x112x32xf32>, tensor<3x3x32x1xf32>
  return %y : tensor<1x112x112x32xf32>
}
func.func @small(%x: tensor<1x7x7x960xf32>, %k: tensor<3x3x960x1xf32>) -> tensor<1x7x7x960xf32> {
  %y = dwconv.depthwise_conv2d %x, %k padding same : tensor<1x7x7x960xf32>, tensor<3x3x960x1xf32>
  return %y : tensor<1x7x7x960xf32>
}
func.func @wide_kernel(%x: tensor<1x40x40x8xf32>, %k: tensor<1x31x8x1xf32>) -> tensor<1x40x40x8xf32> {
  %y = dwconv.depthwise_conv2d %x, %k padding same : tensor<1x40x40x8xf32>, tensor<1x31x8x1xf32>
  return %y : tensor<1x40x40x8xf32>
}
func.func @dynamic(%x: tensor<?x?x?x16xf32>, %k: tensor<3x3x16x1xf32>) -> tensor<?x?x?x16xf32> {
  %y = dwconv.depthwise_conv2d %x, %k padding same : tensor<?x?x?x16xf32>, tensor<3x3x16x1xf32>
  return %y : tensor<?x?x?x16xf32>
}
func.func @nchw(%x: tensor<1x32x14x14xf32>, %k: tensor<3x3x32x1xf32>) -> tensor<1x32x14x14xf32> {
  %y = dwconv.depthwise_conv2d %x, %k padding same data_format channels_first : tensor<1x32x14x14xf32>, tensor<3x3x32x1xf32>
  return %y : tensor<1x32x14x14xf32>
}
func.func @softmax(%x: tensor<1x56x56x8xf32>, %k: tensor<3x3x8x1xf32>) -> tensor<1x56x56x8xf32> {
  %y = dwconv.depthwise_conv2d %x, %k padding same activation softmax : tensor<1x56x56x8xf32>, tensor<3x3x8x1xf32>
  return %y : tensor<1x56x56x8xf32>
}
