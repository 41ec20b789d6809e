//===- BlockFolding.h - a depthwise layer's block, folded into it -*- C++
//-*-===//
//
// Real models follow a depthwise layer with BatchNormalization and an
// activation layer, and pad its input with ZeroPadding2D; the frontend folds
// these into the layer where the graph allows it (each folded output has one
// consumer, the layers are in inference mode) and the result is exactly
// expressible by the op:
//   - ZeroPadding2D -> DepthwiseConv2D('valid'): when the amounts are the
//     ones 'same' padding gives for the (static) input size, the layer
//     becomes 'same' on the unpadded input (Keras's MobileNetV2 and
//     EfficientNet pad this way before their stride-2 layers);
//   - a BatchNormalization after it (on the channel axis, with the weights
//     baked): into the kernel and bias (see FoldBatchNorm in Import.cpp);
//   - ReLU (max_value None or 6, negative_slope 0, threshold 0), LeakyReLU
//     (slope 0.2) and Activation(name) after it (or after the folded
//     BatchNormalization), when the layer's own activation is linear.
// Anything else is left out of the block.
//
//===----------------------------------------------------------------------===//

#ifndef DWCONV_FRONTEND_KERAS_BLOCKFOLDING_H
#define DWCONV_FRONTEND_KERAS_BLOCKFOLDING_H

#include "dwconv/Frontend/Keras/Model.h"
#include "dwconv/Frontend/Keras/ShapeRules.h"

namespace mlir {
namespace dwconv {

/// One call of a layer in a model container (Functional or Sequential).
struct LayerCall {
  const llvm::json::Object *entry = nullptr;
  std::string className, name, weightsGroup;
  /// The layers whose outputs it takes (first inbound node).
  SmallVector<std::string, 1> inputs;
  /// The shape of its first input, where known.
  std::optional<KerasShape> inputShape;
  /// For a DepthwiseConv2D: its index in the model's depthwise layers.
  int depthwise = -1;
  /// Called more than once (a shared layer): never folded.
  bool shared = false;
};

/// Folds the blocks of the depthwise layers called in `calls` (one
/// container, in order; `outputs` are the layers whose outputs leave it).
void foldBlocks(ArrayRef<LayerCall> calls, ArrayRef<std::string> outputs,
                std::vector<ModelLayer> &layers, KerasVersion version,
                const ModelImportOptions &options);

} // namespace dwconv
} // namespace mlir

#endif // DWCONV_FRONTEND_KERAS_BLOCKFOLDING_H
