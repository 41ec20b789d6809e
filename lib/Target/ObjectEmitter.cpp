//===- ObjectEmitter.cpp - LLVM dialect to object code --------------------===//
//
// Each unit (one layer's module, as the compiler splits them) is translated
// to LLVM IR and optimized in an LLVM context of its own (the compiler does
// this for the layers in parallel). For an ELF object, each unit is also
// compiled to an object there, and the objects are joined in order
// (ObjectJoiner.h); otherwise, and for LLVM IR and assembly, the optimized
// units are linked in order into one module, compiled once. The output is
// the same whatever the thread count: each unit is compiled alone and the
// order is the units'.
//
//===----------------------------------------------------------------------===//

#include "dwconv/Target/ObjectEmitter.h"
#include "dwconv/Target/ObjectJoiner.h"

#include "mlir/IR/DialectRegistry.h"
#include "mlir/Target/LLVMIR/Dialect/Builtin/BuiltinToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Dialect/LLVMIR/LLVMToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Export.h"
#include "llvm/Bitcode/BitcodeReader.h"
#include "llvm/Bitcode/BitcodeWriter.h"
#include "llvm/IR/LegacyPassManager.h"
#include "llvm/IR/Module.h"
#include "llvm/IR/OptBisect.h"
#include "llvm/Linker/Linker.h"
#include "llvm/MC/TargetRegistry.h"
#include "llvm/Passes/PassBuilder.h"
#include "llvm/Target/TargetMachine.h"

#define DEBUG_TYPE "dwconv-object-emitter"

using namespace mlir;
using namespace mlir::dwconv;

void mlir::dwconv::registerTranslations(DialectRegistry &registry) {
  registerBuiltinDialectTranslation(registry);
  registerLLVMDialectTranslation(registry);
}

FailureOr<std::unique_ptr<llvm::TargetMachine>>
mlir::dwconv::createTargetMachine(ModuleOp module,
                                  const TargetDescription &target) {
  llvm::Triple triple(target.triple);
  std::string error;
  const llvm::Target *llvmTarget =
      llvm::TargetRegistry::lookupTarget(triple, error);
  if (!llvmTarget)
    return module.emitError()
           << "unsupported target triple '" << target.triple << "': " << error;
  auto level = static_cast<llvm::CodeGenOptLevel>(target.optLevel);
  std::unique_ptr<llvm::TargetMachine> machine(llvmTarget->createTargetMachine(
      triple, target.cpu, target.features, llvm::TargetOptions(),
      llvm::Reloc::PIC_, std::nullopt, level));
  if (!machine)
    return module.emitError()
           << "cannot create a target machine for '" << target.triple << "'";
  return machine;
}

/// What vector code still needs from LLVM: the kernel inlined into its
/// entry point, the memref descriptors split into scalars, the address
/// arithmetic folded and shared, loop invariants hoisted, the CFG cleaned,
/// calls in tail position marked (the entry point jumps to the runtime).
/// The default pipeline's loop passes (induction variable rewriting, idiom
/// recognition, unrolling, vectorizers) find nothing to improve in code the
/// strategy has vectorized and unrolled already, and cost three quarters of
/// its time. (A textual `instcombine` checks that it reached a fixpoint and
/// aborts otherwise, a check meant for LLVM's tests; the default pipelines do
/// not make it, nor does this one.)
static constexpr llvm::StringLiteral kVectorCodePipeline =
    "function(sroa,early-cse,instcombine<no-verify-fixpoint>,simplifycfg),"
    "cgscc(inline),function(sroa,early-cse<memssa>,"
    "instcombine<no-verify-fixpoint>,simplifycfg,loop-mssa(licm),gvn,"
    "instcombine<no-verify-fixpoint>,simplifycfg,dse,adce,tailcallelim),"
    "globaldce";

