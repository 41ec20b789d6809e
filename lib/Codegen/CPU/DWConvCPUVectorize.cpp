//===- DWConvCPUVectorize.cpp - register-blocked vector code for a layer --===//
//
// The vector path of the CPU backend. Upstream's route (tile the conv to
// 1 x 1 x W x C, decompose to the 1-D depthwise conv, vectorize) computes an
// interior tile well, but it has no answer for the padding: fusing the
// tensor.pad into each tile leaves a per-tile, scalar, allocated pad under an
// scf.if, and there is no border peel for convolutions. So this pass writes
// the tile itself, from the linalg form the conversion produced (contraction,
// its zero-fill and padding, element-wise epilogue), as the fastest
// hand-written kernels do:
//
//   forall (n, row block)                        -- the ABI's tiles
//     rows above the interior, interior rows, rows below (three loops; a
//     border row runs only the kernel rows that read inside the input)
//       for each channel block of `channelVectors` vectors (last one masked)
//         left border columns, one at a time, each kw tap tested
//         interior: blocks of `columns` columns, no test at all, then blocks
//           of half as many for what is left, down to single columns
//         right border columns, one at a time, each kw tap tested
//
// A step keeps columns x channelVectors accumulators in registers across the
// kh x kw taps. Small kernels hold the channel block's weights in registers
// for the whole row (resident) and unroll all taps; larger ones load each
// tap's weights once per step (and loop over their kernel rows when taller
// than 3). Each input vector is loaded once per kernel row and feeds every
// (column, kw) tap that reads it, so an input is dead right after its last
// FMA. The epilogue (cloned from the linalg.generic onto vectors) is applied
// before the step's single store. Each output sums its taps in (kh, kw)
// order in one tile, whatever the thread count; taps in the padding are
// skipped, not multiplied by zero.
//
// channels_first layers (stride 1 in width) get vectors along the width
// instead, one output channel at a time (see emitChannelsFirst).
//
//===----------------------------------------------------------------------===//

#include "dwconv/Codegen/CPUStrategy.h"
#include "dwconv/Codegen/ConvForm.h"
#include "dwconv/Codegen/Passes.h"

#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Arith/Utils/Utils.h"
#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/ImplicitLocOpBuilder.h"
#include "mlir/IR/Matchers.h"
#include "llvm/Support/Debug.h"

#include <map>

#define DEBUG_TYPE "dwconv-cpu-vectorize"

namespace mlir {
namespace dwconv {
#define GEN_PASS_DEF_DWCONVCPUVECTORIZEPASS
#include "dwconv/Codegen/Passes.h.inc"
} // namespace dwconv
} // namespace mlir

using namespace mlir;
using namespace mlir::dwconv;

namespace {

/// Where a row of a tile is: batch index, row in the tile, first input row
/// its taps read, and whether the tap rows must be tested.
struct RowPlace {
  Value n, row, inputRow;
  bool guarded;
};

/// A block of channels: first output channel, vectors, valid lanes of the
/// last vector (0: all), and the weights when they stay in registers
/// ((kh, kw, vector) order).
struct ChannelBlock {
  Value first;
  int64_t vectors, tail;
  ArrayRef<Value> resident = {};
};

/// Emits the vector code of one kernel.
class Emitter {
public:
  Emitter(ImplicitLocOpBuilder &b, const ConvForm &form,
          const RegisterBlock &block)
      : b(b), form(form), block(block),
        vectorType(VectorType::get({block.lanes}, b.getF32Type())) {}

  /// The forall over the tiles of `tileShape`; returns its result.
  Value emitTiles(ArrayRef<int64_t> tileShape);

private:
  /// One constant per value for the whole kernel, placed before its forall:
  /// the canonicalizer would otherwise hoist and merge thousands of them.
  Value constant(TypedAttr value);
  Value once(Value &cached, function_ref<Value()> create);
  Value index(int64_t value) { return constant(b.getIndexAttr(value)); }
  Value indexValue(OpFoldResult value) {
    if (std::optional<int64_t> constant = getConstantIntValue(value))
      return index(*constant);
    return cast<Value>(value);
  }
  Value add(Value x, int64_t c) {
    return c ? arith::AddIOp::create(b, x, index(c)).getResult() : x;
  }
  Value mul(Value x, int64_t c) {
    return c != 1 ? arith::MulIOp::create(b, x, index(c)).getResult() : x;
  }
  Value inRange(Value x, Value size);
  Value mask(int64_t lanes, int64_t valid);

