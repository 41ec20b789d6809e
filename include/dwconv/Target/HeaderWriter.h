//===- HeaderWriter.h - the C header of a generated object ------*- C++ -*-===//

#ifndef DWCONV_TARGET_HEADERWRITER_H
#define DWCONV_TARGET_HEADERWRITER_H

#include "dwconv/Target/LayerABI.h"

#include "llvm/Support/raw_ostream.h"

namespace mlir {
namespace dwconv {

/// Writes the header declaring every layer's entry point and metadata, with
/// shapes, layout and FLOPs as constants. `guard` names the include guard.
void writeHeader(llvm::raw_ostream &os, ArrayRef<LayerABI> layers,
                 StringRef guard, StringRef tableSymbol = "");

} // namespace dwconv
} // namespace mlir

#endif // DWCONV_TARGET_HEADERWRITER_H
