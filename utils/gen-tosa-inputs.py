#!/usr/bin/env python3
"""Writes TOSA MLIR of depthwise convolutions, as real TOSA producers emit it.

Two producers:

- TFLite: small Keras 3 models (TensorFlow backend) with one or two
  DepthwiseConv2D layers and fixed random weights are converted by
  TensorFlow's `tf.lite.TFLiteConverter` to .tflite, and by Arm's
  `tosa-converter-for-tflite` to TOSA MLIR text (kept verbatim: tf_saved_model
  and tfl attributes included). The expected outputs are what the TFLite
  interpreter computes.
- torch-mlir: torch modules `nn.Conv2d(C, C*M, k, stride, padding, dilation,
  groups=C)` + ReLU6/ReLU, imported by `torch_mlir.fx.export_and_import(...,
  output_type="tosa")` (printed verbatim, `dense_resource` blobs included).
  The expected outputs are what torch computes.

Needs the PyPI packages tensorflow-cpu (2.21), keras (3.x),
tosa-converter-for-tflite, torch and torch-mlir
(pip install tensorflow-cpu keras tosa-converter-for-tflite torch torch-mlir).
The project's build and tests do not need any of them: they read what this
writes.

  gen-tosa-inputs.py OUTDIR [--only NAME...] [--mlir-bin DIR] [--no-check]
                            [--skip-torch]

OUTDIR/
  NAME.mlir   TOSA MLIR text, exactly as the producer printed it
  NAME.json   producer and versions, the input shape and layout, the layer
              configs (Keras get_config() fields, or the torch Conv2d
              arguments and the Keras equivalent), the weights in Keras
              layout (kh, kw, C, M), and the expected output for the input
              x = sin(0.1 * arange(N)) reshaped to the input shape, as the
              TFLite interpreter or torch computes it (`expected_output`;
              TFLite models also keep Keras's own float output in
              `keras_output`; int8 models store int8 outputs, the quantized
              input `input_int8` and the quantization parameters of input
              and output)
  README.md   the list of files and the commands that check them

Unless --no-check, each .mlir is checked with the stock MLIR tools in
--mlir-bin (default /usr/lib/llvm-22/bin): it must parse with mlir-opt, lower
with upstream's TOSA -> linalg passes (no tosa op may remain), and, compiled
to LLVM and run by mlir-runner inside a small wrapper function, reproduce the
expected output (float: max|got - expected| <= 1e-4 * max(1, max|expected|);
int8: at most 1 apart, which TFLite's and TOSA's rounding may differ by).
"""

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("KERAS_BACKEND", "tensorflow")

import numpy as np  # noqa: E402

# include-apply-rescale: tosa-to-linalg turns tosa.rescale into a
# linalg.generic around tosa.apply_scale, which only then becomes arith;
# canonicalize drops the tosa.const_shape left unused by tosa-to-tensor.
TO_LINALG = ("builtin.module(func.func(tosa-to-linalg-named,tosa-to-linalg,"
             "tosa-to-arith{include-apply-rescale=true},tosa-to-tensor,"
             "canonicalize))")
TO_LLVM = ["--one-shot-bufferize=bufferize-function-boundaries",
           "--buffer-deallocation-pipeline", "--convert-linalg-to-loops",
           "--expand-strided-metadata", "--lower-affine",
           "--convert-scf-to-cf", "--convert-math-to-llvm",
           "--convert-arith-to-llvm", "--finalize-memref-to-llvm",
           "--convert-func-to-llvm", "--convert-cf-to-llvm",
           "--reconcile-unrealized-casts"]
ENTRY = "dw_check_entry"


def test_input(shape):
    """The deterministic input every expected output is computed for."""
    n = int(np.prod(shape))
    return np.sin(0.1 * np.arange(n)).astype(np.float32).reshape(shape)


def nested(a):
    """Nested lists for JSON; floats as the shortest decimal that reads back
    as the same float32."""
    a = np.asarray(a)
    if a.dtype.kind != "f":
        return a.tolist()
    flat = [float(str(v)) for v in a.astype(np.float32).ravel()]
    return np.array(flat, dtype=object).reshape(a.shape).tolist()


