//===- CPUStrategy.cpp - how a layer is computed on a CPU -----------------===//
//
// Two paths. The vector path (DWConvCPUVectorize) takes f32 layers with an
// element-wise epilogue, channels_last with a multiplier that divides the
// lanes or channels_first with stride 1 in width: a tile is one image x a
// block of output rows x the whole width and all channels, and its inner
// step keeps a register block of accumulators in registers. For small
// kernels (3x3 and, with 32 registers, 5x5) the kh x kw weight vectors stay
// in registers for a whole row and the rest of the register file holds
// output columns of one channel vector (16 on AVX-512, 4 on AVX2), so that a
// step loads only inputs, each feeding up to kw FMAs (at stride 1, 18 loads
// for 48 FMAs per kernel row). Larger kernels take oneDNN's jit_uni_dw
// block (4 channel vectors x 6 columns with 32 registers, 3 x 4 with 16):
// each weight vector loaded serves `columns` FMAs. XNNPACK's one-pixel
// kernels load about twice per FMA.
//
// The loop path takes the rest (softmax, other multipliers, channels_first
// with a width stride above 1).
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

#include "mlir/IR/Builders.h"
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
/// At most this many output columns in a register block: with resident
/// weights, and without.
static constexpr int64_t kMaxColumns = 16;
static constexpr int64_t kMaxBlockedColumns = 8;
/// Registers left for the input vectors in flight.
static constexpr int64_t kInputRegisters = 3;

/// softmax, log_softmax, glu and sparsemax need whole rows of the last axis.
static bool reducesOverLastAxis(Activation activation) {
  return activation == Activation::softmax ||
         activation == Activation::log_softmax ||
         activation == Activation::glu || activation == Activation::sparsemax;
}

DictionaryAttr RegisterBlock::toAttr(MLIRContext *ctx) const {
  Builder b(ctx);
  return b.getDictionaryAttr(
      {b.getNamedAttr("columns", b.getI64IntegerAttr(columns)),
       b.getNamedAttr("channel_vectors", b.getI64IntegerAttr(channelVectors)),
       b.getNamedAttr("lanes", b.getI64IntegerAttr(lanes)),
       b.getNamedAttr("fma", b.getBoolAttr(fma)),
       b.getNamedAttr("resident_weights", b.getBoolAttr(residentWeights))});
}

FailureOr<RegisterBlock> RegisterBlock::fromAttr(DictionaryAttr attr) {
  RegisterBlock block;
  auto get = [&](StringRef name, int64_t &field) {
    auto value = attr ? attr.getAs<IntegerAttr>(name) : IntegerAttr();
    if (!value || value.getInt() < 1 || value.getInt() > 64)
      return false;
    field = value.getInt();
    return true;
  };
  auto fma = attr ? attr.getAs<BoolAttr>("fma") : BoolAttr();
  auto resident = attr ? attr.getAs<BoolAttr>("resident_weights") : BoolAttr();
  if (!get("columns", block.columns) ||
      !get("channel_vectors", block.channelVectors) ||
      !get("lanes", block.lanes) || !fma || !resident)
    return failure();
  block.fma = fma.getValue();
  block.residentWeights = resident.getValue();
  return block;
}

/// Kernel widths and tap counts beyond which the vector path's unrolled code
/// would take long to compile (the largest model kernels are 7x7 and 9x9).
constexpr int64_t kMaxUnrolledKernelWidth = 64;
constexpr int64_t kMaxVectorKernelTaps = 1024;

/// Whether the vector path computes `layer`: f32, an epilogue that is
/// element-wise; channels_last with whole input channels in each vector of
/// outputs, or channels_first with stride 1 along the width (its vectors).
static bool takesVectorPath(const LayerABI &layer, const CPUTarget &target) {
  int64_t lanes = target.vectorBits / 32;
  int64_t channels = layer.kernelType.getDimSize(kKernelChannels);
  // The vector code unrolls a kernel row's taps for each column block: wide
  // kernels (far beyond any model's) keep the loop path's compile time.
  if (lanes < 4 || !layer.inputType.getElementType().isF32() ||
      reducesOverLastAxis(layer.activation) ||
      ShapedType::isDynamic(channels) ||
      layer.kernelType.getDimSize(kKernelWidth) > kMaxUnrolledKernelWidth ||
      layer.kernelTaps() > kMaxVectorKernelTaps)
    return false;
  if (layer.dataFormat == DataFormat::channels_first)
    return layer.strides[1] == 1;
  int64_t multiplier = layer.outputChannels() / channels;
  return lanes % multiplier == 0;
}

/// channels_first: vectors of output columns of one channel, its kh x kw
/// weights broadcast in registers when they fit; lanes no wider than a
/// static output row, so that narrow rows still get vectors.
static RegisterBlock selectWidthBlock(const LayerABI &layer,
                                      const CPUTarget &target) {
  RegisterBlock block;
  block.lanes = target.vectorBits / 32;
  int64_t outWidth = layer.outputType.getDimSize(3);
  while (block.lanes > 4 && !ShapedType::isDynamic(outWidth) &&
         block.lanes > outWidth)
    block.lanes /= 2;
  block.fma = target.fma;
  block.channelVectors = 1;
  int64_t registers = target.vectorRegisters;
  int64_t taps = layer.kernelTaps();
  block.residentWeights = taps + kInputRegisters + 4 <= registers;
  int64_t free =
      registers - kInputRegisters - (block.residentWeights ? taps : 1);
  block.columns = std::clamp<int64_t>(free, 1, kMaxBlockedColumns);
  return block;
}

