//===- DWConvMemRefCopyToLinalg.cpp - strided memref.copy to linalg -------===//

#include "dwconv/Transforms/Passes.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

#define DEBUG_TYPE "dwconv-memref-copy-to-linalg"

namespace mlir {
namespace dwconv {
#define GEN_PASS_DEF_DWCONVMEMREFCOPYTOLINALGPASS
#include "dwconv/Transforms/Passes.h.inc"
} // namespace dwconv
} // namespace mlir

using namespace mlir;

namespace {
struct StridedCopyToLinalg : public OpRewritePattern<memref::CopyOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(memref::CopyOp copy,
                                PatternRewriter &rewriter) const override {
    auto isIdentity = [](Value v) {
      auto type = dyn_cast<MemRefType>(v.getType());
      return type && type.getLayout().isIdentity();
    };
    if (isIdentity(copy.getSource()) && isIdentity(copy.getTarget()))
      return rewriter.notifyMatchFailure(copy, "contiguous: stays a memcpy");
    rewriter.replaceOpWithNewOp<linalg::CopyOp>(copy, copy.getSource(),
                                                copy.getTarget());
    return success();
  }
};

struct DWConvMemRefCopyToLinalgPass
    : public dwconv::impl::DWConvMemRefCopyToLinalgPassBase<
          DWConvMemRefCopyToLinalgPass> {
  using DWConvMemRefCopyToLinalgPassBase::DWConvMemRefCopyToLinalgPassBase;

  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    patterns.add<StridedCopyToLinalg>(&getContext());
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      signalPassFailure();
  }
};
} // namespace
