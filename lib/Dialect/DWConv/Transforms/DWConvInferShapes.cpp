//===- DWConvInferShapes.cpp - refine dynamic dwconv results --------------===//

#include "dwconv/Dialect/DWConv/IR/DWConv.h"
#include "dwconv/Dialect/DWConv/Transforms/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/SymbolTable.h"

#define DEBUG_TYPE "dwconv-infer-shapes"

namespace mlir {
namespace dwconv {
#define GEN_PASS_DEF_DWCONVINFERSHAPESPASS
#include "dwconv/Dialect/DWConv/Transforms/Passes.h.inc"
} // namespace dwconv
} // namespace mlir

using namespace mlir;
using namespace mlir::dwconv;

namespace {

/// Users whose own verification accepts any shape compatible with the old
/// one, so a refined value can feed them directly. A func.return is fixed up
/// afterwards by refineSignature().
bool acceptsRefinedType(Operation *user) {
  return isa<DepthwiseConv2DOp, tensor::DimOp, tensor::CastOp, func::ReturnOp>(
      user);
}

/// Gives `value` the more static `type`; users that cannot take it keep the
/// old type through a tensor.cast.
void retypeValue(Value value, Type type) {
  Type oldType = value.getType();
  value.setType(type);
  Value cast;
  for (OpOperand &use : llvm::make_early_inc_range(value.getUses())) {
    if (acceptsRefinedType(use.getOwner()))
      continue;
    if (!cast) {
      OpBuilder builder(value.getContext());
      builder.setInsertionPointAfterValue(value);
      cast = tensor::CastOp::create(builder, value.getLoc(), oldType, value);
    }
    use.set(cast);
  }
}

/// Returns the most static type that every one of `types` (same rank and
/// element type) can be cast to: a dim stays static where all agree.
RankedTensorType joinTypes(ArrayRef<RankedTensorType> types) {
  SmallVector<int64_t> shape(types.front().getShape());
  for (RankedTensorType type : types.drop_front())
    for (auto [joined, size] : llvm::zip_equal(shape, type.getShape()))
      if (joined != size)
        joined = ShapedType::kDynamic;
  return types.front().clone(shape);
}

/// Re-infers the result type of `op`, first taking operands through casts
/// that only erased static sizes; returns true if anything became more static.
FailureOr<bool> refineOp(DepthwiseConv2DOp op) {
  bool changed = false;
  for (OpOperand &operand : op->getOpOperands()) {
    auto cast = operand.get().getDefiningOp<tensor::CastOp>();
    if (cast && tensor::canFoldIntoConsumerOp(cast)) {
      operand.set(cast.getSource());
      changed = true;
    }
  }
  SmallVector<Type, 1> inferred;
  if (failed(DepthwiseConv2DOp::inferReturnTypes(op.getContext(), op.getLoc(),
                                                 DepthwiseConv2DOp::Adaptor(op),
                                                 inferred)))
    return failure();
  auto current = cast<RankedTensorType>(op.getType());
  auto candidate = cast<RankedTensorType>(inferred.front());
  SmallVector<int64_t, 4> shape(current.getShape());
  for (auto [size, inferredSize] : llvm::zip_equal(shape, candidate.getShape()))
    if (ShapedType::isDynamic(size))
      size = inferredSize;
  RankedTensorType refined = current.clone(shape);
  if (refined == current)
    return changed;
  retypeValue(op.getResult(), refined);
  return true;
}

/// Whether every use of `func` is a direct func.call that can follow a change
/// of its result types.
bool hasOnlyCallUses(func::FuncOp func) {
  std::optional<SymbolTable::UseRange> uses =
      SymbolTable::getSymbolUses(func, func->getParentOp());
  return uses && llvm::all_of(*uses, [](const SymbolTable::SymbolUse &use) {
           return isa<func::CallOp>(use.getUser());
         });
}

/// Sets the result types of `func` to what its returns now return (where its
/// signature may change), casts returns that still differ, and retypes the
/// results of its calls. Returns true if the signature changed.
bool refineSignature(func::FuncOp func) {
  SmallVector<func::ReturnOp> returns;
  for (Block &block : func.getBody())
    if (auto ret = dyn_cast<func::ReturnOp>(block.getTerminator()))
      returns.push_back(ret);
  if (returns.empty())
    return false;

  SmallVector<Type> results(func.getResultTypes());
  bool changed = false;
  if (hasOnlyCallUses(func)) {
    for (auto [i, declared] : llvm::enumerate(results)) {
      if (!isa<RankedTensorType>(declared))
        continue;
      SmallVector<RankedTensorType> returned;
      for (func::ReturnOp ret : returns)
        returned.push_back(cast<RankedTensorType>(ret.getOperand(i).getType()));
      RankedTensorType joined = joinTypes(returned);
      if (joined != declared) {
        declared = joined;
        changed = true;
      }
    }
  }

  for (func::ReturnOp ret : returns) {
    OpBuilder builder(ret);
    for (OpOperand &operand : ret->getOpOperands()) {
      Type declared = results[operand.getOperandNumber()];
      if (operand.get().getType() != declared)
        operand.set(tensor::CastOp::create(builder, ret.getLoc(), declared,
                                           operand.get()));
    }
  }
  if (!changed)
    return false;

  func.setFunctionType(
      FunctionType::get(func.getContext(), func.getArgumentTypes(), results));
  std::optional<SymbolTable::UseRange> uses =
      SymbolTable::getSymbolUses(func, func->getParentOp());
  for (const SymbolTable::SymbolUse &use : *uses) {
    auto call = cast<func::CallOp>(use.getUser());
    for (auto [result, type] : llvm::zip_equal(call.getResults(), results))
      if (result.getType() != type)
        retypeValue(result, type);
  }
  return true;
}

struct DWConvInferShapesPass
    : public dwconv::impl::DWConvInferShapesPassBase<DWConvInferShapesPass> {
  using DWConvInferShapesPassBase::DWConvInferShapesPassBase;

  void runOnOperation() override {
    // A refined signature refines call results, which may feed dwconv ops in
    // callers: repeat until nothing changes. Every round makes at least one
    // dim static, so this ends.
    bool changed = true;
    while (changed) {
      changed = false;
      WalkResult walk = getOperation().walk([&](DepthwiseConv2DOp op) {
        FailureOr<bool> refined = refineOp(op);
        if (failed(refined))
          return WalkResult::interrupt();
        changed |= *refined;
        return WalkResult::advance();
      });
      if (walk.wasInterrupted())
        return signalPassFailure();
      getOperation().walk([&](func::FuncOp func) {
        if (!func.isExternal())
          changed |= refineSignature(func);
      });
    }
  }
};

} // namespace
