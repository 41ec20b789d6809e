//===- XNNPACK.cpp - the layer set through XNNPACK's operator API ---------===//
//
// A depthwise layer is XNNPACK's 2-D convolution operator in depthwise mode
// (XNN_FLAG_DEPTHWISE_CONVOLUTION): groups = C, one input and M output
// channels per group. channels_last layers use the NHWC operator with
// TensorFlow's SAME padding flag or no padding; channels_first layers use the
// NCHW operator, which takes explicit padding and only the kernels XNNPACK
// has CHW depthwise micro-kernels for (it refuses the rest: n/a). The
// activation must be a clamp of the output (linear, relu, relu6); others are
// n/a. The operator is created (weights packed) and set up once per layer and
// thread count; a timed run is xnn_run_operator on a pthreadpool of `threads`
// threads.
//
//===----------------------------------------------------------------------===//

#include "Bench.h"

#include <pthreadpool.h>
#include <xnnpack.h>

#include <cstring>
#include <limits>
#include <map>

using namespace dwconv::bench;

namespace {

struct PoolDeleter {
  void operator()(pthreadpool_t pool) const { pthreadpool_destroy(pool); }
};

/// One pthreadpool per thread count, shared by every layer.
pthreadpool_t poolFor(int threads) {
  static std::map<int, std::unique_ptr<pthreadpool, PoolDeleter>> pools;
  auto &pool = pools[threads];
  if (!pool)
    pool.reset(pthreadpool_create(threads));
  return pool.get();
}

/// The output clamp that computes a Keras activation, if there is one.
bool clampFor(uint32_t activation, float &min, float &max) {
  const float infinity = std::numeric_limits<float>::infinity();
  switch (activation) {
  case DWCONV_ACTIVATION_LINEAR:
    min = -infinity, max = infinity;
    return true;
  case DWCONV_ACTIVATION_RELU:
    min = 0, max = infinity;
    return true;
  case DWCONV_ACTIVATION_RELU6:
    min = 0, max = 6;
    return true;
  default:
    return false;
  }
}

/// The kernel as XNNPACK's depthwise mode reads it: (kh, kw, C * M), output
/// channel c * M + m from input channel c (xnnpack.h documents this layout for
/// xnn_define_depthwise_convolution_2d, which creates this operator). That
/// is Keras's (kh, kw, C, M) flattened: a copy, kept as a step so that the
/// reference check vouches for it.
AlignedFloats depthwiseKernel(const Layer &layer, const LayerData &data) {
  AlignedFloats kernel(layer.kernelCount());
  std::memcpy(kernel.data(), data.kernel.data(),
              layer.kernelCount() * sizeof(float));
  return kernel;
}

class XNNPACKConvolution final : public Implementation {
public:
  XNNPACKConvolution(xnn_operator_t op, pthreadpool_t pool)
      : op(op), pool(pool) {}
  ~XNNPACKConvolution() override { xnn_delete_operator(op); }

  bool run() override {
    status = xnn_run_operator(op, pool);
    return status == xnn_status_success;
  }
  std::string lastError() const override {
    return "xnn_run_operator: status " + std::to_string(status);
  }

private:
  xnn_operator_t op;
  pthreadpool_t pool;
  xnn_status status = xnn_status_success;
};

/// Creates and sets up the operator for the layer's data format.
xnn_status createOperator(const Layer &l, const LayerData &data, float *output,
                          float min, float max, pthreadpool_t pool,
                          xnn_operator_t &op) {
  AlignedFloats kernel = depthwiseKernel(l, data);
  const float *bias = l.hasBias ? data.bias.data() : nullptr;
  uint32_t flags = XNN_FLAG_DEPTHWISE_CONVOLUTION;
  xnn_status status;
  if (!l.channelsFirst) {
    if (l.samePadding)
      flags |= XNN_FLAG_TENSORFLOW_SAME_PADDING;
    status = xnn_create_convolution2d_nhwc_f32(
        0, 0, 0, 0, l.kernelH, l.kernelW, l.strideH, l.strideW, l.dilationH,
        l.dilationW, l.channels, 1, l.multiplier, l.channels, l.outChannels(),
        kernel.data(), bias, min, max, flags, &op);
    if (status != xnn_status_success)
      return status;
    return xnn_setup_convolution2d_nhwc_f32(op, l.batch, l.height, l.width,
                                            data.input.data(), output, pool);
  }
  status = xnn_create_convolution2d_nchw_f32(
      l.padTop, l.padRight, l.padBottom, l.padLeft, l.kernelH, l.kernelW,
      l.strideH, l.strideW, l.dilationH, l.dilationW, l.channels, 1,
      l.multiplier, l.channels, l.outChannels(), kernel.data(), bias, min, max,
      flags, &op);
  if (status != xnn_status_success)
    return status;
  return xnn_setup_convolution2d_nchw_f32(op, l.batch, l.height, l.width,
                                          data.input.data(), output, pool);
}

} // namespace

std::unique_ptr<Implementation>
dwconv::bench::createXNNPACK(const Layer &layer, const LayerData &data,
                             float *output, int threads, std::string &why) {
  static const xnn_status initialized = xnn_initialize(nullptr);
  if (initialized != xnn_status_success) {
    why = "xnn_initialize failed (status " + std::to_string(initialized) + ")";
    return nullptr;
  }
  float min, max;
  if (!clampFor(layer.activation, min, max)) {
    why = std::string("activation ") +
          dwconv_activation_name(layer.activation) + " is not an output clamp";
    return nullptr;
  }
  pthreadpool_t pool = poolFor(threads);
  xnn_operator_t op = nullptr;
  xnn_status status = createOperator(layer, data, output, min, max, pool, op);
  if (status != xnn_status_success) {
    if (op)
      xnn_delete_operator(op);
    why = std::string(layer.channelsFirst ? "NCHW" : "NHWC") +
          " depthwise convolution refused (xnn_status " +
          std::to_string(status) + ")";
    return nullptr;
  }
  return std::make_unique<XNNPACKConvolution>(op, pool);
}
