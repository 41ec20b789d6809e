# -*- Python -*-

import os

import lit.formats
import lit.util
from lit.llvm import llvm_config
from lit.llvm.subst import ToolSubst

config.name = "DWCONV"
config.test_format = lit.formats.ShTest(not llvm_config.use_lit_shell)
config.suffixes = [".mlir", ".test"]
config.excludes = ["CMakeLists.txt", "README.md", "lit.cfg.py", "lit.site.cfg.py", "Inputs", "data", "lib"]

config.test_source_root = os.path.dirname(__file__)
config.test_exec_root = os.path.join(config.dwconv_obj_root, "test")

config.substitutions.append(("%PATH%", config.environment["PATH"]))
config.substitutions.append(("%dwconv_src_root", config.dwconv_src_root))
config.substitutions.append(("%dwconv_obj_root", config.dwconv_obj_root))
# A sanitizer build (DWCONV_SANITIZE): the C programs tests build get the
# same flags; Python, which loads instrumented libraries (the runtime in a
# --emit=shared library), gets the sanitizer runtime preloaded.
python = config.python_executable
if config.sanitize:
    import subprocess
    runtimes = [subprocess.check_output(
        [config.host_cc, "-print-file-name=lib%s.so" % name]).decode().strip()
        for name in ("asan", "ubsan")]
    python = ("env LD_PRELOAD='%s' ASAN_OPTIONS=detect_leaks=0:"
              "detect_container_overflow=0:allow_user_poisoning=0:"
              "allocator_may_return_null=1 %s") % (
        " ".join(runtimes), python)
    # allocator_may_return_null: a huge allocation is the runtime's
    # DWCONV_OUT_OF_MEMORY to report, not ASan's abort. allow_user_poisoning
    # and detect_container_overflow off: LLVM's headers poison allocator
    # memory in our instrumented code that Debian's uninstrumented libMLIR
    # then uses (false reports).
    config.environment["ASAN_OPTIONS"] = (
        "detect_container_overflow=0:allow_user_poisoning=0:"
        "allocator_may_return_null=1")
    config.environment["UBSAN_OPTIONS"] = "print_stacktrace=1"
    config.available_features.add("sanitized")
config.substitutions.append(("%python", python))

llvm_config.with_system_environment(["HOME", "INCLUDE", "LIB", "TMP", "TEMP"])
llvm_config.use_default_substitutions()

# Our tools first, then LLVM's (FileCheck, not, count).
llvm_config.with_environment("PATH", config.dwconv_tools_dir, append_path=True)
llvm_config.with_environment("PATH", config.llvm_tools_dir, append_path=True)

tool_dirs = [config.dwconv_tools_dir, config.llvm_tools_dir]
tools = [
    ToolSubst(name, unresolved="fatal")
    for name in ["dwconv-opt", "dwconv-compile", "dwconv-run", "dwconv-sweep", "llvm-nm", "mlir-opt",
                 "dwconv-fuzz-keras-json", "dwconv-fuzz-keras-archive", "dwconv-fuzz-npy",
                 "dwconv-fuzz-mlir", "dwconv-fuzz-runtime"]
]
llvm_config.add_tool_substitutions(tools, tool_dirs)

# End-to-end tests link generated objects with C programs and the runtime.
e2e = os.path.join(config.dwconv_src_root, "test", "e2e")
config.substitutions.append(
    ("%cc", (config.host_cc + " " + config.sanitize_cflags).strip()))
config.substitutions.append(
    ("%runtime_flags",
     "-I%s -I%s %s/lib/libdwconv_runtime.a %s -lm -pthread" % (
         os.path.join(config.dwconv_src_root, "runtime", "include"),
         os.path.join(e2e, "lib"),
         config.dwconv_obj_root,
         os.path.join(e2e, "lib", "reference.c"))))
config.substitutions.append(("%utils", os.path.join(config.dwconv_src_root, "utils")))
config.substitutions.append(("%cmake", config.cmake))
config.substitutions.append(("%llvm_tools_dir", config.llvm_tools_dir))
config.substitutions.append(("%host_cc", config.host_cc))

# ThreadSanitizer (feature `tsan`, outside the ASan build, where the two
# sanitizers cannot mix): %tsan_cc builds C programs, and %tsan_runtime the
# runtime's sources, with -fsanitize=thread.
def host_cc_accepts(flags):
    import subprocess, tempfile
    with tempfile.TemporaryDirectory() as work:
        source = os.path.join(work, "t.c")
        with open(source, "w") as f:
            f.write("int main(void) { return 0; }\n")
        return subprocess.call(
            [config.host_cc] + flags + [source, "-o", os.path.join(work, "t")],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL) == 0

if not config.sanitize and host_cc_accepts(["-fsanitize=thread"]):
    config.available_features.add("tsan")
    runtime_src = os.path.join(config.dwconv_src_root, "runtime", "src")
    config.substitutions.append(
        ("%tsan_cc", config.host_cc + " -fsanitize=thread -g -O1"))
    config.substitutions.append(
        ("%tsan_runtime", "-I%s %s -lm -pthread -ldl" % (
            os.path.join(config.dwconv_src_root, "runtime", "include"),
            " ".join(os.path.join(runtime_src, f)
                     for f in ("runtime.c", "pool.c", "cuda.c")))))

# The randomized sweeps: 300 cases per run (60 in the sanitizer build, whose
# code runs several times slower) unless `lit -Dsweep_count=N`.
config.substitutions.append(
    ("%sweep_count", lit_config.params.get(
        "sweep_count", "60" if config.sanitize else "300")))

# The cuda backend's PTX is assembled by the CUDA toolkit's ptxas where one
# is installed ($CUDA_PATH, /usr/local/cuda, or PATH): feature `ptxas`, with
# %ptxas and %cuda_path. Without it those tests report unsupported.
def find_cuda():
    for root in [os.environ.get("CUDA_PATH"), os.environ.get("CUDA_HOME"), "/usr/local/cuda"]:
        if root and os.path.isfile(os.path.join(root, "bin", "ptxas")):
            return root
    ptxas = lit.util.which("ptxas")
    return os.path.dirname(os.path.dirname(ptxas)) if ptxas else None

cuda_root = find_cuda()
if cuda_root:
    config.available_features.add("ptxas")
    config.substitutions.append(("%ptxas", os.path.join(cuda_root, "bin", "ptxas")))
    config.substitutions.append(("%cuda_path", cuda_root))

# A CUDA GPU this process can use (the driver loads and finds a device):
# feature `gpu` for the tests that run layers on it. Elsewhere they
# report unsupported.
def has_cuda_device():
    import ctypes
    try:
        driver = ctypes.CDLL(os.environ.get("DWCONV_CUDA_DRIVER") or "libcuda.so.1")
    except OSError:
        return False
    count = ctypes.c_int(0)
    return driver.cuInit(0) == 0 and driver.cuDeviceGetCount(ctypes.byref(count)) == 0 \
        and count.value > 0

if has_cuda_device():
    config.available_features.add("gpu")

# numpy for the python/dwconv tests that use it (Debian's python3-numpy);
# without it they report unsupported.
def has_numpy():
    import subprocess
    return subprocess.call([config.python_executable, "-c", "import numpy"],
                           stdout=subprocess.DEVNULL,
                           stderr=subprocess.DEVNULL) == 0

if has_numpy():
    config.available_features.add("numpy")
