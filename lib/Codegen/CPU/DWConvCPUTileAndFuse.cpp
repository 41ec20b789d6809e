//===- DWConvCPUTileAndFuse.cpp - tile a kernel's output, fuse producers --===//
//
// Upstream's tile-and-fuse (scf::tileConsumerAndFuseProducersUsingSCF) does
// the work: the op whose result the kernel materializes into its output is
// tiled over the output dims into an scf.forall, and every producer on the
// way back to the arguments is computed per tile. The tensor.empty ops the
// producers wrote into are then shrunk to tile size, so that bufferization
// allocates tile-sized temporaries inside the loop (the workspace pass moves
// them into the caller's workspace).
//
//===----------------------------------------------------------------------===//

#include "dwconv/Codegen/CPUStrategy.h"
#include "dwconv/Codegen/Passes.h"
#include "dwconv/Target/LayerABI.h"

#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/MemRef/Transforms/Transforms.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/SCF/Transforms/TileUsingInterface.h"
#include "mlir/Dialect/Tensor/Transforms/Transforms.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"
#include "llvm/Support/Debug.h"

#define DEBUG_TYPE "dwconv-cpu-tile-and-fuse"

namespace mlir {
namespace dwconv {
#define GEN_PASS_DEF_DWCONVCPUTILEANDFUSEPASS
#include "dwconv/Codegen/Passes.h.inc"
} // namespace dwconv
} // namespace mlir

using namespace mlir;
using namespace mlir::dwconv;

namespace {

/// The op computing what the kernel materializes into its output, if its
/// first four loops are the output dims in order.
FailureOr<TilingInterface> getRoot(func::FuncOp func) {
  bufferization::MaterializeInDestinationOp store;
  func.walk([&](bufferization::MaterializeInDestinationOp op) { store = op; });
  if (!store)
    return func.emitError() << "writes no output "
                               "(bufferization.materialize_in_destination)";
  Value result = store.getSource();
  auto root = result.getDefiningOp<TilingInterface>();
  auto linalgOp = dyn_cast_or_null<linalg::LinalgOp>(root.getOperation());
  if (!root || !linalgOp)
    return func.emitError() << "the output is not computed by a linalg op";
  AffineMap map = linalgOp.getIndexingMapMatchingResult(cast<OpResult>(result));
  for (unsigned d = 0; d < 4; ++d)
    if (map.getNumResults() != 4 ||
        map.getResult(d) != getAffineDimExpr(d, func.getContext()))
      return linalgOp.emitError()
             << "computes the output with indexing map "
             << AffineMapAttr::get(map)
             << ", expected the output dims as its first loops";
  return root;
}

/// Shrinks the tensor.empty ops that tiled producers slice, canonicalizes the
/// slices tiling left behind, and takes the dims the loop bounds read from
/// the untiled ops (a padded input, say) from the arguments instead, so that
/// the untiled ops die.
LogicalResult cleanUp(func::FuncOp func) {
  RewritePatternSet patterns(func.getContext());
  tensor::populateFoldTensorEmptyPatterns(patterns);
  memref::populateResolveRankedShapedTypeResultDimsPatterns(patterns);
  tensor::populateMergeConsecutiveInsertExtractSlicePatterns(patterns);
  tensor::ExtractSliceOp::getCanonicalizationPatterns(patterns,
                                                      func.getContext());
  tensor::DimOp::getCanonicalizationPatterns(patterns, func.getContext());
  affine::AffineMinOp::getCanonicalizationPatterns(patterns, func.getContext());
  return applyPatternsGreedily(func, std::move(patterns));
}

LogicalResult tileAndFuse(func::FuncOp func, ArrayRef<int64_t> tileShape) {
  FailureOr<TilingInterface> root = getRoot(func);
  if (failed(root))
    return failure();
  IRRewriter rewriter(func.getContext());
  rewriter.setInsertionPoint(*root);
  SmallVector<OpFoldResult> sizes(root->getLoopIteratorTypes().size(),
                                  rewriter.getIndexAttr(0));
  for (auto [i, size] : llvm::enumerate(tileShape))
    sizes[i] = rewriter.getIndexAttr(size);
  scf::SCFTilingOptions tiling;
  tiling.setTileSizes(sizes).setLoopType(
      scf::SCFTilingOptions::LoopType::ForallOp);
  scf::SCFTileAndFuseOptions options;
  options.setTilingOptions(tiling);
  FailureOr<scf::SCFTileAndFuseResult> result =
      scf::tileConsumerAndFuseProducersUsingSCF(rewriter, *root, options);
  if (failed(result))
    return root->emitError() << "cannot be tiled by [" << tileShape << "]";
  for (OpResult value : (*root)->getResults())
    if (Value replacement = result->replacements.lookup(value))
      rewriter.replaceAllUsesWith(value, replacement);
  LLVM_DEBUG(llvm::dbgs() << "@" << func.getSymName() << ": fused "
                          << result->fusedProducers.size() << " producers\n");
  return cleanUp(func);
}

struct DWConvCPUTileAndFusePass
    : public dwconv::impl::DWConvCPUTileAndFusePassBase<
          DWConvCPUTileAndFusePass> {
  using DWConvCPUTileAndFusePassBase::DWConvCPUTileAndFusePassBase;

  void runOnOperation() override {
    func::FuncOp func = getOperation();
    auto tileShape =
        func->getAttrOfType<DenseI64ArrayAttr>(layer_attrs::kTileShape);
    // Kernels on the vector path come tiled (dwconv-cpu-vectorize).
    if (!tileShape || func->hasAttr(kRegisterBlockAttr))
      return;
    if (tileShape.size() != 4) {
      func.emitError() << layer_attrs::kTileShape << " must have 4 entries";
      return signalPassFailure();
    }
    if (failed(tileAndFuse(func, tileShape.asArrayRef())))
      signalPassFailure();
  }
};

} // namespace
