//===- BlockFolding.cpp - a depthwise layer's block, folded into it -------===//

#include "dwconv/Frontend/Keras/BlockFolding.h"

#include "mlir/IR/BuiltinTypeInterfaces.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/Support/Debug.h"

#define DEBUG_TYPE "dwconv-keras-fold"

using namespace mlir;
using namespace mlir::dwconv;
namespace json = llvm::json;

namespace {

class BlockFolder {
public:
  BlockFolder(ArrayRef<LayerCall> calls, ArrayRef<std::string> outputs,
              KerasVersion version, const ModelImportOptions &options)
      : calls(calls), version(version), options(options) {
    for (auto [i, call] : llvm::enumerate(calls)) {
      byName[call.name] = i;
      for (const std::string &input : call.inputs)
        consumers[input].push_back(i);
    }
    for (const std::string &output : outputs)
      consumers[output].push_back(-1);
  }

  void fold(const LayerCall &call, ModelLayer &layer);

private:
  /// The one layer that consumes `call`'s output, if it is the only use.
  const LayerCall *soleConsumer(const LayerCall &call) const {
    auto it = consumers.find(call.name);
    if (call.shared || it == consumers.end() || it->second.size() != 1 ||
        it->second.front() < 0)
      return nullptr;
    const LayerCall &next = calls[it->second.front()];
    return next.shared || next.inputs.size() != 1 ? nullptr : &next;
  }
  const LayerCall *producer(const LayerCall &call) const {
    if (call.inputs.size() != 1)
      return nullptr;
    auto it = byName.find(call.inputs.front());
    return it == byName.end() ? nullptr : &calls[it->second];
  }
  bool foldZeroPadding(const LayerCall &pad, ModelLayer &layer) const;
  bool foldBatchNorm(const LayerCall &norm, ModelLayer &layer) const;
  struct FoldedActivation {
    Activation activation;
    ActivationParams params;
  };
  std::optional<FoldedActivation> activationOf(const LayerCall &call) const;
  static bool isFoldable(const FoldedActivation &folded);

  ArrayRef<LayerCall> calls;
  KerasVersion version;
  const ModelImportOptions &options;
  llvm::StringMap<size_t> byName;
  llvm::StringMap<SmallVector<int, 1>> consumers;
};

/// Larger pads (or padded sizes) are left to the ZeroPadding2D layer: they
/// keep the arithmetic below far from overflow.
constexpr int64_t kMaxFoldedPad = int64_t(1) << 40;

/// 'same' padding's (before, after) for one spatial dim.
std::array<int64_t, 2> samePadding(int64_t size, int64_t kernel, int64_t stride,
                                   int64_t dilation) {
  int64_t out = (size + stride - 1) / stride;
  int64_t total = std::max<int64_t>(
      (out - 1) * stride + (kernel - 1) * dilation + 1 - size, 0);
  return {total / 2, total - total / 2};
}

std::string describe(const LayerCall &call) {
  return call.name + " (" + call.className + ")";
}

} // namespace

/// Folds the ZeroPadding2D before the layer into its padding: 'same' where
/// the amounts are the ones 'same' gives (a 'valid' layer, as MobileNet and
/// EfficientNet write it), else explicit pads (plus the layer's own 'same'
/// padding of the padded input, which needs that input's size).
bool BlockFolder::foldZeroPadding(const LayerCall &pad,
                                  ModelLayer &layer) const {
  KerasLayer &l = layer.layer;
  bool first = l.dataFormat == DataFormat::channels_first;
  const json::Object *config = pad.entry->getObject("config");
  if (!config)
    return false;
  std::optional<PadAmounts> amounts = readPadAmounts(*config, "padding");
  if (!pad.inputShape || pad.inputShape->size() != 4 || !amounts ||
      isChannelsFirst(*config) != first)
    return false;
  SmallVector<int64_t, 4> pads;
  bool sameAmounts = l.padding == Padding::valid;
  for (int i = 0; i < 2; ++i) {
    int64_t size = (*pad.inputShape)[first ? 2 + i : 1 + i];
    auto [before, after] = (*amounts)[i];
    if (before < 0 || after < 0 || before > kMaxFoldedPad ||
        after > kMaxFoldedPad)
      return false;
    std::array<int64_t, 2> same = {0, 0};
    bool known = !ShapedType::isDynamic(size);
    if (known)
      same =
          samePadding(size, l.kernelSize[i], l.strides[i], l.dilationRate[i]);
    sameAmounts &= known && same == (*amounts)[i];
    if (l.padding == Padding::same) {
      if (!known || size > kMaxFoldedPad)
        return false;
      // The layer's 'same' padding of the padded input, added on.
      std::array<int64_t, 2> inner =
          samePadding(size + before + after, l.kernelSize[i], l.strides[i],
                      l.dilationRate[i]);
      before += inner[0];
      after += inner[1];
    }
    pads.append({before, after});
  }
  if (sameAmounts) {
    l.padding = Padding::same;
  } else {
    l.padding = Padding::explicit_pads;
    l.pads = pads;
  }
  layer.inputShape.assign(pad.inputShape->begin(), pad.inputShape->end());
  return true;
}

