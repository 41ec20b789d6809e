#!/usr/bin/env python3
"""Writes whole Keras models, as Keras and TensorFlow.js write them, for tests.

Needs TensorFlow, Keras 3 and tf-keras (pip install tensorflow-cpu tf-keras),
and for the TF.js model the converter wheel unpacked without its
dependencies (pip download --no-deps tensorflowjs; unzip it; pass
--tfjs-package DIR, the folder holding `tensorflowjs/`). The build and the
tests do not need any of this: they read what it writes.

  gen-keras-models.py OUTDIR [--tfjs-package DIR]

OUTDIR/
  mobilenet_v1.json, mobilenet_v2.json, mobilenet_v3_small.json,
  efficientnet_b0.json  Keras 3 applications, to_json(), no weights
  sequential_keras3.json, functional_nested_keras3.json   to_json()
  sequential_tf_keras2.json, functional_nested_tf_keras2.json   to_json()
  three_dw.keras        Keras 3 functional model with 3 DepthwiseConv2D, weights
  three_dw_expected.json  its input and, per depthwise layer, the input and
                        output Keras computes
  wide_dw.keras, wide_dw_expected.json  the same for two layers of 512
                        output channels (128 x multiplier 4, then 512), whose
                        packed weights are laid out with padded taps
  tfjs_nested/model.json, group1-shard1of1.bin   TF.js Layers model with a
                        nested Sequential (converted by tensorflowjs)
"""

import argparse
import json
import os
import sys
import types

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import numpy as np  # noqa: E402


def count_depthwise(config):
    """DepthwiseConv2D layers in a model config, nested models included."""
    count = 0
    for layer in config["config"].get("layers", []):
        if layer["class_name"] == "DepthwiseConv2D":
            count += 1
        elif "layers" in layer.get("config", {}):
            count += count_depthwise(layer)
    return count


def write_json(path, text):
    with open(path, "w") as f:
        f.write(text)
    print("%s: %d depthwise layers" % (os.path.basename(path),
                                        count_depthwise(json.loads(text))))


def mid_block(module, x, prefix):
    """Layers a depthwise layer sits behind in MobileNet-style blocks."""
    layers = module.layers
    x = layers.Conv2D(8, 1, padding="same", name=prefix + "_expand")(x)
    x = layers.BatchNormalization(name=prefix + "_bn")(x)
    x = layers.ReLU(6.0, name=prefix + "_relu")(x)
    x = layers.ZeroPadding2D(((0, 1), (0, 1)), name=prefix + "_pad")(x)
    return layers.DepthwiseConv2D(3, strides=2, name=prefix + "_depthwise")(x)


def sequential(module):
    layers = module.layers
    return module.Sequential([
        layers.InputLayer(input_shape=(15, 17, 3)) if module.__name__ == "tf_keras"
        else layers.InputLayer(shape=(15, 17, 3)),
        layers.Conv2D(6, 3, strides=2, padding="same", name="stem"),
        layers.DepthwiseConv2D(3, padding="same", name="dw_a"),
        layers.BatchNormalization(name="bn"),
        layers.Activation("relu", name="act"),
        layers.ZeroPadding2D(1, name="pad"),
        layers.DepthwiseConv2D((3, 5), depth_multiplier=2, name="dw_b"),
    ], name="seq")


def functional_nested(module):
    layers = module.layers
    inner_input = module.Input((10, 10, 4))
    inner = module.Model(
        inner_input, mid_block(module, inner_input, "inner"), name="inner")
    x = module.Input((20, 20, 3), name="image")
    y = layers.Conv2D(4, 3, strides=2, padding="same", name="stem")(x)
    y = inner(y)
    z = layers.DepthwiseConv2D(1, name="side_depthwise")(y)
    y = layers.Add(name="add")([y, z])
    y = layers.DepthwiseConv2D(3, padding="same", activation="relu6",
                               name="outer_depthwise")(y)
    return module.Model(x, y, name="outer")


def write_expected(keras, model, x, names, data, path):
    """The input, and per named depthwise layer the input and output Keras
    computes for it."""
    probe = keras.Model(
        x, [t for n in names for t in (model.get_layer(n).input,
                                       model.get_layer(n).output)])
    values = probe(data)
    expected = {"input_shape": list(data.shape),
                "input": data.ravel().tolist(), "layers": []}
    for i, name in enumerate(names):
        layer_in, layer_out = (np.asarray(v) for v in values[2 * i:2 * i + 2])
        expected["layers"].append({
            "name": name, "input_shape": list(layer_in.shape),
            "input": layer_in.ravel().tolist(),
            "output_shape": list(layer_out.shape),
            "output": layer_out.ravel().tolist()})
    with open(path, "w") as f:
        json.dump(expected, f, separators=(",", ":"))


