module {
  func.func @main(%arg0: tensor<1x4x10x10xf32>) -> tensor<1x4x5x5xf32> {
    %0 = "tosa.const"() <{values = dense_resource<torch_tensor_4_torch.float32> : tensor<4xf32>}> : () -> tensor<4xf32>
    %1 = "tosa.const"() <{values = dense<0.000000e+00> : tensor<1xf32>}> : () -> tensor<1xf32>
    %2 = "tosa.const"() <{values = dense<[[[[0.617153883], [0.741670131], [0.30569458], [-0.425939441]], [[-0.998196244], [-0.297955483], [0.491830349], [-0.221743569]], [[-0.0189061724], [0.405271918], [-0.47541824], [-0.9006204]]], [[[-0.755605638], [0.977818131], [0.642221332], [0.883809447]], [[-0.46533516], [-0.697766602], [0.777020394], [0.5982517]], [[0.707361579], [-0.943880736], [0.11462491], [0.690794706]]], [[[-0.392541826], [-0.5640378], [0.948607563], [-0.790142775]], [[-0.628397346], [-0.102845907], [0.784867465], [-0.237507179]], [[5.693350e-01], [0.329704463], [-0.93129009], [-0.814950228]]]]> : tensor<3x3x4x1xf32>}> : () -> tensor<3x3x4x1xf32>
    %3 = tosa.transpose %arg0 {perms = array<i32: 0, 2, 3, 1>} : (tensor<1x4x10x10xf32>) -> tensor<1x10x10x4xf32>
    %4 = tosa.depthwise_conv2d %3, %2, %0, %1, %1 {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 1, 0, 1, 0>, stride = array<i64: 2, 2>} : (tensor<1x10x10x4xf32>, tensor<3x3x4x1xf32>, tensor<4xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x5x5x4xf32>
    %5 = tosa.transpose %4 {perms = array<i32: 0, 3, 1, 2>} : (tensor<1x5x5x4xf32>) -> tensor<1x4x5x5xf32>
    %6 = tosa.clamp %5 {max_val = 3.40282347E+38 : f32, min_val = 0.000000e+00 : f32} : (tensor<1x4x5x5xf32>) -> tensor<1x4x5x5xf32>
    return %6 : tensor<1x4x5x5xf32>
  }
}

{-#
  dialect_resources: {
    builtin: {
      torch_tensor_4_torch.float32: "0x04000000A35893BDDED2D53EB46AF9BE0A58033D"
    }
  }
#-}
