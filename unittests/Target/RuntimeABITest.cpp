//===- RuntimeABITest.cpp - the compiler's and the runtime's ABI agree ----===//
//
// The runtime ABI is one table (dwconv/abi.def) expanded twice: into C by
// runtime.h, compiled by the C/C++ compiler, and into LLVM types by the
// compiler (RuntimeABI.h), laid out by LLVM for the target. These tests walk
// every field and every enum case through both views and fail on any drift.
//
//===----------------------------------------------------------------------===//

#include "dwconv/Target/RuntimeABI.h"
#include "dwconv/Dialect/DWConv/IR/DWConv.h"
#include "dwconv/Target/ObjectEmitter.h"
#include "dwconv/runtime.h"

#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Target/LLVMIR/TypeToLLVM.h"
#include "llvm/IR/DataLayout.h"
#include "llvm/IR/DerivedTypes.h"
#include "llvm/IR/LLVMContext.h"

#include <cstddef>
#include <cstring>
#include <gtest/gtest.h>

using namespace mlir;
using namespace mlir::dwconv;

namespace {

/// A field as the C compiler lays out runtime.h's struct.
struct CField {
  const char *name;
  size_t offset, size;
};

#define FIELD_OF(TYPE, NAME)                                                   \
  {#NAME, offsetof(TYPE, NAME), sizeof(static_cast<TYPE *>(nullptr)->NAME)},

const CField cMetadataFields[] = {
#define DWCONV_METADATA_FIELD(KIND, NAME) FIELD_OF(dwconv_layer_metadata, NAME)
#define DWCONV_METADATA_ARRAY(KIND, NAME, COUNT)                               \
  FIELD_OF(dwconv_layer_metadata, NAME)
#include "dwconv/abi.def"
};

const CField cTileStateFields[] = {
#define DWCONV_TILE_STATE_FIELD(KIND, NAME) FIELD_OF(dwconv_tile_state, NAME)
#define DWCONV_TILE_STATE_ARRAY(KIND, NAME, COUNT)                             \
  FIELD_OF(dwconv_tile_state, NAME)
#include "dwconv/abi.def"
};

const CField cGPUImageFields[] = {
#define DWCONV_GPU_IMAGE_FIELD(KIND, NAME) FIELD_OF(dwconv_gpu_image, NAME)
#include "dwconv/abi.def"
};

class RuntimeABITest : public ::testing::Test {
protected:
  RuntimeABITest() { ctx.loadDialect<LLVM::LLVMDialect>(); }

  /// Checks the compiler's struct of `fields`, laid out by LLVM for the host,
  /// against the C layout, field by field.
  void expectSameLayout(ArrayRef<dwconv::abi::Field> fields,
                        ArrayRef<CField> cFields, size_t cSize) {
    OwningOpRef<ModuleOp> module = ModuleOp::create(UnknownLoc::get(&ctx));
    FailureOr<TargetDescription> host =
        TargetDescription::resolve(TargetOptions(), UnknownLoc::get(&ctx));
    ASSERT_TRUE(succeeded(host));
    auto machine = createTargetMachine(*module, *host);
    ASSERT_TRUE(succeeded(machine));
    llvm::DataLayout layout = (*machine)->createDataLayout();
    llvm::LLVMContext llvmContext;
    LLVM::TypeToLLVMIRTranslator translator(llvmContext);
    auto *type = llvm::cast<llvm::StructType>(
        translator.translateType(dwconv::abi::getStructType(&ctx, fields)));
    const llvm::StructLayout *structLayout = layout.getStructLayout(type);
    ASSERT_EQ(fields.size(), cFields.size());
    for (auto [i, field] : llvm::enumerate(fields)) {
      SCOPED_TRACE(field.name);
      EXPECT_STREQ(field.name, cFields[i].name);
      EXPECT_EQ(structLayout->getElementOffset(i), cFields[i].offset);
      EXPECT_EQ(layout.getTypeAllocSize(type->getElementType(i)),
                cFields[i].size);
    }
    EXPECT_EQ(layout.getTypeAllocSize(type), cSize);
  }

  MLIRContext ctx;
};

TEST_F(RuntimeABITest, MetadataLayout) {
  expectSameLayout(dwconv::abi::getMetadataFields(), cMetadataFields,
                   sizeof(dwconv_layer_metadata));
}

TEST_F(RuntimeABITest, TileStateLayout) {
  expectSameLayout(dwconv::abi::getTileStateFields(), cTileStateFields,
                   sizeof(dwconv_tile_state));
}

TEST_F(RuntimeABITest, GPUImageLayout) {
  expectSameLayout(dwconv::abi::getGPUImageFields(), cGPUImageFields,
                   sizeof(dwconv_gpu_image));
}

TEST(RuntimeABI, Constants) {
  EXPECT_EQ(dwconv::abi::VERSION, DWCONV_ABI_VERSION);
  EXPECT_EQ(dwconv::abi::ALIGNMENT, DWCONV_ABI_ALIGNMENT);
}

/// Every case of an ABI enum, as the compiler lists it, has its value and
/// name in the runtime, and the runtime knows no value past them.
void expectSameCases(ArrayRef<dwconv::abi::EnumCase> cases, unsigned count,
                     const char *(*runtimeName)(uint32_t)) {
  EXPECT_EQ(cases.size(), count);
  for (auto [i, c] : llvm::enumerate(cases)) {
    SCOPED_TRACE(c.id);
    EXPECT_EQ(c.value, i);
    EXPECT_STREQ(runtimeName(c.value), c.name);
  }
  EXPECT_STREQ(runtimeName(count), "unknown");
}

const char *statusName(uint32_t status) {
  return dwconv_status_string(static_cast<dwconv_status>(status));
}

TEST(RuntimeABI, EnumCases) {
  expectSameCases(dwconv::abi::getDTypeCases(), DWCONV_DTYPE_COUNT,
                  dwconv_dtype_name);
  expectSameCases(dwconv::abi::getDeviceCases(), DWCONV_DEVICE_COUNT,
                  dwconv_device_name);
  expectSameCases(dwconv::abi::getGPUFormatCases(), DWCONV_GPU_FORMAT_COUNT,
                  dwconv_gpu_format_name);
  expectSameCases(dwconv::abi::getDataFormatCases(), DWCONV_DATA_FORMAT_COUNT,
                  dwconv_data_format_name);
  expectSameCases(dwconv::abi::getPaddingCases(), DWCONV_PADDING_COUNT,
                  dwconv_padding_name);
  expectSameCases(dwconv::abi::getActivationCases(), DWCONV_ACTIVATION_COUNT,
                  dwconv_activation_name);
  for (const dwconv::abi::EnumCase &c : dwconv::abi::getStatusCases())
    EXPECT_STREQ(statusName(c.value), c.name);
  EXPECT_EQ(dwconv::abi::getStatusCases().size(), size_t(DWCONV_STATUS_COUNT));
  EXPECT_EQ(dwconv_dtype_size(DWCONV_DTYPE_F32), sizeof(float));
}

/// Every case of a dialect enum has an ABI case of the same name, so that
/// every layer the dialect can express has metadata the runtime reads.
template <typename EnumT>
void expectDialectCovered(uint64_t max, ArrayRef<dwconv::abi::EnumCase> cases,
                          StringRef (*stringify)(EnumT)) {
  for (uint64_t v = 0; v <= max; ++v) {
    StringRef name = stringify(static_cast<EnumT>(v));
    SCOPED_TRACE(name.str());
    EXPECT_TRUE(dwconv::abi::lookupValue(cases, name).has_value());
  }
}

TEST(RuntimeABI, DialectEnumsHaveABIValues) {
  expectDialectCovered<Activation>(getMaxEnumValForActivation(),
                                   dwconv::abi::getActivationCases(),
                                   stringifyActivation);
  expectDialectCovered<Padding>(getMaxEnumValForPadding(),
                                dwconv::abi::getPaddingCases(),
                                stringifyPadding);
  expectDialectCovered<DataFormat>(getMaxEnumValForDataFormat(),
                                   dwconv::abi::getDataFormatCases(),
                                   stringifyDataFormat);
  EXPECT_EQ(getMaxEnumValForActivation() + 1, size_t(DWCONV_ACTIVATION_COUNT));
}

} // namespace
