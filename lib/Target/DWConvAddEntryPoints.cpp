//===- DWConvAddEntryPoints.cpp - the dwconv-add-entry-points pass --------===//

#include "dwconv/Target/EntryPoints.h"
#include "dwconv/Target/Passes.h"

#include "mlir/Dialect/LLVMIR/LLVMDialect.h"

#define DEBUG_TYPE "dwconv-add-entry-points"

namespace mlir {
namespace dwconv {
#define GEN_PASS_DEF_DWCONVADDENTRYPOINTSPASS
#include "dwconv/Target/Passes.h.inc"
} // namespace dwconv
} // namespace mlir

using namespace mlir;
using namespace mlir::dwconv;

namespace {
struct DWConvAddEntryPointsPass
    : public dwconv::impl::DWConvAddEntryPointsPassBase<
          DWConvAddEntryPointsPass> {
  using DWConvAddEntryPointsPassBase::DWConvAddEntryPointsPassBase;

  void runOnOperation() override {
    FailureOr<SmallVector<LayerABI, 0>> layers = collectLayers(getOperation());
    if (failed(layers) || failed(addEntryPoints(getOperation(), *layers)))
      signalPassFailure();
  }
};
} // namespace
