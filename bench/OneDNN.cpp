//===- OneDNN.cpp - the layer set through oneDNN's convolution primitive --===//
//
// A depthwise layer is oneDNN's grouped direct convolution: groups = C, M
// output and one input channel per group, forward inference, in the layer's
// data format (nhwc or nchw); the bias is the primitive's, the activation an
// eltwise post-op (relu6 is clip(0, 6), swish/silu is swish with alpha 1).
// The weights are reordered once from Keras's (kh, kw, C, M), which is
// oneDNN's `hwigo` layout, into the layout the primitive asks for.
//
// Threads: the library says which CPU threading runtime it was built with
// (dnnl_version()->cpu_runtime). Debian's is OpenMP: the bench sets OpenMP's
// thread count (omp_set_num_threads) before creating a primitive and before
// its runs. With another runtime the bench cannot set it, and only the
// all-cores column is measured.
//
//===----------------------------------------------------------------------===//

#include "Bench.h"

#include <oneapi/dnnl/dnnl.hpp>
#ifdef DWCONV_BENCH_ONEDNN_OPENMP
#include <omp.h>
#endif

#include <thread>
#include <unordered_map>

using namespace dwconv::bench;
using dnnl::algorithm;
using tag = dnnl::memory::format_tag;

namespace {

/// Sets the number of threads oneDNN's primitives run on; false if this
/// build cannot.
bool setOneDNNThreads(int threads) {
#ifdef DWCONV_BENCH_ONEDNN_OPENMP
  if (dnnl_version()->cpu_runtime != DNNL_RUNTIME_OMP)
    return false;
  omp_set_num_threads(threads);
  return true;
#else
  (void)threads;
  return false;
#endif
}

dnnl::engine &cpuEngine() {
  static dnnl::engine engine(dnnl::engine::kind::cpu, 0);
  return engine;
}

/// The eltwise post-op that computes a Keras activation; false if there is
/// none. Linear needs no post-op.
bool appendActivation(uint32_t activation, dnnl::post_ops &ops) {
  switch (activation) {
  case DWCONV_ACTIVATION_LINEAR:
    return true;
  case DWCONV_ACTIVATION_RELU:
    ops.append_eltwise(1.0f, algorithm::eltwise_relu, 0.0f, 0.0f);
    return true;
  case DWCONV_ACTIVATION_RELU6:
    ops.append_eltwise(1.0f, algorithm::eltwise_clip, 0.0f, 6.0f);
    return true;
  case DWCONV_ACTIVATION_SILU: // Keras's swish.
    ops.append_eltwise(1.0f, algorithm::eltwise_swish, 1.0f, 0.0f);
    return true;
  case DWCONV_ACTIVATION_SIGMOID:
    ops.append_eltwise(1.0f, algorithm::eltwise_logistic, 0.0f, 0.0f);
    return true;
  case DWCONV_ACTIVATION_TANH:
    ops.append_eltwise(1.0f, algorithm::eltwise_tanh, 0.0f, 0.0f);
    return true;
  default:
    return false;
  }
}

class OneDNNConvolution final : public Implementation {
public:
  OneDNNConvolution(const Layer &layer, const LayerData &data, float *output,
                    const dnnl::primitive_attr &attr, int threads);