# --------------------------------------------------------------------------
# Producer A: Keras 3 -> TFLite -> tosa-converter-for-tflite
# --------------------------------------------------------------------------

# name, input shape (NHWC), layers (DepthwiseConv2D kwargs), int8,
# weight scale (kernels are scale * uniform(-1, 1), biases uniform(-0.5, 0.5))
TFLITE_CASES = [
    ("tflite_dw3x3_s1_same_relu6", (1, 9, 9, 4),
     [dict(kernel_size=3, strides=1, padding="same", activation="relu6")],
     False, 3.0),
    ("tflite_dw3x3_s2_same_even", (1, 10, 10, 4),
     [dict(kernel_size=3, strides=2, padding="same")], False, 1.0),
    ("tflite_dw3x3_s2_same_odd", (1, 9, 9, 4),
     [dict(kernel_size=3, strides=2, padding="same")], False, 1.0),
    ("tflite_dw3x3_d2_same_relu", (1, 12, 12, 4),
     [dict(kernel_size=3, dilation_rate=2, padding="same",
           activation="relu")], False, 1.0),
    ("tflite_dw3x3_m2_same", (1, 8, 8, 3),
     [dict(kernel_size=3, depth_multiplier=2, padding="same")], False, 1.0),
    ("tflite_dw5x5_valid_nobias", (1, 12, 12, 8),
     [dict(kernel_size=5, padding="valid", use_bias=False)], False, 1.0),
    ("tflite_two_dw_relu6_s2m2", (1, 10, 10, 4),
     [dict(kernel_size=3, padding="same", activation="relu6"),
      dict(kernel_size=3, strides=2, depth_multiplier=2, padding="same")],
     False, 2.0),
    ("tflite_int8_dw3x3_s1_same_relu6", (1, 10, 10, 8),
     [dict(kernel_size=3, padding="same", activation="relu6")], True, 2.0),
    ("tflite_int8_dw3x3_s2_same_m2", (1, 10, 10, 4),
     [dict(kernel_size=3, strides=2, depth_multiplier=2, padding="same")],
     True, 1.0),
]

KERAS_FIELDS = ("name", "kernel_size", "strides", "padding", "dilation_rate",
                "depth_multiplier", "use_bias", "activation", "data_format")


def keras_case(name, shape, layer_args, int8, scale, seed, tmp):
    import keras
    import tensorflow as tf

    rng = np.random.default_rng(seed)
    inp = keras.Input(shape[1:], batch_size=shape[0], name="image")
    y = inp
    layers = []
    for i, kwargs in enumerate(layer_args):
        layer = keras.layers.DepthwiseConv2D(name="dw%d" % (i + 1), **kwargs)
        y = layer(y)
        layers.append(layer)
    model = keras.Model(inp, y, name=name)
    weights = []
    for layer in layers:
        values = [(scale * rng.uniform(-1, 1, w.shape)).astype(np.float32)
                  if j == 0 else rng.uniform(-0.5, 0.5, w.shape)
                  .astype(np.float32)
                  for j, w in enumerate(layer.get_weights())]
        layer.set_weights(values)
        weights.append(values)

    converter = tf.lite.TFLiteConverter.from_keras_model(model)
    if int8:
        calib = np.random.default_rng(seed + 1000)

        def representative():
            yield [test_input(shape)]
            for _ in range(32):
                yield [calib.uniform(-1, 1, shape).astype(np.float32)]

        converter.optimizations = [tf.lite.Optimize.DEFAULT]
        converter.representative_dataset = representative
        converter.target_spec.supported_ops = [
            tf.lite.OpsSet.TFLITE_BUILTINS_INT8]
        converter.inference_input_type = tf.int8
        converter.inference_output_type = tf.int8
    flatbuffer = converter.convert()
    tflite_path = os.path.join(tmp, name + ".tflite")
    with open(tflite_path, "wb") as f:
        f.write(flatbuffer)

    x = test_input(shape)
    interpreter = tf.lite.Interpreter(model_path=tflite_path)
    interpreter.allocate_tensors()
    in_detail = interpreter.get_input_details()[0]
    out_detail = interpreter.get_output_details()[0]
    record = {"input_shape": list(shape), "layout": "NHWC",
              "input_rule": "x = sin(0.1 * arange(N)), float32, reshaped"}
    if int8:
        in_scale, in_zp = in_detail["quantization"]
        xq = np.clip(np.round(x / in_scale) + in_zp, -128, 127).astype(np.int8)
        interpreter.set_tensor(in_detail["index"], xq)
        record["input_quantization"] = {"scale": float(in_scale),
                                        "zero_point": int(in_zp)}
        record["input_int8"] = nested(xq)
    else:
        interpreter.set_tensor(in_detail["index"], x)
    interpreter.invoke()
    out = interpreter.get_tensor(out_detail["index"])
    if int8:
        out_scale, out_zp = out_detail["quantization"]
        record["output_quantization"] = {"scale": float(out_scale),
                                         "zero_point": int(out_zp)}
    record["output_shape"] = list(out.shape)
    record["expected_output"] = nested(out)
    record["expected_by"] = "tf.lite.Interpreter (TensorFlow %s)" % (
        tf.__version__)
    record["keras_output"] = nested(np.asarray(model(x)))
    record["layers"] = []
    for layer, values in zip(layers, weights):
        config = layer.get_config()
        entry = {k: config[k] for k in KERAS_FIELDS if k in config}
        entry["class_name"] = "DepthwiseConv2D"
        entry["kernel_hwcm"] = nested(values[0])
        if len(values) > 1:
            entry["bias"] = nested(values[1])
        record["layers"].append(entry)
    record["quantized"] = "int8 (full integer, representative dataset)" \
        if int8 else None

    from tosa_converter_for_tflite import (TosaConverterDebugInfo,
                                           TosaConverterOutputFormat,
                                           tflite_flatbuffer_to_tosa_mlir)
    mlir_path = os.path.join(tmp, name + ".mlir")
    tflite_flatbuffer_to_tosa_mlir(tflite_path, mlir_path,
                                   TosaConverterOutputFormat.Text,
                                   TosaConverterDebugInfo.Disabled)
    with open(mlir_path) as f:
        text = f.read()
    return text, record


