//===- CPUPipeline.cpp - dwconv to the LLVM dialect on CPU ----------------===//

#include "dwconv/Codegen/Passes.h"
#include "dwconv/Conversion/Passes.h"
#include "dwconv/Dialect/DWConv/Transforms/Passes.h"
#include "dwconv/Pipelines/Pipelines.h"
#include "dwconv/Target/Passes.h"
#include "dwconv/Transforms/Passes.h"

#include "mlir/Conversion/AffineToStandard/AffineToStandard.h"
#include "mlir/Conversion/ArithToLLVM/ArithToLLVM.h"
#include "mlir/Conversion/ControlFlowToLLVM/ControlFlowToLLVM.h"
#include "mlir/Conversion/FuncToLLVM/ConvertFuncToLLVMPass.h"
#include "mlir/Conversion/IndexToLLVM/IndexToLLVM.h"
#include "mlir/Conversion/MathToLLVM/MathToLLVM.h"
#include "mlir/Conversion/MathToLibm/MathToLibm.h"
#include "mlir/Conversion/MemRefToLLVM/MemRefToLLVM.h"
#include "mlir/Conversion/ReconcileUnrealizedCasts/ReconcileUnrealizedCasts.h"
#include "mlir/Conversion/SCFToControlFlow/SCFToControlFlow.h"
#include "mlir/Conversion/VectorToLLVM/ConvertVectorToLLVMPass.h"
#include "mlir/Dialect/Bufferization/Pipelines/Passes.h"
#include "mlir/Dialect/Bufferization/Transforms/Passes.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/Passes.h"
#include "mlir/Dialect/MemRef/Transforms/Passes.h"
#include "mlir/Pass/PassRegistry.h"
#include "mlir/Transforms/Passes.h"

using namespace mlir;
using namespace mlir::dwconv;

void mlir::dwconv::buildKernelsToLinalgPipeline(
    OpPassManager &pm, bool inferShapes, std::unique_ptr<Pass> strategy) {
  if (inferShapes)
    pm.addPass(createDWConvInferShapesPass());
  pm.addPass(createDWConvExtractLayersPass());
  pm.addPass(createDWConvOutlineKernelsPass());
  pm.addPass(std::move(strategy));
  pm.addPass(createDWConvCPUPackWeightsPass());
  pm.addNestedPass<func::FuncOp>(createConvertDWConvToLinalgPass());
  pm.addPass(createCanonicalizerPass());
  pm.addPass(createCSEPass());
}

void mlir::dwconv::buildDWConvToLinalgPipeline(
    OpPassManager &pm, const CPUPipelineOptions &options) {
  DWConvCPUSelectStrategyPassOptions strategy;
  strategy.vectorBits = options.vectorBits;
  strategy.vectorRegisters = options.vectorRegisters;
  strategy.fma = options.fma;
  strategy.targetCPU = options.targetCPU;
  strategy.targetTriple = options.targetTriple;
  buildKernelsToLinalgPipeline(pm, options.inferShapes,
                               createDWConvCPUSelectStrategyPass(strategy));
}

void mlir::dwconv::addKernelBufferizationPasses(OpPassManager &pm) {
  bufferization::OneShotBufferizePassOptions bufferize;
  bufferize.bufferizeFunctionBoundaries = true;
  bufferize.functionBoundaryTypeConversion =
      bufferization::LayoutMapOption::IdentityLayoutMap;
  pm.addPass(bufferization::createOneShotBufferizePass(bufferize));
  // Forwards the loops' buffer iter_args, so that a kernel written in place
  // returns its destination argument itself, which is then dropped.
  pm.addPass(createCanonicalizerPass());
  pm.addPass(bufferization::createDropEquivalentBufferResultsPass());
}

/// The canonicalizer without region simplification, for kernels whose
/// regions keep one block each until SCF-to-CF: merging and pruning blocks
/// finds nothing there, and its matching costs time on register-blocked code.
static std::unique_ptr<Pass> createStructuredCanonicalizerPass() {
  GreedyRewriteConfig config;
  config.setRegionSimplificationLevel(GreedySimplifyRegionLevel::Disabled);
  return createCanonicalizerPass(config);
}

void mlir::dwconv::buildCPUBufferizationPipeline(
    OpPassManager &pm, const CPUPipelineOptions &options) {
  pm.addNestedPass<func::FuncOp>(createDWConvCPUVectorizePass());
  pm.addNestedPass<func::FuncOp>(createDWConvCPUTileAndFusePass());
  pm.addPass(createStructuredCanonicalizerPass());
  pm.addPass(createCSEPass());
  // Lets the loop path's results be computed straight into destination
  // arguments (bufferization.materialize_in_destination) instead of copied
  // there. Vector code writes its destination itself (a kernel the vectorizer
  // hands back to the loop path would be copied into it).
  if (options.loopPath)
    pm.addPass(bufferization::createEmptyTensorEliminationPass());
  addKernelBufferizationPasses(pm);
  // Folds the dims of fresh buffers into their sizes, so that each
  // temporary's size is an expression of the tile indices alone.
  pm.addPass(createStructuredCanonicalizerPass());
  pm.addNestedPass<func::FuncOp>(createDWConvCPUPlanWorkspacePass());
  pm.addNestedPass<func::FuncOp>(createDWConvCPUDistributeTilesPass());
  // Kernels have nothing left to deallocate, but a function calling several
  // layers (a raised TOSA model) has its intermediate buffers: upstream's
  // deallocation pipeline without the canonicalizers between its passes,
  // which cost a tenth of the back end's time on kernels. CSE before the
  // last: a tile's bufferized copy into its own place (two equal subviews)
  // then folds away.
  pm.addPass(memref::createExpandReallocPass(
      memref::ExpandReallocPassOptions{/*emitDeallocs=*/false}));
  pm.addPass(bufferization::createOwnershipBasedBufferDeallocationPass());
  pm.addPass(bufferization::createBufferDeallocationSimplificationPass());
  pm.addPass(bufferization::createLowerDeallocationsPass());
  pm.addPass(createCSEPass());
  pm.addPass(createStructuredCanonicalizerPass());
}

