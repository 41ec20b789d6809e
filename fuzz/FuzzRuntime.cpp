//===- FuzzRuntime.cpp - the runtime's metadata and argument checks -------===//
//
// A layer's metadata and a call, both from the input bytes (as tampered
// objects and careless callers give them), through the runtime's checks:
// output shapes, FLOPs, plans and runs. The tile and pack functions are
// stand-ins that touch nothing, so only the runtime's own code is tested.
//
//===----------------------------------------------------------------------===//

#include "dwconv/runtime.h"

#include <cstdint>
#include <cstdlib>
#include <cstring>

namespace {
void tile(const dwconv_tile_state *, void *, int64_t, int64_t) {}
void pack(const void *, const void *, void *) {}

/// Workspaces come from the caller's allocator: this one gives at most
/// 64 MiB, so that metadata asking for more takes the runtime's
/// DWCONV_OUT_OF_MEMORY path instead of the fuzzer's memory limit.
void *allocate(void *, size_t bytes, size_t alignment) {
  if (bytes > (size_t(64) << 20))
    return nullptr;
  return aligned_alloc(alignment, (bytes + alignment - 1) & ~(alignment - 1));
}
void deallocate(void *, void *pointer) { free(pointer); }

/// Copies the next `size` input bytes (zeros past the end) into `out`.
struct Reader {
  const uint8_t *data;
  size_t size, at = 0;
  void read(void *out, size_t n) {
    auto *bytes = static_cast<uint8_t *>(out);
    for (size_t i = 0; i < n; ++i)
      bytes[i] = at < size ? data[at++] : 0;
  }
};
} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static float storage[4096] __attribute__((aligned(64)));
  Reader in{data, size};
  dwconv_layer_metadata layer;
  in.read(&layer, sizeof(layer));
  // Pointers are the object's, not the input's: valid or null.
  layer.abi_version = DWCONV_ABI_VERSION;
  layer.name = "fuzz";
  layer.keras_name = nullptr;
  layer.folded_layers = nullptr;
  layer.activation_text = nullptr;
  layer.tile = (layer.workspace_bytes & 1) ? nullptr : tile;
  layer.pack = (layer.packed_weights_bytes & 1) ? nullptr : pack;
  layer.gpu_kernel = nullptr;
  layer.gpu_images = nullptr;
  layer.baked_weights = nullptr;
  int64_t dims[4], outDims[4];
  in.read(dims, sizeof(dims));
  (void)dwconv_layer_output_shape(&layer, dims, outDims);
  (void)dwconv_layer_flops(&layer, dims);

  dwconv_call call = dwconv_call_empty();
  call.input = dwconv_buffer_f32(storage, 4, dims);
  call.output = dwconv_buffer_f32(storage + 1024, 4, outDims);
  uint8_t flags = 0;
  in.read(&flags, 1);
  if (flags & 1)
    call.depthwise_kernel = dwconv_buffer_f32(storage + 2048, 4,
                                              layer.kernel_shape);
  if (flags & 2)
    call.packed_weights = storage + 3072;
  dwconv_context *context = nullptr;
  dwconv_context_options options;
  std::memset(&options, 0, sizeof(options));
  options.threads = 1 + (flags >> 6);
  options.allocator.allocate = allocate;
  options.allocator.deallocate = deallocate;
  if (dwconv_context_create(&options, &context) != DWCONV_OK)
    return 0;
  dwconv_plan plan;
  (void)dwconv_layer_plan(context, &layer, &call, &plan);
  (void)dwconv_layer_run(context, &layer, &call);
  dwconv_context_destroy(context);
  return 0;
}
