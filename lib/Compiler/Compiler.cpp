//===- Compiler.cpp - spec in, object and header out ----------------------===//

#include "dwconv/Compiler/Compiler.h"

#include "dwconv/Dialect/DWConv/IR/DWConv.h"
#include "dwconv/Dialect/DWConv/Transforms/Passes.h"
#include "dwconv/Frontend/Keras/Archive.h"
#include "dwconv/Frontend/Keras/LayerConfig.h"
#include "dwconv/Frontend/Keras/Model.h"
#include "dwconv/Pipelines/Pipelines.h"
#include "dwconv/Support/Identifiers.h"
#include "dwconv/Target/EntryPoints.h"
#include "dwconv/Target/HeaderWriter.h"

#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/SymbolTable.h"
#include "mlir/IR/Verifier.h"
#include "mlir/InitAllDialects.h"
#include "mlir/InitAllExtensions.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Pass/PassManager.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/SourceMgr.h"

using namespace mlir;
using namespace mlir::dwconv;

void mlir::dwconv::registerCompilerDialects(DialectRegistry &registry) {
  registerAllDialects(registry);
  registerAllExtensions(registry);
  registry.insert<DWConvDialect>();
  registerTranslations(registry);
}

llvm::Error mlir::dwconv::parseInputShapeOption(StringRef text,
                                                SpecOptions &options) {
  auto [layer, shapeText] =
      text.contains('=') ? text.split('=') : std::make_pair(StringRef(), text);
  SmallVector<StringRef> parts;
  shapeText.split(parts, 'x');
  SmallVector<int64_t, 4> shape;
  for (StringRef part : parts) {
    int64_t dim;
    if (part == "?")
      shape.push_back(ShapedType::kDynamic);
    else if (!part.getAsInteger(10, dim) && dim >= 0)
      shape.push_back(dim);
    else
      break;
  }
  if (shape.size() != 4 || parts.size() != 4 ||
      (text.contains('=') && layer.empty()))
    return llvm::createStringError(
        llvm::inconvertibleErrorCode(),
        "--input-shape: '" + text +
            "' is not a shape like 1x112x112x32 or ?x112x112x32, nor "
            "LAYER=SHAPE");
  if (layer.empty())
    options.inputShape = shape;
  else
    options.layerInputShapes[layer] = shape;
  return llvm::Error::success();
}

//===----------------------------------------------------------------------===//
// Specs
//===----------------------------------------------------------------------===//

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

/// One layer function per depthwise layer of a whole model; with `weights`,
/// each layer's kernel and bias are read from them and baked in.
static OwningOpRef<ModuleOp>
loadKerasModel(const llvm::json::Value &json, Location loc,
               const SpecOptions &options,
               const KerasWeights *weights = nullptr) {
  if (!options.name.empty()) {
    emitError(loc) << "--name applies to single-layer specs; a model's "
                      "layers are named after the layers";
    return nullptr;
  }
  ModelImportOptions importOptions;
  importOptions.modelInputShape = options.inputShape;
  for (const auto &entry : options.layerInputShapes)
    importOptions.layerInputShapes[entry.getKey()] = entry.getValue();
  FailureOr<std::vector<ModelLayer>> layers =
      importModel(json, loc, importOptions);
  if (failed(layers))
    return nullptr;
  OwningOpRef<ModuleOp> module = ModuleOp::create(loc);
  for (const ModelLayer &layer : *layers) {
    std::optional<LayerWeights> baked;
    if (weights) {
      const KerasLayer &l = layer.layer;
      TensorLayout layout = TensorLayout::get(l.dataFormat);
      int64_t channels = layer.inputShape[layout.channels];
      FailureOr<std::vector<float>> kernel = weights->read(
          layer.weightsGroup + "/vars/0",
          {l.kernelSize[0], l.kernelSize[1], channels, l.depthMultiplier}, loc);
      if (failed(kernel))
        return nullptr;
      baked = LayerWeights{std::move(*kernel), {}};
      if (l.useBias) {
        FailureOr<std::vector<float>> bias =
            weights->read(layer.weightsGroup + "/vars/1",
                          {channels * l.depthMultiplier}, loc);
        if (failed(bias))
          return nullptr;
        baked->bias = std::move(*bias);
      }
    }
    if (failed(buildLayerFunction(*module, layer.layer, layer.inputShape, loc,
                                  baked ? &*baked : nullptr)))
      return nullptr;
  }
  return module;
}

