//===- LayerFunction.h - the form of a function dwconv compiles -*- C++ -*-===//
//
// A layer function is what dwconv compiles into a layer's entry points: one
// dwconv.depthwise_conv2d whose result the function returns. Its weights are
// either arguments (given at run time) or constants (baked in). Passes that
// find layer functions (dwconv-extract-layers) and that compile them
// (dwconv-outline-kernels) recognize them here, the same way.
//
//===----------------------------------------------------------------------===//

#ifndef DWCONV_DIALECT_DWCONV_TRANSFORMS_LAYERFUNCTION_H
#define DWCONV_DIALECT_DWCONV_TRANSFORMS_LAYERFUNCTION_H

#include "dwconv/Dialect/DWConv/IR/DWConv.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"

namespace mlir {
namespace dwconv {

/// Whether `value` is a baked weight: the result of an arith.constant.
bool isBakedWeight(Value value);

/// The dwconv op of `func` if it is a layer function: its body is that op
/// and the return of its result, and either the op's operands (input,
/// depthwise_kernel[, bias]) are the function's arguments in order, or the
/// input is its only argument and the kernel and bias are arith.constant ops
/// of the body (`baked`, if given, says which).
DepthwiseConv2DOp getLayerFunctionOp(func::FuncOp func, bool *baked = nullptr);

} // namespace dwconv
} // namespace mlir

#endif // DWCONV_DIALECT_DWCONV_TRANSFORMS_LAYERFUNCTION_H
