/*===- cuda.c - the runtime's CUDA device ---------------------------------===*
 *
 * The driver API, loaded with dlopen (no CUDA at build or link time). Each
 * layer's module is loaded once per context (the cubin for the device's
 * architecture if the object has one, else the newest PTX it can run, which
 * the driver compiles), and baked weights are copied to the device once per
 * context. A launch passes the kernel the expanded descriptors of the input,
 * packed weights and output (dwconv/abi.def, gpu_kernel), one thread block
 * per tile.
 *
 *===----------------------------------------------------------------------===*/

#include "cuda.h"

#include <dlfcn.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The few driver API types and constants used (cuda.h's values). */
typedef int CUresult;
typedef int CUdevice;
typedef struct CUctx_st *CUcontext;
typedef struct CUmod_st *CUmodule;
typedef struct CUfunc_st *CUfunction;
typedef struct CUstream_st *CUstream;
typedef unsigned long long CUdeviceptr;
enum { CUDA_SUCCESS = 0, CC_MAJOR = 75, CC_MINOR = 76 };

typedef struct driver {
  void *handle; /* the driver, from dlopen */
  CUresult (*cuInit)(unsigned);
  CUresult (*cuGetErrorString)(CUresult, const char **);
  CUresult (*cuDeviceGet)(CUdevice *, int);
  CUresult (*cuDeviceGetAttribute)(int *, int, CUdevice);
  CUresult (*cuDevicePrimaryCtxRetain)(CUcontext *, CUdevice);
  CUresult (*cuDevicePrimaryCtxRelease)(CUdevice);
  CUresult (*cuCtxPushCurrent)(CUcontext);
  CUresult (*cuCtxPopCurrent)(CUcontext *);
  CUresult (*cuModuleLoadData)(CUmodule *, const void *);
  CUresult (*cuModuleUnload)(CUmodule);
  CUresult (*cuModuleGetFunction)(CUfunction *, CUmodule, const char *);
  CUresult (*cuMemAlloc)(CUdeviceptr *, size_t);
  CUresult (*cuMemFree)(CUdeviceptr);
  CUresult (*cuMemcpyHtoDAsync)(CUdeviceptr, const void *, size_t, CUstream);
  CUresult (*cuMemcpyDtoHAsync)(void *, CUdeviceptr, size_t, CUstream);
  CUresult (*cuLaunchKernel)(CUfunction, unsigned, unsigned, unsigned, unsigned,
                             unsigned, unsigned, unsigned, CUstream, void **,
                             void **);
  CUresult (*cuStreamSynchronize)(CUstream);
} driver;

/* A layer's loaded kernel and, for baked weights, their device copy. */
typedef struct loaded_layer {
  const dwconv_layer_metadata *layer;
  CUmodule module;
  CUfunction function;
  CUdeviceptr baked_weights;
} loaded_layer;

struct dwconv_cuda {
  driver api;
  CUdevice device;
  CUcontext context;
  CUstream stream;
  int arch; /* 10 x major + minor */
  loaded_layer *layers;
  size_t layer_count;
};

static void say(char *message, size_t size, const char *format, ...) {
  va_list args;
  va_start(args, format);
  vsnprintf(message, size, format, args);
  va_end(args);
}

/* The driver's own message for `result`. */
static const char *reason(const driver *api, CUresult result) {
  const char *text = NULL;
  if (api->cuGetErrorString && api->cuGetErrorString(result, &text) == 0 &&
      text)
    return text;
  return "unknown driver error";
}

