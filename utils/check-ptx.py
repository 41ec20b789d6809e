#!/usr/bin/env python3
"""Assembles the cuda backend's PTX with ptxas, for each architecture, and
reports each kernel's registers and spills.

  check-ptx.py --ptxas PTXAS --arch sm_80 [--compile DWCONV_COMPILE
      [--cuda-path DIR]] FILE...

FILE is PTX, or a layer spec (.json, .mlir) that --compile turns into PTX for
the architecture first. Prints one line per kernel ("<kernel> sm_80: 40
registers, 0 bytes spilled") and a summary; exits 1 when any file fails to
compile or assemble, or, with --no-spills, when a kernel spills.
"""

import argparse
import os
import re
import subprocess
import sys
import tempfile


def to_ptx(args, path, arch, tmp):
    if path.endswith(".ptx"):
        return path
    out = os.path.join(tmp, os.path.basename(path) + "." + arch + ".ptx")
    cmd = [args.compile, path, "--device=cuda", "--emit=ptx",
           "--gpu-arch=" + arch, "-o", out]
    if args.cuda_path:
        cmd.append("--cuda-path=" + args.cuda_path)
    subprocess.run(cmd, check=True)
    return out


def assemble(args, ptx, arch):
    """[(kernel, registers, spilled bytes)] from ptxas -v."""
    done = subprocess.run([args.ptxas, "-arch=" + arch, "-v", ptx, "-o",
                           os.devnull], capture_output=True, text=True)
    if done.returncode:
        raise RuntimeError(done.stderr.strip().splitlines()[-1])
    kernels, current, spills = [], None, 0
    for line in done.stderr.splitlines():
        m = re.search(r"Compiling entry function '(\w+)'", line)
        if m:
            current = m.group(1)
        m = re.search(r"(\d+) bytes spill stores, (\d+) bytes spill loads", line)
        if m:
            spills = int(m.group(1)) + int(m.group(2))
        m = re.search(r"Used (\d+) registers", line)
        if m and current:
            kernels.append((current, int(m.group(1)), spills))
            current, spills = None, 0
    return kernels


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--ptxas", required=True)
    parser.add_argument("--arch", action="append", required=True)
    parser.add_argument("--compile")
    parser.add_argument("--cuda-path")
    parser.add_argument("--no-spills", action="store_true",
                        help="a kernel that spills registers fails")
    parser.add_argument("files", nargs="+")
    args = parser.parse_args()
    failures = count = 0
    with tempfile.TemporaryDirectory() as tmp:
        for arch in args.arch:
            for path in args.files:
                try:
                    kernels = assemble(args, to_ptx(args, path, arch, tmp), arch)
                except (RuntimeError, subprocess.CalledProcessError) as error:
                    print("FAIL %s %s: %s" % (path, arch, error))
                    failures += 1
                    continue
                for kernel, registers, spilled in kernels:
                    count += 1
                    bad = args.no_spills and spilled > 0
                    failures += bad
                    print("%s%s %s: %d registers, %d bytes spilled" % (
                        "FAIL " if bad else "", kernel, arch, registers, spilled))
    print("%d kernels assembled, %d failed" % (count, failures))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
