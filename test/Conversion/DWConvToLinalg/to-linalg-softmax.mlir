// RUN: dwconv-opt %s --convert-dwconv-to-linalg --canonicalize --split-input-file | FileCheck %s

// softmax and log_softmax reduce over the last axis, after the bias, in their
// own step: max, then sum of exp(x - max), then the normalization.

// CHECK-DAG: #[[ID:.*]] = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
// CHECK-DAG: #[[ROW:.*]] = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2)>
// CHECK-LABEL: func.func @softmax
// CHECK: %[[BIASED:.*]] = linalg.generic {{.*}} ins(%{{.*}} : tensor<6xf32>)
// CHECK: %[[NEGINF:.*]] = linalg.fill ins(%{{.*}} : f32) outs(%{{.*}} : tensor<1x4x4xf32>)
// CHECK: %[[MAX:.*]] = linalg.generic {indexing_maps = [#[[ID]], #[[ROW]]], iterator_types = ["parallel", "parallel", "parallel", "reduction"]} ins(%[[BIASED]] : tensor<1x4x4x6xf32>) outs(%[[NEGINF]] : tensor<1x4x4xf32>)
// CHECK: arith.maximumf
// CHECK: %[[SUM:.*]] = linalg.generic {indexing_maps = [#[[ID]], #[[ROW]], #[[ROW]]], iterator_types = ["parallel", "parallel", "parallel", "reduction"]} ins(%[[BIASED]], %[[MAX]] : tensor<1x4x4x6xf32>, tensor<1x4x4xf32>)
// CHECK: arith.subf
// CHECK-NEXT: math.exp
// CHECK-NEXT: arith.addf
// CHECK: %[[OUT:.*]] = linalg.generic {indexing_maps = [#[[ROW]], #[[ROW]], #[[ID]]], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%[[MAX]], %[[SUM]] : tensor<1x4x4xf32>, tensor<1x4x4xf32>) outs(%[[BIASED]] : tensor<1x4x4x6xf32>)
// CHECK-NEXT: ^bb0(%[[M:.*]]: f32, %[[S:.*]]: f32, %[[X:.*]]: f32):
// CHECK-NEXT: %[[D:.*]] = arith.subf %[[X]], %[[M]] : f32
// CHECK-NEXT: %[[E:.*]] = math.exp %[[D]] : f32
// CHECK-NEXT: %[[Y:.*]] = arith.divf %[[E]], %[[S]] : f32
// CHECK-NEXT: linalg.yield %[[Y]]
// CHECK: return %[[OUT]]
func.func @softmax(%x: tensor<1x4x4x3xf32>, %k: tensor<1x1x3x2xf32>, %b: tensor<6xf32>) -> tensor<1x4x4x6xf32> {
  %y = dwconv.depthwise_conv2d %x, %k, %b activation softmax : tensor<1x4x4x3xf32>, tensor<1x1x3x2xf32>, tensor<6xf32>
  return %y : tensor<1x4x4x6xf32>
}

// -----

// log_softmax = (x - max) - log(sum), over the width for channels_first,
// which is the last axis there.
// CHECK-LABEL: func.func @log_softmax_channels_first
// CHECK: %[[NCHW:.*]] = linalg.transpose {{.*}} permutation = [0, 3, 1, 2]
// CHECK: linalg.generic {{.*}} ins(%[[NCHW]] : tensor<1x3x4x5xf32>) outs(%{{.*}} : tensor<1x3x4xf32>)
// CHECK: linalg.generic {{.*}} ins(%{{.*}}, %{{.*}} : tensor<1x3x4xf32>, tensor<1x3x4xf32>) outs(%[[NCHW]] : tensor<1x3x4x5xf32>)
// CHECK-NEXT: ^bb0(%[[M:.*]]: f32, %[[S:.*]]: f32, %[[X:.*]]: f32):
// CHECK-NEXT: %[[D:.*]] = arith.subf %[[X]], %[[M]] : f32
// CHECK-NEXT: %[[L:.*]] = math.log %[[S]] : f32
// CHECK-NEXT: %[[Y:.*]] = arith.subf %[[D]], %[[L]] : f32
// CHECK-NEXT: linalg.yield %[[Y]]
func.func @log_softmax_channels_first(%x: tensor<1x3x4x5xf32>, %k: tensor<1x1x3x1xf32>) -> tensor<1x3x4x5xf32> {
  %y = dwconv.depthwise_conv2d %x, %k data_format channels_first activation log_softmax : tensor<1x3x4x5xf32>, tensor<1x1x3x1xf32>
  return %y : tensor<1x3x4x5xf32>
}
