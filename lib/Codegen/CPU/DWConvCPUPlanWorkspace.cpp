//===- DWConvCPUPlanWorkspace.cpp - temporaries in the caller's workspace -===//
//
// Generated code never allocates: every buffer bufferization allocated for a
// kernel becomes a view of a workspace argument at a constant offset. A
// buffer with dynamic dims gets the room of its constant upper bound, which
// tiling guarantees (a tile's temporaries are bounded by the tile shape).
//
//===----------------------------------------------------------------------===//

#include "dwconv/Codegen/Passes.h"
#include "dwconv/Target/LayerABI.h"
#include "dwconv/Target/RuntimeABI.h"

#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/Builders.h"
#include "mlir/Interfaces/ValueBoundsOpInterface.h"
#include "llvm/Support/Debug.h"
#include "llvm/Support/MathExtras.h"

#define DEBUG_TYPE "dwconv-cpu-plan-workspace"

namespace mlir {
namespace dwconv {
#define GEN_PASS_DEF_DWCONVCPUPLANWORKSPACEPASS
#include "dwconv/Codegen/Passes.h.inc"
} // namespace dwconv
} // namespace mlir

using namespace mlir;
using namespace mlir::dwconv;

namespace {

/// A constant upper bound of the index `size`. ValueBoundsOpInterface bounds
/// an affine.max only from below (its result is at least each operand); the
/// upper bound of a max is the largest of its operands' upper bounds, which
/// is what tiling's clamped sizes (max(min(...), 0)) need.
FailureOr<int64_t> getUpperBound(Value size);

/// The upper bound of `apply` whose operand `position` is an affine.max:
/// the largest bound over that max's results substituted in turn (built as
/// temporary ops, erased again). Explicit padding gives such sizes: the
/// padded window is the clamped input slice plus the pad before it.
FailureOr<int64_t> getUpperBoundThroughMax(affine::AffineApplyOp apply,
                                           unsigned position) {
  auto max = apply.getOperand(position).getDefiningOp<affine::AffineMaxOp>();
  AffineMap map = max.getAffineMap();
  OpBuilder b(apply);
  std::optional<int64_t> bound;
  for (AffineExpr result : map.getResults()) {
    AffineMap one = AffineMap::get(map.getNumDims(), map.getNumSymbols(),
                                   result, apply.getContext());
    auto part = affine::AffineApplyOp::create(b, apply.getLoc(), one,
                                              max.getOperands());
    SmallVector<Value> operands(apply.getOperands());
    operands[position] = part;
    auto whole = affine::AffineApplyOp::create(b, apply.getLoc(),
                                               apply.getAffineMap(), operands);
    FailureOr<int64_t> ub = getUpperBound(whole);
    whole.erase();
    part.erase();
    if (failed(ub))
      return failure();
    bound = std::max(bound.value_or(*ub), *ub);
  }
  return *bound;
}

/// A constant upper bound of the index `size`. ValueBoundsOpInterface bounds
/// an affine.max only from below (its result is at least each operand); the
/// upper bound of a max is the largest of its operands' upper bounds, which
/// is what tiling's clamped sizes (max(min(...), 0)) need, alone or inside
/// an affine.apply.
FailureOr<int64_t> getUpperBound(Value size) {
  using Bounds = ValueBoundsConstraintSet;
  if (auto apply = size.getDefiningOp<affine::AffineApplyOp>())
    for (auto [i, operand] : llvm::enumerate(apply.getOperands()))
      if (operand.getDefiningOp<affine::AffineMaxOp>())
        return getUpperBoundThroughMax(apply, i);
  auto max = size.getDefiningOp<affine::AffineMaxOp>();
  if (!max)
    return Bounds::computeConstantBound(presburger::BoundType::UB,
                                        Bounds::Variable(size),
                                        /*stopCondition=*/nullptr,
                                        /*closedUB=*/true);
  AffineMap map = max.getAffineMap();
  std::optional<int64_t> bound;
  for (AffineExpr result : map.getResults()) {
    AffineMap one = AffineMap::get(map.getNumDims(), map.getNumSymbols(),
                                   result, size.getContext());
    FailureOr<int64_t> ub = Bounds::computeConstantBound(
        presburger::BoundType::UB, Bounds::Variable(one, max.getOperands()),
        /*stopCondition=*/nullptr, /*closedUB=*/true);
    if (failed(ub))
      return failure();
    bound = std::max(bound.value_or(*ub), *ub);
  }
  return *bound;
}

/// The bytes `alloc` can need at most, or failure if that has no constant
/// bound.
FailureOr<int64_t> getMaxBytes(memref::AllocOp alloc) {
  MemRefType type = alloc.getType();
  int64_t elements = 1;
  unsigned dynamic = 0;
  for (int64_t d = 0; d < type.getRank(); ++d) {
    int64_t size = type.getDimSize(d);
    if (ShapedType::isDynamic(size)) {
      FailureOr<int64_t> bound =
          getUpperBound(alloc.getDynamicSizes()[dynamic++]);
      if (failed(bound))
        return failure();
      size = std::max<int64_t>(*bound, 0);
    }
    if (llvm::MulOverflow(elements, size, elements))
      return failure();
  }
  int64_t bytes;
  if (llvm::MulOverflow(elements, int64_t(type.getElementTypeBitWidth() / 8),
                        bytes))
    return failure();
  return static_cast<int64_t>(llvm::alignTo(bytes, abi::ALIGNMENT));
}

/// Why an allocation has no room in the workspace, for the layer's user.
InFlightDiagnostic unbounded(func::FuncOp func, memref::AllocOp alloc) {
  StringRef name = func.getSymName();
  if (auto record = func->getAttrOfType<DictionaryAttr>(layer_attrs::kLayer))
    if (auto layerName = record.getAs<StringAttr>("name"))
      name = layerName.getValue();
  return emitError(alloc.getLoc())
         << "layer '" << name << "': a tile needs a temporary buffer ("
         << alloc.getType()
         << ") whose size grows with a dynamic input dim; compile the layer "
            "for static input dims";
}

/// Whether `a` and `b` never hold data at the same time: they sit in
/// different regions of their closest common scf.if (a tile's window is made
/// either of padding alone or of padded input), so they may share room.
bool exclusive(Operation *a, Operation *b) {
  for (Operation *parent = a->getParentOp(); parent;
       parent = parent->getParentOp()) {
    if (!parent->isProperAncestor(b))
      continue;
    auto branch = dyn_cast<scf::IfOp>(parent);
    if (!branch)
      return false;
    bool aThen = branch.getThenRegion().findAncestorOpInRegion(*a);
    bool bThen = branch.getThenRegion().findAncestorOpInRegion(*b);
    return aThen != bThen;
  }
  return false;
}

/// A buffer's room in the workspace.
struct Placement {
  memref::AllocOp alloc;
  int64_t offset, bytes;
};

/// First fit: each buffer goes after every placed buffer it may coexist
/// with. Returns the bytes the placements take.
FailureOr<int64_t> place(func::FuncOp func, ArrayRef<memref::AllocOp> allocs,
                         SmallVectorImpl<Placement> &placements) {
  int64_t total = 0;
  for (memref::AllocOp alloc : allocs) {
    FailureOr<int64_t> bytes = getMaxBytes(alloc);
    if (failed(bytes))
      return unbounded(func, alloc);
    int64_t offset = 0;
    for (const Placement &other : placements)
      if (!exclusive(alloc, other.alloc))
        offset = std::max(offset, other.offset + other.bytes);
    int64_t end;
    if (llvm::AddOverflow(offset, *bytes, end))
      return func.emitError() << "workspace size overflows";
    total = std::max(total, end);
    placements.push_back({alloc, offset, *bytes});
  }
  return total;
}

LogicalResult planWorkspace(func::FuncOp func) {
  SmallVector<memref::AllocOp> allocs;
  func.walk([&](memref::AllocOp alloc) { allocs.push_back(alloc); });
  SmallVector<Placement> placements;
  FailureOr<int64_t> total = place(func, allocs, placements);
  MLIRContext *ctx = func.getContext();
  auto workspaceType =
      MemRefType::get({ShapedType::kDynamic}, IntegerType::get(ctx, 8));
  if (failed(total) ||
      failed(func.insertArgument(func.getNumArguments(), workspaceType,
                                 DictionaryAttr(), func.getLoc())))
    return failure();
  Value workspace = func.getArguments().back();
  for (const Placement &placement : placements) {
    memref::AllocOp alloc = placement.alloc;
    OpBuilder b(alloc);
    Value shift =
        arith::ConstantIndexOp::create(b, alloc.getLoc(), placement.offset);
    Value view =
        memref::ViewOp::create(b, alloc.getLoc(), alloc.getType(), workspace,
                               shift, alloc.getDynamicSizes());
    for (Operation *user : llvm::make_early_inc_range(alloc->getUsers()))
      if (isa<memref::DeallocOp>(user))
        user->erase();
    alloc.replaceAllUsesWith(view);
    alloc.erase();
    LLVM_DEBUG(llvm::dbgs()
               << "@" << func.getSymName() << ": " << placement.bytes
               << " bytes at " << placement.offset << "\n");
  }
  func->setAttr(layer_attrs::kWorkspaceBytes,
                Builder(ctx).getI64IntegerAttr(*total));
  return success();
}

struct DWConvCPUPlanWorkspacePass
    : public dwconv::impl::DWConvCPUPlanWorkspacePassBase<
          DWConvCPUPlanWorkspacePass> {
  using DWConvCPUPlanWorkspacePassBase::DWConvCPUPlanWorkspacePassBase;

  void runOnOperation() override {
    func::FuncOp func = getOperation();
    if (!func->hasAttr(layer_attrs::kLayer))
      return;
    if (failed(planWorkspace(func)))
      signalPassFailure();
  }
};

} // namespace
