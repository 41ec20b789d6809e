//===- FuzzKerasArchive.cpp - .keras archives -----------------------------===//
//
// The zip reader (sizes, CRCs, inflate bounds), the weights file and the
// importer behind them, on archive bytes.
//
//===----------------------------------------------------------------------===//

#include "FuzzCommon.h"

#include "dwconv/Frontend/Keras/Import.h"

#include "mlir/IR/BuiltinOps.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  mlir::MLIRContext &ctx = dwconv_fuzz::getContext();
  std::string path = dwconv_fuzz::writeInput(data, size, "keras");
  mlir::dwconv::KerasImportOptions options;
  // Fuzzing checks bounds, not throughput: keep what is inflated small.
  options.maxArchiveBytes = 8 << 20;
  (void)mlir::dwconv::importKerasFile(&ctx, path, options);
  return 0;
}