  void select() override { setOneDNNThreads(threads); }
  bool run() override {
    try {
      primitive.execute(stream, args);
      stream.wait();
      return true;
    } catch (const dnnl::error &failure) {
      error = failure.what();
      return false;
    }
  }
  std::string lastError() const override { return error; }
  std::string detail() const override { return implementation; }

private:
  int threads;
  dnnl::stream stream;
  dnnl::convolution_forward primitive;
  dnnl::memory weights; // In the primitive's layout.
  std::unordered_map<int, dnnl::memory> args;
  std::string implementation;
  std::string error;
};

OneDNNConvolution::OneDNNConvolution(const Layer &l, const LayerData &data,
                                     float *output,
                                     const dnnl::primitive_attr &attr,
                                     int threads)
    : threads(threads), stream(cpuEngine()) {
  using dims = dnnl::memory::dims;
  const auto f32 = dnnl::memory::data_type::f32;
  tag format = l.channelsFirst ? tag::nchw : tag::nhwc;
  dnnl::memory::desc src({l.batch, l.channels, l.height, l.width}, f32, format);
  dnnl::memory::desc dst({l.batch, l.outChannels(), l.outHeight, l.outWidth},
                         f32, format);
  dims weightDims = {l.channels, l.multiplier, 1, l.kernelH, l.kernelW};
  dnnl::memory::desc anyWeights(weightDims, f32, tag::any);
  dnnl::memory::desc bias;
  if (l.hasBias)
    bias = dnnl::memory::desc({l.outChannels()}, f32, tag::a);
  // oneDNN counts dilation from 0 (no dilation), Keras from 1.
  dnnl::convolution_forward::desc desc(
      dnnl::prop_kind::forward_inference, algorithm::convolution_direct, src,
      anyWeights, bias, dst, {l.strideH, l.strideW},
      {l.dilationH - 1, l.dilationW - 1}, {l.padTop, l.padLeft},
      {l.padBottom, l.padRight});
  dnnl::convolution_forward::primitive_desc pd(desc, attr, cpuEngine());
  implementation = pd.impl_info_str();
  primitive = dnnl::convolution_forward(pd);

  // Keras's (kh, kw, C, M) is (G, O, I, KH, KW) = (C, M, 1, kh, kw) in
  // oneDNN's `hwigo` order.
  dnnl::memory keras({weightDims, f32, tag::hwigo}, cpuEngine(),
                     data.kernel.data());
  weights = dnnl::memory(pd.weights_desc(), cpuEngine());
  dnnl::reorder(keras, weights).execute(stream, keras, weights);
  stream.wait();

  args[DNNL_ARG_SRC] = dnnl::memory(src, cpuEngine(), data.input.data());
  args[DNNL_ARG_WEIGHTS] = weights;
  if (l.hasBias)
    args[DNNL_ARG_BIAS] = dnnl::memory(bias, cpuEngine(), data.bias.data());
  args[DNNL_ARG_DST] = dnnl::memory(dst, cpuEngine(), output);
}

} // namespace

std::unique_ptr<Implementation>
dwconv::bench::createOneDNN(const Layer &layer, const LayerData &data,
                            float *output, int threads, std::string &why) {
  dnnl::post_ops ops;
  if (!appendActivation(layer.activation, ops)) {
    why = std::string("no eltwise post-op for activation ") +
          dwconv_activation_name(layer.activation);
    return nullptr;
  }
  // Without a way to set its threads, oneDNN runs on all of them.
  if (!setOneDNNThreads(threads) &&
      threads != static_cast<int>(std::thread::hardware_concurrency())) {
    why = "oneDNN's thread count cannot be set in this build";
    return nullptr;
  }
  dnnl::primitive_attr attr;
  attr.set_post_ops(ops);
  try {
    return std::make_unique<OneDNNConvolution>(layer, data, output, attr,
                                               threads);
  } catch (const dnnl::error &error) {
    why = std::string("oneDNN: ") + error.what();
    return nullptr;
  }
}

std::string dwconv::bench::describeOneDNN() {
  const dnnl_version_t *version = dnnl_version();
  std::string runtime;
  switch (version->cpu_runtime) {
  case DNNL_RUNTIME_SEQ:
    runtime = "sequential";
    break;
  case DNNL_RUNTIME_OMP:
    runtime = "OpenMP";
    break;
  case DNNL_RUNTIME_TBB:
    runtime = "TBB";
    break;
  default:
    runtime = "runtime " + std::to_string(version->cpu_runtime);
  }
  std::string text = "oneDNN " + std::to_string(version->major) + "." +
                     std::to_string(version->minor) + "." +
                     std::to_string(version->patch) + ", CPU runtime " +
                     runtime + "; threads set with ";
  text +=
      setOneDNNThreads(static_cast<int>(std::thread::hardware_concurrency()))
          ? "omp_set_num_threads"
          : "nothing (this build cannot limit them)";
  return text;
}
