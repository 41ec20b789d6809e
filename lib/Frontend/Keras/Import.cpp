//===- Import.cpp - a Keras file in, layer functions out ------------------===//

#include "dwconv/Frontend/Keras/Import.h"
#include "dwconv/Support/Identifiers.h"
#include "dwconv/Support/Limits.h"

#include "dwconv/Frontend/Keras/Archive.h"
#include "dwconv/Frontend/Keras/LayerConfig.h"
#include "dwconv/Frontend/Keras/Model.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/MemoryBuffer.h"

using namespace mlir;
using namespace mlir::dwconv;

llvm::Error mlir::dwconv::parseInputShapeOption(StringRef text,
                                                KerasImportOptions &options) {
  auto [layer, shapeText] =
      text.contains('=') ? text.split('=') : std::make_pair(StringRef(), text);
  SmallVector<StringRef> parts;
  shapeText.split(parts, 'x');
  SmallVector<int64_t, 4> shape;
  for (StringRef part : parts) {
    int64_t dim;
    if (part == "?")
      shape.push_back(ShapedType::kDynamic);
    else if (!part.getAsInteger(10, dim) && dim >= 0)
      shape.push_back(dim);
    else
      break;
  }
  if (shape.size() != 4 || parts.size() != 4 ||
      (text.contains('=') && layer.empty()))
    return llvm::createStringError(
        llvm::inconvertibleErrorCode(),
        "--input-shape: '" + text +
            "' is not a shape like 1x112x112x32 or ?x112x112x32, nor "
            "LAYER=SHAPE");
  if (layer.empty())
    options.inputShape = shape;
  else
    options.layerInputShapes[layer] = shape;
  return llvm::Error::success();
}

/// Folds a BatchNormalization into the kernel and bias, in double, each
/// weight rounded once: with inv = gamma / sqrt(moving_variance + epsilon),
/// kernel' = kernel * inv and bias' = (bias - moving_mean) * inv + beta, so
/// BN(conv(x, k) + b) = conv(x, k') + b' (Keras computes the right side's
/// left form in float; the two agree to rounding, not bit for bit).
static LogicalResult foldBatchNorm(const KerasWeights &weights,
                                   const ModelLayer::BatchNorm &bn,
                                   int64_t channels, LayerWeights &layer,
                                   Location loc) {
  // gamma 1 without `scale`, beta 0 without `center`.
  std::vector<float> gamma(channels, 1.0f), beta(channels, 0.0f), mean,
      variance;
  unsigned next = 0;
  auto read = [&](std::vector<float> &out) -> LogicalResult {
    FailureOr<std::vector<float>> values = weights.read(
        bn.weightsGroup + "/vars/" + std::to_string(next++), {channels}, loc);
    if (failed(values))
      return failure();
    out = std::move(*values);
    return success();
  };
  if ((bn.scale && failed(read(gamma))) || (bn.center && failed(read(beta))) ||
      failed(read(mean)) || failed(read(variance)))
    return failure();
  if (layer.bias.empty())
    layer.bias.assign(channels, 0.0f);
  for (int64_t o = 0; o < channels; ++o) {
    double inv = double(gamma[o]) / std::sqrt(double(variance[o]) + bn.epsilon);
    layer.bias[o] = static_cast<float>(
        (double(layer.bias[o]) - double(mean[o])) * inv + double(beta[o]));
    for (size_t k = o; k < layer.kernel.size(); k += channels)
      layer.kernel[k] = static_cast<float>(double(layer.kernel[k]) * inv);
  }
  return success();
}

