//===- DWConvOps.cpp - dwconv.depthwise_conv2d ----------------------------===//
//
// Verification, result-type inference, shape reification and the custom
// assembly format of the Keras DepthwiseConv2D op. Every shape rule lives in
// inferResultType() so that the parser, the verifier, the type-inferring
// builders and dwconv-infer-shapes agree on every message and every size.
//
//===----------------------------------------------------------------------===//

#include "dwconv/Dialect/DWConv/IR/DWConv.h"
#include "dwconv/Support/Limits.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/OpImplementation.h"
#include "mlir/IR/TypeUtilities.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/CheckedArithmetic.h"
#include "llvm/Support/MathExtras.h"

using namespace mlir;
using namespace mlir::dwconv;

//===----------------------------------------------------------------------===//
// Shape rules
//===----------------------------------------------------------------------===//

bool mlir::dwconv::isSupportedElementType(Type type) { return type.isF32(); }

StringRef mlir::dwconv::getSupportedElementTypesDescription() { return "f32"; }

std::optional<int64_t> mlir::dwconv::computeOutputSize(
    int64_t inputSize, int64_t kernelSize, int64_t stride, int64_t dilation,
    Padding padding, int64_t padBefore, int64_t padAfter) {
  // span = (k - 1) * dilation: the dilated kernel is span + 1 wide.
  std::optional<int64_t> span = llvm::checkedMul(kernelSize - 1, dilation);
  if (!span || !llvm::checkedAdd(*span, int64_t(1)))
    return std::nullopt;
  std::optional<int64_t> extent = inputSize;
  if (padding == Padding::explicit_pads) {
    extent = llvm::checkedAdd(inputSize, padBefore);
    if (extent)
      extent = llvm::checkedAdd(*extent, padAfter);
  }
  if (extent && padding != Padding::same)
    extent = llvm::checkedSub(*extent, *span);
  if (!extent)
    return std::nullopt;
  if (*extent <= 0)
    return 0;
  return llvm::divideCeil(*extent, stride);
}

static std::string formatList(ArrayRef<int64_t> values) {
  std::string text;
  llvm::raw_string_ostream os(text);
  os << '[';
  llvm::interleaveComma(values, os);
  os << ']';
  return text;
}

static StringRef getDimName(TensorLayout layout, unsigned dim) {
  if (dim == layout.batch)
    return "batch";
  if (dim == layout.channels)
    return "channels";
  return dim == layout.height ? "height" : "width";
}

static StringRef getLayoutDescription(DataFormat format) {
  return format == DataFormat::channels_first ? "(N, C, H, W)" : "(N, H, W, C)";
}

/// Emits an error prefixed like Operation::emitOpError, so that the messages
/// read the same whether they come from the parser, a builder or the verifier.
template <typename... Args>
static LogicalResult emitConvError(std::optional<Location> loc,
                                   Args &&...args) {
  return emitOptionalError(loc, "'", DepthwiseConv2DOp::getOperationName(),
                           "' op ", std::forward<Args>(args)...);
}

static FailureOr<RankedTensorType> checkRank(std::optional<Location> loc,
                                             StringRef name, Type type,
                                             int64_t rank, StringRef layout) {
  auto tensorType = dyn_cast<RankedTensorType>(type);
  if (!tensorType || tensorType.getRank() != rank) {
    (void)emitConvError(loc, "'", name, "' must be a rank-", rank, " tensor ",
                        layout, ", got ", type);
    return failure();
  }
  return tensorType;
}

static LogicalResult checkPositivePair(std::optional<Location> loc,
                                       StringRef name,
                                       ArrayRef<int64_t> values) {
  if (values.size() != 2)
    return emitConvError(loc, "'", name,
                         "' must have 2 values (height, width), got ",
                         values.size());
  if (llvm::any_of(values, [](int64_t v) { return v <= 0; }))
    return emitConvError(loc, "'", name, "' must be positive, got ",
                         formatList(values));
  if (llvm::any_of(values, [](int64_t v) { return v > limits::kMaxSize; }))
    return emitConvError(loc, "'", name, "' must be at most ", limits::kMaxSize,
                         ", got ", formatList(values));
  return success();
}

namespace {
/// Operand types once their ranks are checked; `bias` is null without one.
struct ConvOperandTypes {
  RankedTensorType input, kernel, bias;
};
} // namespace

/// Checks that kernel and bias share the input's supported element type.
static LogicalResult checkElementTypes(std::optional<Location> loc,
                                       const ConvOperandTypes &types) {
  Type elementType = types.input.getElementType();
  for (auto [name, type] : {std::pair<StringRef, RankedTensorType>{
                                "depthwise_kernel", types.kernel},
                            {"bias", types.bias}}) {
    if (type && type.getElementType() != elementType)
      return emitConvError(loc, "element type mismatch: '", name, "' has ",
                           type.getElementType(), " but 'input' has ",
                           elementType);
  }
  if (!isSupportedElementType(elementType))
    return emitConvError(loc, "element type ", elementType,
                         " is not supported (supported: ",
                         getSupportedElementTypesDescription(), ")");
  return success();
}

