//===- Archive.cpp - .keras archives and their weights --------------------===//

#include "dwconv/Frontend/Keras/Archive.h"

#include "dwconv/Support/Limits.h"

#include "mlir/IR/Diagnostics.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/raw_ostream.h"

#include <hdf5.h>
#include <zip.h>

using namespace mlir;
using namespace mlir::dwconv;

namespace {
/// What one member may inflate to: `maxBytes` where the user gives it, else
/// max(limits::kWeightsFileSlackBytes, 64 x its compressed size). Weights
/// compress little; a member that inflates far beyond its compressed size is
/// a zip bomb.
int64_t getInflateCap(const zip_stat_t &stat, int64_t maxBytes) {
  if (maxBytes > 0)
    return maxBytes;
  int64_t compressed = (stat.valid & ZIP_STAT_COMP_SIZE)
                           ? static_cast<int64_t>(std::min<zip_uint64_t>(
                                 stat.comp_size, zip_uint64_t(1) << 40))
                           : 0;
  return std::max(limits::kWeightsFileSlackBytes, 64 * compressed);
}

/// Reads one member of a zip archive, in chunks: the sizes in the archive's
/// directory are claims, so at most the cap is inflated, and reading to the
/// end makes libzip check the member's CRC.
FailureOr<std::string> readMember(zip_t *zip, const char *name,
                                  int64_t maxBytes, Location loc) {
  zip_stat_t stat;
  zip_file_t *file = nullptr;
  if (zip_stat(zip, name, 0, &stat) != 0 || !(file = zip_fopen(zip, name, 0)))
    return emitError(loc) << "the archive has no " << name
                          << " (a .keras file holds config.json and "
                             "model.weights.h5)";
  int64_t cap = getInflateCap(stat, maxBytes);
  std::string data;
  std::vector<char> chunk(1 << 16);
  while (true) {
    zip_int64_t read = zip_fread(file, chunk.data(), chunk.size());
    if (read < 0) {
      std::string why = zip_file_strerror(file);
      zip_fclose(file);
      return emitError(loc) << name << " is corrupt: " << why;
    }
    if (read == 0)
      break;
    if (static_cast<int64_t>(data.size()) + read > cap) {
      zip_fclose(file);
      InFlightDiagnostic diag = emitError(loc)
                                << name << " inflates to more than " << cap
                                << " bytes (";
      if (maxBytes > 0)
        return diag << "the --max-archive-bytes limit)";
      return diag << "the limit: 64 times its compressed size, at least "
                  << limits::kWeightsFileSlackBytes
                  << "); raise it with --max-archive-bytes if the file is "
                     "trusted";
    }
    data.append(chunk.data(), read);
  }
  zip_fclose(file);
  if ((stat.valid & ZIP_STAT_SIZE) && data.size() != stat.size)
    return emitError(loc) << name << " is corrupt: " << data.size()
                          << " bytes inflated, the archive says " << stat.size;
  return data;
}
} // namespace

FailureOr<KerasArchive> KerasArchive::open(StringRef path, Location loc,
                                           int64_t maxMemberBytes) {
  int error = 0;
  zip_t *zip = zip_open(path.str().c_str(), ZIP_RDONLY, &error);
  if (!zip) {
    zip_error_t zerror;
    zip_error_init_with_code(&zerror, error);
    InFlightDiagnostic diag = emitError(loc)
                              << "not a readable .keras (zip) "
                              << "archive: " << zip_error_strerror(&zerror);
    zip_error_fini(&zerror);
    return diag;
  }
  KerasArchive archive;
  FailureOr<std::string> config = readMember(
      zip, "config.json",
      maxMemberBytes ? maxMemberBytes : limits::kMaxConfigBytes, loc);
  FailureOr<std::string> weights =
      succeeded(config)
          ? readMember(zip, "model.weights.h5", maxMemberBytes, loc)
          : FailureOr<std::string>(failure());
  zip_close(zip);
  if (failed(weights))
    return failure();
  archive.config = std::move(*config);

  // HDF5 reads files: give it the weights as a temporary one.
  auto owned = std::unique_ptr<KerasWeights>(new KerasWeights());
  owned->archive = path.str();
  llvm::SmallString<128> temp;
  int fd;
  if (llvm::sys::fs::createTemporaryFile("dwconv-weights", "h5", fd, temp))
    return emitError(loc) << "cannot create a temporary file for the weights";
  owned->extracted = temp.str().str();
  {
    llvm::raw_fd_ostream os(fd, /*shouldClose=*/true);
    os << *weights;
  }
  H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr); // errors are ours to report
  owned->file = H5Fopen(owned->extracted.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
  if (owned->file < 0)
    return emitError(loc) << "model.weights.h5 is not a readable HDF5 file";
  archive.weights = std::move(owned);
  return archive;
}

