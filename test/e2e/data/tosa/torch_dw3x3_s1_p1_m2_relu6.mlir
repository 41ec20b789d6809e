module {
  func.func @main(%arg0: tensor<1x4x9x9xf32>) -> tensor<1x8x9x9xf32> {
    %0 = "tosa.const"() <{values = dense_resource<torch_tensor_8_torch.float32> : tensor<8xf32>}> : () -> tensor<8xf32>
    %1 = "tosa.const"() <{values = dense<0.000000e+00> : tensor<1xf32>}> : () -> tensor<1xf32>
    %2 = "tosa.const"() <{values = dense<[[[[-0.374315232, 0.220665917], [1.78399706, -0.126663595], [-2.57236934, -2.76048899], [1.38246989, 0.422348678]], [[-0.627856314, -2.03112984], [-2.78157926, -0.852490365], [-1.76658261, 1.9497875], [-0.918217957, 1.40670538]], [[2.35166025, 0.66464883], [-2.758290e+00, 0.38173759], [-0.905260622, 2.13076901], [0.384779394, -0.627114415]]], [[[-1.90132976, 1.31408668], [2.517277, 2.52948046], [0.419641703, 1.74227321], [-0.585280776, 2.48468971]], [[-2.56003594, -2.05073214], [1.66124177, 0.758063435], [-0.926978766, 1.73833048], [2.33459854, 2.64760733]], [[-0.712331712, -1.39790821], [-1.42760623, 0.628363788], [-1.40481293, -2.28492355], [2.21700311, 1.23482943]]], [[[1.74190116, 0.437434196], [-2.54727912, 0.263165802], [0.0856065079, 1.93100739], [0.741925537, -2.15621948]], [[0.566523135, 2.88833141], [-1.5781548, 1.70676649], [-0.657316505, -0.276891023], [-0.054786548, -1.23622727]], [[-1.21513522, 0.80951482], [-0.52590251, -2.7959578], [-0.91125214, 2.03004742], [0.904941201, 1.73996437]]]]> : tensor<3x3x4x2xf32>}> : () -> tensor<3x3x4x2xf32>
    %3 = "tosa.const"() <{values = dense<0.000000e+00> : tensor<1x1x1x1xf32>}> : () -> tensor<1x1x1x1xf32>
    %4 = "tosa.const"() <{values = dense<6.000000e+00> : tensor<1x1x1x1xf32>}> : () -> tensor<1x1x1x1xf32>
    %5 = tosa.transpose %arg0 {perms = array<i32: 0, 2, 3, 1>} : (tensor<1x4x9x9xf32>) -> tensor<1x9x9x4xf32>
    %6 = tosa.depthwise_conv2d %5, %2, %0, %1, %1 {acc_type = f32, dilation = array<i64: 1, 1>, pad = array<i64: 1, 1, 1, 1>, stride = array<i64: 1, 1>} : (tensor<1x9x9x4xf32>, tensor<3x3x4x2xf32>, tensor<8xf32>, tensor<1xf32>, tensor<1xf32>) -> tensor<1x9x9x8xf32>
    %7 = tosa.transpose %6 {perms = array<i32: 0, 3, 1, 2>} : (tensor<1x9x9x8xf32>) -> tensor<1x8x9x9xf32>
    %8 = tosa.maximum %7, %3 : (tensor<1x8x9x9xf32>, tensor<1x1x1x1xf32>) -> tensor<1x8x9x9xf32>
    %9 = tosa.minimum %8, %4 : (tensor<1x8x9x9xf32>, tensor<1x1x1x1xf32>) -> tensor<1x8x9x9xf32>
    return %9 : tensor<1x8x9x9xf32>
  }
}

{-#
  dialect_resources: {
    builtin: {
      torch_tensor_8_torch.float32: "0x04000000CCE06DBE3EDD1B3DB12BE4BE7C6FC43E5CBAD5BE5EB6BFBD017D8E3E640C8C3E"
    }
  }
#-}
