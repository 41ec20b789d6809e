//===- LayerConfig.cpp - Keras DepthwiseConv2D configs --------------------===//

#include "dwconv/Frontend/Keras/LayerConfig.h"

#include "dwconv/Support/Limits.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/Diagnostics.h"
#include "llvm/ADT/StringSwitch.h"
#include "llvm/Support/MathExtras.h"

using namespace mlir;
using namespace mlir::dwconv;
namespace json = llvm::json;

namespace {

/// Reports errors as "layer 'NAME': PATH: message".
std::optional<Activation> lookupActivation(StringRef name,
                                           KerasVersion version);

class ConfigReader {
public:
  ConfigReader(Location loc, std::optional<KerasVersion> version)
      : loc(loc), knownVersion(version) {}

  FailureOr<KerasLayer> read(const json::Value &root);

private:
  LogicalResult error(StringRef path, const Twine &message) {
    return emitError(loc) << "layer '" << layerName << "': " << path << ": "
                          << message;
  }
  static std::string describe(const json::Value &value) {
    std::string text;
    llvm::raw_string_ostream os(text);
    os << value;
    return text;
  }

  FailureOr<int64_t> readPositiveInt(const json::Value &value, StringRef path);
  LogicalResult readPair(const json::Object &config, StringRef key,
                         SmallVectorImpl<int64_t> &out);
  LogicalResult checkActivationName(StringRef name, StringRef path,
                                    KerasVersion version);
  LogicalResult readActivation(const json::Value &value, StringRef path,
                               KerasLayer &layer);
  LogicalResult readDType(const json::Value &value, StringRef path);
  LogicalResult readShape(const json::Value &value, StringRef path,
                          KerasLayer &layer);
  /// Reads `padding`: 'valid' or 'same', in any case.
  LogicalResult readPadding(const json::Value &value, StringRef path,
                            KerasLayer &layer);
  /// Reads `data_format`: channels_last (or null) or channels_first.
  LogicalResult readDataFormat(const json::Value &value, StringRef path,
                               KerasLayer &layer);
  /// Checks the class_name/config wrapper and returns the config inside it.
  FailureOr<const json::Object *> readWrapper(const json::Object &top);
  /// Tells tf.keras 2 from Keras 3 by the keys that only one of them writes.
  static KerasVersion detectVersion(const json::Object &top,
                                    const json::Object &config);
  /// Reads one config key other than kernel_size, strides and dilation_rate.
  LogicalResult readOption(StringRef key, const json::Value &value,
                           StringRef path, KerasLayer &layer);
  /// Reads every config key but the kernel geometry, rejecting unknown ones.
  LogicalResult readOptions(const json::Object &config, StringRef prefix,
                            KerasLayer &layer);
  /// Reads kernel_size, strides and dilation_rate, and checks them together.
  LogicalResult readGeometry(const json::Object &config, StringRef prefix,
                             KerasLayer &layer);

