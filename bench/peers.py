#!/usr/bin/env python3
"""Times the bench layers (bench/layers/*.json) with Python-installed peers and
joins dwconv-bench's figures to the table.

Peers, each used when its PyPI package is installed (none is required):
  ONNX Runtime  (pip install onnx onnxruntime): a Conv node with group = C on
                NCHW data (its native layout), the activation as nodes after
                it (relu6 as Clip, swish as x * Sigmoid(x)), which ORT fuses.
  IREE          (pip install iree-base-compiler iree-base-runtime): the layer
                as linalg on tensors (pad, depthwise conv, bias and
                activation), compiled for the host CPU (llvm-cpu, the host's
                features), run through iree.runtime.
  LiteRT        (pip install ai-edge-litert, plus tensorflow-cpu for its
                converter): the layer as tf.nn.depthwise_conv2d, bias and
                activation, converted to a .tflite model (DEPTHWISE_CONV_2D
                with the activation fused where TFLite has it) and run by
                LiteRT's interpreter with its default XNNPACK delegate and
                num_threads threads. NHWC only (channels_first: n/a).
  PyTorch       (pip install torch; PyPI's wheel imports only with its CUDA
                wheels, several GB, but runs on the CPU): F.conv2d with
                groups = C under inference_mode, on channels_last tensors for
                NHWC layers (its oneDNN path) and contiguous NCHW for
                channels_first ones; Keras's asymmetric 'same' pads as F.pad
                before the conv (what a port of a Keras model does), the
                activation as a second eager op; torch.set_num_threads.

Every peer's output is checked against a float64 reference of the layer
(max |got - expected| / max |expected| <= 1e-5) before it is timed; a peer
that fails is marked FAIL, one that cannot express the layer n/a.
Timing: a call's median over --rounds rounds of --min-time seconds each, at
1 thread and at all cores (ORT's intra-op threads; IREE's task topology).

  python3 bench/peers.py                       # all layers, all peers found
  python3 bench/peers.py --layers mnv2_block_2 --rounds 3
  build/bin/dwconv-bench --benchmark_out=b.json --benchmark_out_format=json
  python3 bench/peers.py --dwconv-json b.json  # dwconv's column and ratios
"""

import argparse
import json
import os
import statistics
import sys
import time

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))


class Layer:
    def __init__(self, name, config):
        self.name = name
        c = config["config"]
        self.shape = c["batch_input_shape"]
        self.kh, self.kw = c["kernel_size"]
        self.sh, self.sw = c["strides"]
        self.dh, self.dw = c["dilation_rate"]
        self.padding = c["padding"].lower()
        self.multiplier = c["depth_multiplier"]
        self.channels_first = c["data_format"] == "channels_first"
        self.activation = c["activation"] or "linear"
        self.use_bias = c["use_bias"]
        if self.channels_first:
            n, ch, h, w = self.shape
        else:
            n, h, w, ch = self.shape
        self.n, self.h, self.w, self.c = n, h, w, ch
        self.oh, self.pt, self.pb = out_size(h, self.kh, self.sh, self.dh,
                                             self.padding)
        self.ow, self.pl, self.pr = out_size(w, self.kw, self.sw, self.dw,
                                             self.padding)
        self.co = ch * self.multiplier

    def flops(self):
        return 2 * self.kh * self.kw * self.n * self.oh * self.ow * self.co


