#!/usr/bin/env python3
"""Checks the cuda backend on a GPU machine that has no compiler.

  python3 utils/gpu-bundle.py prepare BUNDLE --build build [--device cuda]
  python3 utils/gpu-bundle.py run BUNDLE            # on the GPU machine

`prepare` compiles, with dwconv-compile, every case of the conformance vectors
(test/e2e/data/*.json: TensorFlow's depthwise-conv test and the Keras golden
suite) and the models of test/e2e/data/models (weights baked, dynamic batch)
into one shared library each, linked with the runtime. The conformance cases
are compiled for --gpu-arch sm_90 (a cubin and PTX), every fifth also for
sm_80 alone (so an sm_90 device has to JIT the PTX); each model is compiled
twice, for the GPU and for a generic x86-64-v3 CPU, as are --random layers
drawn from every kernel size up to 7, strides and dilations up to 3 (each
alone or both),
multiplier, padding, data format, activation and bias, a third with a
dynamic batch.

`run` needs only Python, numpy and the NVIDIA driver: it calls each library
through the runtime's C API (ctypes) on a context of device cuda with host
buffers, compares each conformance case with its expected output within the
case's tolerance, each model layer's and random layer's GPU output with its
CPU output (relative error 1e-5; model layers at batch 3), checks that two calls give identical bits, and
prints a line per case and a summary; the exit status is the number of
failures (capped). With --device cpu (or cuda-mapping-on-cpu: the kernels'
thread mapping as CPU code), `prepare` compiles the same cases for the host
and `run` checks them there: a check of the harness itself.
"""

import argparse
import ctypes
import importlib.util
import json
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
DATA = os.path.join(ROOT, "test", "e2e", "data")
VECTORS = ["tf_depthwise_conv_op_test.json", "keras_golden.json"]
MODELS = ["three_dw.keras", "wide_dw.keras"]
ACTIVATIONS = ["linear", "relu", "relu6", "leaky_relu", "elu", "selu", "gelu",
               "sigmoid", "hard_sigmoid", "silu", "swish", "hard_silu", "mish",
               "tanh", "softplus", "softsign", "exponential", "log_sigmoid",
               "softmax", "log_softmax", "celu", "hard_shrink", "hard_tanh",
               "soft_shrink", "sparse_plus", "sparse_sigmoid", "squareplus",
               "tanh_shrink", "sparsemax", "glu"]
sys.path.insert(0, HERE)
from runtime_ctypes import (DEVICE_CPU, DEVICE_CUDA, DTYPE_F32,  # noqa: E402
                            Buffer, Call, ContextOptions)


