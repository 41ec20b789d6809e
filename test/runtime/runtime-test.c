/*===- runtime-test.c - the dwconv runtime, without generated code --------===*
 *
 * A hand-written layer (metadata, a tile function and a pack function, as
 * dwconv-compile would generate them) run through the runtime: the enum
 * names, contexts, dwconv_parallel_for, plans, runs over 1 to 8 workers and
 * through callers' pools (bit-identical, equal to a naive reference),
 * workspaces, packing, and every refusal of a call. runtime.test checks every
 * line this prints.
 *
 * The layer: channels_last, input (N, 9, 7, 3) with a dynamic batch, a 3x3
 * kernel with depth multiplier 2, 'same' padding, stride 1, a bias; tiles of
 * one batch and two output rows; 128 bytes of workspace per worker. Its
 * packed weights: the bias (6 floats), then the kernel by output channel
 * ([6][3][3]), zero-padded to 256 bytes.
 *
 *===----------------------------------------------------------------------===*/

#include "dwconv/runtime.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum {
  H = 9,
  W = 7,
  C = 3,
  M = 2,
  KH = 3,
  KW = 3,
  CM = C * M,
  MAX_BATCH = 2,
  SHARE_BYTES = 128,
  PACKED_FLOATS = CM + KH * KW * CM, /* 60 floats: 240 bytes */
  PACKED_BYTES = 256,
  TILE_ROWS = 2,
  MAX_TILES = 64,
  INPUT_FLOATS = MAX_BATCH * H * W * C,
  OUTPUT_FLOATS = MAX_BATCH * H * W * CM
};

/*--- The layer --------------------------------------------------------------*/

/* What the tile function saw, per tile; reset before each run. */
static int tile_calls[MAX_TILES];
static void *tile_shares[MAX_TILES];
static atomic_int tile_errors;
/* The weights of the baked variant, packed. */
static _Alignas(64) float baked_weights[PACKED_BYTES / sizeof(float)];

static void test_pack(const void *kernel_data, const void *bias_data,
                      void *packed_data) {
  const float *kernel = kernel_data, *bias = bias_data;
  float *packed = packed_data;
  int ch, i;
  memset(packed, 0, PACKED_BYTES);
  for (ch = 0; ch < CM; ++ch) {
    packed[ch] = bias ? bias[ch] : 0.0f;
    /* Keras's (kh, kw, C, M) is (kh, kw, CM) with ch = c * M + m. */
    for (i = 0; i < KH * KW; ++i)
      packed[CM + ch * KH * KW + i] = kernel[i * CM + ch];
  }
}

/* One output element of the tile's batch n, from the packed weights. */
static float tile_point(const dwconv_tile_state *state, const float *packed,
                        int64_t n, int64_t oh, int64_t ow, int ch) {
  const float *input = state->input;
  int64_t in_h = state->input_dims[1], in_w = state->input_dims[2];
  int64_t pad_h = (KH - 1) / 2, pad_w = (KW - 1) / 2; /* 'same', stride 1 */
  float sum = 0.0f;
  int i, j;
  for (i = 0; i < KH; ++i)
    for (j = 0; j < KW; ++j) {
      int64_t h = oh + i - pad_h, w = ow + j - pad_w;
      if (h >= 0 && h < in_h && w >= 0 && w < in_w)
        sum += input[((n * in_h + h) * in_w + w) * C + ch / M] *
               packed[CM + ch * KH * KW + i * KW + j];
    }
  return sum + packed[ch];
}

/* Tiles [begin, end): tile t is batch t / row_tiles, output rows
 * 2 * (t % row_tiles) and the next. Fills its share with a mark first and
 * checks the mark is intact at the end: no other worker wrote the share. */
static void test_tile(const dwconv_tile_state *state, void *share,
                      int64_t begin, int64_t end) {
  const float *packed =
      state->packed_weights ? state->packed_weights : baked_weights;
  float *output = state->output;
  int64_t out_h = state->output_dims[1], out_w = state->output_dims[2];
  int64_t row_tiles = (out_h + TILE_ROWS - 1) / TILE_ROWS, t, oh, ow, i;
  unsigned char mark = (unsigned char)(0xa0 + begin);
  if (!share || (uintptr_t)share % DWCONV_ABI_ALIGNMENT) {
    atomic_fetch_add(&tile_errors, 1);
    return;
  }
  memset(share, mark, SHARE_BYTES);
  for (t = begin; t < end; ++t) {
    int64_t n = t / row_tiles, row = t % row_tiles * TILE_ROWS;
    tile_calls[t]++;
    tile_shares[t] = share;
    for (oh = row; oh < row + TILE_ROWS && oh < out_h; ++oh)
      for (ow = 0; ow < out_w; ++ow) {
        int ch;
        for (ch = 0; ch < CM; ++ch)
          output[((n * out_h + oh) * out_w + ow) * CM + ch] =
              tile_point(state, packed, n, oh, ow, ch);
      }
  }
  for (i = 0; i < SHARE_BYTES; ++i)
    if (((unsigned char *)share)[i] != mark)
      atomic_fetch_add(&tile_errors, 1);
}

static dwconv_layer_metadata test_layer(void) {
  dwconv_layer_metadata layer;
  const int64_t input_shape[4] = {-1, H, W, C},
                kernel_shape[4] = {KH, KW, C, M},
                output_shape[4] = {-1, H, W, CM},
                tile_shape[4] = {1, TILE_ROWS, 0, 0};
  memset(&layer, 0, sizeof(layer));
  layer.abi_version = DWCONV_ABI_VERSION;
  layer.dtype = DWCONV_DTYPE_F32;
  layer.device = DWCONV_DEVICE_CPU;
  layer.data_format = DWCONV_CHANNELS_LAST;
  layer.padding = DWCONV_PADDING_SAME;
  layer.activation = DWCONV_ACTIVATION_LINEAR;
  layer.has_bias = 1;
  layer.weights_baked = 0;
  memcpy(layer.input_shape, input_shape, sizeof(input_shape));
  memcpy(layer.kernel_shape, kernel_shape, sizeof(kernel_shape));
  memcpy(layer.output_shape, output_shape, sizeof(output_shape));
  layer.strides[0] = layer.strides[1] = 1;
  layer.dilation_rate[0] = layer.dilation_rate[1] = 1;
  memcpy(layer.tile_shape, tile_shape, sizeof(tile_shape));
  layer.workspace_bytes = SHARE_BYTES;
  layer.packed_weights_bytes = PACKED_BYTES;
  layer.name = "test_layer";
  layer.tile = test_tile;
  layer.pack = test_pack;
  return layer;
}

