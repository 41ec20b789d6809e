/* Calls layer 'dw1' of a model compiled with --device=cuda and its weights
 * baked (test/e2e/data/models/three_dw.keras): the runtime copies the baked
 * weights to the device once and passes them to each launch. */
#include <stdio.h>
#include <string.h>

int main(void) {
  static float input[1 * 12 * 11 * 4], output[1 * 12 * 11 * 4];
  int64_t dims[4] = {1, 12, 11, 4};
  dwconv_context_options options;
  dwconv_context *context = NULL;
  dwconv_call call = dwconv_call_empty();
  dwconv_status status;
  memset(&options, 0, sizeof(options));
  options.device = DWCONV_DEVICE_CUDA;
  if ((status = dwconv_context_create(&options, &context)) != DWCONV_OK) {
    printf("cuda context: %s\n", dwconv_status_string(status));
    return 1;
  }
  printf("baked weights: %lld bytes\n",
         (long long)dwconv_three_dw_dw1_metadata.baked_weights_bytes);
  call.input = dwconv_buffer_f32(input, 4, dims);
  call.output = dwconv_buffer_f32(output, 4, dims);
  status = dwconv_layer_run(context, &dwconv_three_dw_dw1_metadata, &call);
  printf("run: %s", dwconv_status_string(status));
  if (status != DWCONV_OK)
    printf(": %s", dwconv_context_last_error(context));
  printf("\n");
  dwconv_context_destroy(context);
  return status != DWCONV_OK;
}
