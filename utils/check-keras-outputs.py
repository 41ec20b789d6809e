#!/usr/bin/env python3
"""Calls the layers of a shared library built from a .keras archive (weights
baked in) on the inputs Keras saw, and compares with what Keras computed.

  check-keras-outputs.py LIB.so EXPECTED.json

EXPECTED.json (utils/gen-keras-models.py) holds, per depthwise layer (or
folded block, named after its depthwise layer), its input (or the rule
"sine": x[i] = 2 sin(0.37 i + 0.3), rounded to float32) and its output in
Keras, whole or sampled (expected_samples: [index, value] pairs); the library must export the runtime too. Each
layer is called as a foreign caller would: through its uniform entry point
`dwconv_<name>_call` with a `dwconv_call` (utils/runtime_ctypes.py).
"""

import ctypes
import json
import math
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from runtime_ctypes import Buffer, Call  # noqa: E402


def buffer(data, dims):
    """A float32 host buffer (DWCONV_DTYPE_F32 = 0, DWCONV_DEVICE_CPU = 0)."""
    return Buffer(ctypes.cast(data, ctypes.c_void_p), 0, 0, len(dims), 0,
                  (ctypes.c_int64 * 4)(*dims))


def main():
    lib = ctypes.CDLL(sys.argv[1])
    with open(sys.argv[2]) as f:
        expected = json.load(f)
    context = ctypes.c_void_p()
    if lib.dwconv_context_create(None, ctypes.byref(context)) != 0:
        sys.exit("cannot create a dwconv context")
    lib.dwconv_context_last_error.restype = ctypes.c_char_p
    failed, worst = 0, 0.0
    for layer in expected["layers"]:
        entry = getattr(lib, "dwconv_" + layer["name"] + "_call")
        entry.restype = ctypes.c_int
        entry.argtypes = [ctypes.c_void_p, ctypes.POINTER(Call)]
        count = 1
        for d in layer["output_shape"]:
            count *= d
        if layer.get("input_rule") == "sine":
            size = 1
            for d in layer["input_shape"]:
                size *= d
            values = [2.0 * math.sin(0.37 * i + 0.3) for i in range(size)]
        else:
            values = layer["input"]
        data = (ctypes.c_float * len(values))(*values)
        output = (ctypes.c_float * count)()
        call = Call()
        call.input = buffer(data, layer["input_shape"])
        call.output = buffer(output, layer["output_shape"])
        status = entry(context, ctypes.byref(call))
        if status != 0:
            failed += 1
            print("FAIL %s: status %d: %s" % (
                layer["name"], status,
                lib.dwconv_context_last_error(context).decode()))
            continue
        pairs = (layer["expected_samples"] if "expected_samples" in layer
                 else list(enumerate(layer["output"])))
        scale = max(abs(v) for _, v in pairs) or 1.0
        error = max(abs(output[i] - v) for i, v in pairs) / scale
        worst = max(worst, error)
        verdict = "ok  " if error <= 1e-5 else "FAIL"
        failed += error > 1e-5
        print("%s %s: relative error %.3g" % (verdict, layer["name"], error))
    print("%d layers, max relative error %.3g" % (len(expected["layers"]), worst))
    print("%d passed, %d failed" % (len(expected["layers"]) - failed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
