/*===- runtime.c - the dwconv runtime -------------------------------------===*/

#include "dwconv/runtime.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DWCONV_MESSAGE_SIZE 512

struct dwconv_context {
  dwconv_context_options options;
  char last_error[DWCONV_MESSAGE_SIZE];
};

/* Where failures without a context leave their message. */
static _Thread_local char contextless_error[DWCONV_MESSAGE_SIZE];

static dwconv_status fail(dwconv_context *context, dwconv_status status,
                          const char *format, ...) {
  char *buffer = context ? context->last_error : contextless_error;
  va_list args;
  va_start(args, format);
  vsnprintf(buffer, DWCONV_MESSAGE_SIZE, format, args);
  va_end(args);
  return status;
}

const char *dwconv_status_string(dwconv_status status) {
  switch (status) {
  case DWCONV_OK:
    return "DWCONV_OK";
  case DWCONV_INVALID_ARGUMENT:
    return "DWCONV_INVALID_ARGUMENT";
  case DWCONV_OUT_OF_RANGE:
    return "DWCONV_OUT_OF_RANGE";
  case DWCONV_ALIASING:
    return "DWCONV_ALIASING";
  case DWCONV_UNSUPPORTED:
    return "DWCONV_UNSUPPORTED";
  case DWCONV_OUT_OF_MEMORY:
    return "DWCONV_OUT_OF_MEMORY";
  case DWCONV_ABI_MISMATCH:
    return "DWCONV_ABI_MISMATCH";
  }
  return "unknown dwconv_status";
}

/* Same order as the dialect's Activation enum. */
static const char *const activation_names[] = {
    "linear",       "relu",
    "relu6",        "leaky_relu",
    "elu",          "selu",
    "gelu",         "sigmoid",
    "hard_sigmoid", "hard_sigmoid_keras2",
    "silu",         "hard_silu",
    "mish",         "tanh",
    "softplus",     "softsign",
    "exponential",  "log_sigmoid",
    "softmax",      "log_softmax"};

const char *dwconv_activation_name(uint32_t activation) {
  if (activation >= sizeof(activation_names) / sizeof(activation_names[0]))
    return "unknown";
  return activation_names[activation];
}

/*--- Shapes -----------------------------------------------------------------*/

typedef struct layout {
  int batch, height, width, channels;
} layout;

static layout get_layout(const dwconv_layer_metadata *layer) {
  if (layer->data_format == DWCONV_CHANNELS_FIRST)
    return (layout){0, 2, 3, 1};
  return (layout){0, 1, 2, 3};
}

static const char *const dim_names[4][4] = {
    {"batch", "height", "width", "channels"},
    {"batch", "channels", "height", "width"}};

static const char *dim_name(const dwconv_layer_metadata *layer, int dim) {
  return dim_names[layer->data_format == DWCONV_CHANNELS_FIRST][dim];
}

static int64_t output_size(const dwconv_layer_metadata *layer, int spatial,
                           int64_t input_size) {
  int64_t stride = layer->strides[spatial];
  int64_t extent = input_size;
  if (layer->padding == DWCONV_PADDING_VALID)
    extent -=
        (layer->kernel_shape[spatial] - 1) * layer->dilation_rate[spatial];
  return extent <= 0 ? 0 : (extent + stride - 1) / stride;
}

static dwconv_status compute_output_shape(dwconv_context *context,
                                          const dwconv_layer_metadata *layer,
                                          const int64_t input_dims[4],
                                          int64_t output_dims[4]) {
  layout l = get_layout(layer);
  output_dims[l.batch] = input_dims[l.batch];
  output_dims[l.channels] = layer->kernel_shape[2] * layer->kernel_shape[3];
  int spatial_dims[2] = {l.height, l.width};
  for (int i = 0; i < 2; ++i) {
    int dim = spatial_dims[i];
    output_dims[dim] = output_size(layer, i, input_dims[dim]);
    if (output_dims[dim] <= 0)
      return fail(
          context, DWCONV_OUT_OF_RANGE,
          "layer '%s': input %s %lld gives an empty output (the "
          "dilated kernel %s is %lld with '%s' padding)",
          layer->name, dim_name(layer, dim), (long long)input_dims[dim],
          dim_name(layer, dim),
          (long long)((layer->kernel_shape[i] - 1) * layer->dilation_rate[i] +
                      1),
          layer->padding == DWCONV_PADDING_SAME ? "same" : "valid");
  }
  return DWCONV_OK;
}

dwconv_status dwconv_layer_output_shape(const dwconv_layer_metadata *layer,
                                        const int64_t input_dims[4],
                                        int64_t output_dims[4]) {
  if (!layer || !input_dims || !output_dims)
    return fail(NULL, DWCONV_INVALID_ARGUMENT,
                "dwconv_layer_output_shape: null argument");
  return compute_output_shape(NULL, layer, input_dims, output_dims);
}

