/* Calls a generated layer through the runtime as a C user does (ABI v5): the
 * typed wrapper, the uniform entry point, plans and workspaces, packed
 * weights, threads and a caller's pool, the numbers against the reference,
 * then every argument the runtime must refuse. Compiled with -include of the
 * generated header for layer 'c_api_layer'. */

#include "dwconv/runtime.h"
#include "reference.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define N 2
#define H 13
#define W 14
#define C 5
#define M 2
#define OH 7
#define OW 7
#define OUTPUTS (N * OH * OW * C * M)

static float input[N * H * W * C], kernel[3 * 3 * C * M], bias[C * M];
static float output[OUTPUTS], first[OUTPUTS];
static double expected[OUTPUTS];
static int64_t in_dims[4] = {N, H, W, C}, kernel_dims[4] = {3, 3, C, M};
static int64_t bias_dims[1] = {C * M}, out_dims[4] = {N, OH, OW, C *M};
static const dwconv_layer_metadata *layer = &dwconv_c_api_layer_metadata;

static void report(const char *what, dwconv_status status,
                   const dwconv_context *context) {
  printf("%s: %s: %s\n", what, dwconv_status_string(status),
         dwconv_context_last_error(context));
}

/* A call of the layer on the static buffers. */
static dwconv_call make_call(void) {
  dwconv_call call = dwconv_call_empty();
  call.input = dwconv_buffer_f32(input, 4, in_dims);
  call.depthwise_kernel = dwconv_buffer_f32(kernel, 4, kernel_dims);
  call.bias = dwconv_buffer_f32(bias, 1, bias_dims);
  call.output = dwconv_buffer_f32(output, 4, out_dims);
  return call;
}

/* Runs `call` and says whether the output is bit-identical to `first`. */
static void run_and_compare(const char *what, dwconv_context *context,
                            const dwconv_call *call) {
  memset(output, 0xff, sizeof(output)); /* NaNs: unwritten elements show */
  dwconv_status status = dwconv_layer_run(context, layer, call);
  printf("%s: %s, identical to the first run: %s\n", what,
         dwconv_status_string(status),
         memcmp(output, first, sizeof(output)) == 0 ? "yes" : "no");
}

/* An allocator that counts what it hands out. */
static int allocations;
static void *counting_allocate(void *self, size_t bytes, size_t alignment) {
  (void)self;
  ++allocations;
  return aligned_alloc(alignment,
                       (bytes + alignment - 1) / alignment * alignment);
}
static void counting_deallocate(void *self, void *pointer) {
  (void)self;
  free(pointer);
}

/* A caller's pool: items in reverse order on the calling thread. */
static int pool_calls;
static void reverse_pool(void *pool, int64_t count, dwconv_task_fn fn,
                         void *arg) {
  (void)pool;
  ++pool_calls;
  for (int64_t i = count - 1; i >= 0; --i)
    fn(arg, i, i + 1);
}

static dwconv_context *create(int32_t threads, dwconv_parallel_for_fn pool) {
  dwconv_context_options options;
  memset(&options, 0, sizeof(options));
  options.threads = threads;
  options.parallel_for = pool;
  options.allocator.allocate = counting_allocate;
  options.allocator.deallocate = counting_deallocate;
  dwconv_context *context = NULL;
  dwconv_context_create(&options, &context);
  return context;
}

static void check_numbers(dwconv_context *context) {
  dwconv_status status =
      dwconv_c_api_layer_run(context, input, kernel, bias, output, N);
  report("typed call", status, context);
  dwconv_ref_layer ref = {N, H, W, C, 3, 3,           M, 2,
                          2, 1, 1, 1, 0, 2 /*relu6*/, 1};
  dwconv_ref_compute(&ref, input, kernel, bias, expected);
  double max_error = 0, max_expected = 0;
  for (size_t i = 0; i < OUTPUTS; ++i) {
    max_error = fmax(max_error, fabs(output[i] - expected[i]));
    max_expected = fmax(max_expected, fabs(expected[i]));
  }
  printf("relative error within 1e-5: %s\n",
         max_error / max_expected <= 1e-5 ? "yes" : "no");
  memcpy(first, output, sizeof(output));
  dwconv_call call = make_call();
  run_and_compare("uniform entry point", context, &call);
  status = dwconv_c_api_layer_call(context, &call);
  printf("dwconv_c_api_layer_call: %s, identical: %s\n",
         dwconv_status_string(status),
         memcmp(output, first, sizeof(output)) == 0 ? "yes" : "no");
}