bool BlockFolder::foldBatchNorm(const LayerCall &norm,
                                ModelLayer &layer) const {
  const json::Object *config = norm.entry->getObject("config");
  if (!options.foldBatchNorm || !config ||
      layer.layer.activation != Activation::linear)
    return false;
  // The channel axis: -1 or 3 for channels_last, 1 for channels_first.
  std::optional<int64_t> axis = config->getInteger("axis");
  if (const json::Array *list = config->getArray("axis"))
    axis = list->size() == 1 ? (*list)[0].getAsInteger() : std::nullopt;
  bool first = layer.layer.dataFormat == DataFormat::channels_first;
  if (!axis || (first ? *axis != 1 : (*axis != -1 && *axis != 3)))
    return false;
  ModelLayer::BatchNorm bn;
  bn.layerHasBias = layer.layer.useBias;
  bn.weightsGroup = norm.weightsGroup;
  bn.epsilon = config->getNumber("epsilon").value_or(1e-3);
  bn.center = config->getBoolean("center").value_or(true);
  bn.scale = config->getBoolean("scale").value_or(true);
  layer.batchNorm = bn;
  layer.layer.useBias = true;
  return true;
}

std::optional<BlockFolder::FoldedActivation>
BlockFolder::activationOf(const LayerCall &call) const {
  const json::Object *config = call.entry->getObject("config");
  if (!config)
    return std::nullopt;
  if (call.className == "Activation") {
    std::optional<StringRef> name = config->getString("activation");
    std::optional<Activation> activation =
        name ? lookupKerasActivation(*name, version) : std::nullopt;
    if (!activation)
      return std::nullopt;
    // The activation functions' own defaults (leaky_relu: 0.2).
    ActivationParams params;
    if (*activation == Activation::leaky_relu)
      params.negativeSlope = 0.2f;
    return FoldedActivation{*activation, params};
  }
  // A number, `fallback` where the key is absent, none where it is neither
  // (the layer is then left unfolded).
  auto number = [&](StringRef key, double fallback) -> std::optional<double> {
    const json::Value *value = config->get(key);
    return value ? value->getAsNumber() : fallback;
  };
  if (call.className == "ReLU") {
    // Keras's defaults: max_value None, negative_slope 0, threshold 0.
    const json::Value *maxValue = config->get("max_value");
    bool noMax = !maxValue || maxValue->kind() == json::Value::Null;
    std::optional<double> max = noMax ? 0.0 : number("max_value", 0);
    std::optional<double> slope = number("negative_slope", 0);
    std::optional<double> threshold = number("threshold", 0);
    if (!max || !slope || !threshold)
      return std::nullopt;
    if (noMax)
      max.reset();
    ActivationParams params{float(*slope), std::nullopt, float(*threshold)};
    if (max)
      params.maxValue = float(*max);
    // ReLU(6.0), MobileNet's, is relu6 (the same function).
    if (params == ActivationParams{0.0f, 6.0f, 0.0f})
      return FoldedActivation{Activation::relu6, ActivationParams()};
    return FoldedActivation{Activation::relu, params};
  }
  if (call.className == "LeakyReLU") {
    // Keras 3 writes negative_slope, tf.keras 2 alpha; 0.3 by default.
    const json::Value *value = config->get("negative_slope");
    if (!value)
      value = config->get("alpha");
    std::optional<double> slope = value ? value->getAsNumber() : 0.3;
    if (!slope)
      return std::nullopt;
    ActivationParams params;
    params.negativeSlope = float(*slope);
    return FoldedActivation{Activation::leaky_relu, params};
  }
  return std::nullopt;
}

/// Keras refuses negative parameters; a non-finite one (inf in a JSON file
/// written by hand) stays a layer of its own.
bool BlockFolder::isFoldable(const FoldedActivation &folded) {
  const ActivationParams &p = folded.params;
  auto ok = [](float v) { return std::isfinite(v) && v >= 0.0f; };
  return ok(p.negativeSlope) && ok(p.threshold) &&
         (!p.maxValue || ok(*p.maxValue));
}

void BlockFolder::fold(const LayerCall &call, ModelLayer &layer) {
  KerasLayer &l = layer.layer;
  const LayerCall *pad = producer(call);
  if (pad && pad->className == "ZeroPadding2D" &&
      !options.layerInputShapes.count(l.name) && soleConsumer(*pad) == &call &&
      foldZeroPadding(*pad, layer))
    l.foldedLayers.push_back(describe(*pad));
  const LayerCall *next = soleConsumer(call);
  if (next && next->className == "BatchNormalization" &&
      foldBatchNorm(*next, layer)) {
    l.foldedLayers.push_back(describe(*next));
    next = soleConsumer(*next);
  }
  if (next && l.activation == Activation::linear)
    if (std::optional<FoldedActivation> folded = activationOf(*next);
        folded && isFoldable(*folded)) {
      l.activation = folded->activation;
      l.activationParams = folded->params;
      l.foldedLayers.push_back(describe(*next));
    }
  LLVM_DEBUG(llvm::dbgs() << l.name << ": " << l.foldedLayers.size()
                          << " layers folded\n");
}

void mlir::dwconv::foldBlocks(ArrayRef<LayerCall> calls,
                              ArrayRef<std::string> outputs,
                              std::vector<ModelLayer> &layers,
                              KerasVersion version,
                              const ModelImportOptions &options) {
  if (!options.foldBlocks)
    return;
  BlockFolder folder(calls, outputs, version, options);
  for (const LayerCall &call : calls)
    if (call.depthwise >= 0 && !call.shared)
      folder.fold(call, layers[call.depthwise]);
}