/// Checks that static dims and element counts are within the bounds of
/// dwconv/Support/Limits.h.
static LogicalResult checkSizeLimits(std::optional<Location> loc,
                                     const ConvOperandTypes &types) {
  for (auto [name, type] :
       {std::pair<StringRef, RankedTensorType>{"input", types.input},
        {"depthwise_kernel", types.kernel},
        {"bias", types.bias}}) {
    if (!type)
      continue;
    int64_t elements = 1;
    for (int64_t size : type.getShape()) {
      if (ShapedType::isDynamic(size))
        continue;
      if (size > limits::kMaxSize)
        return emitConvError(loc, "'", name, "' has a dim of ", size,
                             ", above the limit ", limits::kMaxSize);
      if (llvm::MulOverflow(elements, size, elements) ||
          elements > limits::kMaxElements)
        return emitConvError(loc, "'", name, "' ", type,
                             " has more elements than the limit ",
                             limits::kMaxElements);
    }
  }
  return success();
}

/// Checks the operands' ranks and element types; `biasType` may be null.
static FailureOr<ConvOperandTypes>
checkOperandTypes(std::optional<Location> loc, Type inputType, Type kernelType,
                  Type biasType, DataFormat format) {
  FailureOr<RankedTensorType> input =
      checkRank(loc, "input", inputType, 4, getLayoutDescription(format));
  if (failed(input))
    return failure();
  FailureOr<RankedTensorType> kernel =
      checkRank(loc, "depthwise_kernel", kernelType, 4, "(kh, kw, C, M)");
  if (failed(kernel))
    return failure();
  ConvOperandTypes types{*input, *kernel, RankedTensorType()};
  if (biasType) {
    FailureOr<RankedTensorType> bias =
        checkRank(loc, "bias", biasType, 1, "(C * M)");
    if (failed(bias))
      return failure();
    types.bias = *bias;
  }
  if (failed(checkElementTypes(loc, types)) ||
      failed(checkSizeLimits(loc, types)))
    return failure();
  return types;
}

/// Checks strides, dilation_rate and pads. Strides and dilation > 1 together is
/// Keras 3's rule (tf.keras 2 refuses it: the Keras frontend applies that
/// version's rule).
static LogicalResult checkWindowAttributes(std::optional<Location> loc,
                                           const ConvConfig &config) {
  if (failed(checkPositivePair(loc, "strides", config.strides)) ||
      failed(checkPositivePair(loc, "dilation_rate", config.dilation)))
    return failure();
  bool padded = config.padding == Padding::explicit_pads;
  if (padded != !config.pads.empty())
    return emitConvError(loc, padded ? "explicit padding needs 'pads' "
                                       "[top, bottom, left, right]"
                                     : "'pads' is only for explicit padding");
  if (padded && config.pads.size() != 4)
    return emitConvError(loc,
                         "'pads' must have 4 values [top, bottom, left, "
                         "right], got ",
                         config.pads.size());
  if (llvm::any_of(config.pads, [](int64_t v) { return v < 0; }))
    return emitConvError(loc, "'pads' must be non-negative, got ",
                         formatList(config.pads));
  if (llvm::any_of(config.pads, [](int64_t v) { return v > limits::kMaxSize; }))
    return emitConvError(loc, "'pads' must be at most ", limits::kMaxSize,
                         ", got ", formatList(config.pads));
  return success();
}

/// Checks the kernel's static (kh, kw, M), its C > 0 and C against the input.
static LogicalResult checkKernelShape(std::optional<Location> loc,
                                      const ConvOperandTypes &types,
                                      DataFormat format) {
  ArrayRef<int64_t> kernelShape = types.kernel.getShape();
  auto isPositiveStatic = [](int64_t size) {
    return !ShapedType::isDynamic(size) && size > 0;
  };
  if (!isPositiveStatic(kernelShape[kKernelHeight]) ||
      !isPositiveStatic(kernelShape[kKernelWidth]) ||
      !isPositiveStatic(kernelShape[kKernelMultiplier]) ||
      kernelShape[kKernelChannels] == 0)
    return emitConvError(loc,
                         "'depthwise_kernel' must have a static positive "
                         "kernel size (kh, kw) and depth multiplier (M), and "
                         "C > 0, got ",
                         types.kernel);

  TensorLayout layout = TensorLayout::get(format);
  int64_t inputChannels = types.input.getDimSize(layout.channels);
  int64_t kernelChannels = kernelShape[kKernelChannels];
  if (!ShapedType::isDynamic(inputChannels) &&
      !ShapedType::isDynamic(kernelChannels) && inputChannels != kernelChannels)
    return emitConvError(loc, "'depthwise_kernel' has ", kernelChannels,
                         " channels (dim 2 of (kh, kw, C, M)) but 'input' has ",
                         inputChannels, " (dim ", layout.channels, " of ",
                         getLayoutDescription(format), ")");
  return success();
}

