//===- Summary.cpp - the table printed after the runs ---------------------===//
//
// One table per thread count: per layer the GFLOP/s of each implementation
// (the median over repetitions), dwconv's ratio to each peer and to the
// fastest peer of the layer, and each implementation's share of the FMA peak
// (one core's peak times the thread count). Then geometric means over
// MobileNetV2's layers and over the whole set: of GFLOP/s over the layers an
// implementation was timed on, of each ratio over the layers both sides were
// timed on. Footnotes say why a cell is n/a or failed, and which kernels
// the libraries picked where they say.
//
//===----------------------------------------------------------------------===//

#include "Bench.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>

using namespace dwconv::bench;

double Cell::median() const {
  std::vector<double> sorted = gflops;
  std::sort(sorted.begin(), sorted.end());
  size_t n = sorted.size();
  return n % 2 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
}

namespace {

bool isMobileNetV2(const Layer &layer) {
  return std::string(layer.name()).rfind("mnv2_", 0) == 0;
}

/// "1x112x112x32 3x3/2 same relu6", with the dilation, multiplier and data
/// format where they are not the defaults.
std::string describeShape(const Layer &l) {
  char text[128];
  int n = std::snprintf(
      text, sizeof(text), "%lldx%lldx%lldx%lld%s %lldx%lld/%lld",
      (long long)l.batch, (long long)(l.channelsFirst ? l.channels : l.height),
      (long long)(l.channelsFirst ? l.height : l.width),
      (long long)(l.channelsFirst ? l.width : l.channels),
      l.channelsFirst ? " nchw" : "", (long long)l.kernelH,
      (long long)l.kernelW, (long long)l.strideH);
  if (l.dilationH > 1)
    n += std::snprintf(text + n, sizeof(text) - n, " d%lld",
                       (long long)l.dilationH);
  if (l.multiplier > 1)
    n += std::snprintf(text + n, sizeof(text) - n, " M%lld",
                       (long long)l.multiplier);
  std::snprintf(text + n, sizeof(text) - n, " %s %s",
                l.samePadding ? "same" : "valid",
                dwconv_activation_name(l.activation));
  return text;
}

/// A cell's GFLOP/s, or why there is none.
std::string formatGFlops(const Cell &cell) {
  if (cell.kind == Cell::NotApplicable)
    return "n/a";
  if (cell.kind == Cell::Failed)
    return "FAIL";
  if (!cell.timed())
    return "-";
  char text[32];
  std::snprintf(text, sizeof(text), "%.2f", cell.median());
  return text;
}

std::string formatNumber(double value, const char *format) {
  if (!(value > 0))
    return "-";
  char text[32];
  std::snprintf(text, sizeof(text), format, value);
  return text;
}

/// Running geometric mean.
struct GeoMean {
  double logSum = 0;
  int count = 0;
  void add(double value) {
    logSum += std::log(value);
    ++count;
  }
  double value() const { return count ? std::exp(logSum / count) : 0; }
};

/// The columns of one row: GFLOP/s per implementation, dwconv's ratio to
/// each peer and to the fastest, the share of the peak per implementation.
struct Row {
  std::vector<double> gflops;
  std::vector<double> ratios; // Per peer, then the fastest peer.
};

Row rowOf(const Results &results, size_t layer, size_t threads) {
  size_t count = results.implementations.size();
  Row row;
  for (size_t i = 0; i < count; ++i) {
    const Cell &cell = results.at(layer, threads, i);
    row.gflops.push_back(cell.timed() ? cell.median() : 0);
  }
  double best = 0;
  for (size_t i = 1; i < count; ++i) {
    row.ratios.push_back(row.gflops[0] > 0 && row.gflops[i] > 0
                             ? row.gflops[0] / row.gflops[i]
                             : 0);
    best = std::max(best, row.gflops[i]);
  }
  if (count > 1)
    row.ratios.push_back(row.gflops[0] > 0 && best > 0 ? row.gflops[0] / best
                                                       : 0);
  return row;
}

} // namespace

