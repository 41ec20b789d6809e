/* Calls a layer compiled with --device=cuda through the runtime: a cuda
 * context (its driver is $DWCONV_CUDA_DRIVER in the tests), the typed
 * wrapper with host buffers, a cpu context refusing the layer. */
#include <stdio.h>
#include <string.h>

static void say(const char *what, dwconv_context *context,
                dwconv_status status) {
  printf("%s: %s", what, dwconv_status_string(status));
  if (status != DWCONV_OK)
    printf(": %s", dwconv_context_last_error(context));
  printf("\n");
}

int main(void) {
  static float input[1 * 6 * 6 * 2], kernel[3 * 3 * 2 * 1], bias[2],
      output[1 * 4 * 4 * 2];
  dwconv_context_options options;
  dwconv_context *context = NULL, *cpu = NULL;
  int i;
  for (i = 0; i < 72; ++i)
    input[i] = (float)(i + 1);
  for (i = 0; i < 18; ++i)
    kernel[i] = 0.5f;
  bias[0] = 3.0f;
  memset(&options, 0, sizeof(options));
  options.device = DWCONV_DEVICE_CUDA;
  dwconv_status status = dwconv_context_create(&options, &context);
  say("cuda context", NULL, status);
  if (status != DWCONV_OK)
    return 0;
  say("run", context, dwconv_small_run(context, input, kernel, bias, output));
  say("run again", context, dwconv_small_run(context, input, kernel, bias, output));
  dwconv_context_create(NULL, &cpu);
  say("cpu context", cpu, dwconv_small_run(cpu, input, kernel, bias, output));
  dwconv_context_destroy(cpu);
  dwconv_context_destroy(context);
  return 0;
}