/// Returns C * M (dynamic while C is), checked against and pinned by the bias.
static FailureOr<int64_t> inferOutputChannels(std::optional<Location> loc,
                                              const ConvOperandTypes &types,
                                              TensorLayout layout) {
  int64_t multiplier = types.kernel.getDimSize(kKernelMultiplier);
  int64_t kernelChannels = types.kernel.getDimSize(kKernelChannels);
  int64_t channels = ShapedType::isDynamic(kernelChannels)
                         ? types.input.getDimSize(layout.channels)
                         : kernelChannels;
  int64_t outputChannels = ShapedType::isDynamic(channels)
                               ? ShapedType::kDynamic
                               : channels * multiplier;
  RankedTensorType bias = types.bias;
  if (!bias || bias.isDynamicDim(0))
    return outputChannels;
  int64_t biasSize = bias.getDimSize(0);
  if (!ShapedType::isDynamic(outputChannels) && biasSize != outputChannels) {
    (void)emitConvError(loc, "'bias' has ", biasSize,
                        " elements, expected C * M = ", channels, " * ",
                        multiplier, " = ", outputChannels);
    return failure();
  }
  // Without a static C, the bias still pins the output channel count.
  return biasSize;
}

/// Returns the output size of spatial dim `dim`, entry `i` of (height, width).
static FailureOr<int64_t> inferSpatialSize(std::optional<Location> loc,
                                           const ConvOperandTypes &types,
                                           const ConvConfig &config, size_t i,
                                           unsigned dim) {
  StringRef name = getDimName(TensorLayout::get(config.format), dim);
  int64_t kernelSize = types.kernel.getDimSize(i);
  std::optional<int64_t> span =
      llvm::checkedMul(kernelSize - 1, config.dilation[i]);
  if (!span || *span >= limits::kMaxSize) {
    (void)emitConvError(loc, "the dilated kernel ", name,
                        " (k - 1) * dilation + 1 must be at most ",
                        limits::kMaxSize, ", got (", kernelSize, " - 1) * ",
                        config.dilation[i], " + 1");
    return failure();
  }
  int64_t inputSize = types.input.getDimSize(dim);
  if (ShapedType::isDynamic(inputSize))
    return ShapedType::kDynamic;
  if (inputSize == 0) {
    (void)emitConvError(loc, "input ", name,
                        " is 0, which gives an empty output");
    return failure();
  }
  bool padded = config.padding == Padding::explicit_pads;
  std::optional<int64_t> outputSize = computeOutputSize(
      inputSize, kernelSize, config.strides[i], config.dilation[i],
      config.padding, padded ? config.pads[2 * i] : 0,
      padded ? config.pads[2 * i + 1] : 0);
  if (!outputSize) {
    (void)emitConvError(loc, "the ", name,
                        " sizes do not fit in int64: "
                        "input ",
                        inputSize, ", kernel ", kernelSize, ", dilation ",
                        config.dilation[i],
                        padded ? " and the explicit padding" : "");
    return failure();
  }
  if (*outputSize <= 0) {
    (void)emitConvError(
        loc,
        padded ? "the padded input "
               : "'valid' padding gives an empty "
                 "output: the input ",
        name, " (", inputSize, padded ? " + padding" : "",
        ") is smaller than the dilated kernel ", name,
        " (k - 1) * dilation + 1 = ", (kernelSize - 1) * config.dilation[i] + 1,
        padded ? ": the output is empty" : "");
    return failure();
  }
  return *outputSize;
}

/// glu splits Keras's last axis (dim 3: the channels, or the width for
/// channels_first) into halves and returns a * sigmoid(b).
static LogicalResult halveLastAxis(std::optional<Location> loc,
                                   SmallVectorImpl<int64_t> &shape,
                                   const TensorLayout &layout) {
  StringRef name = getDimName(layout, 3);
  if (ShapedType::isDynamic(shape[3]))
    return emitConvError(loc, "activation 'glu' splits the last axis (", name,
                         ") into halves: it must be static");
  if (shape[3] % 2 != 0)
    return emitConvError(loc, "activation 'glu' splits the last axis (", name,
                         ") into halves: it must be even, got ", shape[3]);
  shape[3] /= 2;
  return success();
}

