//===- Model.cpp - the depthwise layers of whole Keras models -------------===//

#include "dwconv/Frontend/Keras/Model.h"
#include "dwconv/Frontend/Keras/BlockFolding.h"

#include "dwconv/Frontend/Keras/ShapeRules.h"
#include "dwconv/Support/Identifiers.h"
#include "dwconv/Support/Limits.h"

#include "mlir/IR/Diagnostics.h"
#include "llvm/ADT/ScopeExit.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringSet.h"

using namespace mlir;
using namespace mlir::dwconv;
namespace json = llvm::json;

namespace {

/// A tensor flowing through the model: its shape, or why it is unknown.
struct Tensor {
  std::optional<KerasShape> shape;
  std::string unknownBecause;
};

/// Formats a shape as Keras prints it: (None, 112, 112, 32).
std::string formatKerasShape(ArrayRef<int64_t> shape) {
  std::string text = "(";
  for (auto [i, d] : llvm::enumerate(shape))
    text += (i ? ", " : "") + (ShapedType::isDynamic(d) ? std::string("None")
                                                        : std::to_string(d));
  return text + ")";
}

bool isModelEntry(const json::Object &entry) {
  const json::Object *config = entry.getObject("config");
  return config && config->getArray("layers");
}

/// One reference to a tensor in an inbound node: (layer, node, tensor).
struct TensorRef {
  std::string layer;
  int64_t node = 0, tensor = 0;
  std::optional<KerasShape> recordedShape; // Keras 3 writes it
};

/// Collects the tensors a node is called on, in order. Keras 3 writes
/// {"args": [...__keras_tensor__...], "kwargs": {...}}; tf.keras 2 writes
/// [[layer, node, tensor, kwargs], ...].
void collectRefs(const json::Value &value, SmallVectorImpl<TensorRef> &refs) {
  if (const json::Object *object = value.getAsObject()) {
    if (object->getString("class_name") == "__keras_tensor__") {
      const json::Object *config = object->getObject("config");
      const json::Array *history =
          config ? config->getArray("keras_history") : nullptr;
      if (!history || history->size() != 3)
        return;
      TensorRef ref;
      ref.layer = (*history)[0].getAsString().value_or("").str();
      ref.node = (*history)[1].getAsInteger().value_or(0);
      ref.tensor = (*history)[2].getAsInteger().value_or(0);
      ref.recordedShape = readKerasShape(config->get("shape"));
      refs.push_back(ref);
      return;
    }
    if (const json::Value *args = object->get("args"))
      collectRefs(*args, refs);
    return;
  }
  const json::Array *list = value.getAsArray();
  if (!list)
    return;
  // A tf.keras 2 reference: [name, node, tensor, kwargs?].
  if (list->size() >= 3 && (*list)[0].getAsString() &&
      (*list)[1].getAsInteger() && (*list)[2].getAsInteger()) {
    refs.push_back({(*list)[0].getAsString()->str(), *(*list)[1].getAsInteger(),
                    *(*list)[2].getAsInteger(), std::nullopt});
    return;
  }
  for (const json::Value &item : *list)
    collectRefs(item, refs);
}

/// The [name, node, tensor] references of input_layers / output_layers,
/// which Keras writes as a list of them or, for one, as one.
SmallVector<TensorRef> readEndpoints(const json::Value *value) {
  SmallVector<TensorRef> refs;
  if (value)
    collectRefs(*value, refs);
  return refs;
}

/// Keras's snake_case of a class name: "DepthwiseConv2D" -> "depthwise_conv2d".
std::string toSnakeCase(StringRef name) {
  std::string out;
  for (size_t i = 0; i < name.size(); ++i) {
    char c = name[i];
    bool upper = llvm::isUpper(c);
    // "(.)([A-Z][a-z]+)" and "([a-z])([A-Z])" each get an underscore between.
    bool wordStart = upper && i > 0 &&
                     ((i + 1 < name.size() && llvm::isLower(name[i + 1])) ||
                      llvm::isLower(name[i - 1]));
    if (wordStart && out.back() != '_')
      out.push_back('_');
    out.push_back(llvm::toLower(c));
  }
  return out;
}

StringRef entryName(const json::Object &entry);

/// Names the groups of a container in a Keras 3 weights file: each layer
/// under its class's snake_case name, numbered from the second of a kind.
class WeightGroups {
public:
  WeightGroups(StringRef prefix, bool legacy)
      : prefix(prefix), legacy(legacy) {}
  std::string next(const json::Object &entry) {
    // A legacy .h5 file keeps a layer's weights under its own name.
    if (legacy)
      return "model_weights/" + entryName(entry).str();
    std::string name =
        toSnakeCase(entry.getString("class_name").value_or("layer"));
    unsigned count = used[name]++;
    if (count)
      name += "_" + std::to_string(count);
    return (prefix + "layers/" + name).str();
  }

private:
  StringRef prefix;
  bool legacy;
  llvm::StringMap<unsigned> used;
};

StringRef entryName(const json::Object &entry);

class ModelImporter {
public:
  ModelImporter(Location loc, const ModelImportOptions &options,
                KerasVersion version)
      : loc(loc), options(options), version(version) {}

