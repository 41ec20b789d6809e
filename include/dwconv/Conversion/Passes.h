//===- Passes.h - dwconv conversion passes ----------------------*- C++ -*-===//

#ifndef DWCONV_CONVERSION_PASSES_H
#define DWCONV_CONVERSION_PASSES_H

#include "dwconv/Conversion/DWConvToLinalg/DWConvToLinalg.h"

#include "mlir/Pass/Pass.h"

namespace mlir {
namespace dwconv {

#define GEN_PASS_DECL
#include "dwconv/Conversion/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "dwconv/Conversion/Passes.h.inc"

} // namespace dwconv
} // namespace mlir

#endif // DWCONV_CONVERSION_PASSES_H
