//===- Loader.cpp - link a generated object and load it -------------------===//

#include "Loader.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Program.h"
#include "llvm/Support/raw_ostream.h"

#include <dlfcn.h>

using namespace mlir::dwconv;

LoadedLibrary::~LoadedLibrary() {
  if (handle)
    dlclose(handle);
  if (!directory.empty())
    llvm::sys::fs::remove_directories(directory);
}

void *LoadedLibrary::lookup(llvm::StringRef symbol) const {
  return dlsym(handle, symbol.str().c_str());
}

static llvm::Error makeError(const llvm::Twine &message) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), message);
}

llvm::Expected<std::unique_ptr<LoadedLibrary>>
mlir::dwconv::linkAndLoad(llvm::StringRef object) {
  std::unique_ptr<LoadedLibrary> library(new LoadedLibrary());
  llvm::SmallString<128> dir;
  if (std::error_code ec = llvm::sys::fs::createUniqueDirectory("dwconv", dir))
    return makeError("cannot create a temporary directory: " + ec.message());
  library->directory = dir.str().str();
  auto inDir = [&](llvm::StringRef name) {
    llvm::SmallString<128> path(dir);
    llvm::sys::path::append(path, name);
    return path.str().str();
  };
  std::string objectPath = inDir("layers.o");
  std::string libraryPath = inDir("layers.so");
  std::string logPath = inDir("link.log");
  {
    std::error_code ec;
    llvm::raw_fd_ostream os(objectPath, ec);
    if (ec)
      return makeError("cannot write " + objectPath + ": " + ec.message());
    os << object;
  }

  const char *cc = getenv("CC");
  llvm::ErrorOr<std::string> compiler =
      llvm::sys::findProgramByName(cc && *cc ? cc : "cc");
  if (!compiler)
    return makeError("cannot find a C compiler to link the object (set CC)");
  llvm::StringRef args[] = {*compiler,   "-shared",  "-o",
                            libraryPath, objectPath, "-lm"};
  std::optional<llvm::StringRef> redirects[] = {std::nullopt, logPath, logPath};
  std::string message;
  if (llvm::sys::ExecuteAndWait(*compiler, args, std::nullopt, redirects,
                                /*SecondsToWait=*/0, /*MemoryLimit=*/0,
                                &message) != 0) {
    auto log = llvm::MemoryBuffer::getFile(logPath);
    return makeError("linking the generated object failed: " + message +
                     (log ? "\n" + (*log)->getBuffer() : ""));
  }
  library->handle = dlopen(libraryPath.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (!library->handle)
    return makeError(llvm::Twine("cannot load the generated library: ") +
                     dlerror());
  return library;
}
