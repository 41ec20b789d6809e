// RUN: dwconv-opt %s --convert-dwconv-to-linalg --canonicalize --split-input-file | FileCheck %s

// channels_first is computed in NHWC: the input is transposed in, the result
// back out.

// CHECK-LABEL: func.func @channels_first
// CHECK-SAME: (%[[X:.*]]: tensor<2x3x9x8xf32>, %[[K:.*]]: tensor<3x3x3x1xf32>)
// CHECK: %[[IN:.*]] = linalg.transpose ins(%[[X]] : tensor<2x3x9x8xf32>) outs(%{{.*}} : tensor<2x9x8x3xf32>) permutation = [0, 2, 3, 1]
// CHECK: %[[CONV:.*]] = linalg.depthwise_conv_2d_nhwc_hwc {{.*}} ins(%[[IN]], %{{.*}} : tensor<2x9x8x3xf32>, tensor<3x3x3xf32>) outs(%{{.*}} : tensor<2x7x6x3xf32>)
// CHECK: %[[OUT:.*]] = linalg.transpose ins(%[[CONV]] : tensor<2x7x6x3xf32>) outs(%{{.*}} : tensor<2x3x7x6xf32>) permutation = [0, 3, 1, 2]
// CHECK: return %[[OUT]]
func.func @channels_first(%x: tensor<2x3x9x8xf32>, %k: tensor<3x3x3x1xf32>) -> tensor<2x3x7x6xf32> {
  %y = dwconv.depthwise_conv2d %x, %k data_format channels_first : tensor<2x3x9x8xf32>, tensor<3x3x3x1xf32>
  return %y : tensor<2x3x7x6xf32>
}

// -----

// channels_last needs no transpose.
// CHECK-LABEL: func.func @channels_last
// CHECK-NOT: linalg.transpose
// CHECK: linalg.depthwise_conv_2d_nhwc_hwc
// CHECK-NOT: linalg.transpose
func.func @channels_last(%x: tensor<2x9x8x3xf32>, %k: tensor<3x3x3x1xf32>) -> tensor<2x7x6x3xf32> {
  %y = dwconv.depthwise_conv2d %x, %k : tensor<2x9x8x3xf32>, tensor<3x3x3x1xf32>
  return %y : tensor<2x7x6x3xf32>
}

// -----

// A declared result less static than the computed one gets a cast.
// CHECK-LABEL: func.func @less_static_result
// CHECK: %[[CONV:.*]] = linalg.depthwise_conv_2d_nhwc_hwc {{.*}} -> tensor<2x7x6x3xf32>
// CHECK: %[[CAST:.*]] = tensor.cast %[[CONV]] : tensor<2x7x6x3xf32> to tensor<?x?x?x?xf32>
// CHECK: return %[[CAST]]
func.func @less_static_result(%x: tensor<2x9x8x3xf32>, %k: tensor<3x3x3x1xf32>) -> tensor<?x?x?x?xf32> {
  %y = dwconv.depthwise_conv2d %x, %k : tensor<2x9x8x3xf32>, tensor<3x3x3x1xf32> -> tensor<?x?x?x?xf32>
  return %y : tensor<?x?x?x?xf32>
}
