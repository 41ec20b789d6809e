//===- Compiler.cpp - spec in, object and header out ----------------------===//
//
// Orchestration only: the stages are pipelines (Pipelines.h) and the emission
// is the Target library's.
//
//===----------------------------------------------------------------------===//

#include "dwconv/Compiler/Compiler.h"
#include "dwconv/Compiler/Diagnostics.h"
#include "dwconv/Support/Identifiers.h"

#include "dwconv/Codegen/CPUStrategy.h"
#include "dwconv/Codegen/GPUStrategy.h"
#include "dwconv/Dialect/DWConv/IR/DWConv.h"
#include "dwconv/Dialect/DWConv/Transforms/Passes.h"
#include "dwconv/Pipelines/Pipelines.h"
#include "dwconv/Target/EntryPoints.h"
#include "dwconv/Target/HeaderWriter.h"
#include "dwconv/Target/ObjectEmitter.h"
#include "dwconv/Target/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/Verifier.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Support/FileUtilities.h"
#include "llvm/Support/Debug.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Process.h"
#include "llvm/Support/ThreadPool.h"
#include "llvm/Support/ToolOutputFile.h"

#include <atomic>
#include <thread>

#define DEBUG_TYPE "dwconv-compile"

using namespace mlir;
using namespace mlir::dwconv;

namespace {
/// A stage of compilation: passes, and the output it can stop at.
struct Stage {
  const char *name;
  std::optional<EmitKind> stopsAt;
  std::function<void(OpPassManager &)> build;
};
} // namespace

/// The pipelines of one compilation.
struct Pipelines {
  CPUPipelineOptions cpu;
  GPUPipelineOptions gpu;
  /// The GPU strategy: kernels for cuda, or their mapped loops compiled for
  /// the CPU.
  bool gpuStrategy = false;
  /// Verify after each pass; otherwise after each stage.
  bool verifyEachPass = false;
};

/// The stages that run on the whole spec: they check it, give each layer its
/// kernel and choose its strategy.
static SmallVector<Stage> getFrontStages(const Pipelines &pipelines) {
  return {
      {"dwconv", EmitKind::MLIR,
       [](OpPassManager &pm) { pm.addPass(createDWConvInferShapesPass()); }},
      {"linalg", EmitKind::Linalg, [&](OpPassManager &pm) {
         if (pipelines.gpuStrategy)
           buildDWConvToLinalgGPUPipeline(pm, pipelines.gpu);
         else
           buildDWConvToLinalgPipeline(pm, pipelines.cpu);
       }}};
}

/// Runs `stage` on `module` and verifies the result: after each pass with
/// `verifyEachPass`, else once at the end (the verifier after every pass
/// costs about a third of the compile time).
static LogicalResult runStage(const Stage &stage, ModuleOp module,
                              bool verifyEachPass) {
  LLVM_DEBUG(llvm::dbgs() << "stage '" << stage.name << "'\n");
  PassManager pm(module.getContext());
  pm.enableVerifier(verifyEachPass);
  stage.build(pm);
  return success(succeeded(pm.run(module)) &&
                 (verifyEachPass || succeeded(verify(module))));
}

/// Whether a kernel of `module` takes the loop path (no register block).
static bool hasLoopPathKernel(ModuleOp module) {
  bool loopPath = false;
  module.walk([&](func::FuncOp func) {
    loopPath |= func->hasAttr(layer_attrs::kLayer) &&
                !func->hasAttr(kRegisterBlockAttr);
  });
  return loopPath;
}

/// A pass manager running the back end (lowering to the LLVM dialect, entry
/// points) with `options`, the dialects it needs loaded.
static std::unique_ptr<PassManager>
createBackEnd(MLIRContext *ctx, const Pipelines &pipelines,
              const CPUPipelineOptions &options) {
  auto pm = std::make_unique<PassManager>(ctx);
  pm->enableVerifier(pipelines.verifyEachPass);
  if (pipelines.gpuStrategy) {
    buildGPUMappingPipeline(*pm, pipelines.gpu);
    buildGPUMappedLoopsToCPUPipeline(*pm, pipelines.gpu);
  } else {
    buildCPUBufferizationPipeline(*pm, options);
    buildCPULoweringToLLVMPipeline(*pm, options);
  }
  pm->addPass(createDWConvAddEntryPointsPass());
  // Loaded here: not from the threads that run it.
  DialectRegistry registry;
  pm->getDependentDialects(registry);
  ctx->appendDialectRegistry(registry);
  for (StringRef name : registry.getDialectNames())
    ctx->getOrLoadDialect(name);
  return pm;
}

