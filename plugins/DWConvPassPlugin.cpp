//===- DWConvPassPlugin.cpp - dwconv passes and pipelines for mlir-opt ----===//
//
// `mlir-opt --load-pass-plugin=DWConvPassPlugin.so` registers every dwconv
// pass and the named pipelines (dwconv-cpu-pipeline, dwconv-gpu-pipeline,
// ... with their options). Load the dialect plugin too, to parse dwconv ops.
//
//===----------------------------------------------------------------------===//

#include "dwconv/InitAllDWConv.h"

#include "mlir/Tools/Plugins/PassPlugin.h"
#include "llvm/Config/llvm-config.h"

extern "C" LLVM_ATTRIBUTE_WEAK mlir::PassPluginLibraryInfo
mlirGetPassPluginInfo() {
  return {MLIR_PLUGIN_API_VERSION, "DWConvPasses", LLVM_VERSION_STRING,
          []() { mlir::dwconv::registerAllPasses(); }};
}
