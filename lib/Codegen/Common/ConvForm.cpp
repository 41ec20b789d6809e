//===- ConvForm.cpp - a layer kernel's linalg form, read back -------------===//

#include "dwconv/Codegen/ConvForm.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"
#include "mlir/IR/Matchers.h"

using namespace mlir;
using namespace mlir::dwconv;

static bool isTranspose(linalg::TransposeOp op, ArrayRef<int64_t> permutation) {
  return op && op.getPermutation() == permutation;
}

static bool isZeroFill(Value value) {
  auto fill = value.getDefiningOp<linalg::FillOp>();
  return fill && matchPattern(fill.value(), m_AnyZeroFloat()) &&
         fill.getDpsInits()[0].getDefiningOp<tensor::EmptyOp>();
}

/// An epilogue the pass can apply to vectors: all-parallel, writing the
/// contraction's result, reading at most a per-channel vector, its body made
/// of element-wise ops.
static bool isElementwiseEpilogue(linalg::GenericOp op) {
  if (op.getNumDpsInits() != 1 || op.getNumDpsInputs() > 1 ||
      op.getNumReductionLoops() != 0 || op.getNumLoops() != 4)
    return false;
  for (OpOperand *input : op.getDpsInputOperands()) {
    AffineMap map = op.getMatchingIndexingMap(input);
    if (map.getNumResults() != 1 ||
        map.getResult(0) != getAffineDimExpr(3, op.getContext()))
      return false;
  }
  if (!op.getMatchingIndexingMap(op.getDpsInitOperand(0)).isIdentity())
    return false;
  return llvm::all_of(op.getBody()->without_terminator(), [](Operation &op) {
    return OpTrait::hasElementwiseMappableTraits(&op) &&
           op.getNumRegions() == 0 && op.getNumResults() == 1;
  });
}

/// The contraction: the named NHWC op, or (depth multiplier > 1) a generic
/// over (n, oh, ow, c * M + m, kh, kw) whose body multiplies and adds.
static bool isContraction(Operation *op, int64_t multiplier) {
  if (isa<linalg::DepthwiseConv2DNhwcHwcOp>(op))
    return multiplier == 1;
  auto generic = dyn_cast<linalg::GenericOp>(op);
  if (!generic || multiplier == 1 || generic.getNumLoops() != 6 ||
      generic.getNumReductionLoops() != 2 || generic.getNumDpsInputs() != 2)
    return false;
  auto ops = generic.getBody()->without_terminator();
  return std::distance(ops.begin(), ops.end()) == 2 &&
         isa<arith::MulFOp>(*ops.begin()) &&
         isa<arith::AddFOp>(*std::next(ops.begin()));
}

/// A reduction over the last of 4 dims into the first 3, of `x` (first
/// input) whose body holds an `OpTy`.
template <typename OpTy> static bool isLastAxisReduction(Value value, Value x) {
  auto op = value.getDefiningOp<linalg::GenericOp>();
  if (!op || op.getNumLoops() != 4 || op.getNumReductionLoops() != 1 ||
      op.getNumDpsInits() != 1 || op.getDpsInputs().empty() ||
      op.getDpsInputs()[0] != x)
    return false;
  return llvm::any_of(op.getBody()->without_terminator(),
                      [](Operation &op) { return isa<OpTy>(op); });
}

/// softmaxLastAxis's last step (DWConvToLinalg.cpp): an all-parallel
/// generic over x, reading the max and the sum of exp(x - max) of x's last
/// axis.
static bool isSoftmaxNormalization(linalg::GenericOp op) {
  if (op.getNumLoops() != 4 || op.getNumReductionLoops() != 0 ||
      op.getNumDpsInputs() != 2 || op.getNumDpsInits() != 1 ||
      !op.getMatchingIndexingMap(op.getDpsInitOperand(0)).isIdentity())
    return false;
  MLIRContext *ctx = op.getContext();
  AffineMap row =
      AffineMap::get(4, 0,
                     {getAffineDimExpr(0, ctx), getAffineDimExpr(1, ctx),
                      getAffineDimExpr(2, ctx)},
                     ctx);
  for (OpOperand *input : op.getDpsInputOperands())
    if (op.getMatchingIndexingMap(input) != row)
      return false;
  Value x = op.getDpsInits()[0];
  return isLastAxisReduction<arith::MaximumFOp>(op.getDpsInputs()[0], x) &&
         isLastAxisReduction<math::ExpOp>(op.getDpsInputs()[1], x);
}