/// Runs the back end on each unit, without the loop path's passes where no
/// kernel takes it, then LLVM's optimizations and, for objects, code
/// generation (into `out`, as `code`): in parallel when the context allows
/// threads, one pass manager per thread and kind, each thread taking the next
/// unit from start to finish. The threads are this one and threads of their
/// own, not the context's pool: the function-level passes inside a module use
/// the pool, and a pool worker waiting for them would pick up another module's
/// work and stack it on top of its own (LLVM's ThreadPool), running the layers
/// one by one.
static LogicalResult runBackEnd(ArrayRef<EmitUnit> units,
                                const Pipelines &pipelines,
                                const TargetDescription &target, UnitCode code,
                                MutableArrayRef<SmallString<0>> out) {
  MLIRContext *ctx = ModuleOp(units.front().module).getContext();
  size_t workers =
      ctx->isMultithreadingEnabled()
          ? std::min<size_t>(units.size(),
                             ctx->getThreadPool().getMaxConcurrency())
          : 1;
  const CPUPipelineOptions &pipeline = pipelines.cpu;
  CPUPipelineOptions vectorOnly;
  vectorOnly.copyOptionValuesFrom(pipeline);
  vectorOnly.loopPath = false;
  SmallVector<bool> loopPath =
      llvm::map_to_vector(units, [](const EmitUnit &unit) {
        return hasLoopPathKernel(unit.module);
      });
  // [worker][loop path?]
  SmallVector<std::array<std::unique_ptr<PassManager>, 2>> managers(workers);
  for (auto &kinds : managers) {
    kinds[0] = createBackEnd(ctx, pipelines, vectorOnly);
    if (llvm::is_contained(loopPath, true))
      kinds[1] = createBackEnd(ctx, pipelines, pipeline);
  }
  bool strengthReduction = needsStrengthReduction(units);
  // Diagnostics come out in the modules' order, whichever thread runs them.
  ParallelDiagnosticHandler diagnostics(ctx);
  std::atomic<size_t> next(0);
  std::atomic<bool> failedAny(false);
  auto work = [&](size_t worker) {
    for (size_t i = next++; i < units.size() && !failedAny; i = next++) {
      diagnostics.setOrderIDForThread(i);
      ModuleOp module = units[i].module;
      if (failed(managers[worker][loopPath[i]]->run(module)) ||
          (!pipelines.verifyEachPass && failed(verify(module))) ||
          failed(
              compileUnit(units[i], target, code, strengthReduction, out[i])))
        failedAny = true;
      diagnostics.eraseOrderIDForThread();
    }
  };
  std::vector<std::thread> threads;
  for (size_t i = 1; i < workers; ++i)
    threads.emplace_back(work, i);
  work(0);
  for (std::thread &thread : threads)
    thread.join();
  return failure(failedAny);
}

/// Moves each layer's kernel and pack function into a module of its own,
/// nested in `spec`, so that the back stages compile the layers in parallel
/// and each is optimized alone. Leaves `spec` whole (and returns it) when it
/// holds anything else.
static SmallVector<ModuleOp> splitLayers(ModuleOp spec) {
  SmallVector<std::pair<Operation *, Operation *>> layers;
  size_t claimed = 0;
  for (Operation &op : *spec.getBody()) {
    if (!op.hasAttr(layer_attrs::kLayer))
      continue;
    FailureOr<LayerABI> abi = LayerABI::read(&op);
    if (failed(abi))
      return {spec};
    Operation *pack = spec.lookupSymbol(abi->packFunction());
    layers.push_back({&op, pack});
    claimed += pack ? 2 : 1;
  }
  if (layers.size() < 2 || claimed != spec.getBody()->getOperations().size())
    return {spec};
  SmallVector<ModuleOp> modules;
  OpBuilder b = OpBuilder::atBlockEnd(spec.getBody());
  for (auto [kernel, pack] : layers) {
    auto module = ModuleOp::create(b, kernel->getLoc());
    kernel->moveBefore(module.getBody(), module.getBody()->end());
    if (pack)
      pack->moveBefore(module.getBody(), module.getBody()->end());
    modules.push_back(module);
  }
  return modules;
}

