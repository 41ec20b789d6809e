//===- LayerArrays.cpp - the .npy arrays of one call ----------------------===//

#include "LayerRunner.h"

using namespace mlir;
using namespace mlir::dwconv;

llvm::Expected<LayerArrays>
mlir::dwconv::readLayerArrays(const std::string &inputPath,
                              const std::string &kernelPath,
                              const std::string &biasPath) {
  LayerArrays arrays;
  arrays.inputName = "--input " + inputPath;
  arrays.kernelName = "--kernel " + kernelPath;
  arrays.biasName = "--bias " + biasPath;
  auto read = [](const std::string &path,
                 std::optional<NpyArray> &into) -> llvm::Error {
    if (path.empty())
      return llvm::Error::success();
    llvm::Expected<NpyArray> array = readNpy(path);
    if (!array)
      return array.takeError();
    into = std::move(*array);
    return llvm::Error::success();
  };
  std::optional<NpyArray> input;
  if (llvm::Error error = read(inputPath, input))
    return std::move(error);
  if (llvm::Error error = read(kernelPath, arrays.kernel))
    return std::move(error);
  if (llvm::Error error = read(biasPath, arrays.bias))
    return std::move(error);
  arrays.input = std::move(*input);
  return arrays;
}
