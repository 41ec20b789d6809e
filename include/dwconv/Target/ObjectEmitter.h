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

/// A module in the LLVM dialect to emit, and which of LLVM's loop passes
/// run on it.
struct EmitUnit {
  ModuleOp module;
  /// LLVM's default pipeline with its loop passes (not on code the strategy
  /// has vectorized and unrolled already, which gets a short pipeline of
  /// scalar cleanups).
  bool defaultPipeline = true;
  /// LLVM's loop strength reduction in code generation (not on code whose
  /// loads take their addresses from one base per row already). The pass
  /// runs on all units' code when one unit asks for it.
  bool strengthReduction = true;
};

/// What a unit becomes on its thread: optimized bitcode, which the units'
/// output links, or an object of its own, which it joins with the others'
/// (code generation then runs in parallel too).
enum class UnitCode { Bitcode, Object };

/// Whether the units of an object for `target` are compiled to objects and
/// joined (canJoinObjects), rather than linked and compiled at once.
UnitCode getUnitCode(const TargetDescription &target, OutputKind kind);

/// Whether code generation runs loop strength reduction on `units`' code:
/// when one of them asks for it (as for their linked module, compiled at
/// once).
bool needsStrengthReduction(ArrayRef<EmitUnit> units);

/// Translates a unit to LLVM IR in an LLVM context of its own, optimizes it
/// for the target and writes it as `code` into `out`; code generation runs
/// loop strength reduction where `strengthReduction`
/// (needsStrengthReduction of all the units of the output).
/// Distinct units may be handled on distinct threads at once. Errors go to
/// the unit's diagnostics.
LogicalResult compileUnit(EmitUnit unit, const TargetDescription &target,
                          UnitCode code, bool strengthReduction,
                          SmallVectorImpl<char> &out);

/// Links the units' optimized bitcode in order and writes it as `kind`.
/// A model's layer table (dwconv_model_layer in dwconv/runtime.h): `symbol`
/// and, per layer in order, its Keras name and the C name of its symbols.
struct LayerTable {
  std::string symbol;
  /// A second name of the table, or "" (a shared library's
  /// dwconv_library_layers, found without knowing the model's name).
  std::string alias;
  SmallVector<std::pair<std::string, std::string>> layers;
};

LogicalResult emitBitcode(ArrayRef<EmitUnit> units,
                          ArrayRef<SmallString<0>> bitcode,
                          const TargetDescription &target, OutputKind kind,
                          llvm::raw_pwrite_stream &os,
                          const LayerTable *table = nullptr);

/// Joins the units' objects in order, with the layer table's, into `os`.
LogicalResult emitObjects(ArrayRef<EmitUnit> units,
                          ArrayRef<SmallString<0>> objects,
                          const TargetDescription &target,
                          llvm::raw_pwrite_stream &os,
                          const LayerTable *table = nullptr);

/// Registers the translations compileUnit needs in `registry`.
void registerTranslations(DialectRegistry &registry);

} // namespace dwconv
} // namespace mlir

#endif // DWCONV_TARGET_OBJECTEMITTER_H
