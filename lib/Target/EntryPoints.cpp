//===- EntryPoints.cpp - what a generated object exports per layer --------===//
//
// Built directly in the LLVM dialect, after lowering: a kernel then takes
// each memref as (allocated, aligned, offset, sizes..., strides...) and the
// exported functions only assemble those from the tile state the runtime
// fills in. Every struct and enum comes from the ABI table (RuntimeABI.h).
//
//===----------------------------------------------------------------------===//

#include "dwconv/Target/EntryPoints.h"
#include "dwconv/Target/RuntimeABI.h"

#include "mlir/Dialect/GPU/IR/CompilationInterfaces.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/LLVMIR/NVVMDialect.h"
#include "mlir/IR/Builders.h"
#include "llvm/Support/Debug.h"

#define DEBUG_TYPE "dwconv-add-entry-points"

using namespace mlir;
using namespace mlir::dwconv;
using abi::MetadataField;
using abi::TileStateField;

namespace {

/// Builds one layer's exported functions and metadata.
class EntryPointBuilder {
public:
  EntryPointBuilder(ModuleOp module, const LayerABI &layer,
                    const GPULayerCode *gpu = nullptr)
      : module(module), layer(layer), gpu(gpu), b(module.getContext()),
        loc(module.getLoc()), i32(b.getI32Type()), i64(b.getI64Type()),
        ptr(LLVM::LLVMPointerType::get(b.getContext())),
        voidType(LLVM::LLVMVoidType::get(b.getContext())) {}

  LogicalResult build();

private:
  LogicalResult buildMetadata(LLVM::LLVMFuncOp tile, LLVM::LLVMFuncOp pack);
  LogicalResult
  insertEnums(llvm::function_ref<void(MetadataField, uint32_t)> insertU32);
  LLVM::LLVMFuncOp buildTile(LLVM::LLVMFuncOp kernel);
  LLVM::LLVMFuncOp buildPack(LLVM::LLVMFuncOp packKernel);
  void buildCall();
  LLVM::LLVMFuncOp declare(StringRef name, Type result, ArrayRef<Type> args);
  LLVM::LLVMFuncOp beginFunction(StringRef name, Type result,
                                 ArrayRef<Type> args);
  Value constant(int64_t value) {
    return LLVM::ConstantOp::create(b, loc, i64, b.getI64IntegerAttr(value));
  }
  SmallVector<Value> constants(ArrayRef<int64_t> values) {
    return llvm::map_to_vector(values, [&](int64_t v) { return constant(v); });
  }
  /// Loads `count` i64 of the array field `field` of the tile state.
  SmallVector<Value> loadDims(Value state, TileStateField field,
                              unsigned count);
  Value loadPointer(Value state, TileStateField field);
  /// Appends the expanded descriptor of a contiguous row-major memref.
  void appendDescriptor(SmallVectorImpl<Value> &args, Value data,
                        ArrayRef<Value> sizes);
  LogicalResult callKernel(LLVM::LLVMFuncOp kernel, ArrayRef<Value> args);

