// libFuzzer target: the SPARQL query parser (query/parser.h), the
// translation of what parses into algebra (query/algebra.h), the error
// message of what does not, and the shell's "is this text unfinished?"
// test (IsIncompleteInput).
#include <cstdint>
#include <string>
#include <string_view>

#include "query/algebra.h"
#include "query/parser.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  kg::QueryParseOptions options;
  options.base_iri = "http://example.org/base/";
  options.prefixes["ex"] = "http://example.org/";
  kg::QuerySyntaxError error;
  auto query = kg::ParseQuery(text, options, &error);
  if (query.ok()) {
    (void)kg::algebra::Translate(*query);
  } else {
    (void)error.ToString(text);
  }
  (void)kg::IsIncompleteInput(text, options);
  return 0;
}
