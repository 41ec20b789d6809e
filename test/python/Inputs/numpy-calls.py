"""Calls layers through python/dwconv with numpy arrays, as a Python user
does, and checks the values: a model's folded blocks against Keras's block
outputs, and a layer with weights given at run time against a direct numpy
computation of Keras's formula."""

import json
import sys

import numpy

import dwconv


def sine(shape):
    i = numpy.arange(int(numpy.prod(shape)), dtype=numpy.float64)
    return (2.0 * numpy.sin(0.37 * i + 0.3)).astype("float32").reshape(shape)


def check_blocks(path, expected_path):
    library = dwconv.load(path, threads=2)
    print("layers:", " ".join(library.names))
    with open(expected_path) as f:
        expected = json.load(f)
    for entry in expected["layers"]:
        y = library(entry["name"], sine(entry["input_shape"]))
        flat = y.ravel()
        pairs = entry["expected_samples"]
        scale = max(abs(v) for _, v in pairs) or 1.0
        error = max(abs(float(flat[i]) - v) for i, v in pairs) / scale
        print("%s: shape %s, within 1e-5: %s" % (
            entry["name"], list(y.shape), "yes" if error <= 1e-5 else "no"))
    layer = library[expected["layers"][0]["name"]]
    try:
        layer(numpy.zeros((1, 2, 2, 1), dtype="float32"))
    except dwconv.Error as error:
        print("wrong shape:", error)
    try:
        library["no_such_layer"]
    except KeyError as error:
        print("unknown:", error)


def reference(x, kernel, bias):
    """Keras's 'valid' depthwise convolution, multiplier 1, by numpy."""
    n, h, w, c = x.shape
    kh, kw = kernel.shape[:2]
    out = numpy.zeros((n, h - kh + 1, w - kw + 1, c), dtype=numpy.float64)
    for i in range(kh):
        for j in range(kw):
            out += x[:, i:i + h - kh + 1, j:j + w - kw + 1, :] * kernel[i, j, :, 0]
    return out + bias


def check_weights_at_run_time(path):
    library = dwconv.load(path)
    layer = library["small"]
    rng = numpy.random.default_rng(5)
    x = rng.standard_normal((1, 6, 6, 2)).astype("float32")
    kernel = rng.standard_normal((3, 3, 2, 1)).astype("float32")
    bias = rng.standard_normal(2).astype("float32")
    y = layer(x, kernel=kernel, bias=bias)
    error = numpy.abs(y - reference(x, kernel, bias)).max()
    print("small: shape %s, weights at run time, within 1e-5: %s" % (
        list(y.shape), "yes" if error <= 1e-5 else "no"))


if __name__ == "__main__":
    check_blocks(sys.argv[1], sys.argv[2])
    check_weights_at_run_time(sys.argv[3])
