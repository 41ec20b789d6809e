//===- ObjectJoiner.h - relocatable objects joined into one -----*- C++ -*-===//
//
// The compiler generates code for the layers of a model in parallel, one
// relocatable object each, and hands the user one object: these join them.
//
//===----------------------------------------------------------------------===//

#ifndef DWCONV_TARGET_OBJECTJOINER_H
#define DWCONV_TARGET_OBJECTJOINER_H

#include "mlir/Support/LLVM.h"
#include "llvm/Support/Error.h"

#include <string>

namespace llvm {
class Triple;
} // namespace llvm

namespace mlir {
namespace dwconv {

/// Whether objects for `triple` can be joined: 64-bit little-endian ELF.
bool canJoinObjects(const llvm::Triple &triple);

/// Joins relocatable objects into one, as `ld -r` would, except that every
/// input section stays a section of its own (the final link merges sections
/// of one name as it does across objects), so that no offset or addend
/// changes. Local symbols are kept per input; a global name is defined once,
/// and the inputs' undefined references to it resolve to that definition.
/// Fails, saying why, on anything else: another format or machine, section
/// groups, a global defined twice.
llvm::Expected<std::string> joinObjects(ArrayRef<StringRef> objects);

} // namespace dwconv
} // namespace mlir

#endif // DWCONV_TARGET_OBJECTJOINER_H
