//===- dwconv-sweep.cpp - randomized end-to-end check against a reference -===//
//
// Generates random Keras DepthwiseConv2D layers, compiles them through the
// same path as dwconv-compile (Keras config -> object -> shared library), runs
// them through the runtime on random data and compares every output element
// with an independent double-precision reference.
//
// Case i depends only on (seed, i): a failure replays with `--seed S --case i`.
// --integer uses small integers and exact activations, compared exactly.
// --gpu-mapping compiles the CUDA backend's mapped loops for the CPU instead;
// --cuda runs the cases on a GPU.
// Every object it builds is checked to import no allocation function.
// Each case runs at every thread count of --threads (and through a caller's
// pool with --caller-pool); every run's output must be bit-identical to the
// first's.
//
//===----------------------------------------------------------------------===//

#include "LayerRunner.h"
#include "Loader.h"

#include "dwconv/Compiler/Compiler.h"
#include "dwconv/Frontend/Keras/LayerConfig.h"
#include "dwconv/runtime.h"
#include "lib/reference.h"

#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "llvm/Object/ObjectFile.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/raw_ostream.h"

#include <cmath>
#include <cstring>
#include <limits>
#include <random>
#include <thread>

using namespace mlir;
using namespace mlir::dwconv;
namespace cl = llvm::cl;

static cl::opt<unsigned> count("count", cl::desc("Number of cases"),
                               cl::init(300));
static cl::opt<uint64_t> seedOption("seed",
                                    cl::desc("Seed (default: a random one)"));
static cl::opt<int> onlyCase("case", cl::desc("Run only this case index"),
                             cl::init(-1));
static cl::opt<bool> integer("integer",
                             cl::desc("Small-integer data, exact comparison"));
static cl::opt<unsigned>
    chunk("chunk", cl::desc("Layers compiled into one object"), cl::init(100));
static cl::opt<bool> callerPool(
    "caller-pool",
    cl::desc("Also run every case through a caller-supplied thread pool"));
static cl::opt<bool> gpuMapping(
    "gpu-mapping",
    cl::desc("Compile the CUDA backend's mapped loops for the CPU (the GPU "
             "kernels' tiling, bounds and padding, run in sequence)"));
static cl::opt<bool>
    cuda("cuda", cl::desc("Compile for --device=cuda and run every case on "
                          "the GPU (a context of device cuda, host buffers)"));
static cl::opt<std::string>
    ptxDir("ptx-dir", cl::desc("Write each chunk's cuda kernels as PTX into "
                               "this directory instead of running the cases"));
static cl::opt<std::string> gpuArch("gpu-arch", cl::init("sm_80"),
                                    cl::desc("The architecture of --ptx-dir"));
static cl::opt<double>
    tolerance("tolerance",
              cl::desc("Max |got - expected| / max |expected| per case"),
              cl::init(1e-5));

