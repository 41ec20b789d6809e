//===- dwconv-compile.cpp - spec to object file and C header --------------===//

#include "dwconv/Compiler/Compiler.h"
#include "dwconv/Compiler/Diagnostics.h"

#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/WithColor.h"

using namespace mlir;
using namespace mlir::dwconv;
namespace cl = llvm::cl;

/// The options --help lists (the LLVM libraries' own stay hidden there).
static cl::OptionCategory toolOptions("dwconv-compile options");

static cl::opt<std::string>
    specPath(cl::Positional, cl::Required, cl::cat(toolOptions),
             cl::desc("<spec: Keras .json/.keras, or .mlir>"));
static cl::opt<std::string> outputPath("o", cl::cat(toolOptions),
                                       cl::desc("Output file"),
                                       cl::value_desc("file"), cl::init("-"));
static cl::opt<std::string>
    headerPath("header", cl::cat(toolOptions),
               cl::desc("C header to write (default: the output's name with "
                        ".h, for llvm/asm/obj)"),
               cl::value_desc("file"));
static cl::opt<std::string> layerName(
    "name", cl::cat(toolOptions),
    cl::desc("Name the layer's symbols dwconv_<SYMBOL>_*; for a "
             "model, the prefix of its layers' (dwconv_<SYMBOL>_<layer>_*)"),
    cl::value_desc("SYMBOL"));
static cl::opt<std::string> depfilePath(
    "depfile", cl::cat(toolOptions), cl::value_desc("file"),
    cl::desc("Also write a Makefile rule: the outputs depend on the spec"));
static cl::list<std::string> inputShapes(
    "input-shape", cl::cat(toolOptions),
    cl::desc("Input shape, batch first, e.g. 1x112x112x32 or ?x112x112x32 "
             "(dynamic batch); for a model, LAYER=SHAPE gives one depthwise "
             "layer's input (repeatable)"),
    cl::value_desc("[LAYER=]NxHxWxC"));
static cl::opt<bool> listLayersOnly(
    "list-layers", cl::cat(toolOptions),
    cl::desc("Print the spec's depthwise layers (shapes, options, what was "
             "folded into each) and compile nothing"));
static cl::opt<Backend> device(
    "device", cl::cat(toolOptions), cl::desc("Where the layers run"),
    cl::init(Backend::CPU),
    cl::values(clEnumValN(Backend::CPU, "cpu", "the host CPU or --triple"),
               clEnumValN(Backend::CUDA, "cuda", "NVIDIA GPUs"),
               clEnumValN(Backend::CUDAMappingOnCPU, "cuda-mapping-on-cpu",
                          "the CUDA kernels' thread mapping, run in "
                          "sequence on the CPU (to test it)")));
static cl::opt<EmitKind>
    emit("emit", cl::cat(toolOptions), cl::desc("What to write"),
         cl::init(EmitKind::Object),
         cl::values(clEnumValN(EmitKind::MLIR, "mlir",
                               "dwconv ops, shapes inferred"),
                    clEnumValN(EmitKind::Linalg, "linalg", "linalg on tensors"),
                    clEnumValN(EmitKind::LLVMIR, "llvm", "optimized LLVM IR"),
                    clEnumValN(EmitKind::Assembly, "asm", "assembly"),
                    clEnumValN(EmitKind::Object, "obj", "object file"),
                    clEnumValN(EmitKind::Shared, "shared",
                               "shared library: object and runtime"),
                    clEnumValN(EmitKind::PTX, "ptx", "the kernels' PTX")));

/// Errors in the command line itself, which have no source location.
static LogicalResult usageError(const llvm::Twine &message) {
  llvm::WithColor::error(llvm::errs(), "dwconv-compile") << message << "\n";
  return failure();
}

static LogicalResult run(MLIRContext &ctx) {
  SpecOptions spec;
  spec.name = layerName;
  applyKerasCLOptions(spec);
  for (const std::string &text : inputShapes)
    if (llvm::Error error = parseInputShapeOption(text, spec))
      return usageError(llvm::toString(std::move(error)));
  OwningOpRef<ModuleOp> module = loadSpec(&ctx, specPath, spec);
  if (!module)
    return failure();
  if (listLayersOnly)
    return listLayers(*module, llvm::outs());
  CompileOptions options;
  options.emit = emit;
  options.backend = device;
  applyCompileCLOptions(options);
  if ((emit == EmitKind::Object || emit == EmitKind::Shared) &&
      outputPath == "-")
    return usageError("-o: a binary output needs a path");
  std::string header = headerPath.empty()
                           ? getDefaultHeaderPath(emit, outputPath)
                           : std::string(headerPath);
  if (!header.empty())
    options.headerGuard = getHeaderGuard(header);

  FailureOr<CompileResult> result = compile(*module, options);
  if (failed(result) ||
      failed(writeCompileResult(outputPath, *result, emit, &ctx)))
    return failure();
  if (!header.empty() && !result->header.empty() &&
      failed(writeOutputFile(header, result->header, &ctx)))
    return failure();
  return depfilePath.empty() ? success()
                             : writeDepfile(depfilePath, {outputPath, header},
                                            {specPath}, &ctx);
}

int main(int argc, char **argv) {
  llvm::InitLLVM init(argc, argv);
  registerKerasCLOptions(toolOptions);
  registerCompileCLOptions(toolOptions);
  cl::HideUnrelatedOptions(toolOptions);
  cl::ParseCommandLineOptions(
      argc, argv,
      "dwconv-compile: compiles Keras DepthwiseConv2D layers to an object "
      "file and a C header for the dwconv runtime. A spec is a layer config "
      "(JSON), a model (to_json(), a TF.js model.json), a .keras archive or "
      "legacy .h5 model file "
      "(weights baked in), or a .mlir module of layer functions\n");
  DialectRegistry registry;
  registerCompilerDialects(registry);
  MLIRContext ctx(registry);
  llvm::SourceMgr sourceMgr;
  SpecDiagnosticHandler diagnostics(sourceMgr, &ctx);
  return succeeded(run(ctx)) ? 0 : 1;
}
