/* Runs the layer dwconv-compile generated from examples/block_1_depthwise.json
 * through the runtime and checks it against a double-precision reference.
 * Build: cc -include layer.h run_layer.c layer.o reference.c libdwconv_runtime.a -lm */

#include "dwconv/runtime.h"
#include "reference.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#define BATCH 2

int main(void) {
  const dwconv_layer_metadata *layer = &dwconv_block_1_depthwise_metadata;
  int64_t in_dims[4] = {BATCH, layer->input_shape[1], layer->input_shape[2],
                        layer->input_shape[3]};
  int64_t out_dims[4];
  if (dwconv_layer_output_shape(layer, in_dims, out_dims) != DWCONV_OK) {
    fprintf(stderr, "%s\n", dwconv_context_last_error(NULL));
    return 1;
  }
  size_t in_count = in_dims[0] * in_dims[1] * in_dims[2] * in_dims[3];
  size_t out_count = out_dims[0] * out_dims[1] * out_dims[2] * out_dims[3];
  size_t k_count = 3 * 3 * layer->kernel_shape[2] * layer->kernel_shape[3];
  size_t b_count = layer->kernel_shape[2] * layer->kernel_shape[3];
  float *input = malloc(in_count * sizeof(float));
  float *kernel = malloc(k_count * sizeof(float));
  float *bias = malloc(b_count * sizeof(float));
  float *output = malloc(out_count * sizeof(float));
  double *expected = malloc(out_count * sizeof(double));
  srand(2024);
  for (size_t i = 0; i < in_count; ++i)
    input[i] = rand() / (float)RAND_MAX * 4.0f - 2.0f;
  for (size_t i = 0; i < k_count; ++i)
    kernel[i] = rand() / (float)RAND_MAX - 0.5f;
  for (size_t i = 0; i < b_count; ++i)
    bias[i] = rand() / (float)RAND_MAX - 0.5f;

  dwconv_context *context;
  dwconv_context_create(NULL, &context);
  dwconv_status status =
      dwconv_block_1_depthwise(context, input, kernel, bias, output, BATCH);
  printf("layer '%s': input (%lld, %lld, %lld, %lld) -> output (%lld, %lld, "
         "%lld, %lld), %s, %lld FLOPs\n",
         layer->name, (long long)in_dims[0], (long long)in_dims[1],
         (long long)in_dims[2], (long long)in_dims[3], (long long)out_dims[0],
         (long long)out_dims[1], (long long)out_dims[2], (long long)out_dims[3],
         dwconv_activation_name(layer->activation),
         (long long)dwconv_layer_flops(layer, in_dims));
  if (status != DWCONV_OK) {
    printf("call failed: %s: %s\n", dwconv_status_string(status),
           dwconv_context_last_error(context));
    return 1;
  }

  dwconv_ref_layer ref = {BATCH, in_dims[1], in_dims[2], in_dims[3], 3, 3,
                          layer->kernel_shape[3], layer->strides[0],
                          layer->strides[1], layer->dilation_rate[0],
                          layer->dilation_rate[1],
                          layer->padding == DWCONV_PADDING_SAME,
                          layer->data_format == DWCONV_CHANNELS_FIRST,
                          (int)layer->activation, 1};
  dwconv_ref_compute(&ref, input, kernel, bias, expected);
  double error = 0, scale = 0;
  for (size_t i = 0; i < out_count; ++i) {
    error = fmax(error, fabs(output[i] - expected[i]));
    scale = fmax(scale, fabs(expected[i]));
  }
  double relative = error / scale;
  printf("check against the double-precision reference: max|got - expected| "
         "/ max|expected| = %.3g (limit 1e-5): %s\n",
         relative, relative <= 1e-5 ? "OK" : "MISMATCH");
  dwconv_context_destroy(context);
  return relative <= 1e-5 ? 0 : 1;
}
