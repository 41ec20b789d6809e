//===- CPUStrategy.h - how a layer is computed on a CPU ---------*- C++ -*-===//
//
// The heuristics of the CPU backend, apart from the passes that apply them
// (as IREE keeps KernelDispatch apart from its pipelines): which output tile
// one tile index computes, and how weights are packed.
//
//===----------------------------------------------------------------------===//

#ifndef DWCONV_CODEGEN_CPUSTRATEGY_H
#define DWCONV_CODEGEN_CPUSTRATEGY_H

#include "dwconv/Target/LayerABI.h"

#include <optional>

namespace mlir {
namespace dwconv {

/// What the heuristics know of the target CPU.
struct CPUTarget {
  /// Width of the float vector registers in bits (128, 256, 512).
  unsigned vectorBits = 128;
  /// Number of those registers (16 for SSE and AVX2, 32 for AVX-512, NEON).
  unsigned vectorRegisters = 16;
  /// Whether a fused multiply-add instruction exists (else multiply and add).
  bool fma = false;
};

/// How the vector path computes a layer (see DWConvCPUVectorize.cpp): each
/// step of its inner loop keeps `columns` output columns x `channelVectors`
/// vectors of `lanes` channels in registers, across every kernel tap.
struct RegisterBlock {
  int64_t columns = 1;
  int64_t channelVectors = 1;
  int64_t lanes = 4;
  /// Accumulate with fused multiply-adds (one rounding per tap).
  bool fma = false;
  /// Load the kernel's kh x kw x channelVectors weight vectors once per
  /// channel block and keep them in registers across all its columns.
  bool residentWeights = false;

  /// As the attribute `dwconv.register_block` records it.
  DictionaryAttr toAttr(MLIRContext *ctx) const;
  static FailureOr<RegisterBlock> fromAttr(DictionaryAttr attr);
};

/// The attribute recording a kernel's register block; kernels without it
/// take the loop path (tile, fuse, loops).
constexpr StringLiteral kRegisterBlockAttr = "dwconv.register_block";

struct CPUStrategy {
  /// Output tile per output dim, in the layer's data_format order; 0 means
  /// the whole dim.
  SmallVector<int64_t, 4> tileShape;
  /// Set when the layer takes the vector path.
  std::optional<RegisterBlock> registerBlock;
};

/// The strategy for `layer` on `target`, or an error at `loc` saying why the
/// layer cannot be tiled.
FailureOr<CPUStrategy> selectCPUStrategy(const LayerABI &layer,
                                         const CPUTarget &target, Location loc);

/// The LLVM passes a layer kernel's code gets.
struct LLVMPasses {
  /// LLVM's default pipeline with its loop passes (unrolling, vectorizers,
  /// induction variable rewriting); otherwise a short one of scalar
  /// cleanups (ObjectEmitter.cpp).
  bool defaultPipeline = true;
  /// Loop strength reduction during code generation.
  bool strengthReduction = true;
};

/// The LLVM passes worth running on `layer`'s kernel given its strategy's
/// register block (none: the loop path).
LLVMPasses selectLLVMPasses(const LayerABI &layer,
                            std::optional<RegisterBlock> block);

/// Where the packed weights keep the bias and the kernel, in floats.
struct PackedWeightsLayout {
  int64_t biasOffset = 0;
  /// The kernel, in (kh, kw, C * M) order, each of its kh * kw taps
  /// `tapStride` floats after the previous one (C * M, or more: see
  /// getPackedWeightsLayout).
  int64_t kernelOffset = 0;
  int64_t tapStride = 0;
  /// The whole buffer, a multiple of the ABI alignment.
  int64_t size = 0;
};

PackedWeightsLayout getPackedWeightsLayout(const LayerABI &layer);

} // namespace dwconv
} // namespace mlir

#endif // DWCONV_CODEGEN_CPUSTRATEGY_H
