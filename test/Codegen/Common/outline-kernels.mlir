// RUN: dwconv-opt %s --dwconv-outline-kernels --split-input-file | FileCheck %s

// A layer function becomes a private kernel that writes its output argument,
// with its ABI record; the name is made a C identifier.

// CHECK-LABEL: func.func private @dwconv_kernel.my_layer
// CHECK-SAME: (%[[X:.*]]: tensor<?x8x8x4xf32>, %[[K:.*]]: tensor<3x3x4x1xf32>, %[[B:.*]]: tensor<4xf32>, %[[OUT:.*]]: tensor<?x6x6x4xf32> {bufferization.writable = true}) -> tensor<?x6x6x4xf32>
// CHECK-SAME: dwconv.layer = {activation = #dwconv<activation relu6>, data_format = #dwconv<data_format channels_last>, dilation_rate = array<i64: 1, 1>, has_bias = true, input = tensor<?x8x8x4xf32>, kernel = tensor<3x3x4x1xf32>, name = "my_layer", output = tensor<?x6x6x4xf32>, padding = #dwconv<padding valid>, strides = array<i64: 1, 1>, weights_baked = false}
// CHECK: %[[Y:.*]] = dwconv.depthwise_conv2d %[[X]], %[[K]], %[[B]] activation relu6
// CHECK: %[[R:.*]] = bufferization.materialize_in_destination %[[Y]] in %[[OUT]]
// CHECK: return %[[R]]
// CHECK-NOT: func.func @
func.func @"my.layer"(%x: tensor<?x8x8x4xf32>, %k: tensor<3x3x4x1xf32>, %b: tensor<4xf32>) -> tensor<?x6x6x4xf32> {
  %y = dwconv.depthwise_conv2d %x, %k, %b activation relu6 : tensor<?x8x8x4xf32>, tensor<3x3x4x1xf32>, tensor<4xf32>
  return %y : tensor<?x6x6x4xf32>
}

// -----

// Baked weights: the kernel takes only the input; the constant moves in.
// CHECK-LABEL: func.func private @dwconv_kernel.baked
// CHECK-SAME: (%[[X:.*]]: tensor<1x4x4x2xf32>, %[[OUT:.*]]: tensor<1x4x4x2xf32> {bufferization.writable = true})
// CHECK-SAME: weights_baked = true
// CHECK: %[[K:.*]] = arith.constant dense<1.000000e+00> : tensor<3x3x2x1xf32>
// CHECK: dwconv.depthwise_conv2d %[[X]], %[[K]] padding same
func.func @baked(%x: tensor<1x4x4x2xf32>) -> tensor<1x4x4x2xf32> {
  %k = arith.constant dense<1.0> : tensor<3x3x2x1xf32>
  %y = dwconv.depthwise_conv2d %x, %k padding same : tensor<1x4x4x2xf32>, tensor<3x3x2x1xf32>
  return %y : tensor<1x4x4x2xf32>
}


// -----

// A layer named 'layer' would export dwconv_layer_run and
// dwconv_layer_metadata, the runtime's own names: it is named layer_2.
// CHECK-LABEL: func.func private @dwconv_kernel.layer_2
// CHECK-SAME: name = "layer_2"
func.func @layer(%x: tensor<1x4x4x2xf32>, %k: tensor<3x3x2x1xf32>) -> tensor<1x4x4x2xf32> {
  %y = dwconv.depthwise_conv2d %x, %k padding same : tensor<1x4x4x2xf32>, tensor<3x3x2x1xf32>
  return %y : tensor<1x4x4x2xf32>
}
