/* Runs the dynamic_hw layer on two spatial sizes and checks it against the
 * reference, then asks for a size the layer cannot take. */
#include "dwconv/runtime.h"
#include "reference.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

static int check(dwconv_context *context, int64_t h, int64_t w) {
  dwconv_ref_layer ref = {2, h, w, 3, 4, 3, 2, 1, 1, 2, 1, 1, 1, 14 /*softplus*/, 0};
  int64_t oh, ow;
  dwconv_ref_output_size(&ref, &oh, &ow);
  size_t in_count = 2 * 3 * h * w, out_count = 2 * 6 * oh * ow;
  float *input = malloc(in_count * sizeof(float)), kernel[4 * 3 * 3 * 2];
  float *output = malloc(out_count * sizeof(float));
  double *expected = malloc(out_count * sizeof(double));
  for (size_t i = 0; i < in_count; ++i)
    input[i] = (float)((i * 37) % 11) / 5.0f - 1.0f;
  for (size_t i = 0; i < sizeof(kernel) / sizeof(float); ++i)
    kernel[i] = (float)((i * 13) % 7) / 3.0f - 1.0f;
  dwconv_status status = dwconv_dynamic_hw_run(context, input, kernel, output, h, w);
  dwconv_ref_compute(&ref, input, kernel, NULL, expected);
  double error = 0, scale = 0;
  for (size_t i = 0; i < out_count; ++i) {
    error = fmax(error, fabs(output[i] - expected[i]));
    scale = fmax(scale, fabs(expected[i]));
  }
  printf("%lldx%lld -> %lldx%lld: %s, within 1e-5: %s\n", (long long)h,
         (long long)w, (long long)oh, (long long)ow,
         dwconv_status_string(status), error / scale <= 1e-5 ? "yes" : "no");
  free(input);
  free(output);
  free(expected);
  return 0;
}

int main(void) {
  dwconv_context *context;
  dwconv_context_create(NULL, &context);
  check(context, 9, 16);
  check(context, 1, 1);
  float x[1];
  dwconv_status status = dwconv_dynamic_hw_run(context, x, x, x, 0, 5);
  printf("height 0: %s: %s\n", dwconv_status_string(status),
         dwconv_context_last_error(context));
  dwconv_context_destroy(context);
  return 0;
}
