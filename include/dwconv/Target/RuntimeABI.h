//===- RuntimeABI.h - the compiler's view of dwconv/abi.def -----*- C++ -*-===//
//
// The runtime ABI as the compiler sees it: constants, enum cases and the
// fields of the structs generated code shares with the runtime, all expanded
// from the one table (runtime/include/dwconv/abi.def) that runtime.h expands
// too. Nothing here is written twice: field indices, LLVM struct types and
// enum values come from the table.
//
//===----------------------------------------------------------------------===//

#ifndef DWCONV_TARGET_RUNTIMEABI_H
#define DWCONV_TARGET_RUNTIMEABI_H

#include "mlir/Dialect/LLVMIR/LLVMTypes.h"
#include "mlir/Support/LLVM.h"

#include <cstdint>
#include <optional>

namespace mlir {
namespace dwconv {
namespace abi {

#define DWCONV_ABI_CONSTANT(NAME, VALUE) constexpr int64_t NAME = VALUE;
#include "dwconv/abi.def"

/// The kinds of struct fields (abi.def's U32, I64, STR, CPTR, PTR, TILE_FN,
/// PACK_FN).
enum class FieldKind { U32, I64, STR, CPTR, PTR, TILE_FN, PACK_FN };

struct Field {
  const char *name;
  FieldKind kind;
  /// Elements of an array field; 1 for a scalar.
  unsigned count;
};

/// Positions of the fields of dwconv_layer_metadata.
enum class MetadataField : unsigned {
#define DWCONV_METADATA_FIELD(KIND, NAME) NAME,
#define DWCONV_METADATA_ARRAY(KIND, NAME, COUNT) NAME,
#include "dwconv/abi.def"
};

/// Positions of the fields of dwconv_tile_state.
enum class TileStateField : unsigned {
#define DWCONV_TILE_STATE_FIELD(KIND, NAME) NAME,
#define DWCONV_TILE_STATE_ARRAY(KIND, NAME, COUNT) NAME,
#include "dwconv/abi.def"
};

/// Positions of the fields of dwconv_gpu_image.
enum class GPUImageField : unsigned {
#define DWCONV_GPU_IMAGE_FIELD(KIND, NAME) NAME,
#include "dwconv/abi.def"
};

ArrayRef<Field> getMetadataFields();
ArrayRef<Field> getTileStateFields();
ArrayRef<Field> getGPUImageFields();

/// The LLVM struct type of a table struct, field for field.
LLVM::LLVMStructType getStructType(MLIRContext *ctx, ArrayRef<Field> fields);

/// One case of an ABI enum: its C identifier, value and name.
struct EnumCase {
  const char *id;
  uint32_t value;
  const char *name;
};

ArrayRef<EnumCase> getStatusCases();
ArrayRef<EnumCase> getDTypeCases();
ArrayRef<EnumCase> getDeviceCases();
ArrayRef<EnumCase> getGPUFormatCases();
ArrayRef<EnumCase> getDataFormatCases();
ArrayRef<EnumCase> getPaddingCases();
ArrayRef<EnumCase> getActivationCases();

/// The value of the case of `cases` named `name`.
std::optional<uint32_t> lookupValue(ArrayRef<EnumCase> cases, StringRef name);

} // namespace abi
} // namespace dwconv
} // namespace mlir

#endif // DWCONV_TARGET_RUNTIMEABI_H
