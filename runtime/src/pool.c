/*===- pool.c - the runtime's built-in thread pool ------------------------===*
 *
 * Workers sleep on a condition variable until a run bumps `generation`, run
 * their fixed indices, and the last one to finish wakes the caller. All
 * shared state is read and written under the one mutex, so a run's writes
 * before dwconv_pool_run happen before its tasks, and the tasks' writes
 * happen before dwconv_pool_run returns.
 *
 *===----------------------------------------------------------------------===*/

#include "pool.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>

typedef struct dwconv_pool_worker {
  dwconv_pool *pool;
  int64_t index; /* 1-based: the first index of every run it takes */
  pthread_t thread;
} dwconv_pool_worker;

struct dwconv_pool {
  pthread_mutex_t mutex;
  pthread_cond_t start; /* workers wait here for a run or for stop */
  pthread_cond_t done;  /* the caller waits here for busy == 0 */
  uint64_t generation;  /* bumped by every run */
  int stop;
  int active; /* a run is in progress: a nested one runs inline */
  /* The current run. */
  dwconv_pool_task task;
  void *arg;
  int64_t count;
  int32_t busy; /* workers of the current run that have not finished */
  int32_t threads;
  dwconv_pool_worker *workers;
};

/* Runs task over first, first + stride, ... below count, without overflow. */
static void run_indices(dwconv_pool_task task, void *arg, int64_t first,
                        int64_t stride, int64_t count) {
  int64_t i = first;
  while (i < count) {
    task(arg, i);
    i = count - i > stride ? i + stride : count;
  }
}

static void *worker_main(void *opaque) {
  dwconv_pool_worker *worker = opaque;
  dwconv_pool *pool = worker->pool;
  uint64_t seen = 0; /* the generation before any run */
  pthread_mutex_lock(&pool->mutex);
  for (;;) {
    while (!pool->stop && seen == pool->generation)
      pthread_cond_wait(&pool->start, &pool->mutex);
    if (pool->stop)
      break;
    seen = pool->generation;
    if (worker->index >= pool->count)
      continue; /* not part of this run */
    dwconv_pool_task task = pool->task;
    void *arg = pool->arg;
    int64_t count = pool->count;
    pthread_mutex_unlock(&pool->mutex);
    run_indices(task, arg, worker->index, (int64_t)pool->threads + 1, count);
    pthread_mutex_lock(&pool->mutex);
    if (--pool->busy == 0)
      pthread_cond_signal(&pool->done);
  }
  pthread_mutex_unlock(&pool->mutex);
  return NULL;
}

/* Stops and joins the first `started` workers. */
static void stop_workers(dwconv_pool *pool, int32_t started) {
  int32_t i;
  pthread_mutex_lock(&pool->mutex);
  pool->stop = 1;
  pthread_cond_broadcast(&pool->start);
  pthread_mutex_unlock(&pool->mutex);
  for (i = 0; i < started; ++i)
    pthread_join(pool->workers[i].thread, NULL);
}

/* Frees a pool whose workers are all joined (or never started). */
static void free_pool(dwconv_pool *pool) {
  pthread_cond_destroy(&pool->done);
  pthread_cond_destroy(&pool->start);
  pthread_mutex_destroy(&pool->mutex);
  free(pool->workers);
  free(pool);
}

/* Allocates a pool and its synchronization, with no workers started. */
static int init_pool(int32_t threads, dwconv_pool **out_pool) {
  dwconv_pool *pool = calloc(1, sizeof(*pool));
  if (!pool)
    return ENOMEM;
  pool->workers = calloc((size_t)threads, sizeof(*pool->workers));
  if (!pool->workers) {
    free(pool);
    return ENOMEM;
  }
  int error = pthread_mutex_init(&pool->mutex, NULL);
  if (!error && (error = pthread_cond_init(&pool->start, NULL)))
    pthread_mutex_destroy(&pool->mutex);
  if (!error && (error = pthread_cond_init(&pool->done, NULL))) {
    pthread_cond_destroy(&pool->start);
    pthread_mutex_destroy(&pool->mutex);
  }
  if (error) {
    free(pool->workers);
    free(pool);
    return error;
  }
  pool->threads = threads;
  *out_pool = pool;
  return 0;
}

int dwconv_pool_create(int32_t threads, dwconv_pool **out_pool) {
  dwconv_pool *pool;
  int32_t i;
  *out_pool = NULL;
  if (threads < 1)
    return EINVAL;
  int error = init_pool(threads, &pool);
  if (error)
    return error;
  for (i = 0; i < threads; ++i) {
    pool->workers[i].pool = pool;
    pool->workers[i].index = (int64_t)i + 1;
    error = pthread_create(&pool->workers[i].thread, NULL, worker_main,
                           &pool->workers[i]);
    if (error) {
      stop_workers(pool, i);
      free_pool(pool);
      return error;
    }
  }
  *out_pool = pool;
  return 0;
}

void dwconv_pool_run(dwconv_pool *pool, int64_t count, dwconv_pool_task task,
                     void *arg) {
  int64_t stride = (int64_t)pool->threads + 1;
  if (count <= 1) {
    run_indices(task, arg, 0, stride, count);
    return;
  }
  pthread_mutex_lock(&pool->mutex);
  if (pool->active) {
    /* Called from a task of the current run: the workers are taken. */
    pthread_mutex_unlock(&pool->mutex);
    run_indices(task, arg, 0, 1, count);
    return;
  }
  pool->active = 1;
  pool->task = task;
  pool->arg = arg;
  pool->count = count;
  /* Workers 1 .. min(threads, count - 1) have indices in this run. */
  pool->busy = count - 1 < pool->threads ? (int32_t)(count - 1) : pool->threads;
  pool->generation++;
  pthread_cond_broadcast(&pool->start);
  pthread_mutex_unlock(&pool->mutex);

  run_indices(task, arg, 0, stride, count);

  pthread_mutex_lock(&pool->mutex);
  while (pool->busy > 0)
    pthread_cond_wait(&pool->done, &pool->mutex);
  pool->active = 0;
  pthread_mutex_unlock(&pool->mutex);
}

void dwconv_pool_destroy(dwconv_pool *pool) {
  if (!pool)
    return;
  stop_workers(pool, pool->threads);
  free_pool(pool);
}
