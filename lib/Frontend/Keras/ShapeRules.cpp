//===- ShapeRules.cpp - output shapes of Keras layers ---------------------===//
//
// Each rule follows the layer's compute_output_shape in Keras 3 (the same
// arithmetic as tf.keras 2). Unknown dims stay unknown.
//
//===----------------------------------------------------------------------===//

#include "dwconv/Frontend/Keras/ShapeRules.h"

#include "dwconv/Dialect/DWConv/IR/DWConv.h"

#include "llvm/ADT/StringSwitch.h"
#include "llvm/Support/MathExtras.h"

using namespace mlir;
using namespace mlir::dwconv;
namespace json = llvm::json;

static constexpr int64_t kUnknown = ShapedType::kDynamic;

std::optional<KerasShape>
mlir::dwconv::readKerasShape(const json::Value *value) {
  const json::Array *list = value ? value->getAsArray() : nullptr;
  if (!list)
    return std::nullopt;
  KerasShape shape;
  for (const json::Value &dim : *list) {
    if (dim.kind() == json::Value::Null)
      shape.push_back(kUnknown);
    else if (std::optional<int64_t> n = dim.getAsInteger(); n && *n >= 0)
      shape.push_back(*n);
    else
      return std::nullopt;
  }
  return shape;
}

namespace {

/// Reads an int or a list of `n` ints (kernel_size, strides, pool_size, ...).
std::optional<SmallVector<int64_t, 2>> readInts(const json::Object &config,
                                                StringRef key, size_t n,
                                                std::optional<int64_t> dflt) {
  const json::Value *value = config.get(key);
  if (!value || value->kind() == json::Value::Null) {
    if (!dflt)
      return std::nullopt;
    return SmallVector<int64_t, 2>(n, *dflt);
  }
  if (std::optional<int64_t> single = value->getAsInteger())
    return SmallVector<int64_t, 2>(n, *single);
  const json::Array *list = value->getAsArray();
  if (!list || list->size() != n)
    return std::nullopt;
  SmallVector<int64_t, 2> out;
  for (const json::Value &item : *list) {
    std::optional<int64_t> v = item.getAsInteger();
    if (!v)
      return std::nullopt;
    out.push_back(*v);
  }
  return out;
}

bool channelsFirst(const json::Object &config) {
  std::optional<StringRef> format = config.getString("data_format");
  return format && format->equals_insensitive("channels_first");
}

/// Spatial positions of a rank-4 image tensor.
std::array<size_t, 2> spatialDims(const json::Object &config) {
  return channelsFirst(config) ? std::array<size_t, 2>{2, 3}
                               : std::array<size_t, 2>{1, 2};
}

size_t channelDim(const json::Object &config, size_t rank) {
  return channelsFirst(config) ? 1 : rank - 1;
}

FailureOr<KerasShape> fail(std::string &error, const Twine &message) {
  error = message.str();
  return failure();
}

/// Conv2D, DepthwiseConv2D, SeparableConv2D and 2-D pooling windows.
FailureOr<KerasShape> slidingWindow(const json::Object &config,
                                    const KerasShape &input,
                                    ArrayRef<int64_t> window,
                                    ArrayRef<int64_t> strides,
                                    ArrayRef<int64_t> dilation,
                                    int64_t channels, std::string &error) {
  if (input.size() != 4)
    return fail(error,
                "expects a rank-4 input, got rank " + Twine(input.size()));
  std::optional<StringRef> paddingName = config.getString("padding");
  std::string padding = paddingName ? paddingName->lower() : "valid";
  if (padding != "valid" && padding != "same")
    return fail(error, "padding '" + padding + "' has no shape rule");
  for (auto [name, values] :
       {std::pair<StringRef, ArrayRef<int64_t>>{"the window", window},
        {"strides", strides},
        {"dilation_rate", dilation}})
    if (llvm::any_of(values, [](int64_t v) { return v < 1; }))
      return fail(error, name + " must be >= 1");
  KerasShape output = input;
  for (auto [i, dim] : llvm::enumerate(spatialDims(config))) {
    if (input[dim] == kUnknown)
      continue;
    std::optional<int64_t> size =
        computeOutputSize(input[dim], window[i], strides[i], dilation[i],
                          padding == "same" ? Padding::same : Padding::valid);
    if (!size)
      return fail(error, "the window does not fit in int64");
    if (*size <= 0)
      return fail(error, "the output is empty: input " + Twine(input[dim]) +
                             " is smaller than the window");
    output[dim] = *size;
  }
  if (channels != kUnknown)
    output[channelDim(config, 4)] = channels;
  return output;
}

/// A layer kind's output shape from its class name, config and inputs (>= 1).
using ShapeRule = FailureOr<KerasShape> (*)(StringRef className,
                                            const json::Object &config,
                                            ArrayRef<KerasShape> inputs,
                                            std::string &error);

/// Activation, normalization, dropout, ...: the shape of the input.
FailureOr<KerasShape> sameShape(StringRef, const json::Object &,
                                ArrayRef<KerasShape> inputs, std::string &) {
  return inputs.front();
}

/// Conv2D, DepthwiseConv2D and SeparableConv2D.
FailureOr<KerasShape> convolution(StringRef className,
                                  const json::Object &config,
                                  ArrayRef<KerasShape> inputs,
                                  std::string &error) {
  const KerasShape &input = inputs.front();
  auto kernel = readInts(config, "kernel_size", 2, std::nullopt);
  auto strides = readInts(config, "strides", 2, 1);
  auto dilation = readInts(config, "dilation_rate", 2, 1);
  if (!kernel || !strides || !dilation)
    return fail(error, "cannot read kernel_size, strides or dilation_rate");
  int64_t channels = kUnknown;
  if (className == "DepthwiseConv2D") {
    int64_t multiplier = config.getInteger("depth_multiplier").value_or(1);
    if (multiplier < 1)
      return fail(error, "depth_multiplier must be >= 1");
    if (input.size() == 4 && input[channelDim(config, 4)] != kUnknown &&
        llvm::MulOverflow(input[channelDim(config, 4)], multiplier, channels))
      return fail(error, "the output channels do not fit in int64");
  } else {
    std::optional<int64_t> filters = config.getInteger("filters");
    if (!filters || *filters < 1)
      return fail(error, "cannot read filters (an integer >= 1)");
    channels = *filters;
  }
  return slidingWindow(config, input, *kernel, *strides, *dilation, channels,
                       error);
}

/// MaxPooling2D and AveragePooling2D.
FailureOr<KerasShape> pooling(StringRef, const json::Object &config,
                              ArrayRef<KerasShape> inputs, std::string &error) {
  auto pool = readInts(config, "pool_size", 2, 2);
  if (!pool)
    return fail(error, "cannot read pool_size");
  // strides default to the pool size.
  auto strides = readInts(config, "strides", 2, std::nullopt);
  return slidingWindow(config, inputs.front(), *pool,
                       strides ? *strides : *pool, {1, 1}, kUnknown, error);
}

} // namespace

