//===- TargetDescription.cpp - what the generated code runs on ------------===//

#include "dwconv/Target/TargetDescription.h"

#include "mlir/IR/Diagnostics.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/MC/MCSubtargetInfo.h"
#include "llvm/MC/TargetRegistry.h"
#include "llvm/Support/TargetSelect.h"
#include "llvm/TargetParser/Host.h"
#include "llvm/TargetParser/Triple.h"

#include <memory>
#include <mutex>

using namespace mlir;
using namespace mlir::dwconv;

static void initializeTargets() {
  static std::once_flag once;
  std::call_once(once, [] {
    llvm::InitializeAllTargetInfos();
    llvm::InitializeAllTargets();
    llvm::InitializeAllTargetMCs();
    llvm::InitializeAllAsmPrinters();
  });
}

static std::string hostFeatures() {
  SmallVector<std::string> features;
  for (const auto &feature : llvm::sys::getHostCPUFeatures())
    features.push_back((feature.second ? "+" : "-") + feature.first().str());
  llvm::sort(features);
  return llvm::join(features, ",");
}

/// The widest float vector the subtarget has.
static unsigned vectorBitsOf(const llvm::Triple &triple,
                             const llvm::MCSubtargetInfo &subtarget) {
  if (triple.isX86()) {
    if (subtarget.checkFeatures("+avx512f"))
      return 512;
    if (subtarget.checkFeatures("+avx"))
      return 256;
  }
  return 128;
}

/// "; did you mean 'X'?" for the known processor closest to `cpu`, or "".
static std::string closestCPU(const llvm::MCSubtargetInfo &subtarget,
                              StringRef cpu) {
  StringRef best;
  unsigned bestDistance = ~0u;
  for (const llvm::SubtargetSubTypeKV &kv :
       subtarget.getAllProcessorDescriptions()) {
    unsigned distance = cpu.edit_distance(kv.Key, true, bestDistance);
    if (distance < bestDistance) {
      bestDistance = distance;
      best = kv.Key;
    }
  }
  if (best.empty() || bestDistance > std::max<size_t>(2, cpu.size() / 3))
    return " (--target-cpu=help lists them)";
  return ("; did you mean '" + best + "'? (--target-cpu=help lists them)")
      .str();
}

FailureOr<TargetDescription>
TargetDescription::resolve(const TargetOptions &options, Location loc) {
  initializeTargets();
  TargetDescription target;
  bool host = options.cpu.empty() && options.triple.empty();
  llvm::Triple triple(options.triple.empty()
                          ? llvm::sys::getDefaultTargetTriple()
                          : options.triple);
  std::string error;
  const llvm::Target *llvmTarget =
      llvm::TargetRegistry::lookupTarget(triple, error);
  if (!llvmTarget)
    return emitError(loc) << "unsupported target triple '" << triple.str()
                          << "': " << error;
  target.triple = triple.str();
  target.cpu = !options.cpu.empty() ? options.cpu
               : host               ? llvm::sys::getHostCPUName().str()
                                    : "generic";
  target.features = host ? hostFeatures() : "";
  // Checked on a generic subtarget first: LLVM prints a warning of its own
  // when asked for a processor it does not know.
  std::unique_ptr<llvm::MCSubtargetInfo> subtarget(
      llvmTarget->createMCSubtargetInfo(triple, "generic", ""));
  if (!subtarget)
    return emitError(loc) << "no subtarget for triple '" << target.triple
                          << "'";
  if (target.cpu == "help") {
    std::string list;
    for (const llvm::SubtargetSubTypeKV &kv :
         subtarget->getAllProcessorDescriptions())
      list += (list.empty() ? "" : ", ") + std::string(kv.Key);
    return emitError(loc) << "target CPUs for triple '" << target.triple
                          << "': " << list;
  }
  if (target.cpu != "generic" && !subtarget->isCPUStringValid(target.cpu))
    return emitError(loc) << "unknown target CPU '" << target.cpu
                          << "' for triple '" << target.triple << "'"
                          << closestCPU(*subtarget, target.cpu);
  subtarget.reset(
      llvmTarget->createMCSubtargetInfo(triple, target.cpu, target.features));
  if (options.optLevel > 3)
    return emitError(loc) << "optimization level " << options.optLevel
                          << " is out of range (expected 0-3)";
  target.vectorBits = vectorBitsOf(triple, *subtarget);
  bool arm64 = triple.isAArch64();
  target.vectorRegisters = target.vectorBits == 512 || arm64 ? 32 : 16;
  target.fma = arm64 || (triple.isX86() && subtarget->checkFeatures("+fma"));
  // Intel server CPUs prefer 256-bit vectors (a tuning flag), which would
  // split the strategy's 512-bit vectors in two.
  if (target.vectorBits == 512)
    target.features +=
        target.features.empty() ? "-prefer-256-bit" : ",-prefer-256-bit";
  target.optLevel = options.optLevel;
  return target;
}
