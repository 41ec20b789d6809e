// RUN: dwconv-opt %s --convert-dwconv-to-linalg --canonicalize --split-input-file | FileCheck %s

// Bias and activation are one elementwise linalg.generic written in place on
// the contraction's result; the bias is indexed by the channel.

// CHECK-DAG: #[[CHANNEL:.*]] = affine_map<(d0, d1, d2, d3) -> (d3)>
// CHECK-DAG: #[[ID:.*]] = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
// CHECK-LABEL: func.func @bias_relu
// CHECK-SAME: %[[B:[^:]*]]: tensor<8xf32>
// CHECK: %[[CONV:.*]] = linalg.generic {{.*}}iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction", "reduction"]
// CHECK: %[[OUT:.*]] = linalg.generic {indexing_maps = [#[[CHANNEL]], #[[ID]]], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%[[B]] : tensor<8xf32>) outs(%[[CONV]] : tensor<1x6x6x8xf32>)
// CHECK-NEXT: ^bb0(%[[BIAS:.*]]: f32, %[[ACC:.*]]: f32):
// CHECK-NEXT: %[[SUM:.*]] = arith.addf %[[ACC]], %[[BIAS]] : f32
// CHECK-NEXT: %[[RELU:.*]] = arith.maximumf %[[SUM]], %{{.*}} : f32
// CHECK-NEXT: linalg.yield %[[RELU]] : f32
// CHECK: return %[[OUT]]
func.func @bias_relu(%x: tensor<1x8x8x4xf32>, %k: tensor<3x3x4x2xf32>, %b: tensor<8xf32>) -> tensor<1x6x6x8xf32> {
  %y = dwconv.depthwise_conv2d %x, %k, %b activation relu : tensor<1x8x8x4xf32>, tensor<3x3x4x2xf32>, tensor<8xf32>
  return %y : tensor<1x6x6x8xf32>
}

// -----

// No bias and a linear activation: no epilogue at all.
// CHECK-LABEL: func.func @plain
// CHECK: %[[CONV:.*]] = linalg.depthwise_conv_2d_nhwc_hwc
// CHECK-NOT: linalg.generic
// CHECK: return %[[CONV]]
func.func @plain(%x: tensor<1x8x8x4xf32>, %k: tensor<3x3x4x1xf32>) -> tensor<1x6x6x4xf32> {
  %y = dwconv.depthwise_conv2d %x, %k : tensor<1x8x8x4xf32>, tensor<3x3x4x1xf32>
  return %y : tensor<1x6x6x4xf32>
}

// -----

// channels_first: the epilogue runs in NHWC, before the transpose back.
// CHECK-LABEL: func.func @channels_first_bias
// CHECK: linalg.depthwise_conv_2d_nhwc_hwc
// CHECK: %[[EPI:.*]] = linalg.generic {{.*}} ins(%{{.*}} : tensor<3xf32>) outs(%{{.*}} : tensor<1x6x6x3xf32>)
// CHECK: linalg.transpose ins(%[[EPI]] : tensor<1x6x6x3xf32>)
func.func @channels_first_bias(%x: tensor<1x3x8x8xf32>, %k: tensor<3x3x3x1xf32>, %b: tensor<3xf32>) -> tensor<1x3x6x6xf32> {
  %y = dwconv.depthwise_conv2d %x, %k, %b data_format channels_first : tensor<1x3x8x8xf32>, tensor<3x3x3x1xf32>, tensor<3xf32>
  return %y : tensor<1x3x6x6xf32>
}