FailureOr<RankedTensorType>
mlir::dwconv::inferResultType(std::optional<Location> loc, Type inputType,
                              Type kernelType, Type biasType,
                              const ConvConfig &config) {
  FailureOr<ConvOperandTypes> types =
      checkOperandTypes(loc, inputType, kernelType, biasType, config.format);
  if (failed(types) || failed(checkWindowAttributes(loc, config)) ||
      failed(checkKernelShape(loc, *types, config.format)))
    return failure();

  TensorLayout layout = TensorLayout::get(config.format);
  FailureOr<int64_t> outputChannels = inferOutputChannels(loc, *types, layout);
  if (failed(outputChannels))
    return failure();
  SmallVector<int64_t, 4> shape(4);
  shape[layout.batch] = types->input.getDimSize(layout.batch);
  shape[layout.channels] = *outputChannels;
  unsigned spatialDims[] = {layout.height, layout.width};
  for (auto [i, dim] : llvm::enumerate(spatialDims)) {
    FailureOr<int64_t> size = inferSpatialSize(loc, *types, config, i, dim);
    if (failed(size))
      return failure();
    shape[dim] = *size;
  }
  if (config.activation == Activation::glu &&
      failed(halveLastAxis(loc, shape, layout)))
    return failure();
  return RankedTensorType::get(shape, types->input.getElementType());
}

/// Reads the attributes, taking Keras's defaults for missing ones: properties
/// assembled by hand (not through Operation::create) may lack them.
static ConvConfig getConfig(DepthwiseConv2DOp::Adaptor adaptor) {
  static constexpr int64_t kOnes[] = {1, 1};
  auto pair = [](DenseI64ArrayAttr attr) -> ArrayRef<int64_t> {
    return attr ? attr.asArrayRef() : ArrayRef<int64_t>(kOnes);
  };
  PaddingAttr padding = adaptor.getPaddingAttr();
  DataFormatAttr format = adaptor.getDataFormatAttr();
  DenseI64ArrayAttr pads = adaptor.getPadsAttr();
  ActivationAttr activation = adaptor.getActivationAttr();
  return {pair(adaptor.getStridesAttr()),
          pair(adaptor.getDilationRateAttr()),
          padding ? padding.getValue() : Padding::valid,
          format ? format.getValue() : DataFormat::channels_last,
          pads ? pads.asArrayRef() : ArrayRef<int64_t>(),
          activation ? activation.getValue() : Activation::linear};
}

ConvConfig DepthwiseConv2DOp::getConvConfig() {
  return getConfig(Adaptor(*this));
}

ActivationParams DepthwiseConv2DOp::getActivationParams() {
  ActivationParams params;
  if (getActivation() == Activation::leaky_relu)
    params.negativeSlope = 0.2f;
  if (std::optional<APFloat> slope = getNegativeSlope())
    params.negativeSlope = slope->convertToFloat();
  if (std::optional<APFloat> max = getMaxValue())
    params.maxValue = max->convertToFloat();
  if (std::optional<APFloat> threshold = getThreshold())
    params.threshold = threshold->convertToFloat();
  return params;
}

std::string mlir::dwconv::formatFloat(float value) {
  char text[32];
  for (int digits = 1; digits <= 9; ++digits) {
    snprintf(text, sizeof(text), "%.*g", digits, double(value));
    if (strtof(text, nullptr) == value)
      break;
  }
  std::string result = text;
  // Keep it a float literal: "6" -> "6.0", "1e-05" -> "1.0e-05".
  if (result.find_first_of(".ni") == std::string::npos)
    result.insert(std::min(result.find('e'), result.size()), ".0");
  return result;
}

std::string mlir::dwconv::describeActivation(Activation activation,
                                             const ActivationParams &params) {
  std::string text = stringifyActivation(activation).str();
  llvm::raw_string_ostream os(text);
  bool leaky = activation == Activation::leaky_relu;
  SmallVector<std::string, 3> parts;
  auto add = [&](StringRef name, float value) {
    parts.push_back((name + " = " + formatFloat(value)).str());
  };
  if (params.negativeSlope != (leaky ? 0.2f : 0.0f))
    add("negative_slope", params.negativeSlope);
  if (params.maxValue)
    add("max_value", *params.maxValue);
  if (params.threshold != 0.0f)
    add("threshold", params.threshold);
  if (!parts.empty())
    os << "(" << llvm::join(parts, ", ") << ")";
  return text;
}

static Type getTypeOrNull(Value value) {
  return value ? value.getType() : Type();
}

//===----------------------------------------------------------------------===//
// InferTypeOpInterface
//===----------------------------------------------------------------------===//

