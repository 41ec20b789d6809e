/*===- pool.c - the runtime's built-in thread pool ------------------------===*
 *
 * Workers wait for a run to bump `generation`, run their fixed indices, and
 * the last one to finish wakes the caller. Waking a thread that sleeps on a
 * condition variable takes tens of microseconds, as long as a whole small
 * layer, so both sides first spin for a while (kSpinNanoseconds) on the
 * atomic `generation` and `busy` before they sleep: back-to-back calls (the
 * layers of a model) find the workers awake. The run's fields are written
 * under the mutex before `generation` is bumped (release) and read under it
 * after (acquire), so a run's writes before dwconv_pool_run happen before its
 * tasks; each worker's decrement of `busy` (release) happens before the
 * caller sees 0 (acquire), so the tasks' writes happen before
 * dwconv_pool_run returns.
 *
 *===----------------------------------------------------------------------===*/

/* clock_gettime, CLOCK_MONOTONIC and sysconf are POSIX. */
#define _POSIX_C_SOURCE 200809L

#include "pool.h"

#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

/* How long a thread spins before it sleeps, when every thread of the pool
 * has a CPU of its own (with more threads than CPUs, spinning would take CPU
 * time from the threads still computing). */
enum { kSpinNanoseconds = 200 * 1000 };

typedef struct dwconv_pool_worker {
  dwconv_pool *pool;
  int64_t index; /* 1-based: the first index of every run it takes */
  pthread_t thread;
} dwconv_pool_worker;

struct dwconv_pool {
  pthread_mutex_t mutex;
  pthread_cond_t start;        /* workers wait here for a run or for stop */
  pthread_cond_t done;         /* the caller waits here for busy == 0 */
  _Atomic uint64_t generation; /* bumped by every run */
  _Atomic int stop;
  int active; /* a run is in progress: a nested one runs inline */
  /* The current run. */
  dwconv_pool_task task;
  void *arg;
  int64_t count;
  _Atomic int32_t busy; /* workers of the run that have not finished */
  int32_t threads;
  int64_t spin_nanoseconds; /* kSpinNanoseconds, or 0 when oversubscribed */
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

static int64_t monotonic_nanoseconds(void) {
  struct timespec now;
  clock_gettime(CLOCK_MONOTONIC, &now);
  return (int64_t)now.tv_sec * 1000000000 + now.tv_nsec;
}

static void cpu_relax(void) {
#if defined(__x86_64__) || defined(__i386__)
  __builtin_ia32_pause();
#elif defined(__aarch64__)
  __asm__ __volatile__("yield");
#endif
}

/* Spins until `*value != unlike` (or stop), for at most `nanoseconds`;
 * whether it saw the change. */
static int spin_until_changed(const _Atomic uint64_t *value, uint64_t unlike,
                              const _Atomic int *stop, int64_t nanoseconds) {
  if (nanoseconds <= 0)
    return 0;
  int64_t deadline = monotonic_nanoseconds() + nanoseconds;
  for (unsigned i = 1;; ++i) {
    if (atomic_load_explicit(value, memory_order_acquire) != unlike ||
        atomic_load_explicit(stop, memory_order_relaxed))
      return 1;
    cpu_relax();
    if (i % 64 == 0 && monotonic_nanoseconds() > deadline)
      return 0;
  }
}

/* The same for `busy` reaching 0. */
static void spin_until_idle(const _Atomic int32_t *busy, int64_t nanoseconds) {
  if (nanoseconds <= 0)
    return;
  int64_t deadline = monotonic_nanoseconds() + nanoseconds;
  for (unsigned i = 1; atomic_load_explicit(busy, memory_order_acquire) > 0;
       ++i) {
    cpu_relax();
    if (i % 64 == 0 && monotonic_nanoseconds() > deadline)
      return;
  }
}

/* Waits (spinning, then sleeping) for a run after generation `seen`; holds
 * the mutex on return. */
static void wait_for_run(dwconv_pool *pool, uint64_t seen) {
  spin_until_changed(&pool->generation, seen, &pool->stop,
                     pool->spin_nanoseconds);
  pthread_mutex_lock(&pool->mutex);
  while (!atomic_load(&pool->stop) && seen == atomic_load(&pool->generation))
    pthread_cond_wait(&pool->start, &pool->mutex);
}

static void *worker_main(void *opaque) {
  dwconv_pool_worker *worker = opaque;
  dwconv_pool *pool = worker->pool;
  uint64_t seen = 0; /* the generation before any run */
  for (;;) {
    wait_for_run(pool, seen);
    if (atomic_load(&pool->stop))
      break;
    seen = atomic_load(&pool->generation);
    dwconv_pool_task task = pool->task;
    void *arg = pool->arg;
    int64_t count = pool->count;
    pthread_mutex_unlock(&pool->mutex);
    if (worker->index >= count)
      continue; /* not part of this run */
    run_indices(task, arg, worker->index, (int64_t)pool->threads + 1, count);
    if (atomic_fetch_sub_explicit(&pool->busy, 1, memory_order_acq_rel) == 1) {
      pthread_mutex_lock(&pool->mutex);
      pthread_cond_signal(&pool->done);
      pthread_mutex_unlock(&pool->mutex);
    }
  }
  pthread_mutex_unlock(&pool->mutex);
  return NULL;
}

/* Stops and joins the first `started` workers. */
static void stop_workers(dwconv_pool *pool, int32_t started) {
  int32_t i;
  pthread_mutex_lock(&pool->mutex);
  atomic_store(&pool->stop, 1);
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
  long cpus = sysconf(_SC_NPROCESSORS_ONLN);
  pool->spin_nanoseconds =
      cpus > 0 && (long)threads + 1 <= cpus ? kSpinNanoseconds : 0;
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
  atomic_store(&pool->busy, count - 1 < pool->threads ? (int32_t)(count - 1)
                                                      : pool->threads);
  atomic_fetch_add_explicit(&pool->generation, 1, memory_order_release);
  pthread_cond_broadcast(&pool->start);
  pthread_mutex_unlock(&pool->mutex);

  run_indices(task, arg, 0, stride, count);

  spin_until_idle(&pool->busy, pool->spin_nanoseconds);
  pthread_mutex_lock(&pool->mutex);
  while (atomic_load(&pool->busy) > 0)
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