/// LLVM's default pipeline at the target's level, or the vector code's.
static LogicalResult optimize(llvm::Module &module,
                              llvm::TargetMachine &machine, unsigned optLevel,
                              bool defaultPipeline) {
  if (optLevel == 0)
    return success();
  llvm::LoopAnalysisManager lam;
  llvm::FunctionAnalysisManager fam;
  llvm::CGSCCAnalysisManager cgam;
  llvm::ModuleAnalysisManager mam;
  llvm::PassBuilder builder(&machine);
  builder.registerModuleAnalyses(mam);
  builder.registerCGSCCAnalyses(cgam);
  builder.registerFunctionAnalyses(fam);
  builder.registerLoopAnalyses(lam);
  builder.crossRegisterProxies(lam, fam, cgam, mam);
  llvm::ModulePassManager passes;
  if (defaultPipeline) {
    llvm::OptimizationLevel level = optLevel == 1 ? llvm::OptimizationLevel::O1
                                    : optLevel == 2
                                        ? llvm::OptimizationLevel::O2
                                        : llvm::OptimizationLevel::O3;
    passes = builder.buildPerModuleDefaultPipeline(level);
  } else if (llvm::Error error =
                 builder.parsePassPipeline(passes, kVectorCodePipeline)) {
    llvm::consumeError(std::move(error));
    return failure();
  }
  passes.run(module, mam);
  return success();
}

namespace {
/// Declines LLVM's loop strength reduction in code generation and lets every
/// other pass run. LLVM offers no per-module switch for the pass but its
/// command-line option; a pass gate of the code generation's own context
/// says it for this compilation alone. (The gate is told the loop, not its
/// function, so the choice is made for the linked module as a whole.)
class NoStrengthReductionGate : public llvm::OptPassGate {
public:
  bool isEnabled() const override { return true; }
  bool shouldRunPass(StringRef pass, StringRef) const override {
    return pass != "Loop Strength Reduction";
  }
};
} // namespace

UnitCode mlir::dwconv::getUnitCode(const TargetDescription &target,
                                   OutputKind kind) {
  return kind == OutputKind::Object &&
                 canJoinObjects(llvm::Triple(target.triple))
             ? UnitCode::Object
             : UnitCode::Bitcode;
}

/// Writes `module` as a relocatable object for `machine`.
static LogicalResult generateObject(llvm::Module &module,
                                    llvm::TargetMachine &machine,
                                    llvm::raw_pwrite_stream &os, ModuleOp loc) {
  llvm::legacy::PassManager codegen;
  if (machine.addPassesToEmitFile(codegen, os, nullptr,
                                  llvm::CodeGenFileType::ObjectFile))
    return loc.emitError() << "the target cannot emit an object file";
  codegen.run(module);
  return success();
}

/// A unit's optimized module, read from its bitcode into `context`.
static FailureOr<std::unique_ptr<llvm::Module>>
readBack(StringRef bitcode, llvm::LLVMContext &context, ModuleOp unit) {
  llvm::Expected<std::unique_ptr<llvm::Module>> parsed =
      llvm::parseBitcodeFile(llvm::MemoryBufferRef(bitcode, "unit"), context);
  if (!parsed)
    return unit.emitError() << "cannot read back the optimized module: "
                            << llvm::toString(parsed.takeError());
  return std::move(*parsed);
}

bool mlir::dwconv::needsStrengthReduction(ArrayRef<EmitUnit> units) {
  return llvm::any_of(
      units, [](const EmitUnit &unit) { return unit.strengthReduction; });
}

LogicalResult mlir::dwconv::compileUnit(EmitUnit unit,
                                        const TargetDescription &target,
                                        UnitCode code, bool strengthReduction,
                                        SmallVectorImpl<char> &out) {
  FailureOr<std::unique_ptr<llvm::TargetMachine>> machine =
      createTargetMachine(unit.module, target);
  if (failed(machine))
    return failure();
  NoStrengthReductionGate gate;
  llvm::LLVMContext llvmContext;
  std::unique_ptr<llvm::Module> llvmModule =
      translateModuleToLLVMIR(unit.module, llvmContext);
  if (!llvmModule)
    return unit.module.emitError() << "cannot translate the module to LLVM IR";
  llvmModule->setDataLayout((*machine)->createDataLayout());
  llvmModule->setTargetTriple((*machine)->getTargetTriple());
  if (failed(optimize(*llvmModule, **machine, target.optLevel,
                      unit.defaultPipeline)))
    return unit.module.emitError() << "cannot build LLVM's pass pipeline";
  llvm::raw_svector_ostream os(out);
  if (code == UnitCode::Bitcode) {
    llvm::WriteBitcodeToFile(*llvmModule, os);
    return success();
  }
  // Code generation reads the module back from bitcode, as for the linked
  // module of --emit=asm: the in-memory module's use lists would steer some
  // of its choices (registers of the loop path) differently, and the object
  // is the assembly's, instruction for instruction.
  SmallString<0> bitcode;
  llvm::raw_svector_ostream bitcodeStream(bitcode);
  llvm::WriteBitcodeToFile(*llvmModule, bitcodeStream);
  llvm::LLVMContext codegenContext;
  FailureOr<std::unique_ptr<llvm::Module>> parsed =
      readBack(bitcode, codegenContext, unit.module);
  if (failed(parsed))
    return failure();
  // Only code generation consults the gate.
  if (!strengthReduction)
    codegenContext.setOptPassGate(gate);
  return generateObject(**parsed, **machine, os, unit.module);
}