  Location loc;
  std::optional<KerasVersion> knownVersion;
  std::string layerName = "<unnamed>";
};

FailureOr<int64_t> ConfigReader::readPositiveInt(const json::Value &value,
                                                 StringRef path) {
  std::optional<int64_t> number = value.getAsInteger();
  if (!number || *number <= 0 || *number > limits::kMaxSize) {
    (void)error(path, "expected a positive integer up to " +
                          Twine(limits::kMaxSize) + ", got " + describe(value));
    return failure();
  }
  return *number;
}

/// kernel_size, strides and dilation_rate: an int or a list of two.
LogicalResult ConfigReader::readPair(const json::Object &config, StringRef key,
                                     SmallVectorImpl<int64_t> &out) {
  const json::Value *value = config.get(key);
  if (!value)
    return success();
  std::string path = ("config." + key).str();
  if (const json::Array *list = value->getAsArray()) {
    if (list->size() != 2)
      return error(path, "expected an integer or a list of 2 integers, got " +
                             describe(*value));
    out.clear();
    for (auto [i, item] : llvm::enumerate(*list)) {
      FailureOr<int64_t> n =
          readPositiveInt(item, path + "[" + std::to_string(i) + "]");
      if (failed(n))
        return failure();
      out.push_back(*n);
    }
    return success();
  }
  FailureOr<int64_t> n = readPositiveInt(*value, path);
  if (failed(n))
    return failure();
  out.assign(2, *n);
  return success();
}

LogicalResult ConfigReader::readActivation(const json::Value &value,
                                           StringRef path, KerasLayer &layer) {
  if (value.kind() == json::Value::Null) {
    layer.activation = Activation::linear;
    return success();
  }
  std::optional<StringRef> name = value.getAsString();
  // A serialized activation object names the function in its "config".
  if (const json::Object *object = value.getAsObject())
    if (const json::Value *inner = object->get("config"))
      name = inner->getAsString();
  if (!name)
    return error(path, "expected an activation name, got " + describe(value));
  if (failed(checkActivationName(*name, path, layer.version)))
    return failure();
  layer.activation = *lookupActivation(*name, layer.version);
  return success();
}

/// The activation names each Keras accepts in a layer config (Keras 3.15's
/// keras.activations; tf.keras 2.21's tf.keras.activations.get).
static constexpr StringLiteral kTfKeras2Activations[] = {
    "linear",      "relu",    "relu6",      "leaky_relu",   "elu",
    "selu",        "gelu",    "sigmoid",    "hard_sigmoid", "silu",
    "swish",       "mish",    "tanh",       "softplus",     "softsign",
    "exponential", "softmax", "log_softmax"};
static constexpr StringLiteral kKeras3OnlyActivations[] = {
    "hard_silu",      "hard_swish", "log_sigmoid", "celu",
    "hard_shrink",    "hard_tanh",  "soft_shrink", "sparse_plus",
    "sparse_sigmoid", "squareplus", "tanh_shrink", "glu",
    "sparsemax"};

static std::string activationList(KerasVersion version) {
  std::string list;
  for (StringRef name : kTfKeras2Activations)
    list += (list.empty() ? "" : ", ") + name.str();
  if (version == KerasVersion::Keras3)
    for (StringRef name : kKeras3OnlyActivations)
      list += ", " + name.str();
  return list;
}

std::optional<Activation> lookupActivation(StringRef name,
                                           KerasVersion version) {
  if (!llvm::is_contained(kTfKeras2Activations, name) &&
      !(version == KerasVersion::Keras3 &&
        llvm::is_contained(kKeras3OnlyActivations, name)))
    return std::nullopt;
  return llvm::StringSwitch<std::optional<Activation>>(name)
      .Case("swish", Activation::silu)
      .Case("hard_swish", Activation::hard_silu)
      .Case("hard_sigmoid", version == KerasVersion::TfKeras2
                                ? Activation::hard_sigmoid_keras2
                                : Activation::hard_sigmoid)
      .Default(symbolizeActivation(name));
}

LogicalResult ConfigReader::checkActivationName(StringRef name, StringRef path,
                                                KerasVersion version) {
  bool keras2 = llvm::is_contained(kTfKeras2Activations, name);
  bool keras3Only = llvm::is_contained(kKeras3OnlyActivations, name);
  if (keras2 || (keras3Only && version == KerasVersion::Keras3))
    return success();
  if (keras3Only)
    return error(path, "'" + name +
                           "' is a Keras 3 activation; tf.keras 2, which "
                           "wrote this config, has no such activation "
                           "(expected one of " +
                           activationList(version) + ")");
  if (name == "threshold")
    return error(path, "'threshold' needs the arguments threshold and "
                       "default_value, which a layer config cannot give "
                       "(Keras fails when the layer is called)");
  return error(path, "'" + name +
                         "' is not a supported activation (expected one of " +
                         activationList(version) + ")");
}

LogicalResult ConfigReader::readDType(const json::Value &value,
                                      StringRef path) {
  std::optional<StringRef> name = value.getAsString();
  std::string namePath = path.str();
  // Keras 3: {"class_name": "DTypePolicy", "config": {"name": "float32"}}.
  if (const json::Object *policy = value.getAsObject()) {
    const json::Object *config = policy->getObject("config");
    name = config ? config->getString("name") : std::nullopt;
    namePath += ".config.name";
  }
  if (value.kind() == json::Value::Null || (name && *name == "float32"))
    return success();
  return error(namePath, (name ? "'" + name->str() + "'" : describe(value)) +
                             " is not supported (expected 'float32')");
}

LogicalResult ConfigReader::readShape(const json::Value &value, StringRef path,
                                      KerasLayer &layer) {
  const json::Array *list = value.getAsArray();
  if (!list || list->size() != 4)
    return error(path, "expected a list of 4 dims (batch included), got " +
                           describe(value));
  SmallVector<int64_t, 4> shape;
  for (auto [i, item] : llvm::enumerate(*list)) {
    if (item.kind() == json::Value::Null) {
      shape.push_back(ShapedType::kDynamic);
      continue;
    }
    std::optional<int64_t> n = item.getAsInteger();
    // A batch of 0 gives nothing to compute; Keras's other dims are >= 1.
    if (!n || *n < 1 || *n > limits::kMaxSize)
      return error((path + "[" + Twine(i) + "]").str(),
                   "expected a dim from 1 to " + Twine(limits::kMaxSize) +
                       ", or null, got " + describe(item));
    shape.push_back(*n);
  }
  layer.inputShape = shape;
  return success();
}

FailureOr<const json::Object *>
ConfigReader::readWrapper(const json::Object &top) {
  if (const json::Value *name = top.get("config"))
    if (const json::Object *inner = name->getAsObject())
      if (std::optional<StringRef> n = inner->getString("name"))
        layerName = n->str();
  std::optional<StringRef> className = top.getString("class_name");
  if (!className) {
    (void)error("class_name", "missing (expected 'DepthwiseConv2D')");
    return failure();
  }
  if (*className != "DepthwiseConv2D") {
    (void)error("class_name", "this is a " + className->str() +
                                  " config; dwconv compiles DepthwiseConv2D "
                                  "layers (expected 'DepthwiseConv2D')");
    return failure();
  }
  const json::Object *config = top.getObject("config");
  if (!config) {
    (void)error("config", "expected the layer config object");
    return failure();
  }
  for (const auto &entry : top) {
    StringRef key = entry.first;
    if (!llvm::is_contained({"class_name", "config", "module",
                             "registered_name", "build_config", "name",
                             "inbound_nodes"},
                            key)) {
      (void)error(key, "unknown key");
      return failure();
    }
  }
  return config;
}

KerasVersion ConfigReader::detectVersion(const json::Object &top,
                                         const json::Object &config) {
  // Keras 3 writes module/registered_name/build_config and DTypePolicy
  // objects; tf.keras 2 writes `groups` and `batch_input_shape`.
  bool keras3 = top.get("module") || top.get("registered_name") ||
                top.get("build_config") ||
                (config.get("dtype") && config.get("dtype")->getAsObject());
  bool keras2 = config.get("groups") || config.get("batch_input_shape");
  return keras2 && !keras3 ? KerasVersion::TfKeras2 : KerasVersion::Keras3;
}

LogicalResult ConfigReader::readPadding(const json::Value &value,
                                        StringRef path, KerasLayer &layer) {
  std::optional<StringRef> padding = value.getAsString();
  std::string lower = padding ? padding->lower() : "";
  if (lower != "valid" && lower != "same")
    return error(path,
                 (padding ? "'" + padding->str() + "'" : describe(value)) +
                     " is not supported (expected 'valid' or "
                     "'same')");
  layer.padding = lower == "same" ? Padding::same : Padding::valid;
  return success();
}

LogicalResult ConfigReader::readDataFormat(const json::Value &value,
                                           StringRef path, KerasLayer &layer) {
  // Both Kerases lowercase data_format on load (standardize_data_format,
  // normalize_data_format), as they do padding.
  std::optional<StringRef> format = value.getAsString();
  std::string lower = format ? format->lower() : "";
  if (value.kind() == json::Value::Null || lower == "channels_last")
    layer.dataFormat = DataFormat::channels_last;
  else if (lower == "channels_first")
    layer.dataFormat = DataFormat::channels_first;
  else
    return error(path, describe(value) +
                           " is not supported (expected "
                           "'channels_last' or 'channels_first')");
  return success();
}

LogicalResult ConfigReader::readOption(StringRef key, const json::Value &value,
                                       StringRef path, KerasLayer &layer) {
  if (key == "padding")
    return readPadding(value, path, layer);
  if (key == "depth_multiplier") {
    FailureOr<int64_t> m = readPositiveInt(value, path);
    if (failed(m))
      return failure();
    layer.depthMultiplier = *m;
    return success();
  }
  if (key == "data_format")
    return readDataFormat(value, path, layer);
  if (key == "activation")
    return readActivation(value, path, layer);
  if (key == "use_bias") {
    std::optional<bool> useBias = value.getAsBoolean();
    if (!useBias)
      return error(path, "expected true or false, got " + describe(value));
    layer.useBias = *useBias;
    return success();
  }
  if (key == "dtype")
    return readDType(value, path);
  if (key == "groups") {
    if (value.getAsInteger() != 1)
      return error(path, describe(value) +
                             " is not supported (expected 1: a "
                             "depthwise layer has one group per channel)");
    return success();
  }
  if (key == "batch_input_shape" || key == "batch_shape")
    return readShape(value, path, layer);
  // A convolution's config: say what it is rather than what it lacks.
  if (key == "filters")
    return error(path, "this is the config of a layer with filters (Conv2D, "
                       "SeparableConv2D, ...); dwconv compiles "
                       "DepthwiseConv2D layers");
  return error(path, "unknown option");
}

LogicalResult ConfigReader::readOptions(const json::Object &config,
                                        StringRef prefix, KerasLayer &layer) {
  static const char *const ignored[] = {"name",
                                        "trainable",
                                        "depthwise_initializer",
                                        "bias_initializer",
                                        "depthwise_regularizer",
                                        "bias_regularizer",
                                        "activity_regularizer",
                                        "depthwise_constraint",
                                        "bias_constraint"};
  for (const auto &entry : config) {
    StringRef key = entry.first;
    if (llvm::is_contained(ignored, key))
      continue;
    if (key == "kernel_size" || key == "strides" || key == "dilation_rate")
      continue; // read by readGeometry(), as a pair
    if (failed(readOption(key, entry.second, (prefix + key).str(), layer)))
      return failure();
  }
  return success();
}

LogicalResult ConfigReader::readGeometry(const json::Object &config,
                                         StringRef prefix, KerasLayer &layer) {
  if (!config.get("kernel_size"))
    return error((prefix + "kernel_size").str(),
                 "missing (expected an integer or a list of 2 integers)");
  if (failed(readPair(config, "kernel_size", layer.kernelSize)) ||
      failed(readPair(config, "strides", layer.strides)) ||
      failed(readPair(config, "dilation_rate", layer.dilationRate)))
    return failure();
  for (int i = 0; i < 2; ++i) {
    int64_t window = 0;
    if (llvm::MulOverflow(layer.kernelSize[i] - 1, layer.dilationRate[i],
                          window) ||
        window >= limits::kMaxSize)
      return error((prefix + "dilation_rate").str(),
                   "the dilated kernel (kernel_size - 1) * dilation_rate + 1 "
                   "must be at most " +
                       Twine(limits::kMaxSize) + ", got (" +
                       Twine(layer.kernelSize[i]) + " - 1) * " +
                       Twine(layer.dilationRate[i]) + " + 1 in " +
                       (i ? "width" : "height"));
  }
  // Keras 3 computes strides > 1 with dilation_rate > 1; tf.keras 2 refuses.
  if (layer.version == KerasVersion::TfKeras2 &&
      llvm::any_of(layer.strides, [](int64_t s) { return s > 1; }) &&
      llvm::any_of(layer.dilationRate, [](int64_t d) { return d > 1; }))
    return error((prefix + "strides").str(),
                 "strides > 1 is incompatible with dilation_rate > 1 in "
                 "tf.keras 2, which wrote this config (got "
                 "strides [" +
                     Twine(layer.strides[0]) + ", " + Twine(layer.strides[1]) +
                     "] and dilation_rate [" + Twine(layer.dilationRate[0]) +
                     ", " + Twine(layer.dilationRate[1]) + "])");
  return success();
}

FailureOr<KerasLayer> ConfigReader::read(const json::Value &root) {
  KerasLayer layer;
  const json::Object *top = root.getAsObject();
  if (!top) {
    (void)error("<root>", "expected a JSON object, got " + describe(root));
    return failure();
  }
  const json::Object *config = top;
  std::string prefix = "";
  if (top->get("class_name") || top->get("config")) {
    FailureOr<const json::Object *> inner = readWrapper(*top);
    if (failed(inner))
      return failure();
    config = *inner;
    prefix = "config.";
  }
  if (std::optional<StringRef> name = config->getString("name"))
    layerName = name->str();
  layer.name = layerName;
  layer.version = knownVersion ? *knownVersion : detectVersion(*top, *config);

  if (failed(readOptions(*config, prefix, layer)))
    return failure();
  if (const json::Object *build = top->getObject("build_config"))
    if (const json::Value *shape = build->get("input_shape"))
      if (failed(readShape(*shape, "build_config.input_shape", layer)))
        return failure();
  if (failed(readGeometry(*config, prefix, layer)))
    return failure();
  return layer;
}

} // namespace

