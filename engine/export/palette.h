// Class colours: a fixed palette of 30, a slot chosen by a hash of the class
// IRI, so a class keeps its colour from one export to the next.
//
// Not a public API (kg_export only).

#ifndef KGSTORE_ENGINE_EXPORT_PALETTE_H_
#define KGSTORE_ENGINE_EXPORT_PALETTE_H_

#include <string>
#include <string_view>
#include <vector>

namespace kg::export_internal {

// Nodes without a class.
inline constexpr const char* kNoClassColor = "#b0b0b0";

// Colours ("#rrggbb") for the class IRIs of one export, in the same order:
// the palette slot a hash (FNV-1a) of the IRI picks, or the next free one
// when two classes of this export collide, as long as the palette has free
// slots. Independent of the input order.
std::vector<std::string> ClassColors(const std::vector<std::string>& iris);

// The components of "#rrggbb".
void ParseColor(std::string_view hex, int* r, int* g, int* b);

}  // namespace kg::export_internal

#endif  // KGSTORE_ENGINE_EXPORT_PALETTE_H_
