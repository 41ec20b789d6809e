//===- DWConvToLinalg.h - dwconv to linalg lowering -------------*- C++ -*-===//

#ifndef DWCONV_CONVERSION_DWCONVTOLINALG_DWCONVTOLINALG_H
#define DWCONV_CONVERSION_DWCONVTOLINALG_DWCONVTOLINALG_H

#include "dwconv/Dialect/DWConv/IR/DWConv.h"

#include "mlir/IR/PatternMatch.h"

namespace mlir {
namespace dwconv {

/// Adds the patterns that rewrite dwconv.depthwise_conv2d into linalg, tensor,
/// arith and math ops on tensors.
void populateDWConvToLinalgPatterns(RewritePatternSet &patterns);

/// Whether `activation` maps each element on its own (softmax and log_softmax
/// reduce over an axis instead).
bool isElementwise(Activation activation);

/// Builds `activation(x)` for a scalar float `x`, with `params` for relu and
/// leaky_relu. Only for elementwise activations.
Value buildElementwiseActivation(OpBuilder &builder, Location loc,
                                 Activation activation, Value x,
                                 const ActivationParams &params);

} // namespace dwconv
} // namespace mlir

#endif // DWCONV_CONVERSION_DWCONVTOLINALG_DWCONVTOLINALG_H
