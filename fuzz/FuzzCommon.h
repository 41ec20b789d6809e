//===- FuzzCommon.h - what the fuzz targets share ---------------*- C++ -*-===//

#ifndef DWCONV_FUZZ_FUZZCOMMON_H
#define DWCONV_FUZZ_FUZZCOMMON_H

#include "dwconv/Compiler/Compiler.h"

#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/raw_ostream.h"

#include <cstdint>
#include <string>

namespace dwconv_fuzz {

/// One context for all inputs of a run, diagnostics swallowed (a refusal
/// is a correct outcome; only crashes and sanitizer reports are findings).
inline mlir::MLIRContext &getContext() {
  static mlir::MLIRContext *ctx = [] {
    mlir::DialectRegistry registry;
    mlir::dwconv::registerCompilerDialects(registry);
    auto *context = new mlir::MLIRContext(registry);
    context->getDiagEngine().registerHandler(
        [](mlir::Diagnostic &) { return mlir::success(); });
    context->printOpOnDiagnostic(false);
    return context;
  }();
  return *ctx;
}

/// Writes the input to a per-process temporary file named `*.suffix` (for
/// readers that take paths) and returns its path.
inline std::string writeInput(const uint8_t *data, size_t size,
                              llvm::StringRef suffix) {
  static std::string path = [&] {
    llvm::SmallString<128> temp;
    int fd;
    if (llvm::sys::fs::createTemporaryFile("dwconv-fuzz", suffix, fd, temp))
      std::abort();
    llvm::raw_fd_ostream(fd, /*shouldClose=*/true);
    return temp.str().str();
  }();
  std::error_code error;
  llvm::raw_fd_ostream os(path, error);
  os.write(reinterpret_cast<const char *>(data), size);
  return path;
}

} // namespace dwconv_fuzz

#endif // DWCONV_FUZZ_FUZZCOMMON_H