/// The units' optimized modules linked, in order, into one of `context`.
static FailureOr<std::unique_ptr<llvm::Module>>
link(ArrayRef<EmitUnit> units, ArrayRef<SmallString<0>> bitcode,
     llvm::LLVMContext &context) {
  std::unique_ptr<llvm::Module> linked;
  for (auto [unit, code] : llvm::zip_equal(units, bitcode)) {
    ModuleOp module = unit.module;
    FailureOr<std::unique_ptr<llvm::Module>> parsed =
        readBack(code, context, module);
    if (failed(parsed))
      return failure();
    if (!linked)
      linked = std::move(*parsed);
    else if (llvm::Linker::linkModules(*linked, std::move(*parsed)))
      return module.emitError()
             << "cannot link the layer's code with the others";
  }
  return linked;
}

/// A private NUL-terminated string constant.
static llvm::Constant *stringConstant(llvm::Module &module, StringRef text,
                                      const Twine &name) {
  llvm::Constant *data =
      llvm::ConstantDataArray::getString(module.getContext(), text);
  return new llvm::GlobalVariable(module, data->getType(), /*isConstant=*/true,
                                  llvm::GlobalValue::PrivateLinkage, data,
                                  name);
}

/// A layer's metadata and call function in `module`: its definitions, or
/// with `declare`, declarations (the table's own object refers to the
/// layers' objects).
static std::pair<llvm::Constant *, llvm::Constant *>
getEntryPoints(llvm::Module &module, StringRef base, bool declare) {
  std::string metadataName = (base + "_metadata").str();
  std::string callName = (base + "_call").str();
  if (!declare)
    return {module.getNamedGlobal(metadataName), module.getFunction(callName)};
  llvm::LLVMContext &context = module.getContext();
  auto *metadata = new llvm::GlobalVariable(
      module, llvm::Type::getInt8Ty(context), /*isConstant=*/true,
      llvm::GlobalValue::ExternalLinkage, nullptr, metadataName);
  auto *callType = llvm::FunctionType::get(llvm::Type::getVoidTy(context),
                                           /*isVarArg=*/false);
  auto *call = llvm::Function::Create(
      callType, llvm::GlobalValue::ExternalLinkage, callName, module);
  return {metadata, call};
}

/// Adds `table` to `module`: the linked module of all layers, or with
/// `declare`, a module of the table alone.
static LogicalResult addLayerTable(llvm::Module &module,
                                   const LayerTable &table, ModuleOp loc,
                                   bool declare = false) {
  llvm::LLVMContext &context = module.getContext();
  auto *ptr = llvm::PointerType::get(context, 0);
  auto *entryType = llvm::StructType::get(context, {ptr, ptr, ptr, ptr});
  std::vector<llvm::Constant *> entries;
  for (const auto &[kerasName, symbol] : table.layers) {
    std::string base = "dwconv_" + symbol;
    auto [metadata, call] = getEntryPoints(module, base, declare);
    if (!metadata || !call)
      return loc.emitError()
             << "layer table: no entry points for '" << symbol << "'";
    entries.push_back(llvm::ConstantStruct::get(
        entryType,
        {stringConstant(module, kerasName, base + "_table_keras_name"),
         stringConstant(module, symbol, base + "_table_symbol"), metadata,
         call}));
  }
  // An all-NULL entry ends the table, for callers without the header.
  entries.push_back(llvm::ConstantAggregateZero::get(entryType));
  auto *arrayType = llvm::ArrayType::get(entryType, entries.size());
  auto *global = new llvm::GlobalVariable(
      module, arrayType, /*isConstant=*/true,
      llvm::GlobalValue::ExternalLinkage,
      llvm::ConstantArray::get(arrayType, entries), table.symbol);
  global->setAlignment(llvm::Align(8));
  if (!table.alias.empty() && table.alias != table.symbol)
    llvm::GlobalAlias::create(table.alias, global);
  return success();
}

