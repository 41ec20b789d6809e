//===- DWConv.cpp - dwconv's generated layers through the runtime ---------===//
//
// A layer runs through dwconv_layer_run (runtime ABI v2) on a context of
// `threads` workers. The timed call gives weights packed once with
// dwconv_layer_pack_weights (the peers also pack theirs once, at creation);
// the checked call also gives Keras's kernel and bias, as a caller that
// packs nothing would. The context provides and keeps the workspace.
//
//===----------------------------------------------------------------------===//

#include "Bench.h"

#include <map>

using namespace dwconv::bench;

namespace {

struct ContextDeleter {
  void operator()(dwconv_context *context) const {
    dwconv_context_destroy(context);
  }
};
using ContextPtr = std::unique_ptr<dwconv_context, ContextDeleter>;

/// One context per thread count, shared by every layer: a context is used
/// by one thread at a time, and the benchmarks run one after the other.
dwconv_context *contextFor(int threads, std::string &why) {
  static std::map<int, ContextPtr> contexts;
  ContextPtr &context = contexts[threads];
  if (context)
    return context.get();
  dwconv_context_options options = {};
  options.threads = threads;
  dwconv_context *created = nullptr;
  dwconv_status status = dwconv_context_create(&options, &created);
  if (status != DWCONV_OK) {
    why = std::string("dwconv_context_create: ") +
          dwconv_status_string(status) + ": " +
          dwconv_context_last_error(nullptr);
    return nullptr;
  }
  context.reset(created);
  return created;
}

class DWConvLayer final : public Implementation {
public:
  DWConvLayer(const Layer &layer, dwconv_context *context)
      : metadata(layer.metadata), context(context) {}

  /// Packs the weights and describes both calls. False, with `why`, if the
  /// runtime refuses.
  bool setUp(const Layer &layer, const LayerData &data, float *output,
             std::string &why);

  bool run() override { return call(packedCall); }
  bool runForCheck() override { return call(kerasCall); }
  std::string lastError() const override { return error; }

private:
  bool call(const dwconv_call &what) {
    dwconv_status status = dwconv_layer_run(context, metadata, &what);
    if (status == DWCONV_OK)
      return true;
    error = std::string(dwconv_status_string(status)) + ": " +
            dwconv_context_last_error(context);
    return false;
  }

  const dwconv_layer_metadata *metadata;
  dwconv_context *context;
  AlignedFloats packed;
  dwconv_call kerasCall = dwconv_call_empty();
  dwconv_call packedCall = dwconv_call_empty();
  std::string error;
};

bool DWConvLayer::setUp(const Layer &layer, const LayerData &data,
                        float *output, std::string &why) {
  const int64_t *inDims = metadata->input_shape;
  kerasCall.input = dwconv_buffer_f32(data.input.data(), 4, inDims);
  kerasCall.depthwise_kernel =
      dwconv_buffer_f32(data.kernel.data(), 0, nullptr);
  if (layer.hasBias)
    kerasCall.bias = dwconv_buffer_f32(data.bias.data(), 0, nullptr);
  kerasCall.output = dwconv_buffer_f32(output, 4, metadata->output_shape);

  packed = AlignedFloats((metadata->packed_weights_bytes + 3) / 4);
  dwconv_status status =
      dwconv_layer_pack_weights(context, metadata, data.kernel.data(),
                                layer.hasBias ? data.bias.data() : nullptr,
                                packed.data(), packed.size() * sizeof(float));
  if (status != DWCONV_OK) {
    why = std::string("dwconv_layer_pack_weights: ") +
          dwconv_context_last_error(context);
    return false;
  }
  packedCall.input = kerasCall.input;
  packedCall.output = kerasCall.output;
  packedCall.packed_weights = packed.data();
  return true;
}

} // namespace

std::unique_ptr<Implementation>
dwconv::bench::createDWConv(const Layer &layer, const LayerData &data,
                            float *output, int threads, std::string &why) {
  dwconv_context *context = contextFor(threads, why);
  if (!context)
    return nullptr;
  auto implementation = std::make_unique<DWConvLayer>(layer, context);
  if (!implementation->setUp(layer, data, output, why))
    return nullptr;
  return implementation;
}
