// RUN: dwconv-opt %s --split-input-file --dwconv-to-linalg-gpu-pipeline --dwconv-gpu-mapping-pipeline --dwconv-gpu-create-kernels --cse | FileCheck %s

// The mapped kernel becomes a GPU kernel of 32 x 4 threads: the tile loop's
// indices from the block index (row-major over the tile grid: 1 x 10 x 1 x
// 2 tiles), the thread loop's from the thread indices, no loop left.
// The host function keeps its loops.
// CHECK-LABEL: func.func private @dwconv_kernel.conv
// CHECK: scf.forall
// CHECK: gpu.module @dwconv_kernels
// CHECK: gpu.func @dwconv_conv_kernel(%[[X:.*]]: memref<1x10x12x40xf32>, %[[W:.*]]: memref<416xf32>, %[[OUT:.*]]: memref<1x10x12x40xf32>) kernel attributes {known_block_size = array<i32: 32, 4, 1>}
// CHECK-NOT: scf.forall
// CHECK: %[[BLOCK:.*]] = gpu.block_id x
// CHECK: arith.remui %[[BLOCK]],
// CHECK: arith.divui %[[BLOCK]],
// CHECK: %[[TY:.*]] = gpu.thread_id y
// CHECK: %[[TX:.*]] = gpu.thread_id x
// CHECK-NOT: gpu.barrier
// CHECK: llvm.intr.fma
// CHECK: memref.store %{{.*}}, %[[OUT]]
// CHECK: gpu.return
func.func @conv(%x: tensor<1x10x12x40xf32>, %k: tensor<3x3x40x1xf32>, %b: tensor<40xf32>) -> tensor<1x10x12x40xf32> {
  %y = dwconv.depthwise_conv2d %x, %k, %b padding same activation relu6 : tensor<1x10x12x40xf32>, tensor<3x3x40x1xf32>, tensor<40xf32>
  return %y : tensor<1x10x12x40xf32>
}

// -----

// softmax: the threads meet at a barrier between computing their outputs
// and normalizing the rows (both loops use the same thread indices).
// CHECK-LABEL: gpu.func @dwconv_softmax_kernel
// CHECK: gpu.thread_id y
// CHECK: llvm.intr.fma
// CHECK: gpu.barrier
// CHECK: math.exp
// CHECK: gpu.return
func.func @softmax(%x: tensor<1x5x13x40xf32>, %k: tensor<3x3x40x1xf32>) -> tensor<1x5x13x40xf32> {
  %y = dwconv.depthwise_conv2d %x, %k padding same activation softmax : tensor<1x5x13x40xf32>, tensor<3x3x40x1xf32>
  return %y : tensor<1x5x13x40xf32>
}
