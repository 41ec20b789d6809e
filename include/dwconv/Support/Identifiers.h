//===- Identifiers.h - C identifiers for exported symbols -------*- C++ -*-===//

#ifndef DWCONV_SUPPORT_IDENTIFIERS_H
#define DWCONV_SUPPORT_IDENTIFIERS_H

#include "llvm/ADT/StringRef.h"

#include <string>

namespace mlir {
namespace dwconv {

/// `name` as a C identifier: characters outside [A-Za-z0-9_] become '_', and
/// a leading digit gets a '_' in front.
std::string sanitizeIdentifier(llvm::StringRef name);

} // namespace dwconv
} // namespace mlir

#endif // DWCONV_SUPPORT_IDENTIFIERS_H
