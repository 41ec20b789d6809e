// RUN: dwconv-opt %s --dwconv-cpu-pipeline | FileCheck %s

// The whole CPU pipeline ends in the LLVM dialect with no other dialect left:
// the internal kernel and pack function, and what the object exports through
// the runtime ABI. Nothing is allocated; libm is the only other callee.

// CHECK-NOT: {{(memref|linalg|tensor|scf|arith|math|cf|func)\.}}
// CHECK-NOT: llvm.call @malloc
// CHECK-DAG: llvm.func internal @dwconv_kernel.conv(
// CHECK-DAG: llvm.func internal @dwconv_pack.conv(
// CHECK-DAG: llvm.call @erff
// CHECK-DAG: llvm.func @dwconv_conv_tile(%{{.*}}: !llvm.ptr, %{{.*}}: !llvm.ptr, %{{.*}}: i64, %{{.*}}: i64)
// CHECK-DAG: llvm.func @dwconv_conv_pack(%{{.*}}: !llvm.ptr, %{{.*}}: !llvm.ptr, %{{.*}}: !llvm.ptr)
// CHECK-DAG: llvm.mlir.global external constant @dwconv_conv_metadata()
// CHECK-DAG: llvm.func @dwconv_conv_call(%{{.*}}: !llvm.ptr, %{{.*}}: !llvm.ptr) -> i32
// CHECK-DAG: llvm.call @dwconv_layer_run(
// CHECK-NOT: {{(memref|linalg|tensor|scf|arith|math|cf|func)\.}}
// CHECK-NOT: llvm.call @malloc
// CHECK-NOT: llvm.call @free
func.func @conv(%x: tensor<1x5x6x3xf32>, %k: tensor<3x2x3x2xf32>, %b: tensor<6xf32>) -> tensor<?x?x?x?xf32> {
  %y = dwconv.depthwise_conv2d %x, %k, %b padding same data_format channels_last activation gelu : tensor<1x5x6x3xf32>, tensor<3x2x3x2xf32>, tensor<6xf32> -> tensor<?x?x?x?xf32>
  return %y : tensor<?x?x?x?xf32>
}