def tflite_versions():
    import keras
    import tensorflow as tf
    import tosa_converter_for_tflite as tct
    return {"producer": "tosa-converter-for-tflite %s (TensorFlow commit %s, "
                        "LLVM commit %s)" % (tct.__version__,
                                             tct.__tensorflow_commit__,
                                             tct.__llvm_commit__),
            "frontend": "keras %s, tensorflow %s tf.lite.TFLiteConverter"
                        % (keras.__version__, tf.__version__)}


# --------------------------------------------------------------------------
# Producer B: torch -> torch-mlir (FX importer) -> TOSA
# --------------------------------------------------------------------------

# name, input shape (NCHW), Conv2d args, activation, weight scale
TORCH_CASES = [
    ("torch_dw3x3_s1_p1_m2_relu6", (1, 4, 9, 9),
     dict(kernel_size=3, stride=1, padding=1, dilation=1, multiplier=2,
          bias=True), "relu6", 3.0),
    ("torch_dw3x3_s2_p1_relu", (1, 4, 10, 10),
     dict(kernel_size=3, stride=2, padding=1, dilation=1, multiplier=1,
          bias=True), "relu", 1.0),
    ("torch_dw3x3_d2_p2_nobias", (1, 3, 11, 11),
     dict(kernel_size=3, stride=1, padding=2, dilation=2, multiplier=1,
          bias=False), None, 1.0),
]


