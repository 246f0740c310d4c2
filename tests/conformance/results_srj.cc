// The reader of SPARQL JSON results (.srj, ParseSrj), on nlohmann-json
// without exceptions: a malformed document or a term of the wrong shape is
// an InvalidArgument status naming what is wrong.

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "tests/conformance/results.h"
#include "tests/conformance/results_internal.h"

namespace kg::conformance {

absl::StatusOr<ResultTable> ParseSrj(std::string_view text) {
  using nlohmann::json;
  json doc = json::parse(text.begin(), text.end(), nullptr,
                         /*allow_exceptions=*/false);
  if (doc.is_discarded() || !doc.is_object()) {
    return absl::InvalidArgumentError("srj: not a JSON object");
  }
  auto bad = [](std::string what) {
    return absl::InvalidArgumentError(absl::StrCat("srj: ", what));
  };
  if (doc.contains("boolean")) {
    if (!doc["boolean"].is_boolean())
      return bad("\"boolean\" is not a boolean");
    ResultTable table;
    table.kind = QueryResult::Kind::kBoolean;
    table.boolean = doc["boolean"].get<bool>();
    return table;
  }
  std::vector<std::string> vars;
  if (doc.contains("head") && doc["head"].is_object() &&
      doc["head"].contains("vars")) {
    const json& jv = doc["head"]["vars"];
    if (!jv.is_array()) return bad("head.vars is not an array");
    for (const json& v : jv) {
      if (!v.is_string()) return bad("a variable name is not a string");
      vars.push_back(v.get<std::string>());
    }
  }
  if (!doc.contains("results") || !doc["results"].is_object() ||
      !doc["results"].contains("bindings") ||
      !doc["results"]["bindings"].is_array()) {
    return bad("no results.bindings array");
  }
  auto str = [](const json& o, const char* key) -> std::optional<std::string> {
    if (!o.contains(key) || !o[key].is_string()) return std::nullopt;
    return o[key].get<std::string>();
  };
  std::vector<NamedRow> rows;
  for (const json& jrow : doc["results"]["bindings"]) {
    if (!jrow.is_object()) return bad("a binding set is not an object");
    NamedRow row;
    for (const auto& [name, jt] : jrow.items()) {
      if (!jt.is_object()) return bad("a term is not an object");
      std::optional<std::string> type = str(jt, "type");
      std::optional<std::string> value = str(jt, "value");
      if (!type || !value) return bad("a term without type or value");
      Term t;
      if (*type == "uri") {
        t = Term::Iri(*value);
      } else if (*type == "bnode") {
        t = Term::BlankNode(*value);
      } else if (*type == "literal" || *type == "typed-literal") {
        std::optional<std::string> lang = str(jt, "xml:lang");
        std::optional<std::string> dt = str(jt, "datatype");
        t = lang ? Term::LangLiteral(*value, *lang)
                 : Term::Literal(*value, dt.value_or(""));
      } else {
        return bad(absl::StrCat("unknown term type '", *type, "'"));
      }
      row.emplace_back(name, std::move(t));
    }
    rows.push_back(std::move(row));
  }
  return BuildTable(std::move(vars), rows);
}

}  // namespace kg::conformance