  LogicalResult importTop(const json::Object &model);
  std::vector<ModelLayer> takeLayers() { return std::move(found); }

private:
  /// Models being run, nested (bounded by limits::kMaxModelNesting).
  int64_t nesting = 0;
  /// `group` is where the weights file keeps the model's layers ("" at the
  /// top, "layers/<name>/" for a nested model).
  FailureOr<SmallVector<Tensor>> runModel(const json::Object &entry,
                                          ArrayRef<Tensor> inputs, bool top,
                                          StringRef group);
  FailureOr<SmallVector<Tensor>> runFunctional(const json::Object &config,
                                               ArrayRef<Tensor> inputs,
                                               bool top, StringRef group);
  FailureOr<SmallVector<Tensor>> runSequential(const json::Object &config,
                                               ArrayRef<Tensor> inputs,
                                               bool top, StringRef group);
  /// Calls a layer (or nested model) entry on `inputs`; `weightsGroup` is
  /// its group in the weights file.
  FailureOr<SmallVector<Tensor>>
  callLayer(const json::Object &entry, ArrayRef<Tensor> inputs,
            ArrayRef<std::optional<KerasShape>> recorded,
            StringRef weightsGroup);
  LogicalResult addDepthwise(const json::Object &entry, const Tensor &input,
                             std::optional<KerasShape> recorded,
                             StringRef weightsGroup, KerasShape &output);
  /// A call of `entry` on `inputs`, for block folding.
  LayerCall describeCall(const json::Object &entry, StringRef weightsGroup,
                         ArrayRef<Tensor> inputs) const {
    LayerCall call;
    call.entry = &entry;
    call.className = entry.getString("class_name").value_or("").str();
    call.name = entryName(entry).str();
    call.weightsGroup = weightsGroup.str();
    if (!inputs.empty())
      call.inputShape = inputs.front().shape;
    return call;
  }
  /// Appends `call`, made before the layer ran: a depthwise layer it added
  /// is the last found.
  void recordCall(LayerCall call, std::vector<LayerCall> &calls) const {
    if (call.className == "DepthwiseConv2D" && !found.empty())
      call.depthwise = static_cast<int>(found.size()) - 1;
    calls.push_back(std::move(call));
  }
  /// The shape an InputLayer entry declares, or the model input override.
  Tensor inputLayerShape(const json::Object &entry, bool top);