/// A string attribute of an HDF5 object (fixed or variable length), or
/// std::nullopt.
static std::optional<std::string> readStringAttribute(hid_t object,
                                                      const char *name) {
  if (H5Aexists(object, name) <= 0)
    return std::nullopt;
  hid_t attribute = H5Aopen(object, name, H5P_DEFAULT);
  hid_t type = H5Aget_type(attribute);
  std::optional<std::string> value;
  if (H5Tget_class(type) == H5T_STRING && H5Tis_variable_str(type) > 0) {
    char *text = nullptr;
    if (H5Aread(attribute, type, &text) >= 0 && text)
      value = std::string(text);
    H5free_memory(text);
  } else if (H5Tget_class(type) == H5T_STRING) {
    std::string text(H5Tget_size(type), '\0');
    if (H5Aread(attribute, type, text.data()) >= 0)
      value = std::string(text.c_str());
  }
  H5Tclose(type);
  H5Aclose(attribute);
  return value;
}

FailureOr<KerasArchive> KerasArchive::openLegacyH5(StringRef path,
                                                   Location loc) {
  H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr); // errors are ours to report
  auto owned = std::unique_ptr<KerasWeights>(new KerasWeights());
  owned->archive = path.str();
  owned->file = H5Fopen(path.str().c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
  if (owned->file < 0)
    return emitError(loc) << "not a readable HDF5 file";
  std::optional<std::string> config =
      readStringAttribute(owned->file, "model_config");
  if (!config)
    return emitError(loc) << "an HDF5 file without a model_config "
                          << "attribute (a legacy Keras model file holds "
                             "one; weights-only files have no model)";
  KerasArchive archive;
  archive.config = std::move(*config);
  archive.weights = std::move(owned);
  return archive;
}

/// The `index`-th name of a variable-length string array attribute.
static std::optional<std::string>
readStringArrayItem(hid_t object, const char *name, size_t index) {
  if (H5Aexists(object, name) <= 0)
    return std::nullopt;
  hid_t attribute = H5Aopen(object, name, H5P_DEFAULT);
  hid_t type = H5Aget_type(attribute);
  hid_t space = H5Aget_space(attribute);
  hssize_t count = H5Sget_simple_extent_npoints(space);
  std::optional<std::string> value;
  size_t size = H5Tget_size(type);
  if (H5Tget_class(type) == H5T_STRING && count > 0 &&
      index < static_cast<size_t>(count) && !H5Tis_variable_str(type)) {
    std::string all(size * count, '\0');
    if (H5Aread(attribute, type, all.data()) >= 0)
      value = std::string(all.c_str() + size * index,
                          strnlen(all.c_str() + size * index, size));
  } else if (H5Tget_class(type) == H5T_STRING && count > 0 &&
             index < static_cast<size_t>(count)) {
    std::vector<char *> all(count, nullptr);
    if (H5Aread(attribute, type, all.data()) >= 0 && all[index])
      value = std::string(all[index]);
    H5Dvlen_reclaim(type, space, H5P_DEFAULT, all.data());
  }
  H5Sclose(space);
  H5Tclose(type);
  H5Aclose(attribute);
  return value;
}

