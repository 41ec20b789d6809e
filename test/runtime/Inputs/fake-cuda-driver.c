/* A stand-in for the CUDA driver (libcuda.so.1), for testing the runtime's
 * device path without a GPU. $FAKE_CUDA picks what it does:
 *   nodevice  cuInit fails with CUDA_ERROR_NO_DEVICE;
 *   loadfail  a device (sm_80) whose cuModuleLoadData fails;
 *   device    a device (sm_80) that checks the module it is given (PTX with
 *             the kernel's entry, or a cubin) and prints
 *             each launch (grid, block, and the kernel's parameters as
 *             memref descriptors) instead of running it; memory is host
 *             memory.
 * Built without cuLaunchKernel (-DNO_LAUNCH), it is a driver that lacks a
 * function the runtime needs. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef int CUresult;
typedef unsigned long long CUdeviceptr;

static const char *mode(void) {
  const char *m = getenv("FAKE_CUDA");
  return m ? m : "nodevice";
}

CUresult cuInit(unsigned flags) {
  (void)flags;
  return strcmp(mode(), "nodevice") == 0 ? 100 : 0;
}

CUresult cuGetErrorString(CUresult error, const char **text) {
  *text = error == 100   ? "no CUDA-capable device is detected"
          : error == 218 ? "a PTX JIT compilation failed"
                         : "fake driver error";
  return 0;
}

CUresult cuDeviceGet(int *device, int ordinal) {
  *device = ordinal;
  return ordinal == 0 ? 0 : 101;
}

CUresult cuDeviceGetAttribute(int *value, int attribute, int device) {
  (void)device;
  *value = attribute == 75 ? 8 : 0; /* sm_80 */
  return 0;
}

static int fake_context;
CUresult cuDevicePrimaryCtxRetain(void **context, int device) {
  (void)device;
  *context = &fake_context;
  return 0;
}
CUresult cuDevicePrimaryCtxRelease_v2(int device) {
  (void)device;
  printf("fake driver: context released\n");
  return 0;
}
CUresult cuCtxPushCurrent_v2(void *context) { return context ? 0 : 201; }
CUresult cuCtxPopCurrent_v2(void **context) {
  *context = &fake_context;
  return 0;
}

static char kernel_names[16][64];
CUresult cuModuleLoadData(void **module, const void *image) {
  const char *ptx = image;
  if (strcmp(mode(), "loadfail") == 0)
    return 218;
  if (memcmp(ptx, "\177ELF", 4) == 0) {
    printf("fake driver: module loaded (cubin)\n");
    *module = (void *)ptx;
    return 0;
  }
  printf("fake driver: module loaded (%s, %s)\n",
         strncmp(ptx, "//", 2) == 0 ? "PTX text" : "not PTX",
         strstr(ptx, ".target sm_80") ? "sm_80" : "another target");
  *module = (void *)ptx;
  return 0;
}
CUresult cuModuleUnload(void *module) {
  (void)module;
  printf("fake driver: module unloaded\n");
  return 0;
}
CUresult cuModuleGetFunction(void **function, void *module, const char *name) {
  static int count;
  char entry[96];
  snprintf(entry, sizeof(entry), ".entry %s(", name);
  if (memcmp(module, "\177ELF", 4) != 0 && !strstr((const char *)module, entry))
    return 500; /* CUDA_ERROR_NOT_FOUND */
  snprintf(kernel_names[count % 16], 64, "%s", name);
  *function = kernel_names[count++ % 16];
  return 0;
}

CUresult cuMemAlloc_v2(CUdeviceptr *pointer, size_t bytes) {
  if (bytes == 0) /* as the driver: CUDA_ERROR_INVALID_VALUE */
    return 1;
  *pointer = (CUdeviceptr)(uintptr_t)malloc(bytes);
  return *pointer ? 0 : 2;
}
CUresult cuMemFree_v2(CUdeviceptr pointer) {
  free((void *)(uintptr_t)pointer);
  return 0;
}
CUresult cuMemcpyHtoDAsync_v2(CUdeviceptr to, const void *from, size_t bytes,
                              void *stream) {
  (void)stream;
  memcpy((void *)(uintptr_t)to, from, bytes);
  return 0;
}
CUresult cuMemcpyDtoHAsync_v2(void *to, CUdeviceptr from, size_t bytes,
                              void *stream) {
  (void)stream;
  memcpy(to, (const void *)(uintptr_t)from, bytes);
  return 0;
}

/* Prints one memref descriptor of `rank` from params[*n...]. */
static void print_descriptor(const char *what, void **params, int *n,
                             int rank) {
  int i;
  const float *data = *(const float *const *)params[*n + 1];
  printf(" %s: offset %lld, sizes (", what, *(long long *)params[*n + 2]);
  for (i = 0; i < rank; ++i)
    printf("%s%lld", i ? ", " : "", *(long long *)params[*n + 3 + i]);
  printf("), strides (");
  for (i = 0; i < rank; ++i)
    printf("%s%lld", i ? ", " : "", *(long long *)params[*n + 3 + rank + i]);
  printf("), first value %g\n", (double)data[0]);
  *n += 3 + 2 * rank;
}

#ifndef NO_LAUNCH
CUresult cuLaunchKernel(void *function, unsigned gx, unsigned gy, unsigned gz,
                        unsigned bx, unsigned by, unsigned bz, unsigned shared,
                        void *stream, void **params, void **extra) {
  int n = 0;
  (void)stream;
  (void)extra;
  printf("fake driver: launch %s, grid (%u, %u, %u), block (%u, %u, %u), "
         "shared %u\n",
         (const char *)function, gx, gy, gz, bx, by, bz, shared);
  print_descriptor("input", params, &n, 4);
  print_descriptor("weights", params, &n, 1);
  print_descriptor("output", params, &n, 4);
  return 0;
}
#endif

CUresult cuStreamSynchronize(void *stream) {
  (void)stream;
  return 0;
}
