//===- TileLoop.h - a kernel's loop over the ABI's tiles --------*- C++ -*-===//
//
// A layer kernel's top-level scf.forall runs over the runtime ABI's tiles,
// which are numbered row-major over the forall's grid. The CPU backend runs
// a range of tile indices per worker (dwconv-cpu-distribute-tiles), the GPU
// backend one tile per thread block (dwconv-gpu-create-kernels); both turn a
// tile index back into the forall's induction values here.
//
//===----------------------------------------------------------------------===//

#ifndef DWCONV_CODEGEN_TILELOOP_H
#define DWCONV_CODEGEN_TILELOOP_H

#include "mlir/Dialect/SCF/IR/SCF.h"

namespace mlir {
namespace dwconv {

/// `forall`'s induction values for the row-major tile index `tile` (the last
/// dim varies the fastest).
SmallVector<Value> delinearizeTileIndex(OpBuilder &b, Location loc,
                                        scf::ForallOp forall, Value tile);

} // namespace dwconv
} // namespace mlir

#endif // DWCONV_CODEGEN_TILELOOP_H
