//===- DWConvCPUApproximateMath.cpp - exp on vectors without libm ---------===//
//
// The vector path applies the layer's activation to whole vectors; math.exp
// on a vector would otherwise be unrolled into one expf call per lane
// (MathToLibm), which costs more than the convolution itself for swish on a
// 5x5 layer. Upstream's polynomial approximation keeps it in registers.
//
//===----------------------------------------------------------------------===//

#include "dwconv/Codegen/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Math/Transforms/Passes.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"
#include "llvm/Support/Debug.h"

#define DEBUG_TYPE "dwconv-cpu-approximate-math"

namespace mlir {
namespace dwconv {
#define GEN_PASS_DEF_DWCONVCPUAPPROXIMATEMATHPASS
#include "dwconv/Codegen/Passes.h.inc"
} // namespace dwconv
} // namespace mlir

using namespace mlir;
using namespace mlir::dwconv;

namespace {
struct DWConvCPUApproximateMathPass
    : public dwconv::impl::DWConvCPUApproximateMathPassBase<
          DWConvCPUApproximateMathPass> {
  using DWConvCPUApproximateMathPassBase::DWConvCPUApproximateMathPassBase;

  void runOnOperation() override {
    SmallVector<Operation *> ops;
    getOperation().walk([&](math::ExpOp op) {
      auto type = dyn_cast<VectorType>(op.getType());
      if (type && type.getElementType().isF32())
        ops.push_back(op);
    });
    if (ops.empty())
      return;
    LLVM_DEBUG(llvm::dbgs() << ops.size() << " vector exp ops\n");
    RewritePatternSet patterns(&getContext());
    populateMathPolynomialApproximationPatterns(
        patterns, [](StringRef name) { return name == "math.exp"; });
    GreedyRewriteConfig config;
    config.setStrictness(GreedyRewriteStrictness::ExistingAndNewOps);
    if (failed(applyOpPatternsGreedily(ops, std::move(patterns), config)))
      return signalPassFailure();
    // The polynomial's fused multiply-adds: as vector.fma they become
    // llvm.fmuladd (one FMA instruction, or a multiply and an add where the
    // target has none); math.fma would go to libm's fmaf, lane by lane.
    getOperation().walk([](math::FmaOp op) {
      if (!isa<VectorType>(op.getType()))
        return;
      OpBuilder b(op);
      op.replaceAllUsesWith(
          vector::FMAOp::create(b, op.getLoc(), op.getA(), op.getB(), op.getC())
              .getResult());
      op.erase();
    });
    // The polynomial's floor: MathToLibm, which runs before MathToLLVM (for
    // erf, tanh, expm1...), would unroll it into one floorf call per lane.
    // The LLVM intrinsic is one instruction on the vector (vrndscaleps).
    getOperation().walk([](math::FloorOp op) {
      if (!isa<VectorType>(op.getType()))
        return;
      OpBuilder b(op);
      op.replaceAllUsesWith(
          LLVM::FFloorOp::create(b, op.getLoc(), op.getOperand()).getResult());
      op.erase();
    });
  }
};
} // namespace
