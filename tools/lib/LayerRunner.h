//===- LayerRunner.h - run a loaded layer on arrays -------------*- C++ -*-===//
//
// What the tools that run layers share: checking float32 arrays against a
// layer's metadata, and one call of the layer through the runtime (ABI v2:
// dwconv_layer_run) with a given number of threads.
//
//===----------------------------------------------------------------------===//

#ifndef DWCONV_TOOLS_LAYERRUNNER_H
#define DWCONV_TOOLS_LAYERRUNNER_H

#include "dwconv/Support/Npy.h"
#include "dwconv/runtime.h"

#include <optional>
#include <string>

namespace mlir {
namespace dwconv {

/// The arrays of one call and the files (or names) they came from.
struct LayerArrays {
  NpyArray input;
  std::optional<NpyArray> kernel, bias;
  std::string inputName, kernelName, biasName;
};

/// Reads the .npy files of a call (kernel and bias paths may be empty); the
/// names in errors are the options' ("--input IN.npy").
llvm::Expected<LayerArrays> readLayerArrays(const std::string &inputPath,
                                            const std::string &kernelPath,
                                            const std::string &biasPath);

/// Checks the arrays against what `layer` takes; the error names the file
/// and the layer.
llvm::Error checkArrays(const dwconv_layer_metadata &layer,
                        const LayerArrays &arrays);

/// LLVM registers a hidden `--threads` option of its own: moves it out of the
/// way (to `--llvm-threads`) so that a tool can offer `--threads`. Call before
/// creating the tool's option.
void renameLLVMThreadsOption();

/// A caller's pool as an application plugs one in: items 1.. run on threads
/// of their own, started in reverse order, item 0 on the calling thread.
void threadPerItemParallelFor(void *pool, int64_t count, dwconv_task_fn fn,
                              void *arg);

/// Runs `layer` on the arrays with a context of `threads` threads, run by
/// threadPerItemParallelFor instead of the context's own with `callerPool`,
/// on `device` (the arrays stay host memory: a cuda layer copies them);
/// returns the output, or the runtime's status and message.
llvm::Expected<NpyArray> runLayer(const dwconv_layer_metadata &layer,
                                  const LayerArrays &arrays, int threads,
                                  bool callerPool = false,
                                  dwconv_device device = DWCONV_DEVICE_CPU);

} // namespace dwconv
} // namespace mlir

#endif // DWCONV_TOOLS_LAYERRUNNER_H