LogicalResult DepthwiseConv2DOp::inferReturnTypes(
    MLIRContext *, std::optional<Location> location, Adaptor adaptor,
    SmallVectorImpl<Type> &inferredReturnTypes) {
  FailureOr<RankedTensorType> type =
      inferResultType(location, adaptor.getInput().getType(),
                      adaptor.getDepthwiseKernel().getType(),
                      getTypeOrNull(adaptor.getBias()), getConfig(adaptor));
  if (failed(type))
    return failure();
  inferredReturnTypes.push_back(*type);
  return success();
}

// A `?` on either side is compatible with any size: dwconv-infer-shapes relies
// on this to hold dynamic results of ops whose operands became static.
bool DepthwiseConv2DOp::isCompatibleReturnTypes(TypeRange lhs, TypeRange rhs) {
  if (lhs.size() != rhs.size())
    return false;
  return llvm::all_of(llvm::zip_equal(lhs, rhs), [](auto pair) {
    auto [l, r] = pair;
    auto lt = dyn_cast<RankedTensorType>(l);
    auto rt = dyn_cast<RankedTensorType>(r);
    return lt && rt && lt.getElementType() == rt.getElementType() &&
           succeeded(verifyCompatibleShape(lt, rt));
  });
}

//===----------------------------------------------------------------------===//
// Verifier
//===----------------------------------------------------------------------===//

/// Checks that parameters are given only to relu (all) and leaky_relu (the
/// slope), and are finite and >= 0 as Keras requires.
static LogicalResult checkActivationParams(DepthwiseConv2DOp op) {
  Activation activation = op.getActivation();
  std::pair<StringRef, std::optional<APFloat>> params[] = {
      {"negative_slope", op.getNegativeSlope()},
      {"max_value", op.getMaxValue()},
      {"threshold", op.getThreshold()}};
  for (auto &[name, value] : params) {
    if (!value)
      continue;
    bool allowed =
        activation == Activation::relu ||
        (activation == Activation::leaky_relu && name == "negative_slope");
    if (!allowed)
      return emitConvError(op.getLoc(), "activation ",
                           stringifyActivation(activation),
                           " takes no parameter '", name,
                           "' (relu takes negative_slope, max_value and "
                           "threshold; leaky_relu negative_slope)");
    if (!value->isFinite() || value->isNegative())
      return emitConvError(op.getLoc(), "activation parameter '", name,
                           "' must be finite and >= 0, got ",
                           value->convertToDouble());
  }
  return success();
}

LogicalResult DepthwiseConv2DOp::verify() {
  if (failed(checkActivationParams(*this)))
    return failure();
  FailureOr<RankedTensorType> inferred = inferResultType(
      getLoc(), getInput().getType(), getDepthwiseKernel().getType(),
      getTypeOrNull(getBias()), getConfig(Adaptor(*this)));
  if (failed(inferred))
    return failure();

  auto resultType = cast<RankedTensorType>(getOutput().getType());
  if (resultType.getRank() != 4)
    return emitConvError(getLoc(), "result must be a rank-4 tensor ",
                         getLayoutDescription(getDataFormat()), ", got ",
                         resultType);
  if (resultType.getElementType() != inferred->getElementType())
    return emitConvError(getLoc(), "element type mismatch: the result has ",
                         resultType.getElementType(), " but 'input' has ",
                         inferred->getElementType());
  for (unsigned dim = 0; dim < 4; ++dim) {
    int64_t actual = resultType.getDimSize(dim);
    int64_t expected = inferred->getDimSize(dim);
    if (ShapedType::isDynamic(actual) || ShapedType::isDynamic(expected) ||
        actual == expected)
      continue;
    return emitConvError(getLoc(), "result type ", resultType,
                         " contradicts the inferred type ", *inferred,
                         " in dim ", dim, " (", getDimName(getLayout(), dim),
                         "): expected ", expected, ", got ", actual);
  }
  return success();
}

//===----------------------------------------------------------------------===//
// ReifyRankedShapedTypeOpInterface
//===----------------------------------------------------------------------===//

