//===- DWConvExtractLayers.cpp - one layer function per dwconv op ---------===//

#include "dwconv/Dialect/DWConv/IR/DWConv.h"
#include "dwconv/Dialect/DWConv/Transforms/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/IR/Matchers.h"
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

bool isConstant(Value value) {
  return value && matchPattern(value, m_Constant());
}

/// A layer function already: constants, one dwconv op whose non-constant
/// operands are the arguments in order, and its result returned.
bool isLayerFunction(func::FuncOp func, ArrayRef<DepthwiseConv2DOp> ops) {
  if (ops.size() != 1 || !func.getBody().hasOneBlock())
    return false;
  DepthwiseConv2DOp op = ops.front();
  auto ret = dyn_cast<func::ReturnOp>(func.getBody().front().getTerminator());
  if (!ret || ret.getNumOperands() != 1 || ret.getOperand(0) != op.getResult())
    return false;
  SmallVector<Value> arguments = {op.getInput()};
  for (Value v : {op.getDepthwiseKernel(), op.getBias()})
    if (v && !isConstant(v))
      arguments.push_back(v);
  if (!llvm::equal(arguments, func.getArguments()))
    return false;
  return llvm::all_of(func.getBody().front(), [&](Operation &other) {
    return &other == op || &other == ret ||
           other.hasTrait<OpTrait::ConstantLike>();
  });
}

/// A layer function named `name` (unique in `symbols`, after `after`)
/// computing a copy of `op`.
void extract(SymbolTable &symbols, Operation *after, DepthwiseConv2DOp op,
             StringRef name) {
  SmallVector<Value> operands = {op.getInput()};
  for (Value v : {op.getDepthwiseKernel(), op.getBias()})
    if (v && !isConstant(v))
      operands.push_back(v);
  auto type = FunctionType::get(op.getContext(),
                                ValueRange(operands).getTypes(), op.getType());
  auto func = func::FuncOp::create(op.getLoc(), name, type);
  OpBuilder body = OpBuilder::atBlockBegin(func.addEntryBlock());
  IRMapping mapping;
  mapping.map(operands, func.getArguments());
  for (Value v : {op.getDepthwiseKernel(), op.getBias()})
    if (v && isConstant(v))
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
      if (ops.empty() || isLayerFunction(func, ops))
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