FailureOr<KerasLayer>
mlir::dwconv::parseLayerConfig(const json::Value &json, Location loc,
                               std::optional<KerasVersion> version) {
  return ConfigReader(loc, version).read(json);
}

LogicalResult mlir::dwconv::buildLayerFunction(ModuleOp module,
                                               const KerasLayer &layer,
                                               ArrayRef<int64_t> inputShape,
                                               Location loc,
                                               const LayerWeights *weights) {
  MLIRContext *ctx = module.getContext();
  ctx->loadDialect<DWConvDialect, arith::ArithDialect, func::FuncDialect>();
  OpBuilder b(ctx);
  Type f32 = b.getF32Type();
  TensorLayout layout = TensorLayout::get(layer.dataFormat);
  int64_t channels = inputShape[layout.channels];
  if (ShapedType::isDynamic(channels))
    return emitError(loc) << "layer '" << layer.name
                          << "': the input channel count must be known (got "
                             "an input shape with a dynamic channel dim)";
  auto inputType = RankedTensorType::get(inputShape, f32);
  auto kernelType =
      RankedTensorType::get({layer.kernelSize[0], layer.kernelSize[1], channels,
                             layer.depthMultiplier},
                            f32);
  SmallVector<Type> argTypes = {inputType, kernelType};
  if (layer.useBias)
    argTypes.push_back(
        RankedTensorType::get({channels * layer.depthMultiplier}, f32));

  // Check first, so a bad shape is a diagnostic rather than a builder abort;
  // the rule it breaks is reported in the layer's terms, not the op's.
  std::string broken;
  FailureOr<RankedTensorType> resultType = failure();
  {
    ScopedDiagnosticHandler capture(ctx, [&](Diagnostic &diag) {
      if (broken.empty())
        broken = diag.str();
      return success();
    });
    resultType = inferResultType(
        loc, inputType, kernelType, layer.useBias ? argTypes.back() : Type(),
        ConvConfig{layer.strides, layer.dilationRate, layer.padding,
                   layer.dataFormat, layer.pads, layer.activation});
  }
  if (failed(resultType)) {
    StringRef rule = broken;
    rule.consume_front(
        ("'" + DepthwiseConv2DOp::getOperationName() + "' op ").str());
    return emitError(loc) << "layer '" << layer.name
                          << "' cannot take an input of shape " << inputType
                          << ": " << rule;
  }

  b.setInsertionPointToEnd(module.getBody());
  // Baked weights leave only the input as an argument.
  ArrayRef<Type> signature = weights ? ArrayRef<Type>(argTypes).take_front()
                                     : ArrayRef<Type>(argTypes);
  auto func = func::FuncOp::create(b, loc, layer.name,
                                   b.getFunctionType(signature, {*resultType}));
  if (!layer.kerasName.empty())
    func->setAttr(kKerasNameAttr, b.getStringAttr(layer.kerasName));
  if (!layer.foldedLayers.empty())
    func->setAttr(kFoldedLayersAttr,
                  b.getStringAttr(llvm::join(layer.foldedLayers, ", ")));
  Block *body = func.addEntryBlock();
  b.setInsertionPointToStart(body);
  SmallVector<Value, 3> operands(body->getArguments());
  if (weights) {
    auto constant = [&](Type type, ArrayRef<float> values) -> Value {
      auto tensorType = cast<RankedTensorType>(type);
      return arith::ConstantOp::create(
          b, loc, tensorType, DenseElementsAttr::get(tensorType, values));
    };
    operands.push_back(constant(kernelType, weights->kernel));
    if (layer.useBias)
      operands.push_back(constant(argTypes[2], weights->bias));
  }
  auto op = DepthwiseConv2DOp::create(
      b, loc, *resultType, operands[0], operands[1],
      layer.useBias ? operands[2] : Value(), layer.strides, layer.dilationRate,
      layer.padding, layer.dataFormat, layer.activation, /*pads=*/nullptr,
      /*negative_slope=*/nullptr, /*max_value=*/nullptr, /*threshold=*/nullptr);
  if (layer.padding == Padding::explicit_pads)
    op.setPadsAttr(b.getDenseI64ArrayAttr(layer.pads));
  if (const std::optional<ActivationParams> &params = layer.activationParams) {
    if (params->negativeSlope != 0.0f ||
        layer.activation == Activation::leaky_relu)
      op.setNegativeSlopeAttr(b.getF32FloatAttr(params->negativeSlope));
    if (params->maxValue)
      op.setMaxValueAttr(b.getF32FloatAttr(*params->maxValue));
    if (params->threshold != 0.0f)
      op.setThresholdAttr(b.getF32FloatAttr(params->threshold));
  }
  func::ReturnOp::create(b, loc, op.getResult());
  return success();
}

std::optional<Activation>
mlir::dwconv::lookupKerasActivation(StringRef name, KerasVersion version) {
  return lookupActivation(name, version);
}