/* The same layer with its weights baked into baked_weights. */
static dwconv_layer_metadata baked_layer(void) {
  dwconv_layer_metadata layer = test_layer();
  layer.weights_baked = 1;
  layer.packed_weights_bytes = 0;
  layer.pack = NULL;
  layer.name = "baked_layer";
  return layer;
}

/*--- Data and the reference -------------------------------------------------*/

static _Alignas(64) float input[INPUT_FLOATS];
static _Alignas(64) float kernel[KH * KW * CM];
static _Alignas(64) float bias[CM];
static _Alignas(64) float output[OUTPUT_FLOATS];
static _Alignas(64) float expected[OUTPUT_FLOATS];
static _Alignas(64) float expected_no_bias[OUTPUT_FLOATS];
static _Alignas(64) float first_result[OUTPUT_FLOATS];
static _Alignas(64) unsigned char workspace[4096];
static _Alignas(64) unsigned char packed[PACKED_BYTES];

static void fill_data(void) {
  int i;
  for (i = 0; i < INPUT_FLOATS; ++i)
    input[i] = (float)((i * 37) % 101) / 50.0f - 1.0f;
  for (i = 0; i < KH * KW * CM; ++i)
    kernel[i] = (float)((i * 53) % 29) / 14.0f - 1.0f;
  for (i = 0; i < CM; ++i)
    bias[i] = (float)i * 0.25f - 0.5f;
}

/* Keras's depthwise conv, 'same' padding, stride 1, straight from Keras's
 * kernel layout. */
static void reference(int batch, const float *with_bias, float *out) {
  int n, oh, ow, c, m, i, j;
  for (n = 0; n < batch; ++n)
    for (oh = 0; oh < H; ++oh)
      for (ow = 0; ow < W; ++ow)
        for (c = 0; c < C; ++c)
          for (m = 0; m < M; ++m) {
            float sum = 0.0f;
            for (i = 0; i < KH; ++i)
              for (j = 0; j < KW; ++j) {
                int h = oh + i - 1, w = ow + j - 1;
                if (h >= 0 && h < H && w >= 0 && w < W)
                  sum += input[((n * H + h) * W + w) * C + c] *
                         kernel[((i * KW + j) * C + c) * M + m];
              }
            out[((n * H + oh) * W + ow) * CM + c * M + m] =
                sum + (with_bias ? with_bias[c * M + m] : 0.0f);
          }
}

static const char *matches(const float *a, const float *b, int count) {
  int i;
  for (i = 0; i < count; ++i) {
    float d = a[i] - b[i];
    if (d > 1e-5f || d < -1e-5f)
      return "no";
  }
  return "yes";
}

static const char *yes(int condition) { return condition ? "yes" : "no"; }

/*--- Reporting --------------------------------------------------------------*/

/* "label: DWCONV_OK" or "label: STATUS: message". */
static void say(const char *label, const dwconv_context *context,
                dwconv_status status) {
  if (status == DWCONV_OK)
    printf("%s: DWCONV_OK\n", label);
  else
    printf("%s: %s: %s\n", label, dwconv_status_string(status),
           dwconv_context_last_error(context));
}

static void print_dims(const char *prefix, const int64_t dims[4]) {
  printf("%s(%lld, %lld, %lld, %lld)", prefix, (long long)dims[0],
         (long long)dims[1], (long long)dims[2], (long long)dims[3]);
}

static dwconv_context *make_context(int32_t threads) {
  dwconv_context_options options;
  dwconv_context *context = NULL;
  memset(&options, 0, sizeof(options));
  options.threads = threads;
  if (dwconv_context_create(&options, &context) != DWCONV_OK) {
    printf("cannot create a context: %s\n", dwconv_context_last_error(NULL));
    exit(1);
  }
  return context;
}

/* A call of the test layer on `batch` images, with Keras's weights. */
static dwconv_call make_call(int64_t batch) {
  const int64_t input_dims[4] = {batch, H, W, C},
                output_dims[4] = {batch, H, W, CM},
                kernel_dims[4] = {KH, KW, C, M}, bias_dims[1] = {CM};
  dwconv_call call = dwconv_call_empty();
  call.input = dwconv_buffer_f32(input, 4, input_dims);
  call.depthwise_kernel = dwconv_buffer_f32(kernel, 4, kernel_dims);
  call.bias = dwconv_buffer_f32(bias, 1, bias_dims);
  call.output = dwconv_buffer_f32(output, 4, output_dims);
  return call;
}

static void reset_tiles(void) {
  memset(tile_calls, 0, sizeof(tile_calls));
  memset(tile_shares, 0, sizeof(tile_shares));
  atomic_store(&tile_errors, 0);
  memset(output, 0, sizeof(output));
}

/* Every tile ran once, with no error. */
static int tiles_ok(int64_t tiles) {
  int64_t t;
  for (t = 0; t < tiles; ++t)
    if (tile_calls[t] != 1)
      return 0;
  return atomic_load(&tile_errors) == 0;
}

/* Tile t ran with worker w's share of `base` (after `skip` bytes), where
 * worker w has tiles [w * T / W, (w + 1) * T / W). */
