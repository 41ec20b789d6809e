/* Calls a generated layer through the runtime: the numbers against the
 * reference, then every argument the runtime must refuse. Compiled with
 * -include of the generated header for layer 'c_api_layer'. */

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

static float input[N * H * W * C], kernel[3 * 3 * C * M], bias[C * M];
static float output[N * OH * OW * C * M];
static double expected[N * OH * OW * C * M];

static void report(const char *what, dwconv_status status,
                   dwconv_context *context) {
  printf("%s: %s: %s\n", what, dwconv_status_string(status),
         dwconv_context_last_error(context));
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

  dwconv_context *context;
  report("create", dwconv_context_create(NULL, &context), context);

  dwconv_status status =
      dwconv_c_api_layer(context, input, kernel, bias, output, N);
  report("call", status, context);
  dwconv_ref_layer ref = {N, H, W, C, 3, 3, M, 2, 2, 1, 1, 1, 0, 2 /*relu6*/, 1};
  dwconv_ref_compute(&ref, input, kernel, bias, expected);
  double max_error = 0, max_expected = 0;
  for (size_t i = 0; i < sizeof(output) / sizeof(float); ++i) {
    max_error = fmax(max_error, fabs(output[i] - expected[i]));
    max_expected = fmax(max_expected, fabs(expected[i]));
  }
  printf("relative error within 1e-5: %s\n",
         max_error / max_expected <= 1e-5 ? "yes" : "no");

  int64_t in_dims[4] = {N, H, W, C}, out_dims[4];
  report("output shape",
         dwconv_layer_output_shape(&dwconv_c_api_layer_metadata, in_dims,
                                   out_dims),
         NULL);
  printf("output dims: %lld %lld %lld %lld\n", (long long)out_dims[0],
         (long long)out_dims[1], (long long)out_dims[2], (long long)out_dims[3]);
  printf("flops match the header: %s\n",
         dwconv_layer_flops(&dwconv_c_api_layer_metadata, in_dims) ==
                 N * DWCONV_C_API_LAYER_FLOPS_PER_IMAGE
             ? "yes"
             : "no");
  printf("metadata: %s %s %s\n", dwconv_c_api_layer_metadata.name,
         dwconv_activation_name(dwconv_c_api_layer_metadata.activation),
         dwconv_c_api_layer_metadata.padding == DWCONV_PADDING_SAME ? "same"
                                                                    : "valid");

  report("null input",
         dwconv_c_api_layer(context, NULL, kernel, bias, output, N), context);
  report("null kernel",
         dwconv_c_api_layer(context, input, NULL, bias, output, N), context);
  report("null bias",
         dwconv_c_api_layer(context, input, kernel, NULL, output, N), context);
  report("null output",
         dwconv_c_api_layer(context, input, kernel, bias, NULL, N), context);
  report("misaligned input",
         dwconv_c_api_layer(context, (const float *)((char *)input + 1),
                            kernel, bias, output, N),
         context);
  report("negative batch",
         dwconv_c_api_layer(context, input, kernel, bias, output, -1), context);
  report("empty batch",
         dwconv_c_api_layer(context, NULL, NULL, NULL, NULL, 0), context);
  report("in place", dwconv_c_api_layer(context, input, kernel, bias, input, N),
         context);
  report("null context",
         dwconv_c_api_layer(NULL, input, kernel, bias, output, N), NULL);

  report("call_entry",
         dwconv_call_entry((dwconv_entry_fn)dwconv_c_api_layer,
                           &dwconv_c_api_layer_metadata, context, input, kernel,
                           bias, output, in_dims),
         context);
  report("call_entry null",
         dwconv_call_entry(NULL, &dwconv_c_api_layer_metadata, context, input,
                           kernel, bias, output, in_dims),
         context);

  dwconv_layer_metadata future = dwconv_c_api_layer_metadata;
  future.abi_version = 99;
  report("abi",
         dwconv_check_call(context, &future, input, kernel, bias, output,
                           in_dims, out_dims),
         context);

  dwconv_context_options gpu = {DWCONV_DEVICE_CUDA, NULL, NULL};
  dwconv_context *unused = NULL;
  report("cuda context", dwconv_context_create(&gpu, &unused), NULL);

  int hits[5] = {0};
  report("parallel_for", dwconv_parallel_for(context, 5, add_one, hits),
         context);
  printf("parallel_for covered: %d %d %d %d %d\n", hits[0], hits[1], hits[2],
         hits[3], hits[4]);
  dwconv_context_destroy(context);
  return 0;
}
