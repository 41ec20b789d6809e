//===- ObjectEmitter.cpp - LLVM dialect to object code --------------------===//

#include "dwconv/Target/ObjectEmitter.h"

#include "mlir/ExecutionEngine/OptUtils.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/Target/LLVMIR/Dialect/Builtin/BuiltinToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Dialect/LLVMIR/LLVMToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Export.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/IR/LegacyPassManager.h"
#include "llvm/IR/Module.h"
#include "llvm/MC/MCSubtargetInfo.h"
#include "llvm/MC/TargetRegistry.h"
#include "llvm/Support/TargetSelect.h"
#include "llvm/Target/TargetMachine.h"
#include "llvm/TargetParser/Host.h"

#include <mutex>

using namespace mlir;
using namespace mlir::dwconv;

void mlir::dwconv::registerTranslations(DialectRegistry &registry) {
  registerBuiltinDialectTranslation(registry);
  registerLLVMDialectTranslation(registry);
}

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
  return llvm::join(features, ",");
}

static FailureOr<std::unique_ptr<llvm::TargetMachine>>
createTargetMachine(ModuleOp module, const TargetOptions &options) {
  initializeTargets();
  llvm::Triple triple(options.triple.empty()
                          ? llvm::sys::getDefaultTargetTriple()
                          : options.triple);
  std::string error;
  const llvm::Target *target =
      llvm::TargetRegistry::lookupTarget(triple, error);
  if (!target)
    return module.emitError()
           << "unsupported target triple '" << triple.str() << "': " << error;
  bool host = options.cpu.empty() && options.triple.empty();
  std::string cpu = options.cpu.empty()
                        ? (host ? llvm::sys::getHostCPUName().str() : "generic")
                        : options.cpu;
  std::string features = host ? hostFeatures() : "";
  std::unique_ptr<llvm::MCSubtargetInfo> subtarget(
      target->createMCSubtargetInfo(triple, cpu, ""));
  if (!subtarget || (cpu != "generic" && !subtarget->isCPUStringValid(cpu)))
    return module.emitError() << "unknown target CPU '" << cpu
                              << "' for triple '" << triple.str() << "'";
  if (options.optLevel > 3)
    return module.emitError() << "optimization level " << options.optLevel
                              << " is out of range (expected 0-3)";
  auto level = static_cast<llvm::CodeGenOptLevel>(options.optLevel);
  std::unique_ptr<llvm::TargetMachine> machine(
      target->createTargetMachine(triple, cpu, features, llvm::TargetOptions(),
                                  llvm::Reloc::PIC_, std::nullopt, level));
  if (!machine)
    return module.emitError()
           << "cannot create a target machine for '" << triple.str() << "'";
  return machine;
}

LogicalResult mlir::dwconv::emitModule(ModuleOp module,
                                       const TargetOptions &options,
                                       OutputKind kind,
                                       llvm::raw_pwrite_stream &os) {
  FailureOr<std::unique_ptr<llvm::TargetMachine>> machine =
      createTargetMachine(module, options);
  if (failed(machine))
    return failure();
  llvm::LLVMContext llvmContext;
  std::unique_ptr<llvm::Module> llvmModule =
      translateModuleToLLVMIR(module, llvmContext);
  if (!llvmModule)
    return module.emitError() << "cannot translate the module to LLVM IR";
  llvmModule->setDataLayout((*machine)->createDataLayout());
  llvmModule->setTargetTriple((*machine)->getTargetTriple());
  auto optimize = makeOptimizingTransformer(options.optLevel,
                                            /*sizeLevel=*/0, machine->get());
  if (llvm::Error error = optimize(llvmModule.get()))
    return module.emitError()
           << "LLVM optimization failed: " << llvm::toString(std::move(error));
  if (kind == OutputKind::LLVMIR) {
    llvmModule->print(os, /*AAW=*/nullptr);
    return success();
  }
  llvm::legacy::PassManager codegen;
  auto fileType = kind == OutputKind::Assembly
                      ? llvm::CodeGenFileType::AssemblyFile
                      : llvm::CodeGenFileType::ObjectFile;
  if ((*machine)->addPassesToEmitFile(codegen, os, nullptr, fileType))
    return module.emitError() << "the target cannot emit this file type";
  codegen.run(*llvmModule);
  return success();
}
