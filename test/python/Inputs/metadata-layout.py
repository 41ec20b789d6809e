"""Prints python/dwconv's dwconv_layer_metadata layout as metadata-layout.c
prints the C compiler's."""

import ctypes

import dwconv

for name, _ in dwconv.Metadata._fields_:
    print(name, getattr(dwconv.Metadata, name).offset)
print("size", ctypes.sizeof(dwconv.Metadata))
