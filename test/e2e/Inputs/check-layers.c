/* Loads a shared library built from a generated object and checks the named
 * layers, found by their metadata alone, against the reference on random data
 * (batch 1 where the batch is dynamic):  check-layers LIB.so LAYER...  */
#include "dwconv/runtime.h"
#include "reference.h"

#include <dlfcn.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <stdlib.h>

static float *random_buffer(int64_t count) {
  float *data = malloc((count ? count : 1) * sizeof(float));
  for (int64_t i = 0; i < count; ++i)
    data[i] = rand() / (float)RAND_MAX * 2.0f - 1.0f;
  return data;
}

/* The reference's description of `layer` on `in_dims`. */
static dwconv_ref_layer describe(const dwconv_layer_metadata *layer,
                                 const int64_t in_dims[4]) {
  int first = layer->data_format == DWCONV_CHANNELS_FIRST;
  dwconv_ref_layer ref = {in_dims[0],
                          in_dims[first ? 2 : 1],
                          in_dims[first ? 3 : 2],
                          layer->kernel_shape[2],
                          layer->kernel_shape[0],
                          layer->kernel_shape[1],
                          layer->kernel_shape[3],
                          layer->strides[0],
                          layer->strides[1],
                          layer->dilation_rate[0],
                          layer->dilation_rate[1],
                          layer->padding == DWCONV_PADDING_SAME,
                          first,
                          (int)layer->activation,
                          (int)layer->has_bias};
  int i;
  ref.explicit_padding = layer->padding == DWCONV_PADDING_EXPLICIT;
  for (i = 0; i < 4 && ref.explicit_padding; ++i)
    ref.pads[i] = layer->pads[i];
  return ref;
}

/* Runs `layer` (batch 1 where dynamic) on random data through the runtime and
 * compares with the reference; whether it matched. */
static int check_layer(dwconv_context *context, const char *name,
                       const dwconv_layer_metadata *layer) {
  int64_t in_dims[4], out_dims[4];
  for (int d = 0; d < 4; ++d)
    in_dims[d] = layer->input_shape[d] < 0 ? 1 : layer->input_shape[d];
  dwconv_layer_output_shape(layer, in_dims, out_dims);
  int64_t in_count = in_dims[0] * in_dims[1] * in_dims[2] * in_dims[3];
  int64_t out_count = out_dims[0] * out_dims[1] * out_dims[2] * out_dims[3];
  int64_t channels = layer->kernel_shape[2] * layer->kernel_shape[3];
  float *input = random_buffer(in_count);
  float *kernel =
      random_buffer(layer->kernel_shape[0] * layer->kernel_shape[1] * channels);
  float *bias = random_buffer(channels);
  float *output = malloc(out_count * sizeof(float));
  double *expected = malloc(out_count * sizeof(double));
  /* One call path for every layer: the runtime, with the metadata. */
  dwconv_call call = dwconv_call_empty();
  int64_t bias_dims[1] = {channels};
  call.input = dwconv_buffer_f32(input, 4, in_dims);
  call.output = dwconv_buffer_f32(output, 4, out_dims);
  if (!layer->weights_baked) {
    call.depthwise_kernel = dwconv_buffer_f32(kernel, 4, layer->kernel_shape);
    if (layer->has_bias)
      call.bias = dwconv_buffer_f32(bias, 1, bias_dims);
  }
  dwconv_status status = dwconv_layer_run(context, layer, &call);
  dwconv_ref_layer ref = describe(layer, in_dims);
  dwconv_ref_compute(&ref, input, kernel, bias, expected);
  double error = 0, scale = 0;
  for (int64_t j = 0; j < out_count; ++j) {
    error = fmax(error, fabs(output[j] - expected[j]));
    scale = fmax(scale, fabs(expected[j]));
  }
  int ok = status == DWCONV_OK && error <= 1e-5 * scale;
  printf("%s: %s, relative error within 1e-5: %s\n", name,
         dwconv_status_string(status), ok ? "yes" : "no");
  free(input);
  free(kernel);
  free(bias);
  free(output);
  free(expected);
  return ok;
}

int main(int argc, char **argv) {
  void *library = dlopen(argv[1], RTLD_NOW);
  if (!library) {
    printf("cannot load %s: %s\n", argv[1], dlerror());
    return 1;
  }
  dwconv_context *context;
  dwconv_context_create(NULL, &context);
  int failures = 0;
  /* --model=M: the names are Keras layer names in M's layer table. */
  const dwconv_model_layer *table = NULL;
  int first = 2;
  if (argc > 2 && strncmp(argv[2], "--model=", 8) == 0) {
    char symbol[512];
    snprintf(symbol, sizeof(symbol), "dwconv_%s_layers", argv[2] + 8);
    table = dlsym(library, symbol);
    if (!table)
      printf("%s: not found\n", symbol);
    first = 3;
  }
  for (int i = first; i < argc; ++i) {
    const dwconv_layer_metadata *layer = NULL;
    if (table) {
      for (const dwconv_model_layer *entry = table; entry->metadata; ++entry)
        if (strcmp(entry->keras_name, argv[i]) == 0)
          layer = entry->metadata;
    } else {
      char symbol[512];
      snprintf(symbol, sizeof(symbol), "dwconv_%s_metadata", argv[i]);
      layer = dlsym(library, symbol);
    }
    if (!layer)
      printf("%s: not found\n", argv[i]);
    failures += !layer || !check_layer(context, argv[i], layer);
  }
  dwconv_context_destroy(context);
  return failures != 0;
}
