// Keras refuses strides > 1 together with dilation_rate > 1, and so does the
// dwconv verifier.
func.func @strided_and_dilated(%x: tensor<1x32x32x8xf32>,
                               %k: tensor<3x3x8x1xf32>) -> tensor<1x16x16x8xf32> {
  %y = dwconv.depthwise_conv2d %x, %k strides [2, 2] dilation_rate [2, 2]
         padding same
      : tensor<1x32x32x8xf32>, tensor<3x3x8x1xf32> -> tensor<1x16x16x8xf32>
  return %y : tensor<1x16x16x8xf32>
}
