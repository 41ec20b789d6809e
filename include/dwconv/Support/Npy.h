//===- Npy.h - NumPy .npy files of float32 ----------------------*- C++ -*-===//

#ifndef DWCONV_SUPPORT_NPY_H
#define DWCONV_SUPPORT_NPY_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <vector>

namespace mlir {
namespace dwconv {

struct NpyArray {
  llvm::SmallVector<int64_t, 4> shape;
  std::vector<float> data; // C order
};

/// Reads a little-endian float32 ('<f4'), C-order .npy file (format 1.0-3.0).
/// Anything else (another dtype, Fortran order, a truncated or malformed file)
/// is an error that names the file and what was expected.
llvm::Expected<NpyArray> readNpy(llvm::StringRef path);

/// Writes `data` as a float32 .npy file of `shape`.
llvm::Error writeNpy(llvm::StringRef path, llvm::ArrayRef<int64_t> shape,
                     llvm::ArrayRef<float> data);

/// "(1, 13, 14, 4)", as NumPy prints a shape; -1 prints as "?".
std::string formatShape(llvm::ArrayRef<int64_t> shape);

} // namespace dwconv
} // namespace mlir

#endif // DWCONV_SUPPORT_NPY_H
