//===- DWConvRaiseTosa.cpp - tosa.depthwise_conv2d to dwconv --------------===//
//
// Raises tosa.depthwise_conv2d into dwconv.depthwise_conv2d where the two
// compute the same thing: float (f32 input, weights, bias and accumulator)
// with zero points 0. TOSA's operands are Keras's (NHWC input, KH x KW x C x
// M weights, C * M bias, pad [top, bottom, left, right]), so they carry over
// as they are. Then what producers put around the op folds into it:
// - a transpose NCHW -> NHWC before and NHWC -> NCHW after (torch-mlir):
//   channels_first on the untransposed input;
// - tosa.add of a constant per channel after an op without bias: the bias;
// - tosa.clamp(0, m), or tosa.maximum with 0 then tosa.minimum with m
//   (TFLite and torch-mlir write ReLU/ReLU6 these ways): relu, relu6 or
//   relu(max_value = m).
// Weights from constants become arith.constant (dense_resource blobs read
// out), so that the function is a layer with baked weights. An op that does
// not qualify (int8 with zero points and a rescale, f16, ...) stays as it is,
// with a remark saying why.
//
//===----------------------------------------------------------------------===//

#include "dwconv/Conversion/Passes.h"
#include "dwconv/Dialect/DWConv/IR/DWConv.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Tosa/IR/TosaOps.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "mlir/IR/Matchers.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/IR/TypeUtilities.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"
#include "llvm/Support/Debug.h"

#include <limits>
#include <optional>

#define DEBUG_TYPE "dwconv-raise-tosa"

namespace mlir {
namespace dwconv {
#define GEN_PASS_DEF_DWCONVRAISETOSAPASS
#include "dwconv/Conversion/Passes.h.inc"
} // namespace dwconv
} // namespace mlir

using namespace mlir;
using namespace mlir::dwconv;

namespace {

/// The dense value of a constant, dense_resource blobs included.
std::optional<DenseElementsAttr> getDenseConstant(Value value) {
  ElementsAttr attr;
  if (!value || !matchPattern(value, m_Constant(&attr)))
    return std::nullopt;
  if (auto dense = dyn_cast<DenseElementsAttr>(attr))
    return dense;
  auto resource = dyn_cast<DenseResourceElementsAttr>(attr);
  AsmResourceBlob *blob =
      resource ? resource.getRawHandle().getBlob() : nullptr;
  auto type = cast<ShapedType>(attr.getType());
  if (!blob || !type.getElementType().isF32() ||
      blob->getData().size() != size_t(type.getNumElements()) * 4)
    return std::nullopt;
  return DenseElementsAttr::getFromRawBuffer(type, blob->getData());
}

bool isConstantFloat(Value value, float expected) {
  std::optional<DenseElementsAttr> dense = getDenseConstant(value);
  return dense && dense->getElementType().isF32() &&
         llvm::all_of(dense->getValues<float>(),
                      [&](float v) { return v == expected; });
}

bool isF32Tensor(Value value) {
  auto type = dyn_cast<RankedTensorType>(value.getType());
  return type && type.getElementType().isF32();
}

/// Why `op` cannot become a dwconv op, or nothing if it can.
std::optional<std::string> whyNotRaisable(tosa::DepthwiseConv2DOp op) {
  if (!isF32Tensor(op.getInput()) || !isF32Tensor(op.getWeight()) ||
      !isF32Tensor(op.getBias()) || !isF32Tensor(op.getOutput()) ||
      !op.getAccType().isF32())
    return std::string("only f32 input, weights, bias and accumulator match "
                       "Keras's DepthwiseConv2D (a quantized op keeps its "
                       "zero points and rescale)");
  if (!isConstantFloat(op.getInputZp(), 0.0f) ||
      !isConstantFloat(op.getWeightZp(), 0.0f))
    return std::string("the zero points are not constant zeros");
  auto weight = cast<RankedTensorType>(op.getWeight().getType());
  auto bias = cast<RankedTensorType>(op.getBias().getType());
  if (!weight.hasStaticShape() || bias.getRank() != 1 ||
      (bias.getDimSize(0) != weight.getDimSize(2) * weight.getDimSize(3) &&
       !getDenseConstant(op.getBias())))
    return std::string("the bias is neither C * M values nor a constant");
  // The result type must be the one Keras's rule gives for these pads.
  ArrayRef<int64_t> pad = op.getPad();
  ConvConfig config{op.getStride(), op.getDilation(), Padding::explicit_pads,
                    DataFormat::channels_last, pad};
  FailureOr<RankedTensorType> inferred = inferResultType(
      std::nullopt, op.getInput().getType(), weight, Type(), config);
  auto output = cast<RankedTensorType>(op.getOutput().getType());
  if (failed(inferred) ||
      failed(verifyCompatibleShape(inferred->getShape(), output.getShape())))
    return std::string("its shapes, strides, dilation and pads are not a "
                       "DepthwiseConv2D's");
  return std::nullopt;
}

/// `value` as an arith.constant where it is a constant (else as it is), with
/// `type` (a splat grows to it).
Value materialize(PatternRewriter &rewriter, Location loc, Value value,
                  RankedTensorType type) {
  std::optional<DenseElementsAttr> dense = getDenseConstant(value);
  if (!dense)
    return value;
  DenseElementsAttr attr =
      dense->isSplat()
          ? DenseElementsAttr::get(type, dense->getSplatValue<Attribute>())
          : dense->reshape(type);
  return arith::ConstantOp::create(rewriter, loc, type, attr);
}

struct RaiseDepthwiseConv : OpRewritePattern<tosa::DepthwiseConv2DOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(tosa::DepthwiseConv2DOp op,
                                PatternRewriter &rewriter) const override {
    if (std::optional<std::string> reason = whyNotRaisable(op))
      return rewriter.notifyMatchFailure(op, *reason);
    Location loc = op.getLoc();
    auto weightType = cast<RankedTensorType>(op.getWeight().getType());
    int64_t channels = weightType.getDimSize(2) * weightType.getDimSize(3);
    auto biasType = RankedTensorType::get({channels}, rewriter.getF32Type());
    Value kernel = materialize(rewriter, loc, op.getWeight(), weightType);
    Value bias = materialize(rewriter, loc, op.getBias(), biasType);
    if (isConstantFloat(bias, 0.0f))
      bias = Value();
    ArrayRef<int64_t> pad = op.getPad();
    bool padded = llvm::any_of(pad, [](int64_t p) { return p != 0; });
    auto conv = DepthwiseConv2DOp::create(
        rewriter, loc, op.getType(), op.getInput(), kernel, bias,
        op.getStride(), op.getDilation(),
        padded ? Padding::explicit_pads : Padding::valid,
        DataFormat::channels_last, Activation::linear,
        padded ? rewriter.getDenseI64ArrayAttr(pad) : nullptr, nullptr, nullptr,
        nullptr);
    rewriter.replaceOp(op, conv.getResult());
    return success();
  }
};