void mlir::dwconv::buildCPULoweringToLLVMPipeline(OpPassManager &pm,
                                                  const CPUPipelineOptions &) {
  pm.addPass(createDWConvMemRefCopyToLinalgPass());
  pm.addNestedPass<func::FuncOp>(createDWConvCPUApproximateMathPass());
  pm.addNestedPass<func::FuncOp>(createConvertLinalgToLoopsPass());
  pm.addPass(memref::createExpandStridedMetadataPass());
  pm.addPass(createLowerAffinePass());
  pm.addPass(createSCFToControlFlowPass());
  // erf, tanh, expm1 and log1p have no LLVM intrinsic: call libm, which also
  // keeps their accuracy (MathToLLVM would expand expm1 to exp(x) - 1).
  pm.addPass(createConvertMathToLibmPass());
  pm.addPass(createConvertMathToLLVMPass());
  // After math-to-libm, which unrolls vector calls into vector.extract and
  // vector.insert. 1-D transfers become (masked) loads and stores.
  pm.addPass(createConvertVectorToLLVMPass());
  pm.addPass(createFinalizeMemRefToLLVMConversionPass());
  pm.addPass(createArithToLLVMConversionPass());
  pm.addPass(createConvertIndexToLLVMPass());
  pm.addPass(createConvertControlFlowToLLVMPass());
  pm.addPass(createConvertFuncToLLVMPass());
  // No canonicalizer after it: LLVM's instcombine and simplifycfg do that
  // job on the translated module (objects are the same without it).
  pm.addPass(createReconcileUnrealizedCastsPass());
}

void mlir::dwconv::buildCPUPipeline(OpPassManager &pm,
                                    const CPUPipelineOptions &options) {
  buildDWConvToLinalgPipeline(pm, options);
  buildCPUBufferizationPipeline(pm, options);
  buildCPULoweringToLLVMPipeline(pm, options);
  pm.addPass(createDWConvAddEntryPointsPass());
}

void mlir::dwconv::registerPipelines() {
  PassPipelineRegistration<CPUPipelineOptions>(
      "dwconv-to-linalg-pipeline",
      "Outline layer functions into kernels in linalg on tensors (shape "
      "inference, CPU strategy and weight packing included)",
      buildDWConvToLinalgPipeline);
  PassPipelineRegistration<CPUPipelineOptions>(
      "dwconv-cpu-bufferize-pipeline",
      "Tile, fuse and bufferize layer kernels, temporaries in the workspace, "
      "each computing a range of tiles",
      buildCPUBufferizationPipeline);
  PassPipelineRegistration<CPUPipelineOptions>(
      "dwconv-cpu-to-llvm-pipeline",
      "Lower bufferized kernels to loops and the LLVM dialect",
      buildCPULoweringToLLVMPipeline);
  PassPipelineRegistration<CPUPipelineOptions>(
      "dwconv-cpu-pipeline",
      "Lower layer functions all the way to the LLVM dialect for CPU, with "
      "the runtime ABI's entry points",
      buildCPUPipeline);
  PassPipelineRegistration<GPUPipelineOptions>(
      "dwconv-to-linalg-gpu-pipeline",
      "Outline layer functions into kernels in linalg on tensors, with the "
      "GPU strategy chosen and the weights packed",
      buildDWConvToLinalgGPUPipeline);
  PassPipelineRegistration<GPUPipelineOptions>(
      "dwconv-gpu-mapping-pipeline",
      "Map layer kernels onto thread blocks and threads, on buffers",
      buildGPUMappingPipeline);
  PassPipelineRegistration<GPUPipelineOptions>(
      "dwconv-gpu-to-binary-pipeline",
      "Turn mapped kernels into GPU kernels, lower them to NVVM and "
      "serialize them for each architecture",
      buildGPUKernelsToBinaryPipeline);
  PassPipelineRegistration<GPUPipelineOptions>(
      "dwconv-gpu-pipeline",
      "Lower layer functions to a gpu.binary of their kernels (PTX or "
      "binaries per architecture)",
      buildGPUPipeline);
  PassPipelineRegistration<GPUPipelineOptions>(
      "dwconv-gpu-mapping-on-cpu-pipeline",
      "Lower layer functions to the LLVM dialect for a CPU through the GPU "
      "kernel's mapped loops, run in sequence (tests the GPU mapping)",
      buildGPUMappingOnCPUPipeline);
}
