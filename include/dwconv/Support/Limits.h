//===- Limits.h - the bounds dwconv enforces on what it is given -*- C++
//-*-===//
//
// Every bound the importer, the dialect and the compiler enforce, in one
// place (docs/limits.md explains each). Specs come from model zoos and
// uploads: what exceeds a bound is refused with a message naming the layer,
// the field and the bound, before any size is computed with it. Keras itself
// has none of these bounds; each is far beyond any real model.
//
//===----------------------------------------------------------------------===//

#ifndef DWCONV_SUPPORT_LIMITS_H
#define DWCONV_SUPPORT_LIMITS_H

#include <cstdint>

namespace mlir {
namespace dwconv {
namespace limits {

/// Any one size: a tensor dim (batch, height, width, channels), the kernel's
/// height and width, the depth multiplier, a stride, a dilation, a pad, and
/// the dilated kernel window (k - 1) * dilation + 1. 2^31 - 1: every index
/// the generated code forms from a few of them fits in int64 with room.
constexpr int64_t kMaxSize = (int64_t(1) << 31) - 1;

/// Elements of one tensor with static dims (input, kernel, output): 2^40
/// (4 TiB of float32), so that byte counts and offsets never wrap.
constexpr int64_t kMaxElements = int64_t(1) << 40;

/// Nesting of JSON arrays and objects in a spec (Keras configs nest about
/// 20 deep): the parser recurses per level.
constexpr int64_t kMaxJsonDepth = 512;

/// Models nested in models (Sequential in Functional in ...).
constexpr int64_t kMaxModelNesting = 64;

/// Entry points one compilation generates (distinct depthwise layers and
/// input shapes of a model).
constexpr int64_t kMaxEntryPoints = 4096;

/// Bytes the importer inflates from one archive member when nothing tighter
/// is known (a .keras archive's config.json and metadata.json).
constexpr int64_t kMaxConfigBytes = int64_t(64) << 20;

/// Bytes of weights beyond what the model's declared shapes need that an
/// archive's weights file may hold (HDF5's own structures, optimizer state
/// and layers dwconv does not compile): the cap on what is inflated is the
/// declared weights plus this, unless the user raises it.
constexpr int64_t kWeightsFileSlackBytes = int64_t(256) << 20;

} // namespace limits
} // namespace dwconv
} // namespace mlir

#endif // DWCONV_SUPPORT_LIMITS_H
