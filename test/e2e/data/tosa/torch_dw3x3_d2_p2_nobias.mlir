module {
  func.func @main(%arg0: tensor<1x3x11x11xf32>) -> tensor<1x3x11x11xf32> {
    %0 = "tosa.const"() <{values = dense<0.000000e+00> : tensor<1xf32>}> : () -> tensor<1xf32>
    %1 = "tosa.const"() <{values = dense<0.000000e+00> : tensor<3xf32>}> : () -> tensor<3xf32>
    %2 = "tosa.const"() <{values = dense<[[[[0.438786745], [0.966949939], [0.690977573]], [[-0.869744658], [0.579174161], [0.644590735]], [[4.861740e-01], [-0.645279109], [-0.0178841427]]], [[[0.0619597621], [-0.567644298], [-0.447948575]], [[0.0563419759], [0.10566932], [3.728470e-01]], [[-0.704292476], [-0.291721433], [0.159947351]]], [[[0.139081404], [0.467929751], [0.467029154]], [[-0.994674682], [0.92812711], [0.579088926]], [[0.259137243], [0.166874677], [-0.066457957]]]]> : tensor<3x3x3x1xf32>}> : () -> tensor<3x3x3x1xf32>
    %3 = tosa.transpose %arg0 {perms = array<i32: 0, 2, 3, 1>} : (tensor<1x3x11x11xf32>) -> tensor<1x11x11x3xf32>
    %4 = tosa.depthwise_conv2d %3, %2, %1, %0, %0 {acc_type = f32, dilation = array<i64: 2, 2>, pad = array<i64: 2, 2, 2, 2>, stride = array<i64: 1, 1>} : (tensor<1x11x11x3xf32>, tensor<3x3x3x1xf32>, tensor<3xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x11x11x3xf32>
    %5 = tosa.transpose %4 {perms = array<i32: 0, 3, 1, 2>} : (tensor<1x11x11x3xf32>) -> tensor<1x3x11x11xf32>
    return %5 : tensor<1x3x11x11xf32>
  }
}