def conformance():
    """utils/run-conformance.py as a module (its case helpers)."""
    spec = importlib.util.spec_from_file_location(
        "conformance", os.path.join(HERE, "run-conformance.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def metadata_symbols(obj):
    out = subprocess.run(["nm", "--defined-only", obj], check=True,
                         capture_output=True, text=True).stdout
    return sorted(line.split()[-1] for line in out.splitlines()
                  if line.split()[-1].endswith("_metadata"))


def compile_library(args, source, name, options):
    obj = os.path.join(args.bundle, name + ".o")
    subprocess.run([os.path.join(args.build, "bin", "dwconv-compile"), source,
                    "-o", obj] + options, check=True)
    lib = os.path.join(args.bundle, name + ".so")
    subprocess.run(["cc", "-shared", "-o", lib, obj,
                    os.path.join(args.build, "lib", "libdwconv_runtime.a"),
                    "-lm", "-ldl", "-pthread"], check=True)
    symbols = metadata_symbols(obj)
    for suffix in (".o", ".h"):
        os.remove(os.path.join(args.bundle, name + suffix))
    return symbols


def device_options(args, arch):
    if args.device != "cuda":
        return ["--device=" + args.device]
    return ["--device=cuda", "--gpu-arch=" + arch]


def prepare(args):
    os.makedirs(args.bundle, exist_ok=True)
    conf = conformance()
    manifest = {"device": args.device, "cases": [], "models": []}
    spec = os.path.join(args.bundle, "layer.json")
    for vectors in VECTORS:
        with open(os.path.join(DATA, vectors)) as f:
            cases = json.load(f)["cases"]
        for index, case in enumerate(cases):
            if conf.cpu_only(case):
                continue
            with open(spec, "w") as f:
                json.dump(layer_spec(conf, case), f)
            arch = "sm_80" if index % 5 == 4 else "sm_90"
            name = "%s_%d" % (vectors[:-5], index)
            shape = "x".join(str(d) for d in case["input_shape"])
            symbols = compile_library(args, spec, name,
                                      device_options(args, arch) +
                                      ["--input-shape", shape])
            manifest["cases"].append({"vectors": vectors, "index": index,
                                      "library": name + ".so", "arch": arch,
                                      "symbol": symbols[0]})
    for model in MODELS:
        path = os.path.join(DATA, "models", model)
        gpu = compile_library(args, path, model[:-6] + "_gpu",
                              device_options(args, "sm_90"))
        compile_library(args, path, model[:-6] + "_cpu",
                        ["--device=cpu", "--target-cpu=x86-64-v3"])
        manifest["models"].append({"model": model, "symbols": gpu})
    prepare_random(args, manifest, spec)
    os.remove(spec)
    with open(os.path.join(args.bundle, "manifest.json"), "w") as f:
        json.dump(manifest, f, indent=1)
    print("%d cases, %d models, %d random layers in %s" % (
          len(manifest["cases"]), len(manifest["models"]),
          len(manifest["random"]), args.bundle))
    return 0


def out_size(size, reach, stride, padding):
    """Keras's output size of one spatial dim."""
    return -(-(size if padding == "same" else size - reach + 1) // stride)


def random_layer(rng, index):
    """A random layer Keras 3 accepts (strided, dilated or both), with a
    dynamic batch one time in three."""
    kh, kw = rng.randint(1, 7), rng.randint(1, 7)
    window = rng.randint(0, 2)
    strides = [rng.randint(1, 3) if window != 1 else 1 for _ in range(2)]
    dilation = [rng.randint(1, 3) if window != 0 else 1 for _ in range(2)]
    padding = rng.choice(["valid", "same"])
    reach = [(kh - 1) * dilation[0] + 1, (kw - 1) * dilation[1] + 1]
    h, w = rng.randint(reach[0], 24), rng.randint(reach[1], 24)
    c = rng.choice([1, 3, 8, 16, 17, 32, 40, 64, 100])
    first = rng.random() < 0.3
    batch = rng.randint(1, 3)
    multiplier = rng.randint(1, 3)
    activation = rng.choice(ACTIVATIONS)
    # glu halves the output's last axis: it must be even.
    if activation == "glu" and not first and c * multiplier % 2:
        multiplier = 2
    while activation == "glu" and first and out_size(
            w, reach[1], strides[1], padding) % 2:
        w += 1
    shape = [batch, c, h, w] if first else [batch, h, w, c]
    config = {"name": "r%d" % index, "kernel_size": [kh, kw],
              "strides": strides, "dilation_rate": dilation,
              "padding": padding, "depth_multiplier": multiplier,
              "data_format": "channels_first" if first else "channels_last",
              "activation": activation,
              "use_bias": rng.random() < 0.7,
              "batch_shape": [None if rng.random() < 0.3 else batch] +
              shape[1:]}
    return {"class_name": "DepthwiseConv2D", "config": config}, shape


def prepare_random(args, manifest, spec):
    """args.random random layers, each for the GPU and for the CPU."""
    import random
    rng = random.Random(args.seed)
    manifest["random"] = []
    for index in range(args.random):
        layer, shape = random_layer(rng, index)
        with open(spec, "w") as f:
            json.dump(layer, f)
        name = "random_%d" % index
        gpu = compile_library(args, spec, name + "_gpu",
                              device_options(args, "sm_90"))
        compile_library(args, spec, name + "_cpu",
                        ["--device=cpu", "--target-cpu=x86-64-v3"])
        manifest["random"].append({"name": name, "symbol": gpu[0],
                                   "shape": shape, "layer": layer["config"]})


def layer_spec(conf, case):
    if "spec" in case:
        return case["spec"]
    config = dict(conf.layer_config(case))
    config["batch_input_shape"] = case["input_shape"]
    return {"class_name": "DepthwiseConv2D", "config": config}


class Runner:
    """A runtime context (cpu or cuda, host buffers) over loaded libraries."""

    def __init__(self, lib, device):
        self.lib = lib
        lib.dwconv_context_create.argtypes = [
            ctypes.POINTER(ContextOptions), ctypes.POINTER(ctypes.c_void_p)]
        lib.dwconv_context_last_error.restype = ctypes.c_char_p
        lib.dwconv_context_last_error.argtypes = [ctypes.c_void_p]
        lib.dwconv_layer_run.argtypes = [ctypes.c_void_p] * 3
        lib.dwconv_layer_output_shape.argtypes = [ctypes.c_void_p] * 3
        lib.dwconv_context_destroy.argtypes = [ctypes.c_void_p]
        options = ContextOptions()
        options.device = DEVICE_CUDA if device == "cuda" else DEVICE_CPU
        options.threads = 1
        self.context = ctypes.c_void_p()
        if lib.dwconv_context_create(ctypes.byref(options),
                                     ctypes.byref(self.context)):
            raise RuntimeError(lib.dwconv_context_last_error(None).decode())

    def close(self):
        self.lib.dwconv_context_destroy(self.context)

    def run(self, symbol, x, kernel=None, bias=None):
        import numpy as np
        metadata = ctypes.addressof(ctypes.c_char.in_dll(self.lib, symbol))
        dims = (ctypes.c_int64 * 4)(*x.shape)
        out_dims = (ctypes.c_int64 * 4)()
        if self.lib.dwconv_layer_output_shape(metadata, dims, out_dims):
            raise RuntimeError("output shape refused for %s" % (x.shape,))
        out = np.full(list(out_dims), np.nan, dtype=np.float32)
        call = Call()
        call.input = host_buffer(x)
        call.output = host_buffer(out)
        if kernel is not None:
            call.depthwise_kernel = host_buffer(kernel)
        if bias is not None:
            call.bias = host_buffer(bias)
        if self.lib.dwconv_layer_run(self.context, metadata,
                                     ctypes.byref(call)):
            raise RuntimeError(
                self.lib.dwconv_context_last_error(self.context).decode())
        return out


def host_buffer(array):
    b = Buffer()
    b.data = array.ctypes.data
    b.dtype = DTYPE_F32
    b.memory = DEVICE_CPU
    b.rank = array.ndim
    for i, d in enumerate(array.shape):
        b.dims[i] = d
    return b


def case_arrays(conf, case):
    import numpy as np
    config = conf.layer_config(case)
    shape = case["input_shape"]
    kh, kw = config["kernel_size"]
    first = config["data_format"] == "channels_first"
    channels = shape[1] if first else shape[3]
    kernel_shape = [kh, kw, channels, config["depth_multiplier"]]
    if case.get("input_rule") == "tf_iota":
        x = (conf.nhwc_iota_as_nchw(shape) if first
             else conf.iota(conf.product(shape)))
        k = conf.iota(conf.product(kernel_shape))
    else:
        x, k = case["input"], case["depthwise_kernel"]
    b = np.array(case["bias"], np.float32) if case.get("bias") else None
    return (np.array(x, np.float32).reshape(shape),
            np.array(k, np.float32).reshape(kernel_shape), b)


def check_case(conf, runner, entry, case):
    import numpy as np
    x, k, b = case_arrays(conf, case)
    got = runner.run(entry["symbol"], x, k, b)
    again = runner.run(entry["symbol"], x, k, b)
    if got.tobytes() != again.tobytes():
        return "two calls differ"
    if list(got.shape) != case["expected_output_shape"]:
        return "output shape %s, expected %s" % (
            list(got.shape), case["expected_output_shape"])
    flat = got.reshape(-1).astype(np.float64)
    if "expected_output" in case:
        index = np.arange(len(case["expected_output"]))
        want = np.array(case["expected_output"], np.float64)
    else:
        index = np.array([int(i) for i, _ in case["expected_samples"]])
        want = np.array([v for _, v in case["expected_samples"]], np.float64)
    scale = np.abs(want).max() or 1.0
    error = np.abs(flat[index] - want).max() / scale
    if not error <= case["tolerance"]:
        return "relative error %.3g > tolerance %g" % (error,
                                                       case["tolerance"])
    return error


def report(label, problem, error, suffix=""):
    """Prints one case's verdict; returns (failures, its error)."""
    if problem:
        print("FAIL %s: %s" % (label, problem))
    else:
        print("ok   %s: relative error %.3g%s" % (label, error, suffix))
    sys.stdout.flush()
    return (1, 0.0) if problem else (0, error)


def run_cases(args, manifest):
    conf = conformance()
    cases = {}
    for vectors in VECTORS:
        with open(os.path.join(DATA, vectors)) as f:
            cases[vectors] = json.load(f)["cases"]
    failed, worst = 0, 0.0
    for entry in manifest["cases"]:
        case = cases[entry["vectors"]][entry["index"]]
        lib = ctypes.CDLL(os.path.join(args.bundle, entry["library"]))
        runner = Runner(lib, manifest["device"])
        try:
            result = check_case(conf, runner, entry, case)
        except RuntimeError as e:
            result = "refused: %s" % e
        runner.close()
        label = "%s case %d (%s)" % (entry["vectors"], entry["index"],
                                     entry["arch"])
        problem = result if isinstance(result, str) else None
        f, e = report(label, problem, None if problem else result)
        failed, worst = failed + f, max(worst, e)
    print("conformance: %d cases, max relative error %.3g" % (
        len(manifest["cases"]), worst))
    return failed


def run_random(args, manifest):
    """Each random layer on the GPU against the same layer on the CPU."""
    import numpy as np
    failed, worst = 0, 0.0
    rng = np.random.default_rng(20261126)
    for entry in manifest.get("random", []):
        stem = os.path.join(args.bundle, entry["name"])
        gpu = Runner(ctypes.CDLL(stem + "_gpu.so"), manifest["device"])
        cpu = Runner(ctypes.CDLL(stem + "_cpu.so"), "cpu")
        layer = entry["layer"]
        first = layer["data_format"] == "channels_first"
        shape = entry["shape"]
        channels = shape[1] if first else shape[3]
        x = rng.uniform(-2, 2, shape).astype(np.float32)
        k = rng.uniform(-1, 1, layer["kernel_size"] + [
            channels, layer["depth_multiplier"]]).astype(np.float32)
        b = (rng.uniform(-1, 1, channels * layer["depth_multiplier"])
             .astype(np.float32) if layer["use_bias"] else None)
        error = None
        try:
            got = gpu.run(entry["symbol"], x, k, b)
            want = cpu.run(entry["symbol"], x, k, b)
            error = np.abs(got - want).max() / (np.abs(want).max() or 1.0)
            problem = None if error <= 1e-5 else "relative error %.3g" % error
        except RuntimeError as e:
            problem = "refused: %s" % e
        gpu.close()
        cpu.close()
        summary = "%s %s k%s s%s d%s M%d %s %s %s bias %s" % (
            entry["name"], shape, layer["kernel_size"], layer["strides"],
            layer["dilation_rate"], layer["depth_multiplier"],
            layer["padding"], layer["data_format"], layer["activation"],
            layer["use_bias"])
        f, e = report(summary, problem, error, " vs the CPU")
        failed, worst = failed + f, max(worst, e)
    print("random: %d layers, max relative error %.3g" % (
        len(manifest.get("random", [])), worst))
    return failed


def run_models(args, manifest):
    import numpy as np
    failed = 0
    for entry in manifest["models"]:
        stem = os.path.join(args.bundle, entry["model"][:-6])
        gpu = Runner(ctypes.CDLL(stem + "_gpu.so"), manifest["device"])
        cpu = Runner(ctypes.CDLL(stem + "_cpu.so"), "cpu")
        rng = np.random.default_rng(20261126)
        for symbol in entry["symbols"]:
            metadata = ctypes.addressof(ctypes.c_char.in_dll(gpu.lib, symbol))
            shape = input_shape(metadata, 3)
            x = rng.uniform(-2, 2, shape).astype(np.float32)
            try:
                got, want = gpu.run(symbol, x), cpu.run(symbol, x)
                error = (np.abs(got - want).max() /
                         (np.abs(want).max() or 1.0))
                problem = None if error <= 1e-5 else "relative error %.3g" % (
                    error)
            except RuntimeError as e:
                problem = "refused: %s" % e
            if problem:
                failed += 1
            print("%s %s %s batch 3 %s: %s" % (
                "FAIL" if problem else "ok  ", entry["model"], symbol,
                shape, problem or "relative error %.3g vs the CPU" % error))
        gpu.close()
        cpu.close()
    return failed


def input_shape(metadata, batch):
    """The layer's input dims from its metadata (8 uint32, then dims)."""
    dims = [ctypes.c_int64.from_address(metadata + 32 + 8 * i).value
            for i in range(4)]
    return [batch if d < 0 else d for d in dims]


def run(args):
    with open(os.path.join(args.bundle, "manifest.json")) as f:
        manifest = json.load(f)
    failed = (run_cases(args, manifest) + run_models(args, manifest) +
              run_random(args, manifest))
    print("%d failed" % failed)
    return min(failed, 100)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("action", choices=["prepare", "run"])
    parser.add_argument("bundle")
    parser.add_argument("--build", default="build")
    parser.add_argument("--random", type=int, default=200,
                        help="random layers to prepare (GPU against CPU)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--device", default="cuda",
                        choices=["cuda", "cpu", "cuda-mapping-on-cpu"])
    args = parser.parse_args()
    return prepare(args) if args.action == "prepare" else run(args)


if __name__ == "__main__":
    sys.exit(main())
