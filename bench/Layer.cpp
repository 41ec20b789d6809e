//===- Layer.cpp - a layer of the set, from its generated metadata --------===//

#include "Bench.h"

#include <algorithm>

using namespace dwconv::bench;

AlignedFloats::AlignedFloats(int64_t count, size_t pageOffset) : count(count) {
  constexpr size_t page = 4096;
  // aligned_alloc wants a multiple of the alignment.
  size_t bytes = (pageOffset + count * sizeof(float) + page - 1) / page * page;
  storage.reset(static_cast<char *>(std::aligned_alloc(page, bytes)));
  values = reinterpret_cast<float *>(storage.get() + pageOffset);
}

/// TensorFlow's SAME padding of one dim: the total the window needs beyond
/// the input, half before and the odd pixel after.
static void samePadding(int64_t in, int64_t out, int64_t kernel, int64_t stride,
                        int64_t dilation, int64_t &before, int64_t &after) {
  int64_t total = std::max<int64_t>(
      (out - 1) * stride + (kernel - 1) * dilation + 1 - in, 0);
  before = total / 2;
  after = total - before;
}

Layer dwconv::bench::describeLayer(const dwconv_layer_metadata &metadata) {
  Layer layer;
  layer.metadata = &metadata;
  layer.channelsFirst = metadata.data_format == DWCONV_CHANNELS_FIRST;
  const int64_t *in = metadata.input_shape, *out = metadata.output_shape;
  // Shapes are in the layer's data format: (N, H, W, C) or (N, C, H, W).
  int h = layer.channelsFirst ? 2 : 1, w = h + 1;
  layer.batch = in[0];
  layer.height = in[h];
  layer.width = in[w];
  layer.outHeight = out[h];
  layer.outWidth = out[w];
  layer.kernelH = metadata.kernel_shape[0];
  layer.kernelW = metadata.kernel_shape[1];
  layer.channels = metadata.kernel_shape[2];
  layer.multiplier = metadata.kernel_shape[3];
  layer.strideH = metadata.strides[0];
  layer.strideW = metadata.strides[1];
  layer.dilationH = metadata.dilation_rate[0];
  layer.dilationW = metadata.dilation_rate[1];
  layer.samePadding = metadata.padding == DWCONV_PADDING_SAME;
  layer.hasBias = metadata.has_bias != 0;
  layer.activation = metadata.activation;
  if (layer.samePadding) {
    samePadding(layer.height, layer.outHeight, layer.kernelH, layer.strideH,
                layer.dilationH, layer.padTop, layer.padBottom);
    samePadding(layer.width, layer.outWidth, layer.kernelW, layer.strideW,
                layer.dilationW, layer.padLeft, layer.padRight);
  }
  return layer;
}
