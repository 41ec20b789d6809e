//===- DWConvCPUSelectStrategy.cpp - record each kernel's CPU strategy ----===//

#include "dwconv/Codegen/CPUStrategy.h"
#include "dwconv/Codegen/Passes.h"
#include "dwconv/Target/TargetDescription.h"

#include "mlir/IR/Builders.h"
#include "llvm/Support/Debug.h"
#include "llvm/Support/InterleavedRange.h"

#define DEBUG_TYPE "dwconv-cpu-select-strategy"

namespace mlir {
namespace dwconv {
#define GEN_PASS_DEF_DWCONVCPUSELECTSTRATEGYPASS
#include "dwconv/Codegen/Passes.h.inc"
} // namespace dwconv
} // namespace mlir

using namespace mlir;
using namespace mlir::dwconv;

namespace {
struct DWConvCPUSelectStrategyPass
    : public dwconv::impl::DWConvCPUSelectStrategyPassBase<
          DWConvCPUSelectStrategyPass> {
  using DWConvCPUSelectStrategyPassBase::DWConvCPUSelectStrategyPassBase;

  /// The target the options describe: target-cpu (and target-triple)
  /// resolved through LLVM, else the three numbers.
  FailureOr<CPUTarget> getTarget() {
    CPUTarget target;
    target.vectorBits = vectorBits;
    target.vectorRegisters = vectorRegisters;
    target.fma = fma;
    if (targetCPU.empty() && targetTriple.empty())
      return target;
    TargetOptions options;
    options.triple = targetTriple;
    options.cpu = targetCPU == "host" ? std::string() : std::string(targetCPU);
    FailureOr<TargetDescription> described =
        TargetDescription::resolve(options, getOperation().getLoc());
    if (failed(described))
      return failure();
    target.vectorBits = described->vectorBits;
    target.vectorRegisters = described->vectorRegisters;
    target.fma = described->fma;
    return target;
  }

  void runOnOperation() override {
    Builder b(&getContext());
    FailureOr<CPUTarget> target = getTarget();
    if (failed(target))
      return signalPassFailure();
    for (auto func : getOperation().getOps<func::FuncOp>()) {
      if (!func->hasAttr(layer_attrs::kLayer))
        continue;
      FailureOr<LayerABI> layer = LayerABI::read(func);
      if (failed(layer))
        return signalPassFailure();
      FailureOr<CPUStrategy> strategy =
          selectCPUStrategy(*layer, *target, func.getLoc());
      if (failed(strategy))
        return signalPassFailure();
      LLVM_DEBUG(llvm::dbgs()
                 << "@" << func.getSymName() << ": tile shape ["
                 << llvm::interleaved(strategy->tileShape) << "]\n");
      func->setAttr(layer_attrs::kTileShape,
                    b.getDenseI64ArrayAttr(strategy->tileShape));
      if (strategy->registerBlock)
        func->setAttr(kRegisterBlockAttr,
                      strategy->registerBlock->toAttr(&getContext()));
    }
  }
};
} // namespace