static int shares_ok(const unsigned char *base, size_t skip, int64_t tiles,
                     int64_t workers) {
  int64_t w, t;
  for (w = 0; w < workers; ++w)
    for (t = w * tiles / workers; t < (w + 1) * tiles / workers; ++t)
      if (tile_shares[t] != base + skip + w * SHARE_BYTES)
        return 0;
  return 1;
}

/*--- Callers' pools ---------------------------------------------------------*/

typedef struct pool_stats {
  int calls;
  int64_t items;
} pool_stats;

/* Every item on the calling thread, last first. */
static void reverse_pool(void *pool, int64_t count, dwconv_task_fn fn,
                         void *arg) {
  pool_stats *stats = pool;
  int64_t i;
  stats->calls++;
  stats->items = count;
  for (i = count - 1; i >= 0; --i)
    fn(arg, i, i + 1);
}

/* All items in one range. */
static void one_range_pool(void *pool, int64_t count, dwconv_task_fn fn,
                           void *arg) {
  pool_stats *stats = pool;
  stats->calls++;
  stats->items = count;
  fn(arg, 0, count);
}

typedef struct thread_item {
  dwconv_task_fn fn;
  void *arg;
  int64_t index;
  pthread_t thread;
} thread_item;

static void *thread_item_main(void *opaque) {
  thread_item *item = opaque;
  item->fn(item->arg, item->index, item->index + 1);
  return NULL;
}

/* One new pthread per item. */
static void pthread_pool(void *pool, int64_t count, dwconv_task_fn fn,
                         void *arg) {
  pool_stats *stats = pool;
  thread_item items[16];
  int64_t i;
  stats->calls++;
  stats->items = count;
  for (i = 0; i < count && i < 16; ++i) {
    items[i].fn = fn;
    items[i].arg = arg;
    items[i].index = i;
    if (pthread_create(&items[i].thread, NULL, thread_item_main, &items[i]))
      exit(2);
  }
  for (; i < count; ++i)
    fn(arg, i, i + 1);
  for (i = 0; i < count && i < 16; ++i)
    pthread_join(items[i].thread, NULL);
}

static dwconv_context *make_pool_context(int32_t threads,
                                         dwconv_parallel_for_fn parallel_for,
                                         pool_stats *stats) {
  dwconv_context_options options;
  dwconv_context *context = NULL;
  memset(&options, 0, sizeof(options));
  options.threads = threads;
  options.parallel_for = parallel_for;
  options.pool = stats;
  memset(stats, 0, sizeof(*stats));
  if (dwconv_context_create(&options, &context) != DWCONV_OK)
    exit(1);
  return context;
}

/*--- Names ------------------------------------------------------------------*/

static void test_names(void) {
  int i;
  for (i = 0; i <= DWCONV_STATUS_COUNT; ++i)
    printf("status %d: %s\n", i, dwconv_status_string((dwconv_status)i));
  for (i = 0; i <= DWCONV_DTYPE_COUNT; ++i)
    printf("dtype %d: %s, %zu bytes\n", i, dwconv_dtype_name((uint32_t)i),
           dwconv_dtype_size((uint32_t)i));
  for (i = 0; i <= DWCONV_DEVICE_COUNT; ++i)
    printf("device %d: %s\n", i, dwconv_device_name((uint32_t)i));
  for (i = 0; i <= DWCONV_GPU_FORMAT_COUNT; ++i)
    printf("gpu_format %d: %s\n", i, dwconv_gpu_format_name((uint32_t)i));
  for (i = 0; i <= DWCONV_DATA_FORMAT_COUNT; ++i)
    printf("data_format %d: %s\n", i, dwconv_data_format_name((uint32_t)i));
  for (i = 0; i <= DWCONV_PADDING_COUNT; ++i)
    printf("padding %d: %s\n", i, dwconv_padding_name((uint32_t)i));
  for (i = 0; i <= DWCONV_ACTIVATION_COUNT; ++i)
    printf("activation %d: %s\n", i, dwconv_activation_name((uint32_t)i));
  printf("abi: version %d, alignment %d\n", (int)DWCONV_ABI_VERSION,
         (int)DWCONV_ABI_ALIGNMENT);
}

/*--- Contexts ---------------------------------------------------------------*/

static void *unused_allocate(void *self, size_t bytes, size_t alignment) {
  (void)self, (void)bytes, (void)alignment;
  return NULL;
}

static void test_contexts(void) {
  dwconv_context_options options;
  dwconv_context *context = NULL;
  dwconv_status status = dwconv_context_create(NULL, &context);
  printf("default context: %s, threads %d, last error '%s'\n",
         dwconv_status_string(status), (int)dwconv_context_threads(context),
         dwconv_context_last_error(context));
  dwconv_context_destroy(context);
  memset(&options, 0, sizeof(options));
  options.threads = 3;
  status = dwconv_context_create(&options, &context);
  printf("threads 3: %s, threads %d\n", dwconv_status_string(status),
         (int)dwconv_context_threads(context));
  dwconv_context_destroy(context);
  options.threads = -1;
  say("threads -1", NULL, dwconv_context_create(&options, &context));
  printf("context after a failure: %s\n", context ? "set" : "null");
  options.threads = 0;
  options.device = DWCONV_DEVICE_CUDA;
  say("cuda context", NULL, dwconv_context_create(&options, &context));
  options.device = DWCONV_DEVICE_CPU;
  options.allocator.allocate = unused_allocate;
  say("allocate without deallocate", NULL,
      dwconv_context_create(&options, &context));
  say("null out_context", NULL, dwconv_context_create(NULL, NULL));
  printf("threads of a null context: %d\n", (int)dwconv_context_threads(NULL));
  dwconv_context_destroy(NULL);
}

/*--- dwconv_parallel_for ----------------------------------------------------*/

static pthread_mutex_t range_mutex = PTHREAD_MUTEX_INITIALIZER;
static int64_t ranges[64][2];
static int range_count;

static void record_range(void *arg, int64_t begin, int64_t end) {
  (void)arg;
  pthread_mutex_lock(&range_mutex);
  if (range_count < 64) {
    ranges[range_count][0] = begin;
    ranges[range_count][1] = end;
  }
  range_count++;
  pthread_mutex_unlock(&range_mutex);
}

