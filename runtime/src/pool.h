/*===- pool.h - the runtime's built-in thread pool (private) --------------===*
 *
 * A fixed set of pthreads that a context owns when its caller gives no
 * parallel_for of its own. One run at a time: a context is used by one
 * thread at a time, and so is its pool.
 *
 *===----------------------------------------------------------------------===*/

#ifndef DWCONV_POOL_H
#define DWCONV_POOL_H

#include <stdint.h>

typedef struct dwconv_pool dwconv_pool;

/* One index of a run. */
typedef void (*dwconv_pool_task)(void *arg, int64_t index);

/* Starts `threads` (>= 1) worker threads. Returns 0, or the error number of
 * the failure (nothing is left running then). */
int dwconv_pool_create(int32_t threads, dwconv_pool **out_pool);

/* Runs task(arg, i) once for every i in [0, count) and returns when all are
 * done. Index 0 runs on the calling thread; worker k (1-based) runs k,
 * k + stride, k + 2 * stride, ... with stride = threads + 1, and so does the
 * caller from 0. One run at a time: a run started while another is in
 * progress (from one of its tasks) runs all its indices on its caller. */
void dwconv_pool_run(dwconv_pool *pool, int64_t count, dwconv_pool_task task,
                     void *arg);

/* Stops and joins the workers, then frees the pool. NULL is a no-op. */
void dwconv_pool_destroy(dwconv_pool *pool);

#endif /* DWCONV_POOL_H */