  Value emitRows(Value tile, Value n, Value firstRow, Value rows);
  Value emitRowLoop(Value tile, Value n, Value firstRow, Value lower,
                    Value upper, bool guarded);
  Value emitRow(Value tile, const RowPlace &row);
  Value emitChannelBlock(Value tile, const RowPlace &row,
                         ChannelBlock channels);
  Value emitColumnLoop(Value tile, const RowPlace &row,
                       const ChannelBlock &channels, Value lower, Value upper,
                       int64_t columns, bool guarded);
  Value emitColumns(Value tile, const RowPlace &row,
                    const ChannelBlock &channels, Value column, int64_t columns,
                    bool guarded);
  Value emitStores(Value tile, const RowPlace &row,
                   const ChannelBlock &channels, Value column, int64_t columns,
                   ArrayRef<Value> acc);
  using TapRowFn =
      function_ref<SmallVector<Value>(ArrayRef<Value>, OpFoldResult, Value)>;
  SmallVector<Value> accumulateKernelRows(ArrayRef<Value> acc,
                                          const RowPlace &row, TapRowFn tapRow);
  // channels_first: vectors along the output width.
  Value emitChannelsFirst(Value tile, Value n, Value firstRow, Value rows);
  Value emitWidthRow(Value tile, const RowPlace &row);
  Value emitWidthLoop(Value tile, const RowPlace &row, Value lower, Value upper,
                      int64_t vectors, int64_t lanes, bool guarded);
  Value emitWidthColumns(Value tile, const RowPlace &row, Value column,
                         int64_t vectors, int64_t lanes, bool guarded);
  Value widthWeight(OpFoldResult kh, int64_t kw, int64_t lanes);
  SmallVector<Value> emitTapRow(ArrayRef<Value> acc, const RowPlace &row,
                                const ChannelBlock &channels, Value column,
                                int64_t columns, OpFoldResult kh,
                                Value inputRow);
  SmallVector<Value> emitGuardedTapRow(ArrayRef<Value> acc, const RowPlace &row,
                                       const ChannelBlock &channels,
                                       Value column, OpFoldResult kh,
                                       Value inputRow);
  using UpdateFn = function_ref<SmallVector<Value>(SmallVector<Value>)>;
  SmallVector<Value> ifInside(Value index, Value size, ArrayRef<Value> acc,
                              UpdateFn update);
  Value weight(const ChannelBlock &channels, OpFoldResult kh, int64_t kw,
               int64_t v);
  Value multiplyAdd(Value x, Value w, Value acc);
  Value loadInput(Value n, Value inputRow, Value inputColumn,
                  const ChannelBlock &channels, int64_t v);
  Value loadVector(Value source, ValueRange indices, int64_t lanes,
                   int64_t validLanes);
  Value applyEpilogue(Value acc, Value bias);