static int load_symbols(driver *api, char *message, size_t size) {
  struct {
    void **slot;
    const char *name;
  } symbols[] = {
      {(void **)&api->cuInit, "cuInit"},
      {(void **)&api->cuGetErrorString, "cuGetErrorString"},
      {(void **)&api->cuDeviceGet, "cuDeviceGet"},
      {(void **)&api->cuDeviceGetAttribute, "cuDeviceGetAttribute"},
      {(void **)&api->cuDevicePrimaryCtxRetain, "cuDevicePrimaryCtxRetain"},
      {(void **)&api->cuDevicePrimaryCtxRelease,
       "cuDevicePrimaryCtxRelease_v2"},
      {(void **)&api->cuCtxPushCurrent, "cuCtxPushCurrent_v2"},
      {(void **)&api->cuCtxPopCurrent, "cuCtxPopCurrent_v2"},
      {(void **)&api->cuModuleLoadData, "cuModuleLoadData"},
      {(void **)&api->cuModuleUnload, "cuModuleUnload"},
      {(void **)&api->cuModuleGetFunction, "cuModuleGetFunction"},
      {(void **)&api->cuMemAlloc, "cuMemAlloc_v2"},
      {(void **)&api->cuMemFree, "cuMemFree_v2"},
      {(void **)&api->cuMemcpyHtoDAsync, "cuMemcpyHtoDAsync_v2"},
      {(void **)&api->cuMemcpyDtoHAsync, "cuMemcpyDtoHAsync_v2"},
      {(void **)&api->cuLaunchKernel, "cuLaunchKernel"},
      {(void **)&api->cuStreamSynchronize, "cuStreamSynchronize"},
  };
  size_t i;
  for (i = 0; i < sizeof(symbols) / sizeof(symbols[0]); ++i) {
    /* dlsym returns data pointers; the driver's are functions. */
    *symbols[i].slot = dlsym(api->handle, symbols[i].name);
    if (!*symbols[i].slot) {
      say(message, size, "the CUDA driver has no %s", symbols[i].name);
      return 0;
    }
  }
  return 1;
}

/* Device `ordinal`'s primary context and architecture. */
static dwconv_status open_device(dwconv_cuda *cuda, int ordinal, char *message,
                                 size_t size) {
  const driver *api = &cuda->api;
  int major = 0, minor = 0;
  CUresult result = api->cuInit(0);
  if (result == CUDA_SUCCESS)
    result = api->cuDeviceGet(&cuda->device, ordinal);
  if (result != CUDA_SUCCESS) {
    say(message, size, "no CUDA device %d: %s", ordinal, reason(api, result));
    return DWCONV_UNSUPPORTED;
  }
  if ((result = api->cuDeviceGetAttribute(&major, CC_MAJOR, cuda->device)) ||
      (result = api->cuDeviceGetAttribute(&minor, CC_MINOR, cuda->device)) ||
      (result = api->cuDevicePrimaryCtxRetain(&cuda->context, cuda->device))) {
    say(message, size, "CUDA device %d: %s", ordinal, reason(api, result));
    return DWCONV_DEVICE_ERROR;
  }
  cuda->arch = 10 * major + minor;
  return DWCONV_OK;
}

dwconv_status dwconv_cuda_open(int ordinal, void *stream, dwconv_cuda **out,
                               char *message, size_t size) {
  const char *path = getenv("DWCONV_CUDA_DRIVER");
  dwconv_cuda *cuda;
  dwconv_status status;
  *out = NULL;
  if (!path || !*path)
    path = "libcuda.so.1";
  cuda = calloc(1, sizeof(*cuda));
  if (!cuda) {
    say(message, size, "out of memory");
    return DWCONV_OUT_OF_MEMORY;
  }
  cuda->api.handle = dlopen(path, RTLD_NOW | RTLD_LOCAL);
  if (!cuda->api.handle) {
    const char *error = dlerror();
    say(message, size, "the CUDA driver (%s) cannot be loaded: %s", path,
        error ? error : "unknown error");
    free(cuda);
    return DWCONV_UNSUPPORTED;
  }
  if (!load_symbols(&cuda->api, message, size)) {
    dlclose(cuda->api.handle);
    free(cuda);
    return DWCONV_UNSUPPORTED;
  }
  cuda->stream = stream;
  status = open_device(cuda, ordinal, message, size);
  if (status != DWCONV_OK) {
    dlclose(cuda->api.handle);
    free(cuda);
    return status;
  }
  *out = cuda;
  return DWCONV_OK;
}

void dwconv_cuda_close(dwconv_cuda *cuda) {
  size_t i;
  CUcontext popped;
  if (!cuda)
    return;
  if (cuda->api.cuCtxPushCurrent(cuda->context) == CUDA_SUCCESS) {
    for (i = 0; i < cuda->layer_count; ++i) {
      if (cuda->layers[i].baked_weights)
        cuda->api.cuMemFree(cuda->layers[i].baked_weights);
      cuda->api.cuModuleUnload(cuda->layers[i].module);
    }
    cuda->api.cuCtxPopCurrent(&popped);
  }
  cuda->api.cuDevicePrimaryCtxRelease(cuda->device);
  dlclose(cuda->api.handle);
  free(cuda->layers);
  free(cuda);
}

/* The image to load on a device of architecture `arch`: a cubin of the same
 * major version and no newer minor one, else the newest PTX not newer than
 * the device. */
