//===- Passes.h - dwconv dialect passes -------------------------*- C++ -*-===//

#ifndef DWCONV_DIALECT_DWCONV_TRANSFORMS_PASSES_H
#define DWCONV_DIALECT_DWCONV_TRANSFORMS_PASSES_H

#include "mlir/IR/BuiltinOps.h"
#include "mlir/Pass/Pass.h"

namespace mlir {
namespace dwconv {

#define GEN_PASS_DECL
#include "dwconv/Dialect/DWConv/Transforms/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "dwconv/Dialect/DWConv/Transforms/Passes.h.inc"

} // namespace dwconv
} // namespace mlir

#endif // DWCONV_DIALECT_DWCONV_TRANSFORMS_PASSES_H