def torch_case(name, shape, args, activation, scale, seed):
    import torch
    from torch import nn
    from torch_mlir import fx

    rng = np.random.default_rng(seed)
    c = shape[1]
    m = args["multiplier"]
    k = args["kernel_size"]
    conv = nn.Conv2d(c, c * m, k, stride=args["stride"],
                     padding=args["padding"], dilation=args["dilation"],
                     groups=c, bias=args["bias"])
    kernel = (scale * rng.uniform(-1, 1, (c * m, 1, k, k))).astype(
        np.float32)
    bias = rng.uniform(-0.5, 0.5, (c * m,)).astype(np.float32)
    with torch.no_grad():
        conv.weight.copy_(torch.from_numpy(kernel))
        if args["bias"]:
            conv.bias.copy_(torch.from_numpy(bias))
    mods = [conv]
    if activation == "relu6":
        mods.append(nn.ReLU6())
    elif activation == "relu":
        mods.append(nn.ReLU())
    model = nn.Sequential(*mods).eval()
    x = test_input(shape)
    with torch.no_grad():
        out = model(torch.from_numpy(x)).numpy()
    module = fx.export_and_import(model, torch.from_numpy(x),
                                  output_type="tosa")
    text = str(module)
    # torch (C*M, 1, kh, kw), output channel c*M + m -> Keras (kh, kw, C, M)
    hwcm = kernel.reshape(c, m, k, k).transpose(2, 3, 0, 1)
    p = args["padding"]
    layer = {"class_name": "torch.nn.Conv2d", "in_channels": c,
             "out_channels": c * m, "kernel_size": [k, k],
             "stride": [args["stride"]] * 2, "padding": [p, p],
             "dilation": [args["dilation"]] * 2, "groups": c,
             "bias": args["bias"], "activation": activation,
             "keras_equivalent": {
                 "kernel_size": [k, k], "strides": [args["stride"]] * 2,
                 "padding": [[p, p], [p, p]],
                 "dilation_rate": [args["dilation"]] * 2,
                 "depth_multiplier": m, "use_bias": args["bias"],
                 "activation": activation or "linear",
                 "data_format": "channels_first"},
             "kernel_hwcm": nested(hwcm)}
    if args["bias"]:
        layer["bias_values"] = nested(bias)
    record = {"input_shape": list(shape), "layout": "NCHW",
              "input_rule": "x = sin(0.1 * arange(N)), float32, reshaped",
              "output_shape": list(out.shape),
              "expected_output": nested(out),
              "expected_by": "torch %s" % torch.__version__,
              "layers": [layer], "quantized": None}
    return text, record


def torch_versions():
    import importlib.metadata
    import torch
    return {"producer": "torch-mlir %s (torch_mlir.fx.export_and_import, "
                        "output_type='tosa')"
                        % importlib.metadata.version("torch-mlir"),
            "frontend": "torch %s" % torch.__version__}


# --------------------------------------------------------------------------
# Checks with the stock MLIR tools
# --------------------------------------------------------------------------

def mlir_type(shape, elem):
    return "tensor<%sx%s>" % ("x".join(str(d) for d in shape), elem)


def wrapper_module(text, record):
    """The producer's module with an entry function added that calls @main
    on the test input and prints the result."""
    int8 = record.get("quantized") is not None
    shape, out_shape = record["input_shape"], record["output_shape"]
    elem = "i8" if int8 else "f32"
    x = record["input_int8"] if int8 else nested(test_input(shape))
    t_in, t_out = mlir_type(shape, elem), mlir_type(out_shape, elem)
    dims = "x".join(str(d) for d in out_shape)
    lines = ["  func.func @%s() {" % ENTRY,
             "    %%x = arith.constant dense<%s> : %s" % (json.dumps(x), t_in),
             "    %%y = call @main(%%x) : (%s) -> %s" % (t_in, t_out)]
    if int8:
        t32 = mlir_type(out_shape, "i32")
        lines += ["    %%e = tosa.cast %%y : (%s) -> %s" % (t_out, t32),
                  "    %%m = bufferization.to_buffer %%e : %s to memref<%sxi32>"
                  % (t32, dims),
                  "    %%u = memref.cast %%m : memref<%sxi32> to memref<*xi32>"
                  % dims,
                  "    call @printMemrefI32(%u) : (memref<*xi32>) -> ()",
                  "    return", "  }",
                  "  func.func private @printMemrefI32(memref<*xi32>) "
                  "attributes {llvm.emit_c_interface}"]
    else:
        lines += ["    %%m = bufferization.to_buffer %%y : %s to memref<%sxf32>"
                  % (t_out, dims),
                  "    %%u = memref.cast %%m : memref<%sxf32> to memref<*xf32>"
                  % dims,
                  "    call @printMemrefF32(%u) : (memref<*xf32>) -> ()",
                  "    return", "  }",
                  "  func.func private @printMemrefF32(memref<*xf32>) "
                  "attributes {llvm.emit_c_interface}"]
    head, sep, tail = text.partition("\n{-#")
    head = head.rstrip()
    if not head.endswith("}"):
        raise ValueError("module text does not end in '}'")
    return head[:-1] + "\n".join(lines) + "\n}\n" + sep + tail


