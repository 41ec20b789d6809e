//===- DWConvExtractLayers.cpp - one layer function per dwconv op ---------===//

#include "dwconv/Dialect/DWConv/IR/DWConv.h"
#include "dwconv/Dialect/DWConv/Transforms/LayerFunction.h"
#include "dwconv/Dialect/DWConv/Transforms/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/IR/SymbolTable.h"
#include "llvm/Support/Debug.h"

#define DEBUG_TYPE "dwconv-extract-layers"

namespace mlir {
namespace dwconv {
#define GEN_PASS_DEF_DWCONVEXTRACTLAYERSPASS
#include "dwconv/Dialect/DWConv/Transforms/Passes.h.inc"
} // namespace dwconv
} // namespace mlir

using namespace mlir;
using namespace mlir::dwconv;

namespace {

/// A layer function named `name` (unique in `symbols`, after `after`)
/// computing a copy of `op`: its weights baked where all are constants
/// (arith.constant), else all of them arguments.
void extract(SymbolTable &symbols, Operation *after, DepthwiseConv2DOp op,
             StringRef name) {
  bool baked = isBakedWeight(op.getDepthwiseKernel()) &&
               (!op.getBias() || isBakedWeight(op.getBias()));
  SmallVector<Value> operands = baked ? SmallVector<Value>{op.getInput()}
                                      : SmallVector<Value>(op->getOperands());
  auto type = FunctionType::get(op.getContext(),
                                ValueRange(operands).getTypes(), op.getType());
  auto func = func::FuncOp::create(op.getLoc(), name, type);
  OpBuilder body = OpBuilder::atBlockBegin(func.addEntryBlock());
  IRMapping mapping;
  mapping.map(operands, func.getArguments());
  for (Value v : {op.getDepthwiseKernel(), op.getBias()})
    if (baked && v)
      mapping.map(v, body.clone(*v.getDefiningOp())->getResult(0));
  Operation *copy = body.clone(*op, mapping);
  func::ReturnOp::create(body, op.getLoc(), copy->getResults());
  // Renamed where the name is taken.
  symbols.insert(func, std::next(Block::iterator(after)));
}

struct DWConvExtractLayersPass
    : public dwconv::impl::DWConvExtractLayersPassBase<
          DWConvExtractLayersPass> {
  using DWConvExtractLayersPassBase::DWConvExtractLayersPassBase;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    SymbolTable symbols(module);
    for (auto func : llvm::to_vector(module.getOps<func::FuncOp>())) {
      if (!func.isPublic() || func.isExternal())
        continue;
      SmallVector<DepthwiseConv2DOp> ops;
      func.walk([&](DepthwiseConv2DOp op) { ops.push_back(op); });
      if (ops.empty() || (ops.size() == 1 && getLayerFunctionOp(func)))
        continue;
      Operation *after = func;
      for (auto [i, op] : llvm::enumerate(ops)) {
        extract(symbols, after, op, (func.getSymName() + "_" + Twine(i)).str());
        after = after->getNextNode();
      }
      func.setPrivate();
      LLVM_DEBUG(llvm::dbgs() << "@" << func.getSymName() << ": " << ops.size()
                              << " layers extracted\n");
    }
  }
};

} // namespace