  Location loc;
  const ModelImportOptions &options;
  KerasVersion version;
  std::vector<ModelLayer> found;
  llvm::StringSet<> usedNames;
  bool modelInputUsed = false;
};

StringRef entryName(const json::Object &entry) {
  if (std::optional<StringRef> name = entry.getString("name"))
    return *name;
  const json::Object *config = entry.getObject("config");
  return config ? config->getString("name").value_or("<unnamed>") : "<unnamed>";
}

Tensor ModelImporter::inputLayerShape(const json::Object &entry, bool top) {
  if (top && !modelInputUsed && options.modelInputShape) {
    modelInputUsed = true;
    return {KerasShape(options.modelInputShape->begin(),
                       options.modelInputShape->end()),
            ""};
  }
  const json::Object *config = entry.getObject("config");
  for (StringRef key : {"batch_shape", "batch_input_shape"})
    if (std::optional<KerasShape> shape =
            config ? readKerasShape(config->get(key)) : std::nullopt)
      return {shape, ""};
  return {std::nullopt,
          "input layer '" + entryName(entry).str() + "' records no shape"};
}

FailureOr<SmallVector<Tensor>>
ModelImporter::runModel(const json::Object &entry, ArrayRef<Tensor> inputs,
                        bool top, StringRef group) {
  // Each nested model recurses: bounded.
  if (nesting >= limits::kMaxModelNesting)
    return emitError(loc) << "model '" << entryName(entry)
                          << "' is nested more than "
                          << limits::kMaxModelNesting << " models deep";
  ++nesting;
  llvm::scope_exit restore([&] { --nesting; });
  const json::Object *config = entry.getObject("config");
  if (!config)
    return emitError(loc) << "model '" << entryName(entry)
                          << "': no config object";
  if (entry.getString("class_name") == "Sequential")
    return runSequential(*config, inputs, top, group);
  return runFunctional(*config, inputs, top, group);
}

FailureOr<SmallVector<Tensor>>
ModelImporter::runSequential(const json::Object &config,
                             ArrayRef<Tensor> inputs, bool top,
                             StringRef group) {
  WeightGroups groups(group, options.legacyWeights);
  Tensor current =
      inputs.empty()
          ? Tensor{std::nullopt,
                   "the Sequential model '" +
                       config.getString("name").value_or("").str() +
                       "' records no input shape (no InputLayer, "
                       "batch_input_shape or build_input_shape); give the "
                       "model's with --input-shape NxHxWxC"}
          : inputs.front();
  if (top && !current.shape)
    if (std::optional<KerasShape> shape =
            readKerasShape(config.get("build_input_shape")))
      current = {shape, ""};
  bool first = true;
  std::vector<LayerCall> calls;
  for (const json::Value &item : *config.getArray("layers")) {
    const json::Object *entry = item.getAsObject();
    if (!entry)
      continue;
    if (entry->getString("class_name") == "InputLayer") {
      Tensor declared = inputLayerShape(*entry, top);
      if (top || !current.shape)
        current = declared;
      first = false;
      continue;
    }
    const json::Object *layerConfig = entry->getObject("config");
    if (first && !current.shape && layerConfig)
      if (std::optional<KerasShape> shape =
              readKerasShape(layerConfig->get("batch_input_shape")))
        current = {shape, ""};
    first = false;
    std::optional<KerasShape> recorded;
    if (const json::Object *build = entry->getObject("build_config"))
      recorded = readKerasShape(build->get("input_shape"));
    LayerCall call = describeCall(*entry, groups.next(*entry), {current});
    if (!calls.empty())
      call.inputs.push_back(calls.back().name);
    FailureOr<SmallVector<Tensor>> outputs =
        callLayer(*entry, {current}, {recorded}, call.weightsGroup);
    if (failed(outputs))
      return failure();
    current = outputs->empty() ? Tensor{} : outputs->front();
    recordCall(std::move(call), calls);
  }
  SmallVector<std::string> modelOutputs;
  if (!calls.empty())
    modelOutputs.push_back(calls.back().name);
  foldBlocks(calls, modelOutputs, found, version, options);
  return SmallVector<Tensor>{current};
}

FailureOr<SmallVector<Tensor>>
ModelImporter::runFunctional(const json::Object &config,
                             ArrayRef<Tensor> inputs, bool top,
                             StringRef group) {
  // Unlike a Sequential, a Functional model's weights count its inputs.
  WeightGroups groups(group, options.legacyWeights);
  // Outputs of each layer, per inbound node, per tensor.
  llvm::StringMap<SmallVector<SmallVector<Tensor>>> outputs;
  SmallVector<TensorRef> inputLayers =
      readEndpoints(config.get("input_layers"));
  std::vector<LayerCall> calls;
  auto resolve = [&](const TensorRef &ref) -> Tensor {
    auto it = outputs.find(ref.layer);
    if (it == outputs.end() || it->second.empty())
      return {std::nullopt, "layer '" + ref.layer + "' is not computed first"};
    // tf.keras 2 counts a nested model's own first node, which it does not
    // write: a reference past the written nodes means the last one.
    size_t node = std::min<size_t>(ref.node, it->second.size() - 1);
    ArrayRef<Tensor> tensors = it->second[node];
    if (ref.tensor < 0 || static_cast<size_t>(ref.tensor) >= tensors.size())
      return {std::nullopt, "layer '" + ref.layer + "' has no output " +
                                std::to_string(ref.tensor)};
    return tensors[ref.tensor];
  };

  for (const json::Value &item : *config.getArray("layers")) {
    const json::Object *entry = item.getAsObject();
    if (!entry)
      continue;
    std::string name = entryName(*entry).str();
    std::string weightsGroup = groups.next(*entry);
    if (entry->getString("class_name") == "InputLayer") {
      Tensor tensor = inputLayerShape(*entry, top);
      // A nested model's inputs are what it is called on.
      for (auto [i, ref] : llvm::enumerate(inputLayers))
        if (!top && ref.layer == name && i < inputs.size() && inputs[i].shape)
          tensor = inputs[i];
      outputs[name].push_back({tensor});
      continue;
    }
    const json::Array *nodes = entry->getArray("inbound_nodes");
    if (!nodes)
      continue;
    for (const json::Value &node : *nodes) {
      SmallVector<TensorRef> refs;
      collectRefs(node, refs);
      SmallVector<Tensor> nodeInputs;
      SmallVector<std::optional<KerasShape>> recorded;
      for (const TensorRef &ref : refs) {
        nodeInputs.push_back(resolve(ref));
        recorded.push_back(ref.recordedShape);
      }
      LayerCall call = describeCall(*entry, weightsGroup, nodeInputs);
      for (const TensorRef &ref : refs)
        call.inputs.push_back(ref.layer);
      call.shared = nodes->size() > 1;
      if (recorded.size() == 1 && !recorded.front())
        if (const json::Object *build = entry->getObject("build_config"))
          recorded.front() = readKerasShape(build->get("input_shape"));
      FailureOr<SmallVector<Tensor>> results =
          callLayer(*entry, nodeInputs, recorded, weightsGroup);
      if (failed(results))
        return failure();
      outputs[name].push_back(*results);
      recordCall(std::move(call), calls);
    }
  }
  SmallVector<Tensor> results;
  SmallVector<std::string> modelOutputs;
  for (const TensorRef &ref : readEndpoints(config.get("output_layers"))) {
    results.push_back(resolve(ref));
    modelOutputs.push_back(ref.layer);
  }
  foldBlocks(calls, modelOutputs, found, version, options);
  return results;
}

FailureOr<SmallVector<Tensor>>
ModelImporter::callLayer(const json::Object &entry, ArrayRef<Tensor> inputs,
                         ArrayRef<std::optional<KerasShape>> recorded,
                         StringRef weightsGroup) {
  StringRef className = entry.getString("class_name").value_or("");
  std::string name = entryName(entry).str();
  if (isModelEntry(entry))
    return runModel(entry, inputs, /*top=*/false, (weightsGroup + "/").str());

  // Every input known: apply the layer's rule.
  std::string why;
  SmallVector<KerasShape> shapes;
  for (const Tensor &input : inputs) {
    if (!input.shape) {
      why = input.unknownBecause;
      break;
    }
    shapes.push_back(*input.shape);
  }
  if (className == "DepthwiseConv2D") {
    Tensor input = inputs.empty() ? Tensor{std::nullopt, "it has no input"}
                                  : inputs.front();
    KerasShape output;
    if (failed(addDepthwise(entry, input,
                            recorded.empty() ? std::nullopt : recorded.front(),
                            weightsGroup, output)))
      return failure();
    return SmallVector<Tensor>{{output, ""}};
  }
  const json::Object *config = entry.getObject("config");
  if (why.empty() && !shapes.empty() && config) {
    FailureOr<KerasShape> output =
        inferLayerOutputShape(className, *config, shapes, why);
    if (succeeded(output))
      return SmallVector<Tensor>{{*output, ""}};
    why = "layer '" + name + "' (" + className.str() + ") upstream: " + why;
  }
  if (why.empty())
    why = "layer '" + name + "' has no input shape";
  return SmallVector<Tensor>{{std::nullopt, why}};
}

LogicalResult ModelImporter::addDepthwise(const json::Object &entry,
                                          const Tensor &input,
                                          std::optional<KerasShape> recorded,
                                          StringRef weightsGroup,
                                          KerasShape &output) {
  FailureOr<KerasLayer> layer =
      parseLayerConfig(json::Value(json::Object(entry)), loc, version);
  if (failed(layer))
    return failure();
  std::string name = layer->name;
  // Propagated and recorded shapes must agree unless the user changed the
  // model's input or a layer's (which re-propagates downstream): a
  // disagreement means a shape rule differs from Keras's.
  if (input.shape && recorded && !options.modelInputShape &&
      options.layerInputShapes.empty() &&
      (input.shape->size() != recorded->size() ||
       !llvm::all_of(llvm::zip(*input.shape, *recorded), [](auto pair) {
         auto [a, b] = pair;
         return a == b || ShapedType::isDynamic(a) || ShapedType::isDynamic(b);
       })))
    return emitError(loc) << "layer '" << name << "': the propagated input "
                          << "shape " << formatKerasShape(*input.shape)
                          << " differs from the one Keras recorded "
                          << formatKerasShape(*recorded);
  auto override = options.layerInputShapes.find(name);
  std::optional<KerasShape> shape =
      override != options.layerInputShapes.end()
          ? std::optional<KerasShape>(
                KerasShape(override->second.begin(), override->second.end()))
      : input.shape ? input.shape
                    : recorded;
  if (!shape)
    return emitError(loc) << "layer '" << name
                          << "': cannot derive its input shape: "
                          << input.unknownBecause
                          << ", and the config records none; give it with "
                             "--input-shape "
                          << name << "=NxHxWxC";
  if (shape->size() != 4)
    return emitError(loc) << "layer '" << name << "': its input "
                          << formatKerasShape(*shape) << " is not rank 4";

  std::string error;
  FailureOr<KerasShape> out = inferLayerOutputShape(
      "DepthwiseConv2D", *entry.getObject("config"), {*shape}, error);
  if (failed(out))
    return emitError(loc) << "layer '" << name << "': " << error;
  output = *out;

  // One entry point per layer and input shape: a layer called again on the
  // same shape (a shared layer, a model called twice) reuses it.
  for (const ModelLayer &seen : found)
    if (seen.layer.kerasName == name && seen.weightsGroup == weightsGroup &&
        ArrayRef<int64_t>(seen.inputShape) == ArrayRef<int64_t>(*shape))
      return success();
  if (static_cast<int64_t>(found.size()) >= limits::kMaxEntryPoints)
    return emitError(loc) << "layer '" << name << "': the model needs more "
                          << "than " << limits::kMaxEntryPoints
                          << " entry points (distinct depthwise layers and "
                             "input shapes)";

  // One entry point per layer, named after it as a C identifier.
  std::string symbol = (options.prefix.empty() ? "" : options.prefix + "_") +
                       sanitizeIdentifier(name);
  // Unique ignoring case too: the header's macros are DWCONV_<NAME>_*.
  std::string unique = symbol;
  for (int i = 2; !usedNames.insert(StringRef(unique).lower()).second; ++i)
    unique = symbol + "_" + std::to_string(i);
  layer->name = unique;
  layer->kerasName = name;
  found.push_back({*layer,
                   SmallVector<int64_t, 4>(shape->begin(), shape->end()),
                   weightsGroup.str()});
  return success();
}

LogicalResult ModelImporter::importTop(const json::Object &model) {
  if (failed(runModel(model, {}, /*top=*/true, "")))
    return failure();
  if (found.empty())
    return emitError(loc) << "the model has no DepthwiseConv2D layer";
  for (const auto &entry : options.layerInputShapes)
    if (!llvm::any_of(found, [&](const ModelLayer &l) {
          return l.layer.kerasName == entry.getKey();
        }))
      return emitError(loc) << "--input-shape " << entry.getKey()
                            << "=...: the model has no depthwise layer named '"
                            << entry.getKey() << "'";
  return success();
}

/// The model object and the Keras version that wrote it.
std::pair<const json::Object *, KerasVersion>
unwrapModel(const json::Object &root) {
  const json::Object *model = &root;
  std::optional<StringRef> kerasVersion = root.getString("keras_version");
  // TF.js: {"format": "layers-model", "modelTopology": {..., "model_config"}}.
  if (const json::Object *topology = root.getObject("modelTopology")) {
    kerasVersion = topology->getString("keras_version");
    model = topology->getObject("model_config");
    if (!model)
      model = topology;
  }
  bool keras2 = kerasVersion && kerasVersion->starts_with("2");
  return {model, keras2 ? KerasVersion::TfKeras2 : KerasVersion::Keras3};
}

} // namespace