std::optional<PadAmounts>
mlir::dwconv::readPadAmounts(const json::Object &config, StringRef key) {
  // An int, (sym_h, sym_w) or ((top, bottom), (left, right)).
  const json::Value *value = config.get(key);
  PadAmounts amounts;
  if (std::optional<int64_t> all = value ? value->getAsInteger() : std::nullopt)
    return PadAmounts{{{*all, *all}, {*all, *all}}};
  const json::Array *pair = value ? value->getAsArray() : nullptr;
  if (!pair || pair->size() != 2)
    return std::nullopt;
  for (int i = 0; i < 2; ++i) {
    if (std::optional<int64_t> sym = (*pair)[i].getAsInteger()) {
      amounts[i] = {*sym, *sym};
    } else if (const json::Array *both = (*pair)[i].getAsArray();
               both && both->size() == 2 && (*both)[0].getAsInteger() &&
               (*both)[1].getAsInteger()) {
      amounts[i] = {*(*both)[0].getAsInteger(), *(*both)[1].getAsInteger()};
    } else {
      return std::nullopt;
    }
  }
  return amounts;
}

namespace {

/// ZeroPadding2D (`sign` +1) and Cropping2D (`sign` -1).
FailureOr<KerasShape> padOrCrop(const json::Object &config,
                                const KerasShape &input, int64_t sign,
                                std::string &error) {
  std::optional<PadAmounts> amounts =
      readPadAmounts(config, sign > 0 ? "padding" : "cropping");
  if (!amounts)
    return fail(error, "cannot read the padding amounts");
  if (input.size() != 4)
    return fail(error, "expects a rank-4 input");
  KerasShape output = input;
  for (auto [i, dim] : llvm::enumerate(spatialDims(config))) {
    auto [before, after] = (*amounts)[i];
    int64_t total = 0;
    if (before < 0 || after < 0 || llvm::AddOverflow(before, after, total))
      return fail(error, Twine(sign > 0 ? "padding" : "cropping") +
                             " amounts must be >= 0 and fit in int64");
    if (input[dim] == kUnknown)
      continue;
    if (sign > 0 ? llvm::AddOverflow(input[dim], total, output[dim])
                 : input[dim] - total < 1)
      return fail(error, sign > 0 ? "the padded size does not fit in int64"
                                  : "the cropping leaves an empty output");
    if (sign < 0)
      output[dim] = input[dim] - total;
  }
  return output;
}

/// ZeroPadding2D: the spatial dims grow by the padding.
FailureOr<KerasShape> zeroPadding(StringRef, const json::Object &config,
                                  ArrayRef<KerasShape> inputs,
                                  std::string &error) {
  return padOrCrop(config, inputs.front(), +1, error);
}

/// Cropping2D: the spatial dims shrink by the cropping.
FailureOr<KerasShape> cropping(StringRef, const json::Object &config,
                               ArrayRef<KerasShape> inputs,
                               std::string &error) {
  return padOrCrop(config, inputs.front(), -1, error);
}

/// Add, Multiply, ...: Keras broadcasts the inputs.
FailureOr<KerasShape> broadcast(StringRef, const json::Object &,
                                ArrayRef<KerasShape> inputs,
                                std::string &error) {
  KerasShape output = inputs.front();
  for (const KerasShape &input : inputs.drop_front()) {
    if (input.size() != output.size())
      return fail(error, "inputs of different ranks");
    for (auto [o, i] : llvm::zip(output, input))
      if (o == 1 || o == kUnknown)
        o = i == 1 && o == kUnknown ? kUnknown : i;
  }
  return output;
}

/// Concatenate: the sizes along `axis` add up.
FailureOr<KerasShape> concatenate(StringRef, const json::Object &config,
                                  ArrayRef<KerasShape> inputs,
                                  std::string &error) {
  int64_t rank = inputs.front().size();
  int64_t axis = config.getInteger("axis").value_or(-1);
  if (axis < 0)
    axis += rank;
  if (axis < 0 || axis >= rank)
    return fail(error, "axis out of range");
  KerasShape output = inputs.front();
  for (const KerasShape &input : inputs.drop_front()) {
    if (static_cast<int64_t>(input.size()) != rank)
      return fail(error, "inputs of different ranks");
    output[axis] = output[axis] == kUnknown || input[axis] == kUnknown
                       ? kUnknown
                       : output[axis] + input[axis];
  }
  return output;
}

/// GlobalAveragePooling2D and GlobalMaxPooling2D: (N, C), or 1x1 with keepdims.
FailureOr<KerasShape> globalPooling(StringRef, const json::Object &config,
                                    ArrayRef<KerasShape> inputs,
                                    std::string &error) {
  const KerasShape &input = inputs.front();
  if (input.size() != 4)
    return fail(error, "expects a rank-4 input");
  int64_t channels = input[channelDim(config, 4)];
  if (config.getBoolean("keepdims").value_or(false))
    return channelsFirst(config) ? KerasShape{input[0], channels, 1, 1}
                                 : KerasShape{input[0], 1, 1, channels};
  return KerasShape{input[0], channels};
}

/// Dense: the last dim becomes `units`.
FailureOr<KerasShape> dense(StringRef, const json::Object &config,
                            ArrayRef<KerasShape> inputs, std::string &error) {
  std::optional<int64_t> units = config.getInteger("units");
  if (!units)
    return fail(error, "cannot read units");
  KerasShape output = inputs.front();
  output.back() = *units;
  return output;
}

/// Flatten: (N, product of the other dims).
FailureOr<KerasShape> flatten(StringRef, const json::Object &,
                              ArrayRef<KerasShape> inputs, std::string &error) {
  const KerasShape &input = inputs.front();
  int64_t size = 1;
  for (int64_t d : ArrayRef<int64_t>(input).drop_front()) {
    if (d == kUnknown || size == kUnknown)
      size = kUnknown;
    else if (llvm::MulOverflow(size, d, size))
      return fail(error, "the flattened size does not fit in int64");
  }
  return KerasShape{input.front(), size};
}

/// Reshape: the batch dim, then target_shape.
FailureOr<KerasShape> reshape(StringRef, const json::Object &config,
                              ArrayRef<KerasShape> inputs, std::string &error) {
  const KerasShape &input = inputs.front();
  std::optional<KerasShape> target = readKerasShape(config.get("target_shape"));
  if (!target)
    return fail(error, "cannot read target_shape");
  // A -1 (read as an unknown) takes what the other dims leave.
  int64_t known = 1, total = 1;
  bool unknownInput = false;
  for (int64_t d : ArrayRef<int64_t>(input).drop_front()) {
    unknownInput |= d == kUnknown;
    total *= d == kUnknown ? 1 : d;
  }
  for (int64_t d : *target)
    known *= d == kUnknown ? 1 : d;
  KerasShape output = {input.front()};
  for (int64_t d : *target)
    output.push_back(d != kUnknown                ? d
                     : unknownInput || known == 0 ? kUnknown
                                                  : total / known);
  return output;
}

/// UpSampling2D: the spatial dims scale by `size`.
FailureOr<KerasShape> upSampling(StringRef, const json::Object &config,
                                 ArrayRef<KerasShape> inputs,
                                 std::string &error) {
  const KerasShape &input = inputs.front();
  auto size = readInts(config, "size", 2, 2);
  if (!size || input.size() != 4)
    return fail(error, "cannot read size");
  KerasShape output = input;
  for (auto [i, dim] : llvm::enumerate(spatialDims(config)))
    if (input[dim] != kUnknown)
      output[dim] = input[dim] * (*size)[i];
  return output;
}

/// A layer whose activation (or, for Activation, whose function) is glu.
bool halvesLastAxis(const json::Object &config) {
  const json::Value *activation = config.get("activation");
  if (!activation)
    return false;
  std::optional<StringRef> name = activation->getAsString();
  if (const json::Object *object = activation->getAsObject())
    if (const json::Value *inner = object->get("config"))
      name = inner->getAsString();
  return name && *name == "glu";
}

/// The shape rule of layer kind `className`, or null if it has none.
ShapeRule findShapeRule(StringRef className) {
  return llvm::StringSwitch<ShapeRule>(className)
      .Cases({"Activation",
              "BatchNormalization",
              "LayerNormalization",
              "GroupNormalization",
              "ReLU",
              "LeakyReLU",
              "PReLU",
              "ELU",
              "Softmax",
              "Dropout",
              "SpatialDropout2D",
              "GaussianNoise",
              "GaussianDropout",
              "AlphaDropout",
              "ActivityRegularization",
              "Rescaling",
              "Normalization",
              "Identity",
              "Masking",
              "UnitNormalization"},
             sameShape)
      .Cases({"Conv2D", "DepthwiseConv2D", "SeparableConv2D"}, convolution)
      .Cases({"MaxPooling2D", "AveragePooling2D"}, pooling)
      .Case("ZeroPadding2D", zeroPadding)
      .Case("Cropping2D", cropping)
      .Cases({"Add", "Subtract", "Multiply", "Average", "Maximum", "Minimum"},
             broadcast)
      .Case("Concatenate", concatenate)
      .Cases({"GlobalAveragePooling2D", "GlobalMaxPooling2D"}, globalPooling)
      .Case("Dense", dense)
      .Case("Flatten", flatten)
      .Case("Reshape", reshape)
      .Case("UpSampling2D", upSampling)
      .Default(nullptr);
}

} // namespace

FailureOr<KerasShape> mlir::dwconv::inferLayerOutputShape(
    StringRef className, const json::Object &config,
    ArrayRef<KerasShape> inputs, std::string &error) {
  if (inputs.empty())
    return fail(error, "has no input");
  ShapeRule rule = findShapeRule(className);
  if (!rule)
    return fail(error, "no shape rule for layer kind " + className);
  // Every rule reads the batch dim first (a fuzzed batch_shape [] has none).
  if (llvm::any_of(inputs, [](const KerasShape &s) { return s.empty(); }))
    return fail(error, "expects inputs with a batch dimension, got a scalar");
  FailureOr<KerasShape> output = rule(className, config, inputs, error);
  if (failed(output) || !halvesLastAxis(config) || output->empty() ||
      output->back() == kUnknown)
    return output;
  // Keras's glu splits the last axis into halves (its symbolic shapes miss
  // this; the values have it).
  if (output->back() % 2 != 0)
    return fail(error, "activation 'glu' needs an even last axis, got " +
                           Twine(output->back()));
  output->back() /= 2;
  return output;
}

bool mlir::dwconv::isChannelsFirst(const json::Object &config) {
  return channelsFirst(config);
}
