// UNSUPPORTED: sanitized
// Debian's stock mlir-opt (LLVM 22) with our plugins: the dialect plugin
// parses, verifies and infers dwconv ops; the pass plugin adds our passes
// and named pipelines. Both share libDWConvMLIR.so and upstream's
// libMLIR.so, one copy of each in the process.

// The named CPU pipeline, with an option, down to the LLVM dialect and the
// runtime ABI's entry points; 256-bit vectors with FMA.
// RUN: mlir-opt %s --load-dialect-plugin=%dwconv_obj_root/lib/DWConvDialectPlugin.so --load-pass-plugin=%dwconv_obj_root/lib/DWConvPassPlugin.so --pass-pipeline="builtin.module(dwconv-cpu-pipeline{vector-bits=256 fma=true})" | FileCheck %s --check-prefix=CPU
// CPU-DAG: llvm.func @dwconv_conv_tile(%{{.*}}: !llvm.ptr, %{{.*}}: !llvm.ptr, %{{.*}}: i64, %{{.*}}: i64)
// CPU-DAG: llvm.func @dwconv_conv_pack(
// CPU-DAG: llvm.func @dwconv_conv_call(%{{.*}}: !llvm.ptr, %{{.*}}: !llvm.ptr) -> i32
// CPU-DAG: llvm.mlir.global external constant @dwconv_conv_metadata()
// CPU-DAG: llvm.intr.fmuladd(%{{.*}}, %{{.*}}, %{{.*}}) : (vector<8xf32>, vector<8xf32>, vector<8xf32>) -> vector<8xf32>

// The target by its LLVM CPU name: znver4 (AVX-512, FMA) gives 16-lane
// vectors and fused multiply-adds; x86-64-v2 (SSE4.2) 4 lanes and none.
// RUN: mlir-opt %s --load-dialect-plugin=%dwconv_obj_root/lib/DWConvDialectPlugin.so --load-pass-plugin=%dwconv_obj_root/lib/DWConvPassPlugin.so --pass-pipeline="builtin.module(dwconv-cpu-pipeline{target-cpu=znver4 target-triple=x86_64-unknown-linux-gnu})" | FileCheck %s --check-prefix=ZNVER4
// ZNVER4: llvm.intr.fmuladd(%{{.*}}, %{{.*}}, %{{.*}}) : (vector<16xf32>, vector<16xf32>, vector<16xf32>) -> vector<16xf32>
// RUN: mlir-opt %s --load-dialect-plugin=%dwconv_obj_root/lib/DWConvDialectPlugin.so --load-pass-plugin=%dwconv_obj_root/lib/DWConvPassPlugin.so --pass-pipeline="builtin.module(dwconv-cpu-pipeline{target-cpu=x86-64-v2 target-triple=x86_64-unknown-linux-gnu})" | FileCheck %s --check-prefix=V2
// V2-NOT: fmuladd
// V2: llvm.fmul {{.*}} : vector<4xf32>
// V2-NOT: fmuladd

// One pass by name (a plugin's passes are known to --pass-pipeline, not as
// flags): shape inference refines the dynamic result.
// RUN: mlir-opt %s --load-dialect-plugin=%dwconv_obj_root/lib/DWConvDialectPlugin.so --load-pass-plugin=%dwconv_obj_root/lib/DWConvPassPlugin.so --pass-pipeline="builtin.module(dwconv-infer-shapes)" | FileCheck %s --check-prefix=INFER
// INFER-LABEL: func.func @conv
// INFER: dwconv.depthwise_conv2d {{.*}} -> tensor<1x8x8x4xf32>

// The dialect plugin alone: parse, print with the inferred result type.
// RUN: mlir-opt %s --load-dialect-plugin=%dwconv_obj_root/lib/DWConvDialectPlugin.so | FileCheck %s --check-prefix=PARSE
// PARSE: dwconv.depthwise_conv2d %{{.*}}, %{{.*}}, %{{.*}} padding same activation relu6 : tensor<1x8x8x4xf32>, tensor<3x3x4x1xf32>, tensor<4xf32> -> tensor<?x?x?x?xf32>

func.func @conv(%x: tensor<1x8x8x4xf32>, %k: tensor<3x3x4x1xf32>, %b: tensor<4xf32>) -> tensor<?x?x?x?xf32> {
  %y = dwconv.depthwise_conv2d %x, %k, %b padding same activation relu6 : tensor<1x8x8x4xf32>, tensor<3x3x4x1xf32>, tensor<4xf32> -> tensor<?x?x?x?xf32>
  return %y : tensor<?x?x?x?xf32>
}
