// A 'valid' layer whose dilated kernel is larger than its input has an
// empty output: Keras refuses it, and so does the dwconv verifier.
func.func @kernel_larger_than_input(%x: tensor<1x4x4x8xf32>,
                                    %k: tensor<3x3x8x1xf32>) -> tensor<1x0x0x8xf32> {
  %y = dwconv.depthwise_conv2d %x, %k dilation_rate [2, 2] padding valid
      : tensor<1x4x4x8xf32>, tensor<3x3x8x1xf32> -> tensor<1x0x0x8xf32>
  return %y : tensor<1x0x0x8xf32>
}
