// Class colours (palette.h).

#include "engine/export/palette.h"

#include <algorithm>
#include <charconv>
#include <cstdint>

namespace kg::export_internal {
namespace {

constexpr const char* kPalette[] = {
    "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b",
    "#e377c2", "#b5cf6b", "#bcbd22", "#17becf", "#393b79", "#e6550d",
    "#31a354", "#756bb1", "#637939", "#843c39", "#7b4173", "#3182bd",
    "#fd8d3c", "#74c476", "#9e9ac8", "#e7ba52", "#ad494a", "#6baed6",
    "#a55194", "#8ca252", "#ce6dbd", "#de9ed6", "#bd9e39", "#9c9ede"};
constexpr size_t kPaletteSize = sizeof(kPalette) / sizeof(kPalette[0]);

uint64_t Fnv1a(std::string_view s) {
  uint64_t h = 1469598103934665603ull;
  for (char c : s) {
    h ^= static_cast<unsigned char>(c);
    h *= 1099511628211ull;
  }
  return h;
}

}  // namespace

std::vector<std::string> ClassColors(const std::vector<std::string>& iris) {
  std::vector<std::string> out(iris.size());
  std::vector<bool> used(kPaletteSize, false);
  // Assign in IRI order so the result does not depend on input order.
  std::vector<size_t> order(iris.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::sort(order.begin(), order.end(),
            [&](size_t a, size_t b) { return iris[a] < iris[b]; });
  size_t free_slots = kPaletteSize;
  for (size_t i : order) {
    size_t slot = Fnv1a(iris[i]) % kPaletteSize;
    if (free_slots > 0) {
      while (used[slot]) slot = (slot + 1) % kPaletteSize;
      used[slot] = true;
      --free_slots;
    }
    out[i] = kPalette[slot];
  }
  return out;
}

void ParseColor(std::string_view hex, int* r, int* g, int* b) {
  auto h = [&](size_t at) {
    int v = 0;
    std::from_chars(hex.data() + at, hex.data() + at + 2, v, 16);
    return v;
  };
  *r = h(1);
  *g = h(3);
  *b = h(5);
}

}  // namespace kg::export_internal
