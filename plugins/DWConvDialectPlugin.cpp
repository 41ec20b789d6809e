//===- DWConvDialectPlugin.cpp - the dwconv dialect for stock mlir-opt ----===//
//
// `mlir-opt --load-dialect-plugin=DWConvDialectPlugin.so` parses, verifies,
// infers and prints dwconv ops. The dialect comes from libDWConvMLIR.so,
// which the pass plugin shares: one copy per process, like MLIR itself
// (libMLIR.so).
//
//===----------------------------------------------------------------------===//

#include "dwconv/InitAllDWConv.h"

#include "mlir/Tools/Plugins/DialectPlugin.h"
#include "llvm/Config/llvm-config.h"

extern "C" LLVM_ATTRIBUTE_WEAK mlir::DialectPluginLibraryInfo
mlirGetDialectPluginInfo() {
  return {MLIR_PLUGIN_API_VERSION, "DWConv", LLVM_VERSION_STRING,
          [](mlir::DialectRegistry *registry) {
            mlir::dwconv::registerAllDialects(*registry);
          }};
}
