//===- FuzzKerasJson.cpp - the Keras JSON importer ------------------------===//
//
// Layer configs and whole models (to_json(), TF.js): parsed, shapes
// propagated, blocks folded, layer functions built and verified.
//
//===----------------------------------------------------------------------===//

#include "FuzzCommon.h"

#include "dwconv/Frontend/Keras/Import.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Verifier.h"
#include "llvm/Support/MemoryBuffer.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  mlir::MLIRContext &ctx = dwconv_fuzz::getContext();
  llvm::StringRef text(reinterpret_cast<const char *>(data), size);
  auto buffer = llvm::MemoryBuffer::getMemBuffer(text, "fuzz.json",
                                                 /*RequiresNullTerminator=*/false);
  mlir::dwconv::KerasImportOptions options;
  mlir::OwningOpRef<mlir::ModuleOp> module =
      mlir::dwconv::importKeras(&ctx, "fuzz.json", *buffer, options);
  if (module)
    (void)mlir::verify(*module);
  return 0;
}
