// RUN: dwconv-opt %s --split-input-file --verify-diagnostics --dwconv-gpu-check-libdevice
// RUN: dwconv-opt %s --split-input-file --dwconv-gpu-check-libdevice=available=true | FileCheck %s

// A kernel calling libdevice, which will not be linked: an error naming the
// layer and the function. When it will be linked, the call stays.
// CHECK-LABEL: llvm.func @dwconv_swish_kernel
// CHECK: llvm.call @__nv_expf
gpu.module @dwconv_kernels {
  llvm.func @__nv_expf(f32) -> f32
  // expected-error @+1 {{layer 'swish': its activation calls __nv_expf from CUDA's libdevice, which was not found; give the CUDA toolkit with --cuda-path}}
  llvm.func @dwconv_swish_kernel(%x: f32) -> f32 {
    %y = llvm.call @__nv_expf(%x) : (f32) -> f32
    llvm.return %y : f32
  }
}

// -----

// A kernel that calls nothing needs no libdevice.
// CHECK-LABEL: llvm.func @dwconv_relu_kernel
// CHECK: llvm.intr.maxnum
gpu.module @dwconv_kernels {
  llvm.func @dwconv_relu_kernel(%x: f32) -> f32 {
    %zero = llvm.mlir.constant(0.0 : f32) : f32
    %y = llvm.intr.maxnum(%x, %zero) : (f32, f32) -> f32
    llvm.return %y : f32
  }
}