def run(cmd, **kwargs):
    result = subprocess.run(cmd, capture_output=True, text=True, **kwargs)
    if result.returncode != 0:
        raise RuntimeError("%s failed:\n%s" % (" ".join(cmd),
                                                result.stderr[-3000:]))
    return result.stdout


def check(path, record, bindir, tmp):
    """Parses, lowers to linalg and (where mlir-runner can) runs one file;
    returns a line that says what passed."""
    opt = os.path.join(bindir, "mlir-opt")
    runner = os.path.join(bindir, "mlir-runner")
    libdir = os.path.join(os.path.dirname(bindir.rstrip("/")), "lib")
    run([opt, path, "-o", os.devnull])
    linalg = run([opt, path, "--pass-pipeline=" + TO_LINALG])
    left = sorted(set(re.findall(r"\btosa\.[a-z_0-9]+", linalg)))
    if left:
        raise RuntimeError("%s: tosa ops left after lowering: %s"
                           % (path, left))
    with open(path) as f:
        text = f.read()
    base = os.path.join(tmp, os.path.basename(path))
    with open(base + ".run.mlir", "w") as f:
        f.write(wrapper_module(text, record))
    run([opt, base + ".run.mlir", "--pass-pipeline=" + TO_LINALG,
         "-o", base + ".lin.mlir"])
    run([opt, base + ".lin.mlir"] + TO_LLVM + ["-o", base + ".llvm.mlir"])
    libs = [os.path.join(libdir, n) for n in ("libmlir_runner_utils.so",
                                              "libmlir_c_runner_utils.so")]
    printed = run([runner, base + ".llvm.mlir", "-e", ENTRY,
                   "--entry-point-result=void",
                   "--shared-libs=" + ",".join(libs)], timeout=300)
    data = printed.split("data =", 1)[1]
    got = np.array([float(v) for v in
                    re.findall(r"-?(?:\d+\.?\d*(?:e[-+]?\d+)?|inf|nan)",
                               data)])
    expected = np.asarray(record["expected_output"], dtype=np.float64).ravel()
    if got.size != expected.size:
        raise RuntimeError("%s: printed %d values, expected %d"
                           % (path, got.size, expected.size))
    diff = float(np.max(np.abs(got - expected)))
    if record.get("quantized"):
        if diff > 1:
            raise RuntimeError("%s: int8 output off by %g" % (path, diff))
        return "parse, linalg, run: max |diff| = %g (int8 units), %d of %d " \
               "differ" % (diff, int(np.sum(got != expected)), got.size)
    bound = 1e-4 * max(1.0, float(np.max(np.abs(expected))))
    if diff > bound:
        raise RuntimeError("%s: max |diff| %g > %g" % (path, diff, bound))
    return "parse, linalg, run: max |diff| = %.3g" % diff


# --------------------------------------------------------------------------

README = """# TOSA inputs from real producers

Written by `utils/gen-tosa-inputs.py` (needs tensorflow-cpu, keras,
tosa-converter-for-tflite, torch and torch-mlir from PyPI; the build and the
tests do not). Each `NAME.mlir` is TOSA MLIR text exactly as its producer
printed it; `NAME.json` holds the input shape and layout, the layer configs,
the weights in Keras layout `(kh, kw, C, M)` and the expected output for
`x = sin(0.1 * arange(N))` reshaped to the input shape.

Producers:
{versions}

Files:
{files}

Checked with Debian's MLIR {mlir_version} (`{bindir}`):

    mlir-opt NAME.mlir
    mlir-opt NAME.mlir --pass-pipeline="{to_linalg}"

and, with a wrapper function `@{entry}` added to the module that calls
`@main` on the test input and prints the result (`printMemrefF32`, or
`printMemrefI32` after a `tosa.cast` for int8 models):

    mlir-opt RUN.mlir --pass-pipeline="{to_linalg}" -o LIN.mlir
    mlir-opt LIN.mlir {to_llvm} -o LLVM.mlir
    mlir-runner LLVM.mlir -e {entry} --entry-point-result=void \\
      --shared-libs={libdir}/libmlir_runner_utils.so,{libdir}/libmlir_c_runner_utils.so
"""


