//===- CPUStrategy.cpp - how a layer is computed on a CPU -----------------===//
//
// Tiles: one image, a block of output rows and columns, all channels. The
// channels stay whole so that a tile holds whole output pixels (softmax over
// the channels of channels_last needs them); the columns stay whole where
// softmax reduces over them (channels_first). A tile aims at about 128 K
// multiply-adds: enough to amortize its set-up and the halo rows its padded
// input window copies again, small enough that a layer has tiles for several
// workers and the window (the worker's workspace) stays in L2. On
// MobileNetV2's layers (geomean of 8, AMD EPYC, 2 cores), 64 K tiles cost 2%
// at 1 thread and 256 K ones 14% at 2 threads against 128 K.
//===----------------------------------------------------------------------===//

#include "dwconv/Codegen/CPUStrategy.h"
#include "dwconv/Target/RuntimeABI.h"

#include "llvm/Support/MathExtras.h"

#include <algorithm>

using namespace mlir;
using namespace mlir::dwconv;

/// Multiply-adds one tile aims at.
static constexpr int64_t kTileWork = 128 * 1024;
/// Output columns per tile when the width is tiled (a multiple of every
/// vector width in floats).
static constexpr int64_t kTileColumns = 64;
/// At most this many rows per tile.
static constexpr int64_t kMaxTileRows = 16;

static bool reducesOverLastAxis(Activation activation) {
  return activation == Activation::softmax ||
         activation == Activation::log_softmax;
}

FailureOr<CPUStrategy> mlir::dwconv::selectCPUStrategy(const LayerABI &layer,
                                                       unsigned vectorBits,
                                                       Location loc) {
  TensorLayout out = TensorLayout::get(layer.dataFormat);
  int64_t height = layer.outputType.getDimSize(out.height);
  int64_t width = layer.outputType.getDimSize(out.width);
  bool wholeWidth = layer.dataFormat == DataFormat::channels_first &&
                    reducesOverLastAxis(layer.activation);
  if (wholeWidth && ShapedType::isDynamic(width))
    return emitError(loc) << "layer '" << layer.name
                          << "': " << stringifyActivation(layer.activation)
                          << " over the width (the last axis of "
                             "channels_first) needs whole rows in a tile, "
                             "which a dynamic width does not bound; compile "
                             "the layer for a static width";
  // Columns: whole when few (or when softmax needs them), else blocks.
  int64_t columns = kTileColumns;
  if (wholeWidth || (!ShapedType::isDynamic(width) && width <= 2 * columns))
    columns = 0;
  int64_t tileWidth = columns                        ? columns
                      : ShapedType::isDynamic(width) ? kTileColumns
                                                     : width;
  int64_t taps = layer.kernelType.getDimSize(kKernelHeight) *
                 layer.kernelType.getDimSize(kKernelWidth);
  int64_t rowWork =
      std::max<int64_t>(1, tileWidth * layer.outputChannels() * taps);
  int64_t rows = std::clamp<int64_t>(llvm::divideCeil(kTileWork, rowWork), 1,
                                     kMaxTileRows);
  if (!ShapedType::isDynamic(height) && rows >= height)
    rows = 0;
  (void)vectorBits; // Scalar loops for now: every width tiles alike.

  CPUStrategy strategy;
  strategy.tileShape.assign(4, 0);
  strategy.tileShape[out.batch] = 1;
  strategy.tileShape[out.height] = rows;
  strategy.tileShape[out.width] = columns;
  return strategy;
}

PackedWeightsLayout
mlir::dwconv::getPackedWeightsLayout(const LayerABI &layer) {
  int64_t alignment = abi::ALIGNMENT / sizeof(float);
  int64_t channels = layer.outputChannels();
  PackedWeightsLayout layout;
  layout.biasOffset = 0;
  layout.kernelOffset = layer.hasBias ? llvm::alignTo(channels, alignment) : 0;
  int64_t kernelSize = layer.kernelType.getNumElements();
  layout.size = llvm::alignTo(layout.kernelOffset + kernelSize, alignment);
  return layout;
}
