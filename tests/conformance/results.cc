// Reading an expected result file (ReadResultFile): the format by the
// file's extension, then its reader: results_xml.cc (.srx, and .rdf
// through the RDF/XML subset), results_srj.cc (.srj), results_tsv_csv.cc
// (.tsv, .csv), our own readers for .ttl and .nt. A graph holding an
// rs:ResultSet becomes a bindings or boolean table here
// (ResultTableFromGraph). The W3C comparison is in results_compare.cc.

#include "tests/conformance/results.h"

#include <algorithm>
#include <fstream>
#include <sstream>
#include <utility>

#include "absl/strings/str_cat.h"
#include "storage/base/absl_compat.h"
#include "storage/rdf/rdf_format.h"
#include "tests/conformance/manifest.h"
#include "tests/conformance/results_internal.h"

namespace kg::conformance {

ResultTable BuildTable(std::vector<std::string> vars,
                       const std::vector<NamedRow>& rows) {
  ResultTable table;
  table.kind = QueryResult::Kind::kBindings;
  table.variables = std::move(vars);
  // A file may bind a variable its header does not list: keep it.
  for (const NamedRow& r : rows) {
    for (const auto& [name, term] : r) {
      if (std::find(table.variables.begin(), table.variables.end(), name) ==
          table.variables.end()) {
        table.variables.push_back(name);
      }
    }
  }
  for (const NamedRow& r : rows) {
    Row row(table.variables.size());
    for (const auto& [name, term] : r) {
      size_t i =
          std::find(table.variables.begin(), table.variables.end(), name) -
          table.variables.begin();
      row[i] = term;
    }
    table.rows.push_back(std::move(row));
  }
  return table;
}

absl::StatusOr<ResultFileFormat> ResultFileFormatFromPath(
    std::string_view path) {
  size_t dot = path.rfind('.');
  std::string_view ext =
      dot == std::string_view::npos ? std::string_view() : path.substr(dot);
  if (ext == ".srx") return ResultFileFormat::kSrx;
  if (ext == ".srj") return ResultFileFormat::kSrj;
  if (ext == ".tsv") return ResultFileFormat::kTsv;
  if (ext == ".csv") return ResultFileFormat::kCsv;
  if (ext == ".ttl") return ResultFileFormat::kTurtle;
  if (ext == ".nt") return ResultFileFormat::kNTriples;
  if (ext == ".rdf") return ResultFileFormat::kRdfXml;
  return absl::InvalidArgumentError(
      absl::StrCat("not a result file extension: ", Sv(path)));
}

absl::StatusOr<ResultTable> ResultTableFromGraph(
    const std::vector<Quad>& quads) {
  const std::string rs(kRs);
  std::optional<Term> set;
  for (const Quad& q : quads) {
    if (q.predicate.lexical == kRdfType && q.object.is_iri() &&
        q.object.lexical == rs + "ResultSet") {
      set = q.subject;
      break;
    }
  }
  ResultTable table;
  if (!set.has_value()) {
    table.kind = QueryResult::Kind::kGraph;
    for (Quad q : quads) {
      q.graph.reset();
      table.triples.push_back(std::move(q));
    }
    return table;
  }
  Graph g(quads);
  if (std::optional<Term> b = g.Object(*set, rs + "boolean")) {
    table.kind = QueryResult::Kind::kBoolean;
    table.boolean = b->lexical == "true" || b->lexical == "1";
    return table;
  }
  std::vector<std::string> vars;
  for (const Term& v : g.Objects(*set, rs + "resultVariable")) {
    vars.push_back(v.lexical);
  }
  struct Solution {
    std::optional<long long> index;
    NamedRow row;
  };
  std::vector<Solution> solutions;
  for (const Term& sol : g.Objects(*set, rs + "solution")) {
    Solution s;
    if (std::optional<Term> idx = g.Object(sol, rs + "index")) {
      try {
        s.index = std::stoll(idx->lexical);
      } catch (const std::exception&) {
        return absl::InvalidArgumentError(
            absl::StrCat("rs:index is not an integer: ", idx->lexical));
      }
    }
    for (const Term& b : g.Objects(sol, rs + "binding")) {
      std::optional<Term> var = g.Object(b, rs + "variable");
      std::optional<Term> value = g.Object(b, rs + "value");
      if (!var.has_value()) {
        return absl::InvalidArgumentError("an rs:binding without rs:variable");
      }
      if (value.has_value()) s.row.emplace_back(var->lexical, *value);
    }
    solutions.push_back(std::move(s));
  }
  bool indexed = !solutions.empty() &&
                 std::all_of(solutions.begin(), solutions.end(),
                             [](const Solution& s) { return s.index; });
  if (indexed) {
    std::stable_sort(solutions.begin(), solutions.end(),
                     [](const Solution& a, const Solution& b) {
                       return *a.index < *b.index;
                     });
  }
  std::vector<NamedRow> rows;
  for (Solution& s : solutions) rows.push_back(std::move(s.row));
  return BuildTable(std::move(vars), rows);
}

absl::StatusOr<ResultTable> ReadResultFile(const std::string& path,
                                           const std::string& base_iri) {
  absl::StatusOr<ResultFileFormat> format = ResultFileFormatFromPath(path);
  if (!format.ok()) return format.status();
  if (*format == ResultFileFormat::kTurtle ||
      *format == ResultFileFormat::kNTriples) {
    auto quads =
        ReadRdfFile(path,
                    *format == ResultFileFormat::kTurtle ? RdfFormat::kTurtle
                                                         : RdfFormat::kNTriples,
                    base_iri);
    if (!quads.ok()) return quads.status();
    return ResultTableFromGraph(*quads);
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) return absl::NotFoundError(absl::StrCat("cannot open ", path));
  std::stringstream buffer;
  buffer << in.rdbuf();
  std::string text = buffer.str();
  absl::StatusOr<ResultTable> table;
  switch (*format) {
    case ResultFileFormat::kSrx:
      table = ParseSrx(text);
      break;
    case ResultFileFormat::kSrj:
      table = ParseSrj(text);
      break;
    case ResultFileFormat::kTsv:
      table = ParseTsv(text);
      break;
    case ResultFileFormat::kCsv:
      table = ParseCsv(text);
      break;
    case ResultFileFormat::kRdfXml: {
      auto quads = ParseRdfXml(text, base_iri);
      if (!quads.ok()) {
        table = quads.status();
      } else {
        table = ResultTableFromGraph(*quads);
      }
      break;
    }
    default:
      return absl::InternalError("unreachable");
  }
  if (!table.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat(path, ": ", table.status().message()));
  }
  return table;
}

}  // namespace kg::conformance
