//===- DWConvOpTest.cpp - C++ API of dwconv.depthwise_conv2d --------------===//
//
// What a frontend relies on when it builds the op from C++: the shape helper,
// type-inferring builders, inference failures as diagnostics (not crashes),
// and reification of dynamic result dims.
//
//===----------------------------------------------------------------------===//

#include "dwconv/Dialect/DWConv/IR/DWConv.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/Verifier.h"

#include "gtest/gtest.h"

using namespace mlir;
using namespace mlir::dwconv;

namespace {

TEST(ComputeOutputSize, SameIsCeilOfInputOverStride) {
  EXPECT_EQ(computeOutputSize(224, 3, 2, 1, Padding::same), 112);
  EXPECT_EQ(computeOutputSize(225, 3, 2, 1, Padding::same), 113);
  EXPECT_EQ(computeOutputSize(7, 5, 3, 1, Padding::same), 3);
  // The kernel size and dilation do not matter for 'same'.
  EXPECT_EQ(computeOutputSize(1, 7, 1, 3, Padding::same), 1);
}

TEST(ComputeOutputSize, ValidSubtractsTheDilatedKernel) {
  EXPECT_EQ(computeOutputSize(224, 3, 2, 1, Padding::valid), 111);
  EXPECT_EQ(computeOutputSize(13, 3, 1, 2, Padding::valid), 9);
  EXPECT_EQ(computeOutputSize(20, 7, 1, 3, Padding::valid), 2);
  EXPECT_EQ(computeOutputSize(19, 7, 1, 3, Padding::valid), 1);
}

TEST(ComputeOutputSize, EmptyOutputIsZero) {
  EXPECT_EQ(computeOutputSize(18, 7, 1, 3, Padding::valid), 0);
  EXPECT_EQ(computeOutputSize(2, 5, 3, 1, Padding::valid), 0);
  // Explicit pads are added before the 'valid' rule.
  EXPECT_EQ(computeOutputSize(8, 3, 1, 1, Padding::explicit_pads, 1, 2), 9);
  EXPECT_EQ(computeOutputSize(9, 3, 2, 1, Padding::explicit_pads, 0, 3), 5);
  EXPECT_EQ(computeOutputSize(1, 5, 1, 1, Padding::explicit_pads, 1, 1), 0);
  // Sizes that do not fit in int64 are none, never wrapped.
  EXPECT_EQ(computeOutputSize(8, 3, 1, INT64_MAX, Padding::same), std::nullopt);
  EXPECT_EQ(computeOutputSize(8, 2, 1, INT64_MAX, Padding::valid),
            std::nullopt);
  EXPECT_EQ(computeOutputSize(8, 3, 1, 1, Padding::explicit_pads, INT64_MAX, 1),
            std::nullopt);
  EXPECT_EQ(computeOutputSize(0, 1, 1, 1, Padding::same), 0);
}

TEST(ElementTypes, OnlyF32IsSupported) {
  MLIRContext ctx;
  Builder b(&ctx);
  EXPECT_TRUE(isSupportedElementType(b.getF32Type()));
  EXPECT_FALSE(isSupportedElementType(b.getF16Type()));
  EXPECT_FALSE(isSupportedElementType(b.getBF16Type()));
  EXPECT_FALSE(isSupportedElementType(b.getI8Type()));
  EXPECT_EQ(getSupportedElementTypesDescription(), "f32");
}

TEST(Enums, EveryActivationRoundTripsThroughItsName) {
  for (uint32_t i = 0; i <= getMaxEnumValForActivation(); ++i) {
    auto activation = static_cast<Activation>(i);
    std::optional<Activation> parsed =
        symbolizeActivation(stringifyActivation(activation));
    ASSERT_TRUE(parsed.has_value()) << i;
    EXPECT_EQ(*parsed, activation);
  }
  EXPECT_EQ(getMaxEnumValForActivation(), 29u);
  EXPECT_FALSE(symbolizePadding("causal").has_value());
}

TEST(Layout, DimensionPositions) {
  TensorLayout last = TensorLayout::get(DataFormat::channels_last);
  EXPECT_EQ(last.batch, 0u);
  EXPECT_EQ(last.height, 1u);
  EXPECT_EQ(last.width, 2u);
  EXPECT_EQ(last.channels, 3u);
  TensorLayout first = TensorLayout::get(DataFormat::channels_first);
  EXPECT_EQ(first.channels, 1u);
  EXPECT_EQ(first.height, 2u);
  EXPECT_EQ(first.width, 3u);
}

/// A function whose arguments have the given types, to build ops on.
class DWConvOpTest : public ::testing::Test {
protected:
  DWConvOpTest() : builder(&ctx) {
    ctx.loadDialect<DWConvDialect, func::FuncDialect>();
    module = ModuleOp::create(builder.getUnknownLoc());
  }

  RankedTensorType tensor(ArrayRef<int64_t> shape) {
    return RankedTensorType::get(shape, builder.getF32Type());
  }

  SmallVector<Value> arguments(ArrayRef<Type> types) {
    builder.setInsertionPointToEnd(module->getBody());
    auto func = func::FuncOp::create(builder, builder.getUnknownLoc(), "f",
                                     builder.getFunctionType(types, {}));
    Block *body = func.addEntryBlock();
    builder.setInsertionPointToEnd(body);
    return SmallVector<Value>(body->getArguments());
  }