int64_t dwconv_layer_flops(const dwconv_layer_metadata *layer,
                           const int64_t input_dims[4]) {
  int64_t output_dims[4];
  if (!layer || !input_dims ||
      compute_output_shape(NULL, layer, input_dims, output_dims) != DWCONV_OK)
    return -1;
  int64_t outputs = 1;
  for (int i = 0; i < 4; ++i)
    outputs *= output_dims[i];
  int64_t taps = layer->kernel_shape[0] * layer->kernel_shape[1];
  int64_t epilogue = (layer->has_bias ? 1 : 0) + (layer->activation ? 1 : 0);
  return outputs * (2 * taps + epilogue);
}

/*--- Context ----------------------------------------------------------------*/

dwconv_status dwconv_context_create(const dwconv_context_options *options,
                                    dwconv_context **out_context) {
  if (!out_context)
    return fail(NULL, DWCONV_INVALID_ARGUMENT,
                "dwconv_context_create: out_context is null");
  *out_context = NULL;
  if (options && options->device != DWCONV_DEVICE_CPU)
    return fail(NULL, DWCONV_UNSUPPORTED,
                "dwconv_context_create: device %d is not supported (only "
                "DWCONV_DEVICE_CPU = 0 is)",
                (int)options->device);
  dwconv_context *context = calloc(1, sizeof(*context));
  if (!context)
    return fail(NULL, DWCONV_OUT_OF_MEMORY,
                "dwconv_context_create: out of memory");
  if (options)
    context->options = *options;
  *out_context = context;
  return DWCONV_OK;
}

void dwconv_context_destroy(dwconv_context *context) { free(context); }

const char *dwconv_context_last_error(const dwconv_context *context) {
  return context ? context->last_error : contextless_error;
}

dwconv_status dwconv_parallel_for(dwconv_context *context, int64_t count,
                                  dwconv_task_fn fn, void *arg) {
  if (!context || !fn)
    return fail(context, DWCONV_INVALID_ARGUMENT,
                "dwconv_parallel_for: %s is null", context ? "fn" : "context");
  if (count <= 0)
    return DWCONV_OK;
  if (context->options.parallel_for)
    context->options.parallel_for(context->options.pool, count, fn, arg);
  else
    fn(arg, 0, count);
  return DWCONV_OK;
}

/*--- Argument validation ----------------------------------------------------*/

/* Largest element count whose byte size fits in a ptrdiff_t. */
#define DWCONV_MAX_ELEMENTS (PTRDIFF_MAX / (ptrdiff_t)sizeof(float))

static dwconv_status check_pointer(dwconv_context *context,
                                   const dwconv_layer_metadata *layer,
                                   const char *what, const void *pointer) {
  if (!pointer)
    return fail(context, DWCONV_INVALID_ARGUMENT, "layer '%s': %s is null",
                layer->name, what);
  if ((uintptr_t)pointer % _Alignof(float))
    return fail(context, DWCONV_INVALID_ARGUMENT,
                "layer '%s': %s (%p) is not aligned to %zu bytes (float)",
                layer->name, what, pointer, _Alignof(float));
  return DWCONV_OK;
}

/* Element count of a shape, or -1 if it exceeds DWCONV_MAX_ELEMENTS. */
static int64_t element_count(const int64_t dims[], int rank) {
  int64_t count = 1;
  for (int i = 0; i < rank; ++i) {
    if (dims[i] != 0 && count > DWCONV_MAX_ELEMENTS / dims[i])
      return -1;
    count *= dims[i];
  }
  return count;
}

static int overlaps(const float *a, int64_t a_count, const float *b,
                    int64_t b_count) {
  uintptr_t a0 = (uintptr_t)a, a1 = a0 + (uintptr_t)a_count * sizeof(float);
  uintptr_t b0 = (uintptr_t)b, b1 = b0 + (uintptr_t)b_count * sizeof(float);
  return a_count > 0 && b_count > 0 && a0 < b1 && b0 < a1;
}