static OwningOpRef<ModuleOp> loadKerasArchive(StringRef path, Location loc,
                                              const SpecOptions &options) {
  FailureOr<KerasArchive> archive = KerasArchive::open(path, loc);
  if (failed(archive))
    return nullptr;
  llvm::Expected<llvm::json::Value> json = llvm::json::parse(archive->config);
  if (!json) {
    emitError(loc) << "config.json: malformed JSON: "
                   << llvm::toString(json.takeError());
    return nullptr;
  }
  if (!isModelSpec(*json)) {
    emitError(loc) << "config.json: expected a Keras model";
    return nullptr;
  }
  return loadKerasModel(*json, loc, options,
                        options.weightsAsArguments ? nullptr
                                                   : archive->weights.get());
}

static OwningOpRef<ModuleOp> loadKerasSpec(MLIRContext *ctx,
                                           llvm::MemoryBuffer &buffer,
                                           Location loc,
                                           const SpecOptions &options) {
  llvm::Expected<llvm::json::Value> json =
      llvm::json::parse(buffer.getBuffer());
  if (!json) {
    emitError(loc) << "malformed JSON: " << llvm::toString(json.takeError());
    return nullptr;
  }
  if (isModelSpec(*json))
    return loadKerasModel(*json, loc, options);
  if (!options.layerInputShapes.empty()) {
    emitError(loc) << "--input-shape LAYER=SHAPE applies to models; this "
                      "spec is one layer (use --input-shape SHAPE)";
    return nullptr;
  }
  FailureOr<KerasLayer> layer = parseLayerConfig(*json, loc);
  if (failed(layer))
    return nullptr;
  if (!options.name.empty())
    layer->name = options.name;
  std::optional<SmallVector<int64_t, 4>> shape =
      options.inputShape  ? options.inputShape
      : layer->inputShape ? layer->inputShape
                          : options.defaultInputShape;
  if (!shape) {
    emitError(loc) << "layer '" << layer->name
                   << "': the config records no input shape (no "
                      "batch_input_shape, batch_shape or "
                      "build_config.input_shape); give one with "
                      "--input-shape NxHxWxC";
    return nullptr;
  }
  OwningOpRef<ModuleOp> module = ModuleOp::create(loc);
  if (failed(buildLayerFunction(*module, *layer, *shape, loc)))
    return nullptr;
  return module;
}

/// Loads the dialects whose ops the compiler builds itself (pipelines load
/// theirs through their passes).
static void loadDialects(MLIRContext *ctx) {
  ctx->loadDialect<DWConvDialect, bufferization::BufferizationDialect,
                   func::FuncDialect, LLVM::LLVMDialect>();
}

OwningOpRef<ModuleOp> mlir::dwconv::loadSpec(MLIRContext *ctx, StringRef path,
                                             const SpecOptions &options) {
  loadDialects(ctx);
  Location loc = FileLineColLoc::get(ctx, path, 1, 1);
  llvm::ErrorOr<std::unique_ptr<llvm::MemoryBuffer>> buffer =
      llvm::MemoryBuffer::getFileOrSTDIN(path);
  if (!buffer) {
    emitError(loc) << "cannot read the spec: " << buffer.getError().message();
    return nullptr;
  }
  StringRef text = (*buffer)->getBuffer().ltrim();
  if (path.ends_with(".keras") || text.starts_with("PK\x03\x04"))
    return loadKerasArchive(path, loc, options);
  if (path.ends_with(".json") || text.starts_with("{"))
    return loadKerasSpec(ctx, **buffer, loc, options);

  llvm::SourceMgr sourceMgr;
  sourceMgr.AddNewSourceBuffer(std::move(*buffer), llvm::SMLoc());
  OwningOpRef<ModuleOp> module = parseSourceFile<ModuleOp>(sourceMgr, ctx);
  if (!module)
    return nullptr;
  if ((options.inputShape || !options.name.empty()) &&
      failed(applySpecOptions(*module, options)))
    return nullptr;
  return module;
}