  MLIRContext ctx;
  OpBuilder builder;
  OwningOpRef<ModuleOp> module;
};

TEST_F(DWConvOpTest, BuilderInfersTheResultType) {
  SmallVector<Value> args =
      arguments({tensor({2, 13, 14, 4}), tensor({3, 5, 4, 2}), tensor({8})});
  auto op = DepthwiseConv2DOp::create(
      builder, builder.getUnknownLoc(), args[0], args[1], args[2],
      /*strides=*/{2, 3}, /*dilation_rate=*/{1, 1}, Padding::same,
      DataFormat::channels_last, Activation::relu6, /*pads=*/nullptr,
      /*negative_slope=*/nullptr, /*max_value=*/nullptr, /*threshold=*/nullptr);
  EXPECT_EQ(op.getType(), tensor({2, 7, 5, 8}));
  EXPECT_TRUE(succeeded(verify(op)));
}

TEST_F(DWConvOpTest, BuilderInfersChannelsFirst) {
  SmallVector<Value> args = arguments(
      {tensor({ShapedType::kDynamic, 3, 9, 7}), tensor({2, 3, 3, 2})});
  auto op = DepthwiseConv2DOp::create(
      builder, builder.getUnknownLoc(), args[0], args[1], Value(),
      /*strides=*/{2, 3}, /*dilation_rate=*/{1, 1}, Padding::same,
      DataFormat::channels_first, Activation::linear, /*pads=*/nullptr,
      /*negative_slope=*/nullptr, /*max_value=*/nullptr, /*threshold=*/nullptr);
  EXPECT_EQ(op.getType(), tensor({ShapedType::kDynamic, 6, 5, 3}));
}

TEST_F(DWConvOpTest, InferenceFailureIsADiagnostic) {
  SmallVector<Value> args =
      arguments({tensor({1, 8, 8, 4}), tensor({3, 3, 5, 1})});
  std::string message;
  ScopedDiagnosticHandler handler(&ctx, [&](Diagnostic &diag) {
    message = diag.str();
    return success();
  });
  DepthwiseConv2DOp::Properties props;
  props.strides = builder.getDenseI64ArrayAttr({1, 1});
  props.dilation_rate = builder.getDenseI64ArrayAttr({1, 1});
  SmallVector<Type> types;
  DepthwiseConv2DOp::Adaptor adaptor(args, DictionaryAttr(), props);
  EXPECT_TRUE(failed(DepthwiseConv2DOp::inferReturnTypes(
      &ctx, builder.getUnknownLoc(), adaptor, types)));
  EXPECT_TRUE(types.empty());
  EXPECT_EQ(message,
            "'dwconv.depthwise_conv2d' op 'depthwise_kernel' has 5 channels "
            "(dim 2 of (kh, kw, C, M)) but 'input' has 4 (dim 3 of "
            "(N, H, W, C))");
}

TEST_F(DWConvOpTest, InferenceTakesKerasDefaultsForMissingAttributes) {
  SmallVector<Value> args =
      arguments({tensor({1, 8, 8, 4}), tensor({3, 3, 4, 1})});
  DepthwiseConv2DOp::Properties props;
  SmallVector<Type> types;
  DepthwiseConv2DOp::Adaptor adaptor(args, DictionaryAttr(), props);
  ASSERT_TRUE(succeeded(DepthwiseConv2DOp::inferReturnTypes(
      &ctx, builder.getUnknownLoc(), adaptor, types)));
  EXPECT_EQ(types.front(), tensor({1, 6, 6, 4}));
}

TEST_F(DWConvOpTest, ReifiesStaticDimsAsAttributesDynamicOnesAsValues) {
  int64_t dyn = ShapedType::kDynamic;
  SmallVector<Value> args =
      arguments({tensor({dyn, 13, dyn, 4}), tensor({3, 3, 4, 2})});
  auto op = DepthwiseConv2DOp::create(
      builder, builder.getUnknownLoc(), args[0], args[1], Value(),
      /*strides=*/{2, 2}, {1, 1}, Padding::valid, DataFormat::channels_last,
      Activation::linear, /*pads=*/nullptr, /*negative_slope=*/nullptr,
      /*max_value=*/nullptr, /*threshold=*/nullptr);
  ASSERT_EQ(op.getType(), tensor({dyn, 6, dyn, 8}));
  ReifiedRankedShapedTypeDims shapes;
  ASSERT_TRUE(succeeded(op.reifyResultShapes(builder, shapes)));
  ASSERT_EQ(shapes.size(), 1u);
  ASSERT_EQ(shapes[0].size(), 4u);
  EXPECT_TRUE(isa<Value>(shapes[0][0]));
  EXPECT_EQ(getConstantIntValue(shapes[0][1]), 6);
  EXPECT_TRUE(isa<Value>(shapes[0][2]));
  EXPECT_EQ(getConstantIntValue(shapes[0][3]), 8);
  // The width is ceildivsi(dim(input, 2) - 2, 2).
  auto width = cast<Value>(shapes[0][2]).getDefiningOp<arith::CeilDivSIOp>();
  ASSERT_TRUE(width);
  EXPECT_EQ(getConstantIntValue(width.getRhs()), 2);
  auto extent = width.getLhs().getDefiningOp<arith::SubIOp>();
  ASSERT_TRUE(extent);
  EXPECT_EQ(getConstantIntValue(extent.getRhs()), 2);
  auto dim = extent.getLhs().getDefiningOp<tensor::DimOp>();
  ASSERT_TRUE(dim);
  EXPECT_EQ(dim.getSource(), args[0]);
  EXPECT_EQ(dim.getConstantIndex(), 2);
}

} // namespace