namespace {

struct Case {
  unsigned index;
  KerasLayer layer;
  SmallVector<int64_t, 4> shape; // the input shape it runs on
  bool dynamicBatch;
  /// Height and width given at run time (the tiles then block the width).
  bool dynamicSpatial;
};

/// Activations that are exact on small integers in f32 and in double.
constexpr Activation kExactActivations[] = {
    Activation::linear, Activation::relu, Activation::relu6};

/// The output width of `l` on an input of width `width` (before glu).
int64_t outputWidth(const KerasLayer &l, int64_t width) {
  bool padded = l.padding == Padding::explicit_pads;
  return computeOutputSize(width, l.kernelSize[1], l.strides[1],
                           l.dilationRate[1], l.padding, padded ? l.pads[2] : 0,
                           padded ? l.pads[3] : 0)
      .value_or(0);
}

Case generateCase(uint64_t seed, unsigned index) {
  std::mt19937_64 rng(seed * 0x9E3779B97F4A7C15ull + index);
  auto pick = [&](int64_t lo, int64_t hi) {
    return std::uniform_int_distribution<int64_t>(lo, hi)(rng);
  };
  Case c{index, {}, {}, false, false};
  KerasLayer &l = c.layer;
  l.name = "case_" + std::to_string(index);
  l.kernelSize = {pick(1, 7), pick(1, 7)};
  // Strided, dilated, or both (Keras 3 computes both together).
  int64_t window = pick(0, 2);
  for (int i = 0; i < 2; ++i) {
    l.strides[i] = window != 1 ? pick(1, 3) : 1;
    l.dilationRate[i] = window != 0 ? pick(1, 3) : 1;
  }
  // valid, same, or explicit pads (a folded ZeroPadding2D): up to beyond the
  // dilated kernel, so that whole output rows read only padding.
  l.padding = static_cast<Padding>(pick(0, 2));
  if (l.padding == Padding::explicit_pads)
    for (int i = 0; i < 4; ++i)
      l.pads.push_back(pick(0, 3) == 0 ? pick(0, 9) : pick(0, 2));
  l.dataFormat =
      pick(0, 1) ? DataFormat::channels_first : DataFormat::channels_last;
  l.depthMultiplier = pick(1, 4);
  l.useBias = pick(0, 1);
  // Every activation comes round in turn.
  uint32_t activations = getMaxEnumValForActivation() + 1;
  l.activation = integer
                     ? kExactActivations[index % std::size(kExactActivations)]
                     : static_cast<Activation>(index % activations);
  // Keras's parameters of relu and leaky_relu (ReLU and LeakyReLU layers
  // folded in); in --integer mode halves and small integers stay exact.
  if ((l.activation == Activation::relu ||
       l.activation == Activation::leaky_relu) &&
      pick(0, 1)) {
    ActivationParams p;
    p.negativeSlope = float(pick(0, 4)) / 8.0f;
    if (l.activation == Activation::relu) {
      if (pick(0, 1))
        p.maxValue = integer ? float(pick(1, 6)) : float(pick(1, 24)) / 8.0f;
      p.threshold = integer ? float(pick(0, 2)) : float(pick(0, 2)) / 4.0f;
    }
    l.activationParams = p;
  }
  // 128 and 512: with the multiplier, C * M of 512 (2 KiB), where the packed
  // weights leave a cache line between taps.
  static const int64_t channelChoices[] = {1,  7,  8,  9,   15, 16,
                                           17, 33, 67, 128, 512};
  int64_t channels =
      pick(0, 3) == 0 ? pick(1, 67)
                      : channelChoices[pick(0, std::size(channelChoices) - 1)];
  // sparsemax is O(n^2) in the row: keep rows short.
  if (l.activation == Activation::sparsemax)
    channels = std::min<int64_t>(channels, 33);
  // glu halves the channels of channels_last: make C * M even.
  if (l.activation == Activation::glu &&
      l.dataFormat == DataFormat::channels_last &&
      channels * l.depthMultiplier % 2 != 0)
    ++channels;
  int64_t size[2];
  for (int i = 0; i < 2; ++i) {
    int64_t extent = (l.kernelSize[i] - 1) * l.dilationRate[i] + 1;
    int64_t lo = l.padding == Padding::valid ? extent : 1;
    if (l.padding == Padding::explicit_pads)
      lo = std::max<int64_t>(1, extent - l.pads[2 * i] - l.pads[2 * i + 1]);
    size[i] = pick(lo, lo + 13);
  }
  int64_t batch = pick(1, 3);
  c.dynamicBatch = pick(0, 3) == 0;
  // Activations over the width of channels_first need a static width; glu
  // an even output width.
  bool overWidth =
      l.dataFormat == DataFormat::channels_first &&
      llvm::is_contained({Activation::softmax, Activation::log_softmax,
                          Activation::glu, Activation::sparsemax},
                         l.activation);
  if (overWidth && l.activation == Activation::glu)
    while (outputWidth(l, size[1]) % 2 != 0)
      ++size[1];
  c.dynamicSpatial = pick(0, 5) == 0 && !overWidth;
  if (c.dynamicSpatial && pick(0, 1)) // wide enough for several column blocks
    size[1] = pick(std::max<int64_t>(size[1], 65), 150);
  c.shape = l.dataFormat == DataFormat::channels_first
                ? SmallVector<int64_t, 4>{batch, channels, size[0], size[1]}
                : SmallVector<int64_t, 4>{batch, size[0], size[1], channels};
  return c;
}

std::string describe(const Case &c) {
  const KerasLayer &l = c.layer;
  std::string text;
  llvm::raw_string_ostream os(text);
  os << "input " << c.shape[0] << "x" << c.shape[1] << "x" << c.shape[2] << "x"
     << c.shape[3] << (c.dynamicBatch ? " (dynamic batch)" : "")
     << (c.dynamicSpatial ? " (dynamic height and width)" : "") << ", kernel "
     << l.kernelSize[0] << "x" << l.kernelSize[1] << ", strides ["
     << l.strides[0] << ", " << l.strides[1] << "], dilation ["
     << l.dilationRate[0] << ", " << l.dilationRate[1] << "], "
     << stringifyPadding(l.padding);
  if (!l.pads.empty())
    os << " [" << l.pads[0] << ", " << l.pads[1] << ", " << l.pads[2] << ", "
       << l.pads[3] << "]";
  os << ", " << stringifyDataFormat(l.dataFormat) << ", multiplier "
     << l.depthMultiplier << (l.useBias ? ", bias" : ", no bias") << ", "
     << (l.activationParams
             ? describeActivation(l.activation, *l.activationParams)
             : stringifyActivation(l.activation).str());
  return text;
}

std::vector<float> randomData(std::mt19937_64 &rng, int64_t n) {
  std::vector<float> data(n);
  std::uniform_real_distribution<float> real(-1.0f, 1.0f);
  std::uniform_int_distribution<int> small(-3, 3);
  for (float &x : data)
    x = integer ? static_cast<float>(small(rng)) : real(rng);
  return data;
}

struct Outcome {
  bool ok;
  double error;
  std::string message;
};

/// The reference's description of a case.
dwconv_ref_layer describeForReference(const Case &c) {
  const KerasLayer &l = c.layer;
  bool first = l.dataFormat == DataFormat::channels_first;
  dwconv_ref_layer ref = {};
  ref.batch = c.shape[0];
  ref.channels = first ? c.shape[1] : c.shape[3];
  ref.height = first ? c.shape[2] : c.shape[1];
  ref.width = first ? c.shape[3] : c.shape[2];
  ref.kernel_h = l.kernelSize[0];
  ref.kernel_w = l.kernelSize[1];
  ref.multiplier = l.depthMultiplier;
  ref.stride_h = l.strides[0];
  ref.stride_w = l.strides[1];
  ref.dilation_h = l.dilationRate[0];
  ref.dilation_w = l.dilationRate[1];
  ref.same_padding = l.padding == Padding::same;
  ref.explicit_padding = l.padding == Padding::explicit_pads;
  for (size_t i = 0; i < l.pads.size(); ++i)
    ref.pads[i] = l.pads[i];
  if (l.activationParams) {
    ref.has_params = 1;
    ref.negative_slope = l.activationParams->negativeSlope;
    ref.max_value = l.activationParams->maxValue.value_or(-1.0f);
    ref.threshold = l.activationParams->threshold;
  }
  ref.channels_first = first;
  ref.activation = static_cast<int>(l.activation);
  ref.has_bias = l.useBias;
  return ref;
}

/// Runs `call` through every context into `output` (NaN first, so that an
/// element no tile writes cannot pass); every run must give the first's bits.
std::optional<std::string> runEverywhere(const dwconv_layer_metadata *layer,
                                         dwconv_call call,
                                         ArrayRef<dwconv_context *> contexts,
                                         std::vector<float> &output) {
  std::vector<float> first;
  for (dwconv_context *context : contexts) {
    std::fill(output.begin(), output.end(),
              std::numeric_limits<float>::quiet_NaN());
    call.output = dwconv_buffer_f32(output.data(), 0, nullptr);
    dwconv_status status = dwconv_layer_run(context, layer, &call);
    if (status != DWCONV_OK)
      return std::string("status ") + dwconv_status_string(status) + ": " +
             dwconv_context_last_error(context);
    if (first.empty())
      first = output;
    else if (std::memcmp(first.data(), output.data(),
                         output.size() * sizeof(float)) != 0)
      return "the output with " +
             std::to_string(dwconv_context_threads(context)) +
             " threads differs from the first run's";
  }
  output = first;
  return std::nullopt;
}

/// Where the activation of `c` jumps: hard_shrink at -0.5 and 0.5, relu
/// with a threshold t at t (0 below, t above).
SmallVector<double> getJumps(const Case &c) {
  if (c.layer.activation == Activation::hard_shrink)
    return {-0.5, 0.5};
  if (c.layer.activation == Activation::relu && c.layer.activationParams &&
      c.layer.activationParams->threshold != 0.0f)
    return {c.layer.activationParams->threshold};
  return {};
}

/// The largest error of `output` against `expected`, relative to the largest
/// expected magnitude. An element whose value before the activation
/// (`preActivation`) lies within the tolerance of a jump of the activation
/// is not compared: float32 sums in another order may put it on either side.
Outcome compare(ArrayRef<float> output, ArrayRef<double> expected,
                ArrayRef<double> preActivation, ArrayRef<double> jumps) {
  double maxExpected = 0.0, maxError = 0.0, maxPre = 0.0;
  for (double x : preActivation)
    maxPre = std::max(maxPre, std::fabs(x));
  auto nearJump = [&](size_t i) {
    return llvm::any_of(jumps, [&](double jump) {
      return std::fabs(preActivation[i] - jump) <= tolerance * maxPre;
    });
  };
  size_t worst = 0;
  for (size_t i = 0; i < output.size(); ++i) {
    maxExpected = std::max(maxExpected, std::fabs(expected[i]));
    if (!jumps.empty() && nearJump(i))
      continue;
    double error = std::fabs(output[i] - expected[i]);
    if (!(error <= maxError)) { // NaN counts as the worst
      maxError = std::isnan(error) ? INFINITY : error;
      worst = i;
    }
  }
  double relative = maxExpected > 0 ? maxError / maxExpected : maxError;
  bool ok = integer ? maxError == 0.0 : relative <= tolerance;
  std::string message;
  if (!ok)
    message = "element " + std::to_string(worst) + ": got " +
              std::to_string(output[worst]) + ", expected " +
              std::to_string(expected[worst]);
  return {ok, relative, message};
}

Outcome runCase(const Case &c, const void *metadata,
                ArrayRef<dwconv_context *> contexts, uint64_t seed) {
  dwconv_ref_layer ref = describeForReference(c);
  int64_t oh, ow;
  dwconv_ref_output_size(&ref, &oh, &ow);
  int64_t outputs = ref.batch * oh * ow * ref.channels * ref.multiplier;
  std::mt19937_64 rng(seed ^ (0xD1B54A32D192ED03ull * (c.index + 1)));
  std::vector<float> input =
      randomData(rng, ref.batch * ref.height * ref.width * ref.channels);
  std::vector<float> kernel = randomData(
      rng, ref.kernel_h * ref.kernel_w * ref.channels * ref.multiplier);
  std::vector<float> bias = randomData(rng, ref.channels * ref.multiplier);
  std::vector<double> expected(outputs);
  dwconv_ref_compute(&ref, input.data(), kernel.data(), bias.data(),
                     expected.data());
  // glu's output is the first half (its last axis halved).
  if (c.layer.activation == Activation::glu)
    expected.resize(outputs /= 2);
  // In --integer mode sums are exact: a value at a jump must come out as
  // Keras has it.
  SmallVector<double> jumps = integer ? SmallVector<double>() : getJumps(c);
  std::vector<double> preActivation;
  if (!jumps.empty()) {
    dwconv_ref_layer linear = ref;
    linear.activation = static_cast<int>(Activation::linear);
    linear.has_params = 0;
    preActivation.resize(outputs);
    dwconv_ref_compute(&linear, input.data(), kernel.data(), bias.data(),
                       preActivation.data());
  }

  dwconv_call call = dwconv_call_empty();
  int64_t kernelDims[4] = {ref.kernel_h, ref.kernel_w, ref.channels,
                           ref.multiplier};
  int64_t biasDims[1] = {ref.channels * ref.multiplier};
  call.input = dwconv_buffer_f32(input.data(), 4, c.shape.data());
  call.depthwise_kernel = dwconv_buffer_f32(kernel.data(), 4, kernelDims);
  if (c.layer.useBias)
    call.bias = dwconv_buffer_f32(bias.data(), 1, biasDims);
  std::vector<float> output(outputs);
  if (std::optional<std::string> problem =
          runEverywhere(static_cast<const dwconv_layer_metadata *>(metadata),
                        call, contexts, output))
    return {false, 0.0, *problem};
  return compare(output, expected, preActivation, jumps);
}

/// The allocation function an object imports, if any: generated code must
/// take all its memory from the caller.
std::optional<std::string> findAllocationImport(StringRef object) {
  auto file = llvm::object::ObjectFile::createObjectFile(
      llvm::MemoryBufferRef(object, "layers.o"));
  if (!file) {
    llvm::consumeError(file.takeError());
    return std::string("(an unreadable object)");
  }
  for (const llvm::object::SymbolRef &symbol : (*file)->symbols()) {
    llvm::Expected<uint32_t> flags = symbol.getFlags();
    llvm::Expected<StringRef> name = symbol.getName();
    if (!flags || !name) {
      llvm::consumeError(flags.takeError());
      llvm::consumeError(name.takeError());
      continue;
    }
    bool allocates = llvm::is_contained({"malloc", "calloc", "realloc", "free",
                                         "aligned_alloc", "posix_memalign"},
                                        *name);
    if ((*flags & llvm::object::SymbolRef::SF_Undefined) && allocates)
      return name->str();
  }
  return std::nullopt;
}

/// One context per --threads count, then one with the caller's pool.
SmallVector<dwconv_context *> createContexts(ArrayRef<int> threadCounts) {
  SmallVector<int> counts(threadCounts.begin(), threadCounts.end());
  if (counts.empty() || cuda)
    counts.assign(1, 1);
  SmallVector<dwconv_context *> contexts;
  for (size_t i = 0; i < counts.size() + (callerPool && !cuda ? 1 : 0); ++i) {
    dwconv_context_options options = {};
    bool pool = i == counts.size();
    options.threads = pool ? *llvm::max_element(counts) : counts[i];
    if (pool)
      options.parallel_for = threadPerItemParallelFor;
    if (cuda)
      options.device = DWCONV_DEVICE_CUDA;
    dwconv_context *context = nullptr;
    if (dwconv_context_create(&options, &context) != DWCONV_OK) {
      llvm::errs() << dwconv_context_last_error(nullptr) << "\n";
      return {};
    }
    contexts.push_back(context);
  }
  return contexts;
}

/// The layer functions of `cases`, or null, saying why.
OwningOpRef<ModuleOp> buildCases(MLIRContext &ctx, ArrayRef<Case> cases) {
  Location loc = NameLoc::get(StringAttr::get(&ctx, "sweep"));
  OwningOpRef<ModuleOp> module = ModuleOp::create(loc);
  for (const Case &c : cases) {
    SmallVector<int64_t, 4> shape = c.shape;
    if (c.dynamicBatch)
      shape[0] = ShapedType::kDynamic;
    if (c.dynamicSpatial) {
      TensorLayout layout = TensorLayout::get(c.layer.dataFormat);
      shape[layout.height] = shape[layout.width] = ShapedType::kDynamic;
    }
    if (failed(buildLayerFunction(*module, c.layer, shape, loc))) {
      llvm::errs() << "case " << c.index << ": the frontend refused "
                   << describe(c) << "\n";
      return nullptr;
    }
  }
  return module;
}

std::string describeRange(ArrayRef<Case> cases) {
  return std::to_string(cases.front().index) + "-" +
         std::to_string(cases.back().index);
}

/// Compiles `cases` for cuda into `ptxDir`/cases-<range>.ptx.
bool writeCasesPTX(MLIRContext &ctx, ArrayRef<Case> cases) {
  OwningOpRef<ModuleOp> module = buildCases(ctx, cases);
  CompileOptions options;
  options.backend = Backend::CUDA;
  options.emit = EmitKind::PTX;
  options.gpu.archs = {gpuArch};
  FailureOr<CompileResult> result = failure();
  if (module)
    result = compile(*module, options);
  SmallString<256> path(ptxDir);
  llvm::sys::path::append(path, "cases-" + describeRange(cases) + ".ptx");
  std::error_code error;
  llvm::raw_fd_ostream os(path, error);
  if (failed(result) || error) {
    llvm::errs() << "cases " << describeRange(cases) << ": "
                 << (error ? error.message() : "compilation failed") << "\n";
    return false;
  }
  os << result->output;
  return true;
}

/// Compiles `cases` into one object (checked to import no allocation
/// function) and loads it; null, saying why, if that fails.
std::unique_ptr<LoadedLibrary> compileCases(MLIRContext &ctx,
                                            ArrayRef<Case> cases) {
  std::string range = describeRange(cases);
  OwningOpRef<ModuleOp> module = buildCases(ctx, cases);
  if (!module)
    return nullptr;
  CompileOptions options;
  // The sweep's layers are where a pass that breaks the IR shows first.
  options.verifyEachPass = true;
  if (gpuMapping)
    options.backend = Backend::CUDAMappingOnCPU;
  if (cuda)
    options.backend = Backend::CUDA;
  FailureOr<CompileResult> result = compile(*module, options);
  if (failed(result)) {
    llvm::errs() << "compilation of cases " << range << " failed\n";
    if (cases.size() == 1)
      llvm::errs() << "  case " << cases.front().index << ": "
                   << describe(cases.front()) << "\n";
    return nullptr;
  }
  if (std::optional<std::string> import =
          findAllocationImport(result->output)) {
    llvm::errs() << "the object of cases " << range << " imports " << *import
                 << "\n";
    return nullptr;
  }
  llvm::Expected<std::unique_ptr<LoadedLibrary>> library =
      linkAndLoad(result->output);
  if (!library) {
    llvm::errs() << llvm::toString(library.takeError()) << "\n";
    return nullptr;
  }
  return std::move(*library);
}

/// The counts and the worst case of a sweep.
struct Tally {
  unsigned failures = 0, run = 0;
  double worstError = 0.0;
  int worstCase = -1;

