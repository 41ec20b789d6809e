//===- DWConvOutlineKernels.cpp - layer functions to kernels --------------===//
//
// Checks that each public function is a layer function, records what its
// callers will be told about it (the `dwconv.layer` ABI record), and turns it
// into a private kernel in destination-passing style.
//
//===----------------------------------------------------------------------===//

#include "dwconv/Codegen/Passes.h"
#include "dwconv/Dialect/DWConv/Transforms/LayerFunction.h"
#include "dwconv/Support/Identifiers.h"
#include "dwconv/Target/LayerABI.h"

#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/IRMapping.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/Support/Debug.h"

#define DEBUG_TYPE "dwconv-outline-kernels"

namespace mlir {
namespace dwconv {
#define GEN_PASS_DEF_DWCONVOUTLINEKERNELSPASS
#include "dwconv/Codegen/Passes.h.inc"
} // namespace dwconv
} // namespace mlir

using namespace mlir;
using namespace mlir::dwconv;

namespace {

/// The shape checks a layer needs to be compiled: the output is sized from
/// the input dims the call gives.
FailureOr<RankedTensorType> checkCompilable(DepthwiseConv2DOp op) {
  auto inputType = cast<RankedTensorType>(op.getInput().getType());
  auto kernelType = cast<RankedTensorType>(op.getDepthwiseKernel().getType());
  if (!kernelType.hasStaticShape())
    return op.emitError() << "the kernel shape must be static to compile, got "
                          << kernelType;
  FailureOr<RankedTensorType> inferred = inferResultType(
      op.getLoc(), inputType, kernelType,
      op.getBias() ? op.getBias().getType() : Type(), op.getConvConfig());
  if (failed(inferred))
    return failure();
  if (op.getType() != *inferred)
    return op.emitError() << "the result type " << op.getType()
                          << " is more static than the input implies ("
                          << *inferred << "); make the input static instead";
  if (inputType.isDynamicDim(op.getLayout().channels))
    return op.emitError()
           << "the input channel count must be static to compile, got "
           << inputType;
  return inferred;
}

/// Checks that `func` is a layer function and describes its C interface.
FailureOr<LayerABI> analyzeLayer(func::FuncOp func, DepthwiseConv2DOp &op) {
  bool baked = false;
  op = getLayerFunctionOp(func, &baked);
  if (!op)
    return func.emitError()
           << "is not a layer function: its arguments must be the operands "
              "(input, depthwise_kernel[, bias]) of one "
              "dwconv.depthwise_conv2d whose result it returns, or its input "
              "alone with the weights as arith.constant ops";
  FailureOr<RankedTensorType> outputType = checkCompilable(op);
  if (failed(outputType))
    return failure();
  LayerABI abi;
  abi.name = sanitizeIdentifier(func.getSymName());
  abi.inputType = cast<RankedTensorType>(op.getInput().getType());
  abi.kernelType = cast<RankedTensorType>(op.getDepthwiseKernel().getType());
  abi.outputType = *outputType;
  abi.hasBias = static_cast<bool>(op.getBias());
  abi.weightsBaked = baked;
  abi.strides.assign(op.getStrides().begin(), op.getStrides().end());
  abi.dilationRate.assign(op.getDilationRate().begin(),
                          op.getDilationRate().end());
  abi.padding = op.getPadding();
  if (std::optional<ArrayRef<int64_t>> pads = op.getPads())
    abi.pads.assign(pads->begin(), pads->end());
  abi.activationText =
      describeActivation(op.getActivation(), op.getActivationParams());
  abi.dataFormat = op.getDataFormat();
  abi.activation = op.getActivation();
  if (auto folded = func->getAttrOfType<StringAttr>(kFoldedLayersAttr))
    abi.foldedLayers = folded.str();
  if (auto kerasName = func->getAttrOfType<StringAttr>(kKerasNameAttr))
    abi.kerasName = kerasName.str();
  return abi;
}

/// Replaces the layer function by a private kernel in destination-passing
/// style: the result is materialized in a writable output argument, which
/// bufferizes to writing straight into the caller's buffer.
void outline(func::FuncOp func, DepthwiseConv2DOp op, const LayerABI &abi) {
  OpBuilder b(func);
  Location loc = func.getLoc();
  SmallVector<Type> argTypes(func.getArgumentTypes());
  argTypes.push_back(abi.outputType);
  auto kernel =
      func::FuncOp::create(b, loc, abi.kernelFunction(),
                           b.getFunctionType(argTypes, {abi.outputType}));
  kernel.setPrivate();
  kernel->setAttr(layer_attrs::kLayer, abi.toAttr(b.getContext()));
  kernel.setArgAttr(argTypes.size() - 1, "bufferization.writable",
                    b.getBoolAttr(true));
  Block *body = kernel.addEntryBlock();
  b.setInsertionPointToStart(body);
  IRMapping mapping;
  mapping.map(func.getArguments(), body->getArguments().drop_back());
  for (Operation &nested : func.getBody().front().without_terminator())
    b.clone(nested, mapping);
  Value result =
      bufferization::MaterializeInDestinationOp::create(
          b, loc, mapping.lookup(op.getResult()), body->getArguments().back())
          .getResult();
  func::ReturnOp::create(b, loc, result);
  LLVM_DEBUG(llvm::dbgs() << "outlined @" << func.getSymName() << " as @"
                          << abi.kernelFunction() << "\n");
  func.erase();
}

struct DWConvOutlineKernelsPass
    : public dwconv::impl::DWConvOutlineKernelsPassBase<
          DWConvOutlineKernelsPass> {
  using DWConvOutlineKernelsPassBase::DWConvOutlineKernelsPassBase;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    SmallVector<func::FuncOp> funcs;
    for (auto func : module.getOps<func::FuncOp>())
      if (func.isPublic() && !func.isExternal())
        funcs.push_back(func);
    if (funcs.empty()) {
      module.emitError() << "the spec defines no layer function (a public "
                            "func.func around one dwconv.depthwise_conv2d)";
      return signalPassFailure();
    }
    // Keyed by the upper-case name: the header's macros are DWCONV_<NAME>_*.
    llvm::StringMap<StringRef> names;
    for (func::FuncOp func : funcs) {
      DepthwiseConv2DOp op;
      FailureOr<LayerABI> abi = analyzeLayer(func, op);
      if (failed(abi))
        return signalPassFailure();
      // dwconv_layer_run is the runtime's: such a layer is named layer_2.
      if (isReservedSymbolName(abi->name))
        abi->name += "_2";
      auto [it, inserted] =
          names.try_emplace(StringRef(abi->name).upper(), func.getSymName());
      if (!inserted) {
        func.emitError() << "and @" << it->second
                         << " would both export symbols named 'dwconv_"
                         << abi->name
                         << "_*' (or header macros of the same name in upper "
                            "case); rename one";
        return signalPassFailure();
      }
      outline(func, op, *abi);
    }
  }
};

} // namespace
