"""Installs the build into a fresh prefix and builds the example consumer
(examples/consumer, its own CMake project) against it: find_package(DWConv),
dwconv_add_layer() compiling a .keras model at build time, link, run.
Then checks that touching the model re-runs dwconv-compile (and only then),
and that a build without CMake links the runtime through pkg-config.

  check-install.py --build BUILD_DIR --source SOURCE_DIR --work WORK_DIR
                   [--cmake CMAKE] [--cc CC]
"""
import argparse
import os
import shutil
import subprocess
import sys


def run(command, **kwargs):
    print("$ " + " ".join(command), flush=True)
    result = subprocess.run(command, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True, **kwargs)
    if result.returncode != 0:
        print(result.stdout)
        sys.exit("failed (exit %d): %s" % (result.returncode, command[0]))
    return result.stdout


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--build", required=True)
    parser.add_argument("--source", required=True)
    parser.add_argument("--work", required=True)
    parser.add_argument("--cmake", default="cmake")
    parser.add_argument("--cc", default="cc")
    args = parser.parse_args()
    shutil.rmtree(args.work, ignore_errors=True)
    prefix = os.path.join(args.work, "prefix")
    consumer = os.path.join(args.work, "consumer")
    run([args.cmake, "--install", args.build, "--prefix", prefix])
    for path in ["bin/dwconv-compile", "include/dwconv/runtime.h",
                 "include/dwconv/abi.def", "lib/libdwconv_runtime.a",
                 "lib/cmake/DWConv/DWConvConfig.cmake",
                 "lib/pkgconfig/dwconv-runtime.pc",
                 "lib/DWConvDialectPlugin.so", "lib/DWConvPassPlugin.so",
                 "include/dwconv/Pipelines/Pipelines.h"]:
        if not os.path.exists(os.path.join(prefix, path)):
            sys.exit("not installed: " + path)
    print("installed: bin, include, lib, lib/cmake/DWConv, lib/pkgconfig")

    # The consumer compiles its own copy of the model, to touch it later.
    model = os.path.join(args.work, "block.keras")
    shutil.copy(os.path.join(args.source, "examples",
                             "mobilenet_v2_block_1.keras"), model)
    run([args.cmake, "-S", os.path.join(args.source, "examples", "consumer"),
         "-B", consumer, "-G", "Ninja", "-DCMAKE_PREFIX_PATH=" + prefix,
         "-DCMAKE_C_COMPILER=" + args.cc, "-DMODEL=" + model])
    log = run([args.cmake, "--build", consumer])
    if "dwconv-compile" not in log:
        sys.exit("the first build did not run dwconv-compile")
    print(run([os.path.join(consumer, "run_block")]).strip().splitlines()[-1])
    if "dwconv-compile" in run([args.cmake, "--build", consumer]):
        sys.exit("an up-to-date build ran dwconv-compile again")
    os.utime(model)
    if "dwconv-compile" not in run([args.cmake, "--build", consumer]):
        sys.exit("touching the model did not re-run dwconv-compile")
    print("rebuilds: none when up to date, dwconv-compile when the model "
          "changed")

    # Without CMake: the generated header and object, the runtime through
    # pkg-config.
    env = dict(os.environ, PKG_CONFIG_PATH=os.path.join(prefix, "lib",
                                                        "pkgconfig"))
    flags = run(["pkg-config", "--cflags", "--libs", "dwconv-runtime"],
                env=env).split()
    obj = os.path.join(consumer, "mnv2_block", "mnv2_block.o")
    exe = os.path.join(args.work, "run_block_pc")
    run([args.cc, "-std=c11", "-O2", "-I" + os.path.join(consumer,
                                                         "mnv2_block"),
         "-I" + os.path.join(args.source, "examples"),
         "-DDWCONV_BLOCK_HEADER=\"mnv2_block.h\"",
         os.path.join(args.source, "examples", "run_block.c"), obj] + flags +
        ["-o", exe])
    print("pkg-config: " + run([exe]).strip().splitlines()[-1])
    return 0


if __name__ == "__main__":
    sys.exit(main())
