#!/usr/bin/env python3
"""Writes a .npy file of the ramp 0, 1, 2, ... for tests, well formed or not.

  make-npy.py OUT --shape 2x3 [--dtype '<f8'] [--fortran] [--truncate N]
  make-npy.py OUT --shape 4611686018427387904 --header-only
"""

import argparse
import os
import struct
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import npy  # noqa: E402

FORMATS = {"<f4": "<%df", "<f8": "<%dd", "<i4": "<%di"}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out")
    parser.add_argument("--shape", required=True, help="e.g. 1x8x8x3")
    parser.add_argument("--dtype", default="<f4", choices=sorted(FORMATS))
    parser.add_argument("--fortran", action="store_true")
    parser.add_argument("--truncate", type=int, default=0,
                        help="drop this many bytes from the end")
    parser.add_argument("--header-only", action="store_true",
                        help="the header alone, for shapes no file holds")
    args = parser.parse_args()
    shape = [int(d) for d in args.shape.split("x")]
    if args.header_only:
        dims = ", ".join(map(str, shape)) + ("," if len(shape) == 1 else "")
        header = "{'descr': '<f4', 'fortran_order': False, 'shape': (%s), }" % dims
        header += " " * ((64 - (10 + len(header) + 1) % 64) % 64) + "\n"
        with open(args.out, "wb") as f:
            f.write(b"\x93NUMPY\x01\x00" + struct.pack("<H", len(header)))
            f.write(header.encode("latin1"))
        return
    count = 1
    for d in shape:
        count *= d
    values = list(range(count))
    if args.dtype == "<f4" and not args.fortran:
        npy.write(args.out, shape, values)
    else:
        dims = ", ".join(map(str, shape)) + ("," if len(shape) == 1 else "")
        header = "{'descr': '%s', 'fortran_order': %s, 'shape': (%s), }" % (
            args.dtype, args.fortran, dims)
        header += " " * ((64 - (10 + len(header) + 1) % 64) % 64) + "\n"
        with open(args.out, "wb") as f:
            f.write(b"\x93NUMPY\x01\x00" + struct.pack("<H", len(header)))
            f.write(header.encode("latin1"))
            f.write(struct.pack(FORMATS[args.dtype] % count, *values))
    if args.truncate:
        with open(args.out, "r+b") as f:
            f.truncate(os.path.getsize(args.out) - args.truncate)


if __name__ == "__main__":
    main()