static void check_metadata(void) {
  int64_t dims[4];
  report("output shape", dwconv_layer_output_shape(layer, in_dims, dims), NULL);
  printf("output dims: %lld %lld %lld %lld\n", (long long)dims[0],
         (long long)dims[1], (long long)dims[2], (long long)dims[3]);
  printf("flops match the header: %s\n",
         dwconv_layer_flops(layer, in_dims) ==
                 N * DWCONV_C_API_LAYER_FLOPS_PER_IMAGE
             ? "yes"
             : "no");
  printf("metadata: abi %u, %s, %s, %s, %s, %s, %s\n", layer->abi_version,
         layer->name, dwconv_dtype_name(layer->dtype),
         dwconv_device_name(layer->device),
         dwconv_data_format_name(layer->data_format),
         dwconv_padding_name(layer->padding),
         dwconv_activation_name(layer->activation));
  printf("tile shape: %lld %lld %lld %lld\n", (long long)layer->tile_shape[0],
         (long long)layer->tile_shape[1], (long long)layer->tile_shape[2],
         (long long)layer->tile_shape[3]);
  printf("workspace per worker: %s, multiple of %d: %s\n",
         layer->workspace_bytes > 0 ? "some" : "none", DWCONV_ABI_ALIGNMENT,
         layer->workspace_bytes % DWCONV_ABI_ALIGNMENT == 0 ? "yes" : "no");
  printf("packed weights: %lld bytes, pack function: %s\n",
         (long long)layer->packed_weights_bytes, layer->pack ? "yes" : "no");
}

static void check_workspaces(dwconv_context *context) {
  dwconv_call call = make_call();
  dwconv_plan plan;
  report("plan", dwconv_layer_plan(context, layer, &call, &plan), context);
  size_t packed = (size_t)layer->packed_weights_bytes;
  printf("plan: %lld tiles, %lld workers, workspace = packed weights + "
         "workers x share: %s\n",
         (long long)plan.tile_count, (long long)plan.workers,
         plan.workspace_bytes ==
                 packed + plan.workers * (size_t)layer->workspace_bytes
             ? "yes"
             : "no");
  void *workspace = aligned_alloc(64, plan.workspace_bytes + 64);
  call.workspace = workspace;
  call.workspace_bytes = plan.workspace_bytes;
  allocations = 0;
  run_and_compare("caller workspace", context, &call);
  printf("context allocations with a caller workspace: %d\n", allocations);
  call.workspace_bytes = plan.workspace_bytes - 1;
  report("workspace too small", dwconv_layer_run(context, layer, &call),
         context);
  call.workspace = (char *)workspace + 4;
  call.workspace_bytes = plan.workspace_bytes;
  report("workspace misaligned", dwconv_layer_run(context, layer, &call),
         context);
  call.workspace = NULL;
  dwconv_context *fresh = create(1, NULL);
  allocations = 0;
  run_and_compare("context workspace", fresh, &call);
  run_and_compare("context workspace again", fresh, &call);
  printf("context allocations for two calls: %d\n", allocations);
  dwconv_context_destroy(fresh);
  free(workspace);
}

static void check_packing(dwconv_context *context) {
  size_t bytes = (size_t)layer->packed_weights_bytes;
  void *packed = aligned_alloc(64, bytes);
  report("pack",
         dwconv_layer_pack_weights(context, layer, kernel, bias, packed, bytes),
         context);
  dwconv_call call = make_call();
  call.depthwise_kernel = dwconv_buffer_f32(NULL, 0, NULL);
  call.bias = dwconv_buffer_f32(NULL, 0, NULL);
  call.packed_weights = packed;
  dwconv_plan plan;
  dwconv_layer_plan(context, layer, &call, &plan);
  printf("workspace with packed weights: workers x share: %s\n",
         plan.workspace_bytes == plan.workers * (size_t)layer->workspace_bytes
             ? "yes"
             : "no");
  run_and_compare("packed weights", context, &call);
  report("pack too small",
         dwconv_layer_pack_weights(context, layer, kernel, bias, packed,
                                   bytes - 4),
         context);
  call.depthwise_kernel = dwconv_buffer_f32(kernel, 4, kernel_dims);
  report("packed and raw weights", dwconv_layer_run(context, layer, &call),
         context);
  free(packed);
}

