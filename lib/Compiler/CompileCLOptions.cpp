//===- CompileCLOptions.cpp - how dwconv-compile generates code -----------===//
//
// The command-line options that choose the target and the checks of a
// compilation (registered on demand, as upstream's
// registerPassManagerCLOptions does).
//
//===----------------------------------------------------------------------===//

#include "dwconv/Compiler/Compiler.h"

#include "llvm/Support/CommandLine.h"

using namespace mlir;
using namespace mlir::dwconv;
namespace cl = llvm::cl;

namespace {
struct CompileCLOptions {
  explicit CompileCLOptions(cl::OptionCategory &category)
      : targetCPU("target-cpu", cl::cat(category),
                  cl::desc("Target CPU (default: host)")),
        triple("triple", cl::cat(category),
               cl::desc("Target triple (default: host)")),
        optLevel("O", cl::cat(category), cl::desc("Optimization level 0-3"),
                 cl::init(3), cl::Prefix),
        gpuArchs("gpu-arch", cl::cat(category), cl::CommaSeparated,
                 cl::desc("GPU architectures for --device=cuda (default "
                          "sm_80)"),
                 cl::value_desc("sm_80,sm_90,...")),
        cudaPath("cuda-path", cl::cat(category), cl::value_desc("dir"),
                 cl::desc("CUDA toolkit (default: $CUDA_PATH or "
                          "/usr/local/cuda)")),
        verifyEachPass(
            "verify-each", cl::cat(category), cl::Hidden,
            cl::desc("Verify the IR after every pass, not only after each "
                     "stage (finds the pass that breaks it; slower)")) {}

  cl::opt<std::string> targetCPU;
  cl::opt<std::string> triple;
  cl::opt<unsigned> optLevel;
  cl::list<std::string> gpuArchs;
  cl::opt<std::string> cudaPath;
  cl::opt<bool> verifyEachPass;
};
} // namespace

static std::unique_ptr<CompileCLOptions> &getOptions() {
  static std::unique_ptr<CompileCLOptions> options;
  return options;
}

void mlir::dwconv::registerCompileCLOptions(cl::OptionCategory &category) {
  if (!getOptions())
    getOptions() = std::make_unique<CompileCLOptions>(category);
}

void mlir::dwconv::applyCompileCLOptions(CompileOptions &options) {
  const std::unique_ptr<CompileCLOptions> &cl = getOptions();
  if (!cl)
    return;
  options.target.cpu = cl->targetCPU;
  options.target.triple = cl->triple;
  options.target.optLevel = cl->optLevel;
  options.gpu.archs.assign(cl->gpuArchs.begin(), cl->gpuArchs.end());
  options.gpu.cudaPath = cl->cudaPath;
  options.verifyEachPass = cl->verifyEachPass;
}