/// sparsemaxLastAxis's generics (LastAxisActivations.cpp): the last one
/// writes x from two per-row values (support size and sum), which a
/// reduction over the last axis computes from x and the two outputs of the
/// generic that places each element of x's row in descending order.
static bool isSparsemax(linalg::GenericOp op) {
  if (op.getNumLoops() != 4 || op.getNumReductionLoops() != 0 ||
      op.getNumDpsInputs() != 2 || op.getNumDpsInits() != 1 ||
      op.getDpsInputs()[0].getDefiningOp() !=
          op.getDpsInputs()[1].getDefiningOp())
    return false;
  Value x = op.getDpsInits()[0];
  auto support = op.getDpsInputs()[0].getDefiningOp<linalg::GenericOp>();
  if (!support || support.getNumReductionLoops() != 1 ||
      support.getNumDpsInputs() != 3 || support.getDpsInputs()[0] != x)
    return false;
  auto places = support.getDpsInputs()[1].getDefiningOp<linalg::GenericOp>();
  return places && places.getNumLoops() == 5 &&
         places.getNumReductionLoops() == 1 &&
         support.getDpsInputs()[2].getDefiningOp() == places &&
         llvm::all_of(places.getDpsInputs(), [&](Value v) { return v == x; });
}

/// gluLastAxis's generic (LastAxisActivations.cpp): over (N, H, W, half, 2),
/// reducing the last loop, reading x and a 2-element constant.
static bool isGlu(linalg::GenericOp op) {
  return op.getNumLoops() == 5 && op.getNumReductionLoops() == 1 &&
         op.getNumDpsInputs() == 2 && op.getNumDpsInits() == 1 &&
         isa<linalg::IndexOp>(op.getBody()->front());
}

/// The layer's linalg form, or the reason it is not one the pass knows.
FailureOr<ConvForm> mlir::dwconv::matchConvForm(func::FuncOp func,
                                                const LayerABI &layer,
                                                std::string &reason) {
  auto fail = [&](StringRef why) {
    reason = why.str();
    return failure();
  };
  ConvForm form;
  func.walk(
      [&](bufferization::MaterializeInDestinationOp op) { form.store = op; });
  if (!form.store)
    return fail("no bufferization.materialize_in_destination");
  Builder builder(func.getContext());
  form.padTop = form.padLeft = builder.getIndexAttr(0);
  form.outChannels = layer.outputChannels();
  form.multiplier =
      form.outChannels / layer.kernelType.getDimSize(kKernelChannels);
  Value result = form.store.getSource();
  if (auto norm = result.getDefiningOp<linalg::GenericOp>();
      norm && isSoftmaxNormalization(norm)) {
    form.softmax = norm;
    result = norm.getDpsInits()[0];
  } else if (auto last = result.getDefiningOp<linalg::GenericOp>();
             last && layer.activation == Activation::sparsemax &&
             isSparsemax(last)) {
    form.sparsemax = last;
    result = last.getDpsInits()[0];
  } else if (auto last = result.getDefiningOp<linalg::GenericOp>();
             last && layer.activation == Activation::glu && isGlu(last)) {
    form.glu = last;
    result = last.getDpsInputs()[0];
  }
  if (auto transpose = result.getDefiningOp<linalg::TransposeOp>()) {
    if (!isTranspose(transpose, {0, 3, 1, 2}))
      return fail("the output is transposed, but not from NHWC to NCHW");
    form.channelsFirst = true;
    result = transpose.getInput();
  }
  if (auto generic = result.getDefiningOp<linalg::GenericOp>();
      generic && generic.getNumReductionLoops() == 0) {
    if (!isElementwiseEpilogue(generic))
      return fail("the epilogue is not element-wise over a per-channel bias");
    form.epilogue = generic;
    if (generic.getNumDpsInputs() == 1)
      form.bias = generic.getDpsInputs()[0];
    result = generic.getDpsInits()[0];
  }
  auto conv = result.getDefiningOp<linalg::LinalgOp>();
  if (!conv || !isContraction(conv, form.multiplier))
    return fail("no depthwise contraction computes the output");
  if (!isZeroFill(conv.getDpsInits()[0]))
    return fail("the contraction does not start from zeros");
  form.input = conv.getDpsInputs()[0];
  form.filter = conv.getDpsInputs()[1];
  if (auto pad = form.input.getDefiningOp<tensor::PadOp>()) {
    SmallVector<OpFoldResult> low = pad.getMixedLowPad();
    if (!isConstantIntValue(low[0], 0) || !isConstantIntValue(low[3], 0) ||
        !matchPattern(pad.getConstantPaddingValue(), m_AnyZeroFloat()))
      return fail("the input padding is not zeros around height and width");
    form.padTop = low[1];
    form.padLeft = low[2];
    form.input = pad.getSource();
  }
  if (form.channelsFirst) {
    auto transpose = form.input.getDefiningOp<linalg::TransposeOp>();
    if (!isTranspose(transpose, {0, 2, 3, 1}))
      return fail("a channels_first input is not transposed to NHWC");
    form.input = transpose.getInput();
  }
  if (!isa<BlockArgument>(form.input))
    return fail("the contraction's input is not the kernel's input");
  form.strideH = layer.strides[0];
  form.strideW = layer.strides[1];
  form.dilationH = layer.dilationRate[0];
  form.dilationW = layer.dilationRate[1];
  form.kernelH = layer.kernelType.getDimSize(0);
  form.kernelW = layer.kernelType.getDimSize(1);
  return form;
}