/* Runs dwconv_parallel_for(count) and prints the ranges by their begin. */
static void print_ranges(const char *label, dwconv_context *context,
                         int64_t count) {
  int i, j;
  range_count = 0;
  dwconv_status status =
      dwconv_parallel_for(context, count, record_range, NULL);
  for (i = 1; i < range_count; ++i)
    for (j = i; j > 0 && ranges[j - 1][0] > ranges[j][0]; --j) {
      int64_t begin = ranges[j][0], end = ranges[j][1];
      ranges[j][0] = ranges[j - 1][0], ranges[j][1] = ranges[j - 1][1];
      ranges[j - 1][0] = begin, ranges[j - 1][1] = end;
    }
  printf("%s: %s,", label, dwconv_status_string(status));
  for (i = 0; i < range_count; ++i)
    printf(" [%lld, %lld)", (long long)ranges[i][0], (long long)ranges[i][1]);
  printf("%s\n", range_count ? "" : " no ranges");
}

static int64_t hits[16];

static void count_hits(void *arg, int64_t begin, int64_t end) {
  int64_t *counts = arg;
  for (; begin < end; ++begin)
    counts[begin]++;
}

/* dwconv_parallel_for from inside a task of the same context. */
static dwconv_context *nested_context;
static int64_t nested_hits[8][16];

static void nested_outer(void *arg, int64_t begin, int64_t end) {
  (void)arg;
  for (; begin < end; ++begin)
    dwconv_parallel_for(nested_context, 13, count_hits, nested_hits[begin]);
}

static int nested_ok(void) {
  int outer, i;
  for (outer = 0; outer < 8; ++outer)
    for (i = 0; i < 13; ++i)
      if (nested_hits[outer][i] != 1)
        return 0;
  return 1;
}

static void test_parallel_for(void) {
  pool_stats stats;
  dwconv_context *one = make_context(1), *three = make_context(3),
                 *eight = make_context(8);
  dwconv_context *reverse = make_pool_context(3, reverse_pool, &stats);
  int i, all = 1;
  print_ranges("parallel_for threads 1, count 10", one, 10);
  print_ranges("parallel_for threads 3, count 10", three, 10);
  print_ranges("parallel_for threads 8, count 10", eight, 10);
  print_ranges("parallel_for threads 8, count 3", eight, 3);
  print_ranges("parallel_for threads 3, count 0", three, 0);
  print_ranges("parallel_for reverse pool, count 10", reverse, 10);
  printf("reverse pool: %d calls, %lld items\n", stats.calls,
         (long long)stats.items);
  /* The built-in pool, many times in a row. */
  for (i = 0; i < 2000; ++i)
    dwconv_parallel_for(eight, 13, count_hits, hits);
  for (i = 0; i < 13; ++i)
    all = all && hits[i] == 2000;
  printf("2000 runs of 13 indices over 8 threads: each index 2000 times: "
         "%s\n",
         yes(all));
  nested_context = eight;
  say("nested parallel_for", eight,
      dwconv_parallel_for(eight, 8, nested_outer, NULL));
  printf("nested parallel_for: each inner index once per outer index: %s\n",
         yes(nested_ok()));
  say("parallel_for null fn", three,
      dwconv_parallel_for(three, 10, NULL, NULL));
  say("parallel_for null context", NULL,
      dwconv_parallel_for(NULL, 10, record_range, NULL));
  dwconv_context_destroy(one);
  dwconv_context_destroy(three);
  dwconv_context_destroy(eight);
  dwconv_context_destroy(reverse);
}

/*--- Plans ------------------------------------------------------------------*/

static void print_plan(const char *label, dwconv_context *context,
                       const dwconv_layer_metadata *layer,
                       const dwconv_call *call) {
  dwconv_plan plan;
  dwconv_status status = dwconv_layer_plan(context, layer, call, &plan);
  if (status != DWCONV_OK) {
    say(label, context, status);
    return;
  }
  printf("%s: DWCONV_OK, output", label);
  print_dims(" ", plan.output_dims);
  printf(", tiles %lld, workers %lld, workspace %zu\n",
         (long long)plan.tile_count, (long long)plan.workers,
         plan.workspace_bytes);
}

static void test_plans(void) {
  const int32_t threads[4] = {1, 2, 3, 8};
  dwconv_layer_metadata layer = test_layer(), baked = baked_layer(),
                        first = test_layer();
  const int64_t first_dims[4] = {1, C, H, W};
  char label[64];
  int batch, i;
  for (batch = 1; batch <= 2; ++batch)
    for (i = 0; i < 4; ++i) {
      dwconv_context *context = make_context(threads[i]);
      dwconv_call call = make_call(batch);
      snprintf(label, sizeof(label), "plan batch %d, threads %d", batch,
               (int)threads[i]);
      print_plan(label, context, &layer, &call);
      call.depthwise_kernel.data = call.bias.data = NULL;
      call.packed_weights = packed;
      snprintf(label, sizeof(label), "plan packed, batch %d, threads %d", batch,
               (int)threads[i]);
      print_plan(label, context, &layer, &call);
      call.packed_weights = NULL;
      snprintf(label, sizeof(label), "plan baked, batch %d, threads %d", batch,
               (int)threads[i]);
      print_plan(label, context, &baked, &call);
      dwconv_context_destroy(context);
    }
  /* channels_first: dims are (batch, channels, height, width). */
  dwconv_context *context = make_context(8);
  dwconv_call call = make_call(1);
  first.data_format = DWCONV_CHANNELS_FIRST;
  first.input_shape[1] = C, first.input_shape[2] = H, first.input_shape[3] = W;
  first.tile_shape[1] = 0, first.tile_shape[2] = TILE_ROWS;
  call.input = dwconv_buffer_f32(input, 4, first_dims);
  call.output = dwconv_buffer_f32(output, 0, NULL);
  print_plan("plan channels_first", context, &first, &call);
  call.input.dims[1] = 4;
  print_plan("channels_first, 4 channels", context, &first, &call);
  call.input.rank = 3;
  print_plan("channels_first, rank 3", context, &first, &call);
  dwconv_context_destroy(context);
}

