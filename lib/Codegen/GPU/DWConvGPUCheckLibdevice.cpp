//===- DWConvGPUCheckLibdevice.cpp - kernels that need libdevice ----------===//

#include "dwconv/Codegen/Passes.h"

#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "llvm/ADT/SmallPtrSet.h"
#include "llvm/Support/Debug.h"

#define DEBUG_TYPE "dwconv-gpu-check-libdevice"

namespace mlir {
namespace dwconv {
#define GEN_PASS_DEF_DWCONVGPUCHECKLIBDEVICEPASS
#include "dwconv/Codegen/Passes.h.inc"
} // namespace dwconv
} // namespace mlir

using namespace mlir;
using namespace mlir::dwconv;

namespace {

/// The layer a kernel `dwconv_<layer>_kernel` computes.
StringRef layerOf(StringRef kernel) {
  kernel.consume_front("dwconv_");
  kernel.consume_back("_kernel");
  return kernel;
}

struct DWConvGPUCheckLibdevicePass
    : public dwconv::impl::DWConvGPUCheckLibdevicePassBase<
          DWConvGPUCheckLibdevicePass> {
  using DWConvGPUCheckLibdevicePassBase::DWConvGPUCheckLibdevicePassBase;

  void runOnOperation() override {
    if (available)
      return;
    bool failedAny = false;
    llvm::SmallPtrSet<Operation *, 4> reported;
    getOperation().walk([&](LLVM::CallOp call) {
      std::optional<StringRef> callee = call.getCallee();
      auto kernel = call->getParentOfType<LLVM::LLVMFuncOp>();
      if (!callee || !callee->starts_with("__nv_") || !kernel ||
          !call->getParentOfType<gpu::GPUModuleOp>() ||
          !reported.insert(kernel).second)
        return WalkResult::advance();
      kernel.emitError() << "layer '" << layerOf(kernel.getName())
                         << "': its activation calls " << *callee
                         << " from CUDA's libdevice, which was not found; "
                            "give the CUDA toolkit with --cuda-path";
      failedAny = true;
      return WalkResult::skip();
    });
    if (failedAny)
      signalPassFailure();
  }
};

} // namespace