/// `module` to emit, with the LLVM passes its kernels' strategies ask for
/// (a pass runs when one kernel of the module asks for it).
static EmitUnit getEmitUnit(ModuleOp module) {
  EmitUnit unit{module, /*defaultPipeline=*/false,
                /*strengthReduction=*/false};
  module.walk([&](func::FuncOp func) {
    FailureOr<LayerABI> layer = func->hasAttr(layer_attrs::kLayer)
                                    ? LayerABI::read(func)
                                    : FailureOr<LayerABI>(failure());
    if (failed(layer))
      return;
    std::optional<RegisterBlock> block;
    if (auto attr = func->getAttrOfType<DictionaryAttr>(kRegisterBlockAttr))
      if (FailureOr<RegisterBlock> read = RegisterBlock::fromAttr(attr);
          succeeded(read))
        block = *read;
    LLVMPasses passes = selectLLVMPasses(*layer, block);
    unit.defaultPipeline |= passes.defaultPipeline;
    unit.strengthReduction |= passes.strengthReduction;
  });
  return unit;
}

/// What the cuda backend uses of the CUDA toolkit: libdevice for the
/// activations that need it, ptxas for cubins. Parts that are not installed
/// stay empty.
struct CUDAToolkit {
  std::string root, libdevice;
  bool ptxas = false;
};

static CUDAToolkit findCUDAToolkit(StringRef cudaPath) {
  SmallString<256> root(cudaPath);
  if (root.empty()) {
    std::optional<std::string> env = llvm::sys::Process::GetEnv("CUDA_PATH");
    root = env ? *env : "/usr/local/cuda";
  }
  CUDAToolkit toolkit;
  if (!llvm::sys::fs::is_directory(root))
    return toolkit;
  toolkit.root = root.str().str();
  SmallString<256> libdevice(root), ptxas(root);
  llvm::sys::path::append(libdevice, "nvvm", "libdevice", "libdevice.10.bc");
  llvm::sys::path::append(ptxas, "bin", "ptxas");
  if (llvm::sys::fs::exists(libdevice))
    toolkit.libdevice = libdevice.str().str();
  toolkit.ptxas = llvm::sys::fs::can_execute(ptxas);
  return toolkit;
}

/// The GPU layers' host functions, described for their metadata, then
/// erased: the runtime launches their kernels.
static FailureOr<SmallVector<GPULayerCode, 0>> takeGPULayers(ModuleOp spec) {
  SmallVector<GPULayerCode, 0> layers;
  for (auto func : llvm::to_vector(spec.getOps<func::FuncOp>())) {
    auto attr = func->getAttrOfType<DictionaryAttr>(kThreadMappingAttr);
    if (!attr)
      continue;
    FailureOr<ThreadMapping> mapping = ThreadMapping::fromAttr(attr);
    FailureOr<LayerABI> layer = LayerABI::read(func);
    if (failed(mapping) || failed(layer))
      return failure();
    GPULayerCode code;
    code.layer = *layer;
    code.layer.onGPU = true;
    code.block = {mapping->threadsX, mapping->threadsY, 1};
    if (auto baked =
            func->getAttrOfType<FlatSymbolRefAttr>(kBakedWeightsAttr)) {
      auto global = spec.lookupSymbol<memref::GlobalOp>(baked.getAttr());
      if (!global)
        return func.emitError() << "no global of the baked weights";
      code.bakedWeights = baked.getValue().str();
      code.bakedWeightsBytes = global.getType().getNumElements() *
                               global.getType().getElementTypeBitWidth() / 8;
    }
    layers.push_back(std::move(code));
    func.erase();
  }
  return layers;
}

/// The cuda backend on the whole spec (its kernels share one GPU module):
/// the kernels' PTX, or the host module (pack functions, metadata with the
/// GPU images) in the LLVM dialect.
static LogicalResult compileForCUDA(ModuleOp spec,
                                    const GPUPipelineOptions &gpu,
                                    EmitKind emit, CompileResult &result) {
  PassManager pm(spec.getContext());
  buildGPUMappingPipeline(pm, gpu);
  buildGPUKernelsToBinaryPipeline(pm, gpu);
  if (failed(pm.run(spec)))
    return failure();
  SmallVector<gpu::BinaryOp> binaries(spec.getOps<gpu::BinaryOp>());
  if (binaries.size() != 1)
    return spec.emitError() << "the spec has no layer to compile";
  gpu::BinaryOp binary = binaries.front();
  if (emit == EmitKind::PTX) {
    for (auto object : binary.getObjectsAttr().getAsRange<gpu::ObjectAttr>())
      if (object.getFormat() == gpu::CompilationTarget::Assembly)
        result.output += object.getObject().getValue();
    return success();
  }
  FailureOr<SmallVector<GPULayerCode, 0>> layers = takeGPULayers(spec);
  FailureOr<std::string> images = addGPUImages(spec, binary.getObjectsAttr());
  if (failed(layers) || failed(images))
    return failure();
  for (GPULayerCode &code : *layers) {
    code.images = *images;
    code.imageCount = binary.getObjectsAttr().size();
    result.layers.push_back(code.layer);
  }
  binary.erase();
  PassManager host(spec.getContext());
  buildCPULoweringToLLVMPipeline(host, CPUPipelineOptions());
  if (failed(host.run(spec)))
    return failure();
  return addGPUEntryPoints(spec, *layers);
}

