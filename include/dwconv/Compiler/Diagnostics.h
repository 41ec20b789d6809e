//===- Diagnostics.h - how the tools print diagnostics ----------*- C++ -*-===//
//
// A Keras config or archive has no line to point at (a config is often one
// long line, an archive is binary): its diagnostics are located at the whole
// file (line 0) and print as `path: error: message`, never echoing the input.
// Diagnostics in a .mlir spec keep upstream's form, with the source line and
// a caret. Whatever the input supplied (messages quote names and values) is
// printed escaped.
//
//===----------------------------------------------------------------------===//

#ifndef DWCONV_COMPILER_DIAGNOSTICS_H
#define DWCONV_COMPILER_DIAGNOSTICS_H

#include "mlir/IR/Diagnostics.h"
#include "llvm/Support/raw_ostream.h"

namespace mlir {
namespace dwconv {

/// Prints `text` with every byte outside printable ASCII (tabs kept, and
/// newlines with `keepNewlines`) as \xNN: what came from a spec reaches the
/// terminal as text, never as control sequences.
void printEscaped(llvm::raw_ostream &os, llvm::StringRef text,
                  bool keepNewlines = false);

/// The location of a whole input file: no line, no column.
Location getFileLoc(MLIRContext *ctx, llvm::StringRef path);

/// SourceMgrDiagnosticHandler, except for diagnostics at a whole file
/// (getFileLoc), printed without a source line.
class SpecDiagnosticHandler : public SourceMgrDiagnosticHandler {
public:
  SpecDiagnosticHandler(llvm::SourceMgr &sourceMgr, MLIRContext *ctx,
                        llvm::raw_ostream &os = llvm::errs());

private:
  void emitAtFile(Diagnostic &diag, FileLineColLoc loc);
  llvm::raw_ostream &os;
};

} // namespace dwconv
} // namespace mlir

#endif // DWCONV_COMPILER_DIAGNOSTICS_H