dwconv_status dwconv_check_call(dwconv_context *context,
                                const dwconv_layer_metadata *layer,
                                const float *input, const float *kernel,
                                const float *bias, const float *output,
                                const int64_t input_dims[4],
                                int64_t output_dims[4]) {
  if (!layer || !input_dims || !output_dims)
    return fail(context, DWCONV_INVALID_ARGUMENT,
                "dwconv_check_call: null layer metadata or dims");
  if (layer->abi_version != DWCONV_ABI_VERSION)
    return fail(context, DWCONV_ABI_MISMATCH,
                "layer '%s' was generated for runtime ABI %u, this runtime "
                "implements %u",
                layer->name, layer->abi_version, DWCONV_ABI_VERSION);
  if (!context)
    return fail(NULL, DWCONV_INVALID_ARGUMENT,
                "layer '%s': context is null (create one with "
                "dwconv_context_create)",
                layer->name);

  for (int dim = 0; dim < 4; ++dim) {
    int64_t expected = layer->input_shape[dim];
    int64_t given = input_dims[dim];
    if (expected >= 0 && given != expected)
      return fail(context, DWCONV_OUT_OF_RANGE,
                  "layer '%s': input %s is %lld, expected %lld", layer->name,
                  dim_name(layer, dim), (long long)given, (long long)expected);
    layout l = get_layout(layer);
    int64_t minimum = dim == l.batch ? 0 : 1;
    if (given < minimum)
      return fail(context, DWCONV_OUT_OF_RANGE,
                  "layer '%s': input %s is %lld, expected at least %lld",
                  layer->name, dim_name(layer, dim), (long long)given,
                  (long long)minimum);
  }
  dwconv_status status =
      compute_output_shape(context, layer, input_dims, output_dims);
  if (status != DWCONV_OK)
    return status;
  int64_t input_count = element_count(input_dims, 4);
  int64_t output_count = element_count(output_dims, 4);
  int64_t kernel_count = element_count(layer->kernel_shape, 4);
  if (input_count < 0 || output_count < 0)
    return fail(context, DWCONV_OUT_OF_RANGE,
                "layer '%s': the %s does not fit in memory (dims too large)",
                layer->name, input_count < 0 ? "input" : "output");
  if (input_count == 0)
    return DWCONV_OK; /* an empty batch reads and writes nothing */

  /* Baked weights live in the object: there are no pointers to check. */
  int weights_given = !layer->weights_baked;
  int64_t bias_count = layer->kernel_shape[2] * layer->kernel_shape[3];
  if ((status = check_pointer(context, layer, "input", input)) ||
      (weights_given &&
       (status = check_pointer(context, layer, "depthwise_kernel", kernel))) ||
      (status = check_pointer(context, layer, "output", output)) ||
      (weights_given && layer->has_bias &&
       (status = check_pointer(context, layer, "bias", bias))))
    return status;

  const char *aliased =
      overlaps(output, output_count, input, input_count) ? "input"
      : weights_given && overlaps(output, output_count, kernel, kernel_count)
          ? "depthwise_kernel"
      : weights_given && layer->has_bias &&
              overlaps(output, output_count, bias, bias_count)
          ? "bias"
          : NULL;
  if (aliased)
    return fail(context, DWCONV_ALIASING,
                "layer '%s': output overlaps %s; the layer cannot run in place",
                layer->name, aliased);
  context->last_error[0] = '\0';
  return DWCONV_OK;
}

/*--- Calling entry points found at run time ---------------------------------*/

typedef dwconv_context *cx;
typedef const float *cf;
typedef float *of;
typedef int64_t dim;
/* Calls `entry` as a function of the parenthesized argument types. */
#define CALL(TYPES, ...) return ((dwconv_status(*) TYPES)entry)(__VA_ARGS__)

dwconv_status dwconv_call_entry(dwconv_entry_fn entry,
                                const dwconv_layer_metadata *layer,
                                dwconv_context *context, const float *input,
                                const float *kernel, const float *bias,
                                float *output, const int64_t input_dims[4]) {
  if (!entry || !layer || !input_dims)
    return fail(context, DWCONV_INVALID_ARGUMENT,
                "dwconv_call_entry: null entry point, metadata or dims");
  int64_t d[4];
  int dims = 0;
  for (int i = 0; i < 4; ++i)
    if (layer->input_shape[i] < 0)
      d[dims++] = input_dims[i];
  int weights = layer->weights_baked ? 0 : layer->has_bias ? 2 : 1;
  switch (weights * 5 + dims) {
  case 0:
    CALL((cx, cf, of), context, input, output);
  case 1:
    CALL((cx, cf, of, dim), context, input, output, d[0]);
  case 2:
    CALL((cx, cf, of, dim, dim), context, input, output, d[0], d[1]);
  case 3:
    CALL((cx, cf, of, dim, dim, dim), context, input, output, d[0], d[1], d[2]);
  case 5:
    CALL((cx, cf, cf, of), context, input, kernel, output);
  case 6:
    CALL((cx, cf, cf, of, dim), context, input, kernel, output, d[0]);
  case 7:
    CALL((cx, cf, cf, of, dim, dim), context, input, kernel, output, d[0],
         d[1]);
  case 8:
    CALL((cx, cf, cf, of, dim, dim, dim), context, input, kernel, output, d[0],
         d[1], d[2]);
  case 10:
    CALL((cx, cf, cf, cf, of), context, input, kernel, bias, output);
  case 11:
    CALL((cx, cf, cf, cf, of, dim), context, input, kernel, bias, output, d[0]);
  case 12:
    CALL((cx, cf, cf, cf, of, dim, dim), context, input, kernel, bias, output,
         d[0], d[1]);
  case 13:
    CALL((cx, cf, cf, cf, of, dim, dim, dim), context, input, kernel, bias,
         output, d[0], d[1], d[2]);
  }
  /* Four dynamic dims: the channel count is never dynamic in a layer. */
  return fail(context, DWCONV_INVALID_ARGUMENT,
              "layer '%s': metadata with %d dynamic input dims (at most 3)",
              layer->name, dims);
}
