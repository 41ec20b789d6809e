#!/usr/bin/env python3
"""Checks that every test input round-trips through dwconv-opt.

For each .mlir file under the given directories whose RUN lines do not expect
diagnostics, checks that printing is stable in both forms:
  custom:  print(parse(f)) == print(parse(print(parse(f))))
  generic: the same with --mlir-print-op-generic
  across:  the custom print of the generic print equals the custom print.
Files with `// -----` are processed with --split-input-file.
"""

import argparse
import difflib
import os
import subprocess
import sys


def run(opt, args, text):
    proc = subprocess.run([opt] + args + ["-"], input=text, capture_output=True,
                          text=True)
    if proc.returncode != 0:
        raise RuntimeError(proc.stderr)
    return proc.stdout


def diff(a, b, a_name, b_name):
    return "".join(difflib.unified_diff(a.splitlines(True), b.splitlines(True),
                                        a_name, b_name))


def check_file(opt, path):
    with open(path) as f:
        source = f.read()
    run_lines = [l for l in source.splitlines() if l.lstrip("/ ").startswith("RUN:")]
    if not run_lines or any("verify-diagnostics" in l for l in run_lines):
        return None
    split = ["--split-input-file"] if "\n// -----" in source else []
    generic = split + ["--mlir-print-op-generic"]
    custom1 = run(opt, split, source)
    custom2 = run(opt, split, custom1)
    generic1 = run(opt, generic, source)
    generic2 = run(opt, generic, generic1)
    from_generic = run(opt, split, generic1)
    problems = [
        diff(custom1, custom2, "custom", "custom re-printed"),
        diff(generic1, generic2, "generic", "generic re-printed"),
        diff(custom1, from_generic, "custom", "custom from generic"),
    ]
    return "".join(problems)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--opt", default="dwconv-opt")
    parser.add_argument("dirs", nargs="+")
    args = parser.parse_args()
    checked, failed = 0, 0
    for top in args.dirs:
        for root, _, files in os.walk(top):
            for name in sorted(files):
                if not name.endswith(".mlir"):
                    continue
                path = os.path.join(root, name)
                try:
                    problems = check_file(args.opt, path)
                except RuntimeError as error:
                    problems = f"dwconv-opt failed:\n{error}"
                if problems is None:
                    continue
                checked += 1
                if problems:
                    failed += 1
                    print(f"FAIL {path}\n{problems}")
    print(f"round-trip: {checked} files checked, {failed} failed")
    return 1 if failed or not checked else 0


if __name__ == "__main__":
    sys.exit(main())
