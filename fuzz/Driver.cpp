//===- Driver.cpp - runs a fuzz target without libFuzzer ------------------===//
//
// A fuzz target is a LLVMFuzzerTestOneInput. Built with clang and
// -fsanitize=fuzzer (scripts/fuzz.sh), libFuzzer drives it. Built with any
// compiler, this driver does, so that the test suite fuzzes with the
// sanitizer build's compiler:
//
//   TARGET [--seconds N] [--seed S] [--crashes DIR] INPUT|DIR...
//
// runs every input given (a regression run), then, for N seconds, mutants of
// them (bytes flipped, inserted, erased, copied within and across inputs).
// A crash is the sanitizer's report; with --crashes, each mutant is written
// there first, so the one that crashed is left behind.
//
//===----------------------------------------------------------------------===//

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <random>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

namespace {
using Bytes = std::vector<uint8_t>;

Bytes readFile(const std::filesystem::path &path) {
  std::ifstream in(path, std::ios::binary);
  return Bytes(std::istreambuf_iterator<char>(in), {});
}

void run(const Bytes &input) {
  LLVMFuzzerTestOneInput(input.empty() ? nullptr : input.data(), input.size());
}

/// One random edit of `input`, drawing on `pool` for spliced bytes.
Bytes mutate(Bytes input, const std::vector<Bytes> &pool, std::mt19937_64 &rng) {
  auto pick = [&](size_t n) { return n ? size_t(rng() % n) : 0; };
  static const uint8_t interesting[] = {0,   1,    0x7f, 0x80, 0xff, '"', '[',
                                        '{', '-',  '9',  ',',  ']',  '}', ':'};
  int edits = 1 + int(pick(8));
  for (int e = 0; e < edits; ++e) {
    switch (pick(6)) {
    case 0: // flip a bit
      if (!input.empty())
        input[pick(input.size())] ^= uint8_t(1u << pick(8));
      break;
    case 1: // set a byte to an interesting value
      if (!input.empty())
        input[pick(input.size())] = interesting[pick(sizeof(interesting))];
      break;
    case 2: // insert a byte
      input.insert(input.begin() + pick(input.size() + 1),
                   interesting[pick(sizeof(interesting))]);
      break;
    case 3: // erase a range
      if (!input.empty()) {
        size_t at = pick(input.size());
        size_t n = 1 + pick(std::min<size_t>(16, input.size() - at));
        input.erase(input.begin() + at, input.begin() + at + n);
      }
      break;
    default: { // copy a range from another input (or this one)
      const Bytes &from = pool[pick(pool.size())];
      if (from.empty())
        break;
      size_t at = pick(from.size());
      size_t n = 1 + pick(std::min<size_t>(64, from.size() - at));
      input.insert(input.begin() + pick(input.size() + 1), from.begin() + at,
                   from.begin() + at + n);
    }
    }
  }
  return input;
}
} // namespace

int main(int argc, char **argv) {
  double seconds = 0;
  uint64_t seed = 1;
  std::string crashes;
  std::vector<Bytes> inputs;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "--seconds" && i + 1 < argc) {
      seconds = std::atof(argv[++i]);
    } else if (arg == "--seed" && i + 1 < argc) {
      seed = std::strtoull(argv[++i], nullptr, 10);
    } else if (arg == "--crashes" && i + 1 < argc) {
      crashes = argv[++i];
    } else if (std::filesystem::is_directory(arg)) {
      for (const auto &entry : std::filesystem::directory_iterator(arg))
        if (entry.is_regular_file())
          inputs.push_back(readFile(entry.path()));
    } else {
      inputs.push_back(readFile(arg));
    }
  }
  if (inputs.empty())
    inputs.push_back({});
  for (const Bytes &input : inputs)
    run(input);
  std::mt19937_64 rng(seed);
  auto start = std::chrono::steady_clock::now();
  uint64_t runs = 0;
  while (std::chrono::duration<double>(std::chrono::steady_clock::now() -
                                       start)
             .count() < seconds) {
    Bytes mutant = mutate(inputs[rng() % inputs.size()], inputs, rng);
    if (!crashes.empty())
      std::ofstream(crashes + "/last-input", std::ios::binary)
          .write(reinterpret_cast<const char *>(mutant.data()),
                 std::streamsize(mutant.size()));
    run(mutant);
    ++runs;
  }
  std::printf("%zu inputs, %llu mutants, no crash\n", inputs.size(),
              (unsigned long long)runs);
  return 0;
}
