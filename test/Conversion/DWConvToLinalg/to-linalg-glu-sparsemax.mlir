// RUN: dwconv-opt %s --convert-dwconv-to-linalg --canonicalize --split-input-file | FileCheck %s

// glu splits the last axis into halves a, b and computes a * sigmoid(b): the
// contraction computes all 6 channels, the result has 3. One generic over
// (N, H, W, 3, 2) reads channel j + 3 k and multiplies 1 * a * sigmoid(b).

// CHECK-DAG: #[[HALVES:.*]] = affine_map<(d0, d1, d2, d3, d4) -> (d0, d1, d2, d3 + d4 * 3)>
// CHECK-DAG: #[[K:.*]] = affine_map<(d0, d1, d2, d3, d4) -> (d4)>
// CHECK-DAG: #[[OUT:.*]] = affine_map<(d0, d1, d2, d3, d4) -> (d0, d1, d2, d3)>
// CHECK-LABEL: func.func @glu
// CHECK: %[[BIASED:.*]] = linalg.generic {{.*}} ins(%{{.*}} : tensor<6xf32>) outs(%{{.*}} : tensor<1x4x4x6xf32>)
// CHECK: %[[ONES:.*]] = linalg.fill ins(%{{.*}} : f32) outs(%{{.*}} : tensor<1x4x4x3xf32>)
// CHECK: %[[Y:.*]] = linalg.generic {indexing_maps = [#[[HALVES]], #[[K]], #[[OUT]]], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction"]} ins(%[[BIASED]], %{{.*}} : tensor<1x4x4x6xf32>, tensor<2xf32>) outs(%[[ONES]] : tensor<1x4x4x3xf32>)
// CHECK-NEXT: ^bb0(%[[X:.*]]: f32, %{{.*}}: f32, %[[ACC:.*]]: f32):
// CHECK: %[[IDX:.*]] = linalg.index 4 : index
// CHECK: %[[GATE:.*]] = arith.cmpi eq, %[[IDX]], %{{.*}} : index
// CHECK: %[[SIG:.*]] = arith.divf
// CHECK: %[[F:.*]] = arith.select %[[GATE]], %[[SIG]], %[[X]] : f32
// CHECK: %[[P:.*]] = arith.mulf %[[ACC]], %[[F]] : f32
// CHECK: linalg.yield %[[P]]
// CHECK: return %[[Y]] : tensor<1x4x4x3xf32>
func.func @glu(%x: tensor<1x4x4x3xf32>, %k: tensor<1x1x3x2xf32>, %b: tensor<6xf32>) -> tensor<1x4x4x3xf32> {
  %y = dwconv.depthwise_conv2d %x, %k, %b activation glu : tensor<1x4x4x3xf32>, tensor<1x1x3x2xf32>, tensor<6xf32>
  return %y : tensor<1x4x4x3xf32>
}

// -----

// channels_first: the last axis is the width (8 -> 4), after the transpose
// back to NCHW.
// CHECK-DAG: #[[HALVES:.*]] = affine_map<(d0, d1, d2, d3, d4) -> (d0, d1, d2, d3 + d4 * 4)>
// CHECK-LABEL: func.func @glu_channels_first
// CHECK: %[[NCHW:.*]] = linalg.transpose {{.*}} permutation = [0, 3, 1, 2]
// CHECK: linalg.generic {indexing_maps = [#[[HALVES]], {{.*}} ins(%[[NCHW]], %{{.*}} : tensor<1x3x4x8xf32>, tensor<2xf32>) outs(%{{.*}} : tensor<1x3x4x4xf32>)
func.func @glu_channels_first(%x: tensor<1x3x4x8xf32>, %k: tensor<1x1x3x1xf32>) -> tensor<1x3x4x4xf32> {
  %y = dwconv.depthwise_conv2d %x, %k data_format channels_first activation glu : tensor<1x3x4x8xf32>, tensor<1x1x3x1xf32>
  return %y : tensor<1x3x4x4xf32>
}

// -----

// sparsemax without a sort: for each element, its place in the descending
// order and the cumulative sum there (a reduction over a second index of the
// row), then the support's size k and the sum of its cumulative sums, then
// max(x - tau, 0) with tau = (sum - 1) / k, as Keras computes it.
// CHECK-DAG: #[[J:.*]] = affine_map<(d0, d1, d2, d3, d4) -> (d0, d1, d2, d3)>
// CHECK-DAG: #[[I:.*]] = affine_map<(d0, d1, d2, d3, d4) -> (d0, d1, d2, d4)>
// CHECK-DAG: #[[ID:.*]] = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
// CHECK-DAG: #[[ROW:.*]] = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2)>
// CHECK-LABEL: func.func @sparsemax
// CHECK: %[[Z:.*]] = linalg.depthwise_conv_2d_nhwc_hwc
// CHECK: %[[PLACES:.*]]:2 = linalg.generic {indexing_maps = [#[[J]], #[[I]], #[[J]], #[[J]]], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction"]} ins(%[[Z]], %[[Z]] : tensor<1x4x4x5xf32>, tensor<1x4x4x5xf32>)
// CHECK: arith.cmpf ogt
// CHECK: arith.cmpf oeq
// CHECK: arith.cmpi ule
// CHECK: %[[SUPPORT:.*]]:2 = linalg.generic {indexing_maps = [#[[ID]], #[[ID]], #[[ID]], #[[ROW]], #[[ROW]]], iterator_types = ["parallel", "parallel", "parallel", "reduction"]} ins(%[[Z]], %[[PLACES]]#0, %[[PLACES]]#1 :
// CHECK: %[[OUT:.*]] = linalg.generic {indexing_maps = [#[[ROW]], #[[ROW]], #[[ID]]], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%[[SUPPORT]]#0, %[[SUPPORT]]#1 : tensor<1x4x4xf32>, tensor<1x4x4xf32>) outs(%[[Z]] : tensor<1x4x4x5xf32>)
// CHECK-NEXT: ^bb0(%[[K:.*]]: f32, %[[T:.*]]: f32, %[[X:.*]]: f32):
// CHECK-NEXT: %[[T1:.*]] = arith.subf %[[T]], %{{.*}} : f32
// CHECK-NEXT: %[[TAU:.*]] = arith.divf %[[T1]], %[[K]] : f32
// CHECK-NEXT: %[[D:.*]] = arith.subf %[[X]], %[[TAU]] : f32
// CHECK-NEXT: %[[Y:.*]] = arith.maximumf %[[D]], %{{.*}} : f32
// CHECK-NEXT: linalg.yield %[[Y]]
func.func @sparsemax(%x: tensor<1x4x4x5xf32>, %k: tensor<1x1x5x1xf32>) -> tensor<1x4x4x5xf32> {
  %y = dwconv.depthwise_conv2d %x, %k activation sparsemax : tensor<1x4x4x5xf32>, tensor<1x1x5x1xf32>
  return %y : tensor<1x4x4x5xf32>
}
