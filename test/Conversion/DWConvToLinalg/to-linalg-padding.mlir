// RUN: dwconv-opt %s --convert-dwconv-to-linalg --canonicalize --cse --split-input-file | FileCheck %s

// 'same' pads as TensorFlow does: total = max((out - 1) * s + (k - 1) * d + 1 - in, 0),
// before = total / 2, the odd pixel after.

// 13 rows, k 3, s 2: out 7, total 2 -> 1 before, 1 after.
// 14 columns, k 3, s 2: out 7, total 1 -> 0 before, 1 after.
// CHECK-LABEL: func.func @same_asymmetric
// CHECK: %[[ZERO:.*]] = arith.constant 0.000000e+00 : f32
// CHECK: %[[PAD:.*]] = tensor.pad %{{.*}} low[0, 1, 0, 0] high[0, 1, 1, 0]
// CHECK-NEXT: ^bb0
// CHECK-NEXT: tensor.yield %[[ZERO]] : f32
// CHECK: tensor<1x13x14x4xf32> to tensor<1x15x15x4xf32>
// CHECK: linalg.depthwise_conv_2d_nhwc_hwc {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>} ins(%[[PAD]],
func.func @same_asymmetric(%x: tensor<1x13x14x4xf32>, %k: tensor<3x3x4x1xf32>) -> tensor<1x7x7x4xf32> {
  %y = dwconv.depthwise_conv2d %x, %k strides [2, 2] padding same : tensor<1x13x14x4xf32>, tensor<3x3x4x1xf32>
  return %y : tensor<1x7x7x4xf32>
}

// -----

// Dilation widens the padding: k 3, d 2 -> total 4 -> 2 and 2.
// CHECK-LABEL: func.func @same_dilated
// CHECK: tensor.pad %{{.*}} low[0, 2, 2, 0] high[0, 2, 2, 0]
// CHECK: linalg.depthwise_conv_2d_nhwc_hwc {dilations = dense<2> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
func.func @same_dilated(%x: tensor<1x9x9x2xf32>, %k: tensor<3x3x2x1xf32>) -> tensor<1x9x9x2xf32> {
  %y = dwconv.depthwise_conv2d %x, %k dilation_rate [2, 2] padding same : tensor<1x9x9x2xf32>, tensor<3x3x2x1xf32>
  return %y : tensor<1x9x9x2xf32>
}

// -----

// More padding than the kernel alone needs: a 7x7 kernel on a 2x1 input.
// CHECK-LABEL: func.func @same_kernel_larger_than_input
// CHECK: tensor.pad %{{.*}} low[0, 3, 3, 0] high[0, 3, 3, 0]
func.func @same_kernel_larger_than_input(%x: tensor<1x2x1x1xf32>, %k: tensor<7x7x1x1xf32>) -> tensor<1x2x1x1xf32> {
  %y = dwconv.depthwise_conv2d %x, %k padding same : tensor<1x2x1x1xf32>, tensor<7x7x1x1xf32>
  return %y : tensor<1x2x1x1xf32>
}

// -----

// 'same' with a 1x1 kernel at stride 1, and 'valid', pad nothing.
// CHECK-LABEL: func.func @no_padding
// CHECK-NOT: tensor.pad
// CHECK: return
func.func @no_padding(%x: tensor<1x9x9x2xf32>, %k1: tensor<1x1x2x1xf32>, %k3: tensor<3x3x2x1xf32>) -> (tensor<1x9x9x2xf32>, tensor<1x7x7x2xf32>) {
  %a = dwconv.depthwise_conv2d %x, %k1 padding same : tensor<1x9x9x2xf32>, tensor<1x1x2x1xf32>
  %b = dwconv.depthwise_conv2d %x, %k3 : tensor<1x9x9x2xf32>, tensor<3x3x2x1xf32>
  return %a, %b : tensor<1x9x9x2xf32>, tensor<1x7x7x2xf32>
}

// -----

// A dynamic size computes the padding at run time; k 4 and s 2 on the height.
// CHECK-LABEL: func.func @same_dynamic
// CHECK-SAME: (%[[X:.*]]: tensor<1x?x8x2xf32>
// CHECK-DAG: %[[C0:.*]] = arith.constant 0 : index
// CHECK-DAG: %[[C1:.*]] = arith.constant 1 : index
// CHECK-DAG: %[[C2:.*]] = arith.constant 2 : index
// CHECK-DAG: %[[C4:.*]] = arith.constant 4 : index
// CHECK: %[[H:.*]] = tensor.dim %[[X]], %[[C1]]
// CHECK: %[[OUT:.*]] = arith.ceildivsi %[[H]], %[[C2]]
// CHECK: %[[OUT1:.*]] = arith.subi %[[OUT]], %[[C1]]
// CHECK: %[[SPAN:.*]] = arith.muli %[[OUT1]], %[[C2]]
// CHECK: %[[NEEDED:.*]] = arith.addi %[[SPAN]], %[[C4]]
// CHECK: %[[MISSING:.*]] = arith.subi %[[NEEDED]], %[[H]]
// CHECK: %[[TOTAL:.*]] = arith.maxsi %[[MISSING]], %[[C0]]
// CHECK: %[[BEFORE:.*]] = arith.floordivsi %[[TOTAL]], %[[C2]]
// CHECK: %[[AFTER:.*]] = arith.subi %[[TOTAL]], %[[BEFORE]]
// CHECK: tensor.pad %[[X]] low[0, %[[BEFORE]], 1, 0] high[0, %[[AFTER]], 2, 0]
func.func @same_dynamic(%x: tensor<1x?x8x2xf32>, %k: tensor<4x4x2x1xf32>) -> tensor<1x?x8x2xf32> {
  %y = dwconv.depthwise_conv2d %x, %k strides [2, 1] padding same : tensor<1x?x8x2xf32>, tensor<4x4x2x1xf32>
  return %y : tensor<1x?x8x2xf32>
}

// -----

// Explicit pads (a folded ZeroPadding2D) are the tensor.pad amounts.
// CHECK-LABEL: func.func @explicit_pads
// CHECK: tensor.pad %{{.*}} low[0, 1, 0, 0] high[0, 2, 3, 0]
// CHECK: tensor<1x8x9x4xf32> to tensor<1x11x12x4xf32>
func.func @explicit_pads(%x: tensor<1x8x9x4xf32>, %k: tensor<3x3x4x1xf32>) -> tensor<1x9x10x4xf32> {
  %y = dwconv.depthwise_conv2d %x, %k padding [1, 2, 0, 3] : tensor<1x8x9x4xf32>, tensor<3x3x4x1xf32>
  return %y : tensor<1x9x10x4xf32>
}

// -----

// Explicit pads on a dynamic input: the output size is reified from them.
// CHECK-LABEL: func.func @explicit_pads_dynamic
// CHECK-DAG: %[[C1:.*]] = arith.constant 1 : index
// CHECK: tensor.pad %{{.*}} low[0, 0, 2, 0] high[0, 1, 0, 0]
func.func @explicit_pads_dynamic(%x: tensor<?x?x?x4xf32>, %k: tensor<3x3x4x1xf32>) -> tensor<?x?x?x4xf32> {
  %y = dwconv.depthwise_conv2d %x, %k strides [2, 2] padding [0, 1, 2, 0] : tensor<?x?x?x4xf32>, tensor<3x3x4x1xf32>
  return %y : tensor<?x?x?x4xf32>
}
