//===- Identifiers.cpp - C identifiers for exported symbols ---------------===//

#include "dwconv/Support/Identifiers.h"

#include "llvm/ADT/StringExtras.h"

std::string mlir::dwconv::sanitizeIdentifier(llvm::StringRef name) {
  std::string id;
  for (char c : name)
    id.push_back(llvm::isAlnum(c) || c == '_' ? c : '_');
  if (id.empty() || llvm::isDigit(id.front()))
    id.insert(id.begin(), '_');
  return id;
}

bool mlir::dwconv::isReservedSymbolName(llvm::StringRef name) {
  return name == "layer";
}
