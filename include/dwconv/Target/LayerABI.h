//===- LayerABI.h - the C interface of one generated layer ------*- C++ -*-===//
//
// What the runtime is told about a layer (its metadata) and what its symbols
// are named. Recorded on the layer's kernel function when the layer is
// outlined (attribute `dwconv.layer`), completed by the backend's passes
// (tile shape, workspace and packed-weights bytes), and read back to build
// the entry points and the header.
//
//===----------------------------------------------------------------------===//

#ifndef DWCONV_TARGET_LAYERABI_H
#define DWCONV_TARGET_LAYERABI_H

#include "dwconv/Dialect/DWConv/IR/DWConv.h"

#include "mlir/IR/BuiltinOps.h"

#include <string>

namespace mlir {
namespace dwconv {

/// Attributes on a kernel function that describe its layer.
namespace layer_attrs {
/// DictionaryAttr: the layer (LayerABI::toAttr).
constexpr StringLiteral kLayer = "dwconv.layer";
/// DenseI64ArrayAttr: the output tile one tile index computes.
constexpr StringLiteral kTileShape = "dwconv.tile_shape";
/// IntegerAttr: bytes of workspace one worker needs.
constexpr StringLiteral kWorkspaceBytes = "dwconv.workspace_bytes";
/// IntegerAttr: bytes of the packed weights.
constexpr StringLiteral kPackedWeightsBytes = "dwconv.packed_weights_bytes";
} // namespace layer_attrs

struct LayerABI {
  /// C identifier the symbols are named after.
  std::string name;
  /// The Keras layers folded into this one (kFoldedLayersAttr), or "".
  std::string foldedLayers;
  /// The Keras layer name, verbatim (kKerasNameAttr), or "".
  std::string kerasName;
  RankedTensorType inputType, kernelType, outputType;
  bool hasBias = false;
  /// Kernel and bias are constants in the object, not call arguments.
  bool weightsBaked = false;
  SmallVector<int64_t, 2> strides, dilationRate;
  Padding padding = Padding::valid;
  /// (top, bottom, left, right) for explicit padding, else empty.
  SmallVector<int64_t, 4> pads;
  DataFormat dataFormat = DataFormat::channels_last;
  Activation activation = Activation::linear;
  /// The activation with its parameters, as describeActivation writes it.
  std::string activationText;
  /// Set by the backend: output tile per output dim (0: the whole dim).
  SmallVector<int64_t, 4> tileShape = {0, 0, 0, 0};
  /// Set by the cuda backend: a GPU kernel computes the layer (no tile
  /// function).
  bool onGPU = false;
  /// Set by the backend: workspace bytes per worker, packed-weights bytes.
  int64_t workspaceBytes = 0;
  int64_t packedWeightsBytes = 0;

  /// Every exported symbol of a layer is `dwconv_<name>_<word>`, the word
  /// one of run, call, metadata, tile, pack, kernel (none has a '_'): the
  /// last '_' splits a symbol into name and word, so layers with distinct
  /// names never share a symbol (docs/runtime.md, "Symbols").
  std::string symbol(StringRef word) const {
    return "dwconv_" + name + "_" + word.str();
  }
  /// The header's typed convenience function.
  std::string wrapperName() const { return symbol("run"); }
  /// The Keras name where known, else the symbol name.
  StringRef displayName() const { return kerasName.empty() ? name : kerasName; }
  /// Exported: the uniform entry point, the metadata, the tile function and
  /// (for weights given at run time) the pack function.
  std::string callSymbol() const { return symbol("call"); }
  std::string metadataSymbol() const { return symbol("metadata"); }
  std::string tileSymbol() const { return symbol("tile"); }
  std::string packSymbol() const { return symbol("pack"); }
  /// The GPU kernel (a PTX entry: a C identifier, no '.').
  std::string gpuKernelSymbol() const { return symbol("kernel"); }
  /// Internal: the functions the backend lowers.
  std::string kernelFunction() const { return "dwconv_kernel." + name; }
  std::string packFunction() const { return "dwconv_pack." + name; }

  /// Input dims given at run time, in order.
  SmallVector<unsigned> dynamicInputDims() const;
  /// The name of input dim `dim` ("batch", "height", ...).
  StringRef dimName(unsigned dim) const;
  /// Output channels: C * M.
  int64_t outputChannels() const;
  /// Kernel taps: kh * kw.
  int64_t kernelTaps() const;

  /// The `dwconv.layer` record of the layer (what outlining knows).
  DictionaryAttr toAttr(MLIRContext *ctx) const;
  /// The layer recorded on `kernel` (a func.func or llvm.func): its
  /// `dwconv.layer` record and the backend's attributes.
  static FailureOr<LayerABI> read(Operation *kernel);
};

/// The layers recorded on the functions of `module`, in module order.
FailureOr<SmallVector<LayerABI, 0>> collectLayers(ModuleOp module);

} // namespace dwconv
} // namespace mlir

#endif // DWCONV_TARGET_LAYERABI_H