/*--- Runs -------------------------------------------------------------------*/

/* Runs `call` with the test's workspace and prints how it compares with the
 * first result; `skip` is the packed weights region before the shares. */
static void run_case(const char *label, dwconv_context *context,
                     const dwconv_layer_metadata *layer, dwconv_call call,
                     size_t skip) {
  dwconv_plan plan;
  dwconv_status status;
  call.workspace = workspace;
  call.workspace_bytes = sizeof(workspace);
  reset_tiles();
  memset(workspace, 0, sizeof(workspace));
  if ((status = dwconv_layer_plan(context, layer, &call, &plan)) ||
      (status = dwconv_layer_run(context, layer, &call))) {
    say(label, context, status);
    return;
  }
  printf("%s: DWCONV_OK, workers %lld, identical: %s, tiles once: %s, own "
         "shares: %s\n",
         label, (long long)plan.workers,
         yes(!memcmp(output, first_result, sizeof(output))),
         yes(tiles_ok(plan.tile_count)),
         yes(shares_ok(workspace, skip, plan.tile_count, plan.workers)));
}

static void test_runs(void) {
  const int32_t threads[4] = {1, 2, 3, 8};
  dwconv_layer_metadata layer = test_layer();
  dwconv_call call = make_call(2);
  dwconv_context *context = make_context(1);
  pool_stats stats;
  char label[64];
  unsigned char packed_here[PACKED_BYTES];
  int i;
  reset_tiles();
  call.workspace = workspace;
  call.workspace_bytes = sizeof(workspace);
  say("first run", context, dwconv_layer_run(context, &layer, &call));
  memcpy(first_result, output, sizeof(output));
  test_pack(kernel, bias, packed_here);
  printf("first run: reference: %s, tiles once: %s, packed weights at the "
         "workspace's start: %s, last error '%s'\n",
         matches(output, expected, OUTPUT_FLOATS), yes(tiles_ok(10)),
         yes(!memcmp(workspace, packed_here, PACKED_BYTES)),
         dwconv_context_last_error(context));
  dwconv_context_destroy(context);
  for (i = 0; i < 4; ++i) {
    context = make_context(threads[i]);
    snprintf(label, sizeof(label), "run threads %d", (int)threads[i]);
    run_case(label, context, &layer, call, PACKED_BYTES);
    dwconv_context_destroy(context);
  }
  context = make_pool_context(3, reverse_pool, &stats);
  run_case("run reverse pool, threads 3", context, &layer, call, PACKED_BYTES);
  printf("reverse pool: %d calls, %lld items\n", stats.calls,
         (long long)stats.items);
  dwconv_context_destroy(context);
  context = make_pool_context(8, one_range_pool, &stats);
  run_case("run one-range pool, threads 8", context, &layer, call,
           PACKED_BYTES);
  printf("one-range pool: %d calls, %lld items\n", stats.calls,
         (long long)stats.items);
  dwconv_context_destroy(context);
  for (i = 2; i < 4; ++i) {
    context = make_pool_context(threads[i], pthread_pool, &stats);
    snprintf(label, sizeof(label), "run pthread pool, threads %d",
             (int)threads[i]);
    run_case(label, context, &layer, call, PACKED_BYTES);
    printf("pthread pool: %d calls, %lld items\n", stats.calls,
           (long long)stats.items);
    dwconv_context_destroy(context);
  }
}

/*--- Workspaces -------------------------------------------------------------*/

typedef struct counting_allocator {
  int allocations, deallocations, fail, misalign;
  size_t last_bytes;
} counting_allocator;

static void *counting_allocate(void *self, size_t bytes, size_t alignment) {
  counting_allocator *allocator = self;
  unsigned char *block;
  allocator->allocations++;
  allocator->last_bytes = bytes;
  if (allocator->fail)
    return NULL;
  block = aligned_alloc(alignment,
                        (bytes + 2 * alignment - 1) / alignment * alignment);
  return block && allocator->misalign ? block + 16 : block;
}

static void counting_deallocate(void *self, void *pointer) {
  counting_allocator *allocator = self;
  allocator->deallocations++;
  free((unsigned char *)pointer - (uintptr_t)pointer % DWCONV_ABI_ALIGNMENT);
}

static dwconv_context *make_counting_context(int32_t threads,
                                             counting_allocator *allocator) {
  dwconv_context_options options;
  dwconv_context *context = NULL;
  memset(&options, 0, sizeof(options));
  memset(allocator, 0, sizeof(*allocator));
  options.threads = threads;
  options.allocator.self = allocator;
  options.allocator.allocate = counting_allocate;
  options.allocator.deallocate = counting_deallocate;
  if (dwconv_context_create(&options, &context) != DWCONV_OK)
    exit(1);
  return context;
}

/* Runs with the context's workspace; prints the allocator's counts. */
static void run_counted(const char *label, dwconv_context *context,
                        const dwconv_layer_metadata *layer,
                        const dwconv_call *call,
                        const counting_allocator *allocator) {
  dwconv_status status;
  memset(output, 0, sizeof(output));
  status = dwconv_layer_run(context, layer, call);
  if (status != DWCONV_OK) {
    say(label, context, status);
    return;
  }
  printf("%s: DWCONV_OK, identical: %s, allocations %d (last %zu bytes), "
         "deallocations %d\n",
         label, yes(!memcmp(output, first_result, sizeof(output))),
         allocator->allocations, allocator->last_bytes,
         allocator->deallocations);
}