bool mlir::dwconv::isModelSpec(const json::Value &json) {
  const json::Object *root = json.getAsObject();
  if (!root)
    return false;
  if (root->get("modelTopology"))
    return true;
  return isModelEntry(*root);
}

FailureOr<std::vector<ModelLayer>>
mlir::dwconv::importModel(const json::Value &json, Location loc,
                          const ModelImportOptions &options) {
  auto [model, version] = unwrapModel(*json.getAsObject());
  if (!model || !isModelEntry(*model))
    return emitError(loc) << "modelTopology: expected a Keras model config "
                             "with a list of layers";
  ModelImporter importer(loc, options, version);
  if (failed(importer.importTop(*model)))
    return failure();
  return importer.takeLayers();
}

std::string mlir::dwconv::getModelSymbol(const json::Value &json) {
  const json::Object *root = json.getAsObject();
  const json::Object *model = root ? unwrapModel(*root).first : nullptr;
  const json::Object *config = model ? model->getObject("config") : nullptr;
  std::optional<StringRef> name =
      config ? config->getString("name") : std::nullopt;
  // An unnamed (or empty-named) model is "model": a prefix of "_" would
  // make reserved identifiers (dwconv___...).
  return sanitizeIdentifier(name && !name->empty() ? *name : "model");
}
