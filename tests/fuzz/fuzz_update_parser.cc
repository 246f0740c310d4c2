// libFuzzer target: the SPARQL update parser (query/parser.h), the
// translation of each operation's WHERE into algebra, and the error message
// of what does not parse.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "query/algebra.h"
#include "query/parser.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  kg::QueryParseOptions options;
  options.base_iri = "http://example.org/base/";
  options.prefixes["ex"] = "http://example.org/";
  kg::QuerySyntaxError error;
  auto request = kg::ParseUpdate(text, options, &error);
  if (!request.ok()) {
    (void)error.ToString(text);
    return 0;
  }
  for (const kg::ast::UpdateOperation& op : request->operations) {
    std::vector<std::string> var_names;
    (void)kg::algebra::TranslatePattern(op.where, &var_names);
  }
  return 0;
}
