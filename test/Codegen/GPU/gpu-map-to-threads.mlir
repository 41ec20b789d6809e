// RUN: dwconv-opt %s --split-input-file --dwconv-to-linalg-gpu-pipeline --dwconv-gpu-map-to-threads --cse | FileCheck %s

// A 3x3 'same' layer with bias and relu6, 40 channels, 12 columns: tiles of
// (1 image, 1 row, 16 columns, 32 channels), 4 x 32 threads, 4 columns per
// thread. The loops work on the kernel's buffers; the linalg form (its
// tensor.pad included) is gone.

// CHECK-LABEL: func.func private @dwconv_kernel.layer
// CHECK-SAME: (%[[X:.*]]: tensor<1x10x12x40xf32>, %[[W:.*]]: tensor<416xf32>, %[[DEST:.*]]: tensor<1x10x12x40xf32>
// CHECK-NOT: tensor.pad
// CHECK-NOT: linalg.
// CHECK-DAG: %[[IN:.*]] = bufferization.to_buffer %[[X]] read_only
// CHECK-DAG: %[[WB:.*]] = bufferization.to_buffer %[[W]] read_only
// CHECK-DAG: %[[OUT:.*]] = bufferization.to_buffer %[[DEST]] :
// CHECK: scf.forall (%[[N:.*]], %[[OH:.*]], %[[OW0:.*]], %[[C0:.*]]) = (0, 0, 0, 0) to (%{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}) step (1, 1, 16, 32)
// CHECK: scf.forall (%[[TY:.*]], %[[TX:.*]]) in (4, 32)
// CHECK: %[[CH:.*]] = arith.addi %[[C0]], %[[TX]]
// CHECK: %[[LIVE:.*]] = arith.cmpi slt, %[[CH]],
// CHECK: scf.if %[[LIVE]]

// A loop over the kernel rows, the 3 kernel columns x 4 outputs unrolled:
// 3 weight loads, 12 input loads (clamped into the input) and 12 FMAs, each
// kept only where its tap is inside the input.
// CHECK: %[[ACC:.*]]:4 = scf.for %[[KH:.*]] = %{{.*}} to %{{.*}} step %{{.*}} iter_args({{.*}}) -> (f32, f32, f32, f32)
// CHECK: arith.maxsi
// CHECK: arith.minsi
// CHECK: memref.load %[[WB]]
// CHECK: memref.load %[[IN]][%[[N]], %{{.*}}, %{{.*}}, %[[CH]]]
// CHECK-NEXT: llvm.intr.fma
// CHECK-NEXT: arith.select
// CHECK-COUNT-11: llvm.intr.fma
// CHECK: scf.yield
// CHECK-NOT: llvm.intr.fma

// Bias and relu6 on each accumulator, stored where the column is inside the
// output.
// CHECK: %[[BIAS:.*]] = memref.load %[[WB]]
// CHECK: scf.if
// CHECK: arith.addf %[[ACC]]#0, %[[BIAS]]
// CHECK: arith.maximumf
// CHECK: arith.minimumf
// CHECK: memref.store %{{.*}}, %[[OUT]][%[[N]], %[[OH]], %{{.*}}, %[[CH]]]
// CHECK-COUNT-3: memref.store
// CHECK: } {mapping = [#gpu.thread<y>, #gpu.thread<x>]}
// CHECK: } {mapping = [#gpu.block<linear_dim_3>, #gpu.block<linear_dim_2>, #gpu.block<linear_dim_1>, #gpu.block<linear_dim_0>]}
// CHECK: %[[RES:.*]] = bufferization.to_tensor %[[OUT]] restrict writable
// CHECK: return %[[RES]]
func.func @layer(%x: tensor<1x10x12x40xf32>, %k: tensor<3x3x40x1xf32>, %b: tensor<40xf32>) -> tensor<1x10x12x40xf32> {
  %y = dwconv.depthwise_conv2d %x, %k, %b padding same activation relu6 : tensor<1x10x12x40xf32>, tensor<3x3x40x1xf32>, tensor<40xf32>
  return %y : tensor<1x10x12x40xf32>
}

// -----

// channels_first: threads x along the width (coalesced), 4 rows each; the
// input channel of output channel co is co / M.
// CHECK-LABEL: func.func private @dwconv_kernel.nchw
// CHECK: scf.forall (%[[N:.*]], %[[CO:.*]], %[[OH0:.*]], %[[OW0:.*]]) = (0, 0, 0, 0)
// CHECK: scf.forall (%{{.*}}, %[[TX:.*]]) in
// CHECK: %[[OW:.*]] = arith.addi %[[OW0]], %[[TX]]
// CHECK: %[[C:.*]] = arith.divui %[[CO]], %c2
// CHECK: memref.load %{{.*}}[%[[N]], %[[C]], %{{.*}}, %{{.*}}] : memref<2x3x9x20xf32>
// CHECK: memref.store %{{.*}}, %{{.*}}[%[[N]], %[[CO]], %{{.*}}, %[[OW]]] : memref<2x6x7x9xf32>
func.func @nchw(%x: tensor<2x3x9x20xf32>, %k: tensor<3x3x3x2xf32>) -> tensor<2x6x7x9xf32> {
  %y = dwconv.depthwise_conv2d %x, %k strides [1, 2] data_format channels_first : tensor<2x3x9x20xf32>, tensor<3x3x3x2xf32>
  return %y : tensor<2x6x7x9xf32>
}

// -----