static void check_threads(void) {
  int32_t counts[] = {1, 2, 3, 8};
  dwconv_call call = make_call();
  for (size_t i = 0; i < sizeof(counts) / sizeof(counts[0]); ++i) {
    dwconv_context *context = create(counts[i], NULL);
    char what[64];
    snprintf(what, sizeof(what), "%d threads", counts[i]);
    run_and_compare(what, context, &call);
    dwconv_context_destroy(context);
  }
  dwconv_context *context = create(4, reverse_pool);
  run_and_compare("caller pool", context, &call);
  printf("caller pool used: %s\n", pool_calls > 0 ? "yes" : "no");
  dwconv_context_destroy(context);
}

static void check_refusals(dwconv_context *context) {
  report("null input",
         dwconv_c_api_layer_run(context, NULL, kernel, bias, output, N), context);
  report("null kernel",
         dwconv_c_api_layer_run(context, input, NULL, bias, output, N), context);
  report("null bias",
         dwconv_c_api_layer_run(context, input, kernel, NULL, output, N), context);
  report("null output",
         dwconv_c_api_layer_run(context, input, kernel, bias, NULL, N), context);
  report("misaligned input",
         dwconv_c_api_layer_run(context, (const float *)((char *)input + 1), kernel,
                            bias, output, N),
         context);
  report("negative batch",
         dwconv_c_api_layer_run(context, input, kernel, bias, output, -1), context);
  report("empty batch", dwconv_c_api_layer_run(context, NULL, NULL, NULL, NULL, 0),
         context);
  report("in place", dwconv_c_api_layer_run(context, input, kernel, bias, input, N),
         context);
  report("null context",
         dwconv_c_api_layer_run(NULL, input, kernel, bias, output, N), NULL);
  dwconv_call call = make_call();
  call.output.dims[1] = OH + 1;
  report("wrong output dims", dwconv_layer_run(context, layer, &call), context);
  dwconv_layer_metadata future = *layer;
  future.abi_version = 99;
  call = make_call();
  report("abi", dwconv_layer_run(context, &future, &call), context);
  dwconv_context_options gpu;
  memset(&gpu, 0, sizeof(gpu));
  gpu.device = DWCONV_DEVICE_CUDA;
  dwconv_context *unused = NULL;
  report("cuda context", dwconv_context_create(&gpu, &unused), NULL);
}

static void add_one(void *arg, int64_t begin, int64_t end) {
  for (int64_t i = begin; i < end; ++i)
    ((int *)arg)[i] += 1;
}

int main(void) {
  srand(7);
  for (size_t i = 0; i < sizeof(input) / sizeof(float); ++i)
    input[i] = rand() / (float)RAND_MAX * 2 - 1;
  for (size_t i = 0; i < sizeof(kernel) / sizeof(float); ++i)
    kernel[i] = rand() / (float)RAND_MAX * 2 - 1;
  for (size_t i = 0; i < sizeof(bias) / sizeof(float); ++i)
    bias[i] = rand() / (float)RAND_MAX * 2 - 1;

  dwconv_context *context = create(1, NULL);
  report("create", context ? DWCONV_OK : DWCONV_INVALID_ARGUMENT, context);
  check_numbers(context);
  check_metadata();
  check_workspaces(context);
  check_packing(context);
  check_threads();
  check_refusals(context);
  int hits[5] = {0};
  report("parallel_for", dwconv_parallel_for(context, 5, add_one, hits),
         context);
  printf("parallel_for covered: %d %d %d %d %d\n", hits[0], hits[1], hits[2],
         hits[3], hits[4]);
  dwconv_context_destroy(context);
  return 0;
}
