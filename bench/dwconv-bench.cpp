//===- dwconv-bench.cpp - dwconv side by side with XNNPACK and oneDNN -----===//
//
// Times the layer set in bench/layers (compiled at build time by
// dwconv-compile) with dwconv and, where CMake found them, XNNPACK and oneDNN,
// at one thread and at all cores, in one Google Benchmark run.
//
// Before anything is timed, every implementation's output on every layer and
// thread count is checked against the double-precision reference of the test
// suite (test/e2e/lib/reference.c): max|got - expected| / max|expected| must
// be <= 1e-5. An implementation that cannot express a layer is n/a; one that
// fails the check is reported and not timed. After the runs, a summary gives
// per layer the GFLOP/s of each (2 x kh x kw x outputs, the same count for
// all), the dwconv/peer ratios and each one's share of this core's FMA peak
// (measured here), then geometric means over MobileNetV2's layers and over
// the whole set.
//
//===----------------------------------------------------------------------===//

#include "Bench.h"
#include "bench_layers.h" // Generated: the layers' headers, the layer list.
#include "lib/reference.h"

#include <benchmark/benchmark.h>

#include <cmath>
#include <cstdio>
#include <cstring>
#include <limits>
#include <map>
#include <random>
#include <thread>

#include <unistd.h>

using namespace dwconv::bench;

namespace {

/// The metadata of every layer of the set, in the order of bench/layers.
std::vector<const dwconv_layer_metadata *> layerSet() {
#define DWCONV_BENCH_LAYER(NAME) &dwconv_##NAME##_metadata,
  return {DWCONV_BENCH_LAYERS(DWCONV_BENCH_LAYER)};
#undef DWCONV_BENCH_LAYER
}

/// Uniform random floats in [-scale, scale), the same for every run.
void fillRandom(AlignedFloats &values, std::mt19937 &generator, float scale) {
  std::uniform_real_distribution<float> distribution(-scale, scale);
  for (int64_t i = 0; i < values.size(); ++i)
    values.data()[i] = distribution(generator);
}

LayerData makeData(const Layer &layer, unsigned seed) {
  std::mt19937 generator(seed);
  LayerData data;
  data.input = AlignedFloats(layer.inputCount());
  data.kernel = AlignedFloats(layer.kernelCount());
  data.bias = AlignedFloats(layer.outChannels());
  fillRandom(data.input, generator, 2.0f);
  fillRandom(data.kernel, generator, 0.5f);
  fillRandom(data.bias, generator, 0.5f);
  return data;
}

/// The test suite's double-precision reference output of the layer.
std::vector<double> referenceOutput(const Layer &l, const LayerData &data) {
  dwconv_ref_layer ref = {};
  ref.batch = l.batch;
  ref.height = l.height;
  ref.width = l.width;
  ref.channels = l.channels;
  ref.kernel_h = l.kernelH;
  ref.kernel_w = l.kernelW;
  ref.multiplier = l.multiplier;
  ref.stride_h = l.strideH;
  ref.stride_w = l.strideW;
  ref.dilation_h = l.dilationH;
  ref.dilation_w = l.dilationW;
  ref.same_padding = l.samePadding;
  ref.channels_first = l.channelsFirst;
  ref.activation = static_cast<int>(l.activation);
  ref.has_bias = l.hasBias;
  std::vector<double> expected(l.outputCount());
  dwconv_ref_compute(&ref, data.input.data(), data.kernel.data(),
                     l.hasBias ? data.bias.data() : nullptr, expected.data());
  return expected;
}

/// max|got - expected| / max|expected|; infinity if any output is not finite.
double relativeError(const float *got, const std::vector<double> &expected) {
  double error = 0, scale = 0;
  for (size_t i = 0; i < expected.size(); ++i) {
    if (!std::isfinite(got[i]))
      return std::numeric_limits<double>::infinity();
    error = std::max(error, std::fabs(got[i] - expected[i]));
    scale = std::max(scale, std::fabs(expected[i]));
  }
  return error / scale;
}

constexpr double Tolerance = 1e-5;

/// Runs `call` on an output full of NaN (so that an element left unwritten
/// fails) and returns its relative error, or a negative value with the
/// reason in `cell.why` if the call fails.
template <typename Call>
double checkedError(Implementation &implementation, Call call,
                    const AlignedFloats &output,
                    const std::vector<double> &expected, Cell &cell) {
  std::fill(output.data(), output.data() + output.size(),
            std::numeric_limits<float>::quiet_NaN());
  implementation.select();
  if (!call()) {
    cell.why = "the run failed: " + implementation.lastError();
    return -1;
  }
  return relativeError(output.data(), expected);
}

/// Checks the implementation's checked call (dwconv's with Keras's kernel)
/// and its timed call against the reference.
void check(Implementation &implementation, const AlignedFloats &output,
           const std::vector<double> &expected, Cell &cell) {
  cell.kind = Cell::Failed;
  double first = checkedError(
      implementation, [&] { return implementation.runForCheck(); }, output,
      expected, cell);
  double second = checkedError(
      implementation, [&] { return implementation.run(); }, output, expected,
      cell);
  if (first < 0 || second < 0)
    return;
  cell.error = std::max(first, second);
  if (!(cell.error <= Tolerance)) {
    char text[96];
    std::snprintf(text, sizeof(text), "relative error %.3g > %g", cell.error,
                  Tolerance);
    cell.why = text;
    return;
  }
  cell.kind = Cell::Checked;
  cell.detail = implementation.detail();
}

/// An implementation set up for one layer and thread count, with the output
/// buffer it writes; alive until the end of the run.
struct Instance {
  std::unique_ptr<Implementation> implementation;
  AlignedFloats output;
};

/// The benchmark body: runs the implementation; the counter gives FLOP/s
/// over wall-clock time (all benchmarks use real time: the work is on other
/// threads too).
void timeRuns(benchmark::State &state, Implementation *implementation,
              double flops) {
  implementation->select();
  for (auto _ : state) {
    if (!implementation->run()) {
      state.SkipWithError(implementation->lastError().c_str());
      break;
    }
  }
  state.counters["FLOP/s"] =
      benchmark::Counter(flops, benchmark::Counter::kIsIterationInvariantRate);
}

/// The implementations of this build, dwconv first.
struct Contender {
  const char *name;
  CreateFn create;
};

std::vector<Contender> contenders() {
  std::vector<Contender> list = {{"dwconv", createDWConv}};
#ifdef DWCONV_BENCH_HAVE_XNNPACK
  list.push_back({"XNNPACK", createXNNPACK});
#endif
#ifdef DWCONV_BENCH_HAVE_ONEDNN
  list.push_back({"oneDNN", createOneDNN});
#endif
  return list;
}

/// What the summary needs of a benchmark when its runs come in.
struct Target {
  Cell *cell;
  double flops;
};

/// Prints what the console reporter prints, and keeps each run's GFLOP/s
/// (from its wall-clock time) in its cell for the summary.
class CollectingReporter final : public benchmark::ConsoleReporter {
public:
  using ConsoleReporter::ConsoleReporter;

