#!/usr/bin/env python3
"""Times the bench layers (bench/layers/*.json) compiled with
dwconv-compile --device=cuda against PyTorch's convolution (cuDNN), on one
GPU, at batch 1 and 32, and reports GFLOP/s and GB/s against the device's
memory bandwidth.

  python3 bench/gpu.py --build build                 # every layer, batch 1, 32
  python3 bench/gpu.py --build build --layers mnv2_block_2 --batches 32
  python3 bench/gpu.py --build build --device cpu    # the harness on the CPU
  python3 bench/gpu.py --prepare --libraries DIR     # compile only, then on
  python3 bench/gpu.py --libraries DIR               # a machine without it

Each layer is compiled with a dynamic batch, linked with the runtime into a
shared library and called through the runtime's C API (ctypes): a context of
device cuda on PyTorch's current stream, device buffers (PyTorch tensors in
the layer's layout), weights packed once with dwconv_layer_pack_weights and
copied to the device. PyTorch runs F.conv2d with groups = C on the same
tensors (channels_last for NHWC layers, so cuDNN's NHWC kernels), plus the
bias and activation the layer fuses. Both outputs are checked against each
other (max |a - b| / max |b| <= 1e-5) before anything is timed; a call's time
is the median over --rounds rounds of CUDA-event-timed loops of --iters
calls. FLOPs are 2 x kh x kw x outputs; bytes are the input, weights and
output, read or written once (what a memory-bound layer must move).
--device cpu runs the same harness on the host (dwconv's CPU code, PyTorch's
CPU convolution): a check of the harness itself, not a benchmark.
"""

import argparse
import ctypes
import json
import os
import statistics
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, "..", "utils"))
from peers import Layer  # noqa: E402  (the layer configs, shared)
from runtime_ctypes import (DEVICE_CPU, DEVICE_CUDA, DTYPE_F32,  # noqa: E402
                            PACKED_WEIGHTS_BYTES_OFFSET, Buffer, Call,
                            ContextOptions)

def build_library(args, layer, work):
    """The layer compiled with a dynamic batch and linked with the runtime
    into a shared library (or, with --libraries, the one built there by
    --prepare)."""
    if args.libraries and not args.prepare:
        return ctypes.CDLL(os.path.join(args.libraries, layer.name + ".so"))
    work = args.libraries or work
    spec = os.path.join(HERE, "layers", layer.name + ".json")
    dims = [str(d) for d in layer.shape[1:]]
    obj = os.path.join(work, layer.name + ".o")
    subprocess.run([os.path.join(args.build, "bin", "dwconv-compile"), spec,
                    "--device=" + args.device, "--gpu-arch=" + args.gpu_arch,
                    "--input-shape", "x".join(["?"] + dims), "-o", obj],
                   check=True)
    lib = os.path.join(work, layer.name + ".so")
    subprocess.run(["cc", "-shared", "-o", lib, obj,
                    os.path.join(args.build, "lib", "libdwconv_runtime.a"),
                    "-lm", "-ldl", "-pthread"], check=True)
    return ctypes.CDLL(lib)


def buffer(tensor, memory):
    b = Buffer()
    b.data = tensor.data_ptr()
    b.dtype = DTYPE_F32
    b.memory = memory
    b.rank = 0  # the layer's dims; the call's input gives its own below
    return b


def make_tensors(torch, layer, batch, device):
    """Input (layer layout), Keras kernel and bias, fixed seed."""
    g = torch.Generator().manual_seed(20261126)
    shape = [batch] + list(layer.shape[1:])
    x = torch.rand(shape, generator=g) * 4 - 2
    k = torch.rand(layer.kh, layer.kw, layer.c, layer.multiplier,
                   generator=g) - 0.5
    b = torch.rand(layer.co, generator=g) - 0.5
    return x.to(device), k, b


