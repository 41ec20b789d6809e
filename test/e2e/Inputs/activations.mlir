// Layers whose activations need libm, in one object.
func.func @gelu_layer(%x: tensor<1x6x6x3xf32>, %k: tensor<3x3x3x1xf32>) -> tensor<1x4x4x3xf32> {
  %y = dwconv.depthwise_conv2d %x, %k activation gelu : tensor<1x6x6x3xf32>, tensor<3x3x3x1xf32>
  return %y : tensor<1x4x4x3xf32>
}
func.func @mish_layer(%x: tensor<1x6x6x3xf32>, %k: tensor<3x3x3x1xf32>) -> tensor<1x4x4x3xf32> {
  %y = dwconv.depthwise_conv2d %x, %k activation mish : tensor<1x6x6x3xf32>, tensor<3x3x3x1xf32>
  return %y : tensor<1x4x4x3xf32>
}
func.func @selu_layer(%x: tensor<1x6x6x3xf32>, %k: tensor<3x3x3x1xf32>) -> tensor<1x4x4x3xf32> {
  %y = dwconv.depthwise_conv2d %x, %k activation selu : tensor<1x6x6x3xf32>, tensor<3x3x3x1xf32>
  return %y : tensor<1x4x4x3xf32>
}
func.func @log_softmax_layer(%x: tensor<?x3x6x6xf32>, %k: tensor<3x3x3x2xf32>, %b: tensor<6xf32>) -> tensor<?x6x6x6xf32> {
  %y = dwconv.depthwise_conv2d %x, %k, %b padding same data_format channels_first activation log_softmax : tensor<?x3x6x6xf32>, tensor<3x3x3x2xf32>, tensor<6xf32>
  return %y : tensor<?x6x6x6xf32>
}
