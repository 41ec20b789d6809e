//===- EntryPoints.cpp - C entry points and metadata of layers ------------===//
//
// Built directly in the LLVM dialect, after lowering: the kernel of a layer
// then takes each memref as (allocated, aligned, offset, sizes..., strides...)
// and the entry point only has to assemble those from plain pointers and the
// dims the runtime validated.
//
//===----------------------------------------------------------------------===//

#include "dwconv/Target/EntryPoints.h"

#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/IR/Builders.h"

using namespace mlir;
using namespace mlir::dwconv;

SmallVector<unsigned> LayerABI::dynamicInputDims() const {
  SmallVector<unsigned> dims;
  for (unsigned d = 0; d < 4; ++d)
    if (inputType.isDynamicDim(d))
      dims.push_back(d);
  return dims;
}

StringRef LayerABI::dimName(unsigned dim) const {
  static const char *const names[2][4] = {
      {"batch", "height", "width", "channels"},
      {"batch", "channels", "height", "width"}};
  return names[dataFormat == DataFormat::channels_first][dim];
}

namespace {

/// Builds one layer's metadata and entry point.
class EntryPointBuilder {
public:
  EntryPointBuilder(ModuleOp module, const LayerABI &layer)
      : module(module), layer(layer), b(module.getContext()),
        loc(module.getLoc()), i32(b.getI32Type()), i64(b.getI64Type()),
        ptr(LLVM::LLVMPointerType::get(b.getContext())) {}

  LogicalResult build();

private:
  /// struct dwconv_layer_metadata, field for field.
  LLVM::LLVMStructType metadataType() {
    auto i64x4 = LLVM::LLVMArrayType::get(i64, 4);
    auto i64x2 = LLVM::LLVMArrayType::get(i64, 2);
    return LLVM::LLVMStructType::getLiteral(
        b.getContext(), {i32, i32, i32, i32, i32, i32, i32, i64x4, i64x4, i64x4,
                         i64x2, i64x2, ptr});
  }
  LLVM::GlobalOp buildMetadata();
  LLVM::LLVMFuncOp declareCheckCall();
  Value constant(int64_t value) {
    return LLVM::ConstantOp::create(b, loc, i64, b.getI64IntegerAttr(value));
  }
  /// A stack array of 4 i64, optionally filled.
  Value dimsArray(ArrayRef<Value> dims);
  /// Appends the expanded descriptor of a contiguous row-major memref.
  void appendDescriptor(SmallVectorImpl<Value> &args, Value data,
                        ArrayRef<Value> sizes);

