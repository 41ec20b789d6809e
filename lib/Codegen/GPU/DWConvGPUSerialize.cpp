//===- DWConvGPUSerialize.cpp - GPU modules to PTX and cubins -------------===//
//
// Upstream's gpu-module-to-binary makes one format per run. An object for
// the runtime wants the PTX of every architecture (the driver compiles it for
// newer devices) and, where the toolkit's ptxas is installed, a cubin for
// each too (no compilation at load time): this pass serializes each target
// of each GPU module in both formats through the same NVVM target interface
// and collects them in one gpu.binary.
//
//===----------------------------------------------------------------------===//

#include "dwconv/Codegen/Passes.h"

#include "mlir/Dialect/GPU/IR/CompilationInterfaces.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/IR/SymbolTable.h"
#include "llvm/Support/Debug.h"

#define DEBUG_TYPE "dwconv-gpu-serialize"

namespace mlir {
namespace dwconv {
#define GEN_PASS_DEF_DWCONVGPUSERIALIZEPASS
#include "dwconv/Codegen/Passes.h.inc"
} // namespace dwconv
} // namespace mlir

using namespace mlir;
using namespace mlir::dwconv;

namespace {

struct DWConvGPUSerializePass
    : public dwconv::impl::DWConvGPUSerializePassBase<DWConvGPUSerializePass> {
  using DWConvGPUSerializePassBase::DWConvGPUSerializePassBase;

  /// The objects of `module`: for each target, PTX, then a cubin.
  FailureOr<SmallVector<Attribute>> serialize(gpu::GPUModuleOp module,
                                              SymbolTable &symbols) {
    SmallVector<gpu::CompilationTarget> formats = {
        gpu::CompilationTarget::Assembly};
    if (cubin)
      formats.push_back(gpu::CompilationTarget::Binary);
    SmallVector<Attribute> objects;
    for (Attribute attr : module.getTargetsAttr()) {
      auto target = dyn_cast<gpu::TargetAttrInterface>(attr);
      if (!target)
        return module.emitError() << "not a GPU target: " << attr;
      for (gpu::CompilationTarget format : formats) {
        gpu::TargetOptions options(toolkit, {}, "", "", format,
                                   [&]() { return &symbols; });
        std::optional<SmallVector<char, 0>> bytes =
            target.serializeToObject(module, options);
        if (!bytes)
          return module.emitError()
                 << "the GPU kernels cannot be compiled to "
                 << (format == gpu::CompilationTarget::Assembly ? "PTX"
                                                                : "a cubin")
                 << " for " << attr;
        objects.push_back(target.createObject(module, *bytes, options));
      }
    }
    return objects;
  }

  void runOnOperation() override {
    ModuleOp root = getOperation();
    SymbolTable symbols(root);
    for (auto module :
         llvm::to_vector(root.getBody()->getOps<gpu::GPUModuleOp>())) {
      FailureOr<SmallVector<Attribute>> objects = serialize(module, symbols);
      if (failed(objects))
        return signalPassFailure();
      OpBuilder b(module);
      gpu::BinaryOp::create(b, module.getLoc(), module.getName(), Attribute(),
                            *objects);
      LLVM_DEBUG(llvm::dbgs() << "@" << module.getName() << ": "
                              << objects->size() << " objects\n");
      module.erase();
    }
  }
};

} // namespace
