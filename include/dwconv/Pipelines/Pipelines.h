//===- Pipelines.h - dwconv pass pipelines ----------------------*- C++ -*-===//
//
// The compiler's stages as pipelines over an OpPassManager, each also
// registered by name so that lit tests, dwconv-opt and plugins run exactly
// what the compiler runs:
//
//   dwconv ops --(dwconv-to-linalg-pipeline)--> kernels in linalg on tensors
//     --(dwconv-cpu-bufferize-pipeline)--> tiled kernels on buffers, their
//        temporaries in the workspace, computing a range of tiles
//     --(dwconv-cpu-to-llvm-pipeline)--> the LLVM dialect
//
// `dwconv-cpu-pipeline` runs all three and adds the entry points and metadata
// of the runtime ABI (dwconv-add-entry-points).
//
//===----------------------------------------------------------------------===//

#ifndef DWCONV_PIPELINES_PIPELINES_H
#define DWCONV_PIPELINES_PIPELINES_H

#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassOptions.h"

namespace mlir {
namespace dwconv {

struct CPUPipelineOptions : public PassPipelineOptions<CPUPipelineOptions> {
  PassOptions::Option<bool> inferShapes{
      *this, "infer-shapes",
      llvm::cl::desc("Refine dynamic result shapes before lowering"),
      llvm::cl::init(true)};
  PassOptions::Option<unsigned> vectorBits{
      *this, "vector-bits",
      llvm::cl::desc("Width of the target's float vector registers in bits "
                     "(the strategy's tiles follow it)"),
      llvm::cl::init(128)};
  PassOptions::Option<unsigned> vectorRegisters{
      *this, "vector-registers",
      llvm::cl::desc("Number of the target's float vector registers (the "
                     "register block follows it)"),
      llvm::cl::init(16)};
  PassOptions::Option<bool> fma{
      *this, "fma",
      llvm::cl::desc("Accumulate with fused multiply-adds (the target has "
                     "them); changes the last bits against multiply-then-add"),
      llvm::cl::init(false)};
  PassOptions::Option<std::string> targetCPU{
      *this, "target-cpu",
      llvm::cl::desc("An LLVM CPU name (znver4, x86-64-v3, neoverse-v2, "
                     "host): its vector registers and FMA replace "
                     "vector-bits, vector-registers and fma")};
  PassOptions::Option<std::string> targetTriple{
      *this, "target-triple",
      llvm::cl::desc("The triple of target-cpu (default: the host's)")};
  PassOptions::Option<bool> loopPath{
      *this, "loop-path",
      llvm::cl::desc("Kernels may take the loop path (their empty tensors are "
                     "eliminated); off when every kernel is vector code, "
                     "which skips that analysis"),
      llvm::cl::init(true)};
};

/// Layer functions (dwconv ops on tensors) -> layer kernels in linalg on
/// tensors: shapes inferred (with `inferShapes`), outlined, a backend's
/// `strategy` pass recording how each kernel is computed, the weights
/// packed. What both backends' first stage shares.
void buildKernelsToLinalgPipeline(OpPassManager &pm, bool inferShapes,
                                  std::unique_ptr<Pass> strategy);

/// Layer functions (dwconv ops on tensors) -> layer kernels in linalg on
/// tensors: outlined, with the CPU strategy chosen and the weights packed.
void buildDWConvToLinalgPipeline(OpPassManager &pm,
                                 const CPUPipelineOptions &options);

/// One-shot bufferization of layer kernels as both backends want it:
/// function boundaries included, identity layouts, results written into the
/// destination arguments (then dropped as results).
void addKernelBufferizationPasses(OpPassManager &pm);

/// Tiles and fuses each kernel, bufferizes (function boundaries included,
/// identity layouts, results written into the destination arguments), moves
/// temporaries into the workspace argument and makes the kernel compute a
/// range of tiles.
void buildCPUBufferizationPipeline(OpPassManager &pm,
                                   const CPUPipelineOptions &options);

/// Buffers -> loops -> the LLVM dialect.
void buildCPULoweringToLLVMPipeline(OpPassManager &pm,
                                    const CPUPipelineOptions &options);

/// All three, in order, then the runtime ABI's entry points: layer functions
/// to what an object exports.
void buildCPUPipeline(OpPassManager &pm, const CPUPipelineOptions &options);

/// Options of the GPU pipelines (GPUPipeline.cpp).
struct GPUPipelineOptions : public PassPipelineOptions<GPUPipelineOptions> {
  PassOptions::Option<bool> inferShapes{
      *this, "infer-shapes",
      llvm::cl::desc("Refine dynamic result shapes before lowering"),
      llvm::cl::init(true)};
  PassOptions::Option<unsigned> computeCapability{
      *this, "compute-capability",
      llvm::cl::desc("The oldest compute capability the code runs on, "
                     "10 x major + minor (the strategy follows it)"),
      llvm::cl::init(80)};
  PassOptions::Option<int64_t> threadsX{
      *this, "threads-x",
      llvm::cl::desc("Threads per block along the contiguous output dim "
                     "(0: the strategy's)"),
      llvm::cl::init(0)};
  PassOptions::Option<int64_t> threadsY{
      *this, "threads-y",
      llvm::cl::desc("Threads per block along the blocked output dim "
                     "(0: the strategy's)"),
      llvm::cl::init(0)};
  PassOptions::Option<int64_t> outputsPerThread{
      *this, "outputs-per-thread",
      llvm::cl::desc("Outputs each thread keeps in registers (0: the "
                     "strategy's)"),
      llvm::cl::init(0)};
  PassOptions::ListOption<std::string> chips{
      *this, "chips",
      llvm::cl::desc("GPU architectures to compile for (sm_80, sm_90, ...): "
                     "one PTX, or binary, each")};
  PassOptions::Option<std::string> features{
      *this, "features",
      llvm::cl::desc("PTX features, e.g. +ptx80 (default: the backend's)"),
      llvm::cl::init("")};
  PassOptions::Option<std::string> libdevice{
      *this, "libdevice",
      llvm::cl::desc("CUDA's libdevice bitcode, linked into kernels whose "
                     "activation needs it (exp, tanh, erf, ...); without "
                     "it such a kernel is an error"),
      llvm::cl::init("")};
  PassOptions::Option<std::string> cudaPath{
      *this, "cuda-path", llvm::cl::desc("CUDA toolkit with ptxas, for cubins"),
      llvm::cl::init("")};
  PassOptions::Option<bool> cubin{
      *this, "cubin",
      llvm::cl::desc("Besides the PTX, a cubin per architecture (needs the "
                     "toolkit's ptxas, from cuda-path)"),
      llvm::cl::init(false)};
};

/// Layer functions -> layer kernels in linalg on tensors, with the GPU
/// strategy chosen and the weights packed.
void buildDWConvToLinalgGPUPipeline(OpPassManager &pm,
                                    const GPUPipelineOptions &options);

/// Kernels in linalg on tensors -> kernels on buffers whose body is the
/// mapped loops: an scf.forall over thread blocks (the ABI's tiles) holding
/// one over threads.
void buildGPUMappingPipeline(OpPassManager &pm,
                             const GPUPipelineOptions &options);

/// Mapped kernels on buffers (buildGPUMappingPipeline) -> the LLVM dialect
/// for a CPU: the thread blocks become the ABI's tile range, the threads of
/// one a loop nest.
void buildGPUMappedLoopsToCPUPipeline(OpPassManager &pm,
                                      const GPUPipelineOptions &options);

/// Mapped kernels on buffers -> GPU kernels in `gpu.module @dwconv_kernels`,
/// lowered to NVVM for each of `chips` and serialized (`gpu.binary`: PTX,
/// and cubins with `cubin`); the host functions are left as they are.
void buildGPUKernelsToBinaryPipeline(OpPassManager &pm,
                                     const GPUPipelineOptions &options);

/// The three GPU stages in order: layer functions to a `gpu.binary` of
/// their kernels.
void buildGPUPipeline(OpPassManager &pm, const GPUPipelineOptions &options);

/// Layer functions -> the LLVM dialect for a CPU, computing each layer with
/// the GPU kernel's mapped loops run in sequence (the tile loop is the ABI's
/// tile range, the threads a loop nest): how the tests prove the GPU
/// mapping without a GPU.
void buildGPUMappingOnCPUPipeline(OpPassManager &pm,
                                  const GPUPipelineOptions &options);

/// Registers the pipelines above as `dwconv-to-linalg-pipeline`,
/// `dwconv-cpu-bufferize-pipeline`, `dwconv-cpu-to-llvm-pipeline`,
/// `dwconv-cpu-pipeline`, `dwconv-to-linalg-gpu-pipeline`,
/// `dwconv-gpu-mapping-pipeline`, `dwconv-gpu-to-binary-pipeline`,
/// `dwconv-gpu-pipeline` and `dwconv-gpu-mapping-on-cpu-pipeline`.
void registerPipelines();

} // namespace dwconv
} // namespace mlir

#endif // DWCONV_PIPELINES_PIPELINES_H
