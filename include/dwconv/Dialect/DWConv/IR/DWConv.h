//===- DWConv.h - dwconv dialect, attributes and ops ------------*- C++ -*-===//

#ifndef DWCONV_DIALECT_DWCONV_IR_DWCONV_H
#define DWCONV_DIALECT_DWCONV_IR_DWCONV_H

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Dialect.h"
#include "mlir/IR/OpDefinition.h"
#include "mlir/IR/OpImplementation.h"
#include "mlir/Interfaces/InferTypeOpInterface.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

#include "dwconv/Dialect/DWConv/IR/DWConvOpsDialect.h.inc"

#include "dwconv/Dialect/DWConv/IR/DWConvEnums.h.inc"

#define GET_ATTRDEF_CLASSES
#include "dwconv/Dialect/DWConv/IR/DWConvAttrs.h.inc"

namespace mlir {
namespace dwconv {

/// Positions of the batch, channel and spatial dims of the op's input and
/// result tensors in a given data format.
struct TensorLayout {
  unsigned batch, height, width, channels;

  static TensorLayout get(DataFormat format) {
    if (format == DataFormat::channels_first)
      return {0, 2, 3, 1};
    return {0, 1, 2, 3};
  }
};

/// Positions in the Keras kernel layout (kh, kw, C, M).
enum KernelDim : unsigned {
  kKernelHeight = 0,
  kKernelWidth = 1,
  kKernelChannels = 2,
  kKernelMultiplier = 3
};

/// The one place that says which element types the op accepts.
bool isSupportedElementType(Type type);
/// The accepted element types, for diagnostics ("f32").
StringRef getSupportedElementTypesDescription();

/// Keras's output size of one spatial dim for a static input size;
/// `padBefore` and `padAfter` are the explicit padding's (ignored otherwise).
/// A result <= 0 means the layer would produce an empty output; none means a
/// size on the way does not fit in int64.
std::optional<int64_t> computeOutputSize(int64_t inputSize, int64_t kernelSize,
                                         int64_t stride, int64_t dilation,
                                         Padding padding, int64_t padBefore = 0,
                                         int64_t padAfter = 0);

/// The attributes that the result shape depends on.
struct ConvConfig {
  ArrayRef<int64_t> strides;
  ArrayRef<int64_t> dilation;
  Padding padding;
  DataFormat format;
  /// (top, bottom, left, right) for Padding::explicit_pads, else empty.
  ArrayRef<int64_t> pads = {};
  /// glu halves the result's last axis.
  Activation activation = Activation::linear;
};

/// Keras's parameters of `relu` (all three) and `leaky_relu` (the slope).
struct ActivationParams {
  float negativeSlope = 0.0f;
  std::optional<float> maxValue;
  float threshold = 0.0f;

  bool operator==(const ActivationParams &other) const {
    return negativeSlope == other.negativeSlope && maxValue == other.maxValue &&
           threshold == other.threshold;
  }
};

/// The shortest decimal that reads back as `value`, always with a '.'
/// ("6.0", "0.1", "1.0e-05").
std::string formatFloat(float value);

/// "relu", "relu(negative_slope = 0.1, max_value = 6)" (non-default
/// parameters only), "leaky_relu(negative_slope = 0.3)".
std::string describeActivation(Activation activation,
                               const ActivationParams &params);

/// Checks operand types (`biasType` may be null) and attributes against every
/// rule of dwconv.depthwise_conv2d and returns the result type Keras would
/// produce, or emits the first broken rule at `loc`. Dynamic input dims give
/// dynamic result dims; checks involving them are left to run time.
FailureOr<RankedTensorType> inferResultType(std::optional<Location> loc,
                                            Type inputType, Type kernelType,
                                            Type biasType,
                                            const ConvConfig &config);

/// StringAttr on a layer function (a discardable attribute the Keras
/// frontend sets): the Keras layers folded into its op, "name (ClassName)",
/// comma-separated; the compiler carries it into the header and metadata.
constexpr StringLiteral kFoldedLayersAttr = "dwconv.folded_layers";
/// StringAttr on a layer function: the Keras layer name, verbatim.
constexpr StringLiteral kKerasNameAttr = "dwconv.keras_name";
/// StringAttr on a spec module from a Keras model: the name of its layer
/// table, dwconv_<model>_layers (the --name prefix, or the model's name).
constexpr StringLiteral kModelAttr = "dwconv.model";

} // namespace dwconv
} // namespace mlir

#define GET_OP_CLASSES
#include "dwconv/Dialect/DWConv/IR/DWConvOps.h.inc"

#endif // DWCONV_DIALECT_DWCONV_IR_DWCONV_H
