//===- RuntimeABI.cpp - the compiler's view of dwconv/abi.def -------------===//

#include "dwconv/Target/RuntimeABI.h"

#include "mlir/IR/MLIRContext.h"

using namespace mlir;
using namespace mlir::dwconv;
using namespace mlir::dwconv::abi;

ArrayRef<Field> abi::getMetadataFields() {
  static const Field fields[] = {
#define DWCONV_METADATA_FIELD(KIND, NAME) {#NAME, FieldKind::KIND, 1},
#define DWCONV_METADATA_ARRAY(KIND, NAME, COUNT)                               \
  {#NAME, FieldKind::KIND, COUNT},
#include "dwconv/abi.def"
  };
  return fields;
}

ArrayRef<Field> abi::getTileStateFields() {
  static const Field fields[] = {
#define DWCONV_TILE_STATE_FIELD(KIND, NAME) {#NAME, FieldKind::KIND, 1},
#define DWCONV_TILE_STATE_ARRAY(KIND, NAME, COUNT)                             \
  {#NAME, FieldKind::KIND, COUNT},
#include "dwconv/abi.def"
  };
  return fields;
}

ArrayRef<Field> abi::getGPUImageFields() {
  static const Field fields[] = {
#define DWCONV_GPU_IMAGE_FIELD(KIND, NAME) {#NAME, FieldKind::KIND, 1},
#include "dwconv/abi.def"
  };
  return fields;
}

static Type getFieldType(MLIRContext *ctx, const Field &field) {
  Type element;
  switch (field.kind) {
  case FieldKind::U32:
    element = IntegerType::get(ctx, 32);
    break;
  case FieldKind::I64:
    element = IntegerType::get(ctx, 64);
    break;
  case FieldKind::STR:
  case FieldKind::CPTR:
  case FieldKind::PTR:
  case FieldKind::TILE_FN:
  case FieldKind::PACK_FN:
    element = LLVM::LLVMPointerType::get(ctx);
    break;
  }
  if (field.count == 1)
    return element;
  return LLVM::LLVMArrayType::get(element, field.count);
}

LLVM::LLVMStructType abi::getStructType(MLIRContext *ctx,
                                        ArrayRef<Field> fields) {
  SmallVector<Type> types = llvm::map_to_vector(
      fields, [&](const Field &field) { return getFieldType(ctx, field); });
  return LLVM::LLVMStructType::getLiteral(ctx, types);
}

ArrayRef<EnumCase> abi::getStatusCases() {
  static const EnumCase cases[] = {
#define DWCONV_STATUS(ID, VALUE, NAME) {#ID, VALUE, NAME},
#include "dwconv/abi.def"
  };
  return cases;
}

ArrayRef<EnumCase> abi::getDTypeCases() {
  static const EnumCase cases[] = {
#define DWCONV_DTYPE(ID, VALUE, NAME, BYTES) {#ID, VALUE, NAME},
#include "dwconv/abi.def"
  };
  return cases;
}

ArrayRef<EnumCase> abi::getDeviceCases() {
  static const EnumCase cases[] = {
#define DWCONV_DEVICE(ID, VALUE, NAME) {#ID, VALUE, NAME},
#include "dwconv/abi.def"
  };
  return cases;
}

ArrayRef<EnumCase> abi::getGPUFormatCases() {
  static const EnumCase cases[] = {
#define DWCONV_GPU_FORMAT(ID, VALUE, NAME) {#ID, VALUE, NAME},
#include "dwconv/abi.def"
  };
  return cases;
}

ArrayRef<EnumCase> abi::getDataFormatCases() {
  static const EnumCase cases[] = {
#define DWCONV_DATA_FORMAT(ID, VALUE, NAME) {#ID, VALUE, NAME},
#include "dwconv/abi.def"
  };
  return cases;
}

ArrayRef<EnumCase> abi::getPaddingCases() {
  static const EnumCase cases[] = {
#define DWCONV_PADDING(ID, VALUE, NAME) {#ID, VALUE, NAME},
#include "dwconv/abi.def"
  };
  return cases;
}

ArrayRef<EnumCase> abi::getActivationCases() {
  static const EnumCase cases[] = {
#define DWCONV_ACTIVATION(ID, VALUE, NAME) {#ID, VALUE, NAME},
#include "dwconv/abi.def"
  };
  return cases;
}

std::optional<uint32_t> abi::lookupValue(ArrayRef<EnumCase> cases,
                                         StringRef name) {
  for (const EnumCase &c : cases)
    if (name == c.name)
      return c.value;
  return std::nullopt;
}
