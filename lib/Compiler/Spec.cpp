//===- Spec.cpp - load a spec: Keras, or MLIR layer functions -------------===//

#include "dwconv/Compiler/Compiler.h"
#include "dwconv/Compiler/Diagnostics.h"

#include "dwconv/Dialect/DWConv/IR/DWConv.h"
#include "dwconv/Dialect/DWConv/Transforms/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/SymbolTable.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Pass/PassManager.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/SourceMgr.h"

using namespace mlir;
using namespace mlir::dwconv;

/// The layer functions of a module: public funcs with a body.
static SmallVector<func::FuncOp> getLayerFunctions(ModuleOp module) {
  SmallVector<func::FuncOp> funcs;
  for (auto func : module.getOps<func::FuncOp>())
    if (func.isPublic() && !func.isExternal())
      funcs.push_back(func);
  return funcs;
}

/// Applies --name and --input-shape to the one layer of an MLIR spec.
static LogicalResult applySpecOptions(ModuleOp module,
                                      const SpecOptions &options) {
  SmallVector<func::FuncOp> funcs = getLayerFunctions(module);
  if (funcs.size() != 1)
    return module.emitError()
           << "--name and --input-shape need a spec with exactly one layer "
              "function, this one has "
           << funcs.size();
  func::FuncOp func = funcs.front();
  if (!options.name.empty())
    SymbolTable::setSymbolName(func, options.name);
  if (!options.inputShape)
    return success();
  if (func.getNumArguments() == 0 || func.getNumResults() != 1)
    return func.emitError() << "is not a layer function";
  auto input = dyn_cast<RankedTensorType>(func.getArgument(0).getType());
  if (!input || input.getRank() != 4)
    return func.emitError()
           << "--input-shape: the layer's input is not a rank-4 tensor";
  // Open up the result types; dwconv-infer-shapes sets them from the input.
  func.getArgument(0).setType(input.clone(*options.inputShape));
  auto open = RankedTensorType::get(
      SmallVector<int64_t>(4, ShapedType::kDynamic), input.getElementType());
  func.walk([&](DepthwiseConv2DOp op) {
    if (op.getInput() == func.getArgument(0))
      op.getResult().setType(open);
  });
  SmallVector<Type> results(func.getResultTypes());
  for (Type &type : results)
    if (isa<RankedTensorType>(type))
      type = open;
  func.setFunctionType(FunctionType::get(
      module.getContext(), func.getBody().getArgumentTypes(), results));
  return success();
}

OwningOpRef<ModuleOp> mlir::dwconv::loadSpec(MLIRContext *ctx, StringRef path,
                                             const SpecOptions &options) {
  Location loc = getFileLoc(ctx, path);
  llvm::ErrorOr<std::unique_ptr<llvm::MemoryBuffer>> buffer =
      llvm::MemoryBuffer::getFileOrSTDIN(path);
  if (!buffer) {
    emitError(loc) << "cannot read the spec: " << buffer.getError().message();
    return nullptr;
  }
  if (isKerasFile(path, (*buffer)->getBuffer()))
    return importKeras(ctx, path, **buffer, options);

  ctx->loadDialect<DWConvDialect, func::FuncDialect>();
  llvm::SourceMgr sourceMgr;
  sourceMgr.AddNewSourceBuffer(std::move(*buffer), llvm::SMLoc());
  OwningOpRef<ModuleOp> module = parseSourceFile<ModuleOp>(sourceMgr, ctx);
  if (!module)
    return nullptr;
  // Functions of several layers (a model raised from TOSA): one layer
  // function per dwconv op.
  PassManager pm(ctx);
  pm.addPass(createDWConvExtractLayersPass());
  if (failed(pm.run(*module)))
    return nullptr;
  if ((options.inputShape || !options.name.empty()) &&
      failed(applySpecOptions(*module, options)))
    return nullptr;
  return module;
}
