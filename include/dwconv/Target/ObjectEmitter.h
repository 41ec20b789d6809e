//===- ObjectEmitter.h - LLVM dialect to object code ------------*- C++ -*-===//

#ifndef DWCONV_TARGET_OBJECTEMITTER_H
#define DWCONV_TARGET_OBJECTEMITTER_H

#include "dwconv/Target/TargetDescription.h"

#include "mlir/IR/BuiltinOps.h"
#include "llvm/Support/raw_ostream.h"
#include "llvm/Target/TargetMachine.h"

#include <memory>

namespace mlir {
namespace dwconv {

enum class OutputKind { LLVMIR, Assembly, Object };

/// The LLVM TargetMachine of `target` (position-independent code). Errors go
/// to `module`'s diagnostics.
FailureOr<std::unique_ptr<llvm::TargetMachine>>
createTargetMachine(ModuleOp module, const TargetDescription &target);

/// Translates a module in the LLVM dialect to LLVM IR, optimizes it for the
/// target and writes it as `kind`. Errors go to the module's diagnostics.
LogicalResult emitModule(ModuleOp module, const TargetDescription &target,
                         OutputKind kind, llvm::raw_pwrite_stream &os);

/// Registers the translations emitModule needs in `registry`.
void registerTranslations(DialectRegistry &registry);

} // namespace dwconv
} // namespace mlir

#endif // DWCONV_TARGET_OBJECTEMITTER_H
