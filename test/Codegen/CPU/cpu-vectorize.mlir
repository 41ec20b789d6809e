// RUN: dwconv-opt %s --split-input-file --dwconv-to-linalg-pipeline="vector-bits=128 vector-registers=16 fma=true" --dwconv-cpu-vectorize --canonicalize --cse | FileCheck %s

// A 3x3 'same' layer of 6 channels with 4-lane vectors and 16 registers:
// register blocks of 4 columns x 1 channel vector, the 9 weight vectors held
// in registers. The tiles are (image, 16 rows); within a tile, the rows
// above the interior, the interior rows and the rows below come in three
// loops; within a row, each channel block (4 channels, then the masked
// last 2) runs its left border columns, the interior in blocks of 4, 2 and
// 1 columns, and its right border columns.

// CHECK-LABEL: func.func private @dwconv_kernel.layer
// CHECK-SAME: (%[[X:.*]]: tensor<?x?x?x6xf32>, %[[W:.*]]: tensor<80xf32>, %[[DEST:.*]]: tensor<?x?x?x6xf32>
// CHECK-DAG: %[[FILTER:.*]] = tensor.expand_shape {{.*}} output_shape [3, 3, 6]
// CHECK-DAG: %[[BIAS:.*]] = tensor.extract_slice %[[W]][0] [6] [1]
// Constants and masks are made once, before the tiles.
// CHECK-DAG: %[[MASK:.*]] = vector.constant_mask [2] : vector<4xi1>
// CHECK-NOT: tensor.pad
// CHECK-NOT: linalg.
// CHECK: %[[RES:.*]] = scf.forall (%[[N:.*]], %[[R:.*]]) = (0, 0) to (%{{.*}}, %{{.*}}) step (1, 16) shared_outs(%[[OUT:.*]] = %[[DEST]])
// CHECK: %[[TILE:.*]] = tensor.extract_slice %[[OUT]][%[[N]], %[[R]], 0, 0]

// The rows above the interior: a loop over the kernel rows that read
// inside the input (weights loaded by that row); in a border column each kw
// tap is tested too.
// CHECK: %[[ABOVE:.*]] = scf.for {{.*}} iter_args(%{{.*}} = %[[TILE]])
// CHECK: scf.for %[[KH:[^ ]*]] = {{.*}} -> (vector<4xf32>)
// CHECK: scf.if
// CHECK: vector.transfer_read %[[X]][%[[N]],
// CHECK: vector.transfer_read %[[FILTER]][%[[KH]], %c0, %c0]
// CHECK: vector.fma

// The interior rows: weights once per channel block, then the interior
// columns in blocks of 4 with nothing tested: 3 kernel rows x (4 + 2) input
// vectors, 36 FMAs, the epilogue (bias, relu) and 4 stores.
// CHECK: scf.for %[[ROW:.*]] = {{.*}} iter_args(%{{.*}} = %[[ABOVE]])
// CHECK-COUNT-9: vector.transfer_read %[[FILTER]]
// CHECK: scf.for
// CHECK: scf.if
// CHECK: scf.for %[[COL:.*]] = %{{.*}} to %{{.*}} step %c4 iter_args(%[[T4:.*]] =
// CHECK-NOT: scf.if
// CHECK-COUNT-18: vector.transfer_read %[[X]][%[[N]],
// CHECK-NOT: scf.if
// CHECK-COUNT-36: vector.fma
// CHECK: vector.transfer_read %[[BIAS]]
// CHECK: arith.addf
// CHECK: arith.maximumf
// CHECK: vector.transfer_write %{{.*}}, %[[T4]][%c0, %[[ROW]], %[[COL]], %c0] {in_bounds = [true]}
// CHECK-COUNT-3: vector.transfer_write
// CHECK-NOT: vector.fma
// CHECK: scf.yield
// CHECK: scf.for {{.*}} step %c2
// CHECK-COUNT-18: vector.fma
// The last 2 channels: masked loads and stores.
// CHECK: vector.transfer_read %[[FILTER]][{{.*}}, %c4], %{{.*}}, %[[MASK]]
// CHECK: vector.transfer_write %{{.*}}, %{{.*}}[%c0, %{{.*}}, %{{.*}}, %c4], %{{.*}} {in_bounds = [true]}
// CHECK: tensor.parallel_insert_slice
// CHECK-NOT: bufferization.materialize_in_destination
// CHECK: return %[[RES]]
func.func @layer(%x: tensor<?x?x?x6xf32>, %k: tensor<3x3x6x1xf32>, %b: tensor<6xf32>) -> tensor<?x?x?x6xf32> {
  %y = dwconv.depthwise_conv2d %x, %k, %b padding same activation relu : tensor<?x?x?x6xf32>, tensor<3x3x6x1xf32>, tensor<6xf32>
  return %y : tensor<?x?x?x6xf32>
}

