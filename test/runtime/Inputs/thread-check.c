/* Runs every layer of a model's table (TABLE, COUNT from -D) on random data
 * through contexts of 1, 2, 3 and 8 threads and through a caller's pool
 * (a thread per range, started and joined on each call), and checks that
 * every output has the bits of the one-thread output. Built with
 * -fsanitize=thread, it has ThreadSanitizer watch the runtime's pool and
 * workspaces under every layer the table holds. Dynamic dims: batch 3,
 * height and width 19. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
  dwconv_task_fn fn;
  void *arg;
  int64_t begin, end;
} range_task;

static void *run_range(void *p) {
  range_task *task = (range_task *)p;
  task->fn(task->arg, task->begin, task->end);
  return NULL;
}

/* The caller's pool: one thread per index, each index its own range. */
static void thread_per_range(void *pool, int64_t count, dwconv_task_fn fn,
                             void *arg) {
  pthread_t threads[64];
  range_task tasks[64];
  int64_t i;
  (void)pool;
  for (i = 0; i < count && i < 64; ++i) {
    tasks[i].fn = fn, tasks[i].arg = arg;
    tasks[i].begin = i, tasks[i].end = i + 1 < count && i < 63 ? i + 1 : count;
    pthread_create(&threads[i], NULL, run_range, &tasks[i]);
  }
  for (i = 0; i < count && i < 64; ++i)
    pthread_join(threads[i], NULL);
}

static float *random_floats(int64_t count, unsigned *seed) {
  float *data = (float *)malloc((size_t)(count ? count : 1) * sizeof(float));
  int64_t i;
  for (i = 0; i < count; ++i) {
    *seed = *seed * 1103515245u + 12345u;
    data[i] = (float)((*seed >> 8) & 0xffff) / 32768.0f - 1.0f;
  }
  return data;
}

static int64_t product(const int64_t *dims, int rank) {
  int64_t n = 1;
  int i;
  for (i = 0; i < rank; ++i)
    n *= dims[i];
  return n;
}

/* Runs `layer` on context `c` into `out`; returns the status. */
static dwconv_status run(dwconv_context *c, const dwconv_model_layer *layer,
                         const float *x, const int64_t in[4], const float *k,
                         const float *b, float *out, const int64_t o[4]) {
  const dwconv_layer_metadata *m = layer->metadata;
  int64_t bias_dims[1];
  dwconv_call call = dwconv_call_empty();
  bias_dims[0] = m->kernel_shape[2] * m->kernel_shape[3];
  call.input = dwconv_buffer_f32(x, 4, in);
  call.output = dwconv_buffer_f32(out, 4, o);
  if (!m->weights_baked) {
    call.depthwise_kernel = dwconv_buffer_f32(k, 4, m->kernel_shape);
    if (m->has_bias)
      call.bias = dwconv_buffer_f32(b, 1, bias_dims);
  }
  return layer->call(c, &call);
}

int main(void) {
  static const int thread_counts[] = {2, 3, 8, -1}; /* -1: the caller's pool */
  dwconv_context *one = NULL;
  int i, t, failures = 0;
  unsigned seed = 7;
  if (dwconv_context_create(NULL, &one) != DWCONV_OK)
    return 1;
  for (i = 0; i < COUNT; ++i) {
    const dwconv_layer_metadata *m = TABLE[i].metadata;
    int64_t in[4], o[4], n_out, k;
    float *x, *w, *b, *first, *y;
    for (k = 0; k < 4; ++k)
      in[k] = m->input_shape[k] >= 0 ? m->input_shape[k] : (k == 0 ? 3 : 19);
    if (dwconv_layer_output_shape(m, in, o) != DWCONV_OK)
      return 1;
    n_out = product(o, 4);
    x = random_floats(product(in, 4), &seed);
    w = random_floats(product(m->kernel_shape, 4), &seed);
    b = random_floats(m->kernel_shape[2] * m->kernel_shape[3], &seed);
    first = (float *)malloc((size_t)n_out * sizeof(float));
    y = (float *)malloc((size_t)n_out * sizeof(float));
    if (run(one, &TABLE[i], x, in, w, b, first, o) != DWCONV_OK) {
      printf("%s: %s\n", TABLE[i].keras_name, dwconv_context_last_error(one));
      return 1;
    }
    for (t = 0; t < 4; ++t) {
      dwconv_context_options options;
      dwconv_context *c = NULL;
      memset(&options, 0, sizeof(options));
      options.threads = thread_counts[t] > 0 ? thread_counts[t] : 5;
      if (thread_counts[t] < 0)
        options.parallel_for = thread_per_range;
      memset(y, 0xff, (size_t)n_out * sizeof(float));
      if (dwconv_context_create(&options, &c) != DWCONV_OK ||
          run(c, &TABLE[i], x, in, w, b, y, o) != DWCONV_OK ||
          memcmp(first, y, (size_t)n_out * sizeof(float)) != 0) {
        printf("%s: threads %d differ or fail\n", TABLE[i].keras_name,
               thread_counts[t]);
        ++failures;
      }
      dwconv_context_destroy(c);
    }
    printf("%s (symbol %s): %lld outputs, same bits at 1, 2, 3, 8 threads "
           "and a caller's pool\n",
           TABLE[i].keras_name, TABLE[i].symbol, (long long)n_out);
    free(x), free(w), free(b), free(first), free(y);
  }
  dwconv_context_destroy(one);
  return failures != 0;
}
