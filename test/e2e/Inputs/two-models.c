/* Two models compiled with different prefixes (--name), linked into one
 * program: each model's layer table lists its layers, and each layer runs
 * through its table entry on a batch of 1. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

static void run_table(const char *model, const dwconv_model_layer *table,
                      int count, dwconv_context *context) {
  int i;
  for (i = 0; i < count; ++i) {
    const dwconv_layer_metadata *m = table[i].metadata;
    int64_t in[4], out[4], n_in = 1, n_out = 1, k;
    float *x, *y;
    dwconv_call call = dwconv_call_empty();
    dwconv_status status;
    for (k = 0; k < 4; ++k)
      in[k] = m->input_shape[k] < 0 ? 1 : m->input_shape[k];
    dwconv_layer_output_shape(m, in, out);
    for (k = 0; k < 4; ++k) {
      n_in *= in[k];
      n_out *= out[k];
    }
    x = (float *)malloc((size_t)n_in * sizeof(float));
    y = (float *)malloc((size_t)n_out * sizeof(float));
    for (k = 0; k < n_in; ++k)
      x[k] = (float)sin(0.37 * (double)k);
    call.input = dwconv_buffer_f32(x, 4, in);
    call.output = dwconv_buffer_f32(y, 4, out);
    status = table[i].call(context, &call);
    printf("%s: layer '%s' (symbol %s, metadata name %s): %s\n", model,
           table[i].keras_name, table[i].symbol, m->name,
           dwconv_status_string(status));
    free(x);
    free(y);
  }
}

int main(void) {
  dwconv_context *context = NULL;
  if (dwconv_context_create(NULL, &context) != DWCONV_OK)
    return 1;
  run_table("m1", dwconv_m1_layers, DWCONV_M1_LAYER_COUNT, context);
  run_table("m2", dwconv_m2_layers, DWCONV_M2_LAYER_COUNT, context);
  dwconv_context_destroy(context);
  return 0;
}