// -----

// Depth multiplier 2: each input vector holds 2 channels, spread over the 4
// output lanes of their 2 x 2 outputs. Stride 2, 'valid' on a static input:
// no border, every column block and row folds to straight code.
// CHECK-LABEL: func.func private @dwconv_kernel.multiplier
// CHECK-NOT: scf.if
// CHECK: %[[IN:.*]] = vector.transfer_read %{{.*}} : tensor<1x7x7x2xf32>, vector<2xf32>
// CHECK-NEXT: vector.shuffle %[[IN]], %[[IN]] [0, 0, 1, 1] : vector<2xf32>, vector<2xf32>
// CHECK-NOT: scf.if
// CHECK: return
func.func @multiplier(%x: tensor<1x7x7x2xf32>, %k: tensor<3x3x2x2xf32>) -> tensor<1x3x3x4xf32> {
  %y = dwconv.depthwise_conv2d %x, %k strides [2, 2] : tensor<1x7x7x2xf32>, tensor<3x3x2x2xf32>
  return %y : tensor<1x3x3x4xf32>
}

// -----

// channels_first (stride 1 in width): vectors along the output width, one
// output channel at a time with its 9 weights broadcast once. In an interior
// row of 20 columns ('same', 4 lanes): column 0 alone (its kw = 0 tap is in
// the padding), vectors at 1, 5 and 9, one at 13, the last at 15 (it
// overlaps, the vector at 16 would read past the input), column 19 alone.
// CHECK-LABEL: func.func private @dwconv_kernel.nchw
// CHECK-SAME: (%[[X:.*]]: tensor<1x3x9x20xf32>
// CHECK: scf.for %[[O:.*]] = %c0 to %c3 step %c1 iter_args
// CHECK-COUNT-9: vector.broadcast %{{.*}} : f32 to vector<4xf32>
// The interior rows:
// CHECK: scf.for %[[ROW:.*]] = %c1 to %c8 step %c1
// CHECK: vector.transfer_write %{{.*}}, %{{.*}}[%c0, %[[O]], %[[ROW]], %c0] {in_bounds = [true]} : vector<1xf32>
// CHECK: scf.for %[[COL:.*]] = %c1 to %c13 step %c4
// CHECK-NOT: scf.if
// CHECK-COUNT-9: vector.fma %{{.*}} : vector<4xf32>
// CHECK: vector.transfer_write %{{.*}}, %{{.*}}[%c0, %[[O]], %[[ROW]], %[[COL]]] {in_bounds = [true]} : vector<4xf32>
// CHECK: vector.transfer_write %{{.*}}, %{{.*}}[%c0, %[[O]], %[[ROW]], %c13] {in_bounds = [true]} : vector<4xf32>
// CHECK: vector.transfer_write %{{.*}}, %{{.*}}[%c0, %[[O]], %[[ROW]], %c15] {in_bounds = [true]} : vector<4xf32>
// CHECK: vector.transfer_write %{{.*}}, %{{.*}}[%c0, %[[O]], %[[ROW]], %c19] {in_bounds = [true]} : vector<1xf32>
func.func @nchw(%x: tensor<1x3x9x20xf32>, %k: tensor<3x3x3x1xf32>, %b: tensor<3xf32>) -> tensor<1x3x9x20xf32> {
  %y = dwconv.depthwise_conv2d %x, %k, %b padding same data_format channels_first activation relu : tensor<1x3x9x20xf32>, tensor<3x3x3x1xf32>, tensor<3xf32>
  return %y : tensor<1x3x9x20xf32>
}
