/*===- cuda.h - the runtime's CUDA device (internal) ----------------------===*
 *
 * The CUDA driver is loaded at run time (dlopen of libcuda.so.1, or of
 * $DWCONV_CUDA_DRIVER): the runtime builds, links and runs where there is
 * no driver, and a context of device cuda then fails with a status and a
 * message.
 *
 *===----------------------------------------------------------------------===*/

#ifndef DWCONV_RUNTIME_CUDA_H
#define DWCONV_RUNTIME_CUDA_H

#include "dwconv/runtime.h"

#include <stddef.h>

typedef struct dwconv_cuda dwconv_cuda;

/* Loads the driver, opens device `ordinal` (its primary context) for calls
 * on `stream` (a CUstream; NULL: the default stream). On failure, returns
 * the status and writes the reason into message[size]. */
dwconv_status dwconv_cuda_open(int ordinal, void *stream, dwconv_cuda **out,
                               char *message, size_t size);
void dwconv_cuda_close(dwconv_cuda *cuda);

/* One launch of a GPU layer: its buffers (host or device memory), the
 * packed weights (host memory, or device memory when `weights_on_device`),
 * the output dims and the number of tiles (thread blocks). */
typedef struct dwconv_cuda_launch {
  const dwconv_layer_metadata *layer;
  const dwconv_buffer *input, *output;
  const int64_t *output_dims;
  const void *weights;
  int weights_on_device;
  int64_t input_bytes, output_bytes, tiles;
} dwconv_cuda_launch;

/* Runs the layer's kernel on the context's stream: host buffers are copied
 * to the device and the output back (the call then waits for the stream);
 * with device buffers only, it returns once the kernel is queued. */
dwconv_status dwconv_cuda_run(dwconv_cuda *cuda,
                              const dwconv_cuda_launch *launch, char *message,
                              size_t size);

#endif /* DWCONV_RUNTIME_CUDA_H */