/// The single user of a dwconv op with no activation yet, if it is an OpT.
template <typename OpT> OpT getSoleUser(DepthwiseConv2DOp op) {
  if (!op->hasOneUse() || op.getActivation() != Activation::linear)
    return {};
  return dyn_cast<OpT>(*op->getUsers().begin());
}

/// A copy of `op` with `type`, computing from `input` in `format`.
DepthwiseConv2DOp cloneWith(PatternRewriter &rewriter, DepthwiseConv2DOp op,
                            Type type, Value input, DataFormat format) {
  auto copy = cast<DepthwiseConv2DOp>(rewriter.clone(*op));
  copy.getInputMutable().assign(input);
  copy.setDataFormat(format);
  copy.getResult().setType(cast<RankedTensorType>(type));
  return copy;
}

/// transpose [0, 2, 3, 1] -> dwconv -> transpose [0, 3, 1, 2]: channels_first.
struct FoldTransposes : OpRewritePattern<DepthwiseConv2DOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(DepthwiseConv2DOp op,
                                PatternRewriter &rewriter) const override {
    auto in = op.getInput().getDefiningOp<tosa::TransposeOp>();
    auto out = op->hasOneUse()
                   ? dyn_cast<tosa::TransposeOp>(*op->getUsers().begin())
                   : tosa::TransposeOp();
    if (op.getDataFormat() != DataFormat::channels_last || !in || !out ||
        in.getPerms() != ArrayRef<int32_t>{0, 2, 3, 1} ||
        out.getPerms() != ArrayRef<int32_t>{0, 3, 1, 2})
      return rewriter.notifyMatchFailure(op, "not NCHW around NHWC");
    DepthwiseConv2DOp copy =
        cloneWith(rewriter, op, out.getType(), in.getInput1(),
                  DataFormat::channels_first);
    rewriter.replaceOp(out, copy.getResult());
    rewriter.eraseOp(op);
    return success();
  }
};

/// dwconv (no bias) -> tosa.add of a constant per output channel: the bias.
struct FoldBiasAdd : OpRewritePattern<DepthwiseConv2DOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(DepthwiseConv2DOp op,
                                PatternRewriter &rewriter) const override {
    auto add = getSoleUser<tosa::AddOp>(op);
    if (!add || op.getBias())
      return rewriter.notifyMatchFailure(op,
                                         "no tosa.add after a bias-free op");
    Value other =
        add.getInput1() == op.getResult() ? add.getInput2() : add.getInput1();
    std::optional<DenseElementsAttr> dense = getDenseConstant(other);
    auto kernel = cast<RankedTensorType>(op.getDepthwiseKernel().getType());
    int64_t channels = kernel.getDimSize(2) * kernel.getDimSize(3);
    auto type = cast<RankedTensorType>(other.getType());
    unsigned channelDim = op.getLayout().channels;
    bool perChannel =
        type.getRank() == 4 && type.hasStaticShape() &&
        type.getNumElements() == type.getDimSize(channelDim) &&
        (type.getDimSize(channelDim) == channels || type.getNumElements() == 1);
    if (!dense || !perChannel || add.getType() != op.getType())
      return rewriter.notifyMatchFailure(op, "not a constant per channel");
    auto biasType = RankedTensorType::get({channels}, rewriter.getF32Type());
    Value bias = materialize(rewriter, add.getLoc(), other, biasType);
    auto copy = cast<DepthwiseConv2DOp>(rewriter.clone(*op));
    copy.getBiasMutable().assign(bias);
    rewriter.replaceOp(add, copy.getResult());
    rewriter.eraseOp(op);
    return success();
  }
};

