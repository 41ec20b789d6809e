// Two MobileNetV2-style depthwise layers with their output shapes left open.
// `dwconv-opt --dwconv-infer-shapes` fills in every size Keras's rule fixes;
// the batch, dynamic in the input, stays dynamic.
func.func @mobilenet_block(%x: tensor<?x112x112x32xf32>,
                           %k1: tensor<3x3x32x1xf32>, %b1: tensor<32xf32>,
                           %k2: tensor<3x3x32x2xf32>, %b2: tensor<64xf32>)
    -> tensor<?x?x?x?xf32> {
  %a = dwconv.depthwise_conv2d %x, %k1, %b1 padding same activation relu6
      : tensor<?x112x112x32xf32>, tensor<3x3x32x1xf32>, tensor<32xf32>
     -> tensor<?x?x?x?xf32>
  %b = dwconv.depthwise_conv2d %a, %k2, %b2 strides [2, 2] padding same
         activation relu6
      : tensor<?x?x?x?xf32>, tensor<3x3x32x2xf32>, tensor<64xf32>
     -> tensor<?x?x?x?xf32>
  return %b : tensor<?x?x?x?xf32>
}