FailureOr<std::string> KerasWeights::resolveLegacy(StringRef path,
                                                   Location loc) const {
  auto [group, index] = path.rsplit("/vars/");
  size_t i = 0;
  if (index.getAsInteger(10, i))
    return std::string(path);
  hid_t object = H5Oopen(file, group.str().c_str(), H5P_DEFAULT);
  if (object < 0)
    return emitError(loc) << "no weights group " << group;
  std::optional<std::string> name =
      readStringArrayItem(object, "weight_names", i);
  H5Oclose(object);
  if (!name)
    return emitError(loc) << group << ": no weight number " << i
                          << " in weight_names";
  return (group + "/" + *name).str();
}

KerasWeights::~KerasWeights() {
  if (file >= 0)
    H5Fclose(file);
  if (!extracted.empty())
    llvm::sys::fs::remove(extracted);
}

/// "float64", "int32", "string", ... for messages.
static std::string describeHdf5Type(hid_t type) {
  size_t bits = 8 * H5Tget_size(type);
  switch (H5Tget_class(type)) {
  case H5T_FLOAT:
    return "float" + std::to_string(bits);
  case H5T_INTEGER:
    return (H5Tget_sign(type) == H5T_SGN_NONE ? "uint" : "int") +
           std::to_string(bits);
  case H5T_STRING:
    return "string";
  default:
    return "non-numeric";
  }
}

FailureOr<std::vector<float>> KerasWeights::read(StringRef path,
                                                 ArrayRef<int64_t> shape,
                                                 Location loc) const {
  std::string resolved = path.str();
  if (isLegacy()) {
    FailureOr<std::string> legacy = resolveLegacy(path, loc);
    if (failed(legacy))
      return failure();
    resolved = *legacy;
  }
  // The diagnostic is at the archive already: name the member and dataset.
  auto fail = [&](const Twine &what) {
    return emitError(loc) << (isLegacy() ? "" : "model.weights.h5: ")
                          << resolved << ": " << what;
  };
  hid_t dataset = H5Dopen2(file, resolved.c_str(), H5P_DEFAULT);
  if (dataset < 0)
    return fail("no such dataset");
  hid_t space = H5Dget_space(dataset);
  int rank = H5Sget_simple_extent_ndims(space);
  SmallVector<hsize_t, 4> dims(std::max(rank, 0));
  H5Sget_simple_extent_dims(space, dims.data(), nullptr);
  H5Sclose(space);
  bool matches =
      rank == static_cast<int>(shape.size()) &&
      llvm::all_of(llvm::zip(dims, shape), [](auto pair) {
        return static_cast<int64_t>(std::get<0>(pair)) == std::get<1>(pair);
      });
  if (!matches) {
    H5Dclose(dataset);
    std::string found;
    llvm::raw_string_ostream os(found);
    llvm::interleaveComma(dims, os);
    return fail("has shape (" + found + "), expected one matching the layer");
  }
  // float32 only: HDF5 would convert int32, float16 or float64 data
  // silently (the layer config says float32; a weight of another type is a
  // file that does not match its config).
  hid_t type = H5Dget_type(dataset);
  bool float32 = H5Tget_class(type) == H5T_FLOAT && H5Tget_size(type) == 4;
  std::string typeName = describeHdf5Type(type);
  H5Tclose(type);
  if (!float32) {
    H5Dclose(dataset);
    return fail("holds " + typeName +
                " data; dwconv bakes float32 weights (the layer's dtype)");
  }
  std::vector<float> data(llvm::product_of(shape));
  herr_t status = H5Dread(dataset, H5T_NATIVE_FLOAT, H5S_ALL, H5S_ALL,
                          H5P_DEFAULT, data.data());
  H5Dclose(dataset);
  if (status < 0)
    return fail("cannot be read as float32");
  return data;
}