static OutputKind getOutputKind(EmitKind emit) {
  return emit == EmitKind::LLVMIR     ? OutputKind::LLVMIR
         : emit == EmitKind::Assembly ? OutputKind::Assembly
                                      : OutputKind::Object;
}

/// The header and the emitted code of the units (optimized as `bitcode`).
static LogicalResult emit(ArrayRef<EmitUnit> units,
                          ArrayRef<SmallString<0>> unitCode, UnitCode code,
                          const TargetDescription &target,
                          const CompileOptions &options, StringAttr model,
                          CompileResult &result) {
  for (const EmitUnit &unit : units) {
    FailureOr<SmallVector<LayerABI, 0>> layers = collectLayers(unit.module);
    if (failed(layers))
      return failure();
    llvm::append_range(result.layers, *layers);
  }
  // A model's layer table: dwconv_<model>_layers; a shared library's also
  // dwconv_library_layers.
  std::optional<LayerTable> table;
  bool shared = options.emit == EmitKind::Shared;
  if (model || shared) {
    std::string library = "dwconv_library_layers";
    table = LayerTable{model ? "dwconv_" + model.str() + "_layers" : library,
                       shared ? library : "",
                       {}};
    for (const LayerABI &layer : result.layers)
      table->layers.emplace_back(
          layer.kerasName.empty() ? layer.name : layer.kerasName, layer.name);
  }
  llvm::raw_string_ostream header(result.header);
  writeHeader(header, result.layers, options.headerGuard,
              table ? StringRef(table->symbol) : StringRef());
  llvm::SmallString<0> bytes;
  llvm::raw_svector_ostream os(bytes);
  const LayerTable *tablePtr = table ? &*table : nullptr;
  if (failed(code == UnitCode::Object
                 ? emitObjects(units, unitCode, target, os, tablePtr)
                 : emitBitcode(units, unitCode, target,
                               getOutputKind(options.emit), os, tablePtr)))
    return failure();
  result.output.assign(bytes.begin(), bytes.end());
  return success();
}

std::string mlir::dwconv::getDefaultHeaderPath(EmitKind emit,
                                               StringRef outputPath) {
  bool wantsHeader = emit == EmitKind::Object || emit == EmitKind::Assembly ||
                     emit == EmitKind::LLVMIR || emit == EmitKind::Shared;
  if (!wantsHeader || outputPath == "-")
    return "";
  SmallString<256> path(outputPath);
  llvm::sys::path::replace_extension(path, ".h");
  return path.str().str();
}

std::string mlir::dwconv::getHeaderGuard(StringRef headerPath) {
  // A file name need not be an identifier ("my-model.h").
  return "DWCONV_GENERATED_" +
         sanitizeIdentifier(llvm::sys::path::stem(headerPath)) + "_H";
}

/// The cuda backend after the front stages: PTX, or the object and header.
static FailureOr<CompileResult>
compileCUDABackEnd(ModuleOp spec, const GPUPipelineOptions &gpu,
                   const TargetDescription &target,
                   const CompileOptions &options) {
  CompileResult result;
  if (failed(compileForCUDA(spec, gpu, options.emit, result)))
    return failure();
  if (options.emit == EmitKind::PTX)
    return result;
  EmitUnit unit = {spec, /*defaultPipeline=*/true,
                   /*strengthReduction=*/true};
  SmallVector<SmallString<0>> bitcode(1);
  if (failed(compileUnit(unit, target, UnitCode::Bitcode,
                         /*strengthReduction=*/true, bitcode[0])) ||
      failed(emit(unit, bitcode, UnitCode::Bitcode, target, options,
                  spec->getAttrOfType<StringAttr>(kModelAttr), result)))
    return failure();
  return result;
}

