//===- EntryPoints.h - what a generated object exports per layer -*- C++
//-*-===//

#ifndef DWCONV_TARGET_ENTRYPOINTS_H
#define DWCONV_TARGET_ENTRYPOINTS_H

#include "dwconv/Target/LayerABI.h"

#include "mlir/IR/BuiltinOps.h"

namespace mlir {
namespace dwconv {

/// Adds to a module in the LLVM dialect, for each layer, what the object
/// exports (ABI v2, dwconv/abi.def):
///   const dwconv_layer_metadata dwconv_<name>_metadata;
///   dwconv_status dwconv_<name>_call(dwconv_context *, const dwconv_call *);
///   void dwconv_<name>_tile(const dwconv_tile_state *, void *workspace,
///                           int64_t tile_begin, int64_t tile_end);
///   void dwconv_<name>_pack(const void *kernel, const void *bias,
///                           void *packed);   /* weights given at run time */
/// over the layer's lowered kernel and pack function, which become internal.
/// `_call` hands the call to the runtime's dwconv_layer_run.
LogicalResult addEntryPoints(ModuleOp module, ArrayRef<LayerABI> layers);

} // namespace dwconv
} // namespace mlir

#endif // DWCONV_TARGET_ENTRYPOINTS_H
