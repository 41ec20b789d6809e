//===- DWConvCPUSelectStrategy.cpp - record each kernel's CPU strategy ----===//

#include "dwconv/Codegen/CPUStrategy.h"
#include "dwconv/Codegen/Passes.h"

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

  void runOnOperation() override {
    Builder b(&getContext());
    for (auto func : getOperation().getOps<func::FuncOp>()) {
      if (!func->hasAttr(layer_attrs::kLayer))
        continue;
      FailureOr<LayerABI> layer = LayerABI::read(func);
      if (failed(layer))
        return signalPassFailure();
      CPUTarget target;
      target.vectorBits = vectorBits;
      target.vectorRegisters = vectorRegisters;
      target.fma = fma;
      FailureOr<CPUStrategy> strategy =
          selectCPUStrategy(*layer, target, func.getLoc());
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
