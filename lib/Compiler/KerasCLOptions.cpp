//===- KerasCLOptions.cpp - how the tools read Keras files ----------------===//
//
// The command-line options that say how a Keras model is read, shared by
// dwconv-compile and dwconv-run (registered on demand, as upstream's
// registerPassManagerCLOptions does).
//
//===----------------------------------------------------------------------===//

#include "dwconv/Compiler/Compiler.h"

#include "llvm/Support/CommandLine.h"

using namespace mlir;
using namespace mlir::dwconv;
namespace cl = llvm::cl;

namespace {
struct KerasCLOptions {
  explicit KerasCLOptions(cl::OptionCategory &category)
      : weightsAsArguments(
            "weights-as-arguments", cl::cat(category),
            cl::desc("For a .keras archive: take kernel and bias as "
                     "entry-point arguments instead of baking the archive's "
                     "weights in")),
        noFold("no-fold", cl::cat(category),
               cl::desc("For a model: compile each depthwise layer alone, "
                        "not folding ZeroPadding2D, BatchNormalization and "
                        "activation layers around it into it")),
        maxArchiveBytes(
            "max-archive-bytes", cl::cat(category), cl::value_desc("N"),
            cl::desc("For a .keras archive: the most bytes one member may "
                     "inflate to (default: 64 times its compressed size, at "
                     "least 256 MiB)"),
            cl::init(0)) {}

  cl::opt<bool> weightsAsArguments;
  cl::opt<bool> noFold;
  cl::opt<int64_t> maxArchiveBytes;
};
} // namespace

static std::unique_ptr<KerasCLOptions> &getOptions() {
  static std::unique_ptr<KerasCLOptions> options;
  return options;
}

void mlir::dwconv::registerKerasCLOptions(cl::OptionCategory &category) {
  if (!getOptions())
    getOptions() = std::make_unique<KerasCLOptions>(category);
}

void mlir::dwconv::applyKerasCLOptions(SpecOptions &options) {
  const std::unique_ptr<KerasCLOptions> &cl = getOptions();
  if (!cl)
    return;
  options.weightsAsArguments = cl->weightsAsArguments;
  options.foldBlocks = !cl->noFold;
  options.maxArchiveBytes = cl->maxArchiveBytes;
}
