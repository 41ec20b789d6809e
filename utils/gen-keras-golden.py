#!/usr/bin/env python3
"""Writes golden DepthwiseConv2D cases computed by real Keras.

Needs TensorFlow, Keras 3 and tf-keras (pip install tensorflow-cpu tf-keras);
the build and the tests do not: they read what this writes.

  gen-keras-golden.py OUTDIR

writes OUTDIR/keras_golden.json: layers built by Keras 3 and by tf.keras 2,
each with the spec exactly as that Keras serialized it (flat get_config(),
{"class_name", "config"}, or serialize_keras_object()), random weights and
input, and the output Keras computed. Every activation under both versions,
every option, both data formats, odd shapes and batches > 1, and (Keras 3
only) strides > 1 with dilation_rate > 1 and the activations over the last
axis (glu, sparsemax) in more shapes. Case fields are
those of the conformance vectors, with `spec` (the JSON as written) instead
of `config`, plus `writer` and `group`.
"""

import json
import os
import sys

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import numpy as np  # noqa: E402


def activations_of(module):
    """The activation names this Keras accepts in a layer config."""
    names = ["linear", "relu", "relu6", "leaky_relu", "elu", "selu", "gelu",
             "sigmoid", "hard_sigmoid", "silu", "swish", "hard_silu",
             "hard_swish", "mish", "tanh", "softplus", "softsign",
             "exponential", "log_sigmoid", "softmax", "log_softmax",
             "celu", "hard_shrink", "hard_tanh", "soft_shrink", "sparse_plus",
             "sparse_sigmoid", "squareplus", "tanh_shrink", "glu",
             "sparsemax"]
    accepted = []
    for name in names:
        try:
            module.activations.get(name)
            accepted.append(name)
        except (ValueError, TypeError):
            pass
    return accepted


# (kwargs, input shape without batch, batch): the option matrix beyond
# activations, each run under both Keras versions.
OPTIONS = [
    (dict(kernel_size=3, padding="same"), (7, 9, 3), 1),
    (dict(kernel_size=3, strides=2, padding="same"), (9, 8, 5), 2),
    (dict(kernel_size=(3, 2), strides=(1, 2), padding="valid"), (8, 9, 4), 1),
    (dict(kernel_size=3, dilation_rate=2, padding="same"), (9, 9, 2), 1),
    (dict(kernel_size=(2, 3), dilation_rate=(2, 1), padding="valid"), (7, 6, 3), 3),
    (dict(kernel_size=5, strides=3, padding="same"), (11, 10, 2), 1),
    (dict(kernel_size=1, depth_multiplier=3), (4, 5, 3), 2),
    (dict(kernel_size=3, depth_multiplier=2, padding="same"), (6, 7, 5), 1),
    (dict(kernel_size=3, use_bias=False, padding="valid"), (5, 5, 7), 2),
    (dict(kernel_size=4, strides=2, padding="same"), (9, 7, 3), 1),
    (dict(kernel_size=3, data_format="channels_first", padding="same"), (3, 7, 8), 1),
    (dict(kernel_size=(3, 1), strides=2, data_format="channels_first",
          depth_multiplier=2, padding="valid"), (4, 9, 5), 2),
    (dict(kernel_size=3, data_format="channels_first", activation="softmax",
          padding="same"), (3, 5, 6), 1),
    (dict(kernel_size=7, padding="same"), (3, 2, 2), 1),
    (dict(kernel_size=2, padding="SAME", strides=1), (5, 4, 9), 1),
    (dict(kernel_size=[3, 3], strides=[2, 1], depth_multiplier=4,
          activation="relu6", padding="valid"), (7, 6, 2), 1),
    (dict(kernel_size=3, activation="hard_sigmoid", padding="same"), (6, 6, 3), 2),
    (dict(kernel_size=3, activation="leaky_relu", padding="valid",
          use_bias=False), (6, 5, 4), 1),
    (dict(kernel_size=3, activation=None, padding="valid"), (5, 6, 1), 1),
    (dict(kernel_size=3, activation="gelu", dilation_rate=(1, 2),
          padding="same"), (6, 8, 3), 1),
    (dict(kernel_size=2, strides=2, padding="valid", depth_multiplier=2),
     (8, 8, 3), 2),
    (dict(kernel_size=3, activation="log_softmax", depth_multiplier=2,
          padding="same"), (4, 5, 3), 1),
]