// softmax: tiles of whole rows of channels (3 tile dims), each thread x
// steps through the row's channels, then a second loop over the threads
// normalizes one row per thread: max, sum of exp(x - max), exp(x - max) /
// sum, read back from the output.
// CHECK-LABEL: func.func private @dwconv_kernel.softmax
// CHECK: scf.forall (%[[N:.*]], %[[OH:.*]], %[[OW0:.*]]) = (0, 0, 0)
// CHECK: scf.forall (%{{.*}}, %[[TX:.*]]) in (4, 32)
// CHECK: scf.for %{{.*}} = %[[TX]] to %{{.*}} step %c32
// CHECK: llvm.intr.fma
// CHECK: memref.store
// CHECK: } {mapping = [#gpu.thread<y>, #gpu.thread<x>]}
// CHECK: scf.forall
// CHECK: scf.for {{.*}} -> (f32)
// CHECK: arith.maximumf
// CHECK: scf.for {{.*}} -> (f32)
// CHECK: math.exp
// CHECK: scf.for
// CHECK: memref.load
// CHECK: math.exp
// CHECK: arith.divf
// CHECK: memref.store
// CHECK: } {mapping = [#gpu.thread<y>, #gpu.thread<x>]}
// CHECK: } {mapping = [#gpu.block<linear_dim_2>, #gpu.block<linear_dim_1>, #gpu.block<linear_dim_0>]}
func.func @softmax(%x: tensor<1x5x13x40xf32>, %k: tensor<3x3x40x1xf32>) -> tensor<1x5x13x40xf32> {
  %y = dwconv.depthwise_conv2d %x, %k padding same activation softmax : tensor<1x5x13x40xf32>, tensor<3x3x40x1xf32>
  return %y : tensor<1x5x13x40xf32>
}

// -----

// sparsemax: whole rows too; after the threads meet, one thread per row
// places each element in the row's descending order by counting (a loop
// over the row in a loop over it: its place and the cumulative sum there),
// sums the support, then writes max(x - tau, 0) back, as the linalg form
// computes Keras's formula.
// CHECK-LABEL: func.func private @dwconv_kernel.sparsemax
// CHECK: scf.forall (%{{.*}}, %{{.*}}, %{{.*}}) = (0, 0, 0)
// CHECK: llvm.intr.fma
// CHECK: memref.store
// CHECK: } {mapping = [#gpu.thread<y>, #gpu.thread<x>]}
// CHECK: scf.forall
// CHECK: scf.for {{.*}} -> (f32, f32)
// CHECK: %[[ZJ:.*]] = memref.load
// CHECK: scf.for {{.*}} -> (f32, f32)
// CHECK: %[[ZI:.*]] = memref.load
// CHECK: arith.cmpf ogt, %[[ZI]], %[[ZJ]]
// CHECK: arith.cmpf oeq, %[[ZI]], %[[ZJ]]
// CHECK: arith.cmpi ule
// CHECK: arith.divf
// CHECK: arith.cmpf ogt
// CHECK: arith.divf
// CHECK: scf.for
// CHECK: memref.load
// CHECK: arith.subf
// CHECK: arith.maximumf
// CHECK: memref.store
// CHECK: } {mapping = [#gpu.thread<y>, #gpu.thread<x>]}
// CHECK: } {mapping = [#gpu.block<linear_dim_2>, #gpu.block<linear_dim_1>, #gpu.block<linear_dim_0>]}
func.func @sparsemax(%x: tensor<1x5x13x12xf32>, %k: tensor<3x3x12x1xf32>) -> tensor<1x5x13x12xf32> {
  %y = dwconv.depthwise_conv2d %x, %k padding same activation sparsemax : tensor<1x5x13x12xf32>, tensor<3x3x12x1xf32>
  return %y : tensor<1x5x13x12xf32>
}

// -----

// glu: the output's last axis is half the convolution's. Each thread
// computes the convolution at its channel e and at e + half (two kernel-row
// loops over the same outputs), applies the epilogue (bias) to each, and
// stores glu's body run for k = 0 and 1 from 1: (1 * a) * sigmoid(b).
// CHECK-LABEL: func.func private @dwconv_kernel.glu
// CHECK: %[[HALF:.*]] = memref.dim %{{.*}}, %c3 : memref<1x5x13x6xf32>
// CHECK: scf.forall (%{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}) = (0, 0, 0, 0)
// CHECK: scf.forall
// CHECK: %[[GATE:.*]] = arith.addi %[[E:.*]], %[[HALF]] : index
// CHECK: scf.for {{.*}} -> (f32, f32, f32, f32)
// CHECK: llvm.intr.fma
// CHECK: scf.for {{.*}} -> (f32, f32, f32, f32)
// CHECK: llvm.intr.fma
// CHECK: memref.load %{{.*}}[%{{.*}}] : memref<128xf32>
// CHECK: memref.load %{{.*}}[%{{.*}}] : memref<128xf32>
// CHECK: math.exp
// CHECK: arith.mulf
// CHECK: math.exp
// CHECK: %[[Y:.*]] = arith.mulf
// CHECK: memref.store %[[Y]], %{{.*}}[%{{.*}}, %{{.*}}, %{{.*}}, %[[E]]] : memref<1x5x13x6xf32>
func.func @glu(%x: tensor<1x5x13x12xf32>, %k: tensor<3x3x12x1xf32>, %b: tensor<12xf32>) -> tensor<1x5x13x6xf32> {
  %y = dwconv.depthwise_conv2d %x, %k, %b padding same activation glu : tensor<1x5x13x12xf32>, tensor<3x3x12x1xf32>, tensor<12xf32>
  return %y : tensor<1x5x13x6xf32>
}