  ModuleOp module;
  const LayerABI &layer;
  OpBuilder b;
  Location loc;
  Type i32, i64, ptr;
};

LLVM::GlobalOp EntryPointBuilder::buildMetadata() {
  b.setInsertionPointToEnd(module.getBody());
  auto global = LLVM::GlobalOp::create(
      b, loc, metadataType(), /*isConstant=*/true, LLVM::Linkage::External,
      layer.metadataSymbol(), Attribute(), /*alignment=*/8);
  Block *init = b.createBlock(&global.getInitializerRegion());
  b.setInsertionPointToStart(init);
  Value value = LLVM::UndefOp::create(b, loc, metadataType());
  auto insert = [&](ArrayRef<int64_t> position, Value field) {
    value = LLVM::InsertValueOp::create(b, loc, value, field, position);
  };
  auto insertI32 = [&](int64_t index, uint32_t field) {
    insert({index},
           LLVM::ConstantOp::create(b, loc, i32, b.getI32IntegerAttr(field)));
  };
  auto insertDims = [&](int64_t index, ArrayRef<int64_t> dims) {
    for (auto [i, dim] : llvm::enumerate(dims))
      insert({index, static_cast<int64_t>(i)},
             constant(ShapedType::isDynamic(dim) ? -1 : dim));
  };
  insertI32(0, kRuntimeABIVersion);
  insertI32(1, 0); // DWCONV_DTYPE_F32
  insertI32(2, static_cast<uint32_t>(layer.dataFormat));
  insertI32(3, static_cast<uint32_t>(layer.padding));
  insertI32(4, static_cast<uint32_t>(layer.activation));
  insertI32(5, layer.hasBias);
  insertI32(6, layer.weightsBaked);
  insertDims(7, layer.inputType.getShape());
  insertDims(8, layer.kernelType.getShape());
  insertDims(9, layer.outputType.getShape());
  insertDims(10, layer.strides);
  insertDims(11, layer.dilationRate);
  // The name is read as a C string: keep its terminator.
  std::string cName = layer.name + '\0';
  insert({12},
         LLVM::createGlobalString(loc, b, layer.metadataSymbol() + "_name",
                                  cName, LLVM::Linkage::Internal));
  LLVM::ReturnOp::create(b, loc, value);
  return global;
}

LLVM::LLVMFuncOp EntryPointBuilder::declareCheckCall() {
  StringRef name = "dwconv_check_call";
  if (auto existing = module.lookupSymbol<LLVM::LLVMFuncOp>(name))
    return existing;
  b.setInsertionPointToEnd(module.getBody());
  auto type = LLVM::LLVMFunctionType::get(
      i32, {ptr, ptr, ptr, ptr, ptr, ptr, ptr, ptr});
  return LLVM::LLVMFuncOp::create(b, loc, name, type);
}

Value EntryPointBuilder::dimsArray(ArrayRef<Value> dims) {
  Value array = LLVM::AllocaOp::create(b, loc, ptr, i64, constant(4));
  for (auto [i, dim] : llvm::enumerate(dims)) {
    Value slot = LLVM::GEPOp::create(b, loc, ptr, i64, array,
                                     ArrayRef<LLVM::GEPArg>{int32_t(i)});
    LLVM::StoreOp::create(b, loc, dim, slot);
  }
  return array;
}

void EntryPointBuilder::appendDescriptor(SmallVectorImpl<Value> &args,
                                         Value data, ArrayRef<Value> sizes) {
  args.append({data, data, constant(0)});
  args.append(sizes.begin(), sizes.end());
  SmallVector<Value> strides(sizes.size());
  Value stride = constant(1);
  for (int64_t d = sizes.size() - 1; d >= 0; --d) {
    strides[d] = stride;
    stride = LLVM::MulOp::create(b, loc, stride, sizes[d]);
  }
  args.append(strides.begin(), strides.end());
}

LogicalResult EntryPointBuilder::build() {
  auto kernel = module.lookupSymbol<LLVM::LLVMFuncOp>(layer.kernelSymbol);
  if (!kernel)
    return module.emitError() << "layer '" << layer.name << "': kernel @"
                              << layer.kernelSymbol << " was not lowered";
  if (module.lookupSymbol(layer.entrySymbol()) ||
      module.lookupSymbol(layer.metadataSymbol()))
    return module.emitError() << "two layers are named '" << layer.name << "'";
  kernel.setLinkage(LLVM::Linkage::Internal);
  LLVM::GlobalOp metadata = buildMetadata();
  LLVM::LLVMFuncOp checkCall = declareCheckCall();

  // ctx, input, [kernel, [bias]], output, [dynamic dims].
  bool weightArgs = !layer.weightsBaked;
  SmallVector<Type> argTypes = {ptr, ptr};
  if (weightArgs)
    argTypes.push_back(ptr);
  if (weightArgs && layer.hasBias)
    argTypes.push_back(ptr);
  argTypes.push_back(ptr);
  SmallVector<unsigned> dynamicDims = layer.dynamicInputDims();
  argTypes.append(dynamicDims.size(), i64);
  b.setInsertionPointToEnd(module.getBody());
  auto entry = LLVM::LLVMFuncOp::create(
      b, loc, layer.entrySymbol(), LLVM::LLVMFunctionType::get(i32, argTypes));
  Block *body = entry.addEntryBlock(b);
  b.setInsertionPointToStart(body);

  unsigned next = 0;
  Value context = body->getArgument(next++);
  Value input = body->getArgument(next++);
  Value null = LLVM::ZeroOp::create(b, loc, ptr);
  Value weights = weightArgs ? body->getArgument(next++) : null;
  Value bias = weightArgs && layer.hasBias ? body->getArgument(next++) : null;
  Value output = body->getArgument(next++);
  SmallVector<Value> inputDims;
  for (unsigned d = 0; d < 4; ++d)
    inputDims.push_back(layer.inputType.isDynamicDim(d)
                            ? body->getArgument(next++)
                            : constant(layer.inputType.getDimSize(d)));

  Value inputDimsArray = dimsArray(inputDims);
  Value outputDimsArray = dimsArray({});
  Value status =
      LLVM::CallOp::create(
          b, loc, checkCall,
          ValueRange{context, LLVM::AddressOfOp::create(b, loc, metadata),
                     input, weights, bias, output, inputDimsArray,
                     outputDimsArray})
          .getResult();

  Block *run = b.createBlock(&entry.getBody());
  Block *done = b.createBlock(&entry.getBody(), {}, {i32}, {loc});
  b.setInsertionPointToEnd(body);
  Value ok = LLVM::ICmpOp::create(
      b, loc, LLVM::ICmpPredicate::eq, status,
      LLVM::ConstantOp::create(b, loc, i32, b.getI32IntegerAttr(0)));
  LLVM::CondBrOp::create(b, loc, ok, run, ValueRange{}, done,
                         ValueRange{status});

  b.setInsertionPointToStart(run);
  SmallVector<Value> outputDims;
  for (int32_t d = 0; d < 4; ++d) {
    Value slot = LLVM::GEPOp::create(b, loc, ptr, i64, outputDimsArray,
                                     ArrayRef<LLVM::GEPArg>{d});
    outputDims.push_back(LLVM::LoadOp::create(b, loc, i64, slot));
  }
  auto shapeOf = [&](RankedTensorType type) {
    return llvm::map_to_vector(type.getShape(),
                               [&](int64_t d) { return constant(d); });
  };
  SmallVector<Value> kernelArgs;
  appendDescriptor(kernelArgs, input, inputDims);
  if (weightArgs)
    appendDescriptor(kernelArgs, weights, shapeOf(layer.kernelType));
  if (weightArgs && layer.hasBias)
    appendDescriptor(
        kernelArgs, bias,
        {constant(layer.kernelType.getDimSize(kKernelChannels) *
                  layer.kernelType.getDimSize(kKernelMultiplier))});
  appendDescriptor(kernelArgs, output, outputDims);
  if (kernel.getNumArguments() != kernelArgs.size())
    return kernel.emitError()
           << "layer '" << layer.name << "': kernel takes "
           << kernel.getNumArguments() << " arguments, the entry point passes "
           << kernelArgs.size();
  LLVM::CallOp::create(b, loc, kernel, kernelArgs);
  LLVM::BrOp::create(
      b, loc,
      ValueRange{LLVM::ConstantOp::create(b, loc, i32, b.getI32IntegerAttr(0))},
      done);

  b.setInsertionPointToStart(done);
  LLVM::ReturnOp::create(b, loc, done->getArgument(0));
  return success();
}

} // namespace

LogicalResult mlir::dwconv::addEntryPoints(ModuleOp module,
                                           ArrayRef<LayerABI> layers) {
  for (const LayerABI &layer : layers)
    if (failed(EntryPointBuilder(module, layer).build()))
      return failure();
  return success();
}
