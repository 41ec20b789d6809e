//===- GPUPipeline.cpp - dwconv kernels mapped onto GPU threads -----------===//
//
// The GPU backend's stages, in the shape of upstream's GPUToNVVMPipeline:
// an option struct, build functions, registration by name (Pipelines.h).
// The mapped loops (dwconv-gpu-map-to-threads) are the GPU kernel itself;
// the same loops also run on a CPU, which proves the mapping without a GPU.
//
//===----------------------------------------------------------------------===//

#include "dwconv/Codegen/Passes.h"
#include "dwconv/Conversion/Passes.h"
#include "dwconv/Dialect/DWConv/Transforms/Passes.h"
#include "dwconv/Pipelines/Pipelines.h"
#include "dwconv/Target/Passes.h"

#include "mlir/Conversion/GPUToNVVM/GPUToNVVMPass.h"
#include "mlir/Conversion/ReconcileUnrealizedCasts/ReconcileUnrealizedCasts.h"
#include "mlir/Conversion/SCFToControlFlow/SCFToControlFlow.h"
#include "mlir/Dialect/Bufferization/Pipelines/Passes.h"
#include "mlir/Dialect/Bufferization/Transforms/Passes.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/GPU/Transforms/Passes.h"
#include "mlir/Dialect/SCF/Transforms/Passes.h"
#include "mlir/Transforms/Passes.h"

using namespace mlir;
using namespace mlir::dwconv;

void mlir::dwconv::buildDWConvToLinalgGPUPipeline(
    OpPassManager &pm, const GPUPipelineOptions &options) {
  DWConvGPUSelectStrategyPassOptions strategy;
  strategy.computeCapability = options.computeCapability;
  strategy.threadsX = options.threadsX;
  strategy.threadsY = options.threadsY;
  strategy.outputsPerThread = options.outputsPerThread;
  buildKernelsToLinalgPipeline(pm, options.inferShapes,
                               createDWConvGPUSelectStrategyPass(strategy));
}

void mlir::dwconv::buildGPUMappingPipeline(OpPassManager &pm,
                                           const GPUPipelineOptions &) {
  // Bufferized right away: the loops read back what other threads wrote
  // (softmax), which a canonicalizer on tensors would fold into reads of the
  // destination's old contents.
  pm.addNestedPass<func::FuncOp>(createDWConvGPUMapToThreadsPass());
  addKernelBufferizationPasses(pm);
  pm.addPass(createCanonicalizerPass());
  pm.addPass(createCSEPass());
}

void mlir::dwconv::buildGPUMappedLoopsToCPUPipeline(
    OpPassManager &pm, const GPUPipelineOptions &) {
  // The thread blocks are the ABI's tiles; the threads of one, a loop nest.
  pm.addNestedPass<func::FuncOp>(createDWConvCPUPlanWorkspacePass());
  pm.addNestedPass<func::FuncOp>(createDWConvCPUDistributeTilesPass());
  pm.addNestedPass<func::FuncOp>(createForallToForLoopPass());
  bufferization::BufferDeallocationPipelineOptions deallocation;
  bufferization::buildBufferDeallocationPipeline(pm, deallocation);
  pm.addPass(createCanonicalizerPass());
  CPUPipelineOptions cpu;
  buildCPULoweringToLLVMPipeline(pm, cpu);
}

void mlir::dwconv::buildGPUKernelsToBinaryPipeline(
    OpPassManager &pm, const GPUPipelineOptions &options) {
  pm.addPass(createDWConvGPUCreateKernelsPass());
  SmallVector<std::string> chips(options.chips.begin(), options.chips.end());
  if (chips.empty())
    chips.push_back("sm_80");
  for (const std::string &chip : chips) {
    GpuNVVMAttachTargetOptions target;
    target.chip = chip;
    target.features = options.features;
    target.optLevel = 3;
    if (!options.libdevice.empty())
      target.linkLibs.push_back(options.libdevice);
    pm.addPass(createGpuNVVMAttachTarget(target));
  }
  OpPassManager &kernels = pm.nest<gpu::GPUModuleOp>();
  kernels.addPass(createSCFToControlFlowPass());
  kernels.addPass(createConvertGpuOpsToNVVMOps());
  kernels.addPass(createCanonicalizerPass());
  kernels.addPass(createCSEPass());
  kernels.addPass(createReconcileUnrealizedCastsPass());
  DWConvGPUCheckLibdevicePassOptions check;
  check.available = !options.libdevice.empty();
  pm.addPass(createDWConvGPUCheckLibdevicePass(check));
  DWConvGPUSerializePassOptions serialize;
  serialize.toolkit = options.cudaPath;
  serialize.cubin = options.cubin;
  pm.addPass(createDWConvGPUSerializePass(serialize));
}

void mlir::dwconv::buildGPUPipeline(OpPassManager &pm,
                                    const GPUPipelineOptions &options) {
  buildDWConvToLinalgGPUPipeline(pm, options);
  buildGPUMappingPipeline(pm, options);
  buildGPUKernelsToBinaryPipeline(pm, options);
}

void mlir::dwconv::buildGPUMappingOnCPUPipeline(
    OpPassManager &pm, const GPUPipelineOptions &options) {
  buildDWConvToLinalgGPUPipeline(pm, options);
  buildGPUMappingPipeline(pm, options);
  buildGPUMappedLoopsToCPUPipeline(pm, options);
  pm.addPass(createDWConvAddEntryPointsPass());
}
