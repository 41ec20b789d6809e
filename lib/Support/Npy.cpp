//===- Npy.cpp - NumPy .npy files of float32 ------------------------------===//
//
// Format: "\x93NUMPY", major, minor, header length (uint16 LE for 1.x,
// uint32 LE for 2.x/3.x), a Python dict literal with 'descr',
// 'fortran_order' and 'shape', padded; then the raw data.
//
//===----------------------------------------------------------------------===//

#include "dwconv/Support/Npy.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/Endian.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/raw_ostream.h"

#include <cstring>

using namespace mlir::dwconv;
using llvm::StringRef;

static llvm::Error npyError(StringRef path, const llvm::Twine &message) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                 path + ": " + message);
}

std::string mlir::dwconv::formatShape(llvm::ArrayRef<int64_t> shape) {
  std::string text = "(";
  for (auto [i, dim] : llvm::enumerate(shape))
    text +=
        (i ? ", " : "") + (dim < 0 ? std::string("?") : std::to_string(dim));
  return text + (shape.size() == 1 ? ",)" : ")");
}

/// The text after `'key':` in the header dict, trimmed.
static std::optional<StringRef> dictValue(StringRef header, StringRef key) {
  size_t at = header.find(("'" + key + "'").str());
  if (at == StringRef::npos)
    return std::nullopt;
  StringRef rest = header.drop_front(at + key.size() + 2).ltrim();
  if (!rest.consume_front(":"))
    return std::nullopt;
  return rest.ltrim();
}

namespace {
/// Where the header dict and the data lie in the bytes of a .npy file.
struct NpyLayout {
  StringRef header;
  size_t dataStart;
};
} // namespace

/// Checks the magic and the format version, and finds the header and the data.
static llvm::Expected<NpyLayout> locateHeader(StringRef path, StringRef bytes) {
  if (bytes.size() < 10 || !bytes.starts_with("\x93NUMPY"))
    return npyError(path, "not a .npy file (no \\x93NUMPY magic)");
  unsigned major = static_cast<unsigned char>(bytes[6]);
  if (major < 1 || major > 3)
    return npyError(path, "unsupported .npy format version " +
                              llvm::Twine(major) + " (expected 1, 2 or 3)");
  size_t lengthSize = major == 1 ? 2 : 4;
  if (bytes.size() < 8 + lengthSize)
    return npyError(path, "truncated header");
  uint64_t headerLength =
      major == 1 ? llvm::support::endian::read16le(bytes.data() + 8)
                 : llvm::support::endian::read32le(bytes.data() + 8);
  size_t dataStart = 8 + lengthSize + headerLength;
  if (bytes.size() < dataStart)
    return npyError(path, "truncated header");
  return NpyLayout{bytes.slice(8 + lengthSize, dataStart), dataStart};
}

/// Reads the shape tuple of the header, "(d0, d1, ...)", into `shape`.
static llvm::Error parseShape(StringRef path, StringRef shapeText,
                              llvm::SmallVectorImpl<int64_t> &shape) {
  if (!shapeText.consume_front("("))
    return npyError(path, "malformed shape in the header");
  StringRef dims = shapeText.take_until([](char c) { return c == ')'; });
  llvm::SmallVector<StringRef> parts;
  dims.split(parts, ',', -1, /*KeepEmpty=*/false);
  for (StringRef part : parts) {
    int64_t dim;
    if (part.trim().getAsInteger(10, dim) || dim < 0)
      return npyError(path, "malformed shape in the header");
    shape.push_back(dim);
  }
  return llvm::Error::success();
}

/// Checks for a C-order float32 array and reads its shape into `shape`.
static llvm::Error parseHeader(StringRef path, StringRef header,
                               llvm::SmallVectorImpl<int64_t> &shape) {
  std::optional<StringRef> descr = dictValue(header, "descr");
  std::optional<StringRef> order = dictValue(header, "fortran_order");
  std::optional<StringRef> shapeText = dictValue(header, "shape");
  if (!descr || !order || !shapeText)
    return npyError(path, "malformed header (expected 'descr', "
                          "'fortran_order' and 'shape')");
  StringRef dtype = descr->drop_front().take_until(
      [](char c) { return c == '\'' || c == '"'; });
  if (dtype != "<f4")
    return npyError(path, "dtype '" + dtype +
                              "' is not supported (expected float32, '<f4')");
  if (!order->starts_with("False"))
    return npyError(path, "Fortran-order arrays are not supported (expected "
                          "C order)");
  return parseShape(path, *shapeText, shape);
}

/// Reads the float32 `data` into `array.data`; its size must fit the shape.
static llvm::Error readData(StringRef path, StringRef data, NpyArray &array) {
  // Checked: a header's shape may claim more than any file can hold.
  uint64_t count = 1, expected = 0;
  for (int64_t dim : array.shape)
    if (__builtin_mul_overflow(count, uint64_t(dim), &count))
      return npyError(path, "shape " + formatShape(array.shape) +
                                " has more elements than fit in 64 bits");
  if (__builtin_mul_overflow(count, uint64_t(sizeof(float)), &expected))
    return npyError(path, "shape " + formatShape(array.shape) +
                              " needs more bytes than fit in 64 bits");
  uint64_t found = data.size();
  if (found != expected)
    return npyError(path, (found < expected ? "truncated: " : "corrupt: ") +
                              llvm::Twine("shape ") + formatShape(array.shape) +
                              " needs " + llvm::Twine(expected) +
                              " bytes of data, the file has " +
                              llvm::Twine(found));
  array.data.resize(count);
  for (uint64_t i = 0; i < count; ++i) {
    uint32_t word = llvm::support::endian::read32le(data.data() + 4 * i);
    std::memcpy(&array.data[i], &word, sizeof(float));
  }
  return llvm::Error::success();
}

llvm::Expected<NpyArray> mlir::dwconv::readNpy(StringRef path) {
  auto file = llvm::MemoryBuffer::getFile(path, /*IsText=*/false,
                                          /*RequiresNullTerminator=*/false);
  if (!file)
    return npyError(path, "cannot read: " + file.getError().message());
  StringRef bytes = (*file)->getBuffer();
  llvm::Expected<NpyLayout> layout = locateHeader(path, bytes);
  if (!layout)
    return layout.takeError();
  NpyArray array;
  if (llvm::Error error = parseHeader(path, layout->header, array.shape))
    return std::move(error);
  if (llvm::Error error =
          readData(path, bytes.drop_front(layout->dataStart), array))
    return std::move(error);
  return array;
}

llvm::Error mlir::dwconv::writeNpy(StringRef path,
                                   llvm::ArrayRef<int64_t> shape,
                                   llvm::ArrayRef<float> data) {
  std::string header = "{'descr': '<f4', 'fortran_order': False, 'shape': " +
                       formatShape(shape) + ", }";
  // Pad with spaces so the data starts on a 64-byte boundary, newline last.
  size_t total = 10 + header.size() + 1;
  header.append((64 - total % 64) % 64, ' ');
  header.push_back('\n');
  std::error_code ec;
  llvm::raw_fd_ostream os(path, ec);
  if (ec)
    return npyError(path, "cannot write: " + ec.message());
  os << "\x93NUMPY" << '\x01' << '\x00';
  char length[2];
  llvm::support::endian::write16le(length, header.size());
  os.write(length, 2);
  os << header;
  for (float value : data) {
    uint32_t word;
    std::memcpy(&word, &value, sizeof(float));
    char out[4];
    llvm::support::endian::write32le(out, word);
    os.write(out, 4);
  }
  return llvm::Error::success();
}
