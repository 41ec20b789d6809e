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
  std::optional<Activation> activationOf(const LayerCall &call) const;

  ArrayRef<LayerCall> calls;
  KerasVersion version;
  const ModelImportOptions &options;
  llvm::StringMap<size_t> byName;
  llvm::StringMap<SmallVector<int, 1>> consumers;
};

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

bool BlockFolder::foldZeroPadding(const LayerCall &pad,
                                  ModelLayer &layer) const {
  KerasLayer &l = layer.layer;
  bool first = l.dataFormat == DataFormat::channels_first;
  std::optional<PadAmounts> amounts =
      readPadAmounts(*pad.entry->getObject("config"), "padding");
  if (l.padding != Padding::valid || !pad.inputShape ||
      pad.inputShape->size() != 4 || !amounts ||
      isChannelsFirst(*pad.entry->getObject("config")) != first)
    return false;
  for (int i = 0; i < 2; ++i) {
    int64_t size = (*pad.inputShape)[first ? 2 + i : 1 + i];
    if (ShapedType::isDynamic(size) ||
        samePadding(size, l.kernelSize[i], l.strides[i], l.dilationRate[i]) !=
            (*amounts)[i])
      return false;
  }
  l.padding = Padding::same;
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

std::optional<Activation>
BlockFolder::activationOf(const LayerCall &call) const {
  const json::Object *config = call.entry->getObject("config");
  if (!config)
    return std::nullopt;
  if (call.className == "Activation") {
    std::optional<StringRef> name = config->getString("activation");
    return name ? lookupKerasActivation(*name, version) : std::nullopt;
  }
  auto number = [&](StringRef key, double fallback) {
    const json::Value *value = config->get(key);
    if (value && value->kind() == json::Value::Null)
      return std::optional<double>();
    return std::optional<double>(config->getNumber(key).value_or(fallback));
  };
  if (call.className == "ReLU") {
    std::optional<double> max = number("max_value", 0);
    if (number("negative_slope", 0) != 0.0 || number("threshold", 0) != 0.0)
      return std::nullopt;
    if (!config->get("max_value") || !max)
      return Activation::relu;
    return *max == 6.0 ? std::optional(Activation::relu6) : std::nullopt;
  }
  if (call.className == "LeakyReLU") {
    // Keras 3 writes negative_slope, tf.keras 2 alpha; 0.3 by default.
    std::optional<double> slope = config->getNumber("negative_slope");
    if (!slope)
      slope = config->getNumber("alpha").value_or(0.3);
    return *slope == 0.2 ? std::optional(Activation::leaky_relu) : std::nullopt;
  }
  return std::nullopt;
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
    if (std::optional<Activation> activation = activationOf(*next)) {
      l.activation = *activation;
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