/// The baked kernel and bias of a model's depthwise layer, its folded
/// BatchNormalization applied.
static FailureOr<LayerWeights> readLayerWeights(const KerasWeights &weights,
                                                const ModelLayer &layer,
                                                Location loc) {
  const KerasLayer &l = layer.layer;
  TensorLayout layout = TensorLayout::get(l.dataFormat);
  int64_t channels = layer.inputShape[layout.channels];
  int64_t outChannels = channels * l.depthMultiplier;
  FailureOr<std::vector<float>> kernel = weights.read(
      layer.weightsGroup + "/vars/0",
      {l.kernelSize[0], l.kernelSize[1], channels, l.depthMultiplier}, loc);
  if (failed(kernel))
    return failure();
  LayerWeights baked{std::move(*kernel), {}};
  if (layer.batchNorm ? layer.batchNorm->layerHasBias : l.useBias) {
    FailureOr<std::vector<float>> bias =
        weights.read(layer.weightsGroup + "/vars/1", {outChannels}, loc);
    if (failed(bias))
      return failure();
    baked.bias = std::move(*bias);
  }
  if (layer.batchNorm &&
      failed(foldBatchNorm(weights, *layer.batchNorm, outChannels, baked, loc)))
    return failure();
  return baked;
}

/// One layer function per depthwise layer of a whole model; with `weights`,
/// each layer's kernel and bias are read from them and baked in.
static OwningOpRef<ModuleOp>
loadKerasModel(const llvm::json::Value &json, Location loc,
               const KerasImportOptions &options,
               const KerasWeights *weights = nullptr) {
  ModelImportOptions importOptions;
  // Every symbol is prefixed, with --name or else the model's own name, so
  // that two models link into one program.
  importOptions.prefix = options.name.empty()
                             ? getModelSymbol(json)
                             : sanitizeIdentifier(options.name);
  importOptions.modelInputShape = options.inputShape;
  importOptions.foldBlocks = options.foldBlocks;
  importOptions.foldBatchNorm = weights != nullptr;
  importOptions.legacyWeights = weights && weights->isLegacy();
  for (const auto &entry : options.layerInputShapes)
    importOptions.layerInputShapes[entry.getKey()] = entry.getValue();
  FailureOr<std::vector<ModelLayer>> layers =
      importModel(json, loc, importOptions);
  if (failed(layers))
    return nullptr;
  OwningOpRef<ModuleOp> module = ModuleOp::create(loc);
  (*module)->setAttr(kModelAttr,
                     StringAttr::get(loc.getContext(), importOptions.prefix));
  for (const ModelLayer &layer : *layers) {
    std::optional<LayerWeights> baked;
    if (weights) {
      FailureOr<LayerWeights> read = readLayerWeights(*weights, layer, loc);
      if (failed(read))
        return nullptr;
      baked = std::move(*read);
    }
    if (failed(buildLayerFunction(*module, layer.layer, layer.inputShape, loc,
                                  baked ? &*baked : nullptr)))
      return nullptr;
  }
  return module;
}

/// A legacy Keras .h5 model file, by name or by HDF5's signature.
static bool isLegacyH5(StringRef path, StringRef contents) {
  return path.ends_with(".h5") || path.ends_with(".hdf5") ||
         contents.starts_with("\x89HDF\r\n\x1a\n");
}

/// A .keras archive or a legacy .h5 model file (`legacy`).
/// JSON nested deeper than limits::kMaxJsonDepth (arrays and objects) is
/// refused before it is parsed: the parser recurses per level. Returns the
/// message, or "".
static std::string checkJsonDepth(StringRef text) {
  int64_t depth = 0;
  bool inString = false;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (inString) {
      if (c == '\\')
        ++i;
      else if (c == '"')
        inString = false;
      continue;
    }
    if (c == '"')
      inString = true;
    else if (c == '[' || c == '{')
      ++depth;
    else if (c == ']' || c == '}')
      --depth;
    if (depth > limits::kMaxJsonDepth)
      return "JSON nested more than " + std::to_string(limits::kMaxJsonDepth) +
             " levels deep (at byte " + std::to_string(i) +
             "); Keras configs nest about 20";
  }
  return "";
}

/// Parses a spec's JSON; errors go to `loc`, prefixed by `what`.
static std::optional<llvm::json::Value>
parseSpecJson(StringRef text, Location loc, StringRef what) {
  if (std::string deep = checkJsonDepth(text); !deep.empty()) {
    emitError(loc) << what << deep;
    return std::nullopt;
  }
  llvm::Expected<llvm::json::Value> json = llvm::json::parse(text);
  if (!json) {
    emitError(loc) << what
                   << "malformed JSON: " << llvm::toString(json.takeError());
    return std::nullopt;
  }
  return std::move(*json);
}