LogicalResult DepthwiseConv2DOp::reifyResultShapes(
    OpBuilder &builder, ReifiedRankedShapedTypeDims &reifiedReturnShapes) {
  Location loc = getLoc();
  auto resultType = cast<RankedTensorType>(getOutput().getType());
  auto kernelType = cast<RankedTensorType>(getDepthwiseKernel().getType());
  TensorLayout layout = getLayout();
  Value input = getInput();
  auto constant = [&](int64_t value) -> Value {
    return arith::ConstantIndexOp::create(builder, loc, value);
  };
  auto inputDim = [&](unsigned dim) -> Value {
    return builder.createOrFold<tensor::DimOp>(loc, input, dim);
  };

  SmallVector<OpFoldResult> shape(4);
  for (unsigned dim = 0; dim < 4; ++dim) {
    if (!resultType.isDynamicDim(dim)) {
      shape[dim] = builder.getIndexAttr(resultType.getDimSize(dim));
      continue;
    }
    if (dim == layout.batch) {
      shape[dim] = inputDim(dim);
      continue;
    }
    if (dim == layout.channels) {
      // A dynamic result channel count means C is dynamic in the kernel and
      // in the input (a static bias length would have pinned it).
      shape[dim] = builder.createOrFold<arith::MulIOp>(
          loc, inputDim(dim),
          constant(kernelType.getDimSize(kKernelMultiplier)));
      continue;
    }
    unsigned spatial = dim == layout.height ? 0 : 1;
    Value extent = inputDim(dim);
    if (getPadding() == Padding::explicit_pads)
      extent = builder.createOrFold<arith::AddIOp>(
          loc, extent,
          constant((*getPads())[2 * spatial] + (*getPads())[2 * spatial + 1]));
    if (getPadding() != Padding::same) {
      int64_t dilatedKernel =
          (kernelType.getDimSize(spatial) - 1) * getDilationRate()[spatial];
      extent = builder.createOrFold<arith::SubIOp>(loc, extent,
                                                   constant(dilatedKernel));
    }
    shape[dim] = builder.createOrFold<arith::CeilDivSIOp>(
        loc, extent, constant(getStrides()[spatial]));
  }
  reifiedReturnShapes.push_back(std::move(shape));
  return success();
}

//===----------------------------------------------------------------------===//
// Custom assembly format
//
//   dwconv.depthwise_conv2d %input, %kernel[, %bias]
//       [strides [sh, sw]] [dilation_rate [dh, dw]] [padding valid|same]
//       [data_format channels_last|channels_first] [activation NAME]
//       attr-dict : input-type, kernel-type[, bias-type] [-> result-type]
//
// Keyword groups may come in any order; each defaults to its Keras default.
//===----------------------------------------------------------------------===//

static constexpr StringLiteral kStrides = "strides";
static constexpr StringLiteral kDilationRate = "dilation_rate";
static constexpr StringLiteral kPadding = "padding";
static constexpr StringLiteral kDataFormat = "data_format";
static constexpr StringLiteral kActivation = "activation";

/// Keras spellings that name the same function as one of our cases.
static std::optional<Activation> symbolizeActivationAlias(StringRef name) {
  return llvm::StringSwitch<std::optional<Activation>>(name)
      .Case("swish", Activation::silu)
      .Case("hard_swish", Activation::hard_silu)
      .Default(std::nullopt);
}

static std::string listActivations() {
  std::string text;
  llvm::raw_string_ostream os(text);
  for (uint32_t i = 0; i <= getMaxEnumValForActivation(); ++i)
    os << (i ? ", " : "") << stringifyActivation(static_cast<Activation>(i));
  os << " (aliases: swish, hard_swish)";
  return text;
}

static ParseResult parseIntegerPair(OpAsmParser &parser,
                                    DenseI64ArrayAttr &attr) {
  SmallVector<int64_t, 2> values;
  if (parser.parseCommaSeparatedList(
          AsmParser::Delimiter::Square, [&]() -> ParseResult {
            return parser.parseInteger(values.emplace_back());
          }))
    return failure();
  attr = parser.getBuilder().getDenseI64ArrayAttr(values);
  return success();
}

/// Parses a keyword (or string) and maps it through `symbolize`, reporting
/// `expected` when it names no case.
template <typename EnumT>
static ParseResult
parseEnumKeyword(OpAsmParser &parser, StringRef group,
                 std::optional<EnumT> (*symbolize)(StringRef), EnumT &value,
                 llvm::function_ref<std::string(StringRef)> describeError) {
  SMLoc loc = parser.getCurrentLocation();
  std::string name;
  if (parser.parseKeywordOrString(&name))
    return failure();
  std::optional<EnumT> parsed = symbolize(name);
  if (!parsed)
    return parser.emitError(loc) << "invalid " << group << " '" << name
                                 << "': " << describeError(name);
  value = *parsed;
  return success();
}

/// Parses the value of a `padding` clause: valid, same, or explicit
/// [top, bottom, left, right].
static ParseResult parsePaddingValue(OpAsmParser &parser,
                                     DepthwiseConv2DOp::Properties &props) {
  if (succeeded(parser.parseOptionalLSquare())) {
    SmallVector<int64_t, 4> pads;
    if (parser.parseCommaSeparatedList([&]() -> ParseResult {
          return parser.parseInteger(pads.emplace_back());
        }) ||
        parser.parseRSquare())
      return failure();
    props.pads = parser.getBuilder().getDenseI64ArrayAttr(pads);
    props.padding =
        PaddingAttr::get(parser.getContext(), Padding::explicit_pads);
    return success();
  }
  Padding padding = Padding::valid;
  if (parseEnumKeyword<Padding>(
          parser, kPadding,
          [](StringRef name) {
            std::optional<Padding> value = symbolizePadding(name);
            return value == Padding::explicit_pads ? std::nullopt : value;
          },
          padding,
          [](StringRef name) -> std::string {
            if (name == "causal")
              return "causal padding exists only for 1-D convolutions; "
                     "expected 'valid', 'same' or [top, bottom, left, right]";
            return "expected 'valid', 'same' or [top, bottom, left, right]";
          }))
    return failure();
  props.padding = PaddingAttr::get(parser.getContext(), padding);
  return success();
}