def produce(kind, out, only):
    """Writes the cases of one producer. TensorFlow (with the TFLite
    converter) and torch-mlir each bring their own LLVM, which cannot share
    a process, so each producer runs in a child process of its own."""
    cases = TFLITE_CASES if kind == "tflite" else TORCH_CASES
    first_seed = 2024 if kind == "tflite" else 3024
    versions = tflite_versions() if kind == "tflite" else torch_versions()
    with tempfile.TemporaryDirectory(prefix="gen-tosa-") as tmp:
        for seed, case in enumerate(cases, start=first_seed):
            name = case[0]
            if only and name not in only:
                continue
            if kind == "tflite":
                text, record = keras_case(*case, seed=seed, tmp=tmp)
            else:
                text, record = torch_case(*case, seed=seed)
            if "tosa.depthwise_conv2d" not in text:
                raise RuntimeError("%s: no tosa.depthwise_conv2d" % name)
            record = dict(versions, name=name, **record)
            with open(os.path.join(out, name + ".mlir"), "w") as f:
                f.write(text if text.endswith("\n") else text + "\n")
            with open(os.path.join(out, name + ".json"), "w") as f:
                json.dump(record, f, separators=(",", ":"))
                f.write("\n")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out")
    parser.add_argument("--only", nargs="*", help="case names to write")
    parser.add_argument("--mlir-bin", default="/usr/lib/llvm-22/bin")
    parser.add_argument("--no-check", action="store_true")
    parser.add_argument("--skip-torch", action="store_true")
    parser.add_argument("--producer", choices=("tflite", "torch"),
                        help=argparse.SUPPRESS)  # the child process's job
    args = parser.parse_args()

    os.makedirs(args.out, exist_ok=True)
    if args.producer:
        produce(args.producer, args.out, args.only)
        return
    kinds = ["tflite"] + ([] if args.skip_torch else ["torch"])
    names = [c[0] for kind in kinds
             for c in (TFLITE_CASES if kind == "tflite" else TORCH_CASES)
             if not args.only or c[0] in args.only]
    for kind in kinds:
        child = [sys.executable, os.path.abspath(__file__), args.out,
                 "--producer", kind]
        if args.only:
            child += ["--only"] + args.only
        subprocess.run(child, check=True, stdout=subprocess.DEVNULL)

    written, versions, failures = [], {}, []
    with tempfile.TemporaryDirectory(prefix="gen-tosa-check-") as tmp:
        for name in names:
            mlir_path = os.path.join(args.out, name + ".mlir")
            with open(os.path.join(args.out, name + ".json")) as f:
                record = json.load(f)
            versions[record["producer"]] = record["frontend"]
            status = "not checked"
            if not args.no_check:
                try:
                    status = check(mlir_path, record, args.mlir_bin, tmp)
                except Exception as e:  # report all, fail at the end
                    status = "CHECK FAILED: %s" % e
                    failures.append(name)
            print("%s: %s" % (name, status))
            written.append((name, record, status))

    if not args.only:
        mlir_version = "(unchecked)"
        if not args.no_check:
            out = run([os.path.join(args.mlir_bin, "mlir-opt"), "--version"])
            mlir_version = re.search(r"version ([\w.]+)", out).group(1)
        files = "\n".join(
            "- `%s.mlir`, `.json`: %s; input %s %s%s" % (
                name, record["producer"].split(" (")[0],
                "x".join(map(str, record["input_shape"])), record["layout"],
                ", int8" if record["quantized"] else "")
            for name, record, _ in written)
        vers = "\n".join("- %s; %s" % kv for kv in versions.items())
        libdir = os.path.join(os.path.dirname(args.mlir_bin.rstrip("/")),
                              "lib")
        with open(os.path.join(args.out, "README.md"), "w") as f:
            f.write(README.format(versions=vers, files=files,
                                  mlir_version=mlir_version,
                                  bindir=args.mlir_bin, to_linalg=TO_LINALG,
                                  to_llvm=" ".join(TO_LLVM), entry=ENTRY,
                                  libdir=libdir))
    if failures:
        sys.exit("checks failed: " + ", ".join(failures))


if __name__ == "__main__":
    main()
