//===- TileLoop.cpp - a kernel's loop over the ABI's tiles ----------------===//

#include "dwconv/Codegen/TileLoop.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"

using namespace mlir;
using namespace mlir::dwconv;

SmallVector<Value> mlir::dwconv::delinearizeTileIndex(OpBuilder &b,
                                                      Location loc,
                                                      scf::ForallOp forall,
                                                      Value tile) {
  SmallVector<Value> lbs =
      getValueOrCreateConstantIndexOp(b, loc, forall.getMixedLowerBound());
  SmallVector<Value> ubs =
      getValueOrCreateConstantIndexOp(b, loc, forall.getMixedUpperBound());
  SmallVector<Value> steps =
      getValueOrCreateConstantIndexOp(b, loc, forall.getMixedStep());
  SmallVector<Value> ivs(lbs.size());
  Value rest = tile;
  for (int64_t d = lbs.size() - 1; d >= 0; --d) {
    Value index = rest;
    if (d > 0) {
      Value extent = arith::SubIOp::create(b, loc, ubs[d], lbs[d]);
      Value count = arith::CeilDivSIOp::create(b, loc, extent, steps[d]);
      index = arith::RemUIOp::create(b, loc, rest, count);
      rest = arith::DivUIOp::create(b, loc, rest, count);
    }
    Value offset = arith::MulIOp::create(b, loc, index, steps[d]);
    ivs[d] = arith::AddIOp::create(b, loc, lbs[d], offset);
  }
  return ivs;
}
