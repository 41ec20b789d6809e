// RUN: dwconv-opt %s --resolve-ranked-shaped-type-result-dims --split-input-file | FileCheck %s

// tensor.dim of a dwconv result folds, through the op's shape reification, to
// arithmetic on the operand dims.

// CHECK-LABEL: func.func @batch
// CHECK-SAME: (%[[X:.*]]: tensor<?x8x8x4xf32>
// CHECK-DAG: %[[C0:.*]] = arith.constant 0 : index
// CHECK: %[[N:.*]] = tensor.dim %[[X]], %[[C0]]
// CHECK: return %[[N]]
func.func @batch(%x: tensor<?x8x8x4xf32>, %k: tensor<3x3x4x1xf32>) -> index {
  %y = dwconv.depthwise_conv2d %x, %k : tensor<?x8x8x4xf32>, tensor<3x3x4x1xf32> -> tensor<?x6x6x4xf32>
  %c0 = arith.constant 0 : index
  %d = tensor.dim %y, %c0 : tensor<?x6x6x4xf32>
  return %d : index
}

// -----

// 'same': ceil(in / stride).
// CHECK-LABEL: func.func @same_height
// CHECK-SAME: (%[[X:.*]]: tensor<1x?x?x4xf32>
// CHECK-DAG: %[[C1:.*]] = arith.constant 1 : index
// CHECK-DAG: %[[C2:.*]] = arith.constant 2 : index
// CHECK: %[[H:.*]] = tensor.dim %[[X]], %[[C1]]
// CHECK: %[[OH:.*]] = arith.ceildivsi %[[H]], %[[C2]] : index
// CHECK: return %[[OH]]
func.func @same_height(%x: tensor<1x?x?x4xf32>, %k: tensor<3x3x4x1xf32>) -> index {
  %y = dwconv.depthwise_conv2d %x, %k strides [2, 3] padding same : tensor<1x?x?x4xf32>, tensor<3x3x4x1xf32>
  %c1 = arith.constant 1 : index
  %d = tensor.dim %y, %c1 : tensor<1x?x?x4xf32>
  return %d : index
}

// -----

// 'valid': ceil((in - (k - 1) * dilation) / stride), here on the width with
// a 5-wide kernel and stride 3.
// CHECK-LABEL: func.func @valid_width
// CHECK-SAME: (%[[X:.*]]: tensor<1x?x?x4xf32>
// CHECK-DAG: %[[C2:.*]] = arith.constant 2 : index
// CHECK-DAG: %[[C3:.*]] = arith.constant 3 : index
// CHECK-DAG: %[[C4:.*]] = arith.constant 4 : index
// CHECK: %[[W:.*]] = tensor.dim %[[X]], %[[C2]]
// CHECK: %[[E:.*]] = arith.subi %[[W]], %[[C4]] : index
// CHECK: %[[OW:.*]] = arith.ceildivsi %[[E]], %[[C3]] : index
// CHECK: return %[[OW]]
func.func @valid_width(%x: tensor<1x?x?x4xf32>, %k: tensor<3x5x4x1xf32>) -> index {
  %y = dwconv.depthwise_conv2d %x, %k strides [2, 3] : tensor<1x?x?x4xf32>, tensor<3x5x4x1xf32>
  %c2 = arith.constant 2 : index
  %d = tensor.dim %y, %c2 : tensor<1x?x?x4xf32>
  return %d : index
}

// -----

// A dilated 'valid' kernel at stride 1 needs no division.
// CHECK-LABEL: func.func @valid_dilated_height
// CHECK-SAME: (%[[X:.*]]: tensor<1x?x?x4xf32>
// CHECK-DAG: %[[C1:.*]] = arith.constant 1 : index
// CHECK-DAG: %[[C6:.*]] = arith.constant 6 : index
// CHECK: %[[H:.*]] = tensor.dim %[[X]], %[[C1]]
// CHECK: %[[OH:.*]] = arith.subi %[[H]], %[[C6]] : index
// CHECK-NOT: arith.ceildivsi
// CHECK: return %[[OH]]
func.func @valid_dilated_height(%x: tensor<1x?x?x4xf32>, %k: tensor<4x3x4x1xf32>) -> index {
  %y = dwconv.depthwise_conv2d %x, %k dilation_rate [2, 3] : tensor<1x?x?x4xf32>, tensor<4x3x4x1xf32>
  %c1 = arith.constant 1 : index
  %d = tensor.dim %y, %c1 : tensor<1x?x?x4xf32>
  return %d : index
}

// -----

// Channels are C * M; channels_first puts them in dim 1 and the height in 2.
// CHECK-LABEL: func.func @channels_first
// CHECK-SAME: (%[[X:.*]]: tensor<?x?x?x?xf32>
// CHECK-DAG: %[[C1:.*]] = arith.constant 1 : index
// CHECK-DAG: %[[C2:.*]] = arith.constant 2 : index
// CHECK-DAG: %[[C3:.*]] = arith.constant 3 : index
// CHECK: %[[C:.*]] = tensor.dim %[[X]], %[[C1]]
// CHECK: %[[OC:.*]] = arith.muli %[[C]], %[[C3]] : index
// CHECK: %[[H:.*]] = tensor.dim %[[X]], %[[C2]]
// CHECK: %[[OH:.*]] = arith.ceildivsi %[[H]], %[[C2]] : index
// CHECK: return %[[OC]], %[[OH]]
func.func @channels_first(%x: tensor<?x?x?x?xf32>, %k: tensor<3x3x?x3xf32>) -> (index, index) {
  %y = dwconv.depthwise_conv2d %x, %k strides [2, 2] padding same data_format channels_first : tensor<?x?x?x?xf32>, tensor<3x3x?x3xf32>
  %c1 = arith.constant 1 : index
  %c2 = arith.constant 2 : index
  %oc = tensor.dim %y, %c1 : tensor<?x?x?x?xf32>
  %oh = tensor.dim %y, %c2 : tensor<?x?x?x?xf32>
  return %oc, %oh : index, index
}

// -----

// A `?` result over static operands reifies to a constant.
// CHECK-LABEL: func.func @dynamic_result_static_operands
// CHECK: %[[C7:.*]] = arith.constant 7 : index
// CHECK-NOT: tensor.dim
// CHECK: return %[[C7]]
func.func @dynamic_result_static_operands(%x: tensor<1x13x14x4xf32>, %k: tensor<3x3x4x1xf32>) -> index {
  %y = dwconv.depthwise_conv2d %x, %k strides [2, 2] padding same : tensor<1x13x14x4xf32>, tensor<3x3x4x1xf32> -> tensor<?x?x?x?xf32>
  %c1 = arith.constant 1 : index
  %d = tensor.dim %y, %c1 : tensor<?x?x?x?xf32>
  return %d : index
}
