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

// Depth multiplier 3: one generic writes the C * M output channels directly;
// output channel j = c * M + m reads input channel j floordiv M and column j of
// the (kh, kw, C * M) kernel, the taps (kh, kw) as the reduction.
// CHECK-DAG: #[[IN:.*]] = affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d1 + d4, d2 * 2 + d5, d3 floordiv 3)>
// CHECK-DAG: #[[KER:.*]] = affine_map<(d0, d1, d2, d3, d4, d5) -> (d4, d5, d3)>
// CHECK-DAG: #[[OUT:.*]] = affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d1, d2, d3)>
// CHECK-LABEL: func.func @multiplier_three
// CHECK-SAME: (%[[X:.*]]: tensor<1x8x8x4xf32>, %[[K:.*]]: tensor<3x3x4x3xf32>)
// CHECK: %[[K3:.*]] = tensor.collapse_shape %[[K]] {{\[\[}}0], [1], [2, 3]] : tensor<3x3x4x3xf32> into tensor<3x3x12xf32>
// CHECK: %[[EMPTY:.*]] = tensor.empty() : tensor<1x6x3x12xf32>
// CHECK: %[[INIT:.*]] = linalg.fill ins(%{{.*}} : f32) outs(%[[EMPTY]] : tensor<1x6x3x12xf32>)
// CHECK: %[[CONV:.*]] = linalg.generic {indexing_maps = [#[[IN]], #[[KER]], #[[OUT]]], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction", "reduction"]} ins(%[[X]], %[[K3]] : tensor<1x8x8x4xf32>, tensor<3x3x12xf32>) outs(%[[INIT]] : tensor<1x6x3x12xf32>)
// CHECK: %[[P:.*]] = arith.mulf
// CHECK: %[[S:.*]] = arith.addf %{{.*}}, %[[P]]
// CHECK: linalg.yield %[[S]]
// CHECK: return %[[CONV]]
func.func @multiplier_three(%x: tensor<1x8x8x4xf32>, %k: tensor<3x3x4x3xf32>) -> tensor<1x6x3x12xf32> {
  %y = dwconv.depthwise_conv2d %x, %k strides [1, 2] : tensor<1x8x8x4xf32>, tensor<3x3x4x3xf32> -> tensor<1x6x3x12xf32>
  return %y : tensor<1x6x3x12xf32>
}

// -----

// With a dynamic C, the channel count is C * M at run time.
// CHECK-LABEL: func.func @dynamic_channels
// CHECK: %[[C:.*]] = tensor.dim %{{.*}}, %c3 : tensor<1x8x8x?xf32>
// CHECK: %[[CM:.*]] = arith.muli %[[C]], %c2 : index
// CHECK: tensor.empty(%[[CM]]) : tensor<1x6x6x?xf32>
// CHECK: linalg.generic {{.*}} ins(%{{.*}}, %{{.*}} : tensor<1x8x8x?xf32>, tensor<3x3x?xf32>) outs(%{{.*}} : tensor<1x6x6x?xf32>)
func.func @dynamic_channels(%x: tensor<1x8x8x?xf32>, %k: tensor<3x3x?x2xf32>) -> tensor<1x6x6x?xf32> {
  %y = dwconv.depthwise_conv2d %x, %k : tensor<1x8x8x?xf32>, tensor<3x3x?x2xf32>
  return %y : tensor<1x6x6x?xf32>
}
