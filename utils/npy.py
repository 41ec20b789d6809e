"""float32 .npy files with the Python standard library only (no NumPy)."""

import struct


def write(path, shape, values):
    dims = ", ".join(str(d) for d in shape) + ("," if len(shape) == 1 else "")
    header = "{'descr': '<f4', 'fortran_order': False, 'shape': (%s), }" % dims
    header += " " * ((64 - (10 + len(header) + 1) % 64) % 64) + "\n"
    with open(path, "wb") as f:
        f.write(b"\x93NUMPY\x01\x00" + struct.pack("<H", len(header)))
        f.write(header.encode("latin1"))
        f.write(struct.pack("<%df" % len(values), *values))


def read(path):
    """Returns (shape, values) of a '<f4' C-order .npy file."""
    with open(path, "rb") as f:
        data = f.read()
    if not data.startswith(b"\x93NUMPY"):
        raise ValueError(path + ": not a .npy file")
    if data[6] == 1:
        (length,), start = struct.unpack("<H", data[8:10]), 10
    else:
        (length,), start = struct.unpack("<I", data[8:12]), 12
    header = data[start:start + length].decode("latin1")
    if "'<f4'" not in header or "'fortran_order': False" not in header:
        raise ValueError(path + ": expected a C-order float32 array")
    dims = header.split("'shape': (")[1].split(")")[0]
    shape = tuple(int(d) for d in dims.split(",") if d.strip())
    count = 1
    for d in shape:
        count *= d
    body = data[start + length:]
    return shape, struct.unpack("<%df" % count, body[:4 * count])
