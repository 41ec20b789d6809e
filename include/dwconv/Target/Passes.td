//===- Passes.td - dwconv target passes --------------------*- tablegen -*-===//

#ifndef DWCONV_TARGET_PASSES_TD
#define DWCONV_TARGET_PASSES_TD

include "mlir/Pass/PassBase.td"

// (keep alphabetical)

def DWConvAddEntryPointsPass
    : Pass<"dwconv-add-entry-points", "::mlir::ModuleOp"> {
  let summary = "Export each lowered layer through the runtime ABI";
  let description = [{
    On a module in the LLVM dialect whose layer kernels carry their
    `dwconv.layer` records, adds per layer the exported metadata constant,
    the uniform entry `dwconv_<name>_call`, the tile function and (for
    weights given at run time) the pack function, all laid out by the
    runtime ABI table (dwconv/abi.def).
  }];
  let dependentDialects = ["::mlir::LLVM::LLVMDialect"];
}

#endif // DWCONV_TARGET_PASSES_TD