static OwningOpRef<ModuleOp>
loadKerasArchive(StringRef path, Location loc, bool legacy,
                 const KerasImportOptions &options) {
  FailureOr<KerasArchive> archive =
      legacy ? KerasArchive::openLegacyH5(path, loc)
             : KerasArchive::open(path, loc, options.maxArchiveBytes);
  if (failed(archive))
    return nullptr;
  std::optional<llvm::json::Value> json =
      parseSpecJson(archive->config, loc, "config.json: ");
  if (!json)
    return nullptr;
  if (!isModelSpec(*json)) {
    emitError(loc) << "config.json: expected a Keras model";
    return nullptr;
  }
  return loadKerasModel(*json, loc, options,
                        options.weightsAsArguments ? nullptr
                                                   : archive->weights.get());
}

static OwningOpRef<ModuleOp> loadKerasSpec(const llvm::MemoryBuffer &buffer,
                                           Location loc,
                                           const KerasImportOptions &options) {
  std::optional<llvm::json::Value> json =
      parseSpecJson(buffer.getBuffer(), loc, "");
  if (!json)
    return nullptr;
  if (isModelSpec(*json))
    return loadKerasModel(*json, loc, options);
  if (!options.layerInputShapes.empty()) {
    emitError(loc) << "--input-shape LAYER=SHAPE applies to models; this "
                      "spec is one layer (use --input-shape SHAPE)";
    return nullptr;
  }
  FailureOr<KerasLayer> layer = parseLayerConfig(*json, loc);
  if (failed(layer))
    return nullptr;
  layer->kerasName = layer->name;
  if (!options.name.empty())
    layer->name = options.name;
  std::optional<SmallVector<int64_t, 4>> shape =
      options.inputShape  ? options.inputShape
      : layer->inputShape ? layer->inputShape
                          : options.defaultInputShape;
  if (!shape) {
    emitError(loc) << "layer '" << layer->name
                   << "': the config records no input shape (no "
                      "batch_input_shape, batch_shape or "
                      "build_config.input_shape); give one with "
                      "--input-shape NxHxWxC";
    return nullptr;
  }
  OwningOpRef<ModuleOp> module = ModuleOp::create(loc);
  if (failed(buildLayerFunction(*module, *layer, *shape, loc)))
    return nullptr;
  return module;
}

/// A .keras archive: a zip, by name or by its magic.
static bool isKerasArchive(StringRef path, StringRef contents) {
  return isLegacyH5(path, contents) || path.ends_with(".keras") ||
         contents.starts_with("PK\x03\x04");
}

bool mlir::dwconv::isKerasFile(StringRef path, StringRef contents) {
  return isKerasArchive(path, contents) || path.ends_with(".json") ||
         contents.ltrim().starts_with("{");
}

OwningOpRef<ModuleOp>
mlir::dwconv::importKeras(MLIRContext *ctx, StringRef path,
                          const llvm::MemoryBuffer &contents,
                          const KerasImportOptions &options) {
  ctx->loadDialect<DWConvDialect, arith::ArithDialect, func::FuncDialect>();
  Location loc = FileLineColLoc::get(ctx, path, /*line=*/0, /*column=*/0);
  if (isKerasArchive(path, contents.getBuffer()))
    return loadKerasArchive(path, loc, isLegacyH5(path, contents.getBuffer()),
                            options);
  return loadKerasSpec(contents, loc, options);
}

OwningOpRef<ModuleOp>
mlir::dwconv::importKerasFile(MLIRContext *ctx, StringRef path,
                              const KerasImportOptions &options) {
  llvm::ErrorOr<std::unique_ptr<llvm::MemoryBuffer>> buffer =
      llvm::MemoryBuffer::getFileOrSTDIN(path);
  if (!buffer) {
    emitError(FileLineColLoc::get(ctx, path, /*line=*/0, /*column=*/0))
        << "cannot read the spec: " << buffer.getError().message();
    return nullptr;
  }
  return importKeras(ctx, path, **buffer, options);
}