static const dwconv_gpu_image *pick_image(const dwconv_layer_metadata *layer,
                                          int arch) {
  const dwconv_gpu_image *images = layer->gpu_images, *best = NULL;
  int64_t i;
  for (i = 0; i < layer->gpu_image_count; ++i) {
    const dwconv_gpu_image *image = &images[i];
    int fits =
        image->format == DWCONV_GPU_CUBIN
            ? (int)image->arch / 10 == arch / 10 && (int)image->arch <= arch
            : (int)image->arch <= arch;
    if (!fits)
      continue;
    if (!best ||
        (image->format == DWCONV_GPU_CUBIN &&
         best->format != DWCONV_GPU_CUBIN) ||
        (image->format == best->format && image->arch > best->arch))
      best = image;
  }
  return best;
}

/* The layer's loaded kernel (loading it on first use). */
static dwconv_status load_layer(dwconv_cuda *cuda,
                                const dwconv_layer_metadata *layer,
                                loaded_layer **out, char *message,
                                size_t size) {
  const driver *api = &cuda->api;
  loaded_layer entry, *grown;
  size_t i;
  CUresult result;
  for (i = 0; i < cuda->layer_count; ++i)
    if (cuda->layers[i].layer == layer) {
      *out = &cuda->layers[i];
      return DWCONV_OK;
    }
  const dwconv_gpu_image *image = pick_image(layer, cuda->arch);
  if (!image) {
    say(message, size,
        "layer '%s' has no code for this device (sm_%d); compile it with "
        "--gpu-arch=sm_%d",
        layer->name, cuda->arch, cuda->arch);
    return DWCONV_UNSUPPORTED;
  }
  memset(&entry, 0, sizeof(entry));
  entry.layer = layer;
  if ((result = api->cuModuleLoadData(&entry.module, image->data))) {
    say(message, size, "layer '%s': cuModuleLoadData (%s for sm_%u): %s",
        layer->name, image->format == DWCONV_GPU_PTX ? "PTX" : "cubin",
        (unsigned)image->arch, reason(api, result));
    return DWCONV_DEVICE_ERROR;
  }
  result = api->cuModuleGetFunction(&entry.function, entry.module,
                                    layer->gpu_kernel);
  if (result == CUDA_SUCCESS && layer->baked_weights) {
    result = api->cuMemAlloc(&entry.baked_weights,
                             (size_t)layer->baked_weights_bytes);
    if (result == CUDA_SUCCESS)
      result = api->cuMemcpyHtoDAsync(entry.baked_weights, layer->baked_weights,
                                      (size_t)layer->baked_weights_bytes,
                                      cuda->stream);
  }
  grown = result == CUDA_SUCCESS
              ? realloc(cuda->layers, (cuda->layer_count + 1) * sizeof(entry))
              : NULL;
  if (!grown) {
    if (entry.baked_weights)
      api->cuMemFree(entry.baked_weights);
    api->cuModuleUnload(entry.module);
    say(message, size, "layer '%s': loading its kernel: %s", layer->name,
        result ? reason(api, result) : "out of memory");
    return result ? DWCONV_DEVICE_ERROR : DWCONV_OUT_OF_MEMORY;
  }
  cuda->layers = grown;
  cuda->layers[cuda->layer_count] = entry;
  *out = &cuda->layers[cuda->layer_count++];
  return DWCONV_OK;
}

/* A memref descriptor, expanded: allocated, aligned, offset, sizes,
 * row-major strides. */
typedef struct descriptor {
  CUdeviceptr allocated, aligned;
  int64_t offset, sizes[4], strides[4];
} descriptor;

static void describe(descriptor *d, CUdeviceptr data, const int64_t *dims,
                     int rank) {
  int i;
  d->allocated = d->aligned = data;
  d->offset = 0;
  for (i = rank - 1; i >= 0; --i) {
    d->sizes[i] = dims[i];
    d->strides[i] = i == rank - 1 ? 1 : d->strides[i + 1] * dims[i + 1];
  }
}

/* Pointers to each field of `d` (rank sizes and strides), appended. */
static int push_descriptor(void **params, int n, descriptor *d, int rank) {
  int i;
  params[n++] = &d->allocated;
  params[n++] = &d->aligned;
  params[n++] = &d->offset;
  for (i = 0; i < rank; ++i)
    params[n++] = &d->sizes[i];
  for (i = 0; i < rank; ++i)
    params[n++] = &d->strides[i];
  return n;
}

/* Device memory for one call: a buffer's own pointer, or a copy. */
typedef struct staged {
  CUdeviceptr pointer;
  int owned;
} staged;