static void test_context_workspace(void) {
  dwconv_layer_metadata layer = test_layer();
  dwconv_call call = make_call(2), packed_call = make_call(2);
  counting_allocator allocator;
  dwconv_context *context = make_context(3);
  memset(output, 0, sizeof(output));
  say("default allocator", context, dwconv_layer_run(context, &layer, &call));
  printf("default allocator: identical: %s\n",
         yes(!memcmp(output, first_result, sizeof(output))));
  dwconv_context_destroy(context);

  context = make_counting_context(2, &allocator);
  run_counted("counted run 1", context, &layer, &call, &allocator);
  run_counted("counted run 2", context, &layer, &call, &allocator);
  packed_call.depthwise_kernel.data = packed_call.bias.data = NULL;
  packed_call.packed_weights = packed;
  if (dwconv_layer_pack_weights(context, &layer, kernel, bias, packed,
                                sizeof(packed)) != DWCONV_OK)
    exit(1);
  run_counted("counted packed run", context, &layer, &packed_call, &allocator);
  dwconv_context_destroy(context);
  printf("after destroy: allocations %d, deallocations %d\n",
         allocator.allocations, allocator.deallocations);

  context = make_counting_context(3, &allocator);
  allocator.fail = 1;
  say("allocator failure", context, dwconv_layer_run(context, &layer, &call));
  allocator.fail = 0;
  run_counted("after the failure", context, &layer, &call, &allocator);
  dwconv_context_destroy(context);

  context = make_counting_context(3, &allocator);
  allocator.misalign = 1;
  say("misaligned allocation", context,
      dwconv_layer_run(context, &layer, &call));
  printf("misaligned allocation: allocations %d, deallocations %d\n",
         allocator.allocations, allocator.deallocations);
  dwconv_context_destroy(context);
}

static void test_call_workspace(void) {
  dwconv_layer_metadata layer = test_layer();
  dwconv_call call = make_call(2);
  dwconv_context *context = make_context(3);
  dwconv_plan plan;
  dwconv_layer_plan(context, &layer, &call, &plan);
  call.workspace = workspace;
  call.workspace_bytes = plan.workspace_bytes;
  memset(output, 0, sizeof(output));
  say("workspace of the plan's size", context,
      dwconv_layer_run(context, &layer, &call));
  printf("workspace of the plan's size: identical: %s\n",
         yes(!memcmp(output, first_result, sizeof(output))));
  call.workspace_bytes = plan.workspace_bytes - 1;
  say("workspace too small", context, dwconv_layer_run(context, &layer, &call));
  call.workspace = workspace + 8;
  call.workspace_bytes = sizeof(workspace) - 8;
  say("misaligned workspace", context,
      dwconv_layer_run(context, &layer, &call));
  dwconv_context_destroy(context);
}

/*--- Packing and baked weights ----------------------------------------------*/

static void test_packing(void) {
  dwconv_layer_metadata layer = test_layer(), baked = baked_layer(),
                        no_bias = test_layer();
  dwconv_context *context = make_context(3);
  dwconv_call call = make_call(2);
  no_bias.has_bias = 0;
  no_bias.name = "no_bias_layer";
  memset(packed, 0xff, sizeof(packed));
  say("pack", context,
      dwconv_layer_pack_weights(context, &layer, kernel, bias, packed,
                                sizeof(packed)));
  run_case("run raw weights", context, &layer, call, PACKED_BYTES);
  printf("packed weights equal the raw run's: %s\n",
         yes(!memcmp(packed, workspace, PACKED_BYTES)));
  call.depthwise_kernel.data = call.bias.data = NULL;
  call.packed_weights = packed;
  run_case("run packed weights", context, &layer, call, 0);
  say("pack null layer", context,
      dwconv_layer_pack_weights(context, NULL, kernel, bias, packed, 256));
  say("pack null context", NULL,
      dwconv_layer_pack_weights(NULL, &layer, kernel, bias, packed, 256));
  say("pack baked", context,
      dwconv_layer_pack_weights(context, &baked, kernel, bias, packed, 256));
  say("pack null kernel", context,
      dwconv_layer_pack_weights(context, &layer, NULL, bias, packed, 256));
  say("pack null bias", context,
      dwconv_layer_pack_weights(context, &layer, kernel, NULL, packed, 256));
  say("pack bias without one", context,
      dwconv_layer_pack_weights(context, &no_bias, kernel, bias, packed, 256));
  say("pack null packed", context,
      dwconv_layer_pack_weights(context, &layer, kernel, bias, NULL, 256));
  say("pack misaligned", context,
      dwconv_layer_pack_weights(context, &layer, kernel, bias, packed + 8,
                                248));
  say("pack too small", context,
      dwconv_layer_pack_weights(context, &layer, kernel, bias, packed, 128));
  say("pack in place", context,
      dwconv_layer_pack_weights(context, &layer, kernel, bias, (void *)kernel,
                                256));
  dwconv_context_destroy(context);
}

static void test_baked_and_no_bias(void) {
  dwconv_layer_metadata baked = baked_layer(), no_bias = test_layer();
  dwconv_context *context = make_context(3);
  dwconv_call call = make_call(2);
  test_pack(kernel, bias, baked_weights);
  call.depthwise_kernel.data = call.bias.data = NULL;
  run_case("run baked", context, &baked, call, 0);
  call.depthwise_kernel.data = kernel;
  say("baked, kernel given", context, dwconv_layer_run(context, &baked, &call));
  call.depthwise_kernel.data = NULL;
  call.bias.data = bias;
  say("baked, bias given", context, dwconv_layer_run(context, &baked, &call));
  call.bias.data = NULL;
  call.packed_weights = packed;
  say("baked, packed_weights given", context,
      dwconv_layer_run(context, &baked, &call));

  no_bias.has_bias = 0;
  no_bias.name = "no_bias_layer";
  call = make_call(2);
  call.bias.data = NULL;
  memset(output, 0, sizeof(output));
  say("run without bias", context, dwconv_layer_run(context, &no_bias, &call));
  printf("run without bias: reference: %s\n",
         matches(output, expected_no_bias, OUTPUT_FLOATS));
  call.bias.data = bias;
  say("bias for a layer without", context,
      dwconv_layer_run(context, &no_bias, &call));
  dwconv_context_destroy(context);
}

