//===- ObjectEmitter.h - LLVM dialect to object code ------------*- C++ -*-===//

#ifndef DWCONV_TARGET_OBJECTEMITTER_H
#define DWCONV_TARGET_OBJECTEMITTER_H

#include "mlir/IR/BuiltinOps.h"
#include "llvm/Support/raw_ostream.h"

#include <string>

namespace mlir {
namespace dwconv {

struct TargetOptions {
  /// Target triple; empty means the host's.
  std::string triple;
  /// Target CPU (e.g. "znver4", "x86-64-v3"); empty means the host's, with
  /// its features. "generic" is the baseline of the triple.
  std::string cpu;
  /// LLVM optimization level, 0-3.
  unsigned optLevel = 3;
};

enum class OutputKind { LLVMIR, Assembly, Object };

/// Translates a module in the LLVM dialect to LLVM IR, optimizes it for the
/// target and writes it as `kind`. Errors go to the module's diagnostics.
LogicalResult emitModule(ModuleOp module, const TargetOptions &options,
                         OutputKind kind, llvm::raw_pwrite_stream &os);

/// Registers the translations emitModule needs in `registry`.
void registerTranslations(DialectRegistry &registry);

} // namespace dwconv
} // namespace mlir

#endif // DWCONV_TARGET_OBJECTEMITTER_H