  ModuleOp module;
  const LayerABI &layer;
  /// Set for a GPU layer (no tile function).
  const GPULayerCode *gpu;
  OpBuilder b;
  Location loc;
  Type i32, i64, ptr, voidType;
};

LLVM::LLVMFuncOp EntryPointBuilder::declare(StringRef name, Type result,
                                            ArrayRef<Type> args) {
  if (auto existing = module.lookupSymbol<LLVM::LLVMFuncOp>(name))
    return existing;
  OpBuilder::InsertionGuard guard(b);
  b.setInsertionPointToEnd(module.getBody());
  return LLVM::LLVMFuncOp::create(b, loc, name,
                                  LLVM::LLVMFunctionType::get(result, args));
}

LLVM::LLVMFuncOp EntryPointBuilder::beginFunction(StringRef name, Type result,
                                                  ArrayRef<Type> args) {
  b.setInsertionPointToEnd(module.getBody());
  auto func = LLVM::LLVMFuncOp::create(
      b, loc, name, LLVM::LLVMFunctionType::get(result, args));
  b.setInsertionPointToStart(func.addEntryBlock(b));
  return func;
}

Value EntryPointBuilder::loadPointer(Value state, TileStateField field) {
  auto type = abi::getStructType(b.getContext(), abi::getTileStateFields());
  Value slot = LLVM::GEPOp::create(
      b, loc, ptr, type, state,
      ArrayRef<LLVM::GEPArg>{0, static_cast<int32_t>(field)});
  return LLVM::LoadOp::create(b, loc, ptr, slot);
}

SmallVector<Value>
EntryPointBuilder::loadDims(Value state, TileStateField field, unsigned count) {
  auto type = abi::getStructType(b.getContext(), abi::getTileStateFields());
  SmallVector<Value> dims;
  for (unsigned i = 0; i < count; ++i) {
    Value slot = LLVM::GEPOp::create(
        b, loc, ptr, type, state,
        ArrayRef<LLVM::GEPArg>{0, static_cast<int32_t>(field),
                               static_cast<int32_t>(i)});
    dims.push_back(LLVM::LoadOp::create(b, loc, i64, slot));
  }
  return dims;
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

LogicalResult EntryPointBuilder::callKernel(LLVM::LLVMFuncOp kernel,
                                            ArrayRef<Value> args) {
  if (kernel.getNumArguments() != args.size())
    return kernel.emitError()
           << "layer '" << layer.name << "': @" << kernel.getName() << " takes "
           << kernel.getNumArguments() << " arguments, the entry point passes "
           << args.size();
  LLVM::CallOp::create(b, loc, kernel, args);
  LLVM::ReturnOp::create(b, loc, ValueRange());
  return success();
}

/// void dwconv_<name>_tile(const dwconv_tile_state *, void *workspace,
///                         int64_t tile_begin, int64_t tile_end)
LLVM::LLVMFuncOp EntryPointBuilder::buildTile(LLVM::LLVMFuncOp kernel) {
  auto func = beginFunction(layer.tileSymbol(), voidType, {ptr, ptr, i64, i64});
  Value state = func.getArgument(0);
  SmallVector<Value> args;
  appendDescriptor(args, loadPointer(state, TileStateField::input),
                   loadDims(state, TileStateField::input_dims, 4));
  if (!layer.weightsBaked)
    appendDescriptor(args, loadPointer(state, TileStateField::packed_weights),
                     {constant(layer.packedWeightsBytes / sizeof(float))});
  appendDescriptor(args, loadPointer(state, TileStateField::output),
                   loadDims(state, TileStateField::output_dims, 4));
  appendDescriptor(args, func.getArgument(1), {constant(layer.workspaceBytes)});
  args.append({func.getArgument(2), func.getArgument(3)});
  if (failed(callKernel(kernel, args)))
    return nullptr;
  return func;
}

/// void dwconv_<name>_pack(const void *kernel, const void *bias,
///                         void *packed)
LLVM::LLVMFuncOp EntryPointBuilder::buildPack(LLVM::LLVMFuncOp packKernel) {
  auto func = beginFunction(layer.packSymbol(), voidType, {ptr, ptr, ptr});
  SmallVector<Value> args;
  appendDescriptor(args, func.getArgument(0),
                   constants(layer.kernelType.getShape()));
  if (layer.hasBias)
    appendDescriptor(args, func.getArgument(1),
                     {constant(layer.outputChannels())});
  appendDescriptor(args, func.getArgument(2),
                   {constant(layer.packedWeightsBytes / sizeof(float))});
  if (failed(callKernel(packKernel, args)))
    return nullptr;
  return func;
}

/// dwconv_status dwconv_<name>_call(dwconv_context *, const dwconv_call *):
/// the runtime plans, checks and runs the call from the metadata.
void EntryPointBuilder::buildCall() {
  LLVM::LLVMFuncOp run = declare("dwconv_layer_run", i32, {ptr, ptr, ptr});
  auto func = beginFunction(layer.callSymbol(), i32, {ptr, ptr});
  Value metadata =
      LLVM::AddressOfOp::create(b, loc, ptr, layer.metadataSymbol());
  Value status = LLVM::CallOp::create(b, loc, run,
                                      ValueRange{func.getArgument(0), metadata,
                                                 func.getArgument(1)})
                     .getResult();
  LLVM::ReturnOp::create(b, loc, status);
}

LogicalResult EntryPointBuilder::insertEnums(
    llvm::function_ref<void(MetadataField, uint32_t)> insertU32) {
  struct Enum {
    MetadataField field;
    ArrayRef<abi::EnumCase> cases;
    StringRef value;
  } enums[] = {
      {MetadataField::dtype, abi::getDTypeCases(),
       layer.inputType.getElementType().isF32() ? "float32" : "unknown"},
      {MetadataField::device, abi::getDeviceCases(), gpu ? "cuda" : "cpu"},
      {MetadataField::data_format, abi::getDataFormatCases(),
       stringifyDataFormat(layer.dataFormat)},
      {MetadataField::padding, abi::getPaddingCases(),
       stringifyPadding(layer.padding)},
      {MetadataField::activation, abi::getActivationCases(),
       stringifyActivation(layer.activation)}};
  for (const Enum &e : enums) {
    std::optional<uint32_t> value = abi::lookupValue(e.cases, e.value);
    if (!value)
      return module.emitError()
             << "layer '" << layer.name << "': "
             << abi::getMetadataFields()[static_cast<unsigned>(e.field)].name
             << " '" << e.value << "' has no value in the runtime ABI";
    insertU32(e.field, *value);
  }
  return success();
}

/// The exported `dwconv_<name>_metadata` constant, field by field.
LogicalResult EntryPointBuilder::buildMetadata(LLVM::LLVMFuncOp tile,
                                               LLVM::LLVMFuncOp pack) {
  auto type = abi::getStructType(b.getContext(), abi::getMetadataFields());
  b.setInsertionPointToEnd(module.getBody());
  auto global = LLVM::GlobalOp::create(
      b, loc, type, /*isConstant=*/true, LLVM::Linkage::External,
      layer.metadataSymbol(), Attribute(), /*alignment=*/8);
  b.setInsertionPointToStart(b.createBlock(&global.getInitializerRegion()));
  Value value = LLVM::ZeroOp::create(b, loc, type);
  auto insert = [&](MetadataField field, Value v, ArrayRef<int64_t> index) {
    SmallVector<int64_t> position = {static_cast<int64_t>(field)};
    position.append(index.begin(), index.end());
    value = LLVM::InsertValueOp::create(b, loc, value, v, position);
  };
  auto insertU32 = [&](MetadataField field, uint32_t v) {
    insert(field, LLVM::ConstantOp::create(b, loc, i32, b.getI32IntegerAttr(v)),
           {});
  };
  auto insertI64s = [&](MetadataField field, ArrayRef<int64_t> values) {
    for (auto [i, v] : llvm::enumerate(values))
      insert(field, constant(ShapedType::isDynamic(v) ? -1 : v),
             values.size() == 1 ? ArrayRef<int64_t>()
                                : ArrayRef<int64_t>{int64_t(i)});
  };
  insertU32(MetadataField::abi_version, abi::VERSION);
  if (failed(insertEnums(insertU32)))
    return failure();
  insertU32(MetadataField::has_bias, layer.hasBias);
  insertU32(MetadataField::weights_baked, layer.weightsBaked);
  insertI64s(MetadataField::input_shape, layer.inputType.getShape());
  insertI64s(MetadataField::kernel_shape, layer.kernelType.getShape());
  insertI64s(MetadataField::output_shape, layer.outputType.getShape());
  insertI64s(MetadataField::strides, layer.strides);
  insertI64s(MetadataField::dilation_rate, layer.dilationRate);
  insertI64s(MetadataField::tile_shape, layer.tileShape);
  insertI64s(MetadataField::workspace_bytes, {layer.workspaceBytes});
  insertI64s(MetadataField::packed_weights_bytes, {layer.packedWeightsBytes});
  // The name is read as a C string: keep its terminator.
  insert(MetadataField::name,
         LLVM::createGlobalString(loc, b, layer.metadataSymbol() + "_name",
                                  layer.name + '\0', LLVM::Linkage::Internal),
         {});
  // Optional strings: NULL when empty.
  std::tuple<MetadataField, StringRef, const std::string &> strings[] = {
      {MetadataField::keras_name, "_keras_name", layer.kerasName},
      {MetadataField::folded_layers, "_folded", layer.foldedLayers},
      {MetadataField::activation_text, "_activation", layer.activationText}};
  for (auto &[field, suffix, text] : strings)
    if (!text.empty())
      insert(field,
             LLVM::createGlobalString(loc, b,
                                      (layer.metadataSymbol() + suffix).str(),
                                      text + '\0', LLVM::Linkage::Internal),
             {});
  if (!layer.pads.empty())
    insertI64s(MetadataField::pads, layer.pads);
  if (tile)
    insert(MetadataField::tile, LLVM::AddressOfOp::create(b, loc, tile), {});
  if (pack)
    insert(MetadataField::pack, LLVM::AddressOfOp::create(b, loc, pack), {});
  if (gpu) {
    insertI64s(MetadataField::gpu_block, gpu->block);
    insert(MetadataField::gpu_kernel,
           LLVM::createGlobalString(loc, b, layer.metadataSymbol() + "_kernel",
                                    layer.gpuKernelSymbol() + '\0',
                                    LLVM::Linkage::Internal),
           {});
    insert(MetadataField::gpu_images,
           LLVM::AddressOfOp::create(b, loc, ptr, gpu->images), {});
    insertI64s(MetadataField::gpu_image_count, {gpu->imageCount});
    if (!gpu->bakedWeights.empty())
      insert(MetadataField::baked_weights,
             LLVM::AddressOfOp::create(b, loc, ptr, gpu->bakedWeights), {});
    insertI64s(MetadataField::baked_weights_bytes, {gpu->bakedWeightsBytes});
  }
  LLVM::ReturnOp::create(b, loc, value);
  return success();
}

LogicalResult EntryPointBuilder::build() {
  auto kernel = module.lookupSymbol<LLVM::LLVMFuncOp>(layer.kernelFunction());
  auto packKernel = module.lookupSymbol<LLVM::LLVMFuncOp>(layer.packFunction());
  if ((!kernel && !gpu) || (!layer.weightsBaked && !packKernel))
    return module.emitError()
           << "layer '" << layer.name << "': its kernel was not lowered";
  for (StringRef symbol : {layer.callSymbol(), layer.metadataSymbol(),
                           layer.tileSymbol(), layer.packSymbol()})
    if (module.lookupSymbol(symbol))
      return module.emitError() << "two layers export '" << symbol << "'";
  if (packKernel)
    packKernel.setLinkage(LLVM::Linkage::Internal);
  LLVM::LLVMFuncOp tile;
  if (!gpu) {
    kernel.setLinkage(LLVM::Linkage::Internal);
    if (!(tile = buildTile(kernel)))
      return failure();
  }
  LLVM::LLVMFuncOp pack = packKernel ? buildPack(packKernel) : nullptr;
  if (packKernel && !pack)
    return failure();
  if (failed(buildMetadata(tile, pack)))
    return failure();
  buildCall();
  LLVM_DEBUG(llvm::dbgs() << "entry points of layer '" << layer.name << "'\n");
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

LogicalResult mlir::dwconv::addGPUEntryPoints(ModuleOp module,
                                              ArrayRef<GPULayerCode> layers) {
  for (const GPULayerCode &code : layers)
    if (failed(EntryPointBuilder(module, code.layer, &code).build()))
      return failure();
  return success();
}

/// The compute capability of a chip name ("sm_90a" -> 90), or none.
static std::optional<uint32_t> parseArch(StringRef chip) {
  uint32_t arch = 0;
  if (!chip.consume_front("sm_") || chip.consumeInteger(10, arch))
    return std::nullopt;
  return arch;
}

FailureOr<std::string> mlir::dwconv::addGPUImages(ModuleOp module,
                                                  ArrayAttr objects) {
  MLIRContext *ctx = module.getContext();
  OpBuilder b = OpBuilder::atBlockEnd(module.getBody());
  Location loc = module.getLoc();
  auto imageType = abi::getStructType(ctx, abi::getGPUImageFields());
  auto arrayType = LLVM::LLVMArrayType::get(imageType, objects.size());
  std::string symbol = "dwconv_gpu_images";
  auto array = LLVM::GlobalOp::create(b, loc, arrayType, /*isConstant=*/true,
                                      LLVM::Linkage::Internal, symbol,
                                      Attribute(), /*alignment=*/8);
  b.setInsertionPointToStart(b.createBlock(&array.getInitializerRegion()));
  Value value = LLVM::ZeroOp::create(b, loc, arrayType);
  Type i32 = b.getI32Type(), i64 = b.getI64Type();
  for (auto [i, attr] : llvm::enumerate(objects)) {
    auto object = dyn_cast<gpu::ObjectAttr>(attr);
    auto target = object ? dyn_cast<NVVM::NVVMTargetAttr>(object.getTarget())
                         : NVVM::NVVMTargetAttr();
    std::optional<uint32_t> arch =
        target ? parseArch(target.getChip()) : std::nullopt;
    if (!arch)
      return module.emitError() << "a GPU object that is not for an sm_XX "
                                   "architecture: "
                                << attr;
    bool ptx = object.getFormat() == gpu::CompilationTarget::Assembly;
    std::string bytes = object.getObject().getValue().str();
    int64_t size = bytes.size();
    if (ptx)
      bytes.push_back('\0');
    Value data =
        LLVM::createGlobalString(loc, b, symbol + "_" + std::to_string(i),
                                 bytes, LLVM::Linkage::Internal);
    // A copy: a lambda cannot capture a structured binding before C++20.
    int64_t index = i;
    auto field = [&](abi::GPUImageField f, Value v) {
      value = LLVM::InsertValueOp::create(
          b, loc, value, v, ArrayRef<int64_t>{index, static_cast<int64_t>(f)});
    };
    uint32_t format =
        *abi::lookupValue(abi::getGPUFormatCases(), ptx ? "ptx" : "cubin");
    field(abi::GPUImageField::format,
          LLVM::ConstantOp::create(b, loc, i32, format));
    field(abi::GPUImageField::arch,
          LLVM::ConstantOp::create(b, loc, i32, *arch));
    field(abi::GPUImageField::data, data);
    field(abi::GPUImageField::size,
          LLVM::ConstantOp::create(b, loc, i64, size));
  }
  LLVM::ReturnOp::create(b, loc, value);
  return symbol;
}
