//===- Import.h - a Keras file in, layer functions out ----------*- C++ -*-===//
//
// The one entry of the Keras frontend: whatever Keras or TensorFlow.js wrote
// (a layer config, a whole model, a TF.js model.json, a .keras archive with
// its weights) becomes a module of layer functions, one per depthwise layer.
// How Keras lays out weights in its files is known here only.
//
//===----------------------------------------------------------------------===//

#ifndef DWCONV_FRONTEND_KERAS_IMPORT_H
#define DWCONV_FRONTEND_KERAS_IMPORT_H

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/OwningOpRef.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/Support/Error.h"
#include "llvm/Support/MemoryBuffer.h"

#include <optional>
#include <string>

namespace mlir {
namespace dwconv {

struct KerasImportOptions {
  /// Input shape (batch included) overriding or completing the spec's; for a
  /// model, the shape of its input.
  std::optional<SmallVector<int64_t, 4>> inputShape;
  /// Input shapes of named depthwise layers of a model.
  llvm::StringMap<SmallVector<int64_t, 4>> layerInputShapes;
  /// Input shape for a layer config that records none (and no inputShape).
  std::optional<SmallVector<int64_t, 4>> defaultInputShape;
  /// Name of the layer's symbols (single-layer specs only).
  std::string name;
  /// For .keras archives: keep kernel and bias as call arguments instead of
  /// baking the archive's weights into the object.
  bool weightsAsArguments = false;
  /// For models: fold each depthwise layer's block (ZeroPadding2D before it,
  /// BatchNormalization and an activation layer after it) into it where the
  /// graph allows (see BlockFolding.h).
  bool foldBlocks = true;
  /// For .keras archives: the most bytes one member may inflate to (0: the
  /// default, max(256 MiB, 64 x its compressed size)).
  int64_t maxArchiveBytes = 0;
};

/// Parses one --input-shape value into `options`: "1x112x112x32" or
/// "?x112x112x32" (a `?` is a dynamic dim), or "LAYER=SHAPE" for one layer of
/// a model. The error names the option and the expected form.
llvm::Error parseInputShapeOption(StringRef text, KerasImportOptions &options);

/// Whether the file at `path` with `contents` is for this frontend (a .keras
/// archive or JSON).
bool isKerasFile(StringRef path, StringRef contents);

/// Imports the Keras file at `path`, whose `contents` the caller has read
/// (an archive's members are read from `path`), as a module of layer
/// functions. Errors are emitted as diagnostics, naming the layer and the
/// JSON path.
OwningOpRef<ModuleOp> importKeras(MLIRContext *ctx, StringRef path,
                                  const llvm::MemoryBuffer &contents,
                                  const KerasImportOptions &options);

/// The same, reading `path`.
OwningOpRef<ModuleOp> importKerasFile(MLIRContext *ctx, StringRef path,
                                      const KerasImportOptions &options);

} // namespace dwconv
} // namespace mlir

#endif // DWCONV_FRONTEND_KERAS_IMPORT_H
