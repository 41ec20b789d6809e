//===- ShapeRules.h - output shapes of Keras layers -------------*- C++ -*-===//
//
// Keras's compute_output_shape for the layer kinds that sit in front of
// depthwise layers in Keras's MobileNet, MobileNetV2, MobileNetV3 and
// EfficientNet applications, used to propagate input shapes through a model.
//
//===----------------------------------------------------------------------===//

#ifndef DWCONV_FRONTEND_KERAS_SHAPERULES_H
#define DWCONV_FRONTEND_KERAS_SHAPERULES_H

#include "mlir/Support/LLVM.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/Support/JSON.h"

#include <array>
#include <string>

namespace mlir {
namespace dwconv {

/// A tensor shape, batch included; ShapedType::kDynamic for an unknown dim.
using KerasShape = SmallVector<int64_t, 4>;

/// The output shape of one call of a layer of `className` with `config` on
/// `inputs`. Fails, saying why in `error`, for a layer kind without a rule or
/// a config the rule cannot read.
FailureOr<KerasShape> inferLayerOutputShape(StringRef className,
                                            const llvm::json::Object &config,
                                            ArrayRef<KerasShape> inputs,
                                            std::string &error);

/// ((top, bottom), (left, right)).
using PadAmounts = std::array<std::array<int64_t, 2>, 2>;

/// A ZeroPadding2D's `padding` or a Cropping2D's `cropping` (`key`): an int,
/// (sym_h, sym_w) or ((top, bottom), (left, right)).
std::optional<PadAmounts> readPadAmounts(const llvm::json::Object &config,
                                         StringRef key);

/// Whether a layer config's data_format (any case; null: Keras's default)
/// is channels_first.
bool isChannelsFirst(const llvm::json::Object &config);

/// Reads a JSON shape list ([null, 224, 224, 3]).
std::optional<KerasShape> readKerasShape(const llvm::json::Value *value);

} // namespace dwconv
} // namespace mlir

#endif // DWCONV_FRONTEND_KERAS_SHAPERULES_H
