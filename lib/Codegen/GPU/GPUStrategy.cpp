//===- GPUStrategy.cpp - how a layer is computed on a GPU -----------------===//
//
// One thread block computes one ABI tile: one image, one index of output dim
// 1 (an output row for channels_last, an output channel for channels_first),
// `threadsY * outputsPerThread` elements of the blocked dim and `threadsX`
// of the contiguous one. Warps run along the contiguous dim: 32 consecutive
// channels (channels_last) or columns (channels_first) are one 128-byte
// global transaction per load and per store. Each thread keeps
// `outputsPerThread` accumulators in registers: at stride 1 the outputs of a
// thread share all but one input per kernel column (channels_last), so a
// thread loads about (K + kw - 1) / (K * kw) of what one output per thread
// would. 256 threads per block where the layer is large enough; fewer
// threads in y for short blocked dims, so that small layers do not launch
// mostly idle threads.
//
// softmax, log_softmax and sparsemax reduce over the contiguous dim (Keras's
// last axis: the channels, or the width for channels_first): their tiles
// hold whole rows of it, the threads x step through the row, and after the
// block's threads meet, one thread per row normalizes it (sparsemax in
// O(n^2) per row, as the linalg form does without a sort). Correct, not
// fast: such layers are rare. glu halves the last axis: each thread
// computes the convolution at its element e and at e + half, and stores
// a * sigmoid(b).
//
//===----------------------------------------------------------------------===//

#include "dwconv/Codegen/GPUStrategy.h"

#include "mlir/IR/Builders.h"
#include "llvm/Support/MathExtras.h"

#include <algorithm>

using namespace mlir;
using namespace mlir::dwconv;

/// Threads along the contiguous dim: one warp.
static constexpr int64_t kThreadsX = 32;
/// Threads along the blocked dim, at most.
static constexpr int64_t kMaxThreadsY = 8;
/// Outputs per thread along the blocked dim, at most.
static constexpr int64_t kMaxOutputsPerThread = 4;
/// The taps x outputs of one kernel row a thread unrolls, at most.
static constexpr int64_t kMaxUnrolledTaps = 64;

DictionaryAttr ThreadMapping::toAttr(MLIRContext *ctx) const {
  Builder b(ctx);
  return b.getDictionaryAttr(
      {b.getNamedAttr("threads_x", b.getI64IntegerAttr(threadsX)),
       b.getNamedAttr("threads_y", b.getI64IntegerAttr(threadsY)),
       b.getNamedAttr("outputs_per_thread",
                      b.getI64IntegerAttr(outputsPerThread))});
}

FailureOr<ThreadMapping> ThreadMapping::fromAttr(DictionaryAttr attr) {
  ThreadMapping mapping;
  auto get = [&](StringRef name, int64_t &field, int64_t max) {
    auto value = attr ? attr.getAs<IntegerAttr>(name) : IntegerAttr();
    if (!value || value.getInt() < 1 || value.getInt() > max)
      return false;
    field = value.getInt();
    return true;
  };
  if (!get("threads_x", mapping.threadsX, 1024) ||
      !get("threads_y", mapping.threadsY, 1024) ||
      !get("outputs_per_thread", mapping.outputsPerThread, 64) ||
      mapping.threadsPerBlock() > 1024)
    return failure();
  return mapping;
}

FailureOr<GPUStrategy> mlir::dwconv::selectGPUStrategy(const LayerABI &layer,
                                                       const GPUTarget &target,
                                                       Location loc) {
  bool wholeRows = layer.activation == Activation::softmax ||
                   layer.activation == Activation::log_softmax ||
                   layer.activation == Activation::sparsemax;
  // A thread loops over the kernel rows and unrolls the kernel columns x
  // its outputs.
  int64_t unrolledKernelDim = layer.kernelType.getDimSize(1);
  GPUStrategy strategy;
  ThreadMapping &mapping = strategy.mapping;
  mapping.threadsX = kThreadsX;
  mapping.outputsPerThread = std::clamp<int64_t>(
      kMaxUnrolledTaps / std::max<int64_t>(unrolledKernelDim, 1), 1,
      kMaxOutputsPerThread);
  int64_t blocked = layer.outputType.getDimSize(2);
  mapping.threadsY = kMaxThreadsY;
  if (!ShapedType::isDynamic(blocked))
    mapping.threadsY = std::clamp<int64_t>(
        llvm::PowerOf2Ceil(llvm::divideCeil(blocked, mapping.outputsPerThread)),
        1, kMaxThreadsY);
  if (target.threadsX)
    mapping.threadsX = target.threadsX;
  if (target.threadsY)
    mapping.threadsY = target.threadsY;
  if (target.outputsPerThread)
    mapping.outputsPerThread = target.outputsPerThread;
  if (mapping.threadsX < 1 || mapping.threadsY < 1 ||
      mapping.outputsPerThread < 1 || mapping.threadsPerBlock() > 1024 ||
      mapping.outputsPerThread > 64)
    return emitError(loc) << "layer '" << layer.name
                          << "': " << mapping.threadsX << " x "
                          << mapping.threadsY << " threads of "
                          << mapping.outputsPerThread
                          << " outputs each: 1 to 1024 threads per block "
                             "and 1 to 64 outputs per thread";
  strategy.tileShape = {1, 1, mapping.threadsY * mapping.outputsPerThread,
                        wholeRows ? 0 : mapping.threadsX};
  return strategy;
}
