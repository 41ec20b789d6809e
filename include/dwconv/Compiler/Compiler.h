//===- Compiler.h - spec in, object and header out --------------*- C++ -*-===//
//
// The one entry point every tool uses: load a spec (a .mlir module of layer
// functions or a Keras layer config in JSON), compile its layers for a target
// and return the artifact with its C header.
//
// A layer function is a public func.func whose arguments are the input, the
// depthwise kernel and optionally the bias of one dwconv.depthwise_conv2d, and
// which returns that op's result.
//
//===----------------------------------------------------------------------===//

#ifndef DWCONV_COMPILER_COMPILER_H
#define DWCONV_COMPILER_COMPILER_H

#include "dwconv/Target/LayerABI.h"
#include "dwconv/Target/ObjectEmitter.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/OwningOpRef.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/Support/Error.h"

#include <optional>
#include <string>

namespace mlir {
namespace dwconv {

/// Registers every dialect, interface and translation the compiler uses.
void registerCompilerDialects(DialectRegistry &registry);

struct SpecOptions {
  /// Input shape (batch included) overriding or completing the spec's; for a
  /// model, the shape of its input.
  std::optional<SmallVector<int64_t, 4>> inputShape;
  /// Input shapes of named depthwise layers of a model.
  llvm::StringMap<SmallVector<int64_t, 4>> layerInputShapes;
  /// Input shape for a Keras config that records none (and no inputShape).
  std::optional<SmallVector<int64_t, 4>> defaultInputShape;
  /// Name of the layer's symbols (single-layer specs only).
  std::string name;
  /// For .keras archives: keep kernel and bias as entry-point arguments
  /// instead of baking the archive's weights into the object.
  bool weightsAsArguments = false;
};

/// Parses one --input-shape value into `options`: "1x112x112x32" or
/// "?x112x112x32" (a `?` is a dynamic dim), or "LAYER=SHAPE" for one layer of
/// a model. The error names the option and the expected form.
llvm::Error parseInputShapeOption(StringRef text, SpecOptions &options);

/// Loads a spec file: a .keras archive, JSON (a layer config, a model, a TF.js
/// model.json; by extension or content) or MLIR. Errors are
/// emitted as diagnostics.
OwningOpRef<ModuleOp> loadSpec(MLIRContext *ctx, StringRef path,
                               const SpecOptions &options);

enum class EmitKind { MLIR, Linalg, LLVMIR, Assembly, Object };

struct CompileOptions {
  TargetOptions target;
  EmitKind emit = EmitKind::Object;
  /// Include guard of the header.
  std::string headerGuard = "DWCONV_GENERATED_H";
};

struct CompileResult {
  std::string output;
  std::string header;
  SmallVector<LayerABI> layers;
};

/// Compiles every layer function of `spec` (which it rewrites) into one
/// artifact of `options.emit` kind.
FailureOr<CompileResult> compile(ModuleOp spec, const CompileOptions &options);

} // namespace dwconv
} // namespace mlir

#endif // DWCONV_COMPILER_COMPILER_H