namespace {

constexpr const char *RowFormat = "%-20s %-34s %7s |";

void printHeader(const Results &results, size_t threads) {
  int count = results.threadCounts[threads];
  std::printf("\n== %d thread%s: GFLOP/s (median), dwconv / peer, %% of the "
              "FMA peak (%d x %.1f GFLOP/s) ==\n",
              count, count == 1 ? "" : "s", count, results.peak);
  std::printf(RowFormat, "layer", "shape", "MFLOP");
  for (const std::string &name : results.implementations)
    std::printf(" %8s", name.c_str());
  if (results.implementations.size() > 1) {
    std::printf(" |");
    for (size_t i = 1; i < results.implementations.size(); ++i)
      std::printf(" %8s", ("/" + results.implementations[i]).c_str());
    std::printf(" %8s", "/best");
  }
  std::printf(" |");
  for (const std::string &name : results.implementations)
    std::printf(" %8s", name.c_str());
  std::printf("\n");
}

/// Prints the numbers of a row; `texts` replaces the GFLOP/s of cells that
/// were not timed (n/a, FAIL) when given.
void printRow(const Row &row, double peak,
              const std::vector<std::string> *texts) {
  for (size_t i = 0; i < row.gflops.size(); ++i)
    std::printf(" %8s", texts ? (*texts)[i].c_str()
                              : formatNumber(row.gflops[i], "%.2f").c_str());
  if (!row.ratios.empty()) {
    std::printf(" |");
    for (double ratio : row.ratios)
      std::printf(" %8s", formatNumber(ratio, "%.2fx").c_str());
  }
  std::printf(" |");
  for (double gflops : row.gflops)
    std::printf(" %8s", formatNumber(100 * gflops / peak, "%.1f%%").c_str());
  std::printf("\n");
}

/// The geometric means of every column over the layers `inGroup` selects.
template <typename Predicate>
void printGeoMeans(const Results &results, size_t threads, const char *label,
                   Predicate inGroup) {
  std::vector<GeoMean> gflops(results.implementations.size());
  std::vector<GeoMean> ratios(results.implementations.size());
  int layers = 0;
  for (size_t l = 0; l < results.layers.size(); ++l) {
    if (!inGroup(results.layers[l]))
      continue;
    ++layers;
    Row row = rowOf(results, l, threads);
    for (size_t i = 0; i < row.gflops.size(); ++i)
      if (row.gflops[i] > 0)
        gflops[i].add(row.gflops[i]);
    for (size_t i = 0; i < row.ratios.size(); ++i)
      if (row.ratios[i] > 0)
        ratios[i].add(row.ratios[i]);
  }
  Row mean;
  for (const GeoMean &value : gflops)
    mean.gflops.push_back(value.value());
  if (results.implementations.size() > 1) // Per peer, then the fastest.
    for (const GeoMean &value : ratios)
      mean.ratios.push_back(value.value());
  std::string name = std::string("geomean ") + label;
  std::string count = "over " + std::to_string(layers) + " layers";
  std::printf(RowFormat, name.c_str(), count.c_str(), "");
  printRow(mean, results.peak * results.threadCounts[threads], nullptr);
  for (size_t i = 0; i < gflops.size(); ++i)
    if (gflops[i].count < layers)
      std::printf("  (%s: timed on %d of the %d; a ratio is over the layers "
                  "both sides were timed on)\n",
                  results.implementations[i].c_str(), gflops[i].count, layers);
}

void printTable(const Results &results, size_t threads) {
  printHeader(results, threads);
  double peak = results.peak * results.threadCounts[threads];
  for (size_t l = 0; l < results.layers.size(); ++l) {
    const Layer &layer = results.layers[l];
    std::vector<std::string> texts;
    for (size_t i = 0; i < results.implementations.size(); ++i)
      texts.push_back(formatGFlops(results.at(l, threads, i)));
    std::printf(RowFormat, layer.name(), describeShape(layer).c_str(),
                formatNumber(layer.flops() * 1e-6, "%.2f").c_str());
    printRow(rowOf(results, l, threads), peak, &texts);
  }
  printGeoMeans(results, threads, "MobileNetV2", isMobileNetV2);
  printGeoMeans(results, threads, "all", [](const Layer &) { return true; });
}

/// Why cells are n/a or failed, and the kernels the libraries say they
/// picked; each once per implementation and layer.
void printNotes(const Results &results) {
  std::printf("\nNotes (per implementation and layer, all thread counts):\n");
  for (size_t i = 0; i < results.implementations.size(); ++i) {
    std::map<std::string, std::string> byText; // note -> layers
    for (size_t l = 0; l < results.layers.size(); ++l) {
      std::map<std::string, bool> seen;
      for (size_t t = 0; t < results.threadCounts.size(); ++t) {
        const Cell &cell = results.at(l, t, i);
        std::string note =
            cell.kind == Cell::Checked
                ? (cell.detail.empty() ? "" : "kernel " + cell.detail)
                : (cell.kind == Cell::Failed ? "FAILED: " : "n/a: ") + cell.why;
        if (note.empty() || seen[note])
          continue;
        seen[note] = true;
        std::string &layers = byText[note];
        layers += (layers.empty() ? "" : ", ") +
                  std::string(results.layers[l].name());
      }
    }
    for (const auto &[note, layers] : byText)
      std::printf("  %s: %s (%s)\n", results.implementations[i].c_str(),
                  note.c_str(), layers.c_str());
  }
}

} // namespace

void dwconv::bench::printSummary(const Results &results) {
  for (size_t t = 0; t < results.threadCounts.size(); ++t)
    printTable(results, t);
  printNotes(results);
  std::fflush(stdout);
}
