// TermId: the fixed-width 64-bit identifier every stored term gets, and its
// order-preserving byte encoding inside index keys.
//
// Layout of the 64-bit value (see docs/STORAGE.md for the worked example):
//
//   bits 63..56  tag     what kind of term, and whether the value is inline
//   bits 55..0   payload a dictionary sequence number, or the value itself
//
// Dictionary tags (payload = sequence number shared by all kinds; the term's
// text lives in the dictionary):
//   0x01 IRI, 0x02 blank node, 0x03 simple literal (xsd:string),
//   0x04 language-tagged literal, 0x05 literal of any other datatype.
// Inline tags (no dictionary entry; the payload IS the value, encoded so that
// unsigned payload order equals value order, which lets a range FILTER on
// these literals become a range scan over an index):
//   0x10 xsd:integer in [-2^55, 2^55), payload = value + 2^55
//   0x11 xsd:boolean, payload 0 = false, 1 = true
//   0x12 xsd:date without timezone, years 1..9999, payload = days since
//        0001-01-01 (proleptic Gregorian)
//   0x13 simple literal of at most 7 bytes with no NUL byte, payload = the
//        bytes big-endian, zero-padded on the right
//   0x14 xsd:decimal with at most 6 fraction digits and |v| < 2^54 / 10^6,
//        payload = ((v * 10^6 + 2^54) << 1) | f, where f = 1 for the form
//        without a decimal point ("42", XSD 1.1's canonical form of an
//        integral decimal) and f = 0 for the form FormatDecimal prints
//        ("42.0", "62.5"): both forms are inlined and kept apart, and ids
//        still order by value (equal values differ only in f).
// A literal is inlined only when its lexical form is the canonical one that
// decoding prints back (e.g. "42" but not "042"), so decoding reproduces the
// exact term: RDF literal identity is by lexical form.
// Tag 0x00 with payload 0 is kDefaultGraph, the graph position of a quad in
// the default graph.
//
// All tag values are persisted: frozen. New tags may be added, never renumbered.

#ifndef KGSTORE_STORAGE_TERM_ID_H_
#define KGSTORE_STORAGE_TERM_ID_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "storage/rdf/term.h"

namespace kg {

using TermId = uint64_t;

inline constexpr TermId kDefaultGraph = 0;
inline constexpr int kTagShift = 56;
inline constexpr uint64_t kPayloadMask = (uint64_t{1} << kTagShift) - 1;

enum class TermTag : uint8_t {  // persisted: frozen
  kNone = 0x00,
  kIri = 0x01,
  kBlankNode = 0x02,
  kSimpleLiteral = 0x03,
  kLangLiteral = 0x04,
  kTypedLiteral = 0x05,
  kInlineInteger = 0x10,
  kInlineBoolean = 0x11,
  kInlineDate = 0x12,
  kInlineString = 0x13,
  kInlineDecimal = 0x14,
};

inline TermTag TagOf(TermId id) { return static_cast<TermTag>(id >> kTagShift); }
inline uint64_t PayloadOf(TermId id) { return id & kPayloadMask; }
inline TermId MakeId(TermTag tag, uint64_t payload) {
  return (uint64_t{static_cast<uint8_t>(tag)} << kTagShift) |
         (payload & kPayloadMask);
}
inline bool IsInline(TermId id) {
  return static_cast<uint8_t>(TagOf(id)) >= 0x10;
}

// The value times 10^6 of an inline xsd:integer or xsd:decimal id (exact);
// std::nullopt for any other id.
std::optional<__int128> InlineNumericScaled(TermId id);

// The inclusive id interval of inline `tag` (kInlineInteger or
// kInlineDecimal) holding exactly the values whose value times 10^6 lies
// in [lo, hi] (std::nullopt: unbounded on that side). False when no value
// of the tag does.
bool InlineNumericIdRange(TermTag tag, std::optional<__int128> lo,
                          std::optional<__int128> hi, TermId* lo_id,
                          TermId* hi_id);

// The dictionary tag a non-inline term gets.
TermTag DictionaryTagFor(const Term& term);

// The inline id for `term` if it has an inline encoding (see above).
std::optional<TermId> TryInline(const Term& term);

// The inline id of the xsd:integer `v` (what TryInline gives for its
// canonical lexical form), without building the term; std::nullopt
// outside the inline range.
std::optional<TermId> InlineIntegerId(int64_t v);

// Decodes an inline id back to its term. Requires IsInline(id) and a valid
// payload (false otherwise, leaving *out unspecified).
bool DecodeInline(TermId id, Term* out);

// ---- key encoding --------------------------------------------------------
// Inside index keys an id takes 1 to 8 bytes: a header byte
// (tag << 3 | n) followed by the n low-order bytes of the payload,
// big-endian, with leading zero bytes dropped (n = 0..7). Because the
// header sorts by tag then by n, and a shorter payload is a smaller number,
// bytewise order of encodings equals numeric order of ids, and no encoding
// is a prefix of another, so a concatenation of encodings sorts like the
// tuple of ids. Dictionary ids below 2^24 take 4 bytes instead of 8.

inline constexpr size_t kMaxEncodedIdSize = 8;

// Appends the encoding of `id` to `out`.
void AppendEncodedId(TermId id, std::string* out);
// Writes the encoding to `buf` (at least kMaxEncodedIdSize bytes); returns
// its length.
size_t EncodeId(TermId id, char* buf);
// Decodes one id from the front of `*in` and advances it. False if `*in` is
// too short or the header is malformed.
bool DecodeId(std::string_view* in, TermId* id);

// ---- dictionary serialisation -------------------------------------------
// A term's bytes in the dictionary (the value of id2term, the input of the
// term2id hash): one TermKind-like byte then the text:
//   0x01 iri | 0x02 label | 0x03 lexical |
//   0x04 language 0x00 lexical | 0x05 datatype-iri 0x00 lexical
// (IRIs and language tags cannot contain NUL, so the split is unambiguous.)
void SerializeTerm(const Term& term, std::string* out);
bool DeserializeTerm(std::string_view bytes, Term* out);

}  // namespace kg

#endif  // KGSTORE_STORAGE_TERM_ID_H_
