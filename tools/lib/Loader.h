//===- Loader.h - link a generated object and load it -----------*- C++ -*-===//
//
// Turns object code from compile() into a shared library with the system C
// compiler and loads it into this process. The library's runtime symbols
// resolve against the runtime linked into (and exported by) the executable.
// For the tools that run what they compile (dwconv-run, the sweep); not part
// of the libraries embedders link.
//
//===----------------------------------------------------------------------===//

#ifndef DWCONV_TOOLS_LOADER_H
#define DWCONV_TOOLS_LOADER_H

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <memory>
#include <string>

namespace mlir {
namespace dwconv {

class LoadedLibrary {
public:
  ~LoadedLibrary();
  /// The address of `symbol`, or null.
  void *lookup(llvm::StringRef symbol) const;

private:
  friend llvm::Expected<std::unique_ptr<LoadedLibrary>>
  linkAndLoad(llvm::StringRef object);
  LoadedLibrary() = default;
  void *handle = nullptr;
  std::string directory;
};

/// Links `object` with `$CC` (default `cc`) into a temporary shared library
/// and loads it.
llvm::Expected<std::unique_ptr<LoadedLibrary>>
linkAndLoad(llvm::StringRef object);

} // namespace dwconv
} // namespace mlir

#endif // DWCONV_TOOLS_LOADER_H
