//===- Compiler.h - spec in, object and header out --------------*- C++ -*-===//
//
// What every tool uses: load a spec (a .mlir module of layer functions, or a
// Keras file) and compile its layers, stage by stage, for a target:
//
//   import -> dwconv (shapes inferred) -> linalg (kernels) -> backend
//   lowering (cpu: tiled, bufferized, LLVM dialect) -> emit (entry points,
//   header, object)
//
// A layer function is a public func.func whose arguments are the input, the
// depthwise kernel and optionally the bias of one dwconv.depthwise_conv2d, and
// which returns that op's result.
//
//===----------------------------------------------------------------------===//

#ifndef DWCONV_COMPILER_COMPILER_H
#define DWCONV_COMPILER_COMPILER_H

#include "dwconv/Frontend/Keras/Import.h"
#include "dwconv/Target/LayerABI.h"
#include "dwconv/Target/TargetDescription.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/OwningOpRef.h"
#include "llvm/Support/CommandLine.h"

#include <string>

namespace mlir {
namespace dwconv {

/// Registers the dialects, interfaces and translations the compiler uses.
void registerCompilerDialects(DialectRegistry &registry);

/// Options of a spec: the Keras import options, which --name and
/// --input-shape also apply to a single-layer .mlir spec.
using SpecOptions = KerasImportOptions;

/// Loads a spec file: a Keras file (see Frontend/Keras/Import.h) or an MLIR
/// module of layer functions. Errors are emitted as diagnostics.
OwningOpRef<ModuleOp> loadSpec(MLIRContext *ctx, StringRef path,
                               const SpecOptions &options);

/// Registers the options that say how Keras files are read (shared by the
/// tools): --weights-as-arguments, --no-fold, --max-archive-bytes.
void registerKerasCLOptions(llvm::cl::OptionCategory &category);
/// Sets `options` from those options, if registered.
void applyKerasCLOptions(SpecOptions &options);

/// Where compilation stops, and what it writes.
/// PTX: the GPU kernels' PTX (the cuda backend, one architecture).
/// Shared: a shared library of the object and the runtime, whose layer table
/// is also exported as dwconv_library_layers (writeSharedLibrary links it).
enum class EmitKind { MLIR, Linalg, LLVMIR, Assembly, Object, PTX, Shared };

/// The code generator a compilation uses.
/// CUDAMappingOnCPU compiles the CUDA backend's mapped loops for the CPU,
/// run in sequence: what the tests use to check the GPU kernels' tiling,
/// bounds and padding without a GPU.
enum class Backend { CPU, CUDA, CUDAMappingOnCPU };

/// Where the cuda backend finds its targets and the toolkit.
struct GPUOptions {
  /// Architectures (sm_80, sm_90, ...); empty means sm_80.
  SmallVector<std::string> archs;
  /// The CUDA toolkit; empty means $CUDA_PATH, else /usr/local/cuda. Its
  /// libdevice is needed only by activations with transcendental functions.
  std::string cudaPath;
};

struct CompileOptions {
  TargetOptions target;
  GPUOptions gpu;
  Backend backend = Backend::CPU;
  EmitKind emit = EmitKind::Object;
  /// Verifies the IR after every pass, not only after each stage: finds the
  /// pass that breaks it, at about half again the compile time.
  bool verifyEachPass = false;
  /// Include guard of the header.
  std::string headerGuard = "DWCONV_GENERATED_H";
};

/// Registers the options that choose the target and the checks of a
/// compilation: --target-cpu, --triple, -O, --gpu-arch, --cuda-path and the
/// hidden --verify-each.
void registerCompileCLOptions(llvm::cl::OptionCategory &category);
/// Sets `options` from those options, if registered.
void applyCompileCLOptions(CompileOptions &options);

struct CompileResult {
  std::string output;
  std::string header;
  SmallVector<LayerABI, 0> layers;
};

/// The header written beside an output file of kind `emit` when none is
/// named: its name with .h for LLVM IR, assembly and objects ("" for other
/// kinds and for stdout, "-").
std::string getDefaultHeaderPath(EmitKind emit, StringRef outputPath);

/// The include guard of a header at `headerPath`.
std::string getHeaderGuard(StringRef headerPath);

/// Prints each layer of a loaded spec: its Keras name, symbol, shapes,
/// options and the layers folded into it.
LogicalResult listLayers(ModuleOp spec, llvm::raw_ostream &os);

/// Keeps only the layer `name` (its Keras name or symbol) of a loaded spec;
/// with no name, checks that the spec has one layer. Errors list the names.
LogicalResult selectLayer(ModuleOp spec, StringRef name);

/// Writes `contents` to `path` ("-": stdout); an error names the path.
LogicalResult writeOutputFile(StringRef path, StringRef contents,
                              MLIRContext *ctx);

/// Writes a Makefile rule for build systems that track inputs (Ninja's and
/// Make's depfiles): every path of `targets` depends on every path of
/// `inputs`. Spaces, '#' and '$' in paths are escaped.
LogicalResult writeDepfile(StringRef path, ArrayRef<std::string> targets,
                           ArrayRef<std::string> inputs, MLIRContext *ctx);

/// Links `object` (a compiled object) with the runtime into a shared library
/// at `path`, with the C compiler driver ($CC, else cc). The runtime is
/// $DWCONV_RUNTIME_LIBRARY, else libdwconv_runtime.a in ../lib beside the
/// running tool (the build tree's and an install's layout).
LogicalResult writeSharedLibrary(StringRef path, StringRef object,
                                 MLIRContext *ctx);

/// Writes a compilation's output: the shared library for EmitKind::Shared,
/// else the output itself.
LogicalResult writeCompileResult(StringRef path, const CompileResult &result,
                                 EmitKind emit, MLIRContext *ctx);

/// Compiles every layer function of `spec` (which it rewrites) into one
/// artifact of `options.emit` kind.
FailureOr<CompileResult> compile(ModuleOp spec, const CompileOptions &options);

} // namespace dwconv
} // namespace mlir

#endif // DWCONV_COMPILER_COMPILER_H
