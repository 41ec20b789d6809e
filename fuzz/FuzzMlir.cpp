//===- FuzzMlir.cpp - the op's parser, verifier and shape inference -------===//
//
// dwconv-opt's input: the custom assembly format, the verifier with its
// shape rules, and printing back what parsed.
//
//===----------------------------------------------------------------------===//

#include "FuzzCommon.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Verifier.h"
#include "mlir/Parser/Parser.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  mlir::MLIRContext &ctx = dwconv_fuzz::getContext();
  // MLIR's lexer reads up to a terminating NUL: give it one.
  std::string text(reinterpret_cast<const char *>(data), size);
  mlir::ParserConfig config(&ctx);
  mlir::OwningOpRef<mlir::ModuleOp> module =
      mlir::parseSourceString<mlir::ModuleOp>(text, config);
  if (module && mlir::succeeded(mlir::verify(*module))) {
    std::string printed;
    llvm::raw_string_ostream os(printed);
    module->print(os);
  }
  return 0;
}
