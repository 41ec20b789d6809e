//===- LayerABI.h - the C interface of one generated layer ------*- C++ -*-===//
//
// What the entry point of a layer takes and what its metadata says. Built by
// the compiler from a dwconv op, consumed by the entry-point builder and the
// header writer; it mirrors dwconv_layer_metadata in runtime/.
//
//===----------------------------------------------------------------------===//

#ifndef DWCONV_TARGET_LAYERABI_H
#define DWCONV_TARGET_LAYERABI_H

#include "dwconv/Dialect/DWConv/IR/DWConv.h"

#include <string>

namespace mlir {
namespace dwconv {

/// The runtime ABI version generated objects are built for
/// (DWCONV_ABI_VERSION in runtime/include/dwconv/runtime.h).
constexpr uint32_t kRuntimeABIVersion = 1;

struct LayerABI {
  /// C identifier the symbols are named after: `dwconv_<name>` (entry point)
  /// and `dwconv_<name>_metadata`.
  std::string name;
  /// The lowered function computing the layer on memref descriptors.
  std::string kernelSymbol;
  RankedTensorType inputType, kernelType, outputType;
  bool hasBias = false;
  /// Kernel and bias are constants in the object, not entry-point arguments.
  bool weightsBaked = false;
  SmallVector<int64_t, 2> strides, dilationRate;
  Padding padding = Padding::valid;
  DataFormat dataFormat = DataFormat::channels_last;
  Activation activation = Activation::linear;

  std::string entrySymbol() const { return "dwconv_" + name; }
  std::string metadataSymbol() const { return entrySymbol() + "_metadata"; }
  /// Input dims given at run time, in order (each one an int64_t argument).
  SmallVector<unsigned> dynamicInputDims() const;
  /// The name of input dim `dim` ("batch", "height", ...).
  StringRef dimName(unsigned dim) const;
};

} // namespace dwconv
} // namespace mlir

#endif // DWCONV_TARGET_LAYERABI_H
