//===- TargetDescription.h - what the generated code runs on ----*- C++ -*-===//
//
// The target a compilation is for, resolved once from the user's options
// (host by default) and handed to the pipelines and their heuristics (which
// see the vector width) as well as to object emission (which builds the LLVM
// TargetMachine from it).
//
//===----------------------------------------------------------------------===//

#ifndef DWCONV_TARGET_TARGETDESCRIPTION_H
#define DWCONV_TARGET_TARGETDESCRIPTION_H

#include "mlir/IR/Location.h"
#include "mlir/Support/LLVM.h"

#include <string>

namespace mlir {
namespace dwconv {

/// What the user asks for.
struct TargetOptions {
  /// Target triple; empty means the host's.
  std::string triple;
  /// Target CPU (e.g. "znver4", "x86-64-v3"); empty means the host's, with
  /// its features. "generic" is the baseline of the triple.
  std::string cpu;
  /// LLVM optimization level, 0-3.
  unsigned optLevel = 3;
};

/// What the target is, resolved.
struct TargetDescription {
  std::string triple;
  std::string cpu;
  /// LLVM feature string ("+avx2,+fma,..."); the host's features for the host.
  std::string features;
  /// Width of the widest floating-point vector registers, in bits (512 with
  /// AVX-512F, 256 with AVX, 128 for SSE and NEON).
  unsigned vectorBits = 128;
  /// Number of those registers.
  unsigned vectorRegisters = 16;
  /// Whether the target has fused multiply-add instructions (FMA3, NEON).
  bool fma = false;
  unsigned optLevel = 3;

  /// Resolves `options`; errors go to `loc`.
  static FailureOr<TargetDescription> resolve(const TargetOptions &options,
                                              Location loc);
};

} // namespace dwconv
} // namespace mlir

#endif // DWCONV_TARGET_TARGETDESCRIPTION_H
