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


def same_pads(size, kernel, stride, dilation):
    out = -(-size // stride)
    total = max((out - 1) * stride + (kernel - 1) * dilation + 1 - size, 0)
    return (total // 2, total - total // 2)


def folded_block(model, name):
    """The layers dwconv folds into depthwise layer `name` (BlockFolding.h):
    (first, last) of the block."""
    graph = {}
    for layer in model.layers:
        for node in layer._inbound_nodes:
            for t in node.input_tensors:
                graph.setdefault(t._keras_history.operation.name, []).append(
                    layer.name)
    outputs = {t._keras_history.operation.name for t in model.outputs}

    def sole(n):
        users = graph.get(n, [])
        return (model.get_layer(users[0])
                if len(users) == 1 and n not in outputs else None)
    dw = model.get_layer(name)
    first = dw
    pad = dw._inbound_nodes[0].input_tensors[0]._keras_history.operation
    cfg = dw.get_config()
    # Any ZeroPadding2D feeding only this layer: 'same' amounts become
    # 'same', others explicit pads (plus the layer's own 'same' padding).
    if (type(pad).__name__ == "ZeroPadding2D" and sole(pad.name) is dw
            and pad.get_config()["data_format"] == cfg["data_format"]):
        first = pad
    last, nxt = dw, sole(dw.name)
    if cfg["activation"] == "linear" and type(nxt).__name__ == (
            "BatchNormalization"):
        last, nxt = nxt, sole(nxt.name)
    kind = type(nxt).__name__
    if cfg["activation"] == "linear" and nxt is not None and kind in (
            "Activation", "ReLU", "LeakyReLU"):
        last = nxt
    return first, last


def sine_input(shape):
    """The block inputs (utils/check-keras-outputs.py makes the same):
    x[i] = 2 sin(0.37 i + 0.3) over the row-major flat index, in float32."""
    i = np.arange(int(np.prod(shape)), dtype=np.float64)
    return (2.0 * np.sin(0.37 * i + 0.3)).astype("float32").reshape(shape)


def write_blocks(keras, model, names, rng, path):
    """Per depthwise layer, its folded block's input (the sine rule) and, at
    up to 4096 evenly spaced flat indices, Keras's output."""
    expected = {"layers": []}
    for name in names:
        first, last = folded_block(model, name)
        probe = keras.Model(first.input, last.output)
        data = sine_input((1,) + tuple(first.input.shape[1:]))
        out = np.asarray(probe(data, training=False)).ravel()
        step = max(1, len(out) // 4096)
        expected["layers"].append({
            "name": name, "block": [first.name, last.name],
            "input_shape": list(data.shape), "input_rule": "sine",
            "output_shape": list(probe.output.shape[1:]),
            "expected_samples": [[int(i), float(out[i])]
                                 for i in range(0, len(out), step)]})
        expected["layers"][-1]["output_shape"].insert(0, 1)
    with open(path, "w") as f:
        json.dump(expected, f, separators=(",", ":"))


def randomize(model, rng):
    """Random weights and non-trivial BatchNormalization statistics."""
    for weight in model.weights:
        values = rng.standard_normal(weight.shape).astype("float32") * 0.5
        if "moving_variance" in weight.path:
            values = np.abs(values) + 0.5
        weight.assign(values)


def blocks(keras, rng, out):
    """Depthwise blocks in every form the folding handles or leaves."""
    layers = keras.layers
    x = keras.Input((16, 15, 8), name="image")
    a = layers.ZeroPadding2D(((0, 1), (1, 1)), name="b1_pad")(x)
    a = layers.DepthwiseConv2D(3, strides=2, use_bias=False, name="b1_dw")(a)
    a = layers.BatchNormalization(name="b1_bn")(a)
    a = layers.ReLU(6.0, name="b1_relu")(a)
    b = layers.DepthwiseConv2D(3, padding="same", depth_multiplier=2,
                               name="b2_dw")(a)
    b = layers.BatchNormalization(epsilon=1e-5, name="b2_bn")(b)
    b = layers.Activation("swish", name="b2_swish")(b)
    c = layers.DepthwiseConv2D(5, padding="same", use_bias=False,
                               name="b3_dw")(b)
    c = layers.BatchNormalization(center=False, name="b3_bn")(c)
    c = layers.LeakyReLU(name="b3_leaky")(c)  # the layer's slope, 0.3
    d = layers.ZeroPadding2D(1, name="b4_pad")(c)  # not 'same': explicit
    d = layers.DepthwiseConv2D(3, strides=2, name="b4_dw")(d)
    d2 = layers.BatchNormalization(name="b4_bn")(d)
    e = layers.Add(name="b4_add")([d, d2])  # b4_dw has two consumers
    e = layers.DepthwiseConv2D(3, padding="same", use_bias=False,
                               name="b5_dw")(e)
    e = layers.BatchNormalization(scale=False, name="b5_bn")(e)
    e = layers.LeakyReLU(0.2, name="b5_leaky")(e)
    # Asymmetric pads and ReLU with all three of its parameters.
    f = layers.ZeroPadding2D(((1, 2), (0, 3)), name="b6_pad")(e)
    f = layers.DepthwiseConv2D(3, use_bias=False, name="b6_dw")(f)
    f = layers.BatchNormalization(name="b6_bn")(f)
    f = layers.ReLU(max_value=1.5, negative_slope=0.1, threshold=0.25,
                    name="b6_relu")(f)
    # A ZeroPadding2D before a 'same' layer (the pads add up), strided;
    # ReLU with a slope only.
    g = layers.ZeroPadding2D(((2, 0), (1, 1)), name="b7_pad")(f)
    g = layers.DepthwiseConv2D(3, strides=2, padding="same",
                               name="b7_dw")(g)
    g = layers.ReLU(negative_slope=0.05, name="b7_relu")(g)
    model = keras.Model(x, g, name="blocks")
    randomize(model, rng)
    model.save(os.path.join(out, "blocks.keras"))
    names = ["b1_dw", "b2_dw", "b3_dw", "b4_dw", "b5_dw", "b6_dw", "b7_dw"]
    write_blocks(keras, model, names, rng,
                 os.path.join(out, "blocks_expected.json"))
    write_expected(keras, model, x, names,
                   rng.standard_normal((2, 16, 15, 8)).astype("float32"),
                   os.path.join(out, "blocks_layers_expected.json"))
    print("blocks.keras: 7 depthwise blocks, expected outputs written")


def application_blocks(keras, rng, out):
    """MobileNetV2 (alpha 0.35, 96x96) and EfficientNetB0 up to block 3
    (64x64): random weights, non-trivial BN statistics."""
    mnv2 = keras.applications.MobileNetV2(
        input_shape=(96, 96, 3), alpha=0.35, include_top=False, weights=None)
    eff = keras.applications.EfficientNetB0(
        input_shape=(64, 64, 3), include_top=False, weights=None)
    eff = keras.Model(eff.input, eff.get_layer("block3b_add").output,
                      name="efficientnet_b0_to_block3")
    for model, stem in ((mnv2, "mobilenet_v2_035"),
                        (eff, "efficientnet_b0_block3")):
        randomize(model, rng)
        model.save(os.path.join(out, stem + ".keras"))
        names = [l.name for l in model.layers
                 if type(l).__name__ == "DepthwiseConv2D"]
        write_blocks(keras, model, names, rng,
                     os.path.join(out, stem + "_blocks.json"))
        print("%s.keras: %d depthwise blocks" % (stem, len(names)))


def example_block(keras, rng, out):
    """The README's example: MobileNetV2's block_1 as Keras builds it
    (ZeroPadding2D, DepthwiseConv2D, BatchNormalization, ReLU(6)) on its
    112x112x96 input, random weights and non-trivial BN statistics, and a C
    header of Keras's output at 1024 evenly spaced elements for the sine
    input (examples/run_block.c)."""
    mnv2 = keras.applications.MobileNetV2(weights=None)
    block = keras.Model(mnv2.get_layer("block_1_pad").input,
                        mnv2.get_layer("block_1_depthwise_relu").output,
                        name="mnv2")
    randomize(block, rng)
    block.save(os.path.join(out, "mobilenet_v2_block_1.keras"))
    data = sine_input((1,) + tuple(block.input.shape[1:]))
    y = np.asarray(block(data, training=False)).ravel()
    step = len(y) // 1024
    with open(os.path.join(out, "mobilenet_v2_block_1_expected.h"), "w") as f:
        f.write("/* Keras's output of examples/mobilenet_v2_block_1.keras for "
                "the input\n * x[i] = 2 sin(0.37 i + 0.3): {flat index, value} "
                "at %d elements\n * (utils/gen-keras-models.py). */\n"
                % len(range(0, len(y), step)))
        f.write("static const struct { long index; float value; } "
                "keras_expected[] = {\n")
        for i in range(0, len(y), step):
            f.write("    {%d, %.9g},\n" % (i, y[i]))
        f.write("};\n")
    print("mobilenet_v2_block_1.keras: the README's example")


def legacy_h5(tf_keras, rng, out):
    """A tf.keras 2 model saved as a legacy .h5 file: a block dwconv folds
    whole (ZeroPadding2D, depthwise, BN, ReLU(6)) and a layer with its own
    activation followed by a BN (not folded)."""
    layers = tf_keras.layers
    x = tf_keras.Input((12, 10, 6), name="image")
    a = layers.ZeroPadding2D(((0, 1), (0, 1)), name="h5_pad")(x)
    a = layers.DepthwiseConv2D(3, strides=2, use_bias=False, name="h5_dw1")(a)
    a = layers.BatchNormalization(name="h5_bn1")(a)
    a = layers.ReLU(6.0, name="h5_relu1")(a)
    b = layers.DepthwiseConv2D(3, padding="same", depth_multiplier=2,
                               activation="relu", name="h5_dw2")(a)
    b = layers.BatchNormalization(name="h5_bn2")(b)
    model = tf_keras.Model(x, b, name="legacy")
    for weight in model.weights:
        values = rng.standard_normal(weight.shape).astype("float32") * 0.5
        if "moving_variance" in weight.name:
            values = np.abs(values) + 0.5
        weight.assign(values)
    model.save(os.path.join(out, "legacy.h5"))
    write_expected(tf_keras, model, x, ["h5_dw1", "h5_dw2"],
                   rng.standard_normal((2, 12, 10, 6)).astype("float32"),
                   os.path.join(out, "legacy_layers_expected.json"))
    expected = {"layers": []}
    for name, first, last in (("h5_dw1", "h5_pad", "h5_relu1"),
                              ("h5_dw2", "h5_dw2", "h5_dw2")):
        probe = tf_keras.Model(model.get_layer(first).input,
                               model.get_layer(last).output)
        data = sine_input((1,) + tuple(probe.input.shape[1:]))
        y = np.asarray(probe(data, training=False))
        expected["layers"].append({
            "name": name, "input_shape": list(data.shape),
            "input_rule": "sine", "output_shape": list(y.shape),
            "output": y.ravel().tolist()})
    with open(os.path.join(out, "legacy_blocks.json"), "w") as f:
        json.dump(expected, f, separators=(",", ":"))
    print("legacy.h5: 2 depthwise layers, expected outputs written")


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
    blocks(keras, np.random.default_rng(1126), args.out)
    application_blocks(keras, np.random.default_rng(1127), args.out)
    legacy_h5(tf_keras, np.random.default_rng(1128), args.out)
    example_block(keras, np.random.default_rng(1129),
                  os.path.join(os.path.dirname(os.path.abspath(__file__)),
                               "..", "examples"))
    if args.tfjs_package:
        tfjs_model(tf_keras, args.tfjs_package, args.out)


if __name__ == "__main__":
    main()