def out_size(size, k, s, d, padding):
    """Output size and TensorFlow's padding before and after."""
    span = (k - 1) * d + 1
    if padding == "valid":
        return (size - span) // s + 1, 0, 0
    out = -(-size // s)
    total = max((out - 1) * s + span - size, 0)
    return out, total // 2, total - total // 2


def activate(name, x):
    if name == "linear":
        return x
    if name == "relu":
        return np.maximum(x, 0)
    if name == "relu6":
        return np.minimum(np.maximum(x, 0), 6)
    if name in ("swish", "silu"):
        return x / (1 + np.exp(-x))
    raise ValueError(name)


def make_data(layer):
    """Inputs in [-2, 2), weights and bias in [-0.5, 0.5), fixed seed; NHWC
    input, Keras kernel (kh, kw, C, M)."""
    rng = np.random.default_rng(20261125)
    x = rng.uniform(-2, 2, (layer.n, layer.h, layer.w, layer.c))
    k = rng.uniform(-0.5, 0.5, (layer.kh, layer.kw, layer.c, layer.multiplier))
    b = rng.uniform(-0.5, 0.5, layer.co) if layer.use_bias else np.zeros(layer.co)
    return x.astype(np.float32), k.astype(np.float32), b.astype(np.float32)


def reference(layer, x, k, b):
    """float64 NHWC output."""
    xp = np.pad(x.astype(np.float64),
                ((0, 0), (layer.pt, layer.pb), (layer.pl, layer.pr), (0, 0)))
    xp = np.repeat(xp, layer.multiplier, axis=3)  # channel c * M + m
    kk = k.astype(np.float64).reshape(layer.kh, layer.kw, layer.co)
    y = np.zeros((layer.n, layer.oh, layer.ow, layer.co))
    for i in range(layer.kh):
        for j in range(layer.kw):
            r0, c0 = i * layer.dh, j * layer.dw
            window = xp[:, r0:r0 + (layer.oh - 1) * layer.sh + 1:layer.sh,
                        c0:c0 + (layer.ow - 1) * layer.sw + 1:layer.sw, :]
            y += window * kk[i, j]
    return activate(layer.activation, y + b.astype(np.float64))


def rel_error(got, want):
    scale = max(float(np.max(np.abs(want))), 1e-30)
    if not np.all(np.isfinite(got)):
        return float("inf")
    return float(np.max(np.abs(got.astype(np.float64) - want))) / scale


def median_time(run, min_time, rounds):
    """Median over rounds of the mean call time in a round of min_time s."""
    run()
    per_round = []
    for _ in range(rounds):
        calls, start = 0, time.perf_counter()
        while True:
            run()
            calls += 1
            elapsed = time.perf_counter() - start
            if elapsed >= min_time:
                break
        per_round.append(elapsed / calls)
    return statistics.median(per_round)


# --- ONNX Runtime -----------------------------------------------------------

def ort_session(layer, k, b, threads):
    import onnx
    import onnxruntime as ort
    from onnx import TensorProto, helper, numpy_helper

    # ONNX weights: (C * M, 1, kh, kw); output channel c * M + m.
    w = k.reshape(layer.kh, layer.kw, layer.co).transpose(2, 0, 1)
    w = np.ascontiguousarray(w[:, None, :, :])
    inits = [numpy_helper.from_array(w, "W"), numpy_helper.from_array(b, "B")]
    conv = helper.make_node(
        "Conv", ["X", "W", "B"], ["Y0"], group=layer.c,
        kernel_shape=[layer.kh, layer.kw], strides=[layer.sh, layer.sw],
        dilations=[layer.dh, layer.dw],
        pads=[layer.pt, layer.pl, layer.pb, layer.pr])
    nodes = [conv]
    act = layer.activation
    if act == "linear":
        nodes.append(helper.make_node("Identity", ["Y0"], ["Y"]))
    elif act in ("relu", "relu6"):
        lo = numpy_helper.from_array(np.array(0, np.float32), "lo")
        inits.append(lo)
        inputs = ["Y0", "lo"]
        if act == "relu6":
            inits.append(numpy_helper.from_array(np.array(6, np.float32), "hi"))
            inputs.append("hi")
        nodes.append(helper.make_node("Clip", inputs, ["Y"]))
    elif act in ("swish", "silu"):
        nodes.append(helper.make_node("Sigmoid", ["Y0"], ["S"]))
        nodes.append(helper.make_node("Mul", ["Y0", "S"], ["Y"]))
    else:
        return None
    shape_in = [layer.n, layer.c, layer.h, layer.w]
    shape_out = [layer.n, layer.co, layer.oh, layer.ow]
    graph = helper.make_graph(
        nodes, layer.name,
        [helper.make_tensor_value_info("X", TensorProto.FLOAT, shape_in)],
        [helper.make_tensor_value_info("Y", TensorProto.FLOAT, shape_out)],
        inits)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
    options = ort.SessionOptions()
    options.intra_op_num_threads = threads
    options.inter_op_num_threads = 1
    options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    session = ort.InferenceSession(model.SerializeToString(), options,
                                   providers=["CPUExecutionProvider"])
    return lambda x_nchw: session.run(None, {"X": x_nchw})[0]


def run_ort(layer, x, k, b, threads):
    """(output in NHWC, timed call) or None; ORT runs on NCHW data."""
    call = ort_session(layer, k, b, threads)
    if call is None:
        return None
    x_nchw = np.ascontiguousarray(x.transpose(0, 3, 1, 2))
    y = call(x_nchw).transpose(0, 2, 3, 1)
    return y, lambda: call(x_nchw)


# --- IREE -------------------------------------------------------------------

def iree_mlir(layer):
    """The layer in linalg on tensors, NHWC, the weights as arguments."""
    n, h, w, c, co = layer.n, layer.h, layer.w, layer.c, layer.co
    hp, wp = h + layer.pt + layer.pb, w + layer.pl + layer.pr
    if layer.multiplier != 1:
        return None
    act = {
        "linear": "linalg.yield @in : f32",
        "relu": "%r = arith.maximumf @in, %zero : f32\n      linalg.yield %r : f32",
        "relu6": ("%r0 = arith.maximumf @in, %zero : f32\n"
                  "      %r = arith.minimumf %r0, %six : f32\n"
                  "      linalg.yield %r : f32"),
        "swish": ("%e0 = arith.negf @in : f32\n      %e1 = math.exp %e0 : f32\n"
                  "      %e2 = arith.addf %e1, %one : f32\n"
                  "      %r = arith.divf @in, %e2 : f32\n      linalg.yield %r : f32"),
    }
    act["silu"] = act["swish"]
    if layer.activation not in act:
        return None
    body = act[layer.activation].replace("@in", "%sum")
    t = lambda *d: "tensor<" + "x".join(str(v) for v in d) + "xf32>"
    return f"""
#bias = affine_map<(d0, d1, d2, d3) -> (d3)>
#id = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
func.func @layer(%x: {t(n, h, w, c)}, %k: {t(layer.kh, layer.kw, c)}, %b: {t(c)}) -> {t(n, layer.oh, layer.ow, co)} {{
  %zero = arith.constant 0.0 : f32
  %one = arith.constant 1.0 : f32
  %six = arith.constant 6.0 : f32
  %p = tensor.pad %x low[0, {layer.pt}, {layer.pl}, 0] high[0, {layer.pb}, {layer.pr}, 0] {{
  ^bb0(%i0: index, %i1: index, %i2: index, %i3: index):
    tensor.yield %zero : f32
  }} : {t(n, h, w, c)} to {t(n, hp, wp, c)}
  %e = tensor.empty() : {t(n, layer.oh, layer.ow, co)}
  %f = linalg.fill ins(%zero : f32) outs(%e : {t(n, layer.oh, layer.ow, co)}) -> {t(n, layer.oh, layer.ow, co)}
  %y = linalg.depthwise_conv_2d_nhwc_hwc {{dilations = dense<[{layer.dh}, {layer.dw}]> : tensor<2xi64>, strides = dense<[{layer.sh}, {layer.sw}]> : tensor<2xi64>}}
      ins(%p, %k : {t(n, hp, wp, c)}, {t(layer.kh, layer.kw, c)}) outs(%f : {t(n, layer.oh, layer.ow, co)}) -> {t(n, layer.oh, layer.ow, co)}
  %z = linalg.generic {{indexing_maps = [#bias, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}}
      ins(%b : {t(c)}) outs(%y : {t(n, layer.oh, layer.ow, co)}) {{
    ^bb0(%bi: f32, %acc: f32):
      %sum = arith.addf %acc, %bi : f32
      {body}
  }} -> {t(n, layer.oh, layer.ow, co)}
  return %z : {t(n, layer.oh, layer.ow, co)}
}}
"""


def run_iree(layer, x, k, b, threads):
    import iree.compiler as compiler
    import iree.runtime as rt

    source = iree_mlir(layer)
    if source is None or layer.channels_first:
        return None
    vmfb = compiler.compile_str(
        source, target_backends=["llvm-cpu"],
        extra_args=["--iree-llvmcpu-target-cpu=host"])
    flags = ["--task_topology_group_count=%d" % threads]
    rt.flags.parse_flags(*flags)
    config = rt.Config("local-task")
    ctx = rt.SystemContext(config=config)
    ctx.add_vm_module(rt.VmModule.copy_buffer(ctx.instance, vmfb))
    fn = ctx.modules.module["layer"]
    kk = np.ascontiguousarray(k.reshape(layer.kh, layer.kw, layer.c))
    device = ctx.config.device
    args = [rt.asdevicearray(device, a) for a in (x, kk, b)]
    y = fn(*args).to_host()
    return y, lambda: fn(*args)


# --- LiteRT -----------------------------------------------------------------

def litert_model(layer, k, b):
    """The layer as a .tflite flatbuffer (TensorFlow's converter), or None."""
    import tensorflow as tf

    acts = {"linear": tf.identity, "relu": tf.nn.relu, "relu6": tf.nn.relu6,
            "swish": tf.nn.silu, "silu": tf.nn.silu}
    if layer.channels_first or layer.activation not in acts:
        return None
    kernel, bias = tf.constant(k), tf.constant(b)

    @tf.function(input_signature=[tf.TensorSpec(
        [layer.n, layer.h, layer.w, layer.c], tf.float32)])
    def model(x):
        y = tf.nn.depthwise_conv2d(
            x, kernel, strides=[1, layer.sh, layer.sw, 1],
            padding=layer.padding.upper(), dilations=[layer.dh, layer.dw])
        return acts[layer.activation](y + bias)

    converter = tf.lite.TFLiteConverter.from_concrete_functions(
        [model.get_concrete_function()], model)
    return converter.convert()


def run_litert(layer, x, k, b, threads):
    from ai_edge_litert.interpreter import Interpreter

    flatbuffer = litert_model(layer, k, b)
    if flatbuffer is None:
        return None
    interpreter = Interpreter(model_content=flatbuffer, num_threads=threads)
    interpreter.allocate_tensors()
    inp = interpreter.get_input_details()[0]["index"]
    out = interpreter.get_output_details()[0]["index"]

    # The input is set once: the timed call is the interpreter's invoke
    # alone, as dwconv-bench times the layer's call alone.
    interpreter.set_tensor(inp, x)
    interpreter.invoke()
    return interpreter.get_tensor(out), interpreter.invoke


# --- PyTorch ----------------------------------------------------------------

def run_torch(layer, x, k, b, threads):
    import torch
    import torch.nn.functional as F

    acts = {"linear": lambda y: y, "relu": F.relu, "relu6": F.relu6,
            "swish": F.silu, "silu": F.silu}
    if layer.activation not in acts:
        return None
    torch.set_num_threads(threads)
    fmt = (torch.contiguous_format if layer.channels_first
           else torch.channels_last)
    xt = torch.from_numpy(x).permute(0, 3, 1, 2).contiguous(memory_format=fmt)
    w = torch.from_numpy(np.ascontiguousarray(
        k.reshape(layer.kh, layer.kw, layer.co).transpose(2, 0, 1)[:, None]))
    w = w.contiguous(memory_format=fmt)
    bias = torch.from_numpy(b) if layer.use_bias else None
    symmetric = layer.pt == layer.pb and layer.pl == layer.pr
    pads = (layer.pl, layer.pr, layer.pt, layer.pb)
    act = acts[layer.activation]

    def call():
        with torch.inference_mode():
            inp = xt if symmetric else F.pad(xt, pads)
            y = F.conv2d(inp, w, bias, stride=(layer.sh, layer.sw),
                         padding=(layer.pt, layer.pl) if symmetric else 0,
                         dilation=(layer.dh, layer.dw), groups=layer.c)
            return act(y)

    y = call().permute(0, 2, 3, 1).contiguous().numpy()
    return y, call


PEERS = {"LiteRT": ("ai_edge_litert", run_litert),
         "ONNXRuntime": ("onnxruntime", run_ort),
         "IREE": ("iree.runtime", run_iree),
         "PyTorch": ("torch", run_torch)}


def available(module):
    try:
        __import__(module)
        return True
    except ImportError:
        return False


def dwconv_figures(path):
    """{(layer, threads): GFLOP/s} from dwconv-bench's JSON (medians when it
    has repetitions)."""
    if not path:
        return {}
    with open(path) as f:
        data = json.load(f)
    out = {}
    for bench in data["benchmarks"]:
        parts = bench["run_name"].split("/")
        if len(parts) < 3 or parts[1] != "dwconv":
            continue
        if bench.get("run_type") == "aggregate" and bench.get("aggregate_name") != "median":
            continue
        threads = int(parts[2].split(":")[1])
        out[(parts[0], threads)] = bench["FLOP/s"] / 1e9
    return out


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--layers", nargs="*", help="layer names (default: all)")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--min-time", type=float, default=0.2)
    parser.add_argument("--dwconv-json", help="dwconv-bench --benchmark_out JSON")
    args = parser.parse_args()

    names = args.layers or sorted(
        f[:-5] for f in os.listdir(os.path.join(HERE, "layers")) if f.endswith(".json"))
    peers = [p for p, (module, _) in PEERS.items() if available(module)]
    missing = [p for p, (module, _) in PEERS.items() if p not in peers]
    cores = os.cpu_count() or 1
    dwconv = dwconv_figures(args.dwconv_json)
    print("peers: %s%s; threads: 1 and %d" % (
        " ".join(peers) or "none",
        "; not installed: " + " ".join(missing) if missing else "", cores))
    for threads in sorted({1, cores}):
        print("\n== %d thread%s: GFLOP/s (median of %d rounds) ==" % (
            threads, "s" if threads > 1 else "", args.rounds))
        cols = (["dwconv"] if dwconv else []) + peers
        print("%-20s %s%s" % ("layer", " ".join("%12s" % c for c in cols),
                              "  dwconv / peer" if dwconv else ""))
        for name in names:
            with open(os.path.join(HERE, "layers", name + ".json")) as f:
                layer = Layer(name, json.load(f))
            x, k, b = make_data(layer)
            want = reference(layer, x, k, b)
            cells, ratios = [], []
            mine = dwconv.get((name, threads))
            if dwconv:
                cells.append("%12.2f" % mine if mine else "%12s" % "-")
            for peer in peers:
                try:
                    result = PEERS[peer][1](layer, x, k, b, threads)
                except Exception as error:  # a peer that cannot build it
                    print("  %s on %s: %s" % (peer, name, str(error).splitlines()[0][:120]),
                          file=sys.stderr)
                    result = None
                if result is None:
                    cells.append("%12s" % "n/a")
                    continue
                got, call = result
                if rel_error(got, want) > 1e-5:
                    cells.append("%12s" % "FAIL")
                    continue
                gflops = layer.flops() / median_time(call, args.min_time, args.rounds) / 1e9
                cells.append("%12.2f" % gflops)
                if mine:
                    ratios.append("%s %.2fx" % (peer, mine / gflops))
            print("%-20s %s  %s" % (name, " ".join(cells), " ".join(ratios)))
            sys.stdout.flush()


if __name__ == "__main__":
    main()
