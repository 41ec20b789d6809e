//===- ConvertDWConvToLinalg.cpp - the convert-dwconv-to-linalg pass ------===//

#include "dwconv/Conversion/DWConvToLinalg/DWConvToLinalg.h"
#include "dwconv/Conversion/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Transforms/DialectConversion.h"

#define DEBUG_TYPE "convert-dwconv-to-linalg"

namespace mlir {
namespace dwconv {
#define GEN_PASS_DEF_CONVERTDWCONVTOLINALGPASS
#include "dwconv/Conversion/Passes.h.inc"
} // namespace dwconv
} // namespace mlir

using namespace mlir;
using namespace mlir::dwconv;

namespace {
struct ConvertDWConvToLinalgPass
    : public dwconv::impl::ConvertDWConvToLinalgPassBase<
          ConvertDWConvToLinalgPass> {
  using ConvertDWConvToLinalgPassBase::ConvertDWConvToLinalgPassBase;

  void runOnOperation() override {
    MLIRContext *ctx = &getContext();
    ConversionTarget target(*ctx);
    target.addIllegalOp<DepthwiseConv2DOp>();
    target.addLegalDialect<arith::ArithDialect, linalg::LinalgDialect,
                           math::MathDialect, tensor::TensorDialect>();
    target.markUnknownOpDynamicallyLegal([](Operation *) { return true; });
    RewritePatternSet patterns(ctx);
    populateDWConvToLinalgPatterns(patterns);
    if (failed(applyPartialConversion(getOperation(), target,
                                      std::move(patterns))))
      signalPassFailure();
  }
};
} // namespace