def torch_layer(torch, layer, k, b, device):
    """F.conv2d (+ bias and activation) on the layer's layout, as a call."""
    import torch.nn.functional as F
    acts = {"linear": lambda y: y, "relu": F.relu, "relu6": F.relu6,
            "swish": F.silu, "silu": F.silu}
    w = k.reshape(layer.kh, layer.kw, layer.co).permute(2, 0, 1)[:, None]
    w = w.contiguous().to(device)
    bias = b.to(device) if layer.use_bias else None
    act = acts[layer.activation]
    symmetric = layer.pt == layer.pb and layer.pl == layer.pr
    pads = (layer.pl, layer.pr, layer.pt, layer.pb)

    def call(x):
        nchw = x if layer.channels_first else x.permute(0, 3, 1, 2)
        if not symmetric:
            nchw = F.pad(nchw, pads)
        y = F.conv2d(nchw, w, bias, stride=(layer.sh, layer.sw),
                     padding=(layer.pt, layer.pl) if symmetric else 0,
                     dilation=(layer.dh, layer.dw), groups=layer.c)
        return act(y)
    return call


def dwconv_layer(args, torch, lib, layer, k, b, device):
    """A call of the layer through the runtime on device tensors."""
    memory = DEVICE_CUDA if args.device == "cuda" else DEVICE_CPU
    metadata = ctypes.c_void_p.in_dll(lib, "dwconv_%s_metadata" % layer.name)
    metadata = ctypes.addressof(metadata)
    options = ContextOptions()
    options.device = memory
    options.threads = 1
    if args.device == "cuda":
        options.cuda_stream = torch.cuda.current_stream().cuda_stream
    context = ctypes.c_void_p()
    lib.dwconv_context_create.argtypes = [ctypes.POINTER(ContextOptions),
                                          ctypes.POINTER(ctypes.c_void_p)]
    lib.dwconv_context_last_error.restype = ctypes.c_char_p
    if lib.dwconv_context_create(ctypes.byref(options), ctypes.byref(context)):
        raise RuntimeError(lib.dwconv_context_last_error(None).decode())
    # Pack once on the host, then keep the packed weights on the device.
    packed_bytes = ctypes.c_int64.from_address(
        metadata + PACKED_WEIGHTS_BYTES_OFFSET).value
    host = torch.zeros(packed_bytes // 4 + 16, dtype=torch.float32)
    aligned = (-host.data_ptr()) % 64 // 4
    host_view = host[aligned:aligned + packed_bytes // 4]
    lib.dwconv_layer_pack_weights.argtypes = [
        ctypes.c_void_p, ctypes.c_void_p, ctypes.c_void_p, ctypes.c_void_p,
        ctypes.c_void_p, ctypes.c_size_t]
    kc, bc = k.contiguous(), b.contiguous()
    if lib.dwconv_layer_pack_weights(context, metadata, kc.data_ptr(),
                                     bc.data_ptr() if layer.use_bias else None,
                                     host_view.data_ptr(), packed_bytes):
        raise RuntimeError(lib.dwconv_context_last_error(context).decode())
    packed = host_view.to(device) if args.device == "cuda" else host_view
    lib.dwconv_layer_run.argtypes = [ctypes.c_void_p] * 3

    def call(x, out):
        c = Call()
        c.input = buffer(x, memory)
        c.input.rank = 4
        for i, d in enumerate(x.shape):
            c.input.dims[i] = d
        c.output = buffer(out, memory)
        c.packed_weights = packed.data_ptr()
        if lib.dwconv_layer_run(context, metadata, ctypes.byref(c)):
            raise RuntimeError(lib.dwconv_context_last_error(context).decode())
    call.keep = (packed, host, context)
    return call


def time_call(torch, run, args):
    if args.device != "cuda":
        import time
        rounds = []
        for _ in range(args.rounds):
            start = time.perf_counter()
            for _ in range(args.iters):
                run()
            rounds.append((time.perf_counter() - start) / args.iters)
        return statistics.median(rounds)
    rounds = []
    run()
    for _ in range(args.rounds):
        begin = torch.cuda.Event(enable_timing=True)
        end = torch.cuda.Event(enable_timing=True)
        begin.record()
        for _ in range(args.iters):
            run()
        end.record()
        end.synchronize()
        rounds.append(begin.elapsed_time(end) / 1e3 / args.iters)
    return statistics.median(rounds)


def device_bandwidth():
    """Peak memory bandwidth in GB/s from the driver's attributes."""
    driver = ctypes.CDLL("libcuda.so.1")
    clock, width = ctypes.c_int(), ctypes.c_int()
    driver.cuDeviceGetAttribute(ctypes.byref(clock), 36, 0)  # kHz
    driver.cuDeviceGetAttribute(ctypes.byref(width), 37, 0)  # bits
    return 2.0 * clock.value * 1e3 * width.value / 8 / 1e9


def layer_names(args):
    return args.layers or sorted(
        f[:-5] for f in os.listdir(os.path.join(HERE, "layers"))
        if f.endswith(".json"))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--build", default="build")
    parser.add_argument("--device", default="cuda", choices=["cuda", "cpu"])
    parser.add_argument("--gpu-arch", default="sm_90")
    parser.add_argument("--layers", nargs="*")
    parser.add_argument("--batches", nargs="*", type=int, default=[1, 32])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--iters", type=int, default=50)
    parser.add_argument("--libraries", help="where --prepare puts the "
                        "layers' libraries and a run takes them from")
    parser.add_argument("--prepare", action="store_true",
                        help="only compile the layers into --libraries")
    args = parser.parse_args()
    if args.prepare:
        os.makedirs(args.libraries, exist_ok=True)
        for name in layer_names(args):
            with open(os.path.join(HERE, "layers", name + ".json")) as f:
                build_library(args, Layer(name, json.load(f)), None)
        return
    import torch

    device = "cuda" if args.device == "cuda" else "cpu"
    names = layer_names(args)
    if args.device == "cuda":
        props = torch.cuda.get_device_properties(0)
        bandwidth = device_bandwidth()
        print("device: %s, %d SMs, memory bandwidth %.0f GB/s; torch %s, "
              "cuDNN %s" % (props.name, props.multi_processor_count,
                            bandwidth, torch.__version__,
                            torch.backends.cudnn.version()))
    else:
        bandwidth = None
        print("device: cpu (a check of the harness, not a benchmark)")
    print("%-20s %5s %10s %10s %8s %8s %8s %s" % (
        "layer", "batch", "dwconv us", "torch us", "GFLOP/s", "GB/s",
        "% bw", "dwconv / torch"))
    with tempfile.TemporaryDirectory() as work:
        for name in names:
            with open(os.path.join(HERE, "layers", name + ".json")) as f:
                layer = Layer(name, json.load(f))
            lib = build_library(args, layer, work)
            for batch in args.batches:
                x, k, b = make_tensors(torch, layer, batch, device)
                if not layer.channels_first:
                    x = x.contiguous()
                ref = torch_layer(torch, layer, k, b, device)
                mine = dwconv_layer(args, torch, lib, layer, k, b, device)
                want = ref(x)
                if not layer.channels_first:
                    want = want.permute(0, 2, 3, 1)
                want = want.contiguous()
                out = torch.full_like(want, float("nan"))
                mine(x, out)
                if device == "cuda":
                    torch.cuda.synchronize()
                scale = want.abs().max().item() or 1.0
                error = (out - want).abs().max().item() / scale
                if not error <= 1e-5:
                    print("%-20s %5d FAIL: relative error %g" % (
                        name, batch, error))
                    continue
                t_mine = time_call(torch, lambda: mine(x, out), args)
                t_ref = time_call(torch, lambda: ref(x), args)
                flops = 2 * layer.kh * layer.kw * want.numel()
                nbytes = 4 * (x.numel() + want.numel() + k.numel() + b.numel())
                gbs = nbytes / t_mine / 1e9
                print("%-20s %5d %10.1f %10.1f %8.1f %8.1f %8s %.2fx" % (
                    name, batch, t_mine * 1e6, t_ref * 1e6,
                    flops / t_mine / 1e9, gbs,
                    "%.0f%%" % (100 * gbs / bandwidth) if bandwidth else "-",
                    t_ref / t_mine))
                sys.stdout.flush()


if __name__ == "__main__":
    main()
