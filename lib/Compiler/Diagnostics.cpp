//===- Diagnostics.cpp - how the tools print diagnostics ------------------===//

#include "dwconv/Compiler/Diagnostics.h"

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/Location.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/WithColor.h"

using namespace mlir;
using namespace mlir::dwconv;

Location mlir::dwconv::getFileLoc(MLIRContext *ctx, llvm::StringRef path) {
  return FileLineColLoc::get(ctx, path, /*line=*/0, /*column=*/0);
}

void mlir::dwconv::printEscaped(llvm::raw_ostream &os, llvm::StringRef text,
                                bool keepNewlines) {
  for (unsigned char c : text) {
    if ((c >= 0x20 && c < 0x7f) || c == '\t' || (keepNewlines && c == '\n'))
      os << c;
    else
      os << "\\x" << llvm::hexdigit(c >> 4, /*LowerCase=*/true)
         << llvm::hexdigit(c & 15, /*LowerCase=*/true);
  }
}

/// Line `line` (1-based) of the file at `path`, or none.
static std::optional<std::string> readLine(llvm::StringRef path,
                                           unsigned line) {
  auto file = llvm::MemoryBuffer::getFile(path, /*IsText=*/false,
                                          /*RequiresNullTerminator=*/false);
  if (!file)
    return std::nullopt;
  llvm::StringRef rest = (*file)->getBuffer();
  for (unsigned i = 1; i < line && !rest.empty(); ++i)
    rest = rest.split('\n').second;
  return rest.split('\n').first.rtrim('\r').str();
}

SpecDiagnosticHandler::SpecDiagnosticHandler(llvm::SourceMgr &sourceMgr,
                                             MLIRContext *ctx,
                                             llvm::raw_ostream &os)
    : SourceMgrDiagnosticHandler(sourceMgr, ctx, os), os(os) {
  // A diagnostic names what is wrong; it never dumps the IR it was found in.
  ctx->printOpOnDiagnostic(false);
  setHandler([this](Diagnostic &diag) {
    if (auto file = dyn_cast<FileLineColLoc>(diag.getLocation()))
      emitAtFile(diag, file);
    else
      emitDiagnostic(diag);
  });
}

static void printSeverity(llvm::raw_ostream &os, DiagnosticSeverity severity) {
  switch (severity) {
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
}

/// Prints `path: error: message`, or for a line of a text spec
/// `path:line:col: error: message` with the line and a caret; everything the
/// input supplied is escaped (no terminal control sequences get through).
void SpecDiagnosticHandler::emitAtFile(Diagnostic &diag, FileLineColLoc loc) {
  auto print = [&](Diagnostic &d) {
    auto at = dyn_cast<FileLineColLoc>(d.getLocation());
    if (!at)
      at = loc;
    printEscaped(os, at.getFilename().getValue());
    if (at.getLine() > 0)
      os << ":" << at.getLine() << ":" << at.getColumn();
    os << ": ";
    printSeverity(os, d.getSeverity());
    os << ": ";
    printEscaped(os, d.str(), /*keepNewlines=*/true);
    os << "\n";
    std::optional<std::string> line =
        at.getLine() > 0 ? readLine(at.getFilename().getValue(), at.getLine())
                         : std::nullopt;
    if (!line)
      return;
    std::string before, escaped;
    llvm::raw_string_ostream beforeOs(before), lineOs(escaped);
    llvm::StringRef text(*line);
    printEscaped(beforeOs, text.take_front(at.getColumn() ? at.getColumn() - 1
                                                          : 0));
    printEscaped(lineOs, text);
    os << escaped << "\n" << std::string(before.size(), ' ') << "^\n";
  };
  print(diag);
  for (Diagnostic &note : diag.getNotes())
    print(note);
  os.flush();
}
