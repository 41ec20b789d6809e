//===- Passes.h - dwconv target passes --------------------------*- C++ -*-===//

#ifndef DWCONV_TARGET_PASSES_H
#define DWCONV_TARGET_PASSES_H

#include "mlir/Pass/Pass.h"

namespace mlir {
namespace dwconv {

#define GEN_PASS_DECL
#include "dwconv/Target/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "dwconv/Target/Passes.h.inc"

} // namespace dwconv
} // namespace mlir

#endif // DWCONV_TARGET_PASSES_H
