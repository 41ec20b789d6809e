//===- LayerABI.cpp - the C interface of one generated layer --------------===//

#include "dwconv/Target/LayerABI.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinAttributes.h"

using namespace mlir;
using namespace mlir::dwconv;

SmallVector<unsigned> LayerABI::dynamicInputDims() const {
  SmallVector<unsigned> dims;
  for (unsigned d = 0; d < 4; ++d)
    if (inputType.isDynamicDim(d))
      dims.push_back(d);
  return dims;
}

StringRef LayerABI::dimName(unsigned dim) const {
  static const char *const names[2][4] = {
      {"batch", "height", "width", "channels"},
      {"batch", "channels", "height", "width"}};
  return names[dataFormat == DataFormat::channels_first][dim];
}

int64_t LayerABI::kernelTaps() const {
  return kernelType.getDimSize(kKernelHeight) *
         kernelType.getDimSize(kKernelWidth);
}

int64_t LayerABI::outputChannels() const {
  return kernelType.getDimSize(kKernelChannels) *
         kernelType.getDimSize(kKernelMultiplier);
}

DictionaryAttr LayerABI::toAttr(MLIRContext *ctx) const {
  Builder b(ctx);
  NamedAttribute fields[] = {
      b.getNamedAttr("name", b.getStringAttr(name)),
      b.getNamedAttr("input", TypeAttr::get(inputType)),
      b.getNamedAttr("kernel", TypeAttr::get(kernelType)),
      b.getNamedAttr("output", TypeAttr::get(outputType)),
      b.getNamedAttr("has_bias", b.getBoolAttr(hasBias)),
      b.getNamedAttr("weights_baked", b.getBoolAttr(weightsBaked)),
      b.getNamedAttr("strides", b.getDenseI64ArrayAttr(strides)),
      b.getNamedAttr("dilation_rate", b.getDenseI64ArrayAttr(dilationRate)),
      b.getNamedAttr("padding", PaddingAttr::get(ctx, padding)),
      b.getNamedAttr("data_format", DataFormatAttr::get(ctx, dataFormat)),
      b.getNamedAttr("activation", ActivationAttr::get(ctx, activation))};
  NamedAttrList list(fields);
  if (!foldedLayers.empty())
    list.append("folded_layers", b.getStringAttr(foldedLayers));
  if (!kerasName.empty())
    list.append("keras_name", b.getStringAttr(kerasName));
  if (!pads.empty())
    list.append("pads", b.getDenseI64ArrayAttr(pads));
  if (!activationText.empty() &&
      activationText != stringifyActivation(activation))
    list.append("activation_text", b.getStringAttr(activationText));
  return list.getDictionary(ctx);
}

namespace {
/// Reads the fields of a `dwconv.layer` record, remembering the first one
/// that is missing or of the wrong kind.
struct RecordReader {
  DictionaryAttr record;
  StringRef missing;

  template <typename AttrT> AttrT get(StringRef field) {
    auto attr = record.getAs<AttrT>(field);
    if (!attr && missing.empty())
      missing = field;
    return attr;
  }
  RankedTensorType type(StringRef field) {
    auto attr = get<TypeAttr>(field);
    auto type = attr ? dyn_cast<RankedTensorType>(attr.getValue()) : nullptr;
    if (attr && !type && missing.empty())
      missing = field;
    return type;
  }
};
} // namespace

static LogicalResult readBackendAttrs(Operation *kernel, LayerABI &layer) {
  if (auto tiles =
          kernel->getAttrOfType<DenseI64ArrayAttr>(layer_attrs::kTileShape)) {
    if (tiles.size() != 4)
      return kernel->emitError()
             << layer_attrs::kTileShape << " must have 4 entries";
    layer.tileShape.assign(tiles.asArrayRef().begin(),
                           tiles.asArrayRef().end());
  }
  if (auto bytes =
          kernel->getAttrOfType<IntegerAttr>(layer_attrs::kWorkspaceBytes))
    layer.workspaceBytes = bytes.getInt();
  if (auto bytes =
          kernel->getAttrOfType<IntegerAttr>(layer_attrs::kPackedWeightsBytes))
    layer.packedWeightsBytes = bytes.getInt();
  return success();
}

FailureOr<LayerABI> LayerABI::read(Operation *kernel) {
  auto record = kernel->getAttrOfType<DictionaryAttr>(layer_attrs::kLayer);
  if (!record)
    return kernel->emitError() << "has no " << layer_attrs::kLayer << " record";
  RecordReader r{record, {}};
  LayerABI layer;
  StringAttr name = r.get<StringAttr>("name");
  layer.inputType = r.type("input");
  layer.kernelType = r.type("kernel");
  layer.outputType = r.type("output");
  BoolAttr hasBias = r.get<BoolAttr>("has_bias");
  BoolAttr baked = r.get<BoolAttr>("weights_baked");
  auto strides = r.get<DenseI64ArrayAttr>("strides");
  auto dilation = r.get<DenseI64ArrayAttr>("dilation_rate");
  auto padding = r.get<PaddingAttr>("padding");
  auto format = r.get<DataFormatAttr>("data_format");
  auto activation = r.get<ActivationAttr>("activation");
  if (!r.missing.empty())
    return kernel->emitError() << layer_attrs::kLayer << ": field '"
                               << r.missing << "' is missing or malformed";
  layer.name = name.str();
  layer.hasBias = hasBias.getValue();
  layer.weightsBaked = baked.getValue();
  layer.strides.assign(strides.asArrayRef().begin(),
                       strides.asArrayRef().end());
  layer.dilationRate.assign(dilation.asArrayRef().begin(),
                            dilation.asArrayRef().end());
  layer.padding = padding.getValue();
  layer.dataFormat = format.getValue();
  layer.activation = activation.getValue();
  if (auto folded = record.getAs<StringAttr>("folded_layers"))
    layer.foldedLayers = folded.str();
  if (auto kerasName = record.getAs<StringAttr>("keras_name"))
    layer.kerasName = kerasName.str();
  if (auto pads = record.getAs<DenseI64ArrayAttr>("pads"))
    layer.pads.assign(pads.asArrayRef().begin(), pads.asArrayRef().end());
  if (layer.padding == Padding::explicit_pads && layer.pads.size() != 4)
    return kernel->emitError()
           << layer_attrs::kLayer << ": explicit padding without 4 'pads'";
  layer.activationText = stringifyActivation(layer.activation).str();
  if (auto text = record.getAs<StringAttr>("activation_text"))
    layer.activationText = text.str();
  if (failed(readBackendAttrs(kernel, layer)))
    return failure();
  return layer;
}

FailureOr<SmallVector<LayerABI, 0>>
mlir::dwconv::collectLayers(ModuleOp module) {
  SmallVector<LayerABI, 0> layers;
  for (Operation &op : *module.getBody()) {
    if (!op.hasAttr(layer_attrs::kLayer))
      continue;
    FailureOr<LayerABI> layer = LayerABI::read(&op);
    if (failed(layer))
      return failure();
    layers.push_back(std::move(*layer));
  }
  return layers;
}
