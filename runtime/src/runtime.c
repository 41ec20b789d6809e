/*===- runtime.c - the dwconv runtime (ABI v5) ----------------------------===*
 *
 * Names of the ABI's enums, the context (options, built-in pool, cached
 * workspace, last error), the checks of a call, and plan / run / pack.
 *
 *===----------------------------------------------------------------------===*/

#include "dwconv/runtime.h"

#include "cuda.h"
#include "pool.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DWCONV_MESSAGE_SIZE 512
#define ALIGNMENT ((size_t)DWCONV_ABI_ALIGNMENT)

struct dwconv_context {
  /* The caller's options, with threads >= 1. */
  dwconv_context_options options;
  /* threads - 1 workers when threads > 1 and no parallel_for is given. */
  dwconv_pool *pool;
  /* The CUDA device of a context of device cuda (cuda.c). */
  dwconv_cuda *cuda;
  /* Workspace kept between calls that give none (from the allocator). */
  void *workspace;
  size_t workspace_bytes;
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

static dwconv_status succeed(dwconv_context *context) {
  context->last_error[0] = '\0';
  return DWCONV_OK;
}

/*--- Names (dwconv/abi.def) -------------------------------------------------*/

const char *dwconv_status_string(dwconv_status status) {
  switch ((int)status) {
#define DWCONV_STATUS(ID, VALUE, NAME)                                         \
  case ID:                                                                     \
    return NAME;
#include "dwconv/abi.def"
  }
  return "unknown dwconv_status";
}

const char *dwconv_dtype_name(uint32_t dtype) {
  switch (dtype) {
#define DWCONV_DTYPE(ID, VALUE, NAME, BYTES)                                   \
  case ID:                                                                     \
    return NAME;
#include "dwconv/abi.def"
  }
  return "unknown";
}

size_t dwconv_dtype_size(uint32_t dtype) {
  switch (dtype) {
#define DWCONV_DTYPE(ID, VALUE, NAME, BYTES)                                   \
  case ID:                                                                     \
    return BYTES;
#include "dwconv/abi.def"
  }
  return 0;
}

const char *dwconv_device_name(uint32_t device) {
  switch (device) {
#define DWCONV_DEVICE(ID, VALUE, NAME)                                         \
  case ID:                                                                     \
    return NAME;
#include "dwconv/abi.def"
  }
  return "unknown";
}

const char *dwconv_gpu_format_name(uint32_t format) {
  switch (format) {
#define DWCONV_GPU_FORMAT(ID, VALUE, NAME)                                     \
  case VALUE:                                                                  \
    return NAME;
#include "dwconv/abi.def"
  }
  return "unknown";
}

const char *dwconv_data_format_name(uint32_t data_format) {
  switch (data_format) {
#define DWCONV_DATA_FORMAT(ID, VALUE, NAME)                                    \
  case ID:                                                                     \
    return NAME;
#include "dwconv/abi.def"
  }
  return "unknown";
}

const char *dwconv_padding_name(uint32_t padding) {
  switch (padding) {
#define DWCONV_PADDING(ID, VALUE, NAME)                                        \
  case ID:                                                                     \
    return NAME;
#include "dwconv/abi.def"
  }
  return "unknown";
}

const char *dwconv_activation_name(uint32_t activation) {
  switch (activation) {
#define DWCONV_ACTIVATION(ID, VALUE, NAME)                                     \
  case ID:                                                                     \
    return NAME;
#include "dwconv/abi.def"
  }
  return "unknown";
}

/* The C type of an element, for messages ("float"). */
static const char *dtype_c_name(uint32_t dtype) {
  return dtype == DWCONV_DTYPE_F32 ? "float" : dwconv_dtype_name(dtype);
}

/*--- Arithmetic -------------------------------------------------------------*/

/* ceil(a / b) for a >= 0 and b > 0, without overflow. */
static int64_t ceil_div(int64_t a, int64_t b) { return a / b + (a % b != 0); }

/* Rounds `bytes` (>= 0) up to ALIGNMENT; returns 0 on overflow. */
static int round_up(int64_t bytes, int64_t *rounded) {
  const int64_t mask = (int64_t)ALIGNMENT - 1;
  if (__builtin_add_overflow(bytes, mask, rounded))
    return 0;
  *rounded &= ~mask;
  return 1;
}

/* Bytes of a tensor of `dims`, or -1 if they do not fit in a ptrdiff_t. */
static int64_t tensor_bytes(const int64_t *dims, int rank, size_t element) {
  int64_t bytes = (int64_t)element;
  int i;
  for (i = 0; i < rank; ++i)
    if (dims[i] == 0)
      return 0;
  for (i = 0; i < rank; ++i)
    if (__builtin_mul_overflow(bytes, dims[i], &bytes))
      return -1;
  return (uint64_t)bytes > (uint64_t)PTRDIFF_MAX ? -1 : bytes;
}

/* Start of [i * count / n, ...) of the static split of [0, count) into n
 * ranges, without overflowing i * count (0 <= i <= n, n <= INT32_MAX). */
static int64_t split_point(int64_t count, int64_t n, int64_t i) {
  return i * (count / n) + i * (count % n) / n;
}

/* Whether [a, a + a_bytes) and [b, b + b_bytes) share a byte. */
static int overlaps(const void *a, int64_t a_bytes, const void *b,
                    int64_t b_bytes) {
  uintptr_t a0 = (uintptr_t)a, a1 = a0 + (uintptr_t)a_bytes;
  uintptr_t b0 = (uintptr_t)b, b1 = b0 + (uintptr_t)b_bytes;
  return a && b && a_bytes > 0 && b_bytes > 0 && a0 < b1 && b0 < a1;
}

/*--- Layers: names and shapes -----------------------------------------------*/

/* The ABI v1 metadata, only to name a v1 layer in the mismatch message. */
typedef struct metadata_v1 {
  uint32_t abi_version, dtype, data_format, padding, activation, has_bias,
      weights_baked;
  int64_t input_shape[4], kernel_shape[4], output_shape[4], strides[2],
      dilation_rate[2];
  const char *name;
} metadata_v1;

/* The layer's name for messages: its Keras name where it has one (ABI v4
 * on), else the name its symbols are named after. From ABI v2 on, fields
 * are only appended (dwconv/abi.def), so `name` is where v2 has it in every
 * later version. */
static const char *name_of(const dwconv_layer_metadata *layer) {
  const char *name = layer->abi_version >= 2 ? layer->name
                     : layer->abi_version == 1
                         ? ((const metadata_v1 *)(const void *)layer)->name
                         : NULL;
  if (layer->abi_version >= 4 && layer->keras_name)
    name = layer->keras_name;
  return name ? name : "<unnamed>";
}

typedef struct layout {
  int batch, height, width, channels;
} layout;

static layout get_layout(const dwconv_layer_metadata *layer) {
  layout channels_first = {0, 2, 3, 1}, channels_last = {0, 1, 2, 3};
  return layer->data_format == DWCONV_CHANNELS_FIRST ? channels_first
                                                     : channels_last;
}

static const char *const dim_names[2][4] = {
    {"batch", "height", "width", "channels"},
    {"batch", "channels", "height", "width"}};

static const char *dim_name(const dwconv_layer_metadata *layer, int dim) {
  return dim_names[layer->data_format == DWCONV_CHANNELS_FIRST][dim];
}

/* "(1, 9, 7, 6)" into `buffer`. */
static const char *format_dims(char buffer[128], const int64_t *dims,
                               int rank) {
  int i, used = snprintf(buffer, 128, "(");
  for (i = 0; i < rank; ++i)
    used += snprintf(buffer + used, 128 - (size_t)used, "%s%lld", i ? ", " : "",
                     (long long)dims[i]);
  snprintf(buffer + used, 128 - (size_t)used, ")");
  return buffer;
}

/* The first thing wrong with a GPU layer's code fields, or NULL. */
static const char *gpu_metadata_problem(const dwconv_layer_metadata *layer) {
  int i;
  if (!layer->gpu_kernel || !layer->gpu_images || layer->gpu_image_count < 1)
    return "no GPU kernel or images";
  for (i = 0; i < 3; ++i)
    if (layer->gpu_block[i] < 1 || layer->gpu_block[i] > 1024)
      return "threads per block outside 1-1024";
  if (layer->weights_baked &&
      (!layer->baked_weights || layer->baked_weights_bytes < 4 ||
       layer->baked_weights_bytes % 4))
    return "baked weights without their data";
  if (!layer->weights_baked && !layer->pack)
    return "no pack function for weights given at run time";
  return NULL;
}

/* The first thing wrong with fields the runtime computes with, or NULL. */
static const char *metadata_problem(const dwconv_layer_metadata *layer) {
  layout l = get_layout(layer);
  int i;
  if (layer->data_format >= DWCONV_DATA_FORMAT_COUNT)
    return "unknown data_format";
  if (layer->padding >= DWCONV_PADDING_COUNT)
    return "unknown padding";
  if (layer->activation >= DWCONV_ACTIVATION_COUNT)
    return "unknown activation";
  for (i = 0; i < 4; ++i)
    if (layer->kernel_shape[i] < 1)
      return "a kernel dim is below 1";
  for (i = 0; i < 2; ++i)
    if (layer->strides[i] < 1 || layer->dilation_rate[i] < 1)
      return "a stride or dilation is below 1";
  for (i = 0; i < 4; ++i)
    if (layer->tile_shape[i] < 0)
      return "a tile dim is negative";
  if (layer->padding == DWCONV_PADDING_EXPLICIT)
    for (i = 0; i < 4; ++i)
      if (layer->pads[i] < 0)
        return "a pad is negative";
  if (layer->input_shape[l.channels] >= 0 &&
      layer->input_shape[l.channels] != layer->kernel_shape[2])
    return "input channels differ from the kernel's";
  if (layer->workspace_bytes < 0 || layer->packed_weights_bytes < 0)
    return "a negative byte count";
  if (layer->device == DWCONV_DEVICE_CUDA)
    return gpu_metadata_problem(layer);
  if (!layer->tile)
    return "no tile function";
  if (!layer->weights_baked && !layer->pack)
    return "no pack function for weights given at run time";
  return NULL;
}

/* One spatial output dim by Keras's rule; empty -> OUT_OF_RANGE. */
static dwconv_status spatial_output(dwconv_context *context,
                                    const dwconv_layer_metadata *layer,
                                    int spatial, int dim, int64_t input,
                                    int64_t *output) {
  int64_t span; /* (k - 1) * dilation: the dilated kernel is span + 1 */
  if (__builtin_mul_overflow(layer->kernel_shape[spatial] - 1,
                             layer->dilation_rate[spatial], &span) ||
      span == INT64_MAX)
    return fail(context, DWCONV_OUT_OF_RANGE,
                "layer '%s': the dilated kernel %s does not fit in int64 "
                "(dims too large)",
                name_of(layer), dim_name(layer, dim));
  int64_t extent = input;
  if (layer->padding == DWCONV_PADDING_EXPLICIT &&
      (__builtin_add_overflow(extent, layer->pads[2 * spatial], &extent) ||
       __builtin_add_overflow(extent, layer->pads[2 * spatial + 1], &extent)))
    return fail(context, DWCONV_OUT_OF_RANGE,
                "layer '%s': the padded input %s does not fit in int64",
                name_of(layer), dim_name(layer, dim));
  if (layer->padding != DWCONV_PADDING_SAME)
    extent -= span; /* both >= 0: no overflow */
  *output = extent <= 0 ? 0 : ceil_div(extent, layer->strides[spatial]);
  if (*output > 0)
    return DWCONV_OK;
  return fail(context, DWCONV_OUT_OF_RANGE,
              "layer '%s': input %s %lld gives an empty output (the dilated "
              "kernel %s is %lld with '%s' padding)",
              name_of(layer), dim_name(layer, dim), (long long)input,
              dim_name(layer, dim), (long long)(span + 1),
              dwconv_padding_name(layer->padding));
}

/* Output dims for input dims that passed the checks (all >= 0). */
static dwconv_status compute_output_dims(dwconv_context *context,
                                         const dwconv_layer_metadata *layer,
                                         const int64_t input_dims[4],
                                         int64_t output_dims[4]) {
  layout l = get_layout(layer);
  int spatial_dims[2] = {l.height, l.width};
  int i;
  if (__builtin_mul_overflow(layer->kernel_shape[2], layer->kernel_shape[3],
                             &output_dims[l.channels]))
    return fail(context, DWCONV_OUT_OF_RANGE,
                "layer '%s': the output channels do not fit in int64 (dims "
                "too large)",
                name_of(layer));
  output_dims[l.batch] = input_dims[l.batch];
  for (i = 0; i < 2; ++i) {
    dwconv_status status = spatial_output(context, layer, i, spatial_dims[i],
                                          input_dims[spatial_dims[i]],
                                          &output_dims[spatial_dims[i]]);
    if (status != DWCONV_OK)
      return status;
  }
  /* glu halves Keras's last axis (dim 3 in either layout). */
  if (layer->activation == DWCONV_ACTIVATION_GLU) {
    if (output_dims[3] % 2 != 0)
      return fail(context, DWCONV_OUT_OF_RANGE,
                  "layer '%s': activation 'glu' splits the last axis (%s) "
                  "into halves: it must be even, got %lld",
                  name_of(layer), dim_name(layer, 3),
                  (long long)output_dims[3]);
    output_dims[3] /= 2;
  }
  return DWCONV_OK;
}

/*--- Checks of a layer and a call -------------------------------------------*/

/* The layer's ABI version. No other field is read before it matches, but
 * the name for the message (see name_of). */
static dwconv_status check_abi(dwconv_context *context,
                               const dwconv_layer_metadata *layer) {
  if (layer->abi_version == DWCONV_ABI_VERSION)
    return DWCONV_OK;
  return fail(context, DWCONV_ABI_MISMATCH,
              "layer '%s' was generated for runtime ABI %u, this runtime "
              "implements %u",
              name_of(layer), (unsigned)layer->abi_version,
              (unsigned)DWCONV_ABI_VERSION);
}

/* ABI, context, device, dtype and metadata: what every layer call needs. */
static dwconv_status check_layer(dwconv_context *context,
                                 const dwconv_layer_metadata *layer) {
  dwconv_status status = check_abi(context, layer);
  if (status != DWCONV_OK)
    return status;
  if (!context)
    return fail(NULL, DWCONV_INVALID_ARGUMENT,
                "layer '%s': context is null (create one with "
                "dwconv_context_create)",
                name_of(layer));
  if (layer->device != (uint32_t)context->options.device)
    return fail(context, DWCONV_UNSUPPORTED,
                "layer '%s' was compiled for device %s (%u), the context is "
                "for %s: create one with device %s",
                name_of(layer), dwconv_device_name(layer->device),
                (unsigned)layer->device,
                dwconv_device_name(context->options.device),
                layer->device == DWCONV_DEVICE_CUDA ? "DWCONV_DEVICE_CUDA"
                                                    : "DWCONV_DEVICE_CPU");
  if (dwconv_dtype_size(layer->dtype) == 0)
    return fail(context, DWCONV_UNSUPPORTED,
                "layer '%s': dtype %u is not supported by this runtime",
                name_of(layer), (unsigned)layer->dtype);
  const char *problem = metadata_problem(layer);
  if (problem)
    return fail(context, DWCONV_INVALID_ARGUMENT,
                "layer '%s': malformed metadata (%s)", name_of(layer), problem);
  return DWCONV_OK;
}

/* Rank 4, the metadata's static dims, at least 0 (batch) or 1 (others). */
static dwconv_status check_input_dims(dwconv_context *context,
                                      const dwconv_layer_metadata *layer,
                                      const dwconv_buffer *input) {
  layout l = get_layout(layer);
  int dim;
  if (input->rank != 4)
    return fail(context, DWCONV_INVALID_ARGUMENT,
                "layer '%s': input has rank %d, expected 4 (%s, %s, %s, %s)",
                name_of(layer), (int)input->rank, dim_name(layer, 0),
                dim_name(layer, 1), dim_name(layer, 2), dim_name(layer, 3));
  for (dim = 0; dim < 4; ++dim) {
    int64_t given = input->dims[dim];
    int64_t expected = layer->input_shape[dim] >= 0 ? layer->input_shape[dim]
                       : dim == l.channels          ? layer->kernel_shape[2]
                                                    : -1;
    int64_t minimum = dim == l.batch ? 0 : 1;
    if (expected >= 0 && given != expected)
      return fail(context, DWCONV_OUT_OF_RANGE,
                  "layer '%s': input %s is %lld, expected %lld", name_of(layer),
                  dim_name(layer, dim), (long long)given, (long long)expected);
    if (given < minimum)
      return fail(context, DWCONV_OUT_OF_RANGE,
                  "layer '%s': input %s is %lld, expected at least %lld",
                  name_of(layer), dim_name(layer, dim), (long long)given,
                  (long long)minimum);
  }
  return DWCONV_OK;
}

/* What the checks of a call find out. */
typedef struct checked_call {
  int64_t output_dims[4];
  int64_t bias_dims[1];
  /* Byte sizes (all fit in a ptrdiff_t). */
  int64_t input_bytes, output_bytes, kernel_bytes, bias_bytes;
  /* The call gives Keras's kernel (and bias): run packs them. */
  int raw_weights;
} checked_call;

/* Output dims and every tensor's byte size, checked for overflow. */
static dwconv_status compute_sizes(dwconv_context *context,
                                   const dwconv_layer_metadata *layer,
                                   const dwconv_call *call, checked_call *c) {
  size_t element = dwconv_dtype_size(layer->dtype);
  dwconv_status status =
      compute_output_dims(context, layer, call->input.dims, c->output_dims);
  if (status != DWCONV_OK)
    return status;
  /* C * M: the product fit when the output dims were computed. */
  c->bias_dims[0] = layer->kernel_shape[2] * layer->kernel_shape[3];
  c->input_bytes = tensor_bytes(call->input.dims, 4, element);
  c->output_bytes = tensor_bytes(c->output_dims, 4, element);
  c->kernel_bytes = tensor_bytes(layer->kernel_shape, 4, element);
  c->bias_bytes = tensor_bytes(c->bias_dims, 1, element);
  const char *what = c->input_bytes < 0    ? "input"
                     : c->output_bytes < 0 ? "output"
                     : c->kernel_bytes < 0 ? "depthwise_kernel"
                     : c->bias_bytes < 0   ? "bias"
                                           : NULL;
  if (what)
    return fail(context, DWCONV_OUT_OF_RANGE,
                "layer '%s': the %s does not fit in memory (dims too large)",
                name_of(layer), what);
  c->raw_weights = !layer->weights_baked && !call->packed_weights;
  return DWCONV_OK;
}

/* A pointer to elements of the layer's dtype: non-null and aligned. */
static dwconv_status check_pointer(dwconv_context *context,
                                   const dwconv_layer_metadata *layer,
                                   const char *what, const void *pointer) {
  size_t element = dwconv_dtype_size(layer->dtype);
  if (!pointer)
    return fail(context, DWCONV_INVALID_ARGUMENT, "layer '%s': %s is null",
                name_of(layer), what);
  if ((uintptr_t)pointer % element)
    return fail(context, DWCONV_INVALID_ARGUMENT,
                "layer '%s': %s (%p) is not aligned to %zu bytes (%s)",
                name_of(layer), what, pointer, element,
                dtype_c_name(layer->dtype));
  return DWCONV_OK;
}

/* dtype, memory, pointer, and rank 0 or `rank` with dims equal to `dims`. */
static dwconv_status check_buffer(dwconv_context *context,
                                  const dwconv_layer_metadata *layer,
                                  const char *what, const dwconv_buffer *buffer,
                                  const int64_t *dims, int rank) {
  char given[128], expected[128];
  if (buffer->dtype != layer->dtype)
    return fail(context, DWCONV_INVALID_ARGUMENT,
                "layer '%s': %s has dtype %s, the layer takes %s",
                name_of(layer), what, dwconv_dtype_name(buffer->dtype),
                dwconv_dtype_name(layer->dtype));
  /* A cuda layer also takes host buffers (copied in and out). */
  if (buffer->memory != layer->device &&
      !(layer->device == DWCONV_DEVICE_CUDA &&
        buffer->memory == DWCONV_DEVICE_CPU))
    return fail(context, DWCONV_INVALID_ARGUMENT,
                "layer '%s': %s is in %s memory; this layer runs on the %s",
                name_of(layer), what, dwconv_device_name(buffer->memory),
                dwconv_device_name(layer->device));
  dwconv_status status = check_pointer(context, layer, what, buffer->data);
  if (status != DWCONV_OK)
    return status;
  if (buffer->rank != 0 && buffer->rank != rank)
    return fail(context, DWCONV_INVALID_ARGUMENT,
                "layer '%s': %s has rank %d, expected %d (or 0 for the "
                "layer's dims)",
                name_of(layer), what, (int)buffer->rank, rank);
  if (buffer->rank != 0 && memcmp(buffer->dims, dims, sizeof(*dims) * rank))
    return fail(context, DWCONV_OUT_OF_RANGE,
                "layer '%s': %s dims %s differ from the layer's %s",
                name_of(layer), what, format_dims(given, buffer->dims, rank),
                format_dims(expected, dims, rank));
  return DWCONV_OK;
}

/* Each buffer the call must give, in the order input, depthwise_kernel,
 * output, bias. */
static dwconv_status check_buffers(dwconv_context *context,
                                   const dwconv_layer_metadata *layer,
                                   const dwconv_call *call,
                                   const checked_call *c) {
  dwconv_status status;
  if ((status = check_buffer(context, layer, "input", &call->input,
                             call->input.dims, 4)) ||
      (c->raw_weights &&
       (status =
            check_buffer(context, layer, "depthwise_kernel",
                         &call->depthwise_kernel, layer->kernel_shape, 4))) ||
      (status = check_buffer(context, layer, "output", &call->output,
                             c->output_dims, 4)) ||
      (c->raw_weights && layer->has_bias &&
       (status = check_buffer(context, layer, "bias", &call->bias, c->bias_dims,
                              1))))
    return status;
  return DWCONV_OK;
}

/* Exactly one source of weights: baked, packed_weights, or Keras's. */
static dwconv_status check_weights(dwconv_context *context,
                                   const dwconv_layer_metadata *layer,
                                   const dwconv_call *call) {
  const char *kernel = call->depthwise_kernel.data ? "depthwise_kernel" : NULL;
  const char *bias = call->bias.data ? "bias" : NULL;
  if (layer->weights_baked) {
    const char *given = kernel                 ? kernel
                        : bias                 ? bias
                        : call->packed_weights ? "packed_weights"
                                               : NULL;
    if (given)
      return fail(context, DWCONV_INVALID_ARGUMENT,
                  "layer '%s': its weights are baked into the object; the "
                  "call must not give %s",
                  name_of(layer), given);
  } else if (call->packed_weights) {
    if ((uintptr_t)call->packed_weights % ALIGNMENT)
      return fail(context, DWCONV_INVALID_ARGUMENT,
                  "layer '%s': packed_weights (%p) is not aligned to %zu bytes",
                  name_of(layer), call->packed_weights, ALIGNMENT);
    if (kernel || bias)
      return fail(context, DWCONV_INVALID_ARGUMENT,
                  "layer '%s': the call gives both packed_weights and %s",
                  name_of(layer), kernel ? kernel : bias);
  } else if (bias && !layer->has_bias) {
    return fail(context, DWCONV_INVALID_ARGUMENT,
                "layer '%s': the call gives a bias, but the layer has none",
                name_of(layer));
  }
  return DWCONV_OK;
}

/* A named byte range of a call. */
typedef struct region {
  const char *name;
  const void *data;
  int64_t bytes;
} region;

/* The output, then the workspace (which the call writes too), must not
 * overlap any buffer the call reads. */
static dwconv_status check_aliasing(dwconv_context *context,
                                    const dwconv_layer_metadata *layer,
                                    const dwconv_call *call,
                                    const checked_call *c) {
  int64_t workspace_bytes = call->workspace_bytes > (size_t)PTRDIFF_MAX
                                ? PTRDIFF_MAX
                                : (int64_t)call->workspace_bytes;
  const region read[] = {
      {"input", call->input.data, c->input_bytes},
      {"depthwise_kernel", c->raw_weights ? call->depthwise_kernel.data : NULL,
       c->kernel_bytes},
      {"bias", c->raw_weights && layer->has_bias ? call->bias.data : NULL,
       c->bias_bytes},
      {"packed_weights", call->packed_weights, layer->packed_weights_bytes},
      {"workspace", call->workspace, workspace_bytes}};
  const int count = (int)(sizeof(read) / sizeof(read[0]));
  int i;
  for (i = 0; i < count; ++i)
    if (overlaps(call->output.data, c->output_bytes, read[i].data,
                 read[i].bytes))
      return fail(context, DWCONV_ALIASING,
                  "layer '%s': output overlaps %s; the layer cannot run in "
                  "place",
                  name_of(layer), read[i].name);
  for (i = 0; i < count - 1; ++i)
    if (overlaps(call->workspace, workspace_bytes, read[i].data, read[i].bytes))
      return fail(context, DWCONV_ALIASING,
                  "layer '%s': the workspace overlaps %s, which the call "
                  "reads",
                  name_of(layer), read[i].name);
  return DWCONV_OK;
}

/* Every check of a call, in order; an empty batch passes without its
 * buffers being looked at, and so does a plan (`buffers` 0), which needs only
 * the input dims and which weights the call gives. `function` names the API
 * entry for null arguments. */
static dwconv_status check_call(const char *function, dwconv_context *context,
                                const dwconv_layer_metadata *layer,
                                const dwconv_call *call, int buffers,
                                checked_call *c) {
  dwconv_status status;
  if (!layer || !call)
    return fail(context, DWCONV_INVALID_ARGUMENT, "%s: %s is null", function,
                layer ? "call" : "layer");
  if ((status = check_layer(context, layer)) ||
      (status = check_input_dims(context, layer, &call->input)) ||
      (status = compute_sizes(context, layer, call, c)))
    return status;
  if (c->input_bytes == 0)
    return succeed(context); /* an empty batch reads and writes nothing */
  if ((buffers && (status = check_buffers(context, layer, call, c))) ||
      (status = check_weights(context, layer, call)) ||
      (buffers && (status = check_aliasing(context, layer, call, c))))
    return status;
  return succeed(context);
}

/*--- Context ----------------------------------------------------------------*/

/* `bytes` aligned to ALIGNMENT from the context's allocator, or NULL. */
static void *allocate(dwconv_context *context, size_t bytes) {
  const dwconv_allocator *allocator = &context->options.allocator;
  if (allocator->allocate)
    return allocator->allocate(allocator->self, bytes, ALIGNMENT);
  if (bytes > SIZE_MAX - (ALIGNMENT - 1))
    return NULL;
  /* aligned_alloc wants a multiple of the alignment. */
  return aligned_alloc(ALIGNMENT, (bytes + ALIGNMENT - 1) & ~(ALIGNMENT - 1));
}

static void deallocate(dwconv_context *context, void *pointer) {
  const dwconv_allocator *allocator = &context->options.allocator;
  if (!pointer)
    return;
  if (allocator->allocate)
    allocator->deallocate(allocator->self, pointer);
  else
    free(pointer);
}

static void release_workspace(dwconv_context *context) {
  deallocate(context, context->workspace);
  context->workspace = NULL;
  context->workspace_bytes = 0;
}

/* The options a context accepts. */
static dwconv_status check_options(const dwconv_context_options *options) {
  if (options->device != DWCONV_DEVICE_CPU &&
      options->device != DWCONV_DEVICE_CUDA)
    return fail(NULL, DWCONV_UNSUPPORTED,
                "dwconv_context_create: device %d is not supported "
                "(DWCONV_DEVICE_CPU = 0 and DWCONV_DEVICE_CUDA = 1 are)",
                (int)options->device);
  if (options->threads < 0)
    return fail(NULL, DWCONV_INVALID_ARGUMENT,
                "dwconv_context_create: threads is %d, expected 0 (one) or "
                "more",
                (int)options->threads);
  if (options->allocator.allocate && !options->allocator.deallocate)
    return fail(NULL, DWCONV_INVALID_ARGUMENT,
                "dwconv_context_create: the allocator has allocate but no "
                "deallocate");
  return DWCONV_OK;
}

dwconv_status dwconv_context_create(const dwconv_context_options *options,
                                    dwconv_context **out_context) {
  static const dwconv_context_options defaults;
  if (!out_context)
    return fail(NULL, DWCONV_INVALID_ARGUMENT,
                "dwconv_context_create: out_context is null");
  *out_context = NULL;
  if (!options)
    options = &defaults;
  dwconv_status status = check_options(options);
  if (status != DWCONV_OK)
    return status;
  dwconv_context *context = calloc(1, sizeof(*context));
  if (!context)
    return fail(NULL, DWCONV_OUT_OF_MEMORY,
                "dwconv_context_create: out of memory");
  context->options = *options;
  if (context->options.threads == 0)
    context->options.threads = 1;
  if (options->device == DWCONV_DEVICE_CUDA) {
    char reason[DWCONV_MESSAGE_SIZE - 64];
    status = dwconv_cuda_open(options->cuda_device, options->cuda_stream,
                              &context->cuda, reason, sizeof(reason));
    if (status != DWCONV_OK) {
      free(context);
      return fail(NULL, status, "dwconv_context_create: %s", reason);
    }
  }
  if (!context->options.parallel_for && context->options.threads > 1) {
    int error =
        dwconv_pool_create(context->options.threads - 1, &context->pool);
    if (error) {
      free(context);
      return fail(NULL, DWCONV_OUT_OF_MEMORY,
                  "dwconv_context_create: cannot start %d worker threads "
                  "(error %d)",
                  (int)options->threads - 1, error);
    }
  }
  *out_context = context;
  return DWCONV_OK;
}

void dwconv_context_destroy(dwconv_context *context) {
  if (!context)
    return;
  dwconv_pool_destroy(context->pool);
  dwconv_cuda_close(context->cuda);
  release_workspace(context);
  free(context);
}

const char *dwconv_context_last_error(const dwconv_context *context) {
  return context ? context->last_error : contextless_error;
}

int32_t dwconv_context_threads(const dwconv_context *context) {
  return context ? context->options.threads : 0;
}

/*--- Parallel work ----------------------------------------------------------*/

/* Items handed to a caller's parallel_for: each index runs on its own. */
typedef struct item_batch {
  dwconv_pool_task item;
  void *arg;
} item_batch;

static void run_item_batch(void *opaque, int64_t begin, int64_t end) {
  const item_batch *batch = opaque;
  int64_t i;
  for (i = begin; i < end; ++i)
    batch->item(batch->arg, i);
}

/* Runs item(arg, i) for i in [0, n) on the context's workers: the caller's
 * pool, the built-in one, or inline. Returns when all are done. */
static void run_items(dwconv_context *context, int64_t n, dwconv_pool_task item,
                      void *arg) {
  int64_t i;
  if (context->options.parallel_for) {
    item_batch batch = {item, arg};
    context->options.parallel_for(context->options.pool, n, run_item_batch,
                                  &batch);
  } else if (context->pool && n > 1) {
    dwconv_pool_run(context->pool, n, item, arg);
  } else {
    for (i = 0; i < n; ++i)
      item(arg, i);
  }
}

/* dwconv_parallel_for's split: item i runs range i of n. */
typedef struct range_job {
  dwconv_task_fn fn;
  void *arg;
  int64_t count, n;
} range_job;

static void run_range(void *opaque, int64_t i) {
  const range_job *job = opaque;
  job->fn(job->arg, split_point(job->count, job->n, i),
          split_point(job->count, job->n, i + 1));
}

dwconv_status dwconv_parallel_for(dwconv_context *context, int64_t count,
                                  dwconv_task_fn fn, void *arg) {
  if (!context || !fn)
    return fail(context, DWCONV_INVALID_ARGUMENT,
                "dwconv_parallel_for: %s is null", context ? "fn" : "context");
  if (count <= 0)
    return DWCONV_OK;
  int64_t threads = context->options.threads;
  range_job job = {fn, arg, count, count < threads ? count : threads};
  if (job.n == 1 && !context->options.parallel_for)
    fn(arg, 0, count);
  else
    run_items(context, job.n, run_range, &job);
  return DWCONV_OK;
}

/*--- Plan and run -----------------------------------------------------------*/

/* Tiles of the output grid: ceil(dim / tile dim) per dim, 1 for a tile dim
 * of 0 (the whole dim); 0 for an empty output. */
static int64_t count_tiles(const dwconv_layer_metadata *layer,
                           const int64_t output_dims[4]) {
  int64_t tiles = 1;
  int d;
  for (d = 0; d < 4; ++d) {
    int64_t per_dim = layer->tile_shape[d] > 0
                          ? ceil_div(output_dims[d], layer->tile_shape[d])
                          : output_dims[d] > 0;
    /* per_dim <= output_dims[d], so the product fits with the output's. */
    tiles *= per_dim;
  }
  return tiles;
}

/* Workspace layout: [packed weights][worker 0 share][worker 1 share]... */
typedef struct workspace_layout {
  int64_t packed; /* packed weights region (raw weights only), aligned */
  int64_t share;  /* one worker's share, aligned */
  int64_t total;
} workspace_layout;

static int layout_workspace(const dwconv_layer_metadata *layer, int raw,
                            int64_t workers, workspace_layout *w) {
  int64_t shares = 0;
  w->packed = w->share = w->total = 0;
  if (raw && !round_up(layer->packed_weights_bytes, &w->packed))
    return 0;
  return round_up(layer->workspace_bytes, &w->share) &&
         !__builtin_mul_overflow(w->share, workers, &shares) &&
         !__builtin_add_overflow(w->packed, shares, &w->total) &&
         (uint64_t)w->total <= (uint64_t)PTRDIFF_MAX;
}

/* Checks the call (its buffers too with `buffers`), then its output dims,
 * tiles, workers and workspace. */
static dwconv_status plan_call(const char *function, dwconv_context *context,
                               const dwconv_layer_metadata *layer,
                               const dwconv_call *call, int buffers,
                               checked_call *c, dwconv_plan *plan) {
  workspace_layout w;
  dwconv_status status = check_call(function, context, layer, call, buffers, c);
  if (status != DWCONV_OK)
    return status;
  memset(plan, 0, sizeof(*plan));
  memcpy(plan->output_dims, c->output_dims, sizeof(plan->output_dims));
  if (c->input_bytes == 0)
    return DWCONV_OK; /* no tiles, no workers, no workspace */
  plan->tile_count = count_tiles(layer, c->output_dims);
  plan->workers = plan->tile_count < context->options.threads
                      ? plan->tile_count
                      : context->options.threads;
  if (layer->device == DWCONV_DEVICE_CUDA) {
    /* One launch, a thread block per tile; the host packs the weights. */
    plan->workers = 1;
    if (plan->tile_count > INT32_MAX)
      return fail(context, DWCONV_OUT_OF_RANGE,
                  "layer '%s': %lld thread blocks, more than a launch has",
                  name_of(layer), (long long)plan->tile_count);
  }
  if (!layout_workspace(layer, c->raw_weights, plan->workers, &w))
    return fail(context, DWCONV_OUT_OF_RANGE,
                "layer '%s': the workspace does not fit in memory (dims too "
                "large)",
                name_of(layer));
  plan->workspace_bytes = (size_t)w.total;
  return DWCONV_OK;
}

dwconv_status dwconv_layer_plan(dwconv_context *context,
                                const dwconv_layer_metadata *layer,
                                const dwconv_call *call,
                                dwconv_plan *out_plan) {
  checked_call c;
  if (!out_plan)
    return fail(context, DWCONV_INVALID_ARGUMENT,
                "dwconv_layer_plan: out_plan is null");
  return plan_call("dwconv_layer_plan", context, layer, call, 0, &c, out_plan);
}

/* The call's workspace (checked) or the context's, grown to `bytes`. */
static dwconv_status provide_workspace(dwconv_context *context,
                                       const dwconv_layer_metadata *layer,
                                       const dwconv_call *call, size_t bytes,
                                       unsigned char **out) {
  if (call->workspace) {
    if ((uintptr_t)call->workspace % ALIGNMENT)
      return fail(context, DWCONV_INVALID_ARGUMENT,
                  "layer '%s': workspace (%p) is not aligned to %zu bytes",
                  name_of(layer), call->workspace, ALIGNMENT);
    if (call->workspace_bytes < bytes)
      return fail(context, DWCONV_OUT_OF_RANGE,
                  "layer '%s': the workspace has %zu bytes, the call needs "
                  "%zu (dwconv_layer_plan gives the size)",
                  name_of(layer), call->workspace_bytes, bytes);
    *out = call->workspace;
    return DWCONV_OK;
  }
  if (bytes > context->workspace_bytes) {
    release_workspace(context);
    void *workspace = allocate(context, bytes);
    if (!workspace)
      return fail(context, DWCONV_OUT_OF_MEMORY,
                  "layer '%s': cannot allocate a workspace of %zu bytes",
                  name_of(layer), bytes);
    if ((uintptr_t)workspace % ALIGNMENT) {
      deallocate(context, workspace);
      return fail(context, DWCONV_INVALID_ARGUMENT,
                  "layer '%s': the allocator returned %p, which is not "
                  "aligned to %zu bytes",
                  name_of(layer), workspace, ALIGNMENT);
    }
    context->workspace = workspace;
    context->workspace_bytes = bytes;
  }
  *out = context->workspace;
  return DWCONV_OK;
}

/* What every worker of a run shares. */
typedef struct tile_job {
  dwconv_tile_fn tile;
  const dwconv_tile_state *state;
  unsigned char *shares; /* worker 0's share; NULL without a workspace */
  int64_t share_bytes, tiles, workers;
} tile_job;

/* Worker w: tiles [w * T / W, (w + 1) * T / W) with share w. */
static void run_worker(void *opaque, int64_t worker) {
  const tile_job *job = opaque;
  void *share = job->shares ? job->shares + worker * job->share_bytes : NULL;
  job->tile(job->state, share, split_point(job->tiles, job->workers, worker),
            split_point(job->tiles, job->workers, worker + 1));
}

/* Packs Keras's weights when given, then runs the tiles over the workers. */
static void run_tiles(dwconv_context *context,
                      const dwconv_layer_metadata *layer,
                      const dwconv_call *call, const checked_call *c,
                      const dwconv_plan *plan, unsigned char *workspace) {
  workspace_layout w;
  dwconv_tile_state state;
  layout_workspace(layer, c->raw_weights, plan->workers, &w); /* planned */
  state.packed_weights = call->packed_weights; /* NULL when baked */
  if (c->raw_weights) {
    layer->pack(call->depthwise_kernel.data,
                layer->has_bias ? call->bias.data : NULL, workspace);
    state.packed_weights = workspace;
  }
  state.input = call->input.data;
  /* The output buffer is the one the call lets the layer write. */
  state.output = (void *)(uintptr_t)call->output.data;
  memcpy(state.input_dims, call->input.dims, sizeof(state.input_dims));
  memcpy(state.output_dims, plan->output_dims, sizeof(state.output_dims));
  tile_job job = {
      layer->tile, &state,           workspace ? workspace + w.packed : NULL,
      w.share,     plan->tile_count, plan->workers};
  run_items(context, plan->workers, run_worker, &job);
}

/* A cuda layer: Keras's weights packed on the host, then one launch. */
static dwconv_status run_on_cuda(dwconv_context *context,
                                 const dwconv_layer_metadata *layer,
                                 const dwconv_call *call, const checked_call *c,
                                 const dwconv_plan *plan,
                                 unsigned char *workspace) {
  dwconv_cuda_launch launch;
  memset(&launch, 0, sizeof(launch));
  launch.layer = layer;
  launch.input = &call->input;
  launch.output = &call->output;
  launch.output_dims = plan->output_dims;
  launch.input_bytes = c->input_bytes;
  launch.output_bytes = c->output_bytes;
  launch.tiles = plan->tile_count;
  launch.weights = call->packed_weights; /* device memory; NULL when baked */
  launch.weights_on_device = 1;
  if (c->raw_weights) {
    layer->pack(call->depthwise_kernel.data,
                layer->has_bias ? call->bias.data : NULL, workspace);
    launch.weights = workspace;
    launch.weights_on_device = 0;
  }
  dwconv_status status = dwconv_cuda_run(
      context->cuda, &launch, context->last_error, sizeof(context->last_error));
  return status == DWCONV_OK ? succeed(context) : status;
}

dwconv_status dwconv_layer_run(dwconv_context *context,
                               const dwconv_layer_metadata *layer,
                               const dwconv_call *call) {
  checked_call c;
  dwconv_plan plan;
  unsigned char *workspace = NULL;
  dwconv_status status =
      plan_call("dwconv_layer_run", context, layer, call, 1, &c, &plan);
  if (status != DWCONV_OK || plan.tile_count == 0)
    return status;
  status =
      provide_workspace(context, layer, call, plan.workspace_bytes, &workspace);
  if (status != DWCONV_OK)
    return status;
  if (layer->device == DWCONV_DEVICE_CUDA)
    return run_on_cuda(context, layer, call, &c, &plan, workspace);
  run_tiles(context, layer, call, &c, &plan, workspace);
  return DWCONV_OK;
}

/*--- Packing ----------------------------------------------------------------*/

/* Kernel and bias of a layer whose weights are given at run time. */
static dwconv_status check_pack_sources(dwconv_context *context,
                                        const dwconv_layer_metadata *layer,
                                        const float *kernel,
                                        const float *bias) {
  dwconv_status status;
  if (layer->weights_baked)
    return fail(context, DWCONV_INVALID_ARGUMENT,
                "layer '%s': its weights are baked into the object; there is "
                "nothing to pack",
                name_of(layer));
  if ((status = check_pointer(context, layer, "depthwise_kernel", kernel)))
    return status;
  if (layer->has_bias)
    return check_pointer(context, layer, "bias", bias);
  if (bias)
    return fail(context, DWCONV_INVALID_ARGUMENT,
                "layer '%s': the call gives a bias, but the layer has none",
                name_of(layer));
  return DWCONV_OK;
}

/* The destination: non-null, aligned, large enough, apart from the sources. */
static dwconv_status check_pack_destination(dwconv_context *context,
                                            const dwconv_layer_metadata *layer,
                                            const float *kernel,
                                            const float *bias, void *packed,
                                            size_t packed_bytes) {
  size_t element = dwconv_dtype_size(layer->dtype);
  int64_t channels, kernel_bytes, bias_bytes;
  if (!packed)
    return fail(context, DWCONV_INVALID_ARGUMENT,
                "layer '%s': packed_weights is null", name_of(layer));
  if ((uintptr_t)packed % ALIGNMENT)
    return fail(context, DWCONV_INVALID_ARGUMENT,
                "layer '%s': packed_weights (%p) is not aligned to %zu bytes",
                name_of(layer), packed, ALIGNMENT);
  if ((uint64_t)packed_bytes < (uint64_t)layer->packed_weights_bytes)
    return fail(context, DWCONV_OUT_OF_RANGE,
                "layer '%s': packed_weights has %zu bytes, the layer packs "
                "%lld",
                name_of(layer), packed_bytes,
                (long long)layer->packed_weights_bytes);
  kernel_bytes = tensor_bytes(layer->kernel_shape, 4, element);
  bias_bytes = __builtin_mul_overflow(layer->kernel_shape[2],
                                      layer->kernel_shape[3], &channels)
                   ? -1
                   : tensor_bytes(&channels, 1, element);
  if (kernel_bytes < 0 || bias_bytes < 0)
    return fail(context, DWCONV_OUT_OF_RANGE,
                "layer '%s': the %s does not fit in memory (dims too large)",
                name_of(layer), kernel_bytes < 0 ? "depthwise_kernel" : "bias");
  if (overlaps(packed, layer->packed_weights_bytes, kernel, kernel_bytes) ||
      overlaps(packed, layer->packed_weights_bytes, bias, bias_bytes))
    return fail(
        context, DWCONV_ALIASING,
        "layer '%s': packed_weights overlaps %s; the weights cannot "
        "be packed in place",
        name_of(layer),
        overlaps(packed, layer->packed_weights_bytes, kernel, kernel_bytes)
            ? "depthwise_kernel"
            : "bias");
  return DWCONV_OK;
}

dwconv_status dwconv_layer_pack_weights(dwconv_context *context,
                                        const dwconv_layer_metadata *layer,
                                        const float *kernel, const float *bias,
                                        void *packed, size_t packed_bytes) {
  dwconv_status status;
  if (!layer)
    return fail(context, DWCONV_INVALID_ARGUMENT,
                "dwconv_layer_pack_weights: layer is null");
  if ((status = check_layer(context, layer)) ||
      (status = check_pack_sources(context, layer, kernel, bias)) ||
      (status = check_pack_destination(context, layer, kernel, bias, packed,
                                       packed_bytes)))
    return status;
  layer->pack(kernel, bias, packed);
  return succeed(context);
}

/*--- Shapes and FLOPs -------------------------------------------------------*/

/* Output dims by Keras's rule, failures recorded without a context. */
static dwconv_status output_shape(const dwconv_layer_metadata *layer,
                                  const int64_t input_dims[4],
                                  int64_t output_dims[4]) {
  dwconv_status status;
  const char *problem;
  int dim;
  if (!layer || !input_dims || !output_dims)
    return fail(NULL, DWCONV_INVALID_ARGUMENT,
                "dwconv_layer_output_shape: null argument");
  if ((status = check_abi(NULL, layer)))
    return status;
  if ((problem = metadata_problem(layer)))
    return fail(NULL, DWCONV_INVALID_ARGUMENT,
                "layer '%s': malformed metadata (%s)", name_of(layer), problem);
  for (dim = 0; dim < 4; ++dim)
    if (input_dims[dim] < 0)
      return fail(NULL, DWCONV_OUT_OF_RANGE,
                  "layer '%s': input %s is %lld, expected at least 0",
                  name_of(layer), dim_name(layer, dim),
                  (long long)input_dims[dim]);
  return compute_output_dims(NULL, layer, input_dims, output_dims);
}

dwconv_status dwconv_layer_output_shape(const dwconv_layer_metadata *layer,
                                        const int64_t input_dims[4],
                                        int64_t output_dims[4]) {
  return output_shape(layer, input_dims, output_dims);
}

int64_t dwconv_layer_flops(const dwconv_layer_metadata *layer,
                           const int64_t input_dims[4]) {
  int64_t output_dims[4], outputs = 1, taps, per_output, flops;
  int i;
  if (output_shape(layer, input_dims, output_dims) != DWCONV_OK)
    return -1;
  for (i = 0; i < 4; ++i)
    if (__builtin_mul_overflow(outputs, output_dims[i], &outputs))
      return -1;
  /* glu's outputs are half of what the convolution computes. */
  if (layer->activation == DWCONV_ACTIVATION_GLU &&
      __builtin_mul_overflow(outputs, 2, &outputs))
    return -1;
  /* Two per multiply-add, one for the bias, one for the activation. */
  if (__builtin_mul_overflow(layer->kernel_shape[0], layer->kernel_shape[1],
                             &taps) ||
      __builtin_mul_overflow(taps, 2, &per_output) ||
      __builtin_add_overflow(
          per_output, (layer->has_bias ? 1 : 0) + (layer->activation ? 1 : 0),
          &per_output) ||
      __builtin_mul_overflow(outputs, per_output, &flops))
    return -1;
  return flops;
}
