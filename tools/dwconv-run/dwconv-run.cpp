//===- dwconv-run.cpp - run a spec on .npy data ---------------------------===//
//
// Compiles the spec through the same object path as dwconv-compile, links
// the object into a shared library, loads it and calls the layer through the
// runtime on float32 .npy data.
//
//===----------------------------------------------------------------------===//

#include "LayerRunner.h"
#include "Loader.h"

#include "dwconv/Compiler/Compiler.h"
#include "dwconv/Compiler/Diagnostics.h"

#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/WithColor.h"

#include <chrono>

using namespace mlir;
using namespace mlir::dwconv;
namespace cl = llvm::cl;

/// The options --help lists (the LLVM libraries' own stay hidden there).
static cl::OptionCategory toolOptions("dwconv-run options");

static cl::opt<std::string>
    specPath(cl::Positional, cl::Required, cl::cat(toolOptions),
             cl::desc("<spec: Keras .json/.keras, or .mlir>"));
static cl::opt<std::string> inputPath("input", cl::Required,
                                      cl::cat(toolOptions),
                                      cl::desc("Input .npy (layer layout)"),
                                      cl::value_desc("IN.npy"));
static cl::opt<std::string>
    kernelPath("kernel", cl::cat(toolOptions),
               cl::desc("Kernel .npy (kh, kw, C, M), unless the weights are "
                        "baked in"),
               cl::value_desc("K.npy"));
static cl::opt<std::string> biasPath("bias", cl::cat(toolOptions),
                                     cl::desc("Bias .npy (C*M,)"),
                                     cl::value_desc("B.npy"));
static cl::opt<std::string> outputPath("output", cl::Required,
                                       cl::cat(toolOptions),
                                       cl::desc("Output .npy to write"),
                                       cl::value_desc("OUT.npy"));
static cl::opt<std::string>
    layerName("layer", cl::cat(toolOptions), cl::value_desc("NAME"),
              cl::desc("The layer of a model to run (its Keras name)"));
static cl::opt<std::string>
    inputShape("input-shape", cl::cat(toolOptions),
               cl::desc("Input shape the layer is compiled for (default: "
                        "the spec's, else the input's)"),
               cl::value_desc("NxHxWxC"));

static int fail(const llvm::Twine &message) {
  llvm::WithColor::error(llvm::errs(), "dwconv-run") << message << "\n";
  return 1;
}

static cl::opt<Backend> device(
    "device", cl::cat(toolOptions), cl::desc("Where the layer runs"),
    cl::init(Backend::CPU),
    cl::values(clEnumValN(Backend::CPU, "cpu", "the host CPU"),
               clEnumValN(Backend::CUDA, "cuda",
                          "an NVIDIA GPU (the data is copied in and out)")));

static cl::opt<bool> callerPool(
    "caller-pool", cl::Hidden, cl::cat(toolOptions),
    cl::desc("Run the workers through a pool of the caller's (a thread per "
             "worker), as an application that brings its own pool does"));

static int run(MLIRContext &ctx, int threads) {
  llvm::Expected<LayerArrays> arrays =
      readLayerArrays(inputPath, kernelPath, biasPath);
  if (!arrays)
    return fail(llvm::toString(arrays.takeError()));
  if (arrays->input.shape.size() != 4)
    return fail(arrays->inputName + " has shape " +
                formatShape(arrays->input.shape) + ", expected rank 4");
  SpecOptions spec;
  applyKerasCLOptions(spec);
  if (!inputShape.empty())
    if (llvm::Error error = parseInputShapeOption(inputShape, spec))
      return fail(llvm::toString(std::move(error)));
  spec.defaultInputShape = arrays->input.shape;
  OwningOpRef<ModuleOp> module = loadSpec(&ctx, specPath, spec);
  if (!module || failed(selectLayer(*module, layerName)))
    return 1;
  CompileOptions options;
  options.backend = device;
  FailureOr<CompileResult> compiled = compile(*module, options);
  if (failed(compiled))
    return 1;
  llvm::Expected<std::unique_ptr<LoadedLibrary>> library =
      linkAndLoad(compiled->output);
  if (!library)
    return fail(llvm::toString(library.takeError()));
  std::string symbol = compiled->layers.front().metadataSymbol();
  auto *layer =
      static_cast<const dwconv_layer_metadata *>((*library)->lookup(symbol));
  if (!layer)
    return fail("the generated library lacks " + symbol);
  if (llvm::Error error = checkArrays(*layer, *arrays))
    return fail(llvm::toString(std::move(error)));
  auto start = std::chrono::steady_clock::now();
  llvm::Expected<NpyArray> output = runLayer(
      *layer, *arrays, threads, callerPool,
      device == Backend::CUDA ? DWCONV_DEVICE_CUDA : DWCONV_DEVICE_CPU);
  if (!output)
    return fail(llvm::toString(output.takeError()));
  std::chrono::duration<double, std::milli> time =
      std::chrono::steady_clock::now() - start;
  if (llvm::Error error = writeNpy(outputPath, output->shape, output->data))
    return fail(llvm::toString(std::move(error)));
  llvm::outs() << "layer '" << compiled->layers.front().displayName()
               << "': " << formatShape(arrays->input.shape) << " -> "
               << formatShape(output->shape) << " in "
               << llvm::format("%.3f", time.count()) << " ms\n";
  return 0;
}

int main(int argc, char **argv) {
  llvm::InitLLVM init(argc, argv);
  renameLLVMThreadsOption();
  registerKerasCLOptions(toolOptions);
  static cl::opt<int> threads("threads", cl::cat(toolOptions),
                              cl::desc("Threads the call is split over"),
                              cl::init(1));
  cl::HideUnrelatedOptions(toolOptions);
  cl::ParseCommandLineOptions(
      argc, argv,
      "dwconv-run: compiles a Keras DepthwiseConv2D layer (a layer config, "
      "or one --layer of a model: JSON, TF.js, .keras) and runs it on "
      "float32 .npy data\n");
  DialectRegistry registry;
  registerCompilerDialects(registry);
  MLIRContext ctx(registry);
  llvm::SourceMgr sourceMgr;
  SpecDiagnosticHandler diagnostics(sourceMgr, &ctx);
  return run(ctx, threads);
}