/// Sets relu6, relu, or relu(max_value = m) on a copy of `op` replacing
/// `user`; `between` (ops from `op` to `user`) go too.
void foldRelu(PatternRewriter &rewriter, DepthwiseConv2DOp op, Operation *user,
              std::optional<float> maxValue,
              ArrayRef<Operation *> between = {}) {
  auto copy = cast<DepthwiseConv2DOp>(rewriter.clone(*op));
  bool six = maxValue && *maxValue == 6.0f;
  copy.setActivation(six ? Activation::relu6 : Activation::relu);
  if (maxValue && !six)
    copy.setMaxValueAttr(rewriter.getF32FloatAttr(*maxValue));
  rewriter.replaceOp(user, copy.getResult());
  for (Operation *dead : between)
    rewriter.eraseOp(dead);
  rewriter.eraseOp(op);
}

/// No upper bound: clamp's max at the float maximum (TFLite's ReLU).
std::optional<float> upperBound(float max) {
  if (max >= std::numeric_limits<float>::max())
    return std::nullopt;
  return max;
}

/// dwconv -> tosa.clamp(0, m): relu / relu6 / relu(max_value = m).
struct FoldClamp : OpRewritePattern<DepthwiseConv2DOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(DepthwiseConv2DOp op,
                                PatternRewriter &rewriter) const override {
    auto clamp = getSoleUser<tosa::ClampOp>(op);
    auto min = clamp ? dyn_cast<FloatAttr>(clamp.getMinValAttr()) : nullptr;
    auto max = clamp ? dyn_cast<FloatAttr>(clamp.getMaxValAttr()) : nullptr;
    if (!min || !max || min.getValueAsDouble() != 0.0 ||
        !(max.getValueAsDouble() > 0.0))
      return rewriter.notifyMatchFailure(op, "not a clamp from 0 up");
    foldRelu(rewriter, op, clamp,
             upperBound(static_cast<float>(max.getValueAsDouble())));
    return success();
  }
};

/// The constant splat other than `value` among `op`'s two operands.
std::optional<float> otherSplat(Operation *op, Value value) {
  Value other =
      op->getOperand(0) == value ? op->getOperand(1) : op->getOperand(0);
  std::optional<DenseElementsAttr> dense = getDenseConstant(other);
  if (!dense || !dense->isSplat() || !dense->getElementType().isF32() ||
      op->getResult(0).getType() != value.getType())
    return std::nullopt;
  return dense->getSplatValue<float>();
}

/// dwconv -> tosa.maximum(., 0) [-> tosa.minimum(., m)]: torch-mlir's ReLU
/// and ReLU6.
struct FoldMaximumMinimum : OpRewritePattern<DepthwiseConv2DOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(DepthwiseConv2DOp op,
                                PatternRewriter &rewriter) const override {
    auto maximum = getSoleUser<tosa::MaximumOp>(op);
    std::optional<float> zero =
        maximum ? otherSplat(maximum, op.getResult()) : std::nullopt;
    if (!zero || *zero != 0.0f)
      return rewriter.notifyMatchFailure(op, "not a maximum with 0");
    auto minimum = maximum->hasOneUse()
                       ? dyn_cast<tosa::MinimumOp>(*maximum->getUsers().begin())
                       : tosa::MinimumOp();
    std::optional<float> max =
        minimum ? otherSplat(minimum, maximum.getResult()) : std::nullopt;
    if (max && *max > 0.0f) {
      foldRelu(rewriter, op, minimum, upperBound(*max), {maximum});
    } else {
      foldRelu(rewriter, op, maximum, std::nullopt);
    }
    return success();
  }
};

struct DWConvRaiseTosaPass
    : public dwconv::impl::DWConvRaiseTosaPassBase<DWConvRaiseTosaPass> {
  using DWConvRaiseTosaPassBase::DWConvRaiseTosaPassBase;

  void runOnOperation() override {
    getOperation()->walk([](tosa::DepthwiseConv2DOp op) {
      if (std::optional<std::string> reason = whyNotRaisable(op))
        op.emitRemark() << "tosa.depthwise_conv2d left as it is: " << *reason;
    });
    RewritePatternSet patterns(&getContext());
    patterns.add<RaiseDepthwiseConv, FoldTransposes, FoldBiasAdd, FoldClamp,
                 FoldMaximumMinimum>(&getContext());
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      signalPassFailure();
  }
};

} // namespace
