//===- Passes.td - dwconv passes over upstream dialects ----*- tablegen -*-===//

#ifndef DWCONV_TRANSFORMS_PASSES_TD
#define DWCONV_TRANSFORMS_PASSES_TD

include "mlir/Pass/PassBase.td"

// (keep alphabetical)

def DWConvMemRefCopyToLinalgPass
    : Pass<"dwconv-memref-copy-to-linalg"> {
  let summary = "Turn strided memref.copy ops into linalg.copy";
  let description = [{
    The LLVM lowering of a `memref.copy` between buffers that are not both
    contiguous calls a generic copy function of MLIR's C runner library,
    which generated objects must not depend on. As `linalg.copy` such copies
    become loops like every other linalg op. Copies between contiguous
    buffers stay `memref.copy` and become `memcpy`.
  }];
  let dependentDialects = ["::mlir::linalg::LinalgDialect"];
}

#endif // DWCONV_TRANSFORMS_PASSES_TD
