//===- DWConvGPUMapToThreads.cpp - thread blocks of scalar threads --------===//
//
// The GPU kernel of a layer, written on the kernel's buffers:
//
//   forall tile in (N, D1, ceil(B / (ty * K)), ceil(E / tx))  -- thread blocks
//     forall (y, x) in (ty, tx)                                 -- threads
//       e = tile's first contiguous index + x; if e < E:
//         acc[0..K) = 0
//         for kh:                                -- kernel rows
//           for kw, for k (unrolled):            -- kernel columns x outputs
//             acc[k] = tap inside the input ? fma(in, w, acc[k]) : acc[k]
//         out[k] = epilogue(acc[k]) where inside the output
//
// with (D1, B, E) = (OH, OW, C * M) for channels_last and (C * M, OH, OW) for
// channels_first. Upstream's GPU path tiles linalg ops onto threads with the
// transform dialect, but a depthwise convolution there keeps its padding as
// a tensor.pad fused per tile (a padded copy in memory); here the padding is
// a bound on each tap, the load of a tap outside the input is clamped to a
// valid address and its product dropped (a select, no branch), so every
// thread runs the same straight-line code.
//
//===----------------------------------------------------------------------===//

#include "dwconv/Codegen/CPUStrategy.h"
#include "dwconv/Codegen/ConvForm.h"
#include "dwconv/Codegen/GPUStrategy.h"
#include "dwconv/Codegen/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/IR/ImplicitLocOpBuilder.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "llvm/Support/Debug.h"

#include <limits>

#define DEBUG_TYPE "dwconv-gpu-map-to-threads"

namespace mlir {
namespace dwconv {
#define GEN_PASS_DEF_DWCONVGPUMAPTOTHREADSPASS
#include "dwconv/Codegen/Passes.h.inc"
} // namespace dwconv
} // namespace mlir

using namespace mlir;
using namespace mlir::dwconv;

namespace {

/// The 1-D packed weights `filter` (the kernel's (kh, kw, C * M) view) was
/// sliced from: a kernel argument, or a constant when the weights are baked.
/// Canonicalization folds the packed buffer's reshape into a baked constant
/// (a (kh * kw, padded C * M) constant for wide layers): that one is
/// collapsed back to 1-D here.
Value getPackedWeights(OpBuilder &b, Value filter) {
  while (Operation *op = filter.getDefiningOp()) {
    if (auto expand = dyn_cast<tensor::ExpandShapeOp>(op))
      filter = expand.getSrc();
    else if (auto slice = dyn_cast<tensor::ExtractSliceOp>(op))
      filter = slice.getSource();
    else if (auto collapse = dyn_cast<tensor::CollapseShapeOp>(op))
      filter = collapse.getSrc();
    else
      break;
  }
  auto type = dyn_cast<RankedTensorType>(filter.getType());
  if (!type || type.getRank() == 1)
    return type ? filter : Value();
  if (!type.hasStaticShape() || !filter.getDefiningOp<arith::ConstantOp>())
    return Value();
  OpBuilder::InsertionGuard guard(b);
  b.setInsertionPointAfterValue(filter);
  ReassociationIndices all =
      llvm::to_vector(llvm::seq<int64_t>(0, type.getRank()));
  return tensor::CollapseShapeOp::create(b, filter.getLoc(), filter,
                                         ArrayRef<ReassociationIndices>{all});
}

/// Writes the mapped loops of one kernel before its store.
class ThreadEmitter {
public:
  ThreadEmitter(ImplicitLocOpBuilder &b, ConvForm form,
                const ThreadMapping &mapping, PackedWeightsLayout packed)
      : b(b), form(form), mapping(mapping), packed(packed) {}

