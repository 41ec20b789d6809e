//===- Passes.h - dwconv code generation passes -----------------*- C++ -*-===//

#ifndef DWCONV_CODEGEN_PASSES_H
#define DWCONV_CODEGEN_PASSES_H

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Pass/Pass.h"

namespace mlir {
namespace dwconv {

#define GEN_PASS_DECL
#include "dwconv/Codegen/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "dwconv/Codegen/Passes.h.inc"

} // namespace dwconv
} // namespace mlir

#endif // DWCONV_CODEGEN_PASSES_H
