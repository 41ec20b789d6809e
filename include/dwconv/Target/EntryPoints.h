//===- EntryPoints.h - what a generated object exports per layer *- C++ -*-===//

#ifndef DWCONV_TARGET_ENTRYPOINTS_H
#define DWCONV_TARGET_ENTRYPOINTS_H

#include "dwconv/Target/LayerABI.h"

#include "mlir/IR/BuiltinOps.h"

#include <array>

namespace mlir {
namespace dwconv {

/// Adds to a module in the LLVM dialect, for each layer, what the object
/// exports (the runtime ABI, dwconv/abi.def):
///   const dwconv_layer_metadata dwconv_<name>_metadata;
///   dwconv_status dwconv_<name>_call(dwconv_context *, const dwconv_call *);
///   void dwconv_<name>_tile(const dwconv_tile_state *, void *workspace,
///                           int64_t tile_begin, int64_t tile_end);
///   void dwconv_<name>_pack(const void *kernel, const void *bias,
///                           void *packed);   /* weights given at run time */
/// over the layer's lowered kernel and pack function, which become internal.
/// `_call` hands the call to the runtime's dwconv_layer_run.
LogicalResult addEntryPoints(ModuleOp module, ArrayRef<LayerABI> layers);

/// What the metadata of a GPU layer says of its code.
struct GPULayerCode {
  LayerABI layer;
  /// Threads per block (x, y, z).
  std::array<int64_t, 3> block = {1, 1, 1};
  /// The module's array of dwconv_gpu_image (addGPUImages) and its length.
  std::string images;
  int64_t imageCount = 0;
  /// The global of the packed baked weights in host memory, or "", and its
  /// size in bytes.
  std::string bakedWeights;
  int64_t bakedWeightsBytes = 0;
};

/// Adds `objects` (the #gpu.object's of a gpu.binary: PTX or a cubin per
/// architecture) to a module in the LLVM dialect as internal constants, and
/// an array of dwconv_gpu_image over them; returns the array's symbol.
FailureOr<std::string> addGPUImages(ModuleOp module, ArrayAttr objects);

/// The exports of GPU layers: their metadata (device cuda, the kernel's
/// name, images and threads per block, no tile function), `_call` and, for
/// weights given at run time, `_pack` over the lowered pack function (the
/// packing runs on the host).
LogicalResult addGPUEntryPoints(ModuleOp module, ArrayRef<GPULayerCode> layers);

} // namespace dwconv
} // namespace mlir

#endif // DWCONV_TARGET_ENTRYPOINTS_H