  /// The loops, writing `dest`'s buffer; returns the written tensor.
  Value emit(Value packedWeights);

private:
  Value index(int64_t value) {
    return arith::ConstantIndexOp::create(b, value);
  }
  Value clamp(Value value, Value size) {
    Value last = arith::SubIOp::create(b, size, index(1));
    Value low = arith::MaxSIOp::create(b, value, index(0));
    return arith::MinSIOp::create(b, low, last);
  }
  Value inside(Value value, Value size) {
    Value geZero =
        arith::CmpIOp::create(b, arith::CmpIPredicate::sge, value, index(0));
    Value ltSize =
        arith::CmpIOp::create(b, arith::CmpIPredicate::slt, value, size);
    return arith::AndIOp::create(b, geZero, ltSize);
  }
  scf::ForallOp createThreadLoop();
  void emitThreads(ValueRange tile);
  void emitRowThreads(ValueRange tile, function_ref<void(Value)> row);
  using RowStep = function_ref<SmallVector<Value>(Value, Value, ValueRange)>;
  ValueRange loopOverRow(ValueRange tile, Value blocked, ValueRange init,
                         RowStep step);
  void emitSoftmaxRows(ValueRange tile);
  void emitSparsemaxRows(ValueRange tile);
  Value f32(float value) {
    return arith::ConstantOp::create(b, b.getF32FloatAttr(value));
  }
  void emitThread(Value n, Value d1, Value firstBlocked, Value e);
  /// The value `generic`'s body yields for the scalars `args`, its ops
  /// cloned here.
  Value applyOnScalars(linalg::GenericOp generic, ArrayRef<Value> args,
                       int64_t lastIndex = 0);
  Value applyGlu(Value a, Value gate);
  SmallVector<Value> accumulate(Value n, Value d1, Value firstBlocked, Value e);
  SmallVector<Value> emitKernelRow(Value n, Value kh, Value channel,
                                   Value outChannel, ArrayRef<Value> rows,
                                   ArrayRef<Value> columns,
                                   ValueRange accumulators);
  void emitStores(Value n, Value d1, Value firstBlocked, Value e,
                  ArrayRef<Value> outChannels,
                  ArrayRef<SmallVector<Value>> sums);