//===----------------------------------------------------------------------===//
// Compilation
//===----------------------------------------------------------------------===//

namespace {
struct Layer {
  func::FuncOp func;
  DepthwiseConv2DOp op;
  LayerABI abi;
};
} // namespace

/// Checks that `func` is a layer function and describes its C interface.
static FailureOr<Layer> analyzeLayer(func::FuncOp func) {
  Block &body = func.getBody().front();
  auto ret = dyn_cast<func::ReturnOp>(body.getTerminator());
  auto op = ret && ret.getNumOperands() == 1
                ? ret.getOperand(0).getDefiningOp<DepthwiseConv2DOp>()
                : DepthwiseConv2DOp();
  // Baked weights: the kernel and bias are constants, the input the argument.
  auto isConstant = [](Value v) {
    return v && v.getDefiningOp<arith::ConstantOp>();
  };
  bool baked = op && isConstant(op.getDepthwiseKernel()) &&
               (!op.getBias() || isConstant(op.getBias()));
  SmallVector<Value> arguments =
      baked ? SmallVector<Value>{op.getInput()}
            : SmallVector<Value>(op ? op->getOperands() : ValueRange());
  auto notALayer = [&]() {
    return func.emitError()
           << "is not a layer function: its arguments must be the operands "
              "(input, depthwise_kernel[, bias]) of one "
              "dwconv.depthwise_conv2d whose result it returns";
  };
  size_t constants = baked ? (op.getBias() ? 2 : 1) : 0;
  if (!op || !func.getBody().hasOneBlock() ||
      body.getOperations().size() != 2 + constants ||
      !llvm::equal(arguments, body.getArguments())) {
    (void)notALayer();
    return failure();
  }

  auto inputType = cast<RankedTensorType>(op.getInput().getType());
  auto kernelType = cast<RankedTensorType>(op.getDepthwiseKernel().getType());
  if (!kernelType.hasStaticShape()) {
    op.emitError() << "the kernel shape must be static to compile, got "
                   << kernelType;
    return failure();
  }
  // The declared result may not claim more than the input implies: the
  // entry point sizes the output from the input dims it is given.
  FailureOr<RankedTensorType> inferred =
      inferResultType(op.getLoc(), inputType, kernelType,
                      op.getBias() ? op.getBias().getType() : Type(),
                      ConvConfig{op.getStrides(), op.getDilationRate(),
                                 op.getPadding(), op.getDataFormat()});
  if (failed(inferred))
    return failure();
  if (op.getType() != *inferred) {
    op.emitError() << "the result type " << op.getType()
                   << " is more static than the input implies (" << *inferred
                   << "); make the input static instead";
    return failure();
  }
  if (inputType.isDynamicDim(op.getLayout().channels)) {
    op.emitError() << "the input channel count must be static to compile, "
                      "got "
                   << inputType;
    return failure();
  }

  Layer layer{func, op, {}};
  LayerABI &abi = layer.abi;
  abi.name = sanitizeIdentifier(func.getSymName());
  abi.kernelSymbol = "dwconv_kernel." + abi.name;
  abi.inputType = inputType;
  abi.kernelType = kernelType;
  abi.outputType = *inferred;
  abi.hasBias = static_cast<bool>(op.getBias());
  abi.weightsBaked = baked;
  abi.strides.assign(op.getStrides().begin(), op.getStrides().end());
  abi.dilationRate.assign(op.getDilationRate().begin(),
                          op.getDilationRate().end());
  abi.padding = op.getPadding();
  abi.dataFormat = op.getDataFormat();
  abi.activation = op.getActivation();
  return layer;
}

