//===- Model.h - the depthwise layers of whole Keras models -----*- C++ -*-===//
//
// Reads a model as Keras writes it (`model.to_json()`, Sequential or
// Functional, nested models included; the `config.json` of a .keras archive)
// or as TensorFlow.js writes it (`model.json`, the Keras topology under
// `modelTopology`), finds every DepthwiseConv2D and the input shape it is
// called on. Shapes are propagated from the model's inputs with Keras's rule
// for each layer kind on the way; where no rule applies, the shape Keras
// recorded for the layer (build_config, or a Keras 3 call's tensor) is used.
//
//===----------------------------------------------------------------------===//

#ifndef DWCONV_FRONTEND_KERAS_MODEL_H
#define DWCONV_FRONTEND_KERAS_MODEL_H

#include "dwconv/Frontend/Keras/LayerConfig.h"

#include "llvm/ADT/StringMap.h"

#include <vector>

namespace mlir {
namespace dwconv {

/// A depthwise layer of a model and the input shape it is called on.
struct ModelLayer {
  KerasLayer layer;
  SmallVector<int64_t, 4> inputShape;
  /// Where a Keras 3 weights file keeps the layer's variables, e.g.
  /// "layers/sequential/layers/depthwise_conv2d_1" (vars/0 the kernel,
  /// vars/1 the bias).
  std::string weightsGroup;
  /// A BatchNormalization folded into the kernel and bias (with the weights
  /// baked).
  struct BatchNorm {
    std::string weightsGroup;
    double epsilon = 1e-3;
    bool center = true, scale = true;
    /// Whether the depthwise layer itself has a bias (the folded one always
    /// does).
    bool layerHasBias = false;
  };
  std::optional<BatchNorm> batchNorm;
};

struct ModelImportOptions {
  /// The model's input shape (its first input), replacing the recorded one.
  std::optional<SmallVector<int64_t, 4>> modelInputShape;
  /// Input shapes of named depthwise layers, taking precedence over all else.
  llvm::StringMap<SmallVector<int64_t, 4>> layerInputShapes;
  /// Fold each depthwise layer's block into it: a ZeroPadding2D before it
  /// (when its amounts are 'same' padding's), an activation layer after it
  /// and, with `foldBatchNorm` (the weights are baked), a BatchNormalization
  /// between the two.
  bool foldBlocks = true;
  bool foldBatchNorm = false;
  /// Prepended to each layer's symbol name ("P" gives dwconv_P_<layer>).
  std::string prefix;
  /// The weights are a legacy .h5 model file's (KerasWeights::isLegacy).
  bool legacyWeights = false;
};

/// The model's own name (its config's `name`), as a C identifier.
std::string getModelSymbol(const llvm::json::Value &json);

/// Whether `json` is a whole model rather than one layer config.
bool isModelSpec(const llvm::json::Value &json);

/// Every DepthwiseConv2D of the model, in the order Keras lists them (nested
/// models in place). Errors name the layer and what is missing.
FailureOr<std::vector<ModelLayer>>
importModel(const llvm::json::Value &json, Location loc,
            const ModelImportOptions &options);

} // namespace dwconv
} // namespace mlir

#endif // DWCONV_FRONTEND_KERAS_MODEL_H
