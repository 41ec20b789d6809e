//===- Bench.h - layers and implementations of dwconv-bench -----*- C++ -*-===//
//
// What the benchmark's translation units share: a layer of the set (described
// by the metadata its generated object exports), the data it runs on, and the
// interface every implementation (dwconv, XNNPACK, oneDNN) offers.
//
//===----------------------------------------------------------------------===//

#ifndef DWCONV_BENCH_BENCH_H
#define DWCONV_BENCH_BENCH_H

#include "dwconv/runtime.h"

#include <cstdint>
#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

namespace dwconv::bench {

/// Floats starting `pageOffset` bytes (a multiple of 64: the runtime ABI's
/// alignment, and a cache line) past a page boundary, so that no
/// implementation is timed on misaligned data and every implementation's
/// buffers sit the same way relative to each other: inputs at a page
/// boundary, outputs at kOutputPageOffset. (Where they sit matters: with
/// 1024 channels neighbouring pixels are 4 KiB apart, and when input and
/// output start at the same offset within a page, the CPU takes every load
/// of a channel block after a store of it for a possible alias.)
class AlignedFloats {
public:
  AlignedFloats() = default;
  explicit AlignedFloats(int64_t count, size_t pageOffset = 0);
  float *data() const { return values; }
  int64_t size() const { return count; }

private:
  struct Free {
    void operator()(char *pointer) const { std::free(pointer); }
  };
  std::unique_ptr<char, Free> storage;
  float *values = nullptr;
  int64_t count = 0;
};

/// Where every output buffer starts within its page: 9 cache lines, no
/// multiple of any pixel of the set (C * 4 bytes), so that an output pixel
/// and an input pixel of the same channels never share their address bits
/// below 4 KiB. (At 2048, one pixel of a 512-channel layer, every input load
/// of a channel block after a store of it waits: mnv1_conv_dw_7 ran at 37
/// GFLOP/s there and 57 here; oneDNN 58 and 58.)
constexpr size_t kOutputPageOffset = 576;

/// A layer of the set in Keras's terms, from its generated metadata. Shapes
/// are static: every layer of the set is compiled for one batch size.
struct Layer {
  const dwconv_layer_metadata *metadata = nullptr;
  int64_t batch = 0, height = 0, width = 0, channels = 0, multiplier = 0;
  int64_t kernelH = 0, kernelW = 0, strideH = 0, strideW = 0;
  int64_t dilationH = 0, dilationW = 0;
  int64_t outHeight = 0, outWidth = 0;
  /// TensorFlow's padding (all zero for 'valid'; the odd pixel after).
  int64_t padTop = 0, padBottom = 0, padLeft = 0, padRight = 0;
  bool samePadding = false, channelsFirst = false, hasBias = false;
  uint32_t activation = DWCONV_ACTIVATION_LINEAR;

  const char *name() const { return metadata->name; }
  int64_t outChannels() const { return channels * multiplier; }
  int64_t inputCount() const { return batch * height * width * channels; }
  int64_t kernelCount() const { return kernelH * kernelW * outChannels(); }
  int64_t outputCount() const {
    return batch * outHeight * outWidth * outChannels();
  }
  /// 2 x kh x kw per output element: the multiply-adds only, the same count
  /// for every implementation.
  double flops() const { return 2.0 * kernelH * kernelW * outputCount(); }
};

/// Reads a layer from the metadata of its generated object.
Layer describeLayer(const dwconv_layer_metadata &metadata);

/// The random data a layer runs on: the input in the layer's data format,
/// Keras's (kh, kw, C, M) kernel and the (C * M) bias.
struct LayerData {
  AlignedFloats input, kernel, bias;
};

/// One implementation of one layer at one thread count, set up once (weights
/// packed, primitives created) and then run many times on the layer's input
/// into the output buffer it was created with.
class Implementation {
public:
  virtual ~Implementation() = default;
  /// Called before this implementation's runs when another one may have run
  /// in between: applies process-wide settings (oneDNN's OpenMP threads).
  virtual void select() {}
  /// Computes the layer into the output buffer; false on failure.
  virtual bool run() = 0;
  /// A run checked against the reference besides run(); by default run()
  /// again. dwconv's gives Keras's kernel instead of the packed weights.
  virtual bool runForCheck() { return run(); }
  /// Why the last run failed, if it says.
  virtual std::string lastError() const { return {}; }
  /// Which kernel the library picked, if it says (oneDNN does).
  virtual std::string detail() const { return {}; }
};

/// Creates an implementation of `layer` on `threads` threads that reads
/// `data` and writes `output` (layer.outputCount() floats). Returns null, with
/// the reason in `why`, when it cannot express the layer.
using CreateFn = std::unique_ptr<Implementation> (*)(const Layer &layer,
                                                     const LayerData &data,
                                                     float *output, int threads,
                                                     std::string &why);

std::unique_ptr<Implementation> createDWConv(const Layer &layer,
                                             const LayerData &data,
                                             float *output, int threads,
                                             std::string &why);
#ifdef DWCONV_BENCH_HAVE_XNNPACK
std::unique_ptr<Implementation> createXNNPACK(const Layer &layer,
                                              const LayerData &data,
                                              float *output, int threads,
                                              std::string &why);
#endif
#ifdef DWCONV_BENCH_HAVE_ONEDNN
std::unique_ptr<Implementation> createOneDNN(const Layer &layer,
                                             const LayerData &data,
                                             float *output, int threads,
                                             std::string &why);
/// oneDNN's version and CPU threading runtime, and how the bench sets its
/// thread count, in words.
std::string describeOneDNN();
#endif

/// What one implementation did on one layer at one thread count.
struct Cell {
  enum Kind { NotApplicable, Failed, Checked };
  Kind kind = NotApplicable;
  /// Why it is n/a or failed.
  std::string why;
  /// max|got - expected| / max|expected| of the checked output.
  double error = 0;
  /// Which kernel the library picked, if it says.
  std::string detail;
  /// GFLOP/s of each timed repetition (empty until timed).
  std::vector<double> gflops;

  bool timed() const { return kind == Checked && !gflops.empty(); }
  /// The median over the repetitions.
  double median() const;
};

/// Every cell of one run: layer x thread count x implementation.
struct Results {
  std::vector<Layer> layers;
  std::vector<int> threadCounts;
  std::vector<std::string> implementations; // dwconv first.
  std::vector<Cell> cells;
  /// This core's FMA peak, GFLOP/s.
  double peak = 0;

  Cell &at(size_t layer, size_t threads, size_t implementation) {
    return cells[(layer * threadCounts.size() + threads) *
                     implementations.size() +
                 implementation];
  }
  const Cell &at(size_t layer, size_t threads, size_t implementation) const {
    return const_cast<Results *>(this)->at(layer, threads, implementation);
  }
};

/// Prints the per-layer tables (one per thread count) and the geometric
/// means (Summary.cpp).
void printSummary(const Results &results);

/// This core's FP32 FMA peak in GFLOP/s, measured by a register-blocked FMA
/// loop (FMAPeak.cpp, compiled for the host CPU). `vectorBits` is the vector
/// width the loop was compiled for.
double measureFMAPeak(int &vectorBits);

} // namespace dwconv::bench

#endif // DWCONV_BENCH_BENCH_H
