// RUN: dwconv-opt %s --convert-dwconv-to-linalg --canonicalize --split-input-file | FileCheck %s

// Depth multiplier 1: the kernel drops its M dim and the contraction is
// linalg.depthwise_conv_2d_nhwc_hwc.
// CHECK-LABEL: func.func @multiplier_one
// CHECK-SAME: (%[[X:.*]]: tensor<1x8x8x4xf32>, %[[K:.*]]: tensor<3x3x4x1xf32>)
// CHECK: %[[K3:.*]] = tensor.collapse_shape %[[K]] {{\[\[}}0], [1], [2, 3]] : tensor<3x3x4x1xf32> into tensor<3x3x4xf32>
// CHECK: %[[INIT:.*]] = linalg.fill ins(%{{.*}} : f32) outs(%{{.*}} : tensor<1x6x6x4xf32>)
// CHECK: linalg.depthwise_conv_2d_nhwc_hwc {{.*}} ins(%[[X]], %[[K3]] : tensor<1x8x8x4xf32>, tensor<3x3x4xf32>) outs(%[[INIT]] : tensor<1x6x6x4xf32>)
func.func @multiplier_one(%x: tensor<1x8x8x4xf32>, %k: tensor<3x3x4x1xf32>) -> tensor<1x6x6x4xf32> {
  %y = dwconv.depthwise_conv2d %x, %k : tensor<1x8x8x4xf32>, tensor<3x3x4x1xf32>
  return %y : tensor<1x6x6x4xf32>
}

// -----

// Depth multiplier 3: linalg.depthwise_conv_2d_nhwc_hwcm into (N, H, W, C, M),
// collapsed so that output channel c * M + m comes from input channel c.
// CHECK-LABEL: func.func @multiplier_three
// CHECK-SAME: (%[[X:.*]]: tensor<1x8x8x4xf32>, %[[K:.*]]: tensor<3x3x4x3xf32>)
// CHECK: %[[EMPTY:.*]] = tensor.empty() : tensor<1x6x6x12xf32>
// CHECK: %[[EXPANDED:.*]] = tensor.expand_shape %[[EMPTY]] {{\[\[}}0], [1], [2], [3, 4]] output_shape [1, 6, 6, 4, 3] : tensor<1x6x6x12xf32> into tensor<1x6x6x4x3xf32>
// CHECK: %[[INIT:.*]] = linalg.fill ins(%{{.*}} : f32) outs(%[[EXPANDED]] : tensor<1x6x6x4x3xf32>)
// CHECK: %[[CONV:.*]] = linalg.depthwise_conv_2d_nhwc_hwcm {{.*}} ins(%[[X]], %[[K]] : tensor<1x8x8x4xf32>, tensor<3x3x4x3xf32>) outs(%[[INIT]] : tensor<1x6x6x4x3xf32>)
// CHECK: %[[OUT:.*]] = tensor.collapse_shape %[[CONV]] {{\[\[}}0], [1], [2], [3, 4]] : tensor<1x6x6x4x3xf32> into tensor<1x6x6x12xf32>
// CHECK: return %[[OUT]]
func.func @multiplier_three(%x: tensor<1x8x8x4xf32>, %k: tensor<3x3x4x3xf32>) -> tensor<1x6x6x12xf32> {
  %y = dwconv.depthwise_conv2d %x, %k : tensor<1x8x8x4xf32>, tensor<3x3x4x3xf32>
  return %y : tensor<1x6x6x12xf32>
}

// -----

// With a dynamic C, the channel count is C * M at run time.
// CHECK-LABEL: func.func @dynamic_channels
// CHECK: %[[C:.*]] = tensor.dim %{{.*}}, %c3 : tensor<1x8x8x?xf32>
// CHECK: %[[CM:.*]] = arith.muli %[[C]], %c2 : index
// CHECK: tensor.empty(%[[CM]]) : tensor<1x6x6x?xf32>
// CHECK: tensor.expand_shape {{.*}} output_shape [1, 6, 6, %[[C]], 2]
func.func @dynamic_channels(%x: tensor<1x8x8x?xf32>, %k: tensor<3x3x?x2xf32>) -> tensor<1x6x6x?xf32> {
  %y = dwconv.depthwise_conv2d %x, %k : tensor<1x8x8x?xf32>, tensor<3x3x?x2xf32>
  return %y : tensor<1x6x6x?xf32>
}
