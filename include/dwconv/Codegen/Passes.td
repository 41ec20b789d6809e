//===- Passes.td - dwconv code generation passes -----------*- tablegen -*-===//
//
// The passes between the dwconv dialect and the LLVM dialect that shape the
// code of a layer: outlining layer functions into kernels (every backend),
// then the CPU strategy (its choices from CPUStrategy.h), packing, tiling,
// workspace planning and distribution of tiles.
//
//===----------------------------------------------------------------------===//

#ifndef DWCONV_CODEGEN_PASSES_TD
#define DWCONV_CODEGEN_PASSES_TD

include "mlir/Pass/PassBase.td"

// (keep alphabetical)

def DWConvCPUApproximateMathPass
    : Pass<"dwconv-cpu-approximate-math", "::mlir::func::FuncOp"> {
  let summary = "Compute exp on vectors with a polynomial, not libm calls";
  let description = [{
    Rewrites `math.exp` on f32 vectors (the vector path's epilogue: sigmoid,
    swish/silu, exponential, softplus...) into upstream's polynomial
    approximation (range reduction to [-ln 2 / 2, ln 2 / 2], a degree-6
    polynomial, scaling by 2^k through the exponent bits), which stays in
    vector registers; libm's expf would be called once per lane. Scalar ops
    (the loop path) keep libm. Measured against double-precision exp on
    every 16th float of [-87, 88]: at most 1 ulp (with FMA, znver4); the
    sweep and the Keras golden suite check the activations end to end.
    The polynomial's `vector.fma` and `math.floor` become `vector.fma` and
    `llvm.intr.floor` on the whole vector (libm's fmaf and floorf would be
    called per lane).
  }];
  let dependentDialects = [
    "::mlir::arith::ArithDialect",
    "::mlir::LLVM::LLVMDialect",
    "::mlir::math::MathDialect",
    "::mlir::vector::VectorDialect"
  ];
}

def DWConvCPUDistributeTilesPass
    : Pass<"dwconv-cpu-distribute-tiles", "::mlir::func::FuncOp"> {
  let summary = "Turn a kernel's tile loop into a range of tile indices";
  let description = [{
    On a bufferized layer kernel (`dwconv.layer`), replaces the one top-level
    `scf.forall` over output tiles by an `scf.for` over the tile indices
    `[tile_begin, tile_end)`, two `index` arguments appended to the function.
    Tile `t` is the row-major position `t` in the forall's iteration grid
    (`ceil((ub - lb) / step)` tiles per dim), which is how the runtime counts
    tiles from the metadata's tile shape. Each tile is computed exactly as
    the forall computed it, so any split of the indices gives the same bits.
  }];
  let dependentDialects = [
    "::mlir::affine::AffineDialect",
    "::mlir::arith::ArithDialect",
    "::mlir::scf::SCFDialect"
  ];
}

def DWConvCPUPackWeightsPass
    : Pass<"dwconv-cpu-pack-weights", "::mlir::ModuleOp"> {
  let summary = "Give layer kernels packed weights, and a pack function";
  let description = [{
    For each layer kernel whose kernel and bias are arguments, replaces them
    by one packed buffer (`tensor<Pxf32>`, P a multiple of 16: the bias, then
    the kernel in `(kh, kw, C * M)` order, each at a 64-byte aligned offset)
    and adds `dwconv_pack.<name>`, which writes that buffer from Keras's
    kernel and bias. Baked weights are packed into a constant. Records the
    size in `dwconv.packed_weights_bytes`.
  }];
  let dependentDialects = [
    "::mlir::arith::ArithDialect",
    "::mlir::bufferization::BufferizationDialect",
    "::mlir::func::FuncDialect",
    "::mlir::linalg::LinalgDialect",
    "::mlir::tensor::TensorDialect"
  ];
}

