//===- CPUStrategy.h - how a layer is computed on a CPU ---------*- C++ -*-===//
//
// The heuristics of the CPU backend, apart from the passes that apply them
// (as IREE keeps KernelDispatch apart from its pipelines): which output tile
// one tile index computes, and how weights are packed.
//
//===----------------------------------------------------------------------===//

#ifndef DWCONV_CODEGEN_CPUSTRATEGY_H
#define DWCONV_CODEGEN_CPUSTRATEGY_H

#include "dwconv/Target/LayerABI.h"

namespace mlir {
namespace dwconv {

struct CPUStrategy {
  /// Output tile per output dim, in the layer's data_format order; 0 means
  /// the whole dim.
  SmallVector<int64_t, 4> tileShape;
};

/// The strategy for `layer` on a target with `vectorBits`-wide vectors, or
/// an error at `loc` saying why the layer cannot be tiled.
FailureOr<CPUStrategy> selectCPUStrategy(const LayerABI &layer,
                                         unsigned vectorBits, Location loc);

/// Where the packed weights keep the bias and the kernel, in floats.
struct PackedWeightsLayout {
  int64_t biasOffset = 0;
  /// The kernel, in (kh, kw, C * M) order.
  int64_t kernelOffset = 0;
  /// The whole buffer, a multiple of the ABI alignment.
  int64_t size = 0;
};

PackedWeightsLayout getPackedWeightsLayout(const LayerABI &layer);

} // namespace dwconv
} // namespace mlir

#endif // DWCONV_CODEGEN_CPUSTRATEGY_H
