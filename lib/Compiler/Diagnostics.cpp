//===- Diagnostics.cpp - how the tools print diagnostics ------------------===//

#include "dwconv/Compiler/Diagnostics.h"

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/Location.h"
#include "llvm/Support/WithColor.h"

using namespace mlir;
using namespace mlir::dwconv;

Location mlir::dwconv::getFileLoc(MLIRContext *ctx, llvm::StringRef path) {
  return FileLineColLoc::get(ctx, path, /*line=*/0, /*column=*/0);
}

/// The file location a diagnostic is at when it has no line, else null.
static FileLineColLoc getWholeFileLoc(Location loc) {
  auto file = dyn_cast<FileLineColLoc>(loc);
  return file && file.getLine() == 0 ? file : FileLineColLoc();
}

SpecDiagnosticHandler::SpecDiagnosticHandler(llvm::SourceMgr &sourceMgr,
                                             MLIRContext *ctx,
                                             llvm::raw_ostream &os)
    : SourceMgrDiagnosticHandler(sourceMgr, ctx, os), os(os) {
  // A diagnostic names what is wrong; it never dumps the IR it was found in.
  ctx->printOpOnDiagnostic(false);
  setHandler([this](Diagnostic &diag) {
    if (FileLineColLoc file = getWholeFileLoc(diag.getLocation()))
      emitAtFile(diag, file);
    else
      emitDiagnostic(diag);
  });
}

void SpecDiagnosticHandler::emitAtFile(Diagnostic &diag, FileLineColLoc loc) {
  auto print = [&](Diagnostic &d) {
    os << loc.getFilename().getValue() << ": ";
    switch (d.getSeverity()) {
    case DiagnosticSeverity::Error:
      llvm::WithColor(os, llvm::HighlightColor::Error) << "error";
      break;
    case DiagnosticSeverity::Warning:
      llvm::WithColor(os, llvm::HighlightColor::Warning) << "warning";
      break;
    case DiagnosticSeverity::Note:
      llvm::WithColor(os, llvm::HighlightColor::Note) << "note";
      break;
    case DiagnosticSeverity::Remark:
      llvm::WithColor(os, llvm::HighlightColor::Remark) << "remark";
      break;
    }
    os << ": " << d << "\n";
  };
  print(diag);
  for (Diagnostic &note : diag.getNotes())
    print(note);
  os.flush();
}
