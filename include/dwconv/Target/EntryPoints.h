//===- EntryPoints.h - C entry points over lowered layers -------*- C++ -*-===//

#ifndef DWCONV_TARGET_ENTRYPOINTS_H
#define DWCONV_TARGET_ENTRYPOINTS_H

#include "dwconv/Target/LayerABI.h"

#include "mlir/IR/BuiltinOps.h"

namespace mlir {
namespace dwconv {

/// Adds to a module in the LLVM dialect, for each layer, the exported
/// constant `dwconv_<name>_metadata` and the entry point
///   int32_t dwconv_<name>(dwconv_context *, const float *input,
///                         const float *depthwise_kernel[, const float *bias],
///                         float *output[, int64_t dynamic input dims...]);
/// which has the runtime validate the call (dwconv_check_call) and then calls
/// the layer's kernel, which it makes internal.
LogicalResult addEntryPoints(ModuleOp module, ArrayRef<LayerABI> layers);

} // namespace dwconv
} // namespace mlir

#endif // DWCONV_TARGET_ENTRYPOINTS_H
