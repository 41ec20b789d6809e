// RUN: dwconv-opt %s --dwconv-gpu-serialize | FileCheck %s

// Each target of a GPU module in NVVM form becomes an object of one
// gpu.binary: PTX for sm_80, then for sm_90 (cubins need ptxas:
// test/e2e/gpu-ptxas.test).
// CHECK-NOT: gpu.module
// CHECK: gpu.binary @dwconv_kernels [#gpu.object<#nvvm.target<chip = "sm_80">, {{.*}}assembly = "{{.*}}.target sm_80{{.*}}.entry dwconv_k_kernel{{.*}}">, #gpu.object<#nvvm.target<chip = "sm_90">, {{.*}}assembly = "{{.*}}.target sm_90{{.*}}">]
gpu.module @dwconv_kernels [#nvvm.target<chip = "sm_80">, #nvvm.target<chip = "sm_90">] {
  llvm.func @dwconv_k_kernel(%arg0: !llvm.ptr) attributes {gpu.kernel, nvvm.kernel} {
    llvm.return
  }
}
