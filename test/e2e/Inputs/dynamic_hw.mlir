// A channels_first layer whose height and width are given at run time.
func.func @dynamic_hw(%x: tensor<2x3x?x?xf32>, %k: tensor<4x3x3x2xf32>) -> tensor<2x6x?x?xf32> {
  %y = dwconv.depthwise_conv2d %x, %k dilation_rate [2, 1] padding same data_format channels_first activation softplus : tensor<2x3x?x?xf32>, tensor<4x3x3x2xf32>
  return %y : tensor<2x6x?x?xf32>
}
