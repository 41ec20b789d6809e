"""Layers named after every runtime identifier: none of their symbols may be
one. Writes OUT.mlir, one layer function per name `x` of an identifier
`dwconv_x` of the runtime's public header (context_create, layer_run, ...)
and per `x` of one of the form `dwconv_x_<word>` of a generated symbol
(layer, from dwconv_layer_run); with --check, reads `llvm-nm` of the compiled object and the
header from stdin and prints every generated symbol that is a runtime
identifier.

  runtime-names.py RUNTIME_H ABI_DEF OUT.mlir
  runtime-names.py RUNTIME_H ABI_DEF --check HEADER < nm-output
"""
import re
import sys


def runtime_identifiers(paths):
    names = set()
    for path in paths:
        with open(path) as f:
            names |= set(re.findall(r"\bdwconv_[a-z0-9_]+", f.read()))
    return sorted(names)


LAYER = """func.func @{name}(%x: tensor<1x4x4x2xf32>, %k: tensor<3x3x2x1xf32>) -> tensor<1x4x4x2xf32> {{
  %y = dwconv.depthwise_conv2d %x, %k padding same : tensor<1x4x4x2xf32>, tensor<3x3x2x1xf32>
  return %y : tensor<1x4x4x2xf32>
}}
"""


def main():
    identifiers = runtime_identifiers(sys.argv[1:3])
    if sys.argv[3] != "--check":
        # x for each dwconv_x, and for dwconv_x_<word> (a generated symbol's
        # form) the x alone: 'layer' from dwconv_layer_run.
        names = set(i[len("dwconv_"):] for i in identifiers)
        names |= set(m.group(1) for m in (re.match(
            r"dwconv_(\w+)_(run|call|metadata|tile|pack|kernel)$", i)
            for i in identifiers) if m)
        with open(sys.argv[3], "w") as f:
            for name in sorted(names):
                f.write(LAYER.format(name=name))
        print("%d layers" % len(names))
        return 0
    with open(sys.argv[4]) as f:
        header = f.read()
    # Defined symbols (not U, the runtime's that the object calls).
    defined = set(re.findall(r"\b[A-TV-Za-z] (dwconv_\w+)$",
                             sys.stdin.read(), re.M))
    wrappers = set(re.findall(r"DWCONV_INLINE dwconv_status (\w+)\(", header))
    declared = set(re.findall(r"^(?:extern const \w+|dwconv_status|void) "
                              r"(dwconv_\w+)", header, re.M))
    generated = defined | wrappers | declared
    clashes = sorted(generated & set(identifiers))
    print("%d runtime identifiers, %d generated symbols, clashes: %s" % (
        len(identifiers), len(generated), ", ".join(clashes) or "none"))
    return 1 if clashes else 0


if __name__ == "__main__":
    sys.exit(main())
