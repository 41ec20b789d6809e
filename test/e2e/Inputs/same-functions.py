"""Checks that two objects hold the same functions, instruction for
instruction: llvm-objdump's disassembly of each function, without addresses
and comments (jump targets stay as function + offset) and without alignment
nops.

usage: same-functions.py A.o B.o
"""
import re
import subprocess
import sys


def functions(path):
    text = subprocess.run(
        ["llvm-objdump", "-d", "--no-leading-addr", "--no-show-raw-insn", path],
        check=True, capture_output=True, text=True).stdout
    blocks, current = {}, None
    for line in text.splitlines():
        # Comments give addresses ("# 0x54 <f+0x54>").
        line = re.sub(r"\s+#.*$", "", line)
        if re.match(r"^<.*>:$", line):
            current = blocks.setdefault(line, [])
        elif line.startswith("Disassembly of section"):
            current = None
        elif current is not None and line.strip() and line.strip() != "nop":
            # "jmp 0x1c0 <f+0x40>" -> "jmp <f+0x40>"
            current.append(re.sub(r"\b0x[0-9a-f]+ (<[^>]+>)", r"\1", line))
    return blocks


def main():
    a, b = functions(sys.argv[1]), functions(sys.argv[2])
    if sorted(a) != sorted(b):
        sys.exit("different functions: %s" % sorted(set(a) ^ set(b)))
    differ = [name for name in a if a[name] != b[name]]
    if differ or not a:
        sys.exit("functions differ: %s" % differ if differ else "no functions")
    print("%d functions, the same instructions" % len(a))


if __name__ == "__main__":
    main()
