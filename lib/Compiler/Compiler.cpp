//===- Compiler.cpp - spec in, object and header out ----------------------===//
//
// Orchestration only: the stages are pipelines (Pipelines.h) and the emission
// is the Target library's.
//
//===----------------------------------------------------------------------===//

#include "dwconv/Compiler/Compiler.h"

#include "dwconv/Dialect/DWConv/IR/DWConv.h"
#include "dwconv/Dialect/DWConv/Transforms/Passes.h"
#include "dwconv/Pipelines/Pipelines.h"
#include "dwconv/Target/HeaderWriter.h"
#include "dwconv/Target/ObjectEmitter.h"
#include "dwconv/Target/Passes.h"

#include "mlir/IR/Verifier.h"
#include "mlir/Pass/PassManager.h"
#include "llvm/Support/Debug.h"

#define DEBUG_TYPE "dwconv-compile"

using namespace mlir;
using namespace mlir::dwconv;

namespace {
/// A stage of compilation: passes, and the output it can stop at.
struct Stage {
  const char *name;
  std::optional<EmitKind> stopsAt;
  std::function<void(OpPassManager &)> build;
};
} // namespace

static SmallVector<Stage> getStages(const CPUPipelineOptions &pipeline) {
  return {
      {"dwconv", EmitKind::MLIR,
       [](OpPassManager &pm) { pm.addPass(createDWConvInferShapesPass()); }},
      {"linalg", EmitKind::Linalg,
       [&](OpPassManager &pm) { buildDWConvToLinalgPipeline(pm, pipeline); }},
      {"cpu", std::nullopt,
       [&](OpPassManager &pm) {
         buildCPUBufferizationPipeline(pm, pipeline);
         buildCPULoweringToLLVMPipeline(pm, pipeline);
       }},
      {"entry points", std::nullopt, [](OpPassManager &pm) {
         pm.addPass(createDWConvAddEntryPointsPass());
       }}};
}

static OutputKind getOutputKind(EmitKind emit) {
  return emit == EmitKind::LLVMIR     ? OutputKind::LLVMIR
         : emit == EmitKind::Assembly ? OutputKind::Assembly
                                      : OutputKind::Object;
}

/// The header and the emitted code of a module in the LLVM dialect.
static LogicalResult emit(ModuleOp module, const TargetDescription &target,
                          const CompileOptions &options,
                          CompileResult &result) {
  FailureOr<SmallVector<LayerABI>> layers = collectLayers(module);
  if (failed(layers))
    return failure();
  result.layers = std::move(*layers);
  llvm::raw_string_ostream header(result.header);
  writeHeader(header, result.layers, options.headerGuard);
  llvm::SmallString<0> bytes;
  llvm::raw_svector_ostream os(bytes);
  if (failed(emitModule(module, target, getOutputKind(options.emit), os)))
    return failure();
  result.output.assign(bytes.begin(), bytes.end());
  return success();
}

FailureOr<CompileResult> mlir::dwconv::compile(ModuleOp spec,
                                               const CompileOptions &options) {
  // Diagnostics name the layer and the reason; the IR behind them is for
  // compiler developers (dwconv-opt), not for the users of a compiler.
  spec.getContext()->printOpOnDiagnostic(false);
  if (options.backend != Backend::CPU)
    return spec.emitError() << "the cuda backend is not available yet; "
                               "layers compile for the cpu";
  FailureOr<TargetDescription> target =
      TargetDescription::resolve(options.target, spec.getLoc());
  if (failed(target) || failed(verify(spec)))
    return failure();
  CPUPipelineOptions pipeline;
  pipeline.inferShapes = false;
  pipeline.vectorBits = target->vectorBits;
  pipeline.vectorRegisters = target->vectorRegisters;
  pipeline.fma = target->fma;

  CompileResult result;
  for (const Stage &stage : getStages(pipeline)) {
    LLVM_DEBUG(llvm::dbgs() << "stage '" << stage.name << "'\n");
    PassManager pm(spec.getContext());
    stage.build(pm);
    if (failed(pm.run(spec)))
      return failure();
    if (stage.stopsAt == options.emit) {
      llvm::raw_string_ostream os(result.output);
      spec.print(os);
      return result;
    }
  }
  if (failed(emit(spec, *target, options, result)))
    return failure();
  return result;
}
