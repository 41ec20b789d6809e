//===- DWConvToLinalg.cpp - dwconv.depthwise_conv2d to linalg -------------===//
//
// The lowering works in NHWC: channels_first operands are transposed in and
// the result out, so padding, contraction and epilogue have one form each.
//
//===----------------------------------------------------------------------===//

#include "dwconv/Conversion/DWConvToLinalg/DWConvToLinalg.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Arith/Utils/Utils.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"
#include "mlir/IR/AffineMap.h"

using namespace mlir;
using namespace mlir::dwconv;

namespace {

// NCHW <-> NHWC permutations for linalg.transpose.
constexpr int64_t kToNHWC[] = {0, 2, 3, 1};
constexpr int64_t kToNCHW[] = {0, 3, 1, 2};

/// Builds index arithmetic on OpFoldResults, folding static operands.
struct IndexExpr {
  OpBuilder &b;
  Location loc;

  OpFoldResult constant(int64_t v) { return b.getIndexAttr(v); }
  Value value(OpFoldResult v) {
    return getValueOrCreateConstantIndexOp(b, loc, v);
  }
  template <typename OpT, typename FoldFn>
  OpFoldResult binary(OpFoldResult x, OpFoldResult y, FoldFn fold) {
    std::optional<int64_t> cx = getConstantIntValue(x);
    std::optional<int64_t> cy = getConstantIntValue(y);
    if (cx && cy)
      return constant(fold(*cx, *cy));
    return b.createOrFold<OpT>(loc, value(x), value(y));
  }
  OpFoldResult add(OpFoldResult x, OpFoldResult y) {
    return binary<arith::AddIOp>(x, y,
                                 [](int64_t l, int64_t r) { return l + r; });
  }
  OpFoldResult sub(OpFoldResult x, OpFoldResult y) {
    return binary<arith::SubIOp>(x, y,
                                 [](int64_t l, int64_t r) { return l - r; });
  }
  OpFoldResult mul(OpFoldResult x, OpFoldResult y) {
    return binary<arith::MulIOp>(x, y,
                                 [](int64_t l, int64_t r) { return l * r; });
  }
  OpFoldResult max(OpFoldResult x, OpFoldResult y) {
    return binary<arith::MaxSIOp>(
        x, y, [](int64_t l, int64_t r) { return std::max(l, r); });
  }
  OpFoldResult floorDiv(OpFoldResult x, int64_t y) {
    return binary<arith::FloorDivSIOp>(
        x, constant(y),
        [](int64_t l, int64_t r) { return llvm::divideFloorSigned(l, r); });
  }
  OpFoldResult ceilDiv(OpFoldResult x, int64_t y) {
    return binary<arith::CeilDivSIOp>(x, constant(y), [](int64_t l, int64_t r) {
      return llvm::divideCeilSigned(l, r);
    });
  }
};

Value transpose(OpBuilder &b, Location loc, Value source,
                ArrayRef<int64_t> permutation) {
  SmallVector<OpFoldResult> sizes = tensor::getMixedSizes(b, loc, source);
  SmallVector<OpFoldResult> permuted =
      llvm::map_to_vector(permutation, [&](int64_t d) { return sizes[d]; });
  Value init = tensor::EmptyOp::create(
      b, loc, permuted,
      cast<RankedTensorType>(source.getType()).getElementType());
  return linalg::TransposeOp::create(b, loc, source, init, permutation)
      .getResult()
      .front();
}

/// `tensor` filled with `value`.
Value fill(OpBuilder &b, Location loc, Value tensor, double value) {
  Type elementType = cast<RankedTensorType>(tensor.getType()).getElementType();
  Value scalar = arith::ConstantOp::create(b, loc, elementType,
                                           b.getFloatAttr(elementType, value));
  return linalg::FillOp::create(b, loc, scalar, tensor).getResult(0);
}

/// Zero-pads the spatial dims of an NHWC input by `low` and `high`.
Value padSpatial(OpBuilder &b, Location loc, Value input,
                 ArrayRef<OpFoldResult> low, ArrayRef<OpFoldResult> high) {
  if (llvm::all_of(llvm::concat<const OpFoldResult>(low, high),
                   [](OpFoldResult v) { return isZeroInteger(v); }))
    return input;
  Type elementType = cast<RankedTensorType>(input.getType()).getElementType();
  Value zero = arith::ConstantOp::create(b, loc, elementType,
                                         b.getZeroAttr(elementType));
  return tensor::PadOp::create(b, loc, /*resultType=*/Type(), input, low, high,
                               zero);
}

/// Pads an NHWC input by explicit (top, bottom, left, right) amounts.
Value padExplicit(OpBuilder &b, Location loc, Value input,
                  ArrayRef<int64_t> pads) {
  SmallVector<OpFoldResult> low(4, b.getIndexAttr(0)),
      high(4, b.getIndexAttr(0));
  for (unsigned i = 0; i < 2; ++i) {
    low[1 + i] = b.getIndexAttr(pads[2 * i]);
    high[1 + i] = b.getIndexAttr(pads[2 * i + 1]);
  }
  return padSpatial(b, loc, input, low, high);
}

/// Pads the spatial dims of an NHWC input as TensorFlow's 'same' does: the
/// odd pixel goes to the bottom/right.
Value padSame(OpBuilder &b, Location loc, Value input,
              ArrayRef<int64_t> kernelSize, ArrayRef<int64_t> strides,
              ArrayRef<int64_t> dilation) {
  IndexExpr e{b, loc};
  SmallVector<OpFoldResult> low(4, e.constant(0)), high(4, e.constant(0));
  for (unsigned i = 0; i < 2; ++i) {
    unsigned dim = 1 + i;
    OpFoldResult in = tensor::getMixedSize(b, loc, input, dim);
    OpFoldResult out = e.ceilDiv(in, strides[i]);
    // total = max((out - 1) * stride + (k - 1) * dilation + 1 - in, 0)
    OpFoldResult needed =
        e.add(e.mul(e.sub(out, e.constant(1)), e.constant(strides[i])),
              e.constant((kernelSize[i] - 1) * dilation[i] + 1));
    OpFoldResult total = e.max(e.sub(needed, in), e.constant(0));
    low[dim] = e.floorDiv(total, 2);
    high[dim] = e.sub(total, low[dim]);
  }
  return padSpatial(b, loc, input, low, high);
}

/// The contraction with depth multiplier M > 1, as one generic over the
/// output (n, oh, ow, j) and the taps (kh, kw): output channel j = c * M + m
/// reads input channel j floordiv M and kernel column j of the (kh, kw, C * M)
/// kernel. The accumulation is linalg.depthwise_conv_2d_nhwc_hwcm's (the same
/// taps in the same order), written straight into the 4-D output so that
/// tiling sees one op from input to output.
Value contractMultiplier(OpBuilder &b, Location loc, Value input, Value kernel,
                         ArrayRef<OpFoldResult> outputSizes,
                         ArrayRef<int64_t> strides,
                         ArrayRef<int64_t> dilation) {
  MLIRContext *ctx = b.getContext();
  auto kernelType = cast<RankedTensorType>(kernel.getType());
  Type elementType = kernelType.getElementType();
  int64_t multiplier = kernelType.getDimSize(kKernelMultiplier);
  Value kernel3d = tensor::CollapseShapeOp::create(
      b, loc, kernel, SmallVector<ReassociationIndices>{{0}, {1}, {2, 3}});
  IndexExpr e{b, loc};
  OpFoldResult channels = tensor::getMixedSize(b, loc, input, 3);
  SmallVector<OpFoldResult> sizes = {outputSizes[0], outputSizes[1],
                                     outputSizes[2],
                                     e.mul(channels, e.constant(multiplier))};
  Value init =
      fill(b, loc, tensor::EmptyOp::create(b, loc, sizes, elementType), 0.0);
  AffineExpr n, oh, ow, j, kh, kw;
  bindDims(ctx, n, oh, ow, j, kh, kw);
  auto map = [&](ArrayRef<AffineExpr> results) {
    return AffineMap::get(6, 0, results, ctx);
  };
  SmallVector<AffineMap> maps = {
      map({n, oh * strides[0] + kh * dilation[0],
           ow * strides[1] + kw * dilation[1], j.floorDiv(multiplier)}),
      map({kh, kw, j}), map({n, oh, ow, j})};
  SmallVector<utils::IteratorType> iterators(4, utils::IteratorType::parallel);
  iterators.append(2, utils::IteratorType::reduction);
  return linalg::GenericOp::create(
             b, loc, init.getType(), ValueRange{input, kernel3d}, init, maps,
             iterators,
             [](OpBuilder &nb, Location nloc, ValueRange args) {
               Value product =
                   arith::MulFOp::create(nb, nloc, args[0], args[1]);
               linalg::YieldOp::create(
                   nb, nloc,
                   arith::AddFOp::create(nb, nloc, args[2], product)
                       .getResult());
             })
      .getResult(0);
}

/// The depthwise contraction of an NHWC input with a (kh, kw, C, M) kernel
/// into an NHWC result of C * M channels, channel c * M + m.
Value contract(OpBuilder &b, Location loc, Value input, Value kernel,
               ArrayRef<OpFoldResult> outputSizes, ArrayRef<int64_t> strides,
               ArrayRef<int64_t> dilation) {
  auto kernelType = cast<RankedTensorType>(kernel.getType());
  if (kernelType.getDimSize(kKernelMultiplier) != 1)
    return contractMultiplier(b, loc, input, kernel, outputSizes, strides,
                              dilation);
  Value kernel3d = tensor::CollapseShapeOp::create(
      b, loc, kernel, SmallVector<ReassociationIndices>{{0}, {1}, {2, 3}});
  SmallVector<OpFoldResult> sizes = {outputSizes[0], outputSizes[1],
                                     outputSizes[2],
                                     tensor::getMixedSize(b, loc, input, 3)};
  Value init = fill(
      b, loc,
      tensor::EmptyOp::create(b, loc, sizes, kernelType.getElementType()), 0.0);
  NamedAttribute attrs[] = {
      b.getNamedAttr("strides", b.getI64TensorAttr(strides)),
      b.getNamedAttr("dilations", b.getI64TensorAttr(dilation))};
  return linalg::DepthwiseConv2DNhwcHwcOp::create(
             b, loc, init.getType(), ValueRange{input, kernel3d}, init, attrs)
      .getResult(0);
}

/// Adds the bias (indexed by the last dim) and applies an elementwise
/// activation, in place on `result`.
Value epilogue(OpBuilder &b, Location loc, Value result, Value bias,
               Activation activation, const ActivationParams &params) {
  MLIRContext *ctx = b.getContext();
  auto type = cast<RankedTensorType>(result.getType());
  AffineMap identity = AffineMap::getMultiDimIdentityMap(4, ctx);
  SmallVector<Value> inputs;
  SmallVector<AffineMap> maps;
  if (bias) {
    inputs.push_back(bias);
    maps.push_back(AffineMap::get(4, 0, getAffineDimExpr(3, ctx)));
  }
  maps.push_back(identity);
  SmallVector<utils::IteratorType> iterators(4, utils::IteratorType::parallel);
  return linalg::GenericOp::create(
             b, loc, type, inputs, result, maps, iterators,
             [&](OpBuilder &nb, Location nloc, ValueRange args) {
               Value v = args.back();
               if (bias)
                 v = arith::AddFOp::create(nb, nloc, v, args.front());
               v = buildElementwiseActivation(nb, nloc, activation, v, params);
               linalg::YieldOp::create(nb, nloc, v);
             })
      .getResult(0);
}

struct DepthwiseConv2DLowering : public OpRewritePattern<DepthwiseConv2DOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(DepthwiseConv2DOp op,
                                PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto kernelType = cast<RankedTensorType>(op.getDepthwiseKernel().getType());
    bool channelsFirst = op.getDataFormat() == DataFormat::channels_first;

    ReifiedRankedShapedTypeDims reified;
    if (failed(op.reifyResultShapes(rewriter, reified)))
      return rewriter.notifyMatchFailure(op, "cannot reify the result shape");
    SmallVector<OpFoldResult> outputSizes = reified.front();
    // glu halves the last axis (static, the verifier checked): the
    // contraction computes all of it.
    if (op.getActivation() == Activation::glu)
      outputSizes[3] = rewriter.getIndexAttr(2 * op.getType().getDimSize(3));
    if (channelsFirst)
      outputSizes = llvm::map_to_vector(
          kToNHWC, [&](int64_t d) { return outputSizes[d]; });

    Value input = op.getInput();
    if (channelsFirst)
      input = transpose(rewriter, loc, input, kToNHWC);
    ArrayRef<int64_t> kernelSize = kernelType.getShape().take_front(2);
    if (op.getPadding() == Padding::same)
      input = padSame(rewriter, loc, input, kernelSize, op.getStrides(),
                      op.getDilationRate());
    if (op.getPadding() == Padding::explicit_pads)
      input = padExplicit(rewriter, loc, input, *op.getPads());

    Value result = contract(rewriter, loc, input, op.getDepthwiseKernel(),
                            outputSizes, op.getStrides(), op.getDilationRate());
    Activation activation = op.getActivation();
    bool elementwise = isElementwise(activation);
    Activation fused = elementwise ? activation : Activation::linear;
    if (op.getBias() || fused != Activation::linear)
      result = epilogue(rewriter, loc, result, op.getBias(), fused,
                        op.getActivationParams());
    if (channelsFirst)
      result = transpose(rewriter, loc, result, kToNCHW);
    if (!elementwise)
      result = buildLastAxisActivation(rewriter, loc, activation, result);
    if (result.getType() != op.getType())
      result = tensor::CastOp::create(rewriter, loc, op.getType(), result);
    rewriter.replaceOp(op, result);
    return success();
  }
};

} // namespace

void mlir::dwconv::populateDWConvToLinalgPatterns(RewritePatternSet &patterns) {
  patterns.add<DepthwiseConv2DLowering>(patterns.getContext());
}
