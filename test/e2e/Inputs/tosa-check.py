"""TOSA from real producers (test/e2e/data/tosa: TFLite through
tosa-converter-for-tflite, torch through torch-mlir), raised and compiled by
dwconv, against upstream's own TOSA -> linalg lowering of the same function.

For each float file: dwconv-opt --dwconv-raise-tosa must leave no
tosa.depthwise_conv2d; dwconv-compile --emit=shared compiles the raised
function (weights baked); python/dwconv runs it on x = sin(0.1 i). The same
module, lowered by stock mlir-opt (tosa-to-linalg...) and run by
mlir-runner, gives the reference; the producer's own output (TFLite's
interpreter, torch) is checked too. Quantized files must stay TOSA, with
the remark that says why. A function of several depthwise layers becomes
one layer function per op (dwconv-extract-layers), run in order.

  tosa-check.py --data DIR --mlir-bin DIR --tools DIR --work DIR
"""
import argparse
import glob
import importlib.util
import json
import os
import re
import subprocess
import sys

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", "..", ".."))
sys.path.insert(0, os.path.join(ROOT, "python"))
import dwconv  # noqa: E402


def load_generator():
    """utils/gen-tosa-inputs.py: the wrapper and pipelines it checks with."""
    spec = importlib.util.spec_from_file_location(
        "gen_tosa_inputs", os.path.join(ROOT, "utils", "gen-tosa-inputs.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def run(cmd):
    result = subprocess.run(cmd, capture_output=True, text=True)
    if result.returncode != 0:
        sys.exit("%s failed:\n%s" % (" ".join(cmd), result.stderr[-2000:]))
    return result


def upstream_output(gen, path, record, args):
    """@main lowered by stock mlir-opt and run by mlir-runner."""
    opt = os.path.join(args.mlir_bin, "mlir-opt")
    libdir = os.path.join(os.path.dirname(args.mlir_bin.rstrip("/")), "lib")
    base = os.path.join(args.work, os.path.basename(path))
    with open(path) as f:
        text = f.read()
    with open(base + ".run.mlir", "w") as f:
        f.write(gen.wrapper_module(text, record))
    run([opt, base + ".run.mlir", "--pass-pipeline=" + gen.TO_LINALG,
         "-o", base + ".lin.mlir"])
    run([opt, base + ".lin.mlir"] + gen.TO_LLVM + ["-o", base + ".llvm.mlir"])
    libs = [os.path.join(libdir, n) for n in ("libmlir_runner_utils.so",
                                              "libmlir_c_runner_utils.so")]
    printed = run([os.path.join(args.mlir_bin, "mlir-runner"),
                   base + ".llvm.mlir", "-e", gen.ENTRY,
                   "--entry-point-result=void",
                   "--shared-libs=" + ",".join(libs)]).stdout
    data = printed.split("data =", 1)[1]
    return np.array([float(v) for v in re.findall(
        r"-?(?:\d+\.?\d*(?:e[-+]?\d+)?|inf|nan)", data)])


def check_file(gen, path, args):
    name = os.path.basename(path)[:-len(".mlir")]
    with open(path[:-len(".mlir")] + ".json") as f:
        record = json.load(f)
    raised = os.path.join(args.work, name + ".raised.mlir")
    result = run([os.path.join(args.tools, "dwconv-opt"), path,
                  "--dwconv-raise-tosa", "-o", raised])
    with open(raised) as f:
        text = f.read()
    left = text.count("tosa.depthwise_conv2d")
    ops = text.count("dwconv.depthwise_conv2d")
    if record.get("quantized"):
        ok = left and not ops and "left as it is" in result.stderr
        return "%s: quantized, left as TOSA with a remark: %s" % (
            name, "yes" if ok else "NO")
    if left or not ops:
        return "%s: NOT RAISED" % name
    activation = sorted(set(re.findall(r"activation (\w+)", text)))
    library = os.path.join(args.work, name + ".so")
    run([os.path.join(args.tools, "dwconv-compile"), raised,
         "--emit=shared", "-o", library])
    # One layer function per op (main, or main_0, main_1, ... in order when
    # the function chains several), each fed the previous one's output.
    layers = dwconv.load(library)
    y = gen.test_input(record["input_shape"]).astype(np.float32)
    for layer in layers.names:
        y = layers(layer, y)
    ours = np.asarray(y, dtype=np.float64)
    upstream = upstream_output(gen, path, record, args)
    expected = np.asarray(record["expected_output"], dtype=np.float64)
    scale = max(1.0, float(np.max(np.abs(expected))))
    vs_upstream = float(np.max(np.abs(ours.ravel() - upstream))) / scale
    vs_producer = float(np.max(np.abs(ours.ravel() - expected.ravel()))) / scale
    # mlir-runner prints 6 significant digits: 1e-4 against its output.
    ok = vs_upstream <= 1e-4 and vs_producer <= 1e-5
    return "%s: raised (%s%s), compiled, run: vs upstream %.2g, vs %s %.2g: " \
        "%s" % (name, "%d layers, " % ops if ops > 1 else "",
                ", ".join(activation) or "linear", vs_upstream,
        record.get("producer", "producer").split()[0], vs_producer,
        "OK" if ok else "MISMATCH")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    for option in ("--data", "--mlir-bin", "--tools", "--work"):
        parser.add_argument(option, required=True)
    args = parser.parse_args()
    os.makedirs(args.work, exist_ok=True)
    gen = load_generator()
    for path in sorted(glob.glob(os.path.join(args.data, "*.mlir"))):
        print(check_file(gen, path, args))
    return 0


if __name__ == "__main__":
    sys.exit(main())