  void record(const Case &c, const Outcome &outcome, uint64_t seed) {
    ++run;
    if (outcome.error >= worstError) {
      worstError = outcome.error;
      worstCase = c.index;
    }
    if (outcome.ok)
      return;
    ++failures;
    llvm::outs() << "FAIL case " << c.index << ": " << describe(c) << ": "
                 << outcome.message << " (relative error " << outcome.error
                 << ")\n  replay: dwconv-sweep --seed " << seed << " --case "
                 << c.index << (integer ? " --integer" : "")
                 << (gpuMapping ? " --gpu-mapping" : "")
                 << (cuda ? " --cuda" : "") << "\n";
  }
};

} // namespace

int main(int argc, char **argv) {
  llvm::InitLLVM init(argc, argv);
  renameLLVMThreadsOption();
  static cl::list<int> threadCounts(
      "threads",
      cl::desc("Thread counts to run every case at (default 1); outputs must "
               "be bit-identical to the first count's"),
      cl::CommaSeparated);
  cl::ParseCommandLineOptions(argc, argv, "dwconv randomized sweep\n");
  uint64_t seed =
      seedOption.getNumOccurrences()
          ? seedOption.getValue()
          : (uint64_t(std::random_device()()) << 32) | std::random_device()();
  const char *mode = integer ? "integer" : "real";
  llvm::outs() << "sweep (" << mode << "): seed " << seed
               << "; replay with --seed " << seed
               << (integer ? " --integer" : "")
               << (gpuMapping ? " --gpu-mapping" : "")
               << (cuda ? " --cuda" : "") << "\n";
  llvm::outs().flush();

  DialectRegistry registry;
  registerCompilerDialects(registry);
  MLIRContext ctx(registry);
  llvm::SourceMgr sourceMgr;
  SourceMgrDiagnosticHandler diagnostics(sourceMgr, &ctx);
  SmallVector<dwconv_context *> contexts = createContexts(threadCounts);
  if (contexts.empty())
    return 1;
  std::vector<Case> cases;
  for (unsigned i = 0; i < count; ++i)
    if (onlyCase < 0 || onlyCase == static_cast<int>(i))
      cases.push_back(generateCase(seed, i));

  size_t dynamicBatch =
      llvm::count_if(cases, [](const Case &c) { return c.dynamicBatch; });
  size_t dynamicSpatial =
      llvm::count_if(cases, [](const Case &c) { return c.dynamicSpatial; });
  llvm::outs() << "sweep (" << mode << "): " << cases.size()
               << " cases: " << dynamicBatch << " with a dynamic batch, "
               << dynamicSpatial << " with dynamic height and width\n";
  Tally tally;
  // Each chunk's library stays loaded (and its file in place) until the end:
  // a file removed after dlclose can give its inode to the next chunk's, and
  // the loader takes a library with the inode of one still mapped for it.
  std::vector<std::unique_ptr<LoadedLibrary>> libraries;
  for (size_t begin = 0; begin < cases.size(); begin += chunk) {
    ArrayRef<Case> some = ArrayRef<Case>(cases).slice(
        begin, std::min<size_t>(chunk, cases.size() - begin));
    if (!ptxDir.empty()) {
      if (!writeCasesPTX(ctx, some))
        return 1;
      tally.run += some.size();
      continue;
    }
    std::unique_ptr<LoadedLibrary> &library =
        libraries.emplace_back(compileCases(ctx, some));
    if (!library)
      return 1;
    for (const Case &c : some) {
      void *metadata = library->lookup("dwconv_" + c.layer.name + "_metadata");
      tally.record(c,
                   metadata ? runCase(c, metadata, contexts, seed)
                            : Outcome{false, 0.0, "metadata not found"},
                   seed);
    }
  }
  for (dwconv_context *context : contexts)
    dwconv_context_destroy(context);
  if (!ptxDir.empty()) {
    llvm::outs() << "sweep (" << mode << "): " << tally.run
                 << " cases compiled to " << gpuArch << " PTX\n";
    return 0;
  }
  llvm::outs() << "sweep (" << mode << "): " << tally.run
               << " cases, max relative error " << tally.worstError;
  if (tally.worstCase >= 0)
    llvm::outs() << " (case " << tally.worstCase << ")";
  llvm::outs() << "\n"
               << (tally.run - tally.failures) << " passed, " << tally.failures
               << " failed\n";
  return tally.failures || tally.run == 0 ? 1 : 0;
}