  /// Keeps the GFLOP/s of every repetition; a median aggregate (with
  /// --benchmark_repetitions) replaces them, since with
  /// --benchmark_display_aggregates_only it comes alone.
  void ReportRuns(const std::vector<Run> &runs) override {
    ConsoleReporter::ReportRuns(runs);
    for (const Run &run : runs) {
      auto found = targets->find(run.run_name.function_name);
      bool median =
          run.run_type == Run::RT_Aggregate && run.aggregate_name == "median";
      if (run.error_occurred || found == targets->end() ||
          (run.run_type != Run::RT_Iteration && !median))
        continue;
      double seconds = run.GetAdjustedRealTime() /
                       benchmark::GetTimeUnitMultiplier(run.time_unit);
      std::vector<double> &gflops = found->second.cell->gflops;
      if (median)
        gflops.clear();
      gflops.push_back(found->second.flops / seconds * 1e-9);
    }
  }

  const std::map<std::string, Target> *targets = nullptr;
};

/// Everything one run sets up: the layers' data, the checked implementations
/// and their benchmarks.
struct Session {
  Results results;
  std::vector<Contender> list = contenders();
  std::vector<LayerData> data;
  std::vector<Instance> instances;
  std::map<std::string, Target> targets;

  void setUpLayer(size_t index);
  void setUpCell(size_t index, size_t threadIndex, size_t contender,
                 const std::vector<double> &expected);
};

void Session::setUpCell(size_t index, size_t threadIndex, size_t contender,
                        const std::vector<double> &expected) {
  const Layer &layer = results.layers[index];
  int threads = results.threadCounts[threadIndex];
  Cell &cell = results.at(index, threadIndex, contender);
  Instance instance;
  instance.output = AlignedFloats(layer.outputCount(), kOutputPageOffset);
  instance.implementation = list[contender].create(
      layer, data[index], instance.output.data(), threads, cell.why);
  if (!instance.implementation)
    return; // n/a, with the reason.
  check(*instance.implementation, instance.output, expected, cell);
  if (cell.kind != Cell::Checked)
    return;
  std::string name = std::string(layer.name()) + "/" + list[contender].name +
                     "/threads:" + std::to_string(threads);
  Implementation *timed = instance.implementation.get();
  double flops = layer.flops();
  benchmark::RegisterBenchmark(name.c_str(), timeRuns, timed, flops)
      ->UseRealTime()
      ->Unit(benchmark::kMicrosecond);
  targets[name] = {&cell, flops};
  instances.push_back(std::move(instance));
}

/// Checks every implementation on the layer at every thread count, prints
/// the outcome and registers the benchmarks of those that pass.
void Session::setUpLayer(size_t index) {
  const Layer &layer = results.layers[index];
  data.push_back(makeData(layer, 1000 + static_cast<unsigned>(index)));
  std::vector<double> expected = referenceOutput(layer, data[index]);
  std::printf("check %-18s", layer.name());
  for (size_t t = 0; t < results.threadCounts.size(); ++t) {
    std::printf(" | %dT:", results.threadCounts[t]);
    for (size_t i = 0; i < list.size(); ++i) {
      setUpCell(index, t, i, expected);
      const Cell &cell = results.at(index, t, i);
      if (cell.kind == Cell::Checked)
        std::printf(" %s %.1e", list[i].name, cell.error);
      else
        std::printf(" %s %s", list[i].name,
                    cell.kind == Cell::Failed ? "FAILED" : "n/a");
    }
  }
  std::printf("\n");
}

/// The arguments, with --benchmark_min_time defaulting to a short time so
/// that the whole set runs in a few minutes. Null-terminated, as argv is.
std::vector<char *> withDefaultMinTime(int argc, char **argv) {
  static char minTime[] = "--benchmark_min_time=" DWCONV_BENCH_MIN_TIME;
  std::vector<char *> args(argv, argv + argc);
  bool given = false;
  for (int i = 1; i < argc; ++i)
    given |= std::strncmp(argv[i], "--benchmark_min_time", 20) == 0;
  if (!given)
    args.insert(args.begin() + 1, minTime);
  args.push_back(nullptr);
  return args;
}

/// The console reporter's options as Google Benchmark would choose them
/// (which it does not export): tabular, in color when --benchmark_color says
/// so, or by default when stdout is a terminal.
benchmark::ConsoleReporter::OutputOptions consoleOptions(int argc,
                                                         char **argv) {
  std::string color = "auto";
  for (int i = 1; i < argc; ++i)
    if (std::strncmp(argv[i], "--benchmark_color=", 18) == 0)
      color = argv[i] + 18;
  bool useColor = color == "auto" ? isatty(fileno(stdout)) != 0
                                  : color == "true" || color == "yes" ||
                                        color == "1" || color == "always";
  return useColor ? benchmark::ConsoleReporter::OO_ColorTabular
                  : benchmark::ConsoleReporter::OO_Tabular;
}

/// The thread counts: one, and every core the machine has.
std::vector<int> threadCounts() {
  int all = static_cast<int>(std::thread::hardware_concurrency());
  if (all <= 1)
    return {1};
  return {1, all};
}

/// Measures the FMA peak and says what the run compares.
void measurePeakAndPrintSetUp(Results &results) {
  int vectorBits = 0;
  double peak = results.peak = measureFMAPeak(vectorBits);
  std::printf("dwconv-bench: %zu layers; implementations:",
              results.layers.size());
  for (const std::string &name : results.implementations)
    std::printf(" %s", name.c_str());
  std::printf("; threads:");
  for (int threads : results.threadCounts)
    std::printf(" %d", threads);
  std::printf(" (of %u cores)\n", std::thread::hardware_concurrency());
  std::printf("FP32 FMA peak of one core: %.1f GFLOP/s (%d-bit vectors)\n",
              peak, vectorBits);
#ifdef DWCONV_BENCH_HAVE_ONEDNN
  std::printf("%s\n", describeOneDNN().c_str());
#endif
  std::printf("checking every output against the double reference "
              "(relative error <= %g):\n",
              Tolerance);
}

} // namespace

int main(int argc, char **argv) {
  std::vector<char *> args = withDefaultMinTime(argc, argv);
  int count = static_cast<int>(args.size()) - 1;
  benchmark::Initialize(&count, args.data());
  if (benchmark::ReportUnrecognizedArguments(count, args.data()))
    return 1;

  Session session;
  Results &results = session.results;
  for (const dwconv_layer_metadata *metadata : layerSet())
    results.layers.push_back(describeLayer(*metadata));
  results.threadCounts = threadCounts();
  for (const Contender &contender : session.list)
    results.implementations.push_back(contender.name);
  results.cells.resize(results.layers.size() * results.threadCounts.size() *
                       session.list.size());
  measurePeakAndPrintSetUp(results);
  session.data.reserve(results.layers.size());
  for (size_t i = 0; i < results.layers.size(); ++i)
    session.setUpLayer(i);
  std::fflush(stdout);

  CollectingReporter reporter(consoleOptions(argc, argv));
  reporter.targets = &session.targets;
  benchmark::RunSpecifiedBenchmarks(&reporter);
  printSummary(results);
  benchmark::Shutdown();
  return 0;
}
