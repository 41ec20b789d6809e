// A public function that is not a layer function: kernel and input swapped.
func.func @swapped(%k: tensor<3x3x4x1xf32>, %x: tensor<1x8x8x4xf32>) -> tensor<1x6x6x4xf32> {
  %y = dwconv.depthwise_conv2d %x, %k : tensor<1x8x8x4xf32>, tensor<3x3x4x1xf32>
  return %y : tensor<1x6x6x4xf32>
}