/// Small kernels (3x3: 9 weight vectors) keep one channel vector's weights
/// in registers for a whole row and block as many columns as the rest of
/// the register file holds, less a few for the input in flight: each
/// input vector loaded feeds up to kw FMAs and no weight is reloaded
/// (16 columns x 1 vector on AVX-512, 4 on AVX2). Larger kernels reload
/// each tap's weights once per block of columns x channel vectors, with
/// accumulators in three quarters of the register file (oneDNN's 6 x 4).
static RegisterBlock selectRegisterBlock(const LayerABI &layer,
                                         const CPUTarget &target) {
  RegisterBlock block;
  block.lanes = target.vectorBits / 32;
  block.fma = target.fma;
  int64_t registers = target.vectorRegisters;
  int64_t taps = layer.kernelTaps();
  if (taps + kInputRegisters + 4 <= registers) {
    block.residentWeights = true;
    block.channelVectors = 1;
    block.columns =
        std::min<int64_t>(registers - taps - kInputRegisters, kMaxColumns);
    return block;
  }
  int64_t vectors = llvm::divideCeil(layer.outputChannels(), block.lanes);
  block.channelVectors = std::min<int64_t>(vectors, registers >= 32 ? 4 : 3);
  block.columns = std::clamp<int64_t>(registers * 3 / 4 / block.channelVectors,
                                      1, kMaxBlockedColumns);
  return block;
}

FailureOr<CPUStrategy> mlir::dwconv::selectCPUStrategy(const LayerABI &layer,
                                                       const CPUTarget &target,
                                                       Location loc) {
  TensorLayout out = TensorLayout::get(layer.dataFormat);
  int64_t height = layer.outputType.getDimSize(out.height);
  int64_t width = layer.outputType.getDimSize(out.width);
  bool vector = takesVectorPath(layer, target);
  bool wholeWidth = vector || (layer.dataFormat == DataFormat::channels_first &&
                               reducesOverLastAxis(layer.activation));
  if (wholeWidth && !vector && ShapedType::isDynamic(width))
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
  int64_t taps = layer.kernelTaps();
  int64_t rowWork =
      std::max<int64_t>(1, tileWidth * layer.outputChannels() * taps);
  int64_t rows = std::clamp<int64_t>(llvm::divideCeil(kTileWork, rowWork), 1,
                                     kMaxTileRows);
  if (!ShapedType::isDynamic(height) && rows >= height)
    rows = 0;
  CPUStrategy strategy;
  if (vector)
    strategy.registerBlock = layer.dataFormat == DataFormat::channels_first
                                 ? selectWidthBlock(layer, target)
                                 : selectRegisterBlock(layer, target);
  strategy.tileShape.assign(4, 0);
  strategy.tileShape[out.batch] = 1;
  strategy.tileShape[out.height] = rows;
  strategy.tileShape[out.width] = columns;
  return strategy;
}

/// Vector code is unrolled and vectorized already: the loop passes of LLVM's
/// default pipeline (unrolling, vectorizers, induction variable rewriting)
/// find nothing to do there but cost three quarters of its time (MobileNetV2:
/// 0.9 of 1.2 s of LLVM optimization, every bench layer within noise). Its
/// loads are constant offsets from one base per input row, which x86
/// addressing folds, so loop strength reduction gains nothing there either
/// (bench: every layer within noise without it) while costing 60% of the
/// code generation time; the exception is a depth multiplier, whose
/// spread channel loads keep too many bases live without the pass
/// (multiplier_2 spills 70 times in its inner loop, 0.78x).
LLVMPasses mlir::dwconv::selectLLVMPasses(const LayerABI &layer,
                                          std::optional<RegisterBlock> block) {
  if (!block)
    return {};
  return {/*defaultPipeline=*/false,
          /*strengthReduction=*/layer.kernelType.getDimSize(
              kKernelMultiplier) != 1};
}

PackedWeightsLayout
mlir::dwconv::getPackedWeightsLayout(const LayerABI &layer) {
  int64_t alignment = abi::ALIGNMENT / sizeof(float);
  int64_t channels = layer.outputChannels();
  PackedWeightsLayout layout;
  layout.biasOffset = 0;
  layout.kernelOffset = layer.hasBias ? llvm::alignTo(channels, alignment) : 0;
  // When C * M floats are a multiple of 2 KiB, taps C * M apart fall in
  // one or two L1 sets (a 4 KiB way), with the input pixels of the same
  // channels: a cache line between taps spreads them. (mnv1_conv_dw_13,
  // 1024 channels: 36 GFLOP/s with the weights at the input's page offset,
  // 53 one KiB off, measured by moving the packed buffer.)
  int64_t perTap = layer.outputChannels();
  layout.tapStride =
      perTap % (2048 / sizeof(float)) == 0 ? perTap + alignment : perTap;
  int64_t taps = layer.kernelTaps();
  layout.size =
      llvm::alignTo(layout.kernelOffset + taps * layout.tapStride, alignment);
  return layout;
}