  ImplicitLocOpBuilder &b;
  const ConvForm &form;
  const RegisterBlock &block;
  VectorType vectorType;
  DenseMap<Attribute, Value> constants;
  /// Masks of `lanes` with the first `valid` set, by (lanes, valid).
  DenseMap<std::pair<int64_t, int64_t>, Value> masks;
  /// Where constants go once the forall exists: before it.
  Operation *constantsBefore = nullptr;
  /// Input height and width; output width; padding above and to the left.
  Value height, width, outWidth, padTop, padLeft;
  /// channels_first: the output channel being computed, its input channel,
  /// its kh x kw weights broadcast to vectors, its bias (a scalar).
  Value outChannel, inChannel, channelBias;
  SmallVector<Value> channelWeights;
};

/// `cached`, made by `create` before the kernel's forall the first time.
Value Emitter::once(Value &cached, function_ref<Value()> create) {
  if (!cached) {
    OpBuilder::InsertionGuard guard(b);
    if (constantsBefore)
      b.setInsertionPoint(constantsBefore);
    cached = create();
  }
  return cached;
}

Value Emitter::constant(TypedAttr value) {
  return once(constants[value],
              [&] { return arith::ConstantOp::create(b, value).getResult(); });
}

Value Emitter::inRange(Value x, Value size) {
  Value lo = arith::CmpIOp::create(b, arith::CmpIPredicate::sge, x, index(0));
  Value hi = arith::CmpIOp::create(b, arith::CmpIPredicate::slt, x, size);
  return arith::AndIOp::create(b, lo, hi);
}

Value Emitter::mask(int64_t lanes, int64_t valid) {
  return once(masks[{lanes, valid}], [&] {
    auto type = VectorType::get({lanes}, b.getI1Type());
    return vector::ConstantMaskOp::create(b, type, ArrayRef<int64_t>{valid})
        .getResult();
  });
}

/// A vector of `lanes` floats at `indices` of `source`, zero past
/// `validLanes` (0: all valid).
Value Emitter::loadVector(Value source, ValueRange indices, int64_t lanes,
                          int64_t validLanes) {
  auto type = VectorType::get({lanes}, b.getF32Type());
  auto rank = cast<ShapedType>(source.getType()).getRank();
  AffineMap map = AffineMap::getMinorIdentityMap(rank, 1, b.getContext());
  Value zero = constant(b.getF32FloatAttr(0.0f));
  Value maskValue = validLanes ? mask(lanes, validLanes) : Value();
  return vector::TransferReadOp::create(b, type, source, indices,
                                        AffineMapAttr::get(map), zero,
                                        maskValue, b.getBoolArrayAttr({true}));
}

/// The input vector that output channel vector `v` of the block multiplies:
/// with a depth multiplier M, lanes / M input channels, each spread to M
/// lanes (output channel c * M + m reads input channel c).
Value Emitter::loadInput(Value n, Value inputRow, Value inputColumn,
                         const ChannelBlock &channels, int64_t v) {
  int64_t m = form.multiplier;
  Value first = add(channels.first, v * block.lanes);
  if (m != 1)
    first = arith::DivUIOp::create(b, first, index(m));
  bool last = v == channels.vectors - 1;
  int64_t valid =
      last && channels.tail ? (int64_t)llvm::divideCeil(channels.tail, m) : 0;
  Value x = loadVector(form.input, {n, inputRow, inputColumn, first},
                       block.lanes / m, valid);
  if (m == 1)
    return x;
  SmallVector<int64_t> spread;
  for (int64_t lane = 0; lane < block.lanes; ++lane)
    spread.push_back(lane / m);
  return vector::ShuffleOp::create(b, x, x, spread);
}

/// Applies the epilogue's body to an accumulator vector.
Value Emitter::applyEpilogue(Value acc, Value bias) {
  if (!form.epilogue)
    return acc;
  IRMapping mapping;
  linalg::GenericOp epilogue = form.epilogue;
  Block *body = epilogue.getBody();
  int64_t lanes = cast<VectorType>(acc.getType()).getNumElements();
  if (bias)
    mapping.map(body->getArgument(0), bias);
  mapping.map(body->getArguments().back(), acc);
  for (Operation &op : body->without_terminator()) {
    SmallVector<Value> operands;
    for (Value operand : op.getOperands()) {
      if (Value mapped = mapping.lookupOrNull(operand)) {
        operands.push_back(mapped);
        continue;
      }
      // A scalar from outside the body: splat it (a constant once).
      auto type = VectorType::get({lanes}, operand.getType());
      Attribute scalar;
      if (matchPattern(operand, m_Constant(&scalar)))
        operands.push_back(constant(DenseElementsAttr::get(type, scalar)));
      else
        operands.push_back(vector::BroadcastOp::create(b, type, operand));
    }
    OperationState state(op.getLoc(), op.getName(), operands,
                         {VectorType::get({lanes}, op.getResult(0).getType())},
                         op.getAttrs());
    mapping.map(op.getResult(0), b.create(state)->getResult(0));
  }
  return mapping.lookup(body->getTerminator()->getOperand(0));
}

/// The weight vector of tap (kh, kw) for vector `v` of the block: held in
/// registers for the whole block, or loaded where it is used.
Value Emitter::weight(const ChannelBlock &channels, OpFoldResult kh, int64_t kw,
                      int64_t v) {
  std::optional<int64_t> staticKh = getConstantIntValue(kh);
  if (!channels.resident.empty() && staticKh)
    return channels
        .resident[(*staticKh * form.kernelW + kw) * channels.vectors + v];
  bool last = v == channels.vectors - 1;
  return loadVector(
      form.filter,
      {indexValue(kh), index(kw), add(channels.first, v * block.lanes)},
      block.lanes, last ? channels.tail : 0);
}

Value Emitter::multiplyAdd(Value x, Value w, Value acc) {
  if (block.fma)
    return vector::FMAOp::create(b, x, w, acc);
  return arith::AddFOp::create(b, acc, arith::MulFOp::create(b, x, w));
}

/// Accumulates kernel row `kh` into `columns` output columns from input row
/// `inputRow`. Each input vector is loaded once and feeds every (column, kw)
/// tap that reads it, in increasing input column, so that each output still
/// sums its taps in kw order and no input stays live for long.
SmallVector<Value> Emitter::emitTapRow(ArrayRef<Value> acc, const RowPlace &row,
                                       const ChannelBlock &channels,
                                       Value column, int64_t columns,
                                       OpFoldResult kh, Value inputRow) {
  SmallVector<Value> result(acc);
  int64_t sw = form.strideW, dw = form.dilationW, kernelW = form.kernelW;
  SmallVector<SmallVector<Value>> weights(kernelW);
  for (int64_t kw = 0; kw < kernelW; ++kw)
    for (int64_t v = 0; v < channels.vectors; ++v)
      weights[kw].push_back(weight(channels, kh, kw, v));
  Value firstInput =
      arith::SubIOp::create(b, mul(column, sw), padLeft).getResult();
  // The input columns the taps read, in increasing order, each with its
  // (column, kw) taps in increasing column: the offsets come from the taps
  // themselves, so huge strides and dilations cost nothing.
  std::map<int64_t, SmallVector<std::pair<int64_t, int64_t>>> byOffset;
  for (int64_t j = 0; j < columns; ++j)
    for (int64_t kw = 0; kw < kernelW; ++kw)
      byOffset[j * sw + kw * dw].push_back({j, kw});
  for (auto &[offset, taps] : byOffset) {
    Value inputColumn = add(firstInput, offset);
    for (int64_t v = 0; v < channels.vectors; ++v) {
      Value x = loadInput(row.n, inputRow, inputColumn, channels, v);
      for (auto [j, kw] : taps) {
        Value &sum = result[j * channels.vectors + v];
        sum = multiplyAdd(x, weights[kw][v], sum);
      }
    }
  }
  return result;
}

/// Kernel row `kh` for one border column: each kw tap whose input column is
/// in the padding is skipped.
SmallVector<Value> Emitter::emitGuardedTapRow(ArrayRef<Value> acc,
                                              const RowPlace &row,
                                              const ChannelBlock &channels,
                                              Value column, OpFoldResult kh,
                                              Value inputRow) {
  SmallVector<Value> result(acc);
  Value firstInput =
      arith::SubIOp::create(b, mul(column, form.strideW), padLeft).getResult();
  for (int64_t kw = 0; kw < form.kernelW; ++kw) {
    Value inputColumn = add(firstInput, kw * form.dilationW);
    result = ifInside(inputColumn, width, result, [&](SmallVector<Value> acc) {
      for (int64_t v = 0; v < channels.vectors; ++v) {
        Value x = loadInput(row.n, inputRow, inputColumn, channels, v);
        acc[v] = multiplyAdd(x, weight(channels, kh, kw, v), acc[v]);
      }
      return acc;
    });
  }
  return result;
}

/// `update(acc)` where 0 <= index < size, `acc` unchanged elsewhere (an
/// scf.if yielding the accumulators).
SmallVector<Value> Emitter::ifInside(Value index, Value size,
                                     ArrayRef<Value> acc, UpdateFn update) {
  auto branch = scf::IfOp::create(b, ValueRange(acc).getTypes(),
                                  inRange(index, size), /*addThenBlock=*/true,
                                  /*addElseBlock=*/true);
  OpBuilder::InsertionGuard guard(b);
  b.setInsertionPointToStart(branch.thenBlock());
  scf::YieldOp::create(b, update(SmallVector<Value>(acc)));
  b.setInsertionPointToStart(branch.elseBlock());
  scf::YieldOp::create(b, acc);
  return SmallVector<Value>(branch.getResults());
}

/// Computes output columns [column, column + columns) of a channel block in
/// one row, and stores them. `guarded` (one column): test each kw tap.
Value Emitter::emitColumns(Value tile, const RowPlace &row,
                           const ChannelBlock &channels, Value column,
                           int64_t columns, bool guarded) {
  Value zero =
      constant(DenseElementsAttr::get(vectorType, b.getF32FloatAttr(0.0f)));
  SmallVector<Value> acc(columns * channels.vectors, zero);
  auto tapRow = [&](ArrayRef<Value> sums, OpFoldResult kh, Value inputRow) {
    return guarded
               ? emitGuardedTapRow(sums, row, channels, column, kh, inputRow)
               : emitTapRow(sums, row, channels, column, columns, kh, inputRow);
  };
  acc = accumulateKernelRows(acc, row, tapRow);
  return emitStores(tile, row, channels, column, columns, acc);
}

/// At most this many kernel rows are unrolled when the weights are loaded
/// per step.
constexpr int64_t kMaxUnrolledRows = 3;

/// Runs `tapRow` over the kernel rows: all of them in an interior row; in a
/// border row, only those that read inside the input,
///   inputRow + kh * dh >= 0 and inputRow + kh * dh < H,
/// in a loop (these rows are few; their code stays one kernel row long).
SmallVector<Value> Emitter::accumulateKernelRows(ArrayRef<Value> init,
                                                 const RowPlace &row,
                                                 TapRowFn tapRow) {
  SmallVector<Value> acc(init);
  // Unrolled when the weights are resident (indexed by a constant kh) or
  // the kernel is short; a loop otherwise, so that a 7x7 or 11x11 kernel's
  // code stays one kernel row long.
  bool unroll = block.residentWeights || form.kernelH <= kMaxUnrolledRows;
  if (!row.guarded && unroll) {
    for (int64_t kh = 0; kh < form.kernelH; ++kh)
      acc = tapRow(acc, b.getIndexAttr(kh),
                   add(row.inputRow, kh * form.dilationH));
    return acc;
  }
  int64_t dh = form.dilationH;
  Value first = index(0), end = index(form.kernelH);
  if (row.guarded) {
    Value minusRow = arith::SubIOp::create(b, index(0), row.inputRow);
    first = arith::MaxSIOp::create(
        b, index(0), arith::CeilDivSIOp::create(b, minusRow, index(dh)));
    Value last = arith::FloorDivSIOp::create(
        b, add(arith::AddIOp::create(b, height, minusRow), -1), index(dh));
    end = arith::MaxSIOp::create(
        b, first, arith::MinSIOp::create(b, add(last, 1), index(form.kernelH)));
  }
  auto loop = scf::ForOp::create(b, first, end, index(1), acc);
  OpBuilder::InsertionGuard guard(b);
  b.setInsertionPointToStart(loop.getBody());
  Value kh = loop.getInductionVar();
  Value inputRow = arith::AddIOp::create(b, row.inputRow, mul(kh, dh));
  SmallVector<Value> sums(loop.getRegionIterArgs());
  scf::YieldOp::create(b, tapRow(sums, kh, inputRow));
  return SmallVector<Value>(loop.getResults());
}

/// Applies the epilogue to the accumulators and stores them.
Value Emitter::emitStores(Value tile, const RowPlace &row,
                          const ChannelBlock &channels, Value column,
                          int64_t columns, ArrayRef<Value> acc) {
  auto rank = cast<ShapedType>(tile.getType()).getRank();
  AffineMap map = AffineMap::getMinorIdentityMap(rank, 1, b.getContext());
  for (int64_t v = 0; v < channels.vectors; ++v) {
    bool last = v == channels.vectors - 1;
    Value channel = add(channels.first, v * block.lanes);
    Value bias = form.bias ? loadVector(form.bias, {channel}, block.lanes,
                                        last ? channels.tail : 0)
                           : Value();
    Value maskValue =
        last && channels.tail ? mask(block.lanes, channels.tail) : Value();
    for (int64_t j = 0; j < columns; ++j) {
      Value y = applyEpilogue(acc[j * channels.vectors + v], bias);
      tile = vector::TransferWriteOp::create(
                 b, y, tile,
                 ValueRange{index(0), row.row, add(column, j), channel},
                 AffineMapAttr::get(map), maskValue, b.getBoolArrayAttr({true}))
                 .getResult();
    }
  }
  return tile;
}

/// Columns [lower, upper) of a channel block, `columns` at a time (the
/// caller makes the range a multiple of it).
Value Emitter::emitColumnLoop(Value tile, const RowPlace &row,
                              const ChannelBlock &channels, Value lower,
                              Value upper, int64_t columns, bool guarded) {
  auto loop =
      scf::ForOp::create(b, lower, upper, index(columns), ValueRange{tile});
  OpBuilder::InsertionGuard guard(b);
  b.setInsertionPointToStart(loop.getBody());
  scf::YieldOp::create(b,
                       emitColumns(loop.getRegionIterArg(0), row, channels,
                                   loop.getInductionVar(), columns, guarded));
  return loop.getResult(0);
}

/// One channel block of one row: border columns guarded one at a time, the
/// interior in register blocks of `columns`, then of halves of it for what
/// is left (at most one block each), down to single columns.
Value Emitter::emitChannelBlock(Value tile, const RowPlace &row,
                                ChannelBlock channels) {
  SmallVector<Value> resident;
  // (Border rows index the weights by a loop's kernel row: from memory.)
  if (block.residentWeights && !row.guarded) {
    for (int64_t kh = 0; kh < form.kernelH; ++kh)
      for (int64_t kw = 0; kw < form.kernelW; ++kw)
        for (int64_t v = 0; v < channels.vectors; ++v)
          resident.push_back(weight(channels, b.getIndexAttr(kh), kw, v));
    channels.resident = resident;
  }
  // Interior columns: every kw tap inside the input,
  //   ow * sw - padLeft >= 0 and ow * sw + (kw - 1) * dw - padLeft < W.
  int64_t sw = form.strideW;
  Value first = arith::MinSIOp::create(
      b, arith::CeilDivSIOp::create(b, padLeft, index(sw)), outWidth);
  Value reach = add(arith::AddIOp::create(b, width, padLeft),
                    -1 - (form.kernelW - 1) * form.dilationW);
  Value end = add(arith::FloorDivSIOp::create(b, reach, index(sw)), 1);
  end = arith::MaxSIOp::create(b, first,
                               arith::MinSIOp::create(b, end, outWidth));
  tile = emitColumnLoop(tile, row, channels, index(0), first, 1, true);
  Value start = first;
  for (int64_t columns = block.columns; columns >= 1; columns /= 2) {
    Value count = arith::DivSIOp::create(
        b, arith::SubIOp::create(b, end, start), index(columns));
    Value stop = arith::AddIOp::create(b, start, mul(count, columns));
    tile = emitColumnLoop(tile, row, channels, start, stop, columns, false);
    start = stop;
  }
  return emitColumnLoop(tile, row, channels, end, outWidth, 1, true);
}

/// One output row: full channel blocks in a loop, then the rest in one
/// block whose last vector may be masked.
Value Emitter::emitRow(Value tile, const RowPlace &row) {
  if (form.channelsFirst)
    return emitWidthRow(tile, row);
  int64_t blockChannels = block.channelVectors * block.lanes;
  int64_t fullBlocks = form.outChannels / blockChannels;
  int64_t rest = form.outChannels - fullBlocks * blockChannels;
  if (fullBlocks == 1) {
    tile = emitChannelBlock(tile, row,
                            {index(0), block.channelVectors, /*tail=*/0});
  } else if (fullBlocks > 1) {
    auto loop = scf::ForOp::create(b, index(0), index(form.outChannels - rest),
                                   index(blockChannels), ValueRange{tile});
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointToStart(loop.getBody());
    scf::YieldOp::create(
        b, emitChannelBlock(loop.getRegionIterArg(0), row,
                            {loop.getInductionVar(), block.channelVectors, 0}));
    b.setInsertionPointAfter(loop);
    tile = loop.getResult(0);
  }
  if (rest)
    tile = emitChannelBlock(tile, row,
                            {index(fullBlocks * blockChannels),
                             (int64_t)llvm::divideCeil(rest, block.lanes),
                             rest % block.lanes});
  return tile;
}

/// Rows [lower, upper) of the tile (tile rows; the first is output row
/// `firstRow`), guarded or not.
Value Emitter::emitRowLoop(Value tile, Value n, Value firstRow, Value lower,
                           Value upper, bool guarded) {
  auto loop = scf::ForOp::create(b, lower, upper, index(1), ValueRange{tile});
  OpBuilder::InsertionGuard guard(b);
  b.setInsertionPointToStart(loop.getBody());
  Value i = loop.getInductionVar();
  Value outRow = arith::AddIOp::create(b, firstRow, i);
  Value inputRow = arith::SubIOp::create(b, mul(outRow, form.strideH), padTop);
  scf::YieldOp::create(
      b, emitRow(loop.getRegionIterArg(0), {n, i, inputRow, guarded}));
  return loop.getResult(0);
}

/// Rows [firstRow, firstRow + rows) of image `n`: the rows whose kh taps all
/// fall inside the input (interior) run unguarded, those above and below
/// test each tap row. (Loops rather than an scf.if per row, so that every
/// tensor the code threads is a loop's iter_arg, which bufferization then
/// forwards.)
Value Emitter::emitRows(Value tile, Value n, Value firstRow, Value rows) {
  int64_t sh = form.strideH;
  Value lastRow = arith::AddIOp::create(b, firstRow, rows);
  Value reach = add(arith::AddIOp::create(b, height, padTop),
                    -1 - (form.kernelH - 1) * form.dilationH);
  Value interiorEnd = add(arith::FloorDivSIOp::create(b, reach, index(sh)), 1);
  auto clamp = [&](Value x, Value lo, Value hi) -> Value {
    return arith::MinSIOp::create(b, arith::MaxSIOp::create(b, x, lo), hi);
  };
  Value begin = clamp(arith::CeilDivSIOp::create(b, padTop, index(sh)),
                      firstRow, lastRow);
  Value end = clamp(interiorEnd, begin, lastRow);
  // In tile rows.
  begin = arith::SubIOp::create(b, begin, firstRow);
  end = arith::SubIOp::create(b, end, firstRow);
  tile = emitRowLoop(tile, n, firstRow, index(0), begin, true);
  tile = emitRowLoop(tile, n, firstRow, begin, end, false);
  return emitRowLoop(tile, n, firstRow, end, rows, true);
}

//===----------------------------------------------------------------------===//
// channels_first: vectors along the output width (stride 1 in width), one
// output channel at a time, its kh x kw weights broadcast into registers.
// A vector whose taps all read inside the input row runs unguarded; the
// last such vector may overlap the one before it (it recomputes the same
// values); the border columns are computed one at a time, each tap tested.
//===----------------------------------------------------------------------===//

/// Weight (kh, kw) of the current output channel, as a vector of `lanes`.
Value Emitter::widthWeight(OpFoldResult kh, int64_t kw, int64_t lanes) {
  std::optional<int64_t> staticKh = getConstantIntValue(kh);
  if (staticKh && lanes == block.lanes && !channelWeights.empty())
    return channelWeights[*staticKh * form.kernelW + kw];
  Value scalar = tensor::ExtractOp::create(
      b, form.filter, ValueRange{indexValue(kh), index(kw), outChannel});
  return vector::BroadcastOp::create(
      b, VectorType::get({lanes}, b.getF32Type()), scalar);
}

/// Output columns [column, column + vectors * lanes) of the current channel
/// in one row; `guarded` (one column): test each kw tap.
Value Emitter::emitWidthColumns(Value tile, const RowPlace &row, Value column,
                                int64_t vectors, int64_t lanes, bool guarded) {
  auto type = VectorType::get({lanes}, b.getF32Type());
  Value zero = constant(DenseElementsAttr::get(type, b.getF32FloatAttr(0.0f)));
  Value firstInput = arith::SubIOp::create(b, column, padLeft);
  auto tapRow = [&](ArrayRef<Value> sums, OpFoldResult kh, Value inputRow) {
    SmallVector<Value> acc(sums);
    for (int64_t kw = 0; kw < form.kernelW; ++kw) {
      Value w = widthWeight(kh, kw, lanes);
      Value inputColumn = add(firstInput, kw * form.dilationW);
      auto accumulate = [&](SmallVector<Value> into) {
        for (int64_t j = 0; j < vectors; ++j) {
          Value x = loadVector(
              form.input,
              {row.n, inChannel, inputRow, add(inputColumn, j * lanes)}, lanes,
              0);
          into[j] = multiplyAdd(x, w, into[j]);
        }
        return into;
      };
      acc = guarded ? ifInside(inputColumn, width, acc, accumulate)
                    : accumulate(acc);
    }
    return acc;
  };
  SmallVector<Value> acc =
      accumulateKernelRows(SmallVector<Value>(vectors, zero), row, tapRow);
  auto rank = cast<ShapedType>(tile.getType()).getRank();
  AffineMap map = AffineMap::getMinorIdentityMap(rank, 1, b.getContext());
  Value bias =
      channelBias ? vector::BroadcastOp::create(b, type, channelBias) : Value();
  for (int64_t j = 0; j < vectors; ++j)
    tile =
        vector::TransferWriteOp::create(
            b, applyEpilogue(acc[j], bias), tile,
            ValueRange{index(0), outChannel, row.row, add(column, j * lanes)},
            AffineMapAttr::get(map), Value(), b.getBoolArrayAttr({true}))
            .getResult();
  return tile;
}

/// Columns [lower, upper) in steps of `vectors * lanes`.
Value Emitter::emitWidthLoop(Value tile, const RowPlace &row, Value lower,
                             Value upper, int64_t vectors, int64_t lanes,
                             bool guarded) {
  auto loop = scf::ForOp::create(b, lower, upper, index(vectors * lanes),
                                 ValueRange{tile});
  OpBuilder::InsertionGuard guard(b);
  b.setInsertionPointToStart(loop.getBody());
  scf::YieldOp::create(b, emitWidthColumns(loop.getRegionIterArg(0), row,
                                           loop.getInductionVar(), vectors,
                                           lanes, guarded));
  return loop.getResult(0);
}

/// One row of the current channel. A vector starting at column ow reads
/// input columns [ow - padLeft, ow - padLeft + lanes - 1 + (kw - 1) * dw]:
/// inside for ow in [first, end).
Value Emitter::emitWidthRow(Value tile, const RowPlace &row) {
  int64_t lanes = block.lanes;
  Value first = arith::MinSIOp::create(b, padLeft, outWidth);
  Value fits = add(arith::AddIOp::create(b, width, padLeft),
                   1 - lanes - (form.kernelW - 1) * form.dilationW);
  Value end = arith::MaxSIOp::create(
      b, first, arith::MinSIOp::create(b, fits, add(outWidth, 1 - lanes)));
  int64_t step = block.columns * lanes;
  Value blocked = arith::AddIOp::create(
      b, first,
      mul(arith::DivSIOp::create(b, arith::SubIOp::create(b, end, first),
                                 index(step)),
          step));
  Value single = arith::AddIOp::create(
      b, blocked,
      mul(arith::DivSIOp::create(b, arith::SubIOp::create(b, end, blocked),
                                 index(lanes)),
          lanes));
  // Then the columns [single, end - 1 + lanes) that fewer than `lanes`
  // vector starts are left for: a vector at single (when short of end - 1)
  // and one at end - 1, overlapping.
  Value lastStart = arith::MaxSIOp::create(b, first, add(end, -1));
  Value covered = arith::SelectOp::create(
      b, arith::CmpIOp::create(b, arith::CmpIPredicate::sgt, end, first),
      add(end, lanes - 1), first);
  tile = emitWidthLoop(tile, row, index(0), first, 1, 1, true);
  tile = emitWidthLoop(tile, row, first, blocked, block.columns, lanes, false);
  tile = emitWidthLoop(tile, row, blocked, single, 1, lanes, false);
  tile = emitWidthLoop(tile, row, single, add(end, -1), 1, lanes, false);
  tile = emitWidthLoop(tile, row, lastStart, end, 1, lanes, false);
  return emitWidthLoop(tile, row, covered, outWidth, 1, 1, true);
}

/// The output channels of a tile, one at a time.
Value Emitter::emitChannelsFirst(Value tile, Value n, Value firstRow,
                                 Value rows) {
  auto loop = scf::ForOp::create(b, index(0), index(form.outChannels), index(1),
                                 ValueRange{tile});
  OpBuilder::InsertionGuard guard(b);
  b.setInsertionPointToStart(loop.getBody());
  outChannel = loop.getInductionVar();
  inChannel =
      form.multiplier == 1
          ? outChannel
          : arith::DivUIOp::create(b, outChannel, index(form.multiplier))
                .getResult();
  channelBias = form.bias ? tensor::ExtractOp::create(b, form.bias,
                                                      ValueRange{outChannel})
                                .getResult()
                          : Value();
  SmallVector<Value> weights;
  channelWeights.clear();
  for (int64_t kh = 0; block.residentWeights && kh < form.kernelH; ++kh)
    for (int64_t kw = 0; kw < form.kernelW; ++kw)
      weights.push_back(widthWeight(b.getIndexAttr(kh), kw, block.lanes));
  channelWeights = std::move(weights);
  scf::YieldOp::create(b,
                       emitRows(loop.getRegionIterArg(0), n, firstRow, rows));
  return loop.getResult(0);
}

Value Emitter::emitTiles(ArrayRef<int64_t> tileShape) {
  bufferization::MaterializeInDestinationOp store = form.store;
  Value dest = store.getDest();
  // (N, H, W, C) or, channels_first, (N, C, H, W).
  int64_t h = form.channelsFirst ? 2 : 1, w = h + 1;
  height = tensor::DimOp::create(b, form.input, h);
  padTop = indexValue(form.padTop);
  padLeft = indexValue(form.padLeft);
  width = tensor::DimOp::create(b, form.input, w);
  Value batch = tensor::DimOp::create(b, dest, 0);
  Value outHeight = tensor::DimOp::create(b, dest, h);
  outWidth = tensor::DimOp::create(b, dest, w);
  int64_t rowStep = tileShape[h];
  SmallVector<OpFoldResult> ubs = {batch}, steps = {b.getIndexAttr(1)};
  if (rowStep) {
    ubs.push_back(outHeight);
    steps.push_back(b.getIndexAttr(rowStep));
  }
  SmallVector<OpFoldResult> lbs(ubs.size(), b.getIndexAttr(0));
  // The tiles are written into the destination argument itself.
  auto forall =
      scf::ForallOp::create(b, lbs, ubs, steps, ValueRange{dest}, std::nullopt);
  constantsBefore = forall;
  OpBuilder::InsertionGuard guard(b);
  b.setInsertionPointToStart(forall.getBody());
  Value n = forall.getInductionVar(0);
  Value firstRow = rowStep ? forall.getInductionVar(1) : index(0);
  Value rows = outHeight;
  if (rowStep) {
    AffineExpr d0, s0;
    bindDims(b.getContext(), d0);
    bindSymbols(b.getContext(), s0);
    auto map = AffineMap::get(1, 1, {b.getAffineConstantExpr(rowStep), s0 - d0},
                              b.getContext());
    rows = affine::AffineMinOp::create(b, map, ValueRange{firstRow, outHeight});
  }
  Value shared = forall.getRegionIterArgs()[0];
  Value channels = index(form.outChannels);
  SmallVector<OpFoldResult> offsets = {n, firstRow, b.getIndexAttr(0),
                                       b.getIndexAttr(0)};
  SmallVector<OpFoldResult> sizes = {b.getIndexAttr(1), rows, outWidth,
                                     channels};
  if (form.channelsFirst) {
    offsets = {n, b.getIndexAttr(0), firstRow, b.getIndexAttr(0)};
    sizes = {b.getIndexAttr(1), channels, rows, outWidth};
  }
  SmallVector<OpFoldResult> strides(4, b.getIndexAttr(1));
  Value tile =
      tensor::ExtractSliceOp::create(b, shared, offsets, sizes, strides);
  tile = form.channelsFirst ? emitChannelsFirst(tile, n, firstRow, rows)
                            : emitRows(tile, n, firstRow, rows);
  b.setInsertionPointToStart(forall.getTerminator().getBody());
  tensor::ParallelInsertSliceOp::create(b, tile, shared, offsets, sizes,
                                        strides);
  return forall.getResult(0);
}

struct DWConvCPUVectorizePass
    : public dwconv::impl::DWConvCPUVectorizePassBase<DWConvCPUVectorizePass> {
  using DWConvCPUVectorizePassBase::DWConvCPUVectorizePassBase;

  /// A kernel the strategy sent here but whose form the pass does not know
  /// goes to the loop path, which computes any form, when its tiles (whole
  /// rows) have a static width; a dynamic width would leave the loop path's
  /// temporaries unbounded.
  void fallBack(func::FuncOp func, const LayerABI &layer, StringRef reason) {
    LLVM_DEBUG(llvm::dbgs() << "@" << func.getSymName()
                            << ": loop path: " << reason << "\n");
    unsigned widthDim = layer.dataFormat == DataFormat::channels_first ? 3 : 2;
    if (!ShapedType::isDynamic(layer.outputType.getDimSize(widthDim))) {
      func->removeAttr(kRegisterBlockAttr);
      return;
    }
    func.emitError() << "layer '" << layer.name
                     << "': the vector path cannot compute this kernel ("
                     << reason
                     << ") and the loop path needs a static width for it";
    signalPassFailure();
  }

  void runOnOperation() override {
    func::FuncOp func = getOperation();
    auto attr = func->getAttrOfType<DictionaryAttr>(kRegisterBlockAttr);
    if (!attr)
      return;
    FailureOr<RegisterBlock> block = RegisterBlock::fromAttr(attr);
    FailureOr<LayerABI> layer = LayerABI::read(func);
    auto tileShape =
        func->getAttrOfType<DenseI64ArrayAttr>(layer_attrs::kTileShape);
    bool nchw =
        succeeded(layer) && layer->dataFormat == DataFormat::channels_first;
    // One image x a block of rows: (1, R, 0, 0), or (1, 0, R, 0) in NCHW.
    if (failed(block) || failed(layer) || !tileShape || tileShape.size() != 4 ||
        tileShape[0] != 1 || tileShape[nchw ? 1 : 2] != 0 ||
        tileShape[3] != 0) {
      func.emitError() << "malformed " << kRegisterBlockAttr << " or "
                       << layer_attrs::kTileShape << " for the vector path";
      return signalPassFailure();
    }
    std::string reason;
    FailureOr<ConvForm> form = matchConvForm(func, *layer, reason);
    if (succeeded(form) && (form->softmax || form->sparsemax || form->glu))
      return fallBack(func, *layer, "a reduction over the last axis");
    if (failed(form))
      return fallBack(func, *layer, reason);
    ImplicitLocOpBuilder b(form->store.getLoc(), form->store);
    Emitter emitter(b, *form, *block);
    Value result = emitter.emitTiles(tileShape.asArrayRef());
    // The forall computes in place of the destination: nothing is left to
    // materialize there.
    form->store.getResult().replaceAllUsesWith(result);
    form->store.erase();
    LLVM_DEBUG(llvm::dbgs()
               << "@" << func.getSymName() << ": vector code, register block "
               << block->columns << " x " << block->channelVectors << " x "
               << block->lanes << "\n");
  }
};

} // namespace
