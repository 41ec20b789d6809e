// RUN: dwconv-opt %s --dwconv-outline-kernels --dwconv-cpu-select-strategy | FileCheck %s --check-prefixes=CHECK,SSE
// RUN: dwconv-opt %s --dwconv-outline-kernels --dwconv-cpu-select-strategy="vector-bits=512 vector-registers=32 fma=true" | FileCheck %s --check-prefixes=CHECK,AVX512
// The same from an LLVM CPU name (znver4 has AVX-512 and FMA).
// RUN: dwconv-opt %s --dwconv-outline-kernels --dwconv-cpu-select-strategy="target-cpu=znver4 target-triple=x86_64-unknown-linux-gnu" | FileCheck %s --check-prefixes=CHECK,AVX512

// Each kernel gets the output tile one tile index computes (CPUStrategy.h):
// one image, rows for about 128 K multiply-adds, all channels. Layers on the
// vector path (channels_last f32, element-wise epilogue, a multiplier that
// divides the lanes) keep the whole width and get a register block. When
// the kh x kw weight vectors fit in registers beside 4 accumulators and 3
// inputs, they stay there and the rest of the registers hold columns of one
// channel vector (at most 16); otherwise 4 (32 registers) or 3 channel
// vectors and columns for three quarters of the register file.

// 112 columns stay whole; 5 rows of 112 x 32 x 9 multiply-adds.
// CHECK-LABEL: func.func private @dwconv_kernel.large
// SSE-SAME: dwconv.register_block = {channel_vectors = 1 : i64, columns = 4 : i64, fma = false, lanes = 4 : i64, resident_weights = true}
// AVX512-SAME: dwconv.register_block = {channel_vectors = 1 : i64, columns = 16 : i64, fma = true, lanes = 16 : i64, resident_weights = true}
// CHECK-SAME: dwconv.tile_shape = array<i64: 1, 5, 0, 0>

// 7 x 960 x 9 per row: 3 rows.
// CHECK-LABEL: func.func private @dwconv_kernel.small
// AVX512-SAME: dwconv.register_block = {channel_vectors = 1 : i64, columns = 16 : i64, fma = true, lanes = 16 : i64, resident_weights = true}
// CHECK-SAME: dwconv.tile_shape = array<i64: 1, 3, 0, 0>

// 5x5: 25 weights stay in 32 registers beside 4 columns; not in 16, where
// 3 channel vectors x 4 columns reload them.
// CHECK-LABEL: func.func private @dwconv_kernel.five
// SSE-SAME: dwconv.register_block = {channel_vectors = 3 : i64, columns = 4 : i64, fma = false, lanes = 4 : i64, resident_weights = false}
// AVX512-SAME: dwconv.register_block = {channel_vectors = 1 : i64, columns = 4 : i64, fma = true, lanes = 16 : i64, resident_weights = true}

// Dynamic height and width: the vector path keeps the width whole (it needs
// no temporaries), rows as if the width were 64.
// CHECK-LABEL: func.func private @dwconv_kernel.dynamic
// AVX512-SAME: dwconv.register_block = {channel_vectors = 1 : i64, columns = 16 : i64, fma = true, lanes = 16 : i64, resident_weights = true}
// CHECK-SAME: dwconv.tile_shape = array<i64: 1, 15, 0, 0>

// Depth multiplier 3 does not divide the lanes: the loop path, whose
// dynamic width comes in blocks of 64 columns.
// CHECK-LABEL: func.func private @dwconv_kernel.multiplier_3
// CHECK-NOT: dwconv.register_block
// CHECK-SAME: dwconv.tile_shape = array<i64: 1, 5, 64, 0>

// channels_first, stride 1 in width: the vector path along the width, one
// channel's 9 weights in registers; 16 lanes would be wider than the 14
// output columns, so 8. One image is one tile (under 128 K multiply-adds).
// CHECK-LABEL: func.func private @dwconv_kernel.nchw
// SSE-SAME: dwconv.register_block = {channel_vectors = 1 : i64, columns = 4 : i64, fma = false, lanes = 4 : i64, resident_weights = true}
// AVX512-SAME: dwconv.register_block = {channel_vectors = 1 : i64, columns = 8 : i64, fma = true, lanes = 8 : i64, resident_weights = true}
// CHECK-SAME: dwconv.tile_shape = array<i64: 1, 0, 0, 0>

// Softmax takes the loop path; over the width (channels_first) it needs
// whole rows, in (N, C, H, W).
// CHECK-LABEL: func.func private @dwconv_kernel.softmax_nchw
// CHECK-NOT: dwconv.register_block
// CHECK-SAME: dwconv.tile_shape = array<i64: 1, 0, 7, 0>
func.func @large(%x: tensor<1x112x112x32xf32>, %k: tensor<3x3x32x1xf32>) -> tensor<1x112x112x32xf32> {
  %y = dwconv.depthwise_conv2d %x, %k padding same : tensor<1x112x112x32xf32>, tensor<3x3x32x1xf32>
  return %y : tensor<1x112x112x32xf32>
}
func.func @small(%x: tensor<1x7x7x960xf32>, %k: tensor<3x3x960x1xf32>) -> tensor<1x7x7x960xf32> {
  %y = dwconv.depthwise_conv2d %x, %k padding same : tensor<1x7x7x960xf32>, tensor<3x3x960x1xf32>
  return %y : tensor<1x7x7x960xf32>
}
func.func @five(%x: tensor<1x14x14x672xf32>, %k: tensor<5x5x672x1xf32>) -> tensor<1x14x14x672xf32> {
  %y = dwconv.depthwise_conv2d %x, %k padding same : tensor<1x14x14x672xf32>, tensor<5x5x672x1xf32>
  return %y : tensor<1x14x14x672xf32>
}
func.func @dynamic(%x: tensor<?x?x?x16xf32>, %k: tensor<3x3x16x1xf32>) -> tensor<?x?x?x16xf32> {
  %y = dwconv.depthwise_conv2d %x, %k padding same : tensor<?x?x?x16xf32>, tensor<3x3x16x1xf32>
  return %y : tensor<?x?x?x16xf32>
}
func.func @multiplier_3(%x: tensor<?x?x?x16xf32>, %k: tensor<3x3x16x3xf32>) -> tensor<?x?x?x48xf32> {
  %y = dwconv.depthwise_conv2d %x, %k padding same : tensor<?x?x?x16xf32>, tensor<3x3x16x3xf32>
  return %y : tensor<?x?x?x48xf32>
}
func.func @nchw(%x: tensor<1x32x14x14xf32>, %k: tensor<3x3x32x1xf32>) -> tensor<1x32x14x14xf32> {
  %y = dwconv.depthwise_conv2d %x, %k padding same data_format channels_first : tensor<1x32x14x14xf32>, tensor<3x3x32x1xf32>
  return %y : tensor<1x32x14x14xf32>
}
func.func @softmax_nchw(%x: tensor<1x8x300x300xf32>, %k: tensor<3x3x8x1xf32>) -> tensor<1x8x300x300xf32> {
  %y = dwconv.depthwise_conv2d %x, %k padding same data_format channels_first activation softmax : tensor<1x8x300x300xf32>, tensor<3x3x8x1xf32>
  return %y : tensor<1x8x300x300xf32>
}