def DWConvCPUPlanWorkspacePass
    : Pass<"dwconv-cpu-plan-workspace", "::mlir::func::FuncOp"> {
  let summary = "Place a kernel's temporary buffers in a caller workspace";
  let description = [{
    On a bufferized layer kernel, replaces every `memref.alloc` by a
    `memref.view` into a workspace argument (`memref<?xi8>`, appended to the
    function) at a constant offset, sized by the allocation's constant upper
    bound (`ValueBoundsOpInterface`; an `affine.max` is bounded by the largest
    of its operands' bounds) rounded up to 64 bytes, and erases their
    deallocations. Buffers in different regions of their closest common
    `scf.if` never hold data at the same time and share room (first fit).
    The bytes used are recorded in `dwconv.workspace_bytes`: what one worker
    needs. Fails, naming the layer, for an allocation without a constant
    bound (one that grows with a dynamic input dim).
  }];
  let dependentDialects = [
    "::mlir::arith::ArithDialect",
    "::mlir::memref::MemRefDialect"
  ];
}

def DWConvCPUSelectStrategyPass
    : Pass<"dwconv-cpu-select-strategy", "::mlir::ModuleOp"> {
  let summary = "Choose each layer kernel's CPU tiling";
  let description = [{
    Records on each layer kernel (`dwconv.layer`) the output tile one tile
    index computes (`dwconv.tile_shape`) and, for layers that take the vector
    path, the register block (`dwconv.register_block`), as CPUStrategy.h
    chooses them for the layer and the target.
  }];
  let options = [
    Option<"vectorBits", "vector-bits", "unsigned", /*default=*/"128",
           "Width of the target's float vector registers in bits">,
    Option<"vectorRegisters", "vector-registers", "unsigned",
           /*default=*/"16", "Number of the target's float vector registers">,
    Option<"fma", "fma", "bool", /*default=*/"false",
           "Whether the target has fused multiply-add instructions">,
    Option<"targetCPU", "target-cpu", "std::string", /*default=*/"\"\"",
           "An LLVM CPU name (znver4, x86-64-v3, neoverse-v2, host) whose "
           "vector registers and FMA replace the three options above">,
    Option<"targetTriple", "target-triple", "std::string",
           /*default=*/"\"\"",
           "The triple of target-cpu (default: the host's)">
  ];
}

def DWConvCPUTileAndFusePass
    : Pass<"dwconv-cpu-tile-and-fuse", "::mlir::func::FuncOp"> {
  let summary = "Tile a layer kernel's output and fuse every producer";
  let description = [{
    Tiles the op that computes a layer kernel's result by the kernel's
    `dwconv.tile_shape` into an `scf.forall` over output tiles and fuses its
    producers (the contraction, padding, layout transposes, fills, softmax
    reductions) into it, so that each tile is computed from the input alone
    and its temporaries are tile-sized.
  }];
  let dependentDialects = [
    "::mlir::affine::AffineDialect",
    "::mlir::linalg::LinalgDialect",
    "::mlir::scf::SCFDialect",
    "::mlir::tensor::TensorDialect"
  ];
}

def DWConvCPUVectorizePass
    : Pass<"dwconv-cpu-vectorize", "::mlir::func::FuncOp"> {
  let summary = "Compute a layer kernel with register-blocked vector code";
  let description = [{
    On a layer kernel in linalg on tensors that carries a register block
    (`dwconv.register_block`), replaces the depthwise contraction, its
    zero-padding and its element-wise epilogue (bias, activation) by an
    `scf.forall` over the kernel's output tiles (`dwconv.tile_shape`: one
    image x a block of rows) whose body is vector code: per output row,
    channel block and block of columns, the accumulators of
    `columns x channel_vectors` output vectors stay in registers across the
    unrolled kernel taps (`vector.fma`, or multiply and add), and the
    epilogue is applied to them before the one store. Padding is never
    materialized: rows and columns whose taps all fall inside the input run
    unguarded; the border rows and columns test each tap row or column and
    skip the ones in the padding. A channel count that is not a multiple of
    the lanes ends in one masked vector. Depth multipliers that divide the
    lanes read each input vector once and spread its lanes with a shuffle.
    Kernels without the attribute are left to tiling and loops, and so are
    kernels whose form the pass does not recognize, once it drops their
    attribute (an error when their width is dynamic: the loop path bounds
    its temporaries by the tile's width).
  }];
  let dependentDialects = [
    "::mlir::affine::AffineDialect",
    "::mlir::arith::ArithDialect",
    "::mlir::math::MathDialect",
    "::mlir::scf::SCFDialect",
    "::mlir::tensor::TensorDialect",
    "::mlir::vector::VectorDialect"
  ];
}

def DWConvGPUSelectStrategyPass
    : Pass<"dwconv-gpu-select-strategy", "::mlir::ModuleOp"> {
  let summary = "Choose each layer kernel's thread blocks and threads";
  let description = [{
    Records on each layer kernel (`dwconv.layer`) the output tile one thread
    block computes (`dwconv.tile_shape`) and how its threads share it
    (`dwconv.gpu_mapping`: threads in x along the contiguous output dim,
    threads in y, outputs per thread along the blocked dim), as
    GPUStrategy.h chooses them.
  }];
  let options = [
    Option<"computeCapability", "compute-capability", "unsigned",
           /*default=*/"80",
           "The oldest compute capability the code runs on (10 x major + "
           "minor)">,
    Option<"threadsX", "threads-x", "int64_t", /*default=*/"0",
           "Threads along the contiguous dim (0: the heuristics')">,
    Option<"threadsY", "threads-y", "int64_t", /*default=*/"0",
           "Threads along the blocked dim (0: the heuristics')">,
    Option<"outputsPerThread", "outputs-per-thread", "int64_t",
           /*default=*/"0", "Outputs per thread (0: the heuristics')">
  ];
}

def DWConvGPUCheckLibdevicePass
    : Pass<"dwconv-gpu-check-libdevice", "::mlir::ModuleOp"> {
  let summary = "Refuse GPU kernels that call libdevice when it is absent";
  let description = [{
    After the lowering to NVVM, the transcendental functions of some
    activations (exp, tanh, erf, log1p, ...) are calls to CUDA's libdevice
    (`__nv_*`), which serialization links from the toolkit. Without
    libdevice (`available=false`) such a kernel would become PTX with an
    unresolved call; this pass makes that an error naming the layer and the
    function instead.
  }];
  let options = [
    Option<"available", "available", "bool", /*default=*/"false",
           "Whether libdevice will be linked">
  ];
}

def DWConvGPUCreateKernelsPass
    : Pass<"dwconv-gpu-create-kernels", "::mlir::ModuleOp"> {
  let summary = "Turn mapped layer kernels into GPU kernels";
  let description = [{
    For each layer kernel on buffers whose body is the mapped loops
    (dwconv-gpu-map-to-threads), adds to the module's `gpu.module
    @dwconv_kernels` a `gpu.func` kernel `dwconv_<layer>_kernel` with the
    same arguments,
    launched with one thread block per ABI tile and the mapping's threads
    (`known_block_size`): the tile loop's induction values come from
    `gpu.block_id x` (delinearized row-major, as the ABI numbers tiles), each
    loop over the threads becomes the body of every thread (`gpu.thread_id y`
    and `x`), and consecutive loops over the threads are separated by a
    `gpu.barrier`. Baked weights (a host constant) become the kernel's
    second argument, like weights given at run time, and the host function
    records their global (`dwconv.baked_weights`); it is otherwise left as
    it is.
  }];
  let dependentDialects = [
    "::mlir::arith::ArithDialect",
    "::mlir::gpu::GPUDialect",
    "::mlir::memref::MemRefDialect"
  ];
}

def DWConvGPUSerializePass
    : Pass<"dwconv-gpu-serialize", "::mlir::ModuleOp"> {
  let summary = "Serialize GPU modules to PTX and, optionally, cubins";
  let description = [{
    Replaces each `gpu.module` (lowered to NVVM) by a `gpu.binary` holding,
    for each of its targets, the PTX and, with `cubin`, the cubin that the
    toolkit's ptxas makes of it: upstream's gpu-module-to-binary makes one
    format per run, and the runtime wants both (a cubin for the device it
    is for, PTX for the newer ones).
  }];
  let options = [
    Option<"toolkit", "toolkit", "std::string", /*default=*/"\"\"",
           "The CUDA toolkit (ptxas) for cubins">,
    Option<"cubin", "cubin", "bool", /*default=*/"false",
           "Also make a cubin for each target (needs ptxas)">
  ];
}

def DWConvGPUMapToThreadsPass
    : Pass<"dwconv-gpu-map-to-threads", "::mlir::func::FuncOp"> {
  let summary = "Compute a layer kernel as thread blocks of scalar threads";
  let description = [{
    On a layer kernel in linalg on tensors that carries a thread mapping
    (`dwconv.gpu_mapping`), replaces the depthwise contraction, its
    zero-padding and its element-wise epilogue by two nested `scf.forall`
    loops on the kernel's buffers: the outer one over the output tiles
    (`dwconv.tile_shape`; one thread block each, as the runtime ABI numbers
    tiles), the inner one over the block's threads (mapped to
    `#gpu.thread<y>` and `#gpu.thread<x>`). A thread computes
    `outputs_per_thread` outputs of one channel (channels_last) or one
    column (channels_first): accumulators in registers, a loop over the
    kernel rows, the kernel columns unrolled, each tap a fused multiply-add
    (`llvm.intr.fma`: one instruction on both targets)
    in (kh, kw) order, taps that fall in the padding skipped (their loads
    clamped inside the input, never a padded copy), then the epilogue and a
    store guarded by the output's bounds. Weights and bias are read from the
    packed weights. softmax and log_softmax (tiles of whole rows of the
    contiguous dim) add a second loop over the threads, after the first one
    is done, that normalizes each row in place. The loops run on a GPU once
    they become a launch, and as plain loops on a CPU, which is how the tests
    check the mapping.
  }];
  let dependentDialects = [
    "::mlir::arith::ArithDialect",
    "::mlir::bufferization::BufferizationDialect",
    "::mlir::gpu::GPUDialect",
    "::mlir::LLVM::LLVMDialect",
    "::mlir::math::MathDialect",
    "::mlir::memref::MemRefDialect",
    "::mlir::scf::SCFDialect"
  ];
}

def DWConvOutlineKernelsPass
    : Pass<"dwconv-outline-kernels", "::mlir::ModuleOp"> {
  let summary = "Turn layer functions into kernels that write their output";
  let description = [{
    A layer function is a public `func.func` whose arguments are the input,
    the depthwise kernel and optionally the bias of one
    `dwconv.depthwise_conv2d` that it returns (or only the input, when kernel
    and bias are constants: baked weights). Each becomes a private kernel
    `dwconv_kernel.<name>` in destination-passing style (the result is
    materialized into a writable output argument, so bufferization writes
    straight into the caller's buffer), carrying the layer's ABI record
    `dwconv.layer`; `<name>` is the function name made a C identifier.
    Refuses, with the reason, functions that are not layer functions, names
    that clash, dynamic kernel shapes or channel counts, and result types
    more static than the input implies.
  }];
  let dependentDialects = [
    "::mlir::bufferization::BufferizationDialect",
    "::mlir::func::FuncDialect"
  ];
}

#endif // DWCONV_CODEGEN_PASSES_TD
