"""Writes hostile specs into a directory (test/e2e/hostile-models.test)."""

import json
import os
import sys

out = sys.argv[1]


def write(name, text):
    with open(os.path.join(out, name), "w") as f:
        f.write(text)


def dw(name, **config):
    config = dict({"name": name, "kernel_size": 3, "padding": "same"},
                  **config)
    return {"class_name": "DepthwiseConv2D", "config": config}


def sequential(name, layers, shape=(None, 8, 8, 4)):
    return {"class_name": "Sequential",
            "config": {"name": name, "layers": [
                {"class_name": "InputLayer",
                 "config": {"batch_shape": list(shape), "name": name + "_in"}}]
                + layers}}


# 50,000 levels of JSON (a 100 kB file) once overflowed the stack.
write("deep.json", "[" * 50000 + "]" * 50000)
# Models nested 100 deep.
model = sequential("m0", [dw("dw")])
for i in range(1, 100):
    model = sequential("m%d" % i, [model])
write("nested.json", json.dumps(model))
# Upstream layers whose shape rules divided by zero or went negative.
for name, layer in (
        ("pool0", {"class_name": "MaxPooling2D",
                   "config": {"name": "p", "pool_size": 0}}),
        ("stride0", {"class_name": "AveragePooling2D",
                     "config": {"name": "p", "pool_size": 2, "strides": 0}}),
        ("convstride0", {"class_name": "Conv2D",
                         "config": {"name": "c", "filters": 4,
                                    "kernel_size": 3, "strides": 0}}),
        ("negcrop", {"class_name": "Cropping2D",
                     "config": {"name": "c", "cropping": [[-5, 0], [0, 0]]}}),
        ("bigcrop", {"class_name": "Cropping2D",
                     "config": {"name": "c", "cropping": [[4, 4], [0, 0]]}}),
        ("negpad", {"class_name": "ZeroPadding2D",
                    "config": {"name": "z", "padding": [[-3, 0], [0, 0]]}})):
    write(name + ".json", json.dumps(sequential("m", [layer, dw("dw")])))


# One depthwise layer called 1,000 times on its own output (same shape): one
# entry point, not 1,000.
def node(layer, index, shape):
    return {"args": [{"class_name": "__keras_tensor__", "config": {
        "shape": shape, "dtype": "float32",
        "keras_history": [layer, index, 0]}}], "kwargs": {}}


shape = [None, 8, 8, 4]
calls = [node("image", 0, shape)] + [node("dw", i, shape) for i in range(999)]
shared = {"class_name": "Functional", "config": {
    "name": "shared", "layers": [
        {"class_name": "InputLayer", "name": "image", "inbound_nodes": [],
         "config": {"batch_shape": shape, "name": "image"}},
        dict(dw("dw"), name="dw", inbound_nodes=calls)],
    "input_layers": [["image", 0, 0]], "output_layers": [["dw", 999, 0]]}}
write("shared.json", json.dumps(shared))
