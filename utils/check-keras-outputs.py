#!/usr/bin/env python3
"""Calls the layers of a shared library built from a .keras archive (weights
baked in) on the inputs Keras saw, and compares with what Keras computed.

  check-keras-outputs.py LIB.so EXPECTED.json

LIB.so is what `dwconv-compile --emit=shared` writes. EXPECTED.json
(utils/gen-keras-models.py) holds, per depthwise layer (or folded block,
named after its depthwise layer), its input (or the rule "sine":
x[i] = 2 sin(0.37 i + 0.3), rounded to float32) and its output in Keras,
whole or sampled (expected_samples: [index, value] pairs). Each layer is
found by its Keras name and called through the python/dwconv package, as a
Python user does, without numpy.
"""

import json
import math
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "python"))
import dwconv  # noqa: E402


def layer_input(layer):
    if layer.get("input_rule") != "sine":
        return layer["input"]
    size = 1
    for d in layer["input_shape"]:
        size *= d
    return [2.0 * math.sin(0.37 * i + 0.3) for i in range(size)]


def main():
    library = dwconv.load(sys.argv[1])
    with open(sys.argv[2]) as f:
        expected = json.load(f)
    failed, worst = 0, 0.0
    for layer in expected["layers"]:
        try:
            output, shape = library[layer["name"]].run(layer_input(layer),
                                                       layer["input_shape"])
        except (dwconv.Error, KeyError) as error:
            failed += 1
            print("FAIL %s: %s" % (layer["name"], error))
            continue
        if list(shape) != layer["output_shape"]:
            failed += 1
            print("FAIL %s: output shape %s, Keras %s"
                  % (layer["name"], list(shape), layer["output_shape"]))
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
