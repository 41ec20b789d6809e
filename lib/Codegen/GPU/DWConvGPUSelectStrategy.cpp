//===- DWConvGPUSelectStrategy.cpp - record each kernel's GPU strategy ----===//

#include "dwconv/Codegen/GPUStrategy.h"
#include "dwconv/Codegen/Passes.h"

#include "mlir/IR/Builders.h"
#include "llvm/Support/Debug.h"
#include "llvm/Support/InterleavedRange.h"

#define DEBUG_TYPE "dwconv-gpu-select-strategy"

namespace mlir {
namespace dwconv {
#define GEN_PASS_DEF_DWCONVGPUSELECTSTRATEGYPASS
#include "dwconv/Codegen/Passes.h.inc"
} // namespace dwconv
} // namespace mlir

using namespace mlir;
using namespace mlir::dwconv;

namespace {
struct DWConvGPUSelectStrategyPass
    : public dwconv::impl::DWConvGPUSelectStrategyPassBase<
          DWConvGPUSelectStrategyPass> {
  using DWConvGPUSelectStrategyPassBase::DWConvGPUSelectStrategyPassBase;

  void runOnOperation() override {
    Builder b(&getContext());
    GPUTarget target;
    target.computeCapability = computeCapability;
    target.threadsX = threadsX;
    target.threadsY = threadsY;
    target.outputsPerThread = outputsPerThread;
    for (auto func : getOperation().getOps<func::FuncOp>()) {
      if (!func->hasAttr(layer_attrs::kLayer))
        continue;
      FailureOr<LayerABI> layer = LayerABI::read(func);
      if (failed(layer))
        return signalPassFailure();
      FailureOr<GPUStrategy> strategy =
          selectGPUStrategy(*layer, target, func.getLoc());
      if (failed(strategy))
        return signalPassFailure();
      LLVM_DEBUG(llvm::dbgs()
                 << "@" << func.getSymName() << ": tile shape ["
                 << llvm::interleaved(strategy->tileShape) << "]\n");
      func->setAttr(layer_attrs::kTileShape,
                    b.getDenseI64ArrayAttr(strategy->tileShape));
      func->setAttr(kThreadMappingAttr,
                    strategy->mapping.toAttr(&getContext()));
    }
  }
};
} // namespace