  ImplicitLocOpBuilder &b;
  ConvForm form;
  ThreadMapping mapping;
  PackedWeightsLayout packed;
  Value input, weights, output;
  /// Input height and width, output dims, padding.
  Value height, width, outDims[4], padTop, padLeft;
};

Value ThreadEmitter::emit(Value packedWeights) {
  MLIRContext *ctx = b.getContext();
  auto bufferOf = [&](Value tensor, bool readOnly) {
    auto type = cast<RankedTensorType>(tensor.getType());
    auto op = bufferization::ToBufferOp::create(
        b, MemRefType::get(type.getShape(), type.getElementType()), tensor,
        readOnly);
    return op.getResult();
  };
  input = bufferOf(form.input, true);
  weights = bufferOf(packedWeights, true);
  Value dest = form.store.getDest();
  output = bufferOf(dest, false);
  int64_t h = form.channelsFirst ? 2 : 1, w = h + 1;
  height = memref::DimOp::create(b, input, h);
  width = memref::DimOp::create(b, input, w);
  for (int64_t d = 0; d < 4; ++d)
    outDims[d] = memref::DimOp::create(b, output, d);
  padTop = getValueOrCreateConstantIndexOp(b, b.getLoc(), form.padTop);
  padLeft = getValueOrCreateConstantIndexOp(b, b.getLoc(), form.padLeft);

  // softmax and sparsemax reduce over the contiguous dim: a tile then holds
  // all of it.
  bool wholeRows = form.softmax || form.sparsemax;
  int64_t blockedPerBlock = mapping.threadsY * mapping.outputsPerThread;
  SmallVector<OpFoldResult> ubs =
      llvm::map_to_vector(ArrayRef(outDims).take_front(wholeRows ? 3 : 4),
                          [](Value v) { return OpFoldResult(v); });
  SmallVector<OpFoldResult> lbs(ubs.size(), b.getIndexAttr(0));
  SmallVector<OpFoldResult> steps = {b.getIndexAttr(1), b.getIndexAttr(1),
                                     b.getIndexAttr(blockedPerBlock)};
  if (!wholeRows)
    steps.push_back(b.getIndexAttr(mapping.threadsX));
  // One thread block per tile, tiles numbered row-major (the last dim the
  // fastest, linear_dim_0). Mapped loops are never folded away, even with a
  // single iteration: the tile loop stays the kernel's top-level loop.
  SmallVector<Attribute> blockMapping;
  for (int64_t d = ubs.size() - 1; d >= 0; --d)
    blockMapping.push_back(gpu::GPUBlockMappingAttr::get(
        ctx, static_cast<gpu::MappingId>(
                 static_cast<int64_t>(gpu::MappingId::LinearDim0) + d)));
  auto tiles = scf::ForallOp::create(b, lbs, ubs, steps, ValueRange{},
                                     b.getArrayAttr(blockMapping));
  {
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointToStart(tiles.getBody());
    emitThreads(tiles.getInductionVars());
    // The threads of a block meet between the two loops (a barrier on a
    // GPU; on a CPU the first loop nest simply ends before the second).
    if (form.softmax)
      emitSoftmaxRows(tiles.getInductionVars());
    if (form.sparsemax)
      emitSparsemaxRows(tiles.getInductionVars());
  }
  return bufferization::ToTensorOp::create(b, dest.getType(), output,
                                           /*restrict=*/true,
                                           /*writable=*/true);
}

scf::ForallOp ThreadEmitter::createThreadLoop() {
  MLIRContext *ctx = b.getContext();
  SmallVector<OpFoldResult> ubs = {b.getIndexAttr(mapping.threadsY),
                                   b.getIndexAttr(mapping.threadsX)};
  ArrayAttr threadMapping = b.getArrayAttr(
      {gpu::GPUThreadMappingAttr::get(ctx, gpu::MappingId::DimY),
       gpu::GPUThreadMappingAttr::get(ctx, gpu::MappingId::DimX)});
  return scf::ForallOp::create(
      b, SmallVector<OpFoldResult>(2, b.getIndexAttr(0)), ubs,
      SmallVector<OpFoldResult>(2, b.getIndexAttr(1)), ValueRange{},
      threadMapping);
}

/// Each thread computes its outputs of the tile: one element of the
/// contiguous dim, or (whole rows) every threadsX-th one.
void ThreadEmitter::emitThreads(ValueRange tile) {
  scf::ForallOp threads = createThreadLoop();
  OpBuilder::InsertionGuard guard(b);
  b.setInsertionPointToStart(threads.getBody());
  Value y = threads.getInductionVar(0), x = threads.getInductionVar(1);
  Value firstBlocked = arith::AddIOp::create(
      b, tile[2], arith::MulIOp::create(b, y, index(mapping.outputsPerThread)));
  if (tile.size() == 4)
    return emitThread(tile[0], tile[1], firstBlocked,
                      arith::AddIOp::create(b, tile[3], x));
  auto loop = scf::ForOp::create(b, x, outDims[3], index(mapping.threadsX));
  b.setInsertionPointToStart(loop.getBody());
  emitThread(tile[0], tile[1], firstBlocked, loop.getInductionVar());
}

/// Runs `row` (given the row's index in the blocked dim) on one thread per
/// row of the tile, for the rows the output has.
void ThreadEmitter::emitRowThreads(ValueRange tile,
                                   function_ref<void(Value)> row) {
  scf::ForallOp threads = createThreadLoop();
  OpBuilder::InsertionGuard guard(b);
  b.setInsertionPointToStart(threads.getBody());
  Value t =
      arith::AddIOp::create(b,
                            arith::MulIOp::create(b, threads.getInductionVar(0),
                                                  index(mapping.threadsX)),
                            threads.getInductionVar(1));
  int64_t rows = mapping.threadsY * mapping.outputsPerThread;
  Value blocked = arith::AddIOp::create(b, tile[2], t);
  Value inRows =
      arith::CmpIOp::create(b, arith::CmpIPredicate::slt, t, index(rows));
  Value inOutput =
      arith::CmpIOp::create(b, arith::CmpIPredicate::slt, blocked, outDims[2]);
  Value inTile = arith::AndIOp::create(b, inRows, inOutput);
  auto ifOp = scf::IfOp::create(b, inTile, /*withElseRegion=*/false);
  b.setInsertionPointToStart(ifOp.thenBlock());
  row(blocked);
}

/// A loop over the row of the output at (tile[0], tile[1], blocked), the
/// contiguous dim, carrying `init`: `step(i, x_i, carried)` gives the next
/// values (and may store x_i's result). Returns the loop's results.
ValueRange ThreadEmitter::loopOverRow(ValueRange tile, Value blocked,
                                      ValueRange init, RowStep step) {
  auto loop = scf::ForOp::create(b, index(0), outDims[3], index(1), init);
  OpBuilder::InsertionGuard guard(b);
  b.setInsertionPointToStart(loop.getBody());
  Value i = loop.getInductionVar();
  Value x = memref::LoadOp::create(b, output,
                                   ValueRange{tile[0], tile[1], blocked, i});
  SmallVector<Value> next = step(i, x, loop.getRegionIterArgs());
  // A loop without results has its scf.yield already.
  if (!init.empty())
    scf::YieldOp::create(b, next);
  return loop.getResults();
}

/// softmax or log_softmax of the tile's rows, in place in the output: one
/// thread per row (max, sum of exp(x - max), then each element normalized),
/// in the order of the linalg form's loops.
void ThreadEmitter::emitSoftmaxRows(ValueRange tile) {
  emitRowThreads(tile, [&](Value blocked) {
    Value max =
        loopOverRow(tile, blocked, f32(-std::numeric_limits<float>::infinity()),
                    [&](Value, Value x, ValueRange acc) -> SmallVector<Value> {
                      return {arith::MaximumFOp::create(b, x, acc[0])};
                    })[0];
    Value sum = loopOverRow(
        tile, blocked, f32(0.0f),
        [&](Value, Value x, ValueRange acc) -> SmallVector<Value> {
          Value e = math::ExpOp::create(b, arith::SubFOp::create(b, x, max));
          return {arith::AddFOp::create(b, acc[0], e)};
        })[0];
    loopOverRow(tile, blocked, {},
                [&](Value i, Value x, ValueRange) -> SmallVector<Value> {
                  // The normalization's body on scalars: (max, sum, x) -> y.
                  memref::StoreOp::create(
                      b, applyOnScalars(form.softmax, {max, sum, x}), output,
                      ValueRange{tile[0], tile[1], blocked, i});
                  return {};
                });
  });
}

/// sparsemax of the tile's rows, in place in the output: one thread per row,
/// Keras's formula in the order of the linalg form's loops
/// (LastAxisActivations.cpp): each element z_j's place r_j in the descending
/// order and the cumulative sum S_j there, by counting; the support, where
/// z_j - (S_j - 1) / r_j > 0, its size k and the sum of its S_j; then
/// max(x - tau, 0) with tau = (that sum - 1) / k.
void ThreadEmitter::emitSparsemaxRows(ValueRange tile) {
  emitRowThreads(tile, [&](Value blocked) {
    Value zero = f32(0.0f), one = f32(1.0f);
    auto count = [&](Value acc, Value cond, Value value) -> Value {
      return arith::AddFOp::create(
          b, acc, arith::SelectOp::create(b, cond, value, zero));
    };
    // z_i before z_j: larger, or equal and not after it (a stable sort).
    auto places = [&](Value j, Value zj, Value i, Value zi,
                      ValueRange acc) -> SmallVector<Value> {
      // Separate statements: the order of the ops must not depend on the
      // C++ compiler's order of evaluating arguments.
      Value larger =
          arith::CmpFOp::create(b, arith::CmpFPredicate::OGT, zi, zj);
      Value equal = arith::CmpFOp::create(b, arith::CmpFPredicate::OEQ, zi, zj);
      Value notAfter =
          arith::CmpIOp::create(b, arith::CmpIPredicate::ule, i, j);
      Value before = arith::OrIOp::create(
          b, larger, arith::AndIOp::create(b, equal, notAfter));
      Value place = count(acc[0], before, one);
      return {place, count(acc[1], before, zi)};
    };
    ValueRange support = loopOverRow(
        tile, blocked, {zero, zero},
        [&](Value j, Value zj, ValueRange acc) -> SmallVector<Value> {
          ValueRange at = loopOverRow(tile, blocked, {zero, zero},
                                      [&](Value i, Value zi, ValueRange sums) {
                                        return places(j, zj, i, zi, sums);
                                      });
          Value place = at[0], cumsum = at[1];
          Value bound = arith::DivFOp::create(
              b, arith::SubFOp::create(b, cumsum, one), place);
          Value inSupport =
              arith::CmpFOp::create(b, arith::CmpFPredicate::OGT,
                                    arith::SubFOp::create(b, zj, bound), zero);
          Value size = count(acc[0], inSupport, one);
          return {size, count(acc[1], inSupport, cumsum)};
        });
    Value tau = arith::DivFOp::create(
        b, arith::SubFOp::create(b, support[1], one), support[0]);
    loopOverRow(tile, blocked, {},
                [&](Value i, Value x, ValueRange) -> SmallVector<Value> {
                  memref::StoreOp::create(
                      b,
                      arith::MaximumFOp::create(
                          b, arith::SubFOp::create(b, x, tau), zero),
                      output, ValueRange{tile[0], tile[1], blocked, i});
                  return {};
                });
  });
}

Value ThreadEmitter::applyOnScalars(linalg::GenericOp generic,
                                    ArrayRef<Value> args, int64_t lastIndex) {
  Block *body = generic.getBody();
  IRMapping map;
  map.map(body->getArguments(), args);
  for (Operation &op : body->without_terminator()) {
    // The index of the generic's last loop (glu's k), given.
    if (auto indexOp = dyn_cast<linalg::IndexOp>(op)) {
      map.map(indexOp.getResult(), index(lastIndex));
      continue;
    }
    // |x| as max(x, -x) (exact; NaN stays NaN): convert-gpu-to-nvvm turns
    // math.absf and llvm.intr.fabs alike into a libdevice call.
    if (auto abs = dyn_cast<math::AbsFOp>(op)) {
      Value x = map.lookup(abs.getOperand());
      map.map(abs.getResult(),
              arith::MaximumFOp::create(b, x, arith::NegFOp::create(b, x)));
    } else {
      b.clone(op, map);
    }
  }
  return map.lookup(body->getTerminator()->getOperand(0));
}

void ThreadEmitter::emitThread(Value n, Value d1, Value firstBlocked, Value e) {
  Value inBounds =
      arith::CmpIOp::create(b, arith::CmpIPredicate::slt, e, outDims[3]);
  auto ifOp = scf::IfOp::create(b, inBounds, /*withElseRegion=*/false);
  OpBuilder::InsertionGuard guard(b);
  b.setInsertionPointToStart(ifOp.thenBlock());
  // glu: the output's last axis is half the convolution's; its element e is
  // a * sigmoid(b) of the convolution's elements e and e + half.
  SmallVector<Value> positions = {e};
  if (form.glu)
    positions.push_back(arith::AddIOp::create(b, e, outDims[3]));
  SmallVector<SmallVector<Value>> sums;
  SmallVector<Value> outChannels;
  for (Value position : positions) {
    outChannels.push_back(form.channelsFirst ? d1 : position);
    sums.push_back(accumulate(n, d1, firstBlocked, position));
  }
  emitStores(n, d1, firstBlocked, e, outChannels, sums);
}

/// The convolution's sums at `outputsPerThread` positions of the blocked
/// dim from `firstBlocked`, at contiguous position `e`.
SmallVector<Value> ThreadEmitter::accumulate(Value n, Value d1,
                                             Value firstBlocked, Value e) {
  // channels_last: (oh, ow_k, co) = (d1, firstBlocked + k, e);
  // channels_first: (co, oh_k, ow) = (d1, firstBlocked + k, e).
  Value outChannel = form.channelsFirst ? d1 : e;
  Value channel =
      form.multiplier == 1
          ? outChannel
          : arith::DivUIOp::create(b, outChannel, index(form.multiplier));
  // The first input row and column of each output's window.
  SmallVector<Value> rows, columns;
  for (int64_t k = 0; k < mapping.outputsPerThread; ++k) {
    Value blocked = arith::AddIOp::create(b, firstBlocked, index(k));
    Value oh = form.channelsFirst ? blocked : d1;
    Value ow = form.channelsFirst ? e : blocked;
    rows.push_back(arith::SubIOp::create(
        b, arith::MulIOp::create(b, oh, index(form.strideH)), padTop));
    columns.push_back(arith::SubIOp::create(
        b, arith::MulIOp::create(b, ow, index(form.strideW)), padLeft));
  }
  SmallVector<Value> init(mapping.outputsPerThread, f32(0.0f));
  auto loop =
      scf::ForOp::create(b, index(0), index(form.kernelH), index(1), init);
  OpBuilder::InsertionGuard loopGuard(b);
  b.setInsertionPointToStart(loop.getBody());
  scf::YieldOp::create(b, emitKernelRow(n, loop.getInductionVar(), channel,
                                        outChannel, rows, columns,
                                        loop.getRegionIterArgs()));
  return SmallVector<Value>(loop.getResults());
}

SmallVector<Value> ThreadEmitter::emitKernelRow(Value n, Value kh,
                                                Value channel, Value outChannel,
                                                ArrayRef<Value> rows,
                                                ArrayRef<Value> columns,
                                                ValueRange accumulators) {
  SmallVector<Value> acc(accumulators);
  Value rowOffset = arith::MulIOp::create(b, kh, index(form.dilationH));
  SmallVector<Value> rowOk, rowClamped;
  for (Value row : rows) {
    Value ih = arith::AddIOp::create(b, row, rowOffset);
    rowOk.push_back(inside(ih, height));
    rowClamped.push_back(clamp(ih, height));
  }
  Value tapBase = arith::AddIOp::create(
      b, index(packed.kernelOffset),
      arith::MulIOp::create(b, kh, index(form.kernelW * packed.tapStride)));
  tapBase = arith::AddIOp::create(b, tapBase, outChannel);
  for (int64_t kw = 0; kw < form.kernelW; ++kw) {
    Value wIndex =
        arith::AddIOp::create(b, tapBase, index(kw * packed.tapStride));
    Value weight = memref::LoadOp::create(b, weights, ValueRange{wIndex});
    for (auto [k, column] : llvm::enumerate(columns)) {
      Value iw = arith::AddIOp::create(b, column, index(kw * form.dilationW));
      Value ok = arith::AndIOp::create(b, rowOk[k], inside(iw, width));
      Value iwc = clamp(iw, width);
      SmallVector<Value> at = {n, rowClamped[k], iwc, channel};
      if (form.channelsFirst)
        at = {n, channel, rowClamped[k], iwc};
      Value x = memref::LoadOp::create(b, input, at);
      // llvm.intr.fma, not math.fma: the NVVM lowering would make that a
      // libdevice call; this is one fma.rn.f32 (and one FMA on a CPU).
      Value fma = LLVM::FMAOp::create(b, x, weight, acc[k]);
      acc[k] = arith::SelectOp::create(b, ok, fma, acc[k]);
    }
  }
  return acc;
}

void ThreadEmitter::emitStores(Value n, Value d1, Value firstBlocked, Value e,
                               ArrayRef<Value> outChannels,
                               ArrayRef<SmallVector<Value>> sums) {
  SmallVector<Value> biases;
  for (Value outChannel : outChannels)
    biases.push_back(form.bias
                         ? memref::LoadOp::create(
                               b, weights,
                               ValueRange{arith::AddIOp::create(
                                   b, index(packed.biasOffset), outChannel)})
                               .getResult()
                         : Value());
  for (int64_t k = 0; k < mapping.outputsPerThread; ++k) {
    Value blocked = arith::AddIOp::create(b, firstBlocked, index(k));
    Value inBounds = arith::CmpIOp::create(b, arith::CmpIPredicate::slt,
                                           blocked, outDims[2]);
    auto ifOp = scf::IfOp::create(b, inBounds, /*withElseRegion=*/false);
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointToStart(ifOp.thenBlock());
    SmallVector<Value> values;
    for (auto [bias, sum] : llvm::zip_equal(biases, sums)) {
      Value acc = sum[k];
      // The epilogue's body on scalars: ([bias,] accumulator) -> value.
      if (form.epilogue)
        acc = applyOnScalars(form.epilogue, form.epilogue.getNumDpsInputs() == 1
                                                ? SmallVector<Value>{bias, acc}
                                                : SmallVector<Value>{acc});
      values.push_back(acc);
    }
    Value value = form.glu ? applyGlu(values[0], values[1]) : values[0];
    memref::StoreOp::create(b, value, output, ValueRange{n, d1, blocked, e});
  }
}

/// glu's body on scalars as the linalg form runs it over its k loop of 2,
/// from 1: (1 * a) * sigmoid(b).
Value ThreadEmitter::applyGlu(Value a, Value gate) {
  Value halves[] = {a, gate};
  Value acc = f32(1.0f);
  for (int64_t k = 0; k < 2; ++k)
    acc = applyOnScalars(form.glu, {halves[k], f32(0.0f), acc}, k);
  return acc;
}

/// Erases the linalg form the loops replaced. Done here, not left to a
/// canonicalizer: that would fold the loops' memref.load of the output
/// (written by other threads) into a tensor.extract of the destination as it
/// was before the kernel, so bufferization must follow this pass directly.
void eraseDeadOps(func::FuncOp func) {
  Block &body = func.getBody().front();
  for (Operation &op : llvm::make_early_inc_range(llvm::reverse(body)))
    if (isOpTriviallyDead(&op))
      op.erase();
}

struct DWConvGPUMapToThreadsPass
    : public dwconv::impl::DWConvGPUMapToThreadsPassBase<
          DWConvGPUMapToThreadsPass> {
  using DWConvGPUMapToThreadsPassBase::DWConvGPUMapToThreadsPassBase;

  void runOnOperation() override {
    func::FuncOp func = getOperation();
    auto attr = func->getAttrOfType<DictionaryAttr>(kThreadMappingAttr);
    if (!attr)
      return;
    FailureOr<ThreadMapping> mapping = ThreadMapping::fromAttr(attr);
    FailureOr<LayerABI> layer = LayerABI::read(func);
    if (failed(mapping) || failed(layer)) {
      func.emitError() << "malformed " << kThreadMappingAttr;
      return signalPassFailure();
    }
    std::string reason;
    FailureOr<ConvForm> form = matchConvForm(func, *layer, reason);
    OpBuilder builder(func.getContext());
    Value packed =
        succeeded(form) ? getPackedWeights(builder, form->filter) : Value();
    if (succeeded(form) && !packed)
      reason = "the filter is not a view of the packed weights";
    if (succeeded(form) && bool(form->bias) != layer->hasBias)
      reason = "the epilogue's input is not the layer's bias";
    if (failed(form) || !packed || bool(form->bias) != layer->hasBias) {
      func.emitError() << "layer '" << layer->name
                       << "': no GPU code for this kernel (" << reason << ")";
      return signalPassFailure();
    }
    ImplicitLocOpBuilder b(form->store.getLoc(), form->store);
    ThreadEmitter emitter(b, *form, *mapping, getPackedWeightsLayout(*layer));
    Value result = emitter.emit(packed);
    form->store.getResult().replaceAllUsesWith(result);
    form->store.erase();
    eraseDeadOps(func);
    LLVM_DEBUG(llvm::dbgs()
               << "@" << func.getSymName() << ": " << mapping->threadsY << " x "
               << mapping->threadsX << " threads, " << mapping->outputsPerThread
               << " outputs each\n");
  }
};

} // namespace
