// The one decoder of ECHAR and UCHAR (syntax.h), shared by the N-Triples and
// Turtle readers and the SPARQL tokenizer.

#include "storage/rdf/syntax.h"

#include <catch2/catch.hpp>
#include <string>

namespace kg::rdf_internal {
namespace {

TEST_CASE("ECHAR: the eight escapes and nothing else", "[rdf][syntax]") {
  const std::string from = "tbnrf\"'\\";
  const std::string to = "\t\b\n\r\f\"'\\";
  for (size_t i = 0; i < from.size(); ++i) CHECK(EcharValue(from[i]) == to[i]);
  for (int c = 0; c < 256; ++c)
    if (from.find(static_cast<char>(c)) == std::string::npos)
      CHECK(EcharValue(c) == -1);
}

TEST_CASE("UCHAR: digits, scalar values and where it fails", "[rdf][syntax]") {
  auto decode = [](const std::string& s, uint32_t* cp, size_t* at) {
    const char* where = nullptr;
    UcharStatus st = DecodeUchar(s.data(), s.data() + s.size(), cp, &where);
    *at = static_cast<size_t>(where - s.data());
    return st;
  };
  uint32_t cp = 0;
  size_t at = 0;
  CHECK(decode("\\u00e9x", &cp, &at) == UcharStatus::kOk);
  CHECK(cp == 0xE9);
  CHECK(at == 6);
  CHECK(decode("\\U0001F600", &cp, &at) == UcharStatus::kOk);
  CHECK(cp == 0x1F600);
  CHECK(at == 10);
  CHECK(decode("\\x41", &cp, &at) == UcharStatus::kNotUchar);
  CHECK(at == 1);
  CHECK(decode("\\u00", &cp, &at) == UcharStatus::kTooShort);
  CHECK(decode("\\u00g9", &cp, &at) == UcharStatus::kNotHex);
  CHECK(at == 4);
  CHECK(decode("\\uD800", &cp, &at) == UcharStatus::kNotScalar);
  CHECK(decode("\\U00110000", &cp, &at) == UcharStatus::kNotScalar);
  CHECK(at == 0);
}

}  // namespace
}  // namespace kg::rdf_internal
