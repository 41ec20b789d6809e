//===- DWConvGPUCreateKernels.cpp - mapped loops as GPU kernels -----------===//
//
// Upstream maps scf.forall loops onto blocks and threads with transform ops
// (transform.gpu.map_forall_to_blocks, map_nested_forall_to_threads), which
// need a transform script and a gpu.launch to map into. The mapped loops here
// have a fixed shape (one tile loop, loops over exactly the block's threads
// inside it), so the kernel is written directly: one block per tile, the
// tile index delinearized as the runtime numbers tiles, every thread running
// one iteration of each thread loop, a barrier between those loops.
//
//===----------------------------------------------------------------------===//

#include "dwconv/Codegen/GPUStrategy.h"
#include "dwconv/Codegen/Passes.h"
#include "dwconv/Codegen/TileLoop.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/IRMapping.h"
#include "llvm/Support/Debug.h"

#define DEBUG_TYPE "dwconv-gpu-create-kernels"

namespace mlir {
namespace dwconv {
#define GEN_PASS_DEF_DWCONVGPUCREATEKERNELSPASS
#include "dwconv/Codegen/Passes.h.inc"
} // namespace dwconv
} // namespace mlir

using namespace mlir;
using namespace mlir::dwconv;

namespace {

constexpr StringLiteral kKernelsModule = "dwconv_kernels";

/// Replaces `forall` by its body, its induction values by `ivs`.
void inlineForall(scf::ForallOp forall, ValueRange ivs) {
  Block *body = forall.getBody();
  body->getTerminator()->erase();
  for (auto [old, iv] : llvm::zip_equal(forall.getInductionVars(), ivs))
    old.replaceAllUsesWith(iv);
  forall->getBlock()->getOperations().splice(forall->getIterator(),
                                             body->getOperations());
  forall->erase();
}

/// Turns the cloned tile loop of a kernel into one thread block's work.
LogicalResult mapTileLoop(scf::ForallOp tiles) {
  OpBuilder b(tiles);
  Location loc = tiles.getLoc();
  Value block = gpu::BlockIdOp::create(b, loc, gpu::Dimension::x);
  SmallVector<Value> ivs = delinearizeTileIndex(b, loc, tiles, block);
  SmallVector<scf::ForallOp> threadLoops(
      tiles.getBody()->getOps<scf::ForallOp>());
  for (auto [i, threads] : llvm::enumerate(threadLoops)) {
    if (threads.getRank() != 2 || !threads.getMapping())
      return threads.emitError("expected a loop over the block's threads");
    OpBuilder tb(threads);
    if (i > 0)
      gpu::BarrierOp::create(tb, loc);
    Value y = gpu::ThreadIdOp::create(tb, loc, gpu::Dimension::y);
    Value x = gpu::ThreadIdOp::create(tb, loc, gpu::Dimension::x);
    inlineForall(threads, {y, x});
  }
  inlineForall(tiles, ivs);
  return success();
}

/// Baked weights are a host constant (memref.global) the kernel cannot
/// reach: they become the kernel's second argument, as the weights given at
/// run time are, and the host function records which global to copy there
/// (kBakedWeightsAttr).
LogicalResult passBakedWeights(func::FuncOp func, gpu::GPUFuncOp kernel) {
  SmallVector<memref::GetGlobalOp> globals;
  kernel.walk([&](memref::GetGlobalOp op) { globals.push_back(op); });
  if (globals.empty())
    return success();
  if (globals.size() > 1 || kernel.getNumArguments() != 2)
    return func.emitError() << "expected the packed weights as the only "
                               "constant of a kernel with baked weights";
  memref::GetGlobalOp global = globals.front();
  // The runtime passes the weights as a 1-D memref (its descriptor's rank is
  // part of the kernel's parameters): a folded (kh * kw, C) constant is
  // expanded back from one.
  MemRefType type = global.getType();
  auto flat = MemRefType::get({type.getNumElements()}, type.getElementType());
  if (failed(kernel.insertArgument(1, flat, DictionaryAttr(), global.getLoc())))
    return failure();
  Value weights = kernel.getArgument(1);
  if (type.getRank() != 1) {
    OpBuilder b(global);
    ReassociationIndices all =
        llvm::to_vector(llvm::seq<int64_t>(0, type.getRank()));
    weights = memref::ExpandShapeOp::create(
        b, global.getLoc(), type, weights, ArrayRef<ReassociationIndices>{all});
  }
  global.replaceAllUsesWith(weights);
  func->setAttr(kBakedWeightsAttr, global.getNameAttr());
  global.erase();
  return success();
}

/// The GPU kernel of `func` in `kernels`.
LogicalResult createKernel(func::FuncOp func, gpu::GPUModuleOp kernels,
                           const LayerABI &layer,
                           const ThreadMapping &mapping) {
  OpBuilder b = OpBuilder::atBlockEnd(kernels.getBody());
  auto kernel = gpu::GPUFuncOp::create(
      b, func.getLoc(), layer.gpuKernelSymbol(), func.getFunctionType());
  kernel->setAttr(gpu::GPUDialect::getKernelFuncAttrName(), b.getUnitAttr());
  kernel.setKnownBlockSizeAttr(
      b.getDenseI32ArrayAttr({static_cast<int32_t>(mapping.threadsX),
                              static_cast<int32_t>(mapping.threadsY), 1}));
  kernel.getBody().front().erase();
  IRMapping map;
  func.getBody().cloneInto(&kernel.getBody(), map);
  Block &entry = kernel.getBody().front();
  Operation *terminator = entry.getTerminator();
  b.setInsertionPoint(terminator);
  gpu::ReturnOp::create(b, terminator->getLoc());
  terminator->erase();
  if (failed(passBakedWeights(func, kernel)))
    return failure();
  SmallVector<scf::ForallOp> tileLoops(entry.getOps<scf::ForallOp>());
  if (tileLoops.size() != 1)
    return func.emitError() << "expected one tile loop in a mapped kernel";
  return mapTileLoop(tileLoops.front());
}

struct DWConvGPUCreateKernelsPass
    : public dwconv::impl::DWConvGPUCreateKernelsPassBase<
          DWConvGPUCreateKernelsPass> {
  using DWConvGPUCreateKernelsPassBase::DWConvGPUCreateKernelsPassBase;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    gpu::GPUModuleOp kernels;
    for (auto func : llvm::to_vector(module.getOps<func::FuncOp>())) {
      auto attr = func->getAttrOfType<DictionaryAttr>(kThreadMappingAttr);
      if (!attr)
        continue;
      FailureOr<ThreadMapping> mapping = ThreadMapping::fromAttr(attr);
      FailureOr<LayerABI> layer = LayerABI::read(func);
      if (failed(mapping) || failed(layer)) {
        func.emitError() << "malformed " << kThreadMappingAttr;
        return signalPassFailure();
      }
      if (!kernels) {
        OpBuilder b = OpBuilder::atBlockEnd(module.getBody());
        kernels = gpu::GPUModuleOp::create(b, module.getLoc(), kKernelsModule);
      }
      if (failed(createKernel(func, kernels, *layer, *mapping)))
        return signalPassFailure();
      LLVM_DEBUG(llvm::dbgs() << "@" << func.getSymName() << ": kernel, "
                              << mapping->threadsX << " x " << mapping->threadsY
                              << " threads\n");
    }
  }
};

} // namespace
