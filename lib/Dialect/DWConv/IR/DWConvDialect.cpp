//===- DWConvDialect.cpp - dwconv dialect ---------------------------------===//

#include "dwconv/Dialect/DWConv/IR/DWConv.h"

#include "mlir/IR/DialectImplementation.h"
#include "llvm/ADT/TypeSwitch.h"

using namespace mlir;
using namespace mlir::dwconv;

#include "dwconv/Dialect/DWConv/IR/DWConvOpsDialect.cpp.inc"

#include "dwconv/Dialect/DWConv/IR/DWConvEnums.cpp.inc"

#define GET_ATTRDEF_CLASSES
#include "dwconv/Dialect/DWConv/IR/DWConvAttrs.cpp.inc"

void DWConvDialect::initialize() {
  addOperations<
#define GET_OP_LIST
#include "dwconv/Dialect/DWConv/IR/DWConvOps.cpp.inc"
      >();
  addAttributes<
#define GET_ATTRDEF_LIST
#include "dwconv/Dialect/DWConv/IR/DWConvAttrs.cpp.inc"
      >();
}