/// Parses the value of a `data_format` clause.
static ParseResult parseDataFormatValue(OpAsmParser &parser,
                                        DataFormatAttr &attr) {
  DataFormat dataFormat = DataFormat::channels_last;
  if (parseEnumKeyword<DataFormat>(
          parser, kDataFormat, symbolizeDataFormat, dataFormat,
          [](StringRef) -> std::string {
            return "expected 'channels_last' or 'channels_first'";
          }))
    return failure();
  attr = DataFormatAttr::get(parser.getContext(), dataFormat);
  return success();
}

/// Parses `(name = value, ...)` after an activation into `props`.
static ParseResult parseActivationParams(OpAsmParser &parser,
                                         DepthwiseConv2DOp::Properties &props) {
  if (failed(parser.parseOptionalLParen()))
    return success();
  Builder &builder = parser.getBuilder();
  ParseResult parsed = parser.parseCommaSeparatedList([&]() -> ParseResult {
    SMLoc loc = parser.getCurrentLocation();
    StringRef name;
    double value = 0;
    if (parser.parseKeyword(&name) || parser.parseEqual() ||
        parser.parseFloat(value))
      return failure();
    FloatAttr attr = builder.getF32FloatAttr(value);
    FloatAttr *slot = llvm::StringSwitch<FloatAttr *>(name)
                          .Case("negative_slope", &props.negative_slope)
                          .Case("max_value", &props.max_value)
                          .Case("threshold", &props.threshold)
                          .Default(nullptr);
    if (!slot)
      return parser.emitError(loc)
             << "unknown activation parameter '" << name
             << "' (expected negative_slope, max_value or threshold)";
    if (*slot)
      return parser.emitError(loc)
             << "'" << name << "' is given more than once";
    *slot = attr;
    return success();
  });
  return failure(failed(parsed) || failed(parser.parseRParen()));
}

/// Parses the value of an `activation` clause, Keras aliases and parameters
/// included.
static ParseResult parseActivationValue(OpAsmParser &parser,
                                        DepthwiseConv2DOp::Properties &props) {
  Activation activation = Activation::linear;
  if (parseEnumKeyword<Activation>(
          parser, kActivation,
          [](StringRef name) {
            std::optional<Activation> value = symbolizeActivation(name);
            return value ? value : symbolizeActivationAlias(name);
          },
          activation,
          [](StringRef) { return "expected one of " + listActivations(); }))
    return failure();
  props.activation = ActivationAttr::get(parser.getContext(), activation);
  return parseActivationParams(parser, props);
}

/// Parses the value of the clause that `keyword` starts into `props`.
static ParseResult parseClauseValue(OpAsmParser &parser, StringRef keyword,
                                    DepthwiseConv2DOp::Properties &props) {
  if (keyword == kStrides)
    return parseIntegerPair(parser, props.strides);
  if (keyword == kDilationRate)
    return parseIntegerPair(parser, props.dilation_rate);
  if (keyword == kPadding)
    return parsePaddingValue(parser, props);
  if (keyword == kDataFormat)
    return parseDataFormatValue(parser, props.data_format);
  return parseActivationValue(parser, props);
}

/// Parses the optional keyword clauses (any order, each once) into `props`.
static ParseResult parseClauses(OpAsmParser &parser,
                                DepthwiseConv2DOp::Properties &props) {
  MLIRContext *ctx = parser.getContext();
  Builder &builder = parser.getBuilder();
  props.strides = builder.getDenseI64ArrayAttr({1, 1});
  props.dilation_rate = builder.getDenseI64ArrayAttr({1, 1});
  props.padding = PaddingAttr::get(ctx, Padding::valid);
  props.data_format = DataFormatAttr::get(ctx, DataFormat::channels_last);
  props.activation = ActivationAttr::get(ctx, Activation::linear);

  llvm::StringSet<> seen;
  while (true) {
    SMLoc keywordLoc = parser.getCurrentLocation();
    StringRef keyword;
    if (failed(parser.parseOptionalKeyword(
            &keyword,
            {kStrides, kDilationRate, kPadding, kDataFormat, kActivation})))
      return success();
    if (!seen.insert(keyword).second)
      return parser.emitError(keywordLoc)
             << "'" << keyword << "' is given more than once";
    if (parseClauseValue(parser, keyword, props))
      return failure();
  }
}

