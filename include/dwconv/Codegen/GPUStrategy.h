//===- GPUStrategy.h - how a layer is computed on a GPU ---------*- C++ -*-===//
//
// The heuristics of the GPU backend, apart from the passes that apply them:
// how a layer's output is split over thread blocks (the ABI's tiles: one
// thread block computes one tile) and over the threads of a block.
//
//===----------------------------------------------------------------------===//

#ifndef DWCONV_CODEGEN_GPUSTRATEGY_H
#define DWCONV_CODEGEN_GPUSTRATEGY_H

#include "dwconv/Target/LayerABI.h"

namespace mlir {
namespace dwconv {

/// What the heuristics know of the target GPU.
struct GPUTarget {
  /// The oldest compute capability the code runs on, as 10 * major + minor
  /// (80 for sm_80).
  unsigned computeCapability = 80;
  /// Overrides of the heuristics' thread mapping (0: the heuristics'),
  /// from the pipeline's options.
  int64_t threadsX = 0, threadsY = 0, outputsPerThread = 0;
};

/// How the threads of a block share its tile (DWConvGPUMapToThreads.cpp).
/// Output dims 2 and 3 of the layer's data_format order are the "blocked"
/// and the "contiguous" dim: (W, C) for channels_last, (H, W) for
/// channels_first. Consecutive threads x take consecutive elements of the
/// contiguous dim (global loads and stores coalesce); each thread computes
/// `outputsPerThread` consecutive outputs of the blocked dim, its
/// accumulators in registers, so that inputs and weights it loads serve
/// several outputs.
struct ThreadMapping {
  int64_t threadsX = 32;
  int64_t threadsY = 1;
  int64_t outputsPerThread = 1;

  int64_t threadsPerBlock() const { return threadsX * threadsY; }
  /// As the attribute `dwconv.gpu_mapping` records it.
  DictionaryAttr toAttr(MLIRContext *ctx) const;
  static FailureOr<ThreadMapping> fromAttr(DictionaryAttr attr);
};

constexpr StringLiteral kThreadMappingAttr = "dwconv.gpu_mapping";

/// On the host function of a GPU layer with baked weights: the
/// memref.global of its packed weights, which its GPU kernel takes as an
/// argument (dwconv-gpu-create-kernels).
constexpr StringLiteral kBakedWeightsAttr = "dwconv.baked_weights";

struct GPUStrategy {
  /// Output tile of one thread block per output dim, data_format order:
  /// (1, 1, threadsY * outputsPerThread, threadsX), or whole rows of the
  /// contiguous dim (0) for softmax and log_softmax.
  SmallVector<int64_t, 4> tileShape;
  ThreadMapping mapping;
};

/// The strategy for `layer` on `target`, or an error at `loc` saying why the
/// layer has no GPU code.
FailureOr<GPUStrategy> selectGPUStrategy(const LayerABI &layer,
                                         const GPUTarget &target, Location loc);

} // namespace dwconv
} // namespace mlir

#endif // DWCONV_CODEGEN_GPUSTRATEGY_H
