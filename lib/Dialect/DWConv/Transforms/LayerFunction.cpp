//===- LayerFunction.cpp - the form of a function dwconv compiles ---------===//

#include "dwconv/Dialect/DWConv/Transforms/LayerFunction.h"

#include "mlir/Dialect/Arith/IR/Arith.h"

using namespace mlir;
using namespace mlir::dwconv;

bool mlir::dwconv::isBakedWeight(Value value) {
  return value && value.getDefiningOp<arith::ConstantOp>();
}

DepthwiseConv2DOp mlir::dwconv::getLayerFunctionOp(func::FuncOp func,
                                                   bool *baked) {
  if (!func.getBody().hasOneBlock())
    return {};
  Block &body = func.getBody().front();
  auto ret = dyn_cast<func::ReturnOp>(body.getTerminator());
  auto op = ret && ret.getNumOperands() == 1
                ? ret.getOperand(0).getDefiningOp<DepthwiseConv2DOp>()
                : DepthwiseConv2DOp();
  if (!op || op->getBlock() != &body)
    return {};
  bool constants = isBakedWeight(op.getDepthwiseKernel()) &&
                   (!op.getBias() || isBakedWeight(op.getBias()));
  SmallVector<Value> arguments = constants
                                     ? SmallVector<Value>{op.getInput()}
                                     : SmallVector<Value>(op->getOperands());
  size_t bodyOps = 2 + (constants ? (op.getBias() ? 2 : 1) : 0);
  if (body.getOperations().size() != bodyOps ||
      !llvm::equal(arguments, body.getArguments()))
    return {};
  if (baked)
    *baked = constants;
  return op;
}