/// Parses the operand list: input, depthwise_kernel and an optional bias.
static ParseResult
parseConvOperands(OpAsmParser &parser,
                  SmallVectorImpl<OpAsmParser::UnresolvedOperand> &operands) {
  SMLoc operandsLoc = parser.getCurrentLocation();
  if (parser.parseOperandList(operands))
    return failure();
  if (operands.size() != 2 && operands.size() != 3)
    return parser.emitError(operandsLoc)
           << "expected 2 or 3 operands (input, depthwise_kernel[, bias]), got "
           << operands.size();
  return success();
}

/// Parses one type per operand and resolves the operands into `resolved`.
static ParseResult
parseOperandTypes(OpAsmParser &parser,
                  ArrayRef<OpAsmParser::UnresolvedOperand> operands,
                  SMLoc operandsLoc, SmallVectorImpl<Type> &operandTypes,
                  SmallVectorImpl<Value> &resolved) {
  SMLoc typesLoc = parser.getCurrentLocation();
  if (parser.parseTypeList(operandTypes))
    return failure();
  if (operandTypes.size() != operands.size())
    return parser.emitError(typesLoc)
           << "expected " << operands.size() << " operand types, got "
           << operandTypes.size();
  return parser.resolveOperands(operands, operandTypes, operandsLoc, resolved);
}

ParseResult DepthwiseConv2DOp::parse(OpAsmParser &parser,
                                     OperationState &result) {
  SMLoc operandsLoc = parser.getCurrentLocation();
  SmallVector<OpAsmParser::UnresolvedOperand, 3> operands;
  SmallVector<Type, 3> operandTypes;
  Properties &props = result.getOrAddProperties<Properties>();
  if (parseConvOperands(parser, operands) || parseClauses(parser, props) ||
      parser.parseOptionalAttrDict(result.attributes) || parser.parseColon() ||
      parseOperandTypes(parser, operands, operandsLoc, operandTypes,
                        result.operands))
    return failure();

  if (succeeded(parser.parseOptionalArrow())) {
    Type resultType;
    if (parser.parseType(resultType))
      return failure();
    result.addTypes(resultType);
    return success();
  }
  // No result type written: infer it (and report any rule it breaks).
  ConvConfig config{props.strides.asArrayRef(),
                    props.dilation_rate.asArrayRef(),
                    props.padding.getValue(),
                    props.data_format.getValue(),
                    props.pads ? props.pads.asArrayRef() : ArrayRef<int64_t>(),
                    props.activation.getValue()};
  FailureOr<RankedTensorType> inferred = inferResultType(
      result.location, operandTypes[0], operandTypes[1],
      operandTypes.size() == 3 ? operandTypes[2] : Type(), config);
  if (failed(inferred))
    return failure();
  result.addTypes(*inferred);
  return success();
}

void DepthwiseConv2DOp::print(OpAsmPrinter &p) {
  p << ' ' << getOperands();
  auto printPair = [&](StringRef keyword, ArrayRef<int64_t> values) {
    if (values != ArrayRef<int64_t>{1, 1})
      p << ' ' << keyword << ' ' << formatList(values);
  };
  printPair(kStrides, getStrides());
  printPair(kDilationRate, getDilationRate());
  if (getPadding() == Padding::explicit_pads && getPads())
    p << ' ' << kPadding << ' ' << formatList(*getPads());
  else if (getPadding() != Padding::valid)
    p << ' ' << kPadding << ' ' << stringifyPadding(getPadding());
  if (getDataFormat() != DataFormat::channels_last)
    p << ' ' << kDataFormat << ' ' << stringifyDataFormat(getDataFormat());
  if (getActivation() != Activation::linear)
    p << ' ' << kActivation << ' ' << stringifyActivation(getActivation());
  SmallVector<std::string, 3> params;
  for (auto [name, value] : {std::pair<StringRef, std::optional<APFloat>>{
                                 "negative_slope", getNegativeSlope()},
                             {"max_value", getMaxValue()},
                             {"threshold", getThreshold()}}) {
    if (!value)
      continue;
    params.push_back(
        (name + " = " + formatFloat(value->convertToFloat())).str());
  }
  if (!params.empty())
    p << "(" << llvm::join(params, ", ") << ")";
  p.printOptionalAttrDict((*this)->getAttrs(),
                          {kStrides, kDilationRate, kPadding, kDataFormat,
                           kActivation, "pads", "negative_slope", "max_value",
                           "threshold"});
  p << " : ";
  llvm::interleaveComma(getOperandTypes(), p);
  p << " -> " << getOutput().getType();
}

#define GET_OP_CLASSES
#include "dwconv/Dialect/DWConv/IR/DWConvOps.cpp.inc"
