//===- Activations.cpp - Keras activations as arith/math ops --------------===//
//
// Each formula is the one the Keras version named by the enum case computes
// (see the DWConvEnums.td comments). Where a naive formula overflows or
// cancels, the stable form is used (softplus, log_sigmoid, elu via expm1).
//
//===----------------------------------------------------------------------===//

#include "dwconv/Conversion/DWConvToLinalg/DWConvToLinalg.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"

using namespace mlir;
using namespace mlir::dwconv;

bool mlir::dwconv::isElementwise(Activation activation) {
  return activation != Activation::softmax &&
         activation != Activation::log_softmax &&
         activation != Activation::glu && activation != Activation::sparsemax;
}

namespace {
/// Small builder of scalar float expressions.
struct Expr {
  OpBuilder &b;
  Location loc;
  Type type;

  Value constant(double value) {
    return arith::ConstantOp::create(b, loc, type, b.getFloatAttr(type, value));
  }
  Value add(Value x, Value y) { return arith::AddFOp::create(b, loc, x, y); }
  Value sub(Value x, Value y) { return arith::SubFOp::create(b, loc, x, y); }
  Value mul(Value x, Value y) { return arith::MulFOp::create(b, loc, x, y); }
  Value div(Value x, Value y) { return arith::DivFOp::create(b, loc, x, y); }
  Value neg(Value x) { return arith::NegFOp::create(b, loc, x); }
  Value max(Value x, Value y) {
    return arith::MaximumFOp::create(b, loc, x, y);
  }
  Value min(Value x, Value y) {
    return arith::MinimumFOp::create(b, loc, x, y);
  }
  Value abs(Value x) { return math::AbsFOp::create(b, loc, x); }
  Value exp(Value x) { return math::ExpOp::create(b, loc, x); }
  Value expm1(Value x) { return math::ExpM1Op::create(b, loc, x); }
  Value log(Value x) { return math::LogOp::create(b, loc, x); }
  Value log1p(Value x) { return math::Log1pOp::create(b, loc, x); }
  Value tanh(Value x) { return math::TanhOp::create(b, loc, x); }
  Value erf(Value x) { return math::ErfOp::create(b, loc, x); }
  Value sqrt(Value x) { return math::SqrtOp::create(b, loc, x); }
  Value cmp(arith::CmpFPredicate predicate, Value x, double value) {
    return arith::CmpFOp::create(b, loc, predicate, x, constant(value));
  }
  Value select(Value condition, Value x, Value y) {
    return arith::SelectOp::create(b, loc, condition, x, y);
  }
  /// Keras 3's sparse_plus: x <= -1 ? 0 : (x < 1 ? (x + 1)^2 / 4 : x).
  Value sparsePlus(Value x) {
    Value shifted = add(x, constant(1.0));
    Value square = mul(mul(shifted, shifted), constant(0.25));
    return select(cmp(arith::CmpFPredicate::OLE, x, -1.0), constant(0.0),
                  select(cmp(arith::CmpFPredicate::OLT, x, 1.0), square, x));
  }
  /// Keras 3's soft_shrink (threshold 0.5).
  Value softShrink(Value x) {
    return select(cmp(arith::CmpFPredicate::OGT, x, 0.5), sub(x, constant(0.5)),
                  select(cmp(arith::CmpFPredicate::OLT, x, -0.5),
                         add(x, constant(0.5)), constant(0.0)));
  }
  /// x > 0 ? x : negative.
  Value positiveOr(Value x, Value negative) {
    Value positive = arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OGT, x,
                                           constant(0.0));
    return arith::SelectOp::create(b, loc, positive, x, negative);
  }

