/* Runs MobileNetV2's block_1 as dwconv compiled it from
 * examples/mobilenet_v2_block_1.keras: ZeroPadding2D, DepthwiseConv2D,
 * BatchNormalization and ReLU(6) folded into one layer, its weights baked
 * into the object. It lists the model's layer table, calls the block on
 * Keras's test input through the typed function the header declares, and
 * compares with the output Keras computed for the same block
 * (mobilenet_v2_block_1_expected.h).
 * Build: cc -include block.h run_block.c block.o libdwconv_runtime.a -lm
 *           -pthread */

#include "dwconv/runtime.h"
#include "mobilenet_v2_block_1_expected.h"
/* The generated header: given by -include, or named here by the build
 * (examples/consumer: DWCONV_BLOCK_HEADER="mnv2_block.h"). */
#ifdef DWCONV_BLOCK_HEADER
#include DWCONV_BLOCK_HEADER
#endif

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static double now(void) {
  struct timespec t;
  timespec_get(&t, TIME_UTC);
  return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

int main(void) {
  const dwconv_model_layer *entry = &dwconv_mnv2_layers[0];
  const dwconv_layer_metadata *layer = entry->metadata;
  int64_t in_dims[4], out_dims[4], i, in_count = 1, out_count = 1;
  for (i = 0; i < DWCONV_MNV2_LAYER_COUNT; ++i)
    printf("layer '%s' (symbol %s): %s, folded into it: %s\n",
           dwconv_mnv2_layers[i].keras_name, dwconv_mnv2_layers[i].symbol,
           dwconv_mnv2_layers[i].metadata->activation_text,
           dwconv_mnv2_layers[i].metadata->folded_layers);

  for (i = 0; i < 4; ++i)
    in_dims[i] = layer->input_shape[i] < 0 ? 1 : layer->input_shape[i];
  if (dwconv_layer_output_shape(layer, in_dims, out_dims) != DWCONV_OK)
    return 1;
  for (i = 0; i < 4; ++i)
    in_count *= in_dims[i], out_count *= out_dims[i];
  float *input = malloc(in_count * sizeof(float));
  float *output = malloc(out_count * sizeof(float));
  /* Keras's test input: x[i] = 2 sin(0.37 i + 0.3). */
  for (i = 0; i < in_count; ++i)
    input[i] = (float)(2.0 * sin(0.37 * (double)i + 0.3));

  /* Two workers: the calling thread and one of the context's pool. */
  dwconv_context_options options = {0};
  dwconv_context *context;
  options.threads = 2;
  if (dwconv_context_create(&options, &context) != DWCONV_OK)
    return 1;
  double start = 0.0;
  int runs = 20;
  for (int run = -1; run < runs; ++run) { /* run -1 warms up */
    if (run == 0)
      start = now();
    dwconv_status status =
        dwconv_mnv2_block_1_depthwise_run(context, input, output, in_dims[0]);
    if (status != DWCONV_OK) {
      printf("failed: %s\n", dwconv_context_last_error(context));
      return 1;
    }
  }
  double seconds = (now() - start) / runs;
  printf("input (%lld, %lld, %lld, %lld) -> output (%lld, %lld, %lld, %lld) "
         "on %d threads: %.3f ms, %.1f GFLOP/s\n",
         (long long)in_dims[0], (long long)in_dims[1], (long long)in_dims[2],
         (long long)in_dims[3], (long long)out_dims[0], (long long)out_dims[1],
         (long long)out_dims[2], (long long)out_dims[3],
         (int)dwconv_context_threads(context), seconds * 1e3,
         (double)dwconv_layer_flops(layer, in_dims) / seconds * 1e-9);

  double scale = 0.0, error = 0.0;
  size_t count = sizeof(keras_expected) / sizeof(keras_expected[0]), k;
  for (k = 0; k < count; ++k) {
    scale = fmax(scale, fabs(keras_expected[k].value));
    error = fmax(error, fabs(output[keras_expected[k].index] -
                             keras_expected[k].value));
  }
  printf("against Keras's block output (%zu elements): max relative error "
         "%.2g: %s\n",
         count, error / scale, error / scale <= 1e-5 ? "OK" : "MISMATCH");
  dwconv_context_destroy(context);
  free(input);
  free(output);
  return error / scale <= 1e-5 ? 0 : 1;
}
