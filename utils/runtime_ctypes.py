"""The runtime's C structs (dwconv/runtime.h, runtime ABI v3) for ctypes
callers: the tests' and the benchmarks' Python drivers."""

import ctypes

DEVICE_CPU, DEVICE_CUDA = 0, 1
DTYPE_F32 = 0


class Buffer(ctypes.Structure):
    """dwconv_buffer."""
    _fields_ = [("data", ctypes.c_void_p), ("dtype", ctypes.c_uint32),
                ("memory", ctypes.c_uint32), ("rank", ctypes.c_int32),
                ("reserved", ctypes.c_int32), ("dims", ctypes.c_int64 * 4)]


class Call(ctypes.Structure):
    """dwconv_call."""
    _fields_ = [("input", Buffer), ("depthwise_kernel", Buffer),
                ("bias", Buffer), ("output", Buffer),
                ("packed_weights", ctypes.c_void_p),
                ("workspace", ctypes.c_void_p),
                ("workspace_bytes", ctypes.c_size_t)]


class Allocator(ctypes.Structure):
    """dwconv_allocator."""
    _fields_ = [("self", ctypes.c_void_p), ("allocate", ctypes.c_void_p),
                ("deallocate", ctypes.c_void_p)]


class ContextOptions(ctypes.Structure):
    """dwconv_context_options."""
    _fields_ = [("device", ctypes.c_int), ("threads", ctypes.c_int32),
                ("parallel_for", ctypes.c_void_p), ("pool", ctypes.c_void_p),
                ("allocator", Allocator), ("cuda_device", ctypes.c_int32),
                ("cuda_stream", ctypes.c_void_p)]


# Byte offset of packed_weights_bytes in dwconv_layer_metadata: 8 uint32_t,
# then 20 int64_t of shapes, strides, dilation and tile shape, then
# workspace_bytes.
PACKED_WEIGHTS_BYTES_OFFSET = 8 * 4 + 20 * 8 + 8
