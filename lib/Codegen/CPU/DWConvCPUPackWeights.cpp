//===- DWConvCPUPackWeights.cpp - kernels read packed weights -------------===//
//
// A layer kernel's weights become one buffer in the layout CPUStrategy.h
// gives (PackedWeightsLayout): an argument filled once by the generated pack
// function, or a constant packed here when the weights are baked. The kernel
// reads views of it, so the two cases share one kernel.
//
//===----------------------------------------------------------------------===//

#include "dwconv/Codegen/CPUStrategy.h"
#include "dwconv/Codegen/Passes.h"

#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/Matchers.h"
#include "llvm/Support/Debug.h"

#define DEBUG_TYPE "dwconv-cpu-pack-weights"

namespace mlir {
namespace dwconv {
#define GEN_PASS_DEF_DWCONVCPUPACKWEIGHTSPASS
#include "dwconv/Codegen/Passes.h.inc"
} // namespace dwconv
} // namespace mlir

using namespace mlir;
using namespace mlir::dwconv;

namespace {

RankedTensorType getPackedType(MLIRContext *ctx,
                               const PackedWeightsLayout &layout) {
  return RankedTensorType::get({layout.size}, Float32Type::get(ctx));
}

/// The `size` floats of `packed` from `offset` on.
Value slice(OpBuilder &b, Location loc, Value packed, int64_t offset,
            int64_t size) {
  return tensor::ExtractSliceOp::create(
      b, loc, packed, ArrayRef<OpFoldResult>{b.getIndexAttr(offset)},
      ArrayRef<OpFoldResult>{b.getIndexAttr(size)},
      ArrayRef<OpFoldResult>{b.getIndexAttr(1)});
}

/// Views of the kernel (kh, kw, C, M) and the bias (C * M) in `packed`.
std::pair<Value, Value> unpack(OpBuilder &b, Location loc, Value packed,
                               const LayerABI &layer,
                               const PackedWeightsLayout &layout) {
  int64_t taps = layer.kernelTaps(), perTap = layer.outputChannels();
  Value flat =
      slice(b, loc, packed, layout.kernelOffset, taps * layout.tapStride);
  Value kernel;
  if (layout.tapStride == perTap) {
    kernel = tensor::ExpandShapeOp::create(
        b, loc, layer.kernelType, flat,
        SmallVector<ReassociationIndices>{{0, 1, 2, 3}});
  } else {
    // (taps, tapStride), then its first C * M floats per tap.
    Value rows = tensor::ExpandShapeOp::create(
        b, loc, RankedTensorType::get({taps, layout.tapStride}, b.getF32Type()),
        flat, SmallVector<ReassociationIndices>{{0, 1}});
    rows = tensor::ExtractSliceOp::create(
        b, loc, rows,
        ArrayRef<OpFoldResult>{b.getIndexAttr(0), b.getIndexAttr(0)},
        ArrayRef<OpFoldResult>{b.getIndexAttr(taps), b.getIndexAttr(perTap)},
        ArrayRef<OpFoldResult>{b.getIndexAttr(1), b.getIndexAttr(1)});
    kernel = tensor::ExpandShapeOp::create(
        b, loc, layer.kernelType, rows,
        SmallVector<ReassociationIndices>{{0, 1}, {2, 3}});
  }
  Value bias;
  if (layer.hasBias)
    bias = slice(b, loc, packed, layout.biasOffset, layer.outputChannels());
  return {kernel, bias};
}

/// Keras's kernel and bias laid out as `layout` says, as a constant.
FailureOr<DenseElementsAttr> packConstants(DepthwiseConv2DOp op,
                                           const LayerABI &layer,
                                           const PackedWeightsLayout &layout) {
  std::vector<float> packed(layout.size, 0.0f);
  // Runs of `run` floats, each `stride` after the previous one.
  auto copy = [&](Value value, int64_t offset, int64_t run,
                  int64_t stride) -> LogicalResult {
    DenseElementsAttr data;
    if (!value || !matchPattern(value, m_Constant(&data)))
      return op.emitError() << "baked weights must be dense constants";
    int64_t i = 0;
    for (float v : data.getValues<float>()) {
      packed[offset + i / run * stride + i % run] = v;
      ++i;
    }
    return success();
  };
  int64_t perTap = layer.outputChannels();
  if (failed(copy(op.getDepthwiseKernel(), layout.kernelOffset, perTap,
                  layout.tapStride)) ||
      (layer.hasBias &&
       failed(copy(op.getBias(), layout.biasOffset, perTap, perTap))))
    return failure();
  return DenseElementsAttr::get(getPackedType(op.getContext(), layout),
                                ArrayRef<float>(packed));
}

/// Adds `dwconv_pack.<name>(kernel[, bias], packed) -> packed`.
void buildPackFunction(OpBuilder &b, func::FuncOp kernelFunc,
                       const LayerABI &layer,
                       const PackedWeightsLayout &layout) {
  Location loc = kernelFunc.getLoc();
  RankedTensorType packedType = getPackedType(b.getContext(), layout);
  SmallVector<Type> argTypes = {layer.kernelType};
  if (layer.hasBias)
    argTypes.push_back(
        RankedTensorType::get({layer.outputChannels()}, b.getF32Type()));
  argTypes.push_back(packedType);
  b.setInsertionPointAfter(kernelFunc);
  auto func = func::FuncOp::create(b, loc, layer.packFunction(),
                                   b.getFunctionType(argTypes, packedType));
  func.setPrivate();
  func.setArgAttr(argTypes.size() - 1, "bufferization.writable",
                  b.getBoolAttr(true));
  Block *body = func.addEntryBlock();
  b.setInsertionPointToStart(body);
  Value zero = arith::ConstantOp::create(b, loc, b.getF32FloatAttr(0.0f));
  Value packed =
      linalg::FillOp::create(b, loc, zero, body->getArguments().back())
          .getResult(0);
  auto insert = [&](Value source, int64_t offset, int64_t size) {
    packed = tensor::InsertSliceOp::create(
        b, loc, source, packed, ArrayRef<OpFoldResult>{b.getIndexAttr(offset)},
        ArrayRef<OpFoldResult>{b.getIndexAttr(size)},
        ArrayRef<OpFoldResult>{b.getIndexAttr(1)});
  };
  int64_t perTap = layer.outputChannels(), taps = layer.kernelTaps();
  if (layout.tapStride == perTap) {
    Value flat = tensor::CollapseShapeOp::create(
        b, loc, body->getArgument(0),
        SmallVector<ReassociationIndices>{{0, 1, 2, 3}});
    insert(flat, layout.kernelOffset, taps * perTap);
  } else {
    // One tap (kh, kw) at a time: C * M floats, tapStride apart.
    Value rows = tensor::CollapseShapeOp::create(
        b, loc, body->getArgument(0),
        SmallVector<ReassociationIndices>{{0, 1}, {2, 3}});
    auto rowType = RankedTensorType::get({perTap}, b.getF32Type());
    for (int64_t tap = 0; tap < taps; ++tap) {
      Value row = tensor::ExtractSliceOp::create(
          b, loc, rowType, rows,
          ArrayRef<OpFoldResult>{b.getIndexAttr(tap), b.getIndexAttr(0)},
          ArrayRef<OpFoldResult>{b.getIndexAttr(1), b.getIndexAttr(perTap)},
          ArrayRef<OpFoldResult>{b.getIndexAttr(1), b.getIndexAttr(1)});
      insert(row, layout.kernelOffset + tap * layout.tapStride, perTap);
    }
  }
  if (layer.hasBias)
    insert(body->getArgument(1), layout.biasOffset, layer.outputChannels());
  // Written into the destination argument, whatever folding made of it.
  Value result = bufferization::MaterializeInDestinationOp::create(
                     b, loc, packed, body->getArguments().back())
                     .getResult();
  func::ReturnOp::create(b, loc, result);
}

/// Makes `func` take the packed buffer instead of the kernel and bias
/// arguments (or read a packed constant), and adds its pack function.
LogicalResult packWeights(func::FuncOp func, const LayerABI &layer) {
  DepthwiseConv2DOp op;
  func.walk([&](DepthwiseConv2DOp found) { op = found; });
  if (!op)
    return func.emitError() << "holds no dwconv.depthwise_conv2d";
  PackedWeightsLayout layout = getPackedWeightsLayout(layer);
  OpBuilder b(op);
  Location loc = op.getLoc();
  Value packed;
  if (layer.weightsBaked) {
    FailureOr<DenseElementsAttr> constant = packConstants(op, layer, layout);
    if (failed(constant))
      return failure();
    packed = arith::ConstantOp::create(b, loc, *constant);
  } else {
    // (input, kernel, [bias], output) -> (input, packed, output).
    if (failed(func.insertArgument(1, getPackedType(b.getContext(), layout),
                                   DictionaryAttr(), loc)))
      return failure();
    packed = func.getArgument(1);
  }
  auto [kernel, bias] = unpack(b, loc, packed, layer, layout);
  Value oldKernel = op.getDepthwiseKernel(), oldBias = op.getBias();
  op.getDepthwiseKernelMutable().assign(kernel);
  if (bias)
    op.getBiasMutable().assign(bias);
  for (Value old : {oldKernel, oldBias})
    if (auto constant = old ? old.getDefiningOp<arith::ConstantOp>() : nullptr)
      if (constant->use_empty())
        constant->erase();
  if (!layer.weightsBaked) {
    llvm::BitVector erase(func.getNumArguments());
    erase.set(2, layer.hasBias ? 4 : 3);
    if (failed(func.eraseArguments(erase)))
      return failure();
    buildPackFunction(b, func, layer, layout);
  }
  int64_t bytes = layer.weightsBaked ? 0 : layout.size * sizeof(float);
  func->setAttr(layer_attrs::kPackedWeightsBytes, b.getI64IntegerAttr(bytes));
  LLVM_DEBUG(llvm::dbgs() << "@" << func.getSymName() << ": " << layout.size
                          << " packed floats\n");
  return success();
}

struct DWConvCPUPackWeightsPass
    : public dwconv::impl::DWConvCPUPackWeightsPassBase<
          DWConvCPUPackWeightsPass> {
  using DWConvCPUPackWeightsPassBase::DWConvCPUPackWeightsPassBase;

  void runOnOperation() override {
    SmallVector<func::FuncOp> kernels;
    for (auto func : getOperation().getOps<func::FuncOp>())
      if (func->hasAttr(layer_attrs::kLayer))
        kernels.push_back(func);
    for (func::FuncOp func : kernels) {
      FailureOr<LayerABI> layer = LayerABI::read(func);
      if (failed(layer) || failed(packWeights(func, *layer)))
        return signalPassFailure();
    }
  }
};

} // namespace
