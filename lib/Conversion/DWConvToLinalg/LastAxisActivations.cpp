//===- LastAxisActivations.cpp - activations over Keras's last axis -------===//
//
// softmax, log_softmax, glu and sparsemax act on whole rows of the last axis
// of the layer's output (the channels, or the width for channels_first), as
// Keras applies them. Each is a few linalg.generic ops on tensors, so that
// tiling with whole rows per tile fuses them like any producer.
//
//===----------------------------------------------------------------------===//

#include "dwconv/Conversion/DWConvToLinalg/DWConvToLinalg.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/AffineMap.h"

#include <limits>

using namespace mlir;
using namespace mlir::dwconv;

namespace {

using utils::IteratorType;

/// Maps and iterators of a generic over the rank-4 rows and, when `extra` is
/// set, one more loop: (d0, d1, d2, d3[, d4]).
struct RowMaps {
  MLIRContext *ctx;
  unsigned loops;

  AffineMap map(ArrayRef<unsigned> dims) const {
    SmallVector<AffineExpr> exprs;
    for (unsigned d : dims)
      exprs.push_back(getAffineDimExpr(d, ctx));
    return AffineMap::get(loops, 0, exprs, ctx);
  }
  /// The row's elements: (d0, d1, d2, d).
  AffineMap element(unsigned d = 3) const { return map({0, 1, 2, d}); }
  /// One value per row: (d0, d1, d2).
  AffineMap row() const { return map({0, 1, 2}); }
  SmallVector<IteratorType> iterators(unsigned reductions) const {
    SmallVector<IteratorType> kinds(loops, IteratorType::parallel);
    for (unsigned i = 0; i < reductions; ++i)
      kinds[loops - 1 - i] = IteratorType::reduction;
    return kinds;
  }
};

Value constantOf(OpBuilder &b, Location loc, Type type, double value) {
  return arith::ConstantOp::create(b, loc, type, b.getFloatAttr(type, value));
}

/// A tensor of `sizes` filled with `value`.
Value filled(OpBuilder &b, Location loc, ArrayRef<OpFoldResult> sizes,
             Type elementType, double value) {
  Value empty = tensor::EmptyOp::create(b, loc, sizes, elementType);
  return linalg::FillOp::create(b, loc, constantOf(b, loc, elementType, value),
                                empty)
      .getResult(0);
}

/// The sizes of `x` without its last axis.
SmallVector<OpFoldResult> rowSizes(OpBuilder &b, Location loc, Value x) {
  SmallVector<OpFoldResult> sizes = tensor::getMixedSizes(b, loc, x);
  sizes.pop_back();
  return sizes;
}

/// softmax or log_softmax, stable form: m = max(x), s = sum(exp(x - m)),
/// softmax = exp(x - m) / s, log_softmax = (x - m) - log(s).
Value softmaxLastAxis(OpBuilder &b, Location loc, Value x, bool logarithmic) {
  auto type = cast<RankedTensorType>(x.getType());
  Type elementType = type.getElementType();
  SmallVector<OpFoldResult> sizes = rowSizes(b, loc, x);
  RowMaps m{b.getContext(), 4};
  Value lowest = filled(b, loc, sizes, elementType,
                        -std::numeric_limits<double>::infinity());
  Value max = linalg::GenericOp::create(
                  b, loc, lowest.getType(), x, lowest,
                  ArrayRef<AffineMap>{m.element(), m.row()}, m.iterators(1),
                  [](OpBuilder &nb, Location nloc, ValueRange args) {
                    linalg::YieldOp::create(
                        nb, nloc,
                        arith::MaximumFOp::create(nb, nloc, args[0], args[1])
                            .getResult());
                  })
                  .getResult(0);
  Value sum =
      linalg::GenericOp::create(
          b, loc, max.getType(), ValueRange{x, max},
          filled(b, loc, sizes, elementType, 0.0),
          ArrayRef<AffineMap>{m.element(), m.row(), m.row()}, m.iterators(1),
          [](OpBuilder &nb, Location nloc, ValueRange args) {
            Value shifted = arith::SubFOp::create(nb, nloc, args[0], args[1]);
            Value e = math::ExpOp::create(nb, nloc, shifted);
            linalg::YieldOp::create(
                nb, nloc,
                arith::AddFOp::create(nb, nloc, args[2], e).getResult());
          })
          .getResult(0);
  return linalg::GenericOp::create(
             b, loc, type, ValueRange{max, sum}, x,
             ArrayRef<AffineMap>{m.row(), m.row(), m.element()}, m.iterators(0),
             [&](OpBuilder &nb, Location nloc, ValueRange args) {
               Value shifted =
                   arith::SubFOp::create(nb, nloc, args[2], args[0]);
               Value v =
                   logarithmic
                       ? arith::SubFOp::create(
                             nb, nloc, shifted,
                             math::LogOp::create(nb, nloc, args[1]))
                             .getResult()
                       : arith::DivFOp::create(
                             nb, nloc, math::ExpOp::create(nb, nloc, shifted),
                             args[1])
                             .getResult();
               linalg::YieldOp::create(nb, nloc, v);
             })
      .getResult(0);
}

/// glu as Keras computes it: a, b = split(x, 2, axis=-1); a * sigmoid(b).
/// The last axis is static and even (the op's verifier checked).
///
/// One generic over (N, H, W, half, 2) reads x[.., j + k * half] and
/// multiplies 1 * a * sigmoid(b) over k (exact: 1 * a is a). Tiling then
/// slices x whole along its last axis: slicing the halves apart instead
/// (tensor.extract_slice) would tile the contraction at channel offset
/// `half`, which upstream's tiling of the multiplier form's
/// (d3 floordiv M) map gets wrong when M does not divide it, and leaves a
/// slice of a slice that upstream's tile-and-fuse does not fuse through. The
/// 2-element constant only gives the k loop its extent.
Value gluLastAxis(OpBuilder &b, Location loc, Value x) {
  auto type = cast<RankedTensorType>(x.getType());
  Type elementType = type.getElementType();
  int64_t half = type.getDimSize(3) / 2;
  SmallVector<OpFoldResult> sizes = tensor::getMixedSizes(b, loc, x);
  sizes.back() = b.getIndexAttr(half);
  Value init = filled(b, loc, sizes, elementType, 1.0);
  auto pairType = RankedTensorType::get({2}, elementType);
  Value pair = arith::ConstantOp::create(
      b, loc, pairType,
      DenseElementsAttr::get(pairType, b.getFloatAttr(elementType, 0.0)));
  MLIRContext *ctx = b.getContext();
  RowMaps m{ctx, 5};
  AffineMap halves = AffineMap::get(
      5, 0,
      {getAffineDimExpr(0, ctx), getAffineDimExpr(1, ctx),
       getAffineDimExpr(2, ctx),
       getAffineDimExpr(3, ctx) + getAffineDimExpr(4, ctx) * half},
      ctx);
  return linalg::GenericOp::create(
             b, loc, init.getType(), ValueRange{x, pair}, init,
             ArrayRef<AffineMap>{halves, m.map({4}), m.element(3)},
             m.iterators(1),
             [&](OpBuilder &nb, Location nloc, ValueRange args) {
               Value k = linalg::IndexOp::create(nb, nloc, 4);
               Value isGate = arith::CmpIOp::create(
                   nb, nloc, arith::CmpIPredicate::eq, k,
                   arith::ConstantIndexOp::create(nb, nloc, 1));
               Value sigmoid = buildElementwiseActivation(
                   nb, nloc, Activation::sigmoid, args[0], {});
               Value factor =
                   arith::SelectOp::create(nb, nloc, isGate, sigmoid, args[0]);
               linalg::YieldOp::create(
                   nb, nloc,
                   arith::MulFOp::create(nb, nloc, args[2], factor)
                       .getResult());
             })
      .getResult(0);
}

/// For each element z_j of a row, its place in Keras's descending sort and
/// the cumulative sum there, without sorting: r_j = #{i : z_i before z_j},
/// S_j = sum of those z_i, where z_i comes before z_j when it is larger, or
/// equal and not after it (a stable sort's order; equal values give the same
/// sorted values whatever the order).
std::pair<Value, Value> sortedPlaces(OpBuilder &b, Location loc, Value x) {
  auto type = cast<RankedTensorType>(x.getType());
  Type elementType = type.getElementType();
  SmallVector<OpFoldResult> sizes = tensor::getMixedSizes(b, loc, x);
  Value zero = filled(b, loc, sizes, elementType, 0.0);
  RowMaps m{b.getContext(), 5};
  auto places = linalg::GenericOp::create(
      b, loc, TypeRange{type, type}, ValueRange{x, x}, ValueRange{zero, zero},
      ArrayRef<AffineMap>{m.element(3), m.element(4), m.element(3),
                          m.element(3)},
      m.iterators(1), [&](OpBuilder &nb, Location nloc, ValueRange args) {
        Value zj = args[0], zi = args[1];
        Value j = linalg::IndexOp::create(nb, nloc, 3);
        Value i = linalg::IndexOp::create(nb, nloc, 4);
        Value larger =
            arith::CmpFOp::create(nb, nloc, arith::CmpFPredicate::OGT, zi, zj);
        Value equal =
            arith::CmpFOp::create(nb, nloc, arith::CmpFPredicate::OEQ, zi, zj);
        Value notAfter =
            arith::CmpIOp::create(nb, nloc, arith::CmpIPredicate::ule, i, j);
        Value before = arith::OrIOp::create(
            nb, nloc, larger, arith::AndIOp::create(nb, nloc, equal, notAfter));
        Value one = constantOf(nb, nloc, elementType, 1.0);
        Value none = constantOf(nb, nloc, elementType, 0.0);
        Value place = arith::AddFOp::create(
            nb, nloc, args[2],
            arith::SelectOp::create(nb, nloc, before, one, none));
        Value sum = arith::AddFOp::create(
            nb, nloc, args[3],
            arith::SelectOp::create(nb, nloc, before, zi, none));
        linalg::YieldOp::create(nb, nloc, ValueRange{place, sum});
      });
  return {places.getResult(0), places.getResult(1)};
}

/// Keras's sparsemax (keras/src/backend/*/nn.py): with z sorted descending,
/// S its cumulative sums and r = 1..n, the support is z - (S - 1) / r > 0,
/// k its size and tau = (sum of S over the support - 1) / k; the result is
/// max(x - tau, 0). (The paper's tau is (S_k - 1) / k: Keras differs, and its
/// values are the reference.) O(n^2) per row instead of a sort.
Value sparsemaxLastAxis(OpBuilder &b, Location loc, Value x) {
  auto type = cast<RankedTensorType>(x.getType());
  Type elementType = type.getElementType();
  auto [place, cumsum] = sortedPlaces(b, loc, x);
  SmallVector<OpFoldResult> sizes = rowSizes(b, loc, x);
  Value zero = filled(b, loc, sizes, elementType, 0.0);
  RowMaps m{b.getContext(), 4};
  auto support = linalg::GenericOp::create(
      b, loc, TypeRange{zero.getType(), zero.getType()},
      ValueRange{x, place, cumsum}, ValueRange{zero, zero},
      ArrayRef<AffineMap>{m.element(), m.element(), m.element(), m.row(),
                          m.row()},
      m.iterators(1), [&](OpBuilder &nb, Location nloc, ValueRange args) {
        Value one = constantOf(nb, nloc, elementType, 1.0);
        Value none = constantOf(nb, nloc, elementType, 0.0);
        Value bound = arith::DivFOp::create(
            nb, nloc, arith::SubFOp::create(nb, nloc, args[2], one), args[1]);
        Value inSupport = arith::CmpFOp::create(
            nb, nloc, arith::CmpFPredicate::OGT,
            arith::SubFOp::create(nb, nloc, args[0], bound), none);
        Value k = arith::AddFOp::create(
            nb, nloc, args[3],
            arith::SelectOp::create(nb, nloc, inSupport, one, none));
        Value total = arith::AddFOp::create(
            nb, nloc, args[4],
            arith::SelectOp::create(nb, nloc, inSupport, args[2], none));
        linalg::YieldOp::create(nb, nloc, ValueRange{k, total});
      });
  return linalg::GenericOp::create(
             b, loc, type, support.getResults(), x,
             ArrayRef<AffineMap>{m.row(), m.row(), m.element()}, m.iterators(0),
             [&](OpBuilder &nb, Location nloc, ValueRange args) {
               Value one = constantOf(nb, nloc, elementType, 1.0);
               Value tau = arith::DivFOp::create(
                   nb, nloc, arith::SubFOp::create(nb, nloc, args[1], one),
                   args[0]);
               Value shifted = arith::SubFOp::create(nb, nloc, args[2], tau);
               linalg::YieldOp::create(
                   nb, nloc,
                   arith::MaximumFOp::create(
                       nb, nloc, shifted,
                       constantOf(nb, nloc, elementType, 0.0))
                       .getResult());
             })
      .getResult(0);
}

} // namespace

Value mlir::dwconv::buildLastAxisActivation(OpBuilder &b, Location loc,
                                            Activation activation, Value x) {
  switch (activation) {
  case Activation::softmax:
  case Activation::log_softmax:
    return softmaxLastAxis(b, loc, x, activation == Activation::log_softmax);
  case Activation::glu:
    return gluLastAxis(b, loc, x);
  case Activation::sparsemax:
    return sparsemaxLastAxis(b, loc, x);
  default:
    llvm_unreachable("an elementwise activation");
  }
}
