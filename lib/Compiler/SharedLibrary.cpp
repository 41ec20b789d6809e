//===- SharedLibrary.cpp - an object and the runtime, as one library ------===//
//
// `--emit=shared` links the compiled object with the runtime's static
// library into a shared library that Python's ctypes (python/dwconv) or
// dlopen loads directly. The link is the system's: the C compiler driver,
// which knows the platform's crt files and libc.
//
//===----------------------------------------------------------------------===//

#include "dwconv/Compiler/Compiler.h"

#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/Location.h"
#include "llvm/ADT/ScopeExit.h"
#include "llvm/Support/Debug.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Process.h"
#include "llvm/Support/Program.h"
#include "llvm/Support/raw_ostream.h"

#define DEBUG_TYPE "dwconv-shared-library"

using namespace mlir;
using namespace mlir::dwconv;

static int anchor;

/// The runtime archive: $DWCONV_RUNTIME_LIBRARY, else ../lib beside the
/// running tool.
static std::string findRuntimeArchive() {
  if (std::optional<std::string> env =
          llvm::sys::Process::GetEnv("DWCONV_RUNTIME_LIBRARY"))
    return *env;
  std::string tool = llvm::sys::fs::getMainExecutable(nullptr, &anchor);
  SmallString<256> path(llvm::sys::path::parent_path(tool));
  llvm::sys::path::append(path, "..", "lib", "libdwconv_runtime.a");
  return std::string(path);
}

/// The C compiler driver: $CC (a single program name or path), else cc.
static llvm::ErrorOr<std::string> findCompilerDriver() {
  std::optional<std::string> env = llvm::sys::Process::GetEnv("CC");
  return llvm::sys::findProgramByName(env && !env->empty() ? *env : "cc");
}

/// Runs the driver; its output goes to `log`.
static LogicalResult runLink(Location loc, StringRef driver,
                             ArrayRef<StringRef> args, StringRef log) {
  std::optional<StringRef> redirects[] = {std::nullopt, log, log};
  std::string error;
  int status = llvm::sys::ExecuteAndWait(driver, args, std::nullopt,
                                         redirects, 0, 0, &error);
  if (status == 0)
    return success();
  InFlightDiagnostic diag = emitError(loc)
                            << "linking the shared library failed ("
                            << driver << ", status " << status << ")";
  if (!error.empty())
    diag << ": " << error;
  if (auto text = llvm::MemoryBuffer::getFile(log))
    diag << "\n" << StringRef((*text)->getBuffer()).trim();
  return failure();
}

LogicalResult mlir::dwconv::writeSharedLibrary(StringRef path, StringRef object,
                                               MLIRContext *ctx) {
  Location loc = FileLineColLoc::get(ctx, path, 0, 0);
  std::string runtime = findRuntimeArchive();
  if (!llvm::sys::fs::exists(runtime))
    return emitError(loc) << "the runtime library '" << runtime
                          << "' is missing (set DWCONV_RUNTIME_LIBRARY)";
  llvm::ErrorOr<std::string> driver = findCompilerDriver();
  if (!driver)
    return emitError(loc) << "a shared library is linked with the C compiler "
                             "driver, and none was found (set CC)";
  SmallString<128> objectPath, logPath;
  if (llvm::sys::fs::createTemporaryFile("dwconv", "o", objectPath) ||
      llvm::sys::fs::createTemporaryFile("dwconv-link", "log", logPath))
    return emitError(loc) << "cannot create a temporary file";
  llvm::scope_exit cleanup([&] {
    llvm::sys::fs::remove(objectPath);
    llvm::sys::fs::remove(logPath);
  });
  if (failed(writeOutputFile(objectPath, object, ctx)))
    return failure();
  SmallVector<StringRef> args = {*driver,
                                 "-shared",
                                 "-o",
                                 path,
                                 objectPath,
                                 "-Wl,--whole-archive",
                                 runtime,
                                 "-Wl,--no-whole-archive",
                                 "-lm",
                                 "-ldl",
                                 "-lpthread"};
  LLVM_DEBUG(llvm::dbgs() << "link: " << llvm::join(args, " ") << "\n");
  return runLink(loc, *driver, args, logPath);
}

LogicalResult mlir::dwconv::writeCompileResult(StringRef path,
                                               const CompileResult &result,
                                               EmitKind emit,
                                               MLIRContext *ctx) {
  if (emit == EmitKind::Shared)
    return writeSharedLibrary(path, result.output, ctx);
  return writeOutputFile(path, result.output, ctx);
}
