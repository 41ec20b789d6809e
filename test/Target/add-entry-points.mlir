// RUN: dwconv-opt %s --dwconv-to-linalg-pipeline --dwconv-cpu-bufferize-pipeline --dwconv-cpu-to-llvm-pipeline --dwconv-add-entry-points | FileCheck %s

// What the object exports for a lowered layer, laid out by dwconv/abi.def.

// The kernel and the pack function stay internal.
// CHECK-DAG: llvm.func internal @dwconv_kernel.conv(
// CHECK-DAG: llvm.func internal @dwconv_pack.conv(

// The tile function reads the tile state (input 0, packed_weights 1,
// output 2, input_dims 3, output_dims 4) and calls the kernel with the
// worker's workspace and the tile range.
// CHECK-LABEL: llvm.func @dwconv_conv_tile
// CHECK-SAME: (%[[STATE:.*]]: !llvm.ptr, %[[WS:.*]]: !llvm.ptr, %[[BEGIN:.*]]: i64, %[[END:.*]]: i64)
// CHECK-DAG: llvm.getelementptr %[[STATE]][0, 3, 0] : (!llvm.ptr) -> !llvm.ptr, !llvm.struct<(ptr, ptr, ptr, array<4 x i64>, array<4 x i64>)>
// CHECK-DAG: %[[IN_SLOT:.*]] = llvm.getelementptr %[[STATE]][0, 0]
// CHECK-DAG: %[[IN:.*]] = llvm.load %[[IN_SLOT]] : !llvm.ptr -> !llvm.ptr
// CHECK-DAG: %[[PACKED_SLOT:.*]] = llvm.getelementptr %[[STATE]][0, 1]
// CHECK-DAG: %[[PACKED:.*]] = llvm.load %[[PACKED_SLOT]] : !llvm.ptr -> !llvm.ptr
// CHECK-DAG: llvm.getelementptr %[[STATE]][0, 4, 3]
// CHECK-DAG: %[[OUT_SLOT:.*]] = llvm.getelementptr %[[STATE]][0, 2]
// CHECK-DAG: %[[OUT:.*]] = llvm.load %[[OUT_SLOT]] : !llvm.ptr -> !llvm.ptr
// CHECK: llvm.call @dwconv_kernel.conv(%[[IN]], %[[IN]], {{.*}}, %[[PACKED]], %[[PACKED]], {{.*}}, %[[OUT]], %[[OUT]], {{.*}}, %[[WS]], %[[WS]], {{.*}}, %[[BEGIN]], %[[END]])
// CHECK-NEXT: llvm.return

// The pack function: Keras's kernel (3, 3, 4, 1) and bias (4) into 64 floats.
// CHECK-LABEL: llvm.func @dwconv_conv_pack
// CHECK-SAME: (%[[K:.*]]: !llvm.ptr, %[[B:.*]]: !llvm.ptr, %[[P:.*]]: !llvm.ptr)
// CHECK: llvm.call @dwconv_pack.conv(%[[K]], %[[K]], {{.*}}, %[[B]], %[[B]], {{.*}}, %[[P]], %[[P]],

// The metadata, field by field.
// CHECK-LABEL: llvm.mlir.global external constant @dwconv_conv_metadata()
// CHECK-SAME: !llvm.struct<(i32, i32, i32, i32, i32, i32, i32, i32, array<4 x i64>, array<4 x i64>, array<4 x i64>, array<2 x i64>, array<2 x i64>, array<4 x i64>, i64, i64, ptr, ptr, ptr, array<3 x i64>, ptr, ptr, i64, ptr, i64, ptr, ptr, array<4 x i64>, ptr)>
// CHECK: llvm.mlir.constant(5 : i32)
// CHECK-NEXT: llvm.insertvalue {{.*}}[0]
// CHECK: llvm.mlir.constant(2 : i32)
// CHECK-NEXT: llvm.insertvalue {{.*}}[5]
// CHECK: llvm.mlir.constant(-1 : i64)
// CHECK-NEXT: llvm.insertvalue {{.*}}[8, 0]
// CHECK: llvm.insertvalue {{.*}}[13, 3]
// CHECK: llvm.mlir.constant(0 : i64)
// CHECK-NEXT: llvm.insertvalue {{.*}}[14]
// CHECK: llvm.mlir.constant(256 : i64)
// CHECK-NEXT: llvm.insertvalue {{.*}}[15]
// CHECK: llvm.mlir.addressof @dwconv_conv_metadata_name
// CHECK: llvm.insertvalue {{.*}}[16]
// CHECK: llvm.mlir.addressof @dwconv_conv_tile
// CHECK-NEXT: llvm.insertvalue {{.*}}[17]
// CHECK: llvm.mlir.addressof @dwconv_conv_pack
// CHECK-NEXT: llvm.insertvalue {{.*}}[18]

// The uniform entry point hands the call to the runtime.
// CHECK-LABEL: llvm.func @dwconv_conv_call
// CHECK-SAME: (%[[CONTEXT:.*]]: !llvm.ptr, %[[CALL:.*]]: !llvm.ptr) -> i32
// CHECK: %[[METADATA:.*]] = llvm.mlir.addressof @dwconv_conv_metadata
// CHECK: %[[STATUS:.*]] = llvm.call @dwconv_layer_run(%[[CONTEXT]], %[[METADATA]], %[[CALL]])
// CHECK: llvm.return %[[STATUS]]
func.func @conv(%x: tensor<?x8x8x4xf32>, %k: tensor<3x3x4x1xf32>, %b: tensor<4xf32>) -> tensor<?x6x6x4xf32> {
  %y = dwconv.depthwise_conv2d %x, %k, %b activation relu6 : tensor<?x8x8x4xf32>, tensor<3x3x4x1xf32>, tensor<4xf32>
  return %y : tensor<?x6x6x4xf32>
}
