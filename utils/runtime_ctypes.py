"""The runtime's C structs for the tests' and the benchmarks' Python
drivers: those of the python/dwconv package (dwconv/runtime.h, runtime ABI
v4), re-exported."""

import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "python"))
from dwconv import (DEVICE_CPU, DEVICE_CUDA, DTYPE_F32, Allocator,  # noqa: E402,F401
                    Buffer, Call, ContextOptions, Metadata)

# Byte offset of packed_weights_bytes in dwconv_layer_metadata.
PACKED_WEIGHTS_BYTES_OFFSET = Metadata.packed_weights_bytes.offset
assert PACKED_WEIGHTS_BYTES_OFFSET == 8 * 4 + 20 * 8 + 8