/*--- Refusals of a call -----------------------------------------------------*/

/* The ABI v1 metadata, as a v1 object exports it. */
typedef struct metadata_v1 {
  uint32_t abi_version, dtype, data_format, padding, activation, has_bias,
      weights_baked;
  int64_t input_shape[4], kernel_shape[4], output_shape[4], strides[2],
      dilation_rate[2];
  const char *name;
} metadata_v1;

static void run_says(const char *label, dwconv_context *context,
                     const dwconv_layer_metadata *layer,
                     const dwconv_call *call) {
  say(label, context, dwconv_layer_run(context, layer, call));
}

static void test_layer_refusals(dwconv_context *context) {
  dwconv_layer_metadata layer = test_layer(), bad;
  dwconv_call call = make_call(2);
  metadata_v1 v1;
  dwconv_plan plan;
  say("plan null layer", context,
      dwconv_layer_plan(context, NULL, &call, &plan));
  say("plan null call", context,
      dwconv_layer_plan(context, &layer, NULL, &plan));
  say("plan null out_plan", context,
      dwconv_layer_plan(context, &layer, &call, NULL));
  say("run null call", context, dwconv_layer_run(context, &layer, NULL));
  say("null context", NULL, dwconv_layer_run(NULL, &layer, &call));
  bad = layer, bad.abi_version = 99;
  run_says("abi 99", context, &bad, &call);
  memset(&v1, 0, sizeof(v1));
  v1.abi_version = 1;
  v1.name = "old_layer";
  run_says("abi 1", context, (const dwconv_layer_metadata *)(void *)&v1, &call);
  bad = layer, bad.device = DWCONV_DEVICE_CUDA;
  run_says("cuda layer", context, &bad, &call);
  bad = layer, bad.dtype = 9;
  run_says("dtype 9 layer", context, &bad, &call);
  bad = layer, bad.strides[1] = 0;
  run_says("stride 0 layer", context, &bad, &call);
  bad = layer, bad.activation = DWCONV_ACTIVATION_COUNT;
  run_says("unknown activation layer", context, &bad, &call);
  bad = layer, bad.tile = NULL;
  run_says("no tile function", context, &bad, &call);
}

static void test_shape_refusals(dwconv_context *context) {
  dwconv_layer_metadata layer = test_layer(), bad;
  dwconv_call call = make_call(2), empty = dwconv_call_empty();
  const int64_t empty_dims[4] = {0, H, W, C};
  dwconv_plan plan;
  call.input.rank = 3;
  run_says("input rank 3", context, &layer, &call);
  call = make_call(2), call.input.dims[1] = 8;
  run_says("input height 8", context, &layer, &call);
  call = make_call(2), call.input.dims[3] = 4;
  run_says("input channels 4", context, &layer, &call);
  call = make_call(-1);
  run_says("negative batch", context, &layer, &call);
  bad = layer, bad.input_shape[2] = -1;
  call = make_call(2), call.input.dims[2] = 0;
  run_says("input width 0", context, &bad, &call);
  bad = layer, bad.input_shape[1] = -1, bad.padding = DWCONV_PADDING_VALID;
  call = make_call(2), call.input.dims[1] = 2;
  run_says("empty output", context, &bad, &call);
  call = make_call(INT64_MAX / 8);
  run_says("huge batch", context, &layer, &call);
  bad = layer, bad.kernel_shape[3] = (int64_t)1 << 60;
  call = make_call(2);
  run_says("huge depth multiplier", context, &bad, &call);
  bad = layer, bad.dilation_rate[0] = INT64_MAX / 2 + 1;
  run_says("huge dilation", context, &bad, &call);
  bad = layer, bad.workspace_bytes = INT64_MAX - 8;
  run_says("huge workspace", context, &bad, &call);
  /* An empty batch: no tiles, nothing read or written, no pointer needed. */
  empty.input = dwconv_buffer_f32(NULL, 4, empty_dims);
  empty.input.dtype = 7;
  say("plan empty batch", context,
      dwconv_layer_plan(context, &layer, &empty, &plan));
  printf("plan empty batch: tiles %lld, workers %lld, workspace %zu\n",
         (long long)plan.tile_count, (long long)plan.workers,
         plan.workspace_bytes);
  run_says("run empty batch", context, &layer, &empty);
}

static void test_buffer_refusals(dwconv_context *context) {
  dwconv_layer_metadata layer = test_layer();
  dwconv_call call = make_call(2);
  call.input.data = NULL;
  run_says("null input", context, &layer, &call);
  call = make_call(2), call.input.data = (const char *)input + 2;
  run_says("misaligned input", context, &layer, &call);
  call = make_call(2), call.input.dtype = 3;
  run_says("input dtype 3", context, &layer, &call);
  call = make_call(2), call.input.memory = DWCONV_DEVICE_CUDA;
  run_says("input in cuda memory", context, &layer, &call);
  call = make_call(2), call.depthwise_kernel.data = NULL;
  run_says("null kernel", context, &layer, &call);
  call = make_call(2), call.depthwise_kernel.data = (const char *)kernel + 1;
  run_says("misaligned kernel", context, &layer, &call);
  call = make_call(2), call.depthwise_kernel.rank = 3;
  run_says("kernel rank 3", context, &layer, &call);
  call = make_call(2), call.depthwise_kernel.dims[3] = 1;
  run_says("kernel dims", context, &layer, &call);
  call = make_call(2), call.depthwise_kernel.rank = 0;
  run_says("kernel rank 0", context, &layer, &call);
  call = make_call(2), call.output.data = NULL;
  run_says("null output", context, &layer, &call);
  call = make_call(2), call.output.dtype = 1;
  run_says("output dtype 1", context, &layer, &call);
  call = make_call(2), call.output.memory = DWCONV_DEVICE_CUDA;
  run_says("output in cuda memory", context, &layer, &call);
  call = make_call(2), call.output.rank = 2;
  run_says("output rank 2", context, &layer, &call);
  call = make_call(2), call.output.dims[3] = 5;
  run_says("output dims", context, &layer, &call);
  call = make_call(2), call.output.rank = 0;
  run_says("output rank 0", context, &layer, &call);
  call = make_call(2), call.bias.data = NULL;
  run_says("null bias", context, &layer, &call);
  call = make_call(2), call.bias.rank = 2;
  run_says("bias rank 2", context, &layer, &call);
  call = make_call(2), call.bias.dims[0] = 5;
  run_says("bias dims", context, &layer, &call);
  call = make_call(2), call.bias.rank = 0;
  run_says("bias rank 0", context, &layer, &call);
}

