//===- InitAllDWConv.h - register everything dwconv provides ----*- C++ -*-===//
//
// One place for tools and plugins to register the dwconv dialect and passes.
//
//===----------------------------------------------------------------------===//

#ifndef DWCONV_INITALLDWCONV_H
#define DWCONV_INITALLDWCONV_H

#include "dwconv/Codegen/Passes.h"
#include "dwconv/Conversion/Passes.h"
#include "dwconv/Dialect/DWConv/IR/DWConv.h"
#include "dwconv/Dialect/DWConv/Transforms/Passes.h"
#include "dwconv/Pipelines/Pipelines.h"
#include "dwconv/Target/Passes.h"
#include "dwconv/Transforms/Passes.h"

#include "mlir/IR/DialectRegistry.h"

namespace mlir {
namespace dwconv {

inline void registerAllDialects(DialectRegistry &registry) {
  registry.insert<DWConvDialect>();
}

inline void registerAllPasses() {
  registerDWConvPasses();
  registerDWConvCodegenPasses();
  registerDWConvConversionPasses();
  registerDWConvTargetPasses();
  registerDWConvCommonPasses();
  registerPipelines();
}

} // namespace dwconv
} // namespace mlir

#endif // DWCONV_INITALLDWCONV_H
