//===- FuzzNpy.cpp - the .npy reader --------------------------------------===//

#include "FuzzCommon.h"

#include "dwconv/Support/Npy.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  std::string path = dwconv_fuzz::writeInput(data, size, "npy");
  llvm::Expected<mlir::dwconv::NpyArray> array = mlir::dwconv::readNpy(path);
  if (!array)
    llvm::consumeError(array.takeError());
  return 0;
}