static void test_weight_refusals(dwconv_context *context) {
  dwconv_layer_metadata layer = test_layer();
  dwconv_call call = make_call(2);
  call.packed_weights = packed + 4;
  call.depthwise_kernel.data = call.bias.data = NULL;
  run_says("misaligned packed_weights", context, &layer, &call);
  call = make_call(2), call.packed_weights = packed;
  run_says("packed_weights and kernel", context, &layer, &call);
  call.depthwise_kernel.data = NULL;
  run_says("packed_weights and bias", context, &layer, &call);
}

static _Alignas(64) float arena[4096];

static void test_aliasing(dwconv_context *context) {
  dwconv_layer_metadata layer = test_layer();
  dwconv_call call = make_call(2);
  call.output.data = arena;
  call.input.data = arena + 256;
  run_says("output over input", context, &layer, &call);
  call = make_call(2), call.output.data = arena;
  call.depthwise_kernel.data = arena + 8;
  run_says("output over kernel", context, &layer, &call);
  call = make_call(2), call.output.data = arena;
  call.bias.data = arena + 8;
  run_says("output over bias", context, &layer, &call);
  call = make_call(2), call.output.data = arena;
  call.depthwise_kernel.data = call.bias.data = NULL;
  call.packed_weights = arena + 64;
  run_says("output over packed_weights", context, &layer, &call);
  call = make_call(2), call.output.data = arena;
  call.workspace = arena + 128, call.workspace_bytes = 2048;
  run_says("output over workspace", context, &layer, &call);
  call = make_call(2), call.output.data = arena + 2048;
  call.input.data = arena + 256;
  call.workspace = arena, call.workspace_bytes = 2048;
  run_says("workspace over input", context, &layer, &call);
  call.workspace_bytes = 1024;
  run_says("workspace next to input", context, &layer, &call);
  printf("last error after a success: '%s'\n",
         dwconv_context_last_error(context));
}

/*--- Shapes and FLOPs -------------------------------------------------------*/

static void print_output_shape(const char *label,
                               const dwconv_layer_metadata *layer,
                               const int64_t input_dims[4]) {
  int64_t output_dims[4];
  dwconv_status status =
      dwconv_layer_output_shape(layer, input_dims, output_dims);
  if (status != DWCONV_OK) {
    say(label, NULL, status);
    return;
  }
  printf("%s: DWCONV_OK", label);
  print_dims(", ", output_dims);
  printf("\n");
}

static void test_shapes(void) {
  dwconv_layer_metadata layer = test_layer(), strided = test_layer(),
                        dilated = test_layer(), relu = test_layer(),
                        padded = test_layer(), overflow, negative_pad;
  const int64_t dims[4] = {2, H, W, C}, negative[4] = {2, -1, W, C},
                short_dims[4] = {2, 4, W, C},
                huge[4] = {(int64_t)1 << 60, H, W, C};
  strided.strides[0] = strided.strides[1] = 2;
  dilated.padding = DWCONV_PADDING_VALID;
  dilated.dilation_rate[0] = dilated.dilation_rate[1] = 2;
  relu.activation = DWCONV_ACTIVATION_RELU;
  padded.padding = DWCONV_PADDING_EXPLICIT;
  padded.strides[0] = padded.strides[1] = 2;
  padded.pads[0] = 1, padded.pads[1] = 2, padded.pads[2] = 0;
  padded.pads[3] = 3;
  overflow = padded, overflow.pads[0] = INT64_MAX;
  negative_pad = padded, negative_pad.pads[3] = -1;
  print_output_shape("output_shape", &layer, dims);
  print_output_shape("output_shape explicit pads", &padded, dims);
  print_output_shape("output_shape pads overflow", &overflow, dims);
  print_output_shape("output_shape negative pad", &negative_pad, dims);
  print_output_shape("output_shape strides 2", &strided, dims);
  print_output_shape("output_shape valid dilation 2", &dilated, dims);
  print_output_shape("output_shape negative height", &layer, negative);
  print_output_shape("output_shape empty", &dilated, short_dims);
  say("output_shape null dims", NULL,
      dwconv_layer_output_shape(&layer, NULL, NULL));
  printf("flops: %lld\n", (long long)dwconv_layer_flops(&layer, dims));
  printf("flops relu: %lld\n", (long long)dwconv_layer_flops(&relu, dims));
  printf("flops negative height: %lld\n",
         (long long)dwconv_layer_flops(&layer, negative));
  printf("flops huge batch: %lld\n",
         (long long)dwconv_layer_flops(&layer, huge));
  printf("flops null layer: %lld\n", (long long)dwconv_layer_flops(NULL, dims));
}

int main(void) {
  dwconv_context *context;
  fill_data();
  reference(MAX_BATCH, bias, expected);
  reference(MAX_BATCH, NULL, expected_no_bias);
  test_names();
  test_contexts();
  test_parallel_for();
  test_plans();
  test_runs();
  test_context_workspace();
  test_call_workspace();
  test_packing();
  test_baked_and_no_bias();
  context = make_context(2);
  test_layer_refusals(context);
  test_shape_refusals(context);
  test_buffer_refusals(context);
  test_weight_refusals(context);
  test_aliasing(context);
  dwconv_context_destroy(context);
  test_shapes();
  return 0;
}
