//===- Passes.h - dwconv passes over upstream dialects ----------*- C++ -*-===//

#ifndef DWCONV_TRANSFORMS_PASSES_H
#define DWCONV_TRANSFORMS_PASSES_H

#include "mlir/Pass/Pass.h"

namespace mlir {
namespace dwconv {

#define GEN_PASS_DECL
#include "dwconv/Transforms/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "dwconv/Transforms/Passes.h.inc"

} // namespace dwconv
} // namespace mlir

#endif // DWCONV_TRANSFORMS_PASSES_H