LogicalResult mlir::dwconv::emitBitcode(ArrayRef<EmitUnit> units,
                                        ArrayRef<SmallString<0>> bitcode,
                                        const TargetDescription &target,
                                        OutputKind kind,
                                        llvm::raw_pwrite_stream &os,
                                        const LayerTable *table) {
  assert(!units.empty() && "nothing to emit");
  ModuleOp first = units.front().module;
  NoStrengthReductionGate gate;
  llvm::LLVMContext llvmContext;
  if (!needsStrengthReduction(units))
    llvmContext.setOptPassGate(gate);
  FailureOr<std::unique_ptr<llvm::Module>> linked =
      link(units, bitcode, llvmContext);
  if (failed(linked) ||
      (table && failed(addLayerTable(**linked, *table, first))))
    return failure();
  if (kind == OutputKind::LLVMIR) {
    (*linked)->print(os, /*AAW=*/nullptr);
    return success();
  }
  FailureOr<std::unique_ptr<llvm::TargetMachine>> machine =
      createTargetMachine(first, target);
  if (failed(machine))
    return failure();
  llvm::legacy::PassManager codegen;
  auto fileType = kind == OutputKind::Assembly
                      ? llvm::CodeGenFileType::AssemblyFile
                      : llvm::CodeGenFileType::ObjectFile;
  if ((*machine)->addPassesToEmitFile(codegen, os, nullptr, fileType))
    return first.emitError() << "the target cannot emit this file type";
  codegen.run(**linked);
  return success();
}

/// The layer table alone, as an object, after checking that the units
/// define every layer's entry points.
static LogicalResult compileLayerTable(ArrayRef<EmitUnit> units,
                                       const LayerTable &table,
                                       const TargetDescription &target,
                                       SmallVectorImpl<char> &object) {
  ModuleOp first = units.front().module;
  for (const auto &entry : table.layers) {
    std::string base = "dwconv_" + entry.second;
    if (llvm::none_of(units, [&](const EmitUnit &unit) {
          ModuleOp module = unit.module;
          return module.lookupSymbol(base + "_metadata") &&
                 module.lookupSymbol(base + "_call");
        }))
      return first.emitError()
             << "layer table: no entry points for '" << entry.second << "'";
  }
  FailureOr<std::unique_ptr<llvm::TargetMachine>> machine =
      createTargetMachine(first, target);
  if (failed(machine))
    return failure();
  llvm::LLVMContext context;
  llvm::Module module("dwconv_layer_table", context);
  module.setDataLayout((*machine)->createDataLayout());
  module.setTargetTriple((*machine)->getTargetTriple());
  if (failed(addLayerTable(module, table, first, /*declare=*/true)))
    return failure();
  llvm::raw_svector_ostream os(object);
  return generateObject(module, **machine, os, first);
}

LogicalResult mlir::dwconv::emitObjects(ArrayRef<EmitUnit> units,
                                        ArrayRef<SmallString<0>> objects,
                                        const TargetDescription &target,
                                        llvm::raw_pwrite_stream &os,
                                        const LayerTable *table) {
  assert(!units.empty() && "nothing to emit");
  SmallString<0> tableObject;
  if (table && failed(compileLayerTable(units, *table, target, tableObject)))
    return failure();
  SmallVector<StringRef> inputs = llvm::map_to_vector(
      objects, [](const SmallString<0> &object) { return object.str(); });
  if (table)
    inputs.push_back(tableObject.str());
  llvm::Expected<std::string> joined = joinObjects(inputs);
  if (!joined) {
    ModuleOp first = units.front().module;
    return first.emitError() << llvm::toString(joined.takeError());
  }
  os << *joined;
  return success();
}
