//===- DWConvCPUDistributeTiles.cpp - a kernel computes a range of tiles --===//
//
// The runtime splits a call's tiles statically over its workers; each worker
// calls the tile function with its range [tile_begin, tile_end). This pass
// gives the kernel that interface: its loop over all tiles (the scf.forall
// tiling made) becomes a loop over the range, each index delinearized
// row-major over the forall's grid. A kernel tiling left without a loop (a
// single tile) computes tile 0.
//
//===----------------------------------------------------------------------===//

#include "dwconv/Codegen/Passes.h"
#include "dwconv/Codegen/TileLoop.h"
#include "dwconv/Target/LayerABI.h"

#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"
#include "mlir/IR/Builders.h"
#include "llvm/Support/Debug.h"

#define DEBUG_TYPE "dwconv-cpu-distribute-tiles"

namespace mlir {
namespace dwconv {
#define GEN_PASS_DEF_DWCONVCPUDISTRIBUTETILESPASS
#include "dwconv/Codegen/Passes.h.inc"
} // namespace dwconv
} // namespace mlir

using namespace mlir;
using namespace mlir::dwconv;

namespace {

/// The one top-level scf.forall of `func`, null if there is none.
FailureOr<scf::ForallOp> getTileLoop(func::FuncOp func) {
  SmallVector<scf::ForallOp> loops(
      func.getBody().front().getOps<scf::ForallOp>());
  if (loops.size() > 1)
    return func.emitError()
           << "has " << loops.size() << " tile loops; expected one";
  return loops.empty() ? scf::ForallOp() : loops.front();
}

LogicalResult distributeTiles(func::FuncOp func) {
  FailureOr<scf::ForallOp> forall = getTileLoop(func);
  if (failed(forall) || (*forall && !(*forall)->getResults().empty()))
    return failure();
  Location loc = func.getLoc();
  IndexType index = IndexType::get(func.getContext());
  unsigned numArgs = func.getNumArguments();
  if (failed(func.insertArguments({numArgs, numArgs}, {index, index},
                                  {DictionaryAttr(), DictionaryAttr()},
                                  {loc, loc})))
    return failure();
  Value begin = func.getArgument(numArgs), end = func.getArgument(numArgs + 1);
  Block &body = func.getBody().front();
  OpBuilder b(func.getContext());
  b.setInsertionPoint(*forall ? forall->getOperation() : &body.front());
  Value one = arith::ConstantIndexOp::create(b, loc, 1);
  // Without a tile loop, the function is one tile: tile 0.
  Value upper = *forall ? end : arith::MinSIOp::create(b, loc, end, one);
  auto loop = scf::ForOp::create(b, loc, begin, upper, one);
  b.setInsertionPointToStart(loop.getBody());
  if (*forall) {
    SmallVector<Value> ivs =
        delinearizeTileIndex(b, loc, *forall, loop.getInductionVar());
    Block *tile = forall->getBody();
    tile->getTerminator()->erase();
    b.getInsertionBlock()->getOperations().splice(
        loop.getBody()->getTerminator()->getIterator(), tile->getOperations());
    for (auto [old, iv] : llvm::zip(forall->getInductionVars(), ivs))
      old.replaceAllUsesWith(iv);
    forall->erase();
  } else {
    // Everything between the loop and the return moves into the loop.
    auto first = std::next(loop->getIterator());
    loop.getBody()->getOperations().splice(
        loop.getBody()->getTerminator()->getIterator(), body.getOperations(),
        first, body.getTerminator()->getIterator());
  }
  LLVM_DEBUG(llvm::dbgs() << "@" << func.getSymName() << ": tile range over "
                          << (*forall ? "the tile loop" : "one tile") << "\n");
  return success();
}

struct DWConvCPUDistributeTilesPass
    : public dwconv::impl::DWConvCPUDistributeTilesPassBase<
          DWConvCPUDistributeTilesPass> {
  using DWConvCPUDistributeTilesPassBase::DWConvCPUDistributeTilesPassBase;

  void runOnOperation() override {
    func::FuncOp func = getOperation();
    if (!func->hasAttr(layer_attrs::kLayer))
      return;
    if (failed(distributeTiles(func)))
      signalPassFailure();
  }
};

} // namespace
