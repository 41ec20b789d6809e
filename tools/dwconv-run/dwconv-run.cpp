//===- dwconv-run.cpp - run a spec on .npy data ---------------------------===//
//
// Compiles the spec through the same object path as dwconv-compile, links
// the object into a shared library, loads it and calls the layer through the
// runtime on float32 .npy data.
//
//===----------------------------------------------------------------------===//

#include "dwconv/Compiler/Compiler.h"
#include "dwconv/Compiler/Loader.h"
#include "dwconv/Support/Npy.h"
#include "dwconv/runtime.h"

#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/WithColor.h"

using namespace mlir;
using namespace mlir::dwconv;
namespace cl = llvm::cl;

static cl::opt<std::string> specPath(cl::Positional, cl::Required,
                                     cl::desc("<spec: .mlir or Keras .json>"));
static cl::opt<std::string> inputPath("input", cl::Required,
                                      cl::desc("Input .npy (layer layout)"),
                                      cl::value_desc("IN.npy"));
static cl::opt<std::string> kernelPath("kernel", cl::Required,
                                       cl::desc("Kernel .npy (kh, kw, C, M)"),
                                       cl::value_desc("K.npy"));
static cl::opt<std::string> biasPath("bias", cl::desc("Bias .npy (C*M,)"),
                                     cl::value_desc("B.npy"));
static cl::opt<std::string> outputPath("output", cl::Required,
                                       cl::desc("Output .npy to write"),
                                       cl::value_desc("OUT.npy"));
static cl::opt<std::string>
    inputShape("input-shape",
               cl::desc("Input shape the layer is compiled for (default: "
                        "the spec's, else the input's)"),
               cl::value_desc("NxHxWxC"));

namespace {

int fail(const llvm::Twine &message) {
  llvm::WithColor::error(llvm::errs(), "dwconv-run") << message << "\n";
  return 1;
}

/// Whether `given` fits `expected` (-1 matches anything).
bool fits(ArrayRef<int64_t> given, ArrayRef<int64_t> expected) {
  return given.size() == expected.size() &&
         llvm::all_of(llvm::zip(given, expected), [](auto pair) {
           auto [g, e] = pair;
           return e < 0 || g == e;
         });
}

int run() {
  llvm::Expected<NpyArray> input = readNpy(inputPath);
  if (!input)
    return fail(llvm::toString(input.takeError()));
  llvm::Expected<NpyArray> kernel = readNpy(kernelPath);
  if (!kernel)
    return fail(llvm::toString(kernel.takeError()));
  std::optional<NpyArray> bias;
  if (!biasPath.empty()) {
    llvm::Expected<NpyArray> read = readNpy(biasPath);
    if (!read)
      return fail(llvm::toString(read.takeError()));
    bias = std::move(*read);
  }
  if (input->shape.size() != 4)
    return fail("--input " + inputPath + " has shape " +
                formatShape(input->shape) + ", expected rank 4");

  DialectRegistry registry;
  registerCompilerDialects(registry);
  MLIRContext ctx(registry);
  llvm::SourceMgr sourceMgr;
  SourceMgrDiagnosticHandler diagnostics(sourceMgr, &ctx);
  SpecOptions spec;
  if (!inputShape.empty())
    if (llvm::Error error = parseInputShapeOption(inputShape, spec))
      return fail(llvm::toString(std::move(error)));
  spec.defaultInputShape = input->shape;
  OwningOpRef<ModuleOp> module = loadSpec(&ctx, specPath, spec);
  if (!module)
    return 1;
  FailureOr<CompileResult> compiled = compile(*module, CompileOptions());
  if (failed(compiled))
    return 1;
  if (compiled->layers.size() != 1)
    return fail("dwconv-run runs one layer; the spec has " +
                llvm::Twine(compiled->layers.size()));
  const LayerABI &abi = compiled->layers.front();

  llvm::Expected<std::unique_ptr<LoadedLibrary>> library =
      linkAndLoad(compiled->output);
  if (!library)
    return fail(llvm::toString(library.takeError()));
  void *entry = (*library)->lookup(abi.entrySymbol());
  auto *layer = static_cast<const dwconv_layer_metadata *>(
      (*library)->lookup(abi.metadataSymbol()));
  if (!entry || !layer)
    return fail("the generated library lacks " + abi.entrySymbol());

  std::string name = "layer '" + abi.name + "'";
  if (!fits(input->shape, layer->input_shape))
    return fail("--input " + inputPath + " has shape " +
                formatShape(input->shape) + " but " + name + " takes " +
                formatShape(layer->input_shape));
  if (!fits(kernel->shape, layer->kernel_shape))
    return fail("--kernel " + kernelPath + " has shape " +
                formatShape(kernel->shape) + " but " + name +
                " takes (kh, kw, C, M) = " + formatShape(layer->kernel_shape));
  int64_t biasSize = layer->kernel_shape[2] * layer->kernel_shape[3];
  if (layer->has_bias && !bias)
    return fail(name +
                " has a bias (use_bias): give it with --bias B.npy of "
                "shape " +
                formatShape({biasSize}));
  if (!layer->has_bias && bias)
    return fail("--bias " + biasPath + " was given but " + name +
                " has no bias (use_bias is false)");
  if (bias && !fits(bias->shape, {biasSize}))
    return fail("--bias " + biasPath + " has shape " +
                formatShape(bias->shape) + " but " + name + " takes " +
                formatShape({biasSize}));

  int64_t outputDims[4];
  if (dwconv_layer_output_shape(layer, input->shape.data(), outputDims) !=
      DWCONV_OK)
    return fail(dwconv_context_last_error(nullptr));
  std::vector<float> output(outputDims[0] * outputDims[1] * outputDims[2] *
                            outputDims[3]);
  dwconv_context *context = nullptr;
  if (dwconv_context_create(nullptr, &context) != DWCONV_OK)
    return fail(dwconv_context_last_error(nullptr));
  dwconv_status status = dwconv_call_entry(
      reinterpret_cast<dwconv_entry_fn>(entry), layer, context,
      input->data.data(), kernel->data.data(),
      bias ? bias->data.data() : nullptr, output.data(), input->shape.data());
  std::string message = dwconv_context_last_error(context);
  dwconv_context_destroy(context);
  if (status != DWCONV_OK)
    return fail(
        std::string(dwconv_status_string(static_cast<dwconv_status>(status))) +
        ": " + message);
  if (llvm::Error error = writeNpy(outputPath, outputDims, output))
    return fail(llvm::toString(std::move(error)));
  return 0;
}

} // namespace

int main(int argc, char **argv) {
  llvm::InitLLVM init(argc, argv);
  cl::ParseCommandLineOptions(
      argc, argv,
      "dwconv-run: compiles a Keras DepthwiseConv2D spec and runs it on "
      "float32 .npy data\n");
  return run();
}
