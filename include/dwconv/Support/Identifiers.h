//===- Identifiers.h - C identifiers for exported symbols -------*- C++ -*-===//

#ifndef DWCONV_SUPPORT_IDENTIFIERS_H
#define DWCONV_SUPPORT_IDENTIFIERS_H

#include "llvm/ADT/StringRef.h"

#include <string>

namespace mlir {
namespace dwconv {

/// `name` as a C identifier: characters outside [A-Za-z0-9_] become '_', and
/// a leading digit gets a '_' in front.
/// `name` as a C identifier: every other character becomes '_', and a
/// leading digit (or nothing) gets a '_' before it.
std::string sanitizeIdentifier(llvm::StringRef name);

/// Whether layer symbols named after `name` (`dwconv_<name>_<word>`) would
/// be runtime identifiers: `layer` (dwconv_layer_run, dwconv_layer_metadata).
bool isReservedSymbolName(llvm::StringRef name);

} // namespace dwconv
} // namespace mlir

#endif // DWCONV_SUPPORT_IDENTIFIERS_H