def three_dw(keras, rng, out):
    layers = keras.layers
    x = keras.Input((12, 11, 4), name="image")
    a = layers.DepthwiseConv2D(3, padding="same", activation="relu6",
                               name="dw1")(x)
    b = layers.BatchNormalization(name="bn")(a)
    b = layers.DepthwiseConv2D(3, strides=2, depth_multiplier=2, use_bias=False,
                               padding="same", name="dw2")(b)
    c = layers.Activation("relu", name="relu")(b)
    c = layers.DepthwiseConv2D(3, padding="valid", activation="hard_sigmoid",
                               name="dw3")(c)
    model = keras.Model(x, c, name="three_dw")
    for weight in model.weights:
        weight.assign(rng.standard_normal(weight.shape).astype("float32") * 0.5)
    bn = model.get_layer("bn")
    bn.moving_variance.assign(np.abs(bn.moving_variance.numpy()) + 0.5)
    model.save(os.path.join(out, "three_dw.keras"))

    write_expected(keras, model, x, ["dw1", "dw2", "dw3"],
                   rng.standard_normal((2, 12, 11, 4)).astype("float32"),
                   os.path.join(out, "three_dw_expected.json"))
    print("three_dw.keras: 3 depthwise layers, expected outputs written")


def wide_dw(keras, rng, out):
    layers = keras.layers
    x = keras.Input((2, 3, 128), name="image")
    a = layers.DepthwiseConv2D(3, padding="same", depth_multiplier=4,
                               activation="relu6", name="wide1")(x)
    b = layers.DepthwiseConv2D(3, padding="same", use_bias=False,
                               name="wide2")(a)
    model = keras.Model(x, b, name="wide_dw")
    for weight in model.weights:
        weight.assign(rng.standard_normal(weight.shape).astype("float32") * 0.5)
    model.save(os.path.join(out, "wide_dw.keras"))
    write_expected(keras, model, x, ["wide1", "wide2"],
                   rng.standard_normal((1, 2, 3, 128)).astype("float32"),
                   os.path.join(out, "wide_dw_expected.json"))
    print("wide_dw.keras: 2 depthwise layers, expected outputs written")


def tfjs_model(tf_keras, package, out):
    # Load the converter without the package __init__ and its heavy imports.
    for name, path in (("tensorflowjs", "tensorflowjs"),
                       ("tensorflowjs.converters", "tensorflowjs/converters")):
        module = types.ModuleType(name)
        module.__path__ = [os.path.join(package, path)]
        sys.modules[name] = module
    from tensorflowjs.converters import keras_h5_conversion

    target = os.path.join(out, "tfjs_nested")
    os.makedirs(target, exist_ok=True)
    keras_h5_conversion.save_keras_model(functional_nested(tf_keras), target)
    with open(os.path.join(target, "model.json")) as f:
        topology = json.load(f)["modelTopology"]["model_config"]
    print("tfjs_nested/model.json: %d depthwise layers" %
          count_depthwise(topology))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out")
    parser.add_argument("--tfjs-package")
    args = parser.parse_args()
    import keras
    import tf_keras

    os.makedirs(args.out, exist_ok=True)
    rng = np.random.default_rng(1125)
    for name, application in (
            ("mobilenet_v1", keras.applications.MobileNet),
            ("mobilenet_v2", keras.applications.MobileNetV2),
            ("mobilenet_v3_small", keras.applications.MobileNetV3Small),
            ("efficientnet_b0", keras.applications.EfficientNetB0)):
        write_json(os.path.join(args.out, name + ".json"),
                   application(weights=None).to_json())
    for module, tag in ((keras, "keras3"), (tf_keras, "tf_keras2")):
        write_json(os.path.join(args.out, "sequential_%s.json" % tag),
                   sequential(module).to_json())
        write_json(os.path.join(args.out, "functional_nested_%s.json" % tag),
                   functional_nested(module).to_json())
    three_dw(keras, rng, args.out)
    wide_dw(keras, rng, args.out)
    if args.tfjs_package:
        tfjs_model(tf_keras, args.tfjs_package, args.out)


if __name__ == "__main__":
    main()