FailureOr<CompileResult> mlir::dwconv::compile(ModuleOp spec,
                                               const CompileOptions &options) {
  // Diagnostics name the layer and the reason; the IR behind them is for
  // compiler developers (dwconv-opt), not for the users of a compiler.
  spec.getContext()->printOpOnDiagnostic(false);
  bool cuda = options.backend == Backend::CUDA;
  if (!cuda && options.emit == EmitKind::PTX)
    return spec.emitError() << "--emit=ptx needs --device=cuda";
  if (cuda && options.emit == EmitKind::PTX && options.gpu.archs.size() > 1)
    return spec.emitError() << "--emit=ptx writes one architecture's PTX; "
                               "give one --gpu-arch";
  FailureOr<TargetDescription> target =
      TargetDescription::resolve(options.target, spec.getLoc());
  if (failed(target) || failed(verify(spec)))
    return failure();
  Pipelines pipelines;
  CPUPipelineOptions &pipeline = pipelines.cpu;
  pipeline.inferShapes = false;
  pipeline.vectorBits = target->vectorBits;
  pipeline.vectorRegisters = target->vectorRegisters;
  pipeline.fma = target->fma;
  pipelines.gpu.inferShapes = false;
  pipelines.gpu.chips = options.gpu.archs;
  CUDAToolkit toolkit = findCUDAToolkit(options.gpu.cudaPath);
  if (cuda && toolkit.root.empty() && !options.gpu.cudaPath.empty())
    spec.emitWarning() << "the CUDA toolkit path '" << options.gpu.cudaPath
                       << "' is not a directory: the object holds PTX only, "
                          "which the driver compiles when it loads it";
  pipelines.gpu.libdevice = toolkit.libdevice;
  pipelines.gpu.cudaPath = toolkit.root;
  // An object gets a cubin per architecture where ptxas is installed.
  pipelines.gpu.cubin = toolkit.ptxas && (options.emit == EmitKind::Object ||
                                          options.emit == EmitKind::Shared);
  pipelines.gpuStrategy = options.backend == Backend::CUDAMappingOnCPU || cuda;
  pipelines.verifyEachPass = options.verifyEachPass;

  CompileResult result;
  for (const Stage &stage : getFrontStages(pipelines)) {
    if (failed(runStage(stage, spec, pipelines.verifyEachPass)))
      return failure();
    if (stage.stopsAt == options.emit) {
      llvm::raw_string_ostream os(result.output);
      spec.print(os);
      return result;
    }
  }
  if (cuda)
    return compileCUDABackEnd(spec, pipelines.gpu, *target, options);
  SmallVector<ModuleOp> layers = splitLayers(spec);
  SmallVector<EmitUnit> units;
  for (ModuleOp module : layers)
    units.push_back(getEmitUnit(module));
  UnitCode code = getUnitCode(*target, getOutputKind(options.emit));
  SmallVector<SmallString<0>> unitCode(units.size());
  if (failed(runBackEnd(units, pipelines, *target, code, unitCode)) ||
      failed(emit(units, unitCode, code, *target, options,
                  spec->getAttrOfType<StringAttr>(kModelAttr), result)))
    return failure();
  return result;
}

LogicalResult mlir::dwconv::writeOutputFile(StringRef path, StringRef contents,
                                            MLIRContext *ctx) {
  std::string error;
  std::unique_ptr<llvm::ToolOutputFile> file = openOutputFile(path, &error);
  if (!file)
    return emitError(getFileLoc(ctx, path)) << error;
  file->os() << contents;
  file->keep();
  return success();
}

/// `path` as a Makefile word.
static std::string escapeMakePath(StringRef path) {
  std::string escaped;
  for (char c : path) {
    if (c == ' ' || c == '#')
      escaped += '\\';
    if (c == '$')
      escaped += '$';
    escaped += c;
  }
  return escaped;
}

LogicalResult mlir::dwconv::writeDepfile(StringRef path,
                                         ArrayRef<std::string> targets,
                                         ArrayRef<std::string> inputs,
                                         MLIRContext *ctx) {
  std::string rule;
  for (const std::string &target : targets)
    if (!target.empty() && target != "-")
      rule += (rule.empty() ? "" : " ") + escapeMakePath(target);
  rule += ":";
  for (const std::string &input : inputs)
    rule += " " + escapeMakePath(input);
  return writeOutputFile(path, rule + "\n", ctx);
}
