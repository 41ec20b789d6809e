/* Runs the layer dwconv-compile generated from examples/block_1_depthwise.json
 * through the runtime (ABI v2) and checks it against a double-precision
 * reference. It calls the layer twice:
 *   1. through the typed function the header declares, on a context of two
 *      threads that provides the workspace itself;
 *   2. through the uniform entry point, as an application that manages its
 *      memory does: the weights packed once, its own workspace sized by
 *      dwconv_layer_plan.
 * Both must give the same bits (any thread count gives the same bits).
 * Build: cc -include layer.h run_layer.c layer.o reference.c
 *           libdwconv_runtime.a -lm -pthread */

#include "dwconv/runtime.h"
#include "reference.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BATCH 2

static const dwconv_layer_metadata *layer = &dwconv_block_1_depthwise_metadata;

static int fail(const char *what, dwconv_status status,
                const dwconv_context *context) {
  printf("%s failed: %s: %s\n", what, dwconv_status_string(status),
         dwconv_context_last_error(context));
  return 1;
}

static float *random_floats(size_t count, float scale) {
  float *data = malloc(count * sizeof(float));
  for (size_t i = 0; i < count; ++i)
    data[i] = (rand() / (float)RAND_MAX - 0.5f) * scale;
  return data;
}

/* The second call: prepacked weights and a workspace of our own. */
static int call_with_own_memory(dwconv_context *context, const float *input,
                                const float *kernel, const float *bias,
                                float *output, const int64_t in_dims[4]) {
  size_t packed_bytes = (size_t)layer->packed_weights_bytes;
  void *packed = aligned_alloc(DWCONV_ABI_ALIGNMENT, packed_bytes);
  dwconv_status status = dwconv_layer_pack_weights(context, layer, kernel, bias,
                                                   packed, packed_bytes);
  if (status != DWCONV_OK)
    return fail("packing", status, context);

  dwconv_call call = dwconv_call_empty();
  call.input = dwconv_buffer_f32(input, 4, in_dims);
  call.packed_weights = packed;
  dwconv_plan plan;
  if ((status = dwconv_layer_plan(context, layer, &call, &plan)) != DWCONV_OK)
    return fail("planning", status, context);
  call.output = dwconv_buffer_f32(output, 4, plan.output_dims);
  size_t rounded = (plan.workspace_bytes + DWCONV_ABI_ALIGNMENT - 1) /
                   DWCONV_ABI_ALIGNMENT * DWCONV_ABI_ALIGNMENT;
  call.workspace = aligned_alloc(DWCONV_ABI_ALIGNMENT,
                                 rounded ? rounded : DWCONV_ABI_ALIGNMENT);
  call.workspace_bytes = plan.workspace_bytes;
  printf("plan: %lld tiles over %lld workers, workspace %zu bytes, packed "
         "weights %zu bytes\n",
         (long long)plan.tile_count, (long long)plan.workers,
         plan.workspace_bytes, packed_bytes);
  status = dwconv_block_1_depthwise_call(context, &call);
  free(call.workspace);
  free(packed);
  return status == DWCONV_OK ? 0 : fail("the uniform call", status, context);
}

static double check(const float *input, const float *kernel, const float *bias,
                    const float *output, const int64_t in_dims[4],
                    size_t out_count) {
  double *expected = malloc(out_count * sizeof(double));
  dwconv_ref_layer ref = {BATCH,
                          in_dims[1],
                          in_dims[2],
                          in_dims[3],
                          3,
                          3,
                          layer->kernel_shape[3],
                          layer->strides[0],
                          layer->strides[1],
                          layer->dilation_rate[0],
                          layer->dilation_rate[1],
                          layer->padding == DWCONV_PADDING_SAME,
                          layer->data_format == DWCONV_CHANNELS_FIRST,
                          (int)layer->activation,
                          1};
  dwconv_ref_compute(&ref, input, kernel, bias, expected);
  double error = 0, scale = 0;
  for (size_t i = 0; i < out_count; ++i) {
    error = fmax(error, fabs(output[i] - expected[i]));
    scale = fmax(scale, fabs(expected[i]));
  }
  free(expected);
  return error / scale;
}

int main(void) {
  int64_t in_dims[4] = {BATCH, layer->input_shape[1], layer->input_shape[2],
                        layer->input_shape[3]};
  int64_t out_dims[4];
  if (dwconv_layer_output_shape(layer, in_dims, out_dims) != DWCONV_OK)
    return fail("output shape", DWCONV_OUT_OF_RANGE, NULL);
  size_t in_count = in_dims[0] * in_dims[1] * in_dims[2] * in_dims[3];
  size_t out_count = out_dims[0] * out_dims[1] * out_dims[2] * out_dims[3];
  size_t channels = layer->kernel_shape[2] * layer->kernel_shape[3];
  srand(2024);
  float *input = random_floats(in_count, 4.0f);
  float *kernel = random_floats(3 * 3 * channels, 1.0f);
  float *bias = random_floats(channels, 1.0f);
  float *output = malloc(out_count * sizeof(float));
  float *again = malloc(out_count * sizeof(float));

  dwconv_context_options options;
  memset(&options, 0, sizeof(options)); /* all zero: the defaults */
  options.threads = 2;
  dwconv_context *context;
  dwconv_status status = dwconv_context_create(&options, &context);
  if (status != DWCONV_OK)
    return fail("dwconv_context_create", status, NULL);
  status =
      dwconv_block_1_depthwise_run(context, input, kernel, bias, output, BATCH);
  if (status != DWCONV_OK)
    return fail("the typed call", status, context);
  printf("layer '%s': input (%lld, %lld, %lld, %lld) -> output (%lld, %lld, "
         "%lld, %lld), %s, %lld FLOPs, %d threads\n",
         layer->name, (long long)in_dims[0], (long long)in_dims[1],
         (long long)in_dims[2], (long long)in_dims[3], (long long)out_dims[0],
         (long long)out_dims[1], (long long)out_dims[2], (long long)out_dims[3],
         dwconv_activation_name(layer->activation),
         (long long)dwconv_layer_flops(layer, in_dims),
         (int)dwconv_context_threads(context));
  if (call_with_own_memory(context, input, kernel, bias, again, in_dims))
    return 1;
  int same = memcmp(output, again, out_count * sizeof(float)) == 0;
  double relative = check(input, kernel, bias, output, in_dims, out_count);
  printf("both calls give the same bits: %s\n", same ? "yes" : "NO");
  printf("check against the double-precision reference: max|got - expected| "
         "/ max|expected| = %.3g (limit 1e-5): %s\n",
         relative, relative <= 1e-5 ? "OK" : "MISMATCH");
  dwconv_context_destroy(context);
  free(input);
  free(kernel);
  free(bias);
  free(output);
  free(again);
  return same && relative <= 1e-5 ? 0 : 1;
}