# Keras 3 only: strides > 1 with dilation_rate > 1 (tf.keras 2 refuses it).
KERAS3_OPTIONS = [
    (dict(kernel_size=3, strides=2, dilation_rate=2, padding="same"),
     (11, 10, 3), 2),
    (dict(kernel_size=(3, 2), strides=(2, 3), dilation_rate=(2, 2),
          padding="valid"), (12, 13, 2), 1),
    (dict(kernel_size=3, strides=(1, 2), dilation_rate=(2, 1),
          padding="same", data_format="channels_first"), (3, 9, 8), 1),
    (dict(kernel_size=2, strides=3, dilation_rate=3, depth_multiplier=2,
          padding="same", activation="relu6"), (10, 11, 3), 1),
    (dict(kernel_size=(4, 3), strides=(2, 2), dilation_rate=(3, 2),
          padding="same"), (9, 12, 2), 2),
]


# Keras 3 only: activations over the last axis beyond the default case
# (glu halves it: the channels, or the width for channels_first).
KERAS3_ACTIVATION_OPTIONS = [
    (dict(kernel_size=3, activation="glu", depth_multiplier=3,
          padding="same"), (5, 4, 2), 2),
    (dict(kernel_size=3, activation="glu", data_format="channels_first",
          padding="valid"), (3, 6, 10), 1),
    (dict(kernel_size=(2, 3), activation="sparsemax", depth_multiplier=2,
          padding="same"), (4, 5, 8), 2),
    (dict(kernel_size=3, activation="sparsemax", strides=2,
          data_format="channels_first", padding="same"), (3, 7, 9), 1),
    (dict(kernel_size=1, activation="sparsemax", use_bias=False), (3, 4, 24), 1),
]


def run_layer(module, kwargs, shape, batch, rng, spec_form):
    """Builds the layer, sets random weights, runs it; returns a case."""
    layer_kwargs = dict(kwargs)
    if spec_form == "class_name_config":
        layer_kwargs["input_shape"] = shape  # written as batch_input_shape
    layer = module.layers.DepthwiseConv2D(**layer_kwargs)
    x = rng.standard_normal((batch,) + tuple(shape)).astype("float32")
    layer.build((batch,) + tuple(shape))
    weights = [rng.standard_normal(w.shape).astype("float32") * 0.5
               for w in layer.get_weights()]
    layer.set_weights(weights)
    y = np.asarray(layer(x))
    if spec_form == "flat":
        spec = layer.get_config()
    elif spec_form == "class_name_config":
        spec = {"class_name": "DepthwiseConv2D", "config": layer.get_config()}
    else:
        import keras
        spec = keras.saving.serialize_keras_object(layer)
    return {
        "spec": json.loads(json.dumps(spec)),
        "input_shape": list(x.shape),
        "input": x.ravel().tolist(),
        "depthwise_kernel": weights[0].ravel().tolist(),
        "bias": weights[1].ravel().tolist() if len(weights) > 1 else None,
        "expected_output_shape": list(y.shape),
        "expected_output": y.ravel().tolist(),
    }


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    import keras
    import tensorflow as tf
    import tf_keras

    rng = np.random.default_rng(20261125)
    writers = [("keras3", keras, ["flat", "serialized"]),
               ("tf_keras2", tf_keras, ["flat", "class_name_config"])]
    cases = []
    for writer, module, forms in writers:
        for i, activation in enumerate(activations_of(module)):
            kwargs = dict(kernel_size=3, padding="same", activation=activation)
            case = run_layer(module, kwargs, (5, 6, 4), 2, rng,
                             forms[i % len(forms)])
            case.update(writer=writer, group="%s %s" % (writer, activation))
            cases.append(case)
        for i, (kwargs, shape, batch) in enumerate(OPTIONS):
            case = run_layer(module, kwargs, shape, batch, rng,
                             forms[i % len(forms)])
            activation = kwargs.get("activation") or "linear"
            case.update(writer=writer, group="%s %s" % (writer, activation))
            cases.append(case)
    for i, (kwargs, shape, batch) in enumerate(KERAS3_OPTIONS):
        case = run_layer(keras, kwargs, shape, batch, rng,
                         ["flat", "serialized"][i % 2])
        case.update(writer="keras3", group="keras3 strides and dilation")
        cases.append(case)
    for i, (kwargs, shape, batch) in enumerate(KERAS3_ACTIVATION_OPTIONS):
        case = run_layer(keras, kwargs, shape, batch, rng,
                         ["flat", "serialized"][i % 2])
        case.update(writer="keras3", group="keras3 " + kwargs["activation"])
        cases.append(case)
    for case in cases:
        case["tolerance"] = 1e-5
        case["source"] = "generated by utils/gen-keras-golden.py"
    out = {
        "generator": "utils/gen-keras-golden.py",
        "versions": {"keras": keras.__version__,
                     "tf_keras": tf_keras.__version__,
                     "tensorflow": tf.__version__},
        "cases": cases,
    }
    path = os.path.join(sys.argv[1], "keras_golden.json")
    with open(path, "w") as f:
        json.dump(out, f, separators=(",", ":"))
    print("wrote %d cases to %s" % (len(cases), path))


if __name__ == "__main__":
    main()
