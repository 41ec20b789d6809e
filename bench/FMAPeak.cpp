//===- FMAPeak.cpp - this core's FP32 FMA peak ----------------------------===//
//
// Compiled on its own with -O2 -march=native -ffp-contract=fast (see
// CMakeLists.txt): a loop of independent vector multiply-adds at the widest
// vector width the host's -march=native enables, with enough accumulators to
// cover the FMA latency times the number of FMA pipes (4-5 cycles x 2 on
// current x86 cores; 12 leaves room and still fits the 16 registers of AVX2).
// Each `acc = acc * a + b` contracts to one FMA. The accumulators converge
// to b / (1 - a) = 1, away from denormals.
//
//===----------------------------------------------------------------------===//

#include "Bench.h"

#include <algorithm>
#include <chrono>

namespace {

#if defined(__AVX512F__)
constexpr int VectorBytes = 64;
#elif defined(__AVX__)
constexpr int VectorBytes = 32;
#else
constexpr int VectorBytes = 16; // SSE, NEON.
#endif
constexpr int Lanes = VectorBytes / sizeof(float);
constexpr int Accumulators = 12;

typedef float Vector __attribute__((vector_size(VectorBytes)));

/// Runs `iterations` x Accumulators vector FMAs; returns their sum so that
/// nothing is dead.
__attribute__((noinline)) float fmaLoop(int64_t iterations, float aScalar,
                                        float bScalar) {
  // A scalar added to a vector is broadcast to every lane.
  Vector a = Vector{} + aScalar, b = Vector{} + bScalar;
  Vector acc[Accumulators];
#pragma GCC unroll 16
  for (int i = 0; i < Accumulators; ++i)
    acc[i] = b * static_cast<float>(i);
  for (int64_t iteration = 0; iteration < iterations; ++iteration) {
#pragma GCC unroll 16
    for (int i = 0; i < Accumulators; ++i)
      acc[i] = acc[i] * a + b;
  }
  float sum = 0;
  for (int i = 0; i < Accumulators; ++i)
    for (int lane = 0; lane < Lanes; ++lane)
      sum += acc[i][lane];
  return sum;
}

} // namespace

double dwconv::bench::measureFMAPeak(int &vectorBits) {
  vectorBits = VectorBytes * 8;
  const int64_t iterations = 20000000;
  const double flops = 2.0 * Lanes * Accumulators * iterations;
  volatile float sink = 0;
  double best = 0;
  // The best of a few runs: the first may run before the clock ramps up.
  for (int run = 0; run < 7; ++run) {
    auto start = std::chrono::steady_clock::now();
    sink = sink + fmaLoop(iterations, 0.999999f, 0.000001f);
    std::chrono::duration<double> seconds =
        std::chrono::steady_clock::now() - start;
    best = std::max(best, flops / seconds.count() * 1e-9);
  }
  return best;
}
