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

/// Whether `activation` maps each element on its own (softmax, log_softmax,
/// glu and sparsemax act on whole rows of the last axis instead).
bool isElementwise(Activation activation);

/// Builds a non-elementwise `activation` over the last axis of the rank-4
/// tensor `x` (glu's result has half of it).
Value buildLastAxisActivation(OpBuilder &builder, Location loc,
                              Activation activation, Value x);

/// Builds `activation(x)` for a scalar float `x`, with `params` for relu and
/// leaky_relu. Only for elementwise activations.
Value buildElementwiseActivation(OpBuilder &builder, Location loc,
                                 Activation activation, Value x,
                                 const ActivationParams &params);

} // namespace dwconv
} // namespace mlir

#endif // DWCONV_CONVERSION_DWCONVTOLINALG_DWCONVTOLINALG_H
