//===- Archive.h - .keras archives and their weights ------------*- C++ -*-===//
//
// A .keras file is a zip holding `config.json` (the model), `metadata.json`
// and `model.weights.h5` (HDF5). Read with libzip and the HDF5 C library.
//
//===----------------------------------------------------------------------===//

#ifndef DWCONV_FRONTEND_KERAS_ARCHIVE_H
#define DWCONV_FRONTEND_KERAS_ARCHIVE_H

#include "mlir/IR/Location.h"
#include "mlir/Support/LLVM.h"

#include <memory>
#include <string>
#include <vector>

namespace mlir {
namespace dwconv {

/// The weights file of an archive, extracted to a temporary file while open.
class KerasWeights {
public:
  ~KerasWeights();
  /// Reads the float32 dataset at `path` (e.g. "layers/depthwise_conv2d/
  /// vars/0"), which must have `shape`. Errors name the archive and dataset.
  FailureOr<std::vector<float>> read(StringRef path, ArrayRef<int64_t> shape,
                                     Location loc) const;

  /// A legacy .h5 model file (tf.keras 2 / Keras 2 `model.save("m.h5")`):
  /// a layer's weights are in "model_weights/<layer>", in the order of the
  /// group's `weight_names`, and "GROUP/vars/I" reads the I-th of them.
  bool isLegacy() const { return extracted.empty(); }

private:
  friend struct KerasArchive;
  FailureOr<std::string> resolveLegacy(StringRef path, Location loc) const;
  int64_t file = -1; // hid_t
  std::string archive, extracted;
};

struct KerasArchive {
  std::string config; // config.json
  std::unique_ptr<KerasWeights> weights;

  /// Opens `path`. Errors go to `loc`.
  /// `maxMemberBytes` bounds what one member inflates to (0: the default
  /// rule, see Archive.cpp); CRCs are checked.
  static FailureOr<KerasArchive> open(StringRef path, Location loc,
                                      int64_t maxMemberBytes = 0);
  /// Opens a legacy .h5 model file: the config is its root attribute
  /// `model_config`.
  static FailureOr<KerasArchive> openLegacyH5(StringRef path, Location loc);
};

} // namespace dwconv
} // namespace mlir

#endif // DWCONV_FRONTEND_KERAS_ARCHIVE_H
