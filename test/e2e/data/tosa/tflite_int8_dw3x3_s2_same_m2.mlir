module attributes {tf_saved_model.semantics, tfl.description = "MLIR Converted.", tfl.metadata = {CONVERSION_METADATA = "\0C\00\00\00\08\00\0E\00\08\00\04\00\08\00\00\00\10\00\00\00(\00\00\00\00\00\06\00\08\00\04\00\06\00\00\00\04\00\00\00\01\00\00\00\EB\03\00\00\0C\00\18\00\14\00\10\00\0C\00\04\00\0C\00\00\00\85s\D0\FA\8B\A7\8E\F0\02\00\00\00\02\00\00\00\04\00\00\00\06\00\00\002.21.0\00\00", min_runtime_version = "1.14.0\00\00\00\00\00\00\00\00\00\00"}, tfl.schema_version = 3 : i32} {
  func.func @main(%arg0: tensor<1x10x10x4xi8> {tf_saved_model.index_path = ["image"]}) -> (tensor<1x5x5x8xi8> {tf_saved_model.index_path = ["output_0"]}) attributes {tf.entry_function = {inputs = "serving_default_image:0", outputs = "StatefulPartitionedCall_1:0"}, tf_saved_model.exported_names = ["serving_default"]} {
    %0 = "tosa.const"() <{values = dense<[39, 39, 40, 39, 39, 39, 39, 40]> : tensor<8xi8>}> : () -> tensor<8xi8>
    %1 = "tosa.const"() <{values = dense<[1166675128, 1184653649, 2018259700, 1182908860, 1087933307, 1150996618, 1088922895, 1744670442]> : tensor<8xi32>}> : () -> tensor<8xi32>
    %2 = "tosa.const"() <{values = dense<8> : tensor<1xi8>}> : () -> tensor<1xi8>
    %3 = "tosa.const"() <{values = dense<0> : tensor<1xi32>}> : () -> tensor<1xi32>
    %4 = "tosa.const"() <{values = dense<0> : tensor<1xi8>}> : () -> tensor<1xi8>
    %5 = "tosa.const"() <{values = dense<-1> : tensor<1xi8>}> : () -> tensor<1xi8>
    %6 = tosa.const_shape  {values = dense<[3, 3, 4, 2]> : tensor<4xindex>} : () -> !tosa.shape<4>
    %7 = "tosa.const"() <{values = dense<[[[[4, 29, -26, 127, -105, -69, -103, 63], [-107, 73, 90, 29, -116, -6, -10, -99], [-106, 127, -42, -60, 54, 35, -46, -24]], [[-90, -80, -16, -3, -50, 127, 89, -113], [-127, 118, -47, 115, -2, 93, -2, -68], [-3, 65, -17, -91, 99, -18, 102, -53]], [[64, -61, -127, 84, 26, 80, 90, 102], [109, 20, 97, 1, 98, -121, 61, 108], [-77, 75, 7, 12, 127, -111, -127, 127]]]]> : tensor<1x3x3x8xi8>}> : () -> tensor<1x3x3x8xi8>
    %8 = "tosa.const"() <{values = dense<[1388, -3516, -3123, 2168, -7780, -4443, 1180, 6891]> : tensor<8xi32>}> : () -> tensor<8xi32>
    %9 = tosa.reshape %7, %6 : (tensor<1x3x3x8xi8>, !tosa.shape<4>) -> tensor<3x3x4x2xi8>
    %10 = tosa.depthwise_conv2d %arg0, %9, %8, %5, %4 {acc_type = i32, dilation = array<i64: 1, 1>, pad = array<i64: 0, 1, 0, 1>, stride = array<i64: 2, 2>} : (tensor<1x10x10x4xi8>, tensor<3x3x4x2xi8>, tensor<8xi32>, tensor<1xi8>, tensor<1xi8>) -> tensor<1x5x5x8xi32>
    %11 = tosa.rescale %10, %1, %0, %3, %2 {input_unsigned = false, output_unsigned = false, per_channel = true, rounding_mode = DOUBLE_ROUND, scale32 = true} : (tensor<1x5x5x8xi32>, tensor<8xi32>, tensor<8xi8>, tensor<1xi32>, tensor<1xi8>) -> tensor<1x5x5x8xi8>
    return %11 : tensor<1x5x5x8xi8>
  }
}
