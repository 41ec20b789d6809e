// RUN: dwconv-opt %s --dwconv-cpu-pipeline | FileCheck %s

// The whole CPU pipeline ends in the LLVM dialect with no other dialect left,
// calling nothing but libc and libm.

// CHECK-LABEL: llvm.func @layer
// CHECK-NOT: {{(memref|linalg|tensor|scf|arith|math|cf|func)\.}}
// CHECK-DAG: llvm.call @malloc
// CHECK-DAG: llvm.call @erff
// CHECK-DAG: llvm.call @free
// CHECK: llvm.return
// CHECK-NOT: {{(memref|linalg|tensor|scf|arith|math|cf|func)\.}}
func.func @layer(%x: tensor<1x5x6x3xf32>, %k: tensor<3x2x3x2xf32>, %b: tensor<6xf32>) -> tensor<?x?x?x?xf32> {
  %y = dwconv.depthwise_conv2d %x, %k, %b padding same data_format channels_last activation gelu : tensor<1x5x6x3xf32>, tensor<3x2x3x2xf32>, tensor<6xf32> -> tensor<?x?x?x?xf32>
  return %y : tensor<?x?x?x?xf32>
}
