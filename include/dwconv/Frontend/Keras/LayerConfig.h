//===- LayerConfig.h - Keras DepthwiseConv2D configs ------------*- C++ -*-===//
//
// Reads the config of a Keras DepthwiseConv2D layer, as `layer.get_config()`
// returns it or wrapped as {"class_name": "DepthwiseConv2D", "config": ...},
// and builds the dwconv function computing it. Every refusal names the layer
// and the JSON path of the offending value.
//
//===----------------------------------------------------------------------===//

#ifndef DWCONV_FRONTEND_KERAS_LAYERCONFIG_H
#define DWCONV_FRONTEND_KERAS_LAYERCONFIG_H

#include "dwconv/Dialect/DWConv/IR/DWConv.h"

#include "mlir/IR/BuiltinOps.h"
#include "llvm/Support/JSON.h"

#include <optional>
#include <string>
#include <vector>

namespace mlir {
namespace dwconv {

/// Which Keras wrote a config: activation names mean what that version meant.
enum class KerasVersion { TfKeras2, Keras3 };

struct KerasLayer {
  /// The C identifier its symbols are named after (dwconv_<name>_...).
  std::string name;
  /// The Keras layer name, verbatim ("" for a spec's own name).
  std::string kerasName;
  KerasVersion version = KerasVersion::Keras3;
  SmallVector<int64_t, 2> kernelSize, strides = {1, 1}, dilationRate = {1, 1};
  int64_t depthMultiplier = 1;
  Padding padding = Padding::valid;
  /// (top, bottom, left, right) for Padding::explicit_pads (a ZeroPadding2D
  /// folded into the layer).
  SmallVector<int64_t, 4> pads;
  DataFormat dataFormat = DataFormat::channels_last;
  Activation activation = Activation::linear;
  /// Parameters of relu / leaky_relu from a folded ReLU or LeakyReLU layer
  /// (none for an activation named in the config).
  std::optional<ActivationParams> activationParams;
  bool useBias = true;
  /// The input shape the config records, batch included (ShapedType::kDynamic
  /// for a null), if it records one.
  std::optional<SmallVector<int64_t, 4>> inputShape;
  /// The Keras layers folded into this one (a ZeroPadding2D before it, a
  /// BatchNormalization and an activation layer after it), as
  /// "name (ClassName)", in model order.
  std::vector<std::string> foldedLayers;
};

/// The activation `name` means in a config written by `version`, or none
/// where that Keras has no such activation (or dwconv does not support it).
std::optional<Activation> lookupKerasActivation(StringRef name,
                                                KerasVersion version);

/// Parses a layer config. Errors go to `loc` as
/// "layer 'NAME': PATH: message (expected ...)". Without `version`, the
/// Keras version is decided from the config itself: Keras 3 writes
/// module/registered_name/build_config and DTypePolicy objects, tf.keras 2
/// writes `groups` and `batch_input_shape`; a config with neither is Keras 3.
FailureOr<KerasLayer>
parseLayerConfig(const llvm::json::Value &json, Location loc,
                 std::optional<KerasVersion> version = std::nullopt);

/// A layer's weights: kernel (kh, kw, C, M) and bias (C * M), row-major.
struct LayerWeights {
  std::vector<float> kernel, bias;
};

/// Adds `func.func @<name>(input, depthwise_kernel[, bias]) -> output` around
/// one dwconv.depthwise_conv2d computing `layer` on `inputShape`. With
/// `weights`, the kernel and bias are constants and the function takes only
/// the input.
LogicalResult buildLayerFunction(ModuleOp module, const KerasLayer &layer,
                                 ArrayRef<int64_t> inputShape, Location loc,
                                 const LayerWeights *weights = nullptr);

} // namespace dwconv
} // namespace mlir

#endif // DWCONV_FRONTEND_KERAS_LAYERCONFIG_H