/// Replaces the layer function by a private kernel in destination-passing
/// style: the result is materialized in a writable output argument, which
/// bufferizes to writing straight into the caller's buffer.
static void buildKernel(Layer &layer) {
  func::FuncOp func = layer.func;
  OpBuilder b(func);
  Location loc = func.getLoc();
  SmallVector<Type> argTypes(func.getArgumentTypes());
  argTypes.push_back(layer.abi.outputType);
  auto kernel =
      func::FuncOp::create(b, loc, layer.abi.kernelSymbol,
                           b.getFunctionType(argTypes, {layer.abi.outputType}));
  kernel.setPrivate();
  kernel.setArgAttr(argTypes.size() - 1, "bufferization.writable",
                    b.getBoolAttr(true));
  Block *body = kernel.addEntryBlock();
  b.setInsertionPointToStart(body);
  IRMapping mapping;
  mapping.map(func.getArguments(), body->getArguments().drop_back());
  for (Operation &op : func.getBody().front().without_terminator())
    b.clone(op, mapping);
  Value result = bufferization::MaterializeInDestinationOp::create(
                     b, loc, mapping.lookup(layer.op.getResult()),
                     body->getArguments().back())
                     .getResult();
  func::ReturnOp::create(b, loc, result);
  func.erase();
}

static LogicalResult
runPipeline(ModuleOp module, llvm::function_ref<void(OpPassManager &)> build) {
  PassManager pm(module.getContext());
  build(pm);
  return pm.run(module);
}

FailureOr<CompileResult> mlir::dwconv::compile(ModuleOp spec,
                                               const CompileOptions &options) {
  loadDialects(spec.getContext());
  if (failed(verify(spec)))
    return failure();
  if (failed(runPipeline(spec, [](OpPassManager &pm) {
        pm.addPass(createDWConvInferShapesPass());
      })))
    return failure();

  SmallVector<Layer> layers;
  llvm::StringMap<func::FuncOp> names;
  for (func::FuncOp func : getLayerFunctions(spec)) {
    FailureOr<Layer> layer = analyzeLayer(func);
    if (failed(layer))
      return failure();
    auto [it, inserted] = names.try_emplace(layer->abi.name, func);
    if (!inserted)
      return func.emitError() << "and @" << it->second.getSymName()
                              << " would both export symbols named 'dwconv_"
                              << layer->abi.name << "'";
    layers.push_back(*layer);
  }
  if (layers.empty())
    return spec.emitError() << "the spec defines no layer function (a public "
                               "func.func around one "
                               "dwconv.depthwise_conv2d)";

  CompileResult result;
  result.layers =
      llvm::map_to_vector(layers, [](const Layer &l) { return l.abi; });
  llvm::raw_string_ostream os(result.output);
  if (options.emit == EmitKind::MLIR) {
    spec.print(os);
    return result;
  }
  for (Layer &layer : layers)
    buildKernel(layer);

  CPUPipelineOptions pipeline;
  pipeline.inferShapes = false;
  if (options.emit == EmitKind::Linalg) {
    if (failed(runPipeline(spec, [&](OpPassManager &pm) {
          buildDWConvToLinalgPipeline(pm, pipeline);
        })))
      return failure();
    spec.print(os);
    return result;
  }
  if (failed(runPipeline(
          spec, [&](OpPassManager &pm) { buildCPUPipeline(pm, pipeline); })) ||
      failed(addEntryPoints(spec, result.layers)))
    return failure();

  llvm::raw_string_ostream header(result.header);
  writeHeader(header, result.layers, options.headerGuard);
  OutputKind kind = options.emit == EmitKind::LLVMIR     ? OutputKind::LLVMIR
                    : options.emit == EmitKind::Assembly ? OutputKind::Assembly
                                                         : OutputKind::Object;
  llvm::SmallString<0> bytes;
  llvm::raw_svector_ostream bytesStream(bytes);
  if (failed(emitModule(spec, options.target, kind, bytesStream)))
    return failure();
  result.output.assign(bytes.begin(), bytes.end());
  return result;
}
