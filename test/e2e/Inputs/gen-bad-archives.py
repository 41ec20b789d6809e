"""Writes damaged .keras archives from a good one (hostile-archives.test):
a flipped byte in the stored weights, a weights member of zeros that
inflates far beyond its compressed size, and a member whose directory
entry claims 4 GiB. (data/models/float64_weights.keras, three_dw.keras with
dw1's kernel stored as float64, was written once with h5py.)"""

import struct
import sys
import zipfile

good, out = sys.argv[1], sys.argv[2]

with zipfile.ZipFile(good) as z:
    members = {name: z.read(name) for name in z.namelist()}


def write(path, entries, compression=zipfile.ZIP_STORED):
    with zipfile.ZipFile(path, "w", compression) as z:
        for name, data in entries.items():
            z.writestr(name, data)


# One byte of the weights flipped, after the zip was written: its CRC no
# longer matches (stored, so nothing else notices).
write(out + "/flipped.keras", members)
with open(out + "/flipped.keras", "r+b") as f:
    data = f.read()
    at = data.index(b"\x89HDF") + 4096
    f.seek(at)
    f.write(bytes([data[at] ^ 0x40]))

# 8 MiB of zeros deflate to about 8 kB.
bomb = dict(members)
bomb["model.weights.h5"] = bytes(8 << 20)
write(out + "/bomb.keras", bomb, zipfile.ZIP_DEFLATED)

# The central directory claims 4 GiB for the weights.
write(out + "/claims.keras", members)
with open(out + "/claims.keras", "r+b") as f:
    data = bytearray(f.read())
    name = b"model.weights.h5"
    at = 0
    while True:
        at = data.index(b"PK\x01\x02", at)
        length = struct.unpack("<H", data[at + 28:at + 30])[0]
        if data[at + 46:at + 46 + length] == name:
            break
        at += 4
    data[at + 24:at + 28] = struct.pack("<I", 0xFFFFFFF0)
    f.seek(0)
    f.write(data)

