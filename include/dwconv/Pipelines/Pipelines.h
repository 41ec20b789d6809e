//===- Pipelines.h - dwconv pass pipelines ----------------------*- C++ -*-===//
//
// Pipelines as functions over an OpPassManager, each also registered by name
// so that lit tests and dwconv-opt run exactly what the compiler runs.
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
};

/// dwconv on tensors -> linalg on tensors (no bufferization yet).
void buildDWConvToLinalgPipeline(OpPassManager &pm,
                                 const CPUPipelineOptions &options);

/// Tensors -> buffers (function boundaries included, identity layouts, no
/// copies into destination arguments where avoidable) -> deallocations.
void buildCPUBufferizationPipeline(OpPassManager &pm,
                                   const CPUPipelineOptions &options);

/// Buffers -> loops -> the LLVM dialect.
void buildCPULoweringToLLVMPipeline(OpPassManager &pm,
                                    const CPUPipelineOptions &options);

/// All three, in order: dwconv on tensors to the LLVM dialect.
void buildCPUPipeline(OpPassManager &pm, const CPUPipelineOptions &options);

/// Registers the pipelines above as `dwconv-to-linalg-pipeline`,
/// `dwconv-cpu-bufferize-pipeline`, `dwconv-cpu-to-llvm-pipeline` and
/// `dwconv-cpu-pipeline`.
void registerPipelines();

} // namespace dwconv
} // namespace mlir

#endif // DWCONV_PIPELINES_PIPELINES_H
