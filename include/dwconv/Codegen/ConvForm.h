//===- ConvForm.h - a layer kernel's linalg form, read back -----*- C++ -*-===//
//
// The CPU vector path and the GPU mapping both write a layer's computation
// themselves, from what convert-dwconv-to-linalg made of it: the depthwise
// contraction, its zero-fill and padding, the layout transposes and the
// element-wise epilogue. This reads those back.
//
//===----------------------------------------------------------------------===//

#ifndef DWCONV_CODEGEN_CONVFORM_H
#define DWCONV_CODEGEN_CONVFORM_H

#include "dwconv/Target/LayerABI.h"

#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"

#include <string>

namespace mlir {
namespace dwconv {

/// The layer as the linalg form spells it.
struct ConvForm {
  bufferization::MaterializeInDestinationOp store;
  /// NHWC input (before padding), (kh, kw, C * M) filter, optional bias.
  Value input, filter, bias;
  /// The element-wise epilogue, if any.
  linalg::GenericOp epilogue;
  /// softmax and log_softmax over the last axis (after the epilogue and the
  /// layout transpose): the generic that normalizes each element from the
  /// axis' max and sum of exp(x - max), its body (max, sum, x) -> y.
  linalg::GenericOp softmax;
  /// sparsemax over the last axis (after the epilogue and the layout
  /// transpose): its last generic, which writes max(x - tau, 0) from each
  /// row's support size and sum (the code that computes them is Keras's
  /// formula, LastAxisActivations.cpp; a reader recomputes it).
  linalg::GenericOp sparsemax;
  /// glu over the last axis (after the epilogue and the layout transpose):
  /// the generic over (.., half, 2) that multiplies 1 * a * sigmoid(b), its
  /// body (x, unused, acc) -> acc * (k == 1 ? sigmoid(x) : x) at k = index 4.
  linalg::GenericOp glu;
  /// Zero rows above and columns left of the input (dynamic with 'same'
  /// padding of a dynamic height or width).
  OpFoldResult padTop, padLeft;
  int64_t strideH = 1, strideW = 1, dilationH = 1, dilationW = 1;
  int64_t kernelH = 1, kernelW = 1, multiplier = 1, outChannels = 1;
  /// The layer is channels_first: input and output are NCHW (the linalg
  /// form transposes around an NHWC contraction).
  bool channelsFirst = false;
};

/// The layer's linalg form in `func`, or failure with the reason it is not
/// one of the forms the conversion makes.
FailureOr<ConvForm> matchConvForm(func::FuncOp func, const LayerABI &layer,
                                  std::string &reason);

} // namespace dwconv
} // namespace mlir

#endif // DWCONV_CODEGEN_CONVFORM_H
