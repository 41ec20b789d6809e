//===- ConvertDWConvToTosa.cpp - dwconv.depthwise_conv2d to TOSA ----------===//
//
// For pipelines that take TOSA: each dwconv op becomes tosa.depthwise_conv2d
// (f32, zero points 0, pad [top, bottom, left, right]: 'same' as TensorFlow
// pads it, the odd pixel after, which needs static spatial input dims), a
// tosa.transpose on each side for channels_first, and the activation in
// TOSA ops where TOSA has them: relu / relu6 / relu(max_value) as
// tosa.clamp, leaky_relu as maximum(x, s * x), sigmoid, tanh, exponential,
// silu as x * sigmoid(x). Any other activation (or relu's threshold and
// negative_slope) has no TOSA form here: the pass fails on that op, saying
// so. dwconv-raise-tosa reads back what this writes.
//
//===----------------------------------------------------------------------===//

#include "dwconv/Conversion/Passes.h"
#include "dwconv/Dialect/DWConv/IR/DWConv.h"

#include "mlir/Dialect/Tosa/IR/TosaOps.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/DialectConversion.h"
#include "llvm/Support/Debug.h"

#include <limits>

#define DEBUG_TYPE "convert-dwconv-to-tosa"

namespace mlir {
namespace dwconv {
#define GEN_PASS_DEF_CONVERTDWCONVTOTOSAPASS
#include "dwconv/Conversion/Passes.h.inc"
} // namespace dwconv
} // namespace mlir

using namespace mlir;
using namespace mlir::dwconv;