  Value relu(Value x) { return max(x, constant(0.0)); }
  /// Keras's relu(x, negative_slope, max_value, threshold), step by step as
  /// ReLU.static_call computes it (Keras 3; tf.keras 2's is the same up to
  /// the sign of a zero).
  Value kerasRelu(Value x, const ActivationParams &p) {
    if (p.negativeSlope != 0.0f && !p.maxValue && p.threshold == 0.0f)
      return positiveOr(x, mul(constant(p.negativeSlope), x));
    Value y;
    if (p.threshold != 0.0f)
      y = select(cmp(arith::CmpFPredicate::OGT, x, p.threshold), x,
                 constant(0.0));
    else
      y = relu(x);
    if (p.maxValue)
      y = min(max(y, constant(0.0)), constant(*p.maxValue));
    if (p.negativeSlope == 0.0f)
      return y;
    Value shifted = neg(x);
    if (p.threshold != 0.0f)
      shifted = add(shifted, constant(p.threshold));
    return sub(y, mul(constant(p.negativeSlope), relu(shifted)));
  }
  Value relu6(Value x) { return min(relu(x), constant(6.0)); }
  /// Keras 3 hard_sigmoid: relu6(x + 3) / 6.
  Value hardSigmoid(Value x) {
    return div(relu6(add(x, constant(3.0))), constant(6.0));
  }
  Value sigmoid(Value x) {
    return div(constant(1.0), add(constant(1.0), exp(neg(x))));
  }
  /// log(1 + exp(x)) = max(x, 0) + log1p(exp(-|x|)), finite for any x.
  Value softplus(Value x) { return add(relu(x), log1p(exp(neg(abs(x))))); }
};
} // namespace

Value mlir::dwconv::buildElementwiseActivation(OpBuilder &builder, Location loc,
                                               Activation activation, Value x,
                                               const ActivationParams &params) {
  Expr e{builder, loc, x.getType()};
  switch (activation) {
  case Activation::linear:
    return x;
  case Activation::relu:
    return params == ActivationParams() ? e.relu(x) : e.kerasRelu(x, params);
  case Activation::relu6:
    return e.relu6(x);
  case Activation::leaky_relu:
    return e.positiveOr(x, e.mul(e.constant(params.negativeSlope), x));
  case Activation::elu:
    return e.positiveOr(x, e.expm1(x));
  case Activation::selu:
    return e.mul(
        e.constant(1.0507009873554804934193349852946),
        e.positiveOr(x, e.mul(e.constant(1.6732632423543772848170429916717),
                              e.expm1(x))));
  case Activation::gelu:
    return e.mul(e.mul(e.constant(0.5), x),
                 e.add(e.constant(1.0),
                       e.erf(e.mul(x, e.constant(0.70710678118654752440)))));
  case Activation::sigmoid:
    return e.sigmoid(x);
  case Activation::hard_sigmoid:
    return e.hardSigmoid(x);
  case Activation::hard_sigmoid_keras2:
    return e.min(e.max(e.add(e.mul(e.constant(0.2), x), e.constant(0.5)),
                       e.constant(0.0)),
                 e.constant(1.0));
  case Activation::silu:
    return e.mul(x, e.sigmoid(x));
  case Activation::hard_silu:
    return e.mul(x, e.hardSigmoid(x));
  case Activation::mish:
    return e.mul(x, e.tanh(e.softplus(x)));
  case Activation::tanh:
    return e.tanh(x);
  case Activation::softplus:
    return e.softplus(x);
  case Activation::softsign:
    return e.div(x, e.add(e.constant(1.0), e.abs(x)));
  case Activation::exponential:
    return e.exp(x);
  case Activation::log_sigmoid:
    return e.neg(e.softplus(e.neg(x)));
  case Activation::celu:
    return e.add(e.relu(x), e.expm1(e.min(x, e.constant(0.0))));
  case Activation::hard_shrink:
    return e.select(e.cmp(arith::CmpFPredicate::OGT, e.abs(x), 0.5), x,
                    e.constant(0.0));
  case Activation::hard_tanh:
    return e.min(e.max(x, e.constant(-1.0)), e.constant(1.0));
  case Activation::soft_shrink:
    return e.softShrink(x);
  case Activation::sparse_plus:
    return e.sparsePlus(x);
  case Activation::sparse_sigmoid:
    return e.select(
        e.cmp(arith::CmpFPredicate::OLE, x, -1.0), e.constant(0.0),
        e.select(e.cmp(arith::CmpFPredicate::OGE, x, 1.0), e.constant(1.0),
                 e.mul(e.add(x, e.constant(1.0)), e.constant(0.5))));
  case Activation::squareplus:
    return e.mul(e.add(x, e.sqrt(e.add(e.mul(x, x), e.constant(4.0)))),
                 e.constant(0.5));
  case Activation::tanh_shrink:
    return e.sub(x, e.tanh(x));
  case Activation::softmax:
  case Activation::log_softmax:
  case Activation::glu:
  case Activation::sparsemax:
    break;
  }
  llvm_unreachable("not an elementwise activation");
}
