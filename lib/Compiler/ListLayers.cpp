//===- ListLayers.cpp - what a spec's layers are, for people --------------===//

#include "dwconv/Compiler/Compiler.h"
#include "dwconv/Dialect/DWConv/IR/DWConv.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "llvm/ADT/STLExtras.h"

using namespace mlir;
using namespace mlir::dwconv;

static void printShape(llvm::raw_ostream &os, ShapedType type) {
  os << "(";
  llvm::interleaveComma(type.getShape(), os, [&](int64_t dim) {
    if (ShapedType::isDynamic(dim))
      os << "?";
    else
      os << dim;
  });
  os << ")";
}

static void printLayer(llvm::raw_ostream &os, func::FuncOp func,
                       DepthwiseConv2DOp op) {
  auto name = func->getAttrOfType<StringAttr>(kKerasNameAttr);
  auto kernel = cast<ShapedType>(op.getDepthwiseKernel().getType());
  os << "'" << (name ? name.getValue() : func.getSymName()) << "': dwconv_"
     << func.getSymName() << ", input ";
  printShape(os, cast<ShapedType>(op.getInput().getType()));
  os << " -> output ";
  printShape(os, cast<ShapedType>(op.getType()));
  os << "\n    kernel " << kernel.getDimSize(0) << "x" << kernel.getDimSize(1)
     << ", multiplier " << kernel.getDimSize(3) << ", strides [";
  llvm::interleaveComma(op.getStrides(), os);
  os << "], dilation_rate [";
  llvm::interleaveComma(op.getDilationRate(), os);
  os << "], padding ";
  if (std::optional<ArrayRef<int64_t>> pads = op.getPads()) {
    os << "[";
    llvm::interleaveComma(*pads, os);
    os << "]";
  } else {
    os << stringifyPadding(op.getPadding());
  }
  os << ", " << stringifyDataFormat(op.getDataFormat()) << ", "
     << (op.getBias() ? "bias" : "no bias") << ", activation "
     << describeActivation(op.getActivation(), op.getActivationParams())
     << "\n";
  if (auto folded = func->getAttrOfType<StringAttr>(kFoldedLayersAttr))
    os << "    folded into it: " << folded.getValue() << "\n";
}

LogicalResult mlir::dwconv::listLayers(ModuleOp spec, llvm::raw_ostream &os) {
  unsigned count = 0;
  for (auto func : spec.getOps<func::FuncOp>()) {
    SmallVector<DepthwiseConv2DOp> ops(func.getOps<DepthwiseConv2DOp>());
    if (ops.size() != 1)
      continue;
    printLayer(os, func, ops.front());
    ++count;
  }
  if (!count)
    return spec.emitError() << "the spec has no depthwise layer";
  return success();
}

/// The Keras name of a layer function, else its symbol name.
static StringRef layerName(func::FuncOp func) {
  auto name = func->getAttrOfType<StringAttr>(kKerasNameAttr);
  return name ? name.getValue() : func.getSymName();
}

LogicalResult mlir::dwconv::selectLayer(ModuleOp spec, StringRef name) {
  SmallVector<func::FuncOp> layers;
  for (auto func : spec.getOps<func::FuncOp>())
    if (!func.getOps<DepthwiseConv2DOp>().empty())
      layers.push_back(func);
  std::string names;
  for (func::FuncOp func : layers)
    names += (names.empty() ? "'" : ", '") + layerName(func).str() + "'";
  auto chosen = llvm::find_if(layers, [&](func::FuncOp func) {
    return layerName(func) == name || func.getSymName() == name;
  });
  if (name.empty() && layers.size() > 1)
    return spec.emitError() << "the spec has " << layers.size() << " layers ("
                            << names << "): pick one with --layer NAME";
  if (name.empty())
    return success();
  if (chosen == layers.end())
    return spec.emitError() << "--layer " << name << ": no depthwise layer of "
                            << "that name (the spec has " << names << ")";
  for (func::FuncOp func : layers)
    if (func != *chosen)
      func.erase();
  return success();
}
