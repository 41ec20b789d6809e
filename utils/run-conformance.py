#!/usr/bin/env python3
"""Runs test vectors through dwconv-run, from the command line.

For each case: writes the layer spec as JSON (a case's `spec` exactly as Keras
wrote it, or its `config` wrapped with the input shape) and the input, kernel
and bias as .npy files, runs
  dwconv-run SPEC.json --input IN.npy --kernel K.npy [--bias B.npy] --output OUT.npy
and compares OUT.npy with the expected output, whole or sampled:
max|got - expected| / max|expected| must not exceed the case's tolerance.
With --by-group it also prints the largest error of each case `group`; with
--threads 1,2,3,8 each case runs at each thread count (and with --caller-pool
once more through a caller-supplied pool) and the outputs must be
bit-identical.
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import npy  # noqa: E402


def iota(count):
    return [(i + 1) / count for i in range(count)]


def nhwc_iota_as_nchw(shape):
    """The NHWC iota of TensorFlow's test, transposed to NCHW."""
    n, c, h, w = shape
    total = n * c * h * w
    return [(((b * h + y) * w + x) * c + ch + 1) / total
            for b in range(n) for ch in range(c)
            for y in range(h) for x in range(w)]


def product(shape):
    p = 1
    for d in shape:
        p *= d
    return p


def layer_config(case):
    """The layer config inside a case's spec, whatever its form."""
    if "config" in case:
        return case["config"]
    spec = case["spec"]
    return spec["config"] if "class_name" in spec else spec


# Activations the cuda backend refuses ("not supported on the cuda device
# yet"; none now): their cases are skipped there, and counted.
CPU_ONLY_ACTIVATIONS = ()


def cpu_only(case):
    activation = layer_config(case).get("activation")
    if isinstance(activation, dict):
        activation = activation.get("config")
    return activation in CPU_ONLY_ACTIVATIONS


def run_case(dwconv_run, case, work, threads, caller_pool):
    config = dict(layer_config(case))
    shape = case["input_shape"]
    kh, kw = config["kernel_size"]
    channels = shape[1] if config["data_format"] == "channels_first" else shape[3]
    kernel_shape = [kh, kw, channels, config["depth_multiplier"]]
    if case.get("input_rule") == "tf_iota":
        first = config["data_format"] == "channels_first"
        values = nhwc_iota_as_nchw(shape) if first else iota(product(shape))
        kernel = iota(product(kernel_shape))
    else:
        values, kernel = case["input"], case["depthwise_kernel"]
    paths = {k: os.path.join(work, k) for k in
             ("layer.json", "in.npy", "k.npy", "b.npy", "out.npy")}
    with open(paths["layer.json"], "w") as f:
        if "spec" in case:
            json.dump(case["spec"], f)
        else:
            config["batch_input_shape"] = shape
            json.dump({"class_name": "DepthwiseConv2D", "config": config}, f)
    npy.write(paths["in.npy"], shape, values)
    npy.write(paths["k.npy"], kernel_shape, kernel)
    command = dwconv_run + [paths["layer.json"], "--input", paths["in.npy"],
               "--kernel", paths["k.npy"], "--output", paths["out.npy"]]
    if case.get("bias"):
        npy.write(paths["b.npy"], [len(case["bias"])], case["bias"])
        command += ["--bias", paths["b.npy"]]
    first = None
    runs = [["--threads", str(count)] for count in threads]
    if caller_pool:
        runs.append(["--threads", str(max(threads)), "--caller-pool"])
    for run in runs:
        proc = subprocess.run(command + run, capture_output=True, text=True)
        if proc.returncode != 0:
            return None, "dwconv-run failed: " + proc.stderr.strip()
        with open(paths["out.npy"], "rb") as f:
            data = f.read()
        if first is None:
            first = data
        elif data != first:
            return None, "the output of %s differs from the output with " \
                "--threads %d" % (" ".join(run), threads[0])
    got_shape, got = npy.read(paths["out.npy"])
    if list(got_shape) != case["expected_output_shape"]:
        return None, "output shape %s, expected %s" % (
            list(got_shape), case["expected_output_shape"])
    if "expected_output" in case:
        pairs = list(enumerate(case["expected_output"]))
    else:
        pairs = [(int(i), v) for i, v in case["expected_samples"]]
    scale = max(abs(v) for _, v in pairs) or 1.0
    error = max(abs(got[i] - v) for i, v in pairs) / scale
    return error, None


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dwconv-run", default="dwconv-run")
    parser.add_argument("--by-group", action="store_true",
                        help="print the largest error of each case group")
    parser.add_argument("--threads", default="1",
                        help="comma-separated thread counts to run each case "
                        "at; the outputs must be bit-identical")
    parser.add_argument("--caller-pool", action="store_true",
                        help="also run each case through a caller-supplied "
                        "pool (dwconv-run --caller-pool)")
    parser.add_argument("--device", default="cpu",
                        help="where dwconv-run runs each case (cpu, cuda)")
    parser.add_argument("vectors")
    args = parser.parse_args()
    with open(args.vectors) as f:
        cases = json.load(f)["cases"]
    threads = [int(t) for t in args.threads.split(",")]
    failed, worst, groups, skipped = 0, 0.0, {}, 0
    with tempfile.TemporaryDirectory() as work:
        for index, case in enumerate(cases):
            if args.device != "cpu" and cpu_only(case):
                skipped += 1
                continue
            error, problem = run_case([args.dwconv_run,
                                       "--device=" + args.device],
                                      case, work, threads, args.caller_pool)
            config = layer_config(case)
            label = "case %d: %s k%s s%s d%s M%d %s %s" % (
                index, case["input_shape"], config["kernel_size"],
                config["strides"], config["dilation_rate"],
                config["depth_multiplier"], config["padding"],
                config["data_format"])
            if problem is None and error > case["tolerance"]:
                problem = "relative error %.3g > tolerance %g" % (
                    error, case["tolerance"])
            if problem:
                failed += 1
                print("FAIL %s: %s" % (label, problem))
                continue
            worst = max(worst, error)
            group = case.get("group", "all")
            groups[group] = max(groups.get(group, 0.0), error)
            print("ok   %s: relative error %.3g" % (label, error))
    if args.by_group:
        for group in sorted(groups):
            print("group %-32s max relative error %.3g" % (group, groups[group]))
    print("%s: %d cases, max relative error %.3g" % (
        os.path.basename(args.vectors), len(cases), worst))
    print("%d passed, %d failed" % (len(cases) - failed - skipped, failed) +
          (", %d skipped (CPU only)" % skipped if skipped else ""))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