static CUresult stage(dwconv_cuda *cuda, const void *data, int on_device,
                      int64_t bytes, int copy_in, staged *out) {
  CUresult result;
  out->owned = !on_device;
  if (on_device) {
    out->pointer = (CUdeviceptr)(uintptr_t)data;
    return CUDA_SUCCESS;
  }
  result = cuda->api.cuMemAlloc(&out->pointer, (size_t)bytes);
  if (result == CUDA_SUCCESS && copy_in)
    result = cuda->api.cuMemcpyHtoDAsync(out->pointer, data, (size_t)bytes,
                                         cuda->stream);
  if (result != CUDA_SUCCESS)
    out->owned = 0;
  return result;
}

/* Queues the copies in, the kernel and the copy out. */
static CUresult launch_kernel(dwconv_cuda *cuda, const dwconv_cuda_launch *l,
                              const loaded_layer *loaded, staged buffers[3]) {
  const dwconv_layer_metadata *layer = l->layer;
  int64_t weight_count = (loaded->baked_weights ? layer->baked_weights_bytes
                                                : layer->packed_weights_bytes) /
                         4;
  descriptor input, weights, output;
  void *params[3 + 8 + 3 + 2 + 3 + 8];
  int n = 0;
  CUresult result;
  if ((result =
           stage(cuda, l->input->data, l->input->memory == DWCONV_DEVICE_CUDA,
                 l->input_bytes, 1, &buffers[0])) ||
      (!loaded->baked_weights &&
       (result = stage(cuda, l->weights, l->weights_on_device,
                       layer->packed_weights_bytes, 1, &buffers[1]))) ||
      (result =
           stage(cuda, l->output->data, l->output->memory == DWCONV_DEVICE_CUDA,
                 l->output_bytes, 0, &buffers[2])))
    return result;
  describe(&input, buffers[0].pointer, l->input->dims, 4);
  describe(&weights,
           loaded->baked_weights ? loaded->baked_weights : buffers[1].pointer,
           &weight_count, 1);
  describe(&output, buffers[2].pointer, l->output_dims, 4);
  n = push_descriptor(params, n, &input, 4);
  n = push_descriptor(params, n, &weights, 1);
  push_descriptor(params, n, &output, 4);
  result = cuda->api.cuLaunchKernel(
      loaded->function, (unsigned)l->tiles, 1, 1, (unsigned)layer->gpu_block[0],
      (unsigned)layer->gpu_block[1], (unsigned)layer->gpu_block[2], 0,
      cuda->stream, params, NULL);
  if (result == CUDA_SUCCESS && buffers[2].owned)
    result = cuda->api.cuMemcpyDtoHAsync((void *)(uintptr_t)l->output->data,
                                         buffers[2].pointer,
                                         (size_t)l->output_bytes, cuda->stream);
  return result;
}

dwconv_status dwconv_cuda_run(dwconv_cuda *cuda,
                              const dwconv_cuda_launch *launch, char *message,
                              size_t size) {
  const driver *api = &cuda->api;
  loaded_layer *loaded = NULL;
  staged buffers[3] = {{0, 0}, {0, 0}, {0, 0}};
  CUcontext popped;
  dwconv_status status;
  int i, copies = 0;
  CUresult result = api->cuCtxPushCurrent(cuda->context);
  if (result != CUDA_SUCCESS) {
    say(message, size, "layer '%s': cuCtxPushCurrent: %s", launch->layer->name,
        reason(api, result));
    return DWCONV_DEVICE_ERROR;
  }
  status = load_layer(cuda, launch->layer, &loaded, message, size);
  if (status == DWCONV_OK) {
    result = launch_kernel(cuda, launch, loaded, buffers);
    for (i = 0; i < 3; ++i)
      copies |= buffers[i].owned;
    /* Host buffers: wait for the copy out, and before freeing copies. */
    if (result == CUDA_SUCCESS && copies)
      result = api->cuStreamSynchronize(cuda->stream);
    else if (result != CUDA_SUCCESS)
      api->cuStreamSynchronize(cuda->stream);
    for (i = 0; i < 3; ++i)
      if (buffers[i].owned)
        api->cuMemFree(buffers[i].pointer);
    if (result != CUDA_SUCCESS) {
      say(message, size, "layer '%s': running its kernel: %s",
          launch->layer->name, reason(api, result));
      status = DWCONV_DEVICE_ERROR;
    }
  }
  api->cuCtxPopCurrent(&popped);
  return status;
}