namespace {

Value splat(OpBuilder &b, Location loc, ArrayRef<int64_t> shape, float value) {
  auto type = RankedTensorType::get(shape, b.getF32Type());
  return tosa::ConstOp::create(b, loc, type,
                               DenseElementsAttr::get(type, value));
}

/// TOSA's pad [top, bottom, left, right] for `op`, or failure ('same' on a
/// dynamic spatial dim).
FailureOr<SmallVector<int64_t, 4>> getTosaPads(DepthwiseConv2DOp op) {
  if (op.getPadding() == Padding::explicit_pads)
    return SmallVector<int64_t, 4>(*op.getPads());
  SmallVector<int64_t, 4> pads(4, 0);
  if (op.getPadding() == Padding::valid)
    return pads;
  TensorLayout layout = op.getLayout();
  auto input = cast<RankedTensorType>(op.getInput().getType());
  auto kernel = cast<RankedTensorType>(op.getDepthwiseKernel().getType());
  unsigned dims[] = {layout.height, layout.width};
  for (int i = 0; i < 2; ++i) {
    int64_t in = input.getDimSize(dims[i]);
    if (ShapedType::isDynamic(in))
      return failure();
    int64_t stride = op.getStrides()[i], dilation = op.getDilationRate()[i];
    int64_t out = (in + stride - 1) / stride;
    int64_t total = std::max<int64_t>(
        (out - 1) * stride + (kernel.getDimSize(i) - 1) * dilation + 1 - in, 0);
    pads[2 * i] = total / 2;
    pads[2 * i + 1] = total - total / 2;
  }
  return pads;
}

/// Whether buildActivation has a TOSA form of `op`'s activation.
bool hasTosaActivation(DepthwiseConv2DOp op) {
  ActivationParams params = op.getActivationParams();
  switch (op.getActivation()) {
  case Activation::relu:
    return params.negativeSlope == 0.0f && params.threshold == 0.0f;
  case Activation::linear:
  case Activation::relu6:
  case Activation::leaky_relu:
  case Activation::sigmoid:
  case Activation::tanh:
  case Activation::exponential:
  case Activation::silu:
    return true;
  default:
    return false;
  }
}

/// What the lowering cannot do, as an error on `op`.
LogicalResult checkLowerable(DepthwiseConv2DOp op) {
  if (failed(getTosaPads(op)))
    return op.emitError() << "'same' padding in TOSA needs static spatial "
                             "input dims";
  if (!hasTosaActivation(op))
    return op.emitError() << "activation '"
                          << describeActivation(op.getActivation(),
                                                op.getActivationParams())
                          << "' has no TOSA form here";
  return success();
}

/// `activation(x)` in TOSA ops (hasTosaActivation(op) holds).
Value buildActivation(OpBuilder &b, Location loc, DepthwiseConv2DOp op,
                      Value x) {
  Type type = x.getType();
  ActivationParams params = op.getActivationParams();
  auto clamp = [&](float max) -> Value {
    return tosa::ClampOp::create(b, loc, type, x, b.getF32FloatAttr(0.0f),
                                 b.getF32FloatAttr(max));
  };
  auto multiply = [&](Value lhs, Value rhs) -> Value {
    auto shiftType = RankedTensorType::get({1}, b.getI8Type());
    Value shift = tosa::ConstOp::create(
        b, loc, shiftType,
        DenseElementsAttr::get(shiftType, b.getI8IntegerAttr(0)));
    return tosa::MulOp::create(b, loc, type, lhs, rhs, shift);
  };
  switch (op.getActivation()) {
  case Activation::linear:
    return x;
  case Activation::relu:
    if (params.negativeSlope != 0.0f || params.threshold != 0.0f)
      return {};
    return clamp(params.maxValue.value_or(std::numeric_limits<float>::max()));
  case Activation::relu6:
    return clamp(6.0f);
  case Activation::leaky_relu:
    return tosa::MaximumOp::create(
        b, loc, type, x,
        multiply(x, splat(b, loc, {1, 1, 1, 1}, params.negativeSlope)));
  case Activation::sigmoid:
    return tosa::SigmoidOp::create(b, loc, type, x);
  case Activation::tanh:
    return tosa::TanhOp::create(b, loc, type, x);
  case Activation::exponential:
    return tosa::ExpOp::create(b, loc, type, x);
  case Activation::silu:
    return multiply(x, tosa::SigmoidOp::create(b, loc, type, x));
  default:
    llvm_unreachable("checked by hasTosaActivation");
  }
}

struct LowerToTosa : OpConversionPattern<DepthwiseConv2DOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(DepthwiseConv2DOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto resultType = cast<RankedTensorType>(op.getType());
    FailureOr<SmallVector<int64_t, 4>> pads = getTosaPads(op);
    if (failed(pads) || !hasTosaActivation(op))
      return rewriter.notifyMatchFailure(op, "checked by the pass");
    bool channelsFirst = op.getDataFormat() == DataFormat::channels_first;
    auto permute = [&](Value v, ArrayRef<int32_t> perms) -> Value {
      auto type = cast<RankedTensorType>(v.getType());
      SmallVector<int64_t> shape;
      for (int32_t p : perms)
        shape.push_back(type.getDimSize(p));
      return tosa::TransposeOp::create(
          rewriter, loc, RankedTensorType::get(shape, type.getElementType()), v,
          rewriter.getDenseI32ArrayAttr(perms));
    };
    Value input = adaptor.getInput();
    if (channelsFirst)
      input = permute(input, {0, 2, 3, 1});
    auto kernel = cast<RankedTensorType>(op.getDepthwiseKernel().getType());
    int64_t channels = kernel.getDimSize(2) * kernel.getDimSize(3);
    Value bias = adaptor.getBias() ? adaptor.getBias()
                                   : splat(rewriter, loc, {channels}, 0.0f);
    Value zero = splat(rewriter, loc, {1}, 0.0f);
    SmallVector<int64_t> nhwc(resultType.getShape());
    if (channelsFirst)
      nhwc = {nhwc[0], nhwc[2], nhwc[3], nhwc[1]};
    Value result = tosa::DepthwiseConv2DOp::create(
        rewriter, loc, RankedTensorType::get(nhwc, rewriter.getF32Type()),
        input, adaptor.getDepthwiseKernel(), bias, zero, zero,
        rewriter.getDenseI64ArrayAttr(*pads), op.getStridesAttr(),
        op.getDilationRateAttr(), TypeAttr::get(rewriter.getF32Type()));
    if (channelsFirst)
      result = permute(result, {0, 3, 1, 2});
    rewriter.replaceOp(op, buildActivation(rewriter, loc, op, result));
    return success();
  }
};

struct ConvertDWConvToTosaPass
    : public dwconv::impl::ConvertDWConvToTosaPassBase<
          ConvertDWConvToTosaPass> {
  using ConvertDWConvToTosaPassBase::ConvertDWConvToTosaPassBase;

  void runOnOperation() override {
    MLIRContext *ctx = &getContext();
    bool lowerable = true;
    getOperation()->walk([&](DepthwiseConv2DOp op) {
      lowerable &= succeeded(checkLowerable(op));
    });
    if (!lowerable)
      return signalPassFailure();
    ConversionTarget target(*ctx);
    target.addIllegalOp<DepthwiseConv2DOp>();
    target.addLegalDialect<tosa::TosaDialect>();
    target.markUnknownOpDynamicallyLegal([](Operation *) { return true; });
    RewritePatternSet patterns(ctx);
    patterns.add<LowerToTosa>(ctx);
    if (failed(applyPartialConversion(getOperation(), target,
                                      std::move(patterns))))
      signalPassFailure();
  }
};

} // namespace
