module attributes {tf_saved_model.semantics, tfl.description = "MLIR Converted.", tfl.metadata = {CONVERSION_METADATA = "\0C\00\00\00\08\00\0E\00\08\00\04\00\08\00\00\00\10\00\00\00(\00\00\00\00\00\06\00\08\00\04\00\06\00\00\00\04\00\00\00\01\00\00\00\EB\03\00\00\0C\00\18\00\14\00\10\00\0C\00\04\00\0C\00\00\00}\DB\E9-N.%\0C\02\00\00\00\02\00\00\00\04\00\00\00\06\00\00\002.21.0\00\00", min_runtime_version = "1.14.0\00\00\00\00\00\00\00\00\00\00"}, tfl.schema_version = 3 : i32} {
  func.func @main(%arg0: tensor<1x10x10x8xi8> {tf_saved_model.index_path = ["image"]}) -> (tensor<1x10x10x8xi8> {tf_saved_model.index_path = ["output_0"]}) attributes {tf.entry_function = {inputs = "serving_default_image:0", outputs = "StatefulPartitionedCall_1:0"}, tf_saved_model.exported_names = ["serving_default"]} {
    %0 = "tosa.const"() <{values = dense<38> : tensor<8xi8>}> : () -> tensor<8xi8>
    %1 = "tosa.const"() <{values = dense<[1412825736, 1244681118, 1342683659, 1437999327, 1430905188, 1425439710, 1353282499, 1424664547]> : tensor<8xi32>}> : () -> tensor<8xi32>
    %2 = "tosa.const"() <{values = dense<-128> : tensor<1xi8>}> : () -> tensor<1xi8>
    %3 = "tosa.const"() <{values = dense<0> : tensor<1xi32>}> : () -> tensor<1xi32>
    %4 = "tosa.const"() <{values = dense<0> : tensor<1xi8>}> : () -> tensor<1xi8>
    %5 = "tosa.const"() <{values = dense<-1> : tensor<1xi8>}> : () -> tensor<1xi8>
    %6 = "tosa.const"() <{values = dense<[[[[-30, 9, 117, 38, 0, 70, 99, 50], [-39, -74, 82, 49, -82, 127, -123, -113], [127, 63, -60, 122, -35, -98, -29, 127]], [[-57, 111, -127, 110, -69, -11, 127, 15], [41, -7, -59, -127, 127, -98, -66, 73], [0, -1, -35, 31, -47, -82, -2, -107]], [[44, 127, -20, -37, 22, -68, -12, 27], [-52, -108, 83, -24, 97, -49, 82, -107], [5, -40, -33, -94, 39, -88, 68, 98]]]]> : tensor<1x3x3x8xi8>}> : () -> tensor<1x3x3x8xi8>
    %7 = "tosa.const"() <{values = dense<[-1480, 1819, -2418, 3319, 1423, -207, -1112, -714]> : tensor<8xi32>}> : () -> tensor<8xi32>
    %8 = tosa.const_shape  {values = dense<[3, 3, 8, 1]> : tensor<4xindex>} : () -> !tosa.shape<4>
    %9 = tosa.reshape %6, %8 : (tensor<1x3x3x8xi8>, !tosa.shape<4>) -> tensor<3x3x8x1xi8>
    %10 = tosa.depthwise_conv2d %arg0, %9, %7, %5, %4 {acc_type = i32, dilation = array<i64: 1, 1>, pad = array<i64: 1, 1, 1, 1>, stride = array<i64: 1, 1>} : (tensor<1x10x10x8xi8>, tensor<3x3x8x1xi8>, tensor<8xi32>, tensor<1xi8>, tensor<1xi8>) -> tensor<1x10x10x8xi32>
    %11 = tosa.rescale %10, %1, %0, %3, %2 {input_unsigned = false, output_unsigned = false, per_channel = true, rounding_mode = DOUBLE_ROUND, scale32 = true} : (tensor<1x10x10x8xi32>, tensor<8xi32>, tensor<8xi8>, tensor<1xi32>, tensor<1xi8>) -> tensor<1x10x10x8xi8>
    %12 = tosa.clamp %11 {max_val = 127 : i8, min_val = -128 : i8} : (tensor<1x10x10x8xi8>) -> tensor<1x10x10x8xi8>
    return %12 : tensor<1x10x10x8xi8>
  }
}
