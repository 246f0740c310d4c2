// Readers of SPARQL result files and the W3C result comparison.
//
// XML (.srx and .rdf) goes through expat in namespace mode, so prefixes and
// quoting styles of the files do not matter; JSON through nlohmann-json with
// exceptions turned into statuses. TSV cells are parsed by our own Turtle
// reader (wrapped as the object of a dummy triple), so their escapes and
// numeric shortcuts follow the Turtle grammar exactly.
//
// ResultsEqual first compares rows with blank nodes masked (a multiset of
// "signatures"); only when those agree does it search for a blank node
// bijection, trying for each expected row the actual rows of the same
// signature and backtracking on conflict. Result files are small, and a
// step budget keeps a pathological case from running away.

#include "tests/conformance/results.h"

#include <expat.h>

#include <algorithm>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "storage/base/absl_compat.h"
#include "storage/rdf/iri.h"
#include "storage/rdf/rdf_format.h"
#include "tests/conformance/manifest.h"

namespace kg::conformance {
namespace {

constexpr std::string_view kXmlNs = "http://www.w3.org/XML/1998/namespace";
constexpr char kNsSep = '\n';  // cannot occur in a namespace name

// Binding lists as read, before they are laid out in variable order.
using NamedRow = std::vector<std::pair<std::string, Term>>;

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

std::string Trim(std::string_view s) {
  size_t b = s.find_first_not_of(" \t\r\n");
  if (b == std::string_view::npos) return "";
  size_t e = s.find_last_not_of(" \t\r\n");
  return std::string(s.substr(b, e - b + 1));
}

// ---- expat plumbing -----------------------------------------------------

// "ns\nlocal" -> {ns, local}; a name without a namespace -> {"", name}.
std::pair<std::string_view, std::string_view> SplitName(const char* name) {
  std::string_view n(name);
  size_t sep = n.find(kNsSep);
  if (sep == std::string_view::npos) return {{}, n};
  return {n.substr(0, sep), n.substr(sep + 1)};
}

const char* FindAttr(const char** attrs, std::string_view ns,
                     std::string_view local) {
  for (int i = 0; attrs[i] != nullptr; i += 2) {
    auto [ans, alocal] = SplitName(attrs[i]);
    if (ans == ns && alocal == local) return attrs[i + 1];
  }
  return nullptr;
}

// Runs expat over `text` with handlers on a State that has `error`
// (std::string) and `parser` (XML_Parser) members and Start/End/Chars
// methods.
template <typename State>
absl::Status RunExpat(std::string_view text, State* state,
                      std::string_view what) {
  XML_Parser parser = XML_ParserCreateNS("UTF-8", kNsSep);
  if (parser == nullptr)
    return absl::ResourceExhaustedError("expat: no memory");
  state->parser = parser;
  XML_SetUserData(parser, state);
  XML_SetElementHandler(
      parser,
      [](void* d, const XML_Char* name, const XML_Char** attrs) {
        static_cast<State*>(d)->Start(name, attrs);
      },
      [](void* d, const XML_Char* name) { static_cast<State*>(d)->End(name); });
  XML_SetCharacterDataHandler(parser, [](void* d, const XML_Char* s, int len) {
    static_cast<State*>(d)->Chars(std::string_view(s, len));
  });
  XML_Status st = XML_Parse(parser, text.data(), static_cast<int>(text.size()),
                            /*isFinal=*/1);
  absl::Status status;
  if (!state->error.empty()) {
    status = absl::InvalidArgumentError(absl::StrCat(
        Sv(what), ":", XML_GetCurrentLineNumber(parser), ": ", state->error));
  } else if (st == XML_STATUS_ERROR) {
    status = absl::InvalidArgumentError(
        absl::StrCat(Sv(what), ":", XML_GetCurrentLineNumber(parser), ":",
                     XML_GetCurrentColumnNumber(parser) + 1, ": ",
                     XML_ErrorString(XML_GetErrorCode(parser))));
  }
  XML_ParserFree(parser);
  return status;
}

// ---- .srx ---------------------------------------------------------------

struct SrxState {
  XML_Parser parser = nullptr;
  std::string error;
  std::vector<std::string> vars;
  std::vector<NamedRow> rows;
  NamedRow row;
  std::string binding;
  bool capture = false;
  std::string text;
  std::string lang, datatype;
  bool saw_boolean = false;
  bool boolean = false;

  void Fail(std::string message) {
    if (error.empty()) error = std::move(message);
    XML_StopParser(parser, XML_FALSE);
  }

  void Start(const char* name, const char** attrs) {
    std::string_view local = SplitName(name).second;
    if (local == "variable") {
      const char* v = FindAttr(attrs, "", "name");
      if (v == nullptr) return Fail("<variable> without a name");
      vars.emplace_back(v);
    } else if (local == "result") {
      row.clear();
    } else if (local == "binding") {
      const char* v = FindAttr(attrs, "", "name");
      if (v == nullptr) return Fail("<binding> without a name");
      binding = v;
    } else if (local == "uri" || local == "bnode" || local == "literal" ||
               local == "boolean") {
      capture = true;
      text.clear();
      const char* l = FindAttr(attrs, kXmlNs, "lang");
      const char* d = FindAttr(attrs, "", "datatype");
      lang = l != nullptr ? l : "";
      datatype = d != nullptr ? d : "";
    }
  }

  void End(const char* name) {
    std::string_view local = SplitName(name).second;
    if (local == "uri") {
      row.emplace_back(binding, Term::Iri(Trim(text)));
    } else if (local == "bnode") {
      row.emplace_back(binding, Term::BlankNode(Trim(text)));
    } else if (local == "literal") {
      row.emplace_back(binding, lang.empty() ? Term::Literal(text, datatype)
                                             : Term::LangLiteral(text, lang));
    } else if (local == "result") {
      rows.push_back(row);
    } else if (local == "boolean") {
      std::string v = Trim(text);
      if (v != "true" && v != "false") {
        return Fail(absl::StrCat("bad <boolean> value '", v, "'"));
      }
      saw_boolean = true;
      boolean = v == "true";
    }
    capture = false;
  }

  void Chars(std::string_view s) {
    if (capture) text.append(s);
  }
};

// ---- RDF/XML (subset) -----------------------------------------------------

constexpr std::string_view kRdfNs = kRdf;

struct RdfXmlState {
  enum class Kind { kTop, kNode, kProperty };
  struct Frame {
    Kind kind = Kind::kTop;
    Term node;                   // subject for property children
    Term subject, predicate;     // kProperty: the statement being built
    std::optional<Term> object;  // kProperty: set by resource/nodeID/child
    bool resource_mode = false;  // rdf:parseType="Resource"
    bool literal_mode = true;    // kProperty: may end as a literal
    std::string datatype;
    std::string lang;
    std::string text;
  };

  XML_Parser parser = nullptr;
  std::string error;
  std::string base;
  std::vector<Frame> stack;
  std::vector<Quad> quads;
  uint64_t counter = 0;

  void Fail(std::string message) {
    if (error.empty()) error = std::move(message);
    XML_StopParser(parser, XML_FALSE);
  }
  Term Fresh() { return Term::BlankNode(absl::StrCat("genid", ++counter)); }
  static Term NodeId(std::string label) {
    if (label.compare(0, 5, "genid") == 0) label.insert(0, "genid-");
    return Term::BlankNode(std::move(label));
  }
  Term Resolve(std::string_view ref) const {
    std::string out;
    rdf_internal::ResolveIri(base, ref, &out);
    return Term::Iri(std::move(out));
  }
  void Emit(Term s, Term p, Term o) {
    quads.push_back(Quad{std::move(s), std::move(p), std::move(o), {}});
  }
  std::string CurrentLang() const {
    return stack.empty() ? std::string() : stack.back().lang;
  }
  // Attributes that state properties (not rdf:about & co, not xml:*).
  void PropertyAttributes(const Term& subject, const char** attrs,
                          const std::string& lang) {
    for (int i = 0; attrs[i] != nullptr; i += 2) {
      auto [ns, local] = SplitName(attrs[i]);
      if (ns == kXmlNs || ns.empty()) continue;
      if (ns == kRdfNs) {
        if (local == "type") {
          Emit(subject, Term::Iri(std::string(kRdfType)),
               Resolve(attrs[i + 1]));
        }
        continue;  // about, nodeID, ID, resource, datatype, parseType
      }
      Term pred = Term::Iri(absl::StrCat(Sv(ns), Sv(local)));
      Emit(subject, pred,
           lang.empty() ? Term::Literal(attrs[i + 1])
                        : Term::LangLiteral(attrs[i + 1], lang));
    }
  }

  void Start(const char* name, const char** attrs) {
    auto [ns, local] = SplitName(name);
    Frame frame;
    frame.lang = CurrentLang();
    if (const char* l = FindAttr(attrs, kXmlNs, "lang")) frame.lang = l;
    Kind parent = stack.empty() ? Kind::kTop : stack.back().kind;
    bool parent_wants_node =
        parent == Kind::kTop ||
        (parent == Kind::kProperty && !stack.back().resource_mode);
    if (ns == kRdfNs && local == "RDF") {
      frame.kind = Kind::kTop;
    } else if (parent_wants_node) {
      frame.kind = Kind::kNode;
      if (const char* about = FindAttr(attrs, kRdfNs, "about")) {
        frame.node = Resolve(about);
      } else if (const char* id = FindAttr(attrs, kRdfNs, "nodeID")) {
        frame.node = NodeId(id);
      } else if (const char* rid = FindAttr(attrs, kRdfNs, "ID")) {
        frame.node = Resolve(absl::StrCat("#", rid));
      } else {
        frame.node = Fresh();
      }
      if (!(ns == kRdfNs && local == "Description")) {
        Emit(frame.node, Term::Iri(std::string(kRdfType)),
             Term::Iri(absl::StrCat(Sv(ns), Sv(local))));
      }
      PropertyAttributes(frame.node, attrs, frame.lang);
      if (parent == Kind::kProperty) {
        if (stack.back().object.has_value()) {
          return Fail("a property element with two objects");
        }
        stack.back().object = frame.node;
        stack.back().literal_mode = false;
      }
    } else {
      frame.kind = Kind::kProperty;
      if (ns == kRdfNs && local == "li") {
        return Fail("rdf:li is not supported");
      }
      frame.subject = stack.back().node;
      frame.predicate = Term::Iri(absl::StrCat(Sv(ns), Sv(local)));
      const char* parse_type = FindAttr(attrs, kRdfNs, "parseType");
      if (const char* r = FindAttr(attrs, kRdfNs, "resource")) {
        frame.object = Resolve(r);
      } else if (const char* id = FindAttr(attrs, kRdfNs, "nodeID")) {
        frame.object = NodeId(id);
      } else if (parse_type != nullptr) {
        if (std::string_view(parse_type) != "Resource") {
          return Fail(absl::StrCat("rdf:parseType=\"", parse_type,
                                   "\" is not supported"));
        }
        frame.resource_mode = true;
        frame.object = Fresh();
        frame.node = *frame.object;
      }
      if (const char* dt = FindAttr(attrs, kRdfNs, "datatype")) {
        frame.datatype = dt;
      }
      // Property attributes on a property element describe its object.
      bool has_props = false;
      for (int i = 0; attrs[i] != nullptr; i += 2) {
        auto [ans, alocal] = SplitName(attrs[i]);
        if (!ans.empty() && ans != kXmlNs && ans != kRdfNs) has_props = true;
        if (ans == kRdfNs && alocal == "type") has_props = true;
      }
      if (has_props) {
        if (!frame.object.has_value()) frame.object = Fresh();
        PropertyAttributes(*frame.object, attrs, frame.lang);
      }
      frame.literal_mode = !frame.object.has_value();
    }
    stack.push_back(std::move(frame));
  }

  void End(const char*) {
    if (stack.empty()) return;
    Frame frame = std::move(stack.back());
    stack.pop_back();
    if (frame.kind != Kind::kProperty) return;
    if (frame.object.has_value()) {
      Emit(frame.subject, frame.predicate, *frame.object);
    } else if (!frame.datatype.empty()) {
      Emit(frame.subject, frame.predicate,
           Term::Literal(frame.text, frame.datatype));
    } else if (!frame.lang.empty()) {
      Emit(frame.subject, frame.predicate,
           Term::LangLiteral(frame.text, frame.lang));
    } else {
      Emit(frame.subject, frame.predicate, Term::Literal(frame.text));
    }
  }

  void Chars(std::string_view s) {
    if (!stack.empty() && stack.back().kind == Kind::kProperty &&
        stack.back().literal_mode) {
      stack.back().text.append(s);
    }
  }
};

// ---- TSV / CSV
// ---------------------------------------------------------------

std::vector<std::string_view> SplitLines(std::string_view text) {
  std::vector<std::string_view> lines;
  size_t start = 0;
  while (start <= text.size()) {
    size_t nl = text.find('\n', start);
    if (nl == std::string_view::npos) {
      if (start < text.size()) lines.push_back(text.substr(start));
      break;
    }
    std::string_view line = text.substr(start, nl - start);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    lines.push_back(line);
    start = nl + 1;
  }
  return lines;
}

std::vector<std::string_view> SplitTabs(std::string_view line) {
  std::vector<std::string_view> cells;
  size_t start = 0;
  for (;;) {
    size_t tab = line.find('\t', start);
    if (tab == std::string_view::npos) {
      cells.push_back(line.substr(start));
      return cells;
    }
    cells.push_back(line.substr(start, tab - start));
    start = tab + 1;
  }
}

absl::StatusOr<Term> ParseTurtleTerm(std::string_view cell) {
  std::string doc = absl::StrCat("<urn:x:s> <urn:x:p> ", Sv(cell), " .");
  std::optional<Term> object;
  int count = 0;
  ParseOptions options;
  options.source_name = "<tsv cell>";
  absl::Status s = ParseRdfString(doc, RdfFormat::kTurtle, options,
                                  [&](const Quad& q) -> absl::Status {
                                    object = q.object;
                                    ++count;
                                    return absl::OkStatus();
                                  });
  if (!s.ok() || count != 1) {
    return absl::InvalidArgumentError(
        absl::StrCat("bad TSV term '", Sv(cell), "'",
                     s.ok() ? "" : absl::StrCat(": ", s.message())));
  }
  return *object;
}

// RFC 4180 records; LF or CRLF ends a record outside quotes.
absl::StatusOr<std::vector<std::vector<std::pair<std::string, bool>>>>
CsvRecords(std::string_view text) {
  std::vector<std::vector<std::pair<std::string, bool>>> records;
  std::vector<std::pair<std::string, bool>> record;
  std::string field;
  bool quoted = false;
  size_t i = 0;
  auto end_field = [&] {
    record.emplace_back(std::move(field), quoted);
    field.clear();
    quoted = false;
  };
  while (i < text.size()) {
    char c = text[i];
    if (c == '"' && field.empty() && !quoted) {
      quoted = true;
      ++i;
      for (;;) {
        if (i >= text.size()) {
          return absl::InvalidArgumentError("CSV: unterminated quoted field");
        }
        if (text[i] == '"') {
          if (i + 1 < text.size() && text[i + 1] == '"') {
            field.push_back('"');
            i += 2;
            continue;
          }
          ++i;
          break;
        }
        field.push_back(text[i++]);
      }
      continue;
    }
    if (c == ',') {
      end_field();
      ++i;
    } else if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') {
      end_field();
      records.push_back(std::move(record));
      record.clear();
      i += 2;
    } else if (c == '\n') {
      end_field();
      records.push_back(std::move(record));
      record.clear();
      ++i;
    } else {
      if (quoted) {
        return absl::InvalidArgumentError(
            "CSV: characters after a closing quote");
      }
      field.push_back(c);
      ++i;
    }
  }
  if (!field.empty() || quoted || !record.empty()) {
    end_field();
    records.push_back(std::move(record));
  }
  return records;
}

Term CsvTerm(const std::string& value) {
  if (value.size() > 2 && value.compare(0, 2, "_:") == 0) {
    return Term::BlankNode(value.substr(2));
  }
  if (rdf_internal::IsAbsoluteIri(value) &&
      value.find_first_of(" \t\r\n") == std::string::npos) {
    return Term::Iri(value);
  }
  return Term::Literal(value);
}

// ---- comparison
// --------------------------------------------------------------

std::string CellText(const std::optional<Term>& t) {
  return t.has_value() ? t->ToNTriples() : "UNDEF";
}

std::string RowText(const std::vector<std::string>& vars, const Row& row) {
  std::string out = "{";
  for (size_t i = 0; i < vars.size(); ++i) {
    if (i > 0) out.append(", ");
    absl::StrAppend(&out, "?", vars[i], "=",
                    CellText(i < row.size() ? row[i] : std::nullopt));
  }
  out.push_back('}');
  return out;
}

// The row with blank nodes masked: equal signatures are necessary for two
// rows to match under some bijection.
std::string Signature(const Row& row) {
  std::string sig;
  for (const auto& cell : row) {
    if (!cell.has_value()) {
      sig.append("\x1FU");
    } else if (cell->is_blank()) {
      sig.append("\x1F_");
    } else {
      sig.push_back('\x1F');
      cell->AppendNTriples(&sig);
    }
  }
  return sig;
}

bool HasBlank(const Row& row) {
  for (const auto& cell : row) {
    if (cell.has_value() && cell->is_blank()) return true;
  }
  return false;
}

// A partial blank node bijection with an undo log.
class Bijection {
 public:
  // Extends the mapping so that row `a` maps to row `b` (equal signatures
  // assumed); false (and nothing changed) on conflict.
  bool Match(const Row& a, const Row& b) {
    size_t mark = log_.size();
    for (size_t i = 0; i < a.size(); ++i) {
      if (!a[i].has_value() || !a[i]->is_blank()) continue;
      const std::string& x = a[i]->lexical;
      const std::string& y = b[i]->lexical;
      auto f = fwd_.find(x);
      auto r = bwd_.find(y);
      if (f == fwd_.end() && r == bwd_.end()) {
        fwd_.emplace(x, y);
        bwd_.emplace(y, x);
        log_.push_back(x);
      } else if (f == fwd_.end() || r == bwd_.end() || f->second != y) {
        Undo(mark);
        return false;
      }
    }
    return true;
  }
  size_t Mark() const { return log_.size(); }
  void Undo(size_t mark) {
    while (log_.size() > mark) {
      auto f = fwd_.find(log_.back());
      bwd_.erase(f->second);
      fwd_.erase(f);
      log_.pop_back();
    }
  }

 private:
  absl::flat_hash_map<std::string, std::string> fwd_, bwd_;
  std::vector<std::string> log_;
};

struct Matcher {
  const std::vector<const Row*>& a;
  const std::vector<std::vector<const Row*>>& candidates;  // per a row
  std::vector<bool> used_b;
  absl::flat_hash_map<const Row*, size_t> b_index;
  Bijection bij;
  uint64_t budget = 2'000'000;

  bool Search(size_t i) {
    if (i == a.size()) return true;
    for (const Row* b : candidates[i]) {
      size_t bi = b_index.at(b);
      if (used_b[bi]) continue;
      if (budget == 0) return false;
      --budget;
      size_t mark = bij.Mark();
      if (!bij.Match(*a[i], *b)) continue;
      used_b[bi] = true;
      if (Search(i + 1)) return true;
      used_b[bi] = false;
      bij.Undo(mark);
    }
    return false;
  }
};

bool CompareBindings(const ResultTable& expected, const ResultTable& actual,
                     bool ordered, std::string* diff) {
  auto say = [&](std::string text) {
    if (diff != nullptr) *diff = std::move(text);
    return false;
  };
  std::set<std::string> ev(expected.variables.begin(),
                           expected.variables.end());
  std::set<std::string> av(actual.variables.begin(), actual.variables.end());
  if (ev != av) {
    return say(absl::StrCat("variables differ: expected [",
                            absl::StrJoin(ev, " "), "], actual [",
                            absl::StrJoin(av, " "), "]"));
  }
  const std::vector<std::string>& vars = expected.variables;
  // Actual rows laid out in the expected column order.
  std::vector<size_t> perm;
  for (const std::string& v : vars) {
    perm.push_back(
        std::find(actual.variables.begin(), actual.variables.end(), v) -
        actual.variables.begin());
  }
  std::vector<Row> a_rows;
  for (const Row& r : expected.rows) {
    Row row = r;
    row.resize(vars.size());
    a_rows.push_back(std::move(row));
  }
  std::vector<Row> b_rows;
  for (const Row& r : actual.rows) {
    Row row(vars.size());
    for (size_t i = 0; i < vars.size(); ++i) {
      if (perm[i] < r.size()) row[i] = r[perm[i]];
    }
    b_rows.push_back(std::move(row));
  }
  std::string count_note;
  if (a_rows.size() != b_rows.size()) {
    count_note = absl::StrCat("expected ", a_rows.size(), " rows, actual ",
                              b_rows.size(), "; ");
  }

  if (ordered) {
    Bijection bij;
    for (size_t i = 0; i < a_rows.size() && i < b_rows.size(); ++i) {
      if (Signature(a_rows[i]) != Signature(b_rows[i]) ||
          !bij.Match(a_rows[i], b_rows[i])) {
        return say(absl::StrCat(count_note, "row ", i + 1, ": expected ",
                                RowText(vars, a_rows[i]), ", actual ",
                                RowText(vars, b_rows[i])));
      }
    }
    if (!count_note.empty()) {
      bool more_expected = a_rows.size() > b_rows.size();
      size_t i = std::min(a_rows.size(), b_rows.size());
      return say(absl::StrCat(
          count_note,
          more_expected ? "first missing row: " : "first extra row: ",
          RowText(vars, more_expected ? a_rows[i] : b_rows[i])));
    }
    return true;
  }

  // Unordered: signatures as multisets first.
  std::map<std::string, std::vector<const Row*>> a_by_sig, b_by_sig;
  for (const Row& r : a_rows) a_by_sig[Signature(r)].push_back(&r);
  for (const Row& r : b_rows) b_by_sig[Signature(r)].push_back(&r);
  for (const auto& [sig, rows] : a_by_sig) {
    auto it = b_by_sig.find(sig);
    size_t have = it == b_by_sig.end() ? 0 : it->second.size();
    if (have < rows.size()) {
      return say(absl::StrCat(
          count_note, "expected row not in actual",
          rows.size() > 1
              ? absl::StrCat(" (", rows.size(), " times, actual ", have, ")")
              : "",
          ": ", RowText(vars, *rows[0])));
    }
  }
  for (const auto& [sig, rows] : b_by_sig) {
    auto it = a_by_sig.find(sig);
    size_t want = it == a_by_sig.end() ? 0 : it->second.size();
    if (want < rows.size()) {
      return say(absl::StrCat(
          count_note, "unexpected row in actual",
          want > 0
              ? absl::StrCat(" (", rows.size(), " times, expected ", want, ")")
              : "",
          ": ", RowText(vars, *rows[0])));
    }
  }
  // Rows without blank nodes matched exactly; search a bijection for the
  // others, most constrained rows first.
  std::vector<const Row*> a_blank;
  for (const Row& r : a_rows) {
    if (HasBlank(r)) a_blank.push_back(&r);
  }
  if (a_blank.empty()) return true;
  std::stable_sort(
      a_blank.begin(), a_blank.end(), [&](const Row* x, const Row* y) {
        return a_by_sig[Signature(*x)].size() < a_by_sig[Signature(*y)].size();
      });
  std::vector<std::vector<const Row*>> candidates;
  for (const Row* r : a_blank) candidates.push_back(b_by_sig[Signature(*r)]);
  Matcher m{
      a_blank, candidates, std::vector<bool>(b_rows.size(), false), {}, {}};
  for (size_t i = 0; i < b_rows.size(); ++i) m.b_index[&b_rows[i]] = i;
  if (m.Search(0)) return true;
  return say(m.budget == 0
                 ? "gave up searching for a blank node mapping (too many "
                   "candidates)"
                 : absl::StrCat("no blank node renaming makes the rows equal "
                                "(first row with blank nodes: ",
                                RowText(vars, *a_blank[0]), ")"));
}

}  // namespace

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

absl::StatusOr<ResultTable> ParseSrx(std::string_view text) {
  SrxState state;
  if (absl::Status s = RunExpat(text, &state, "srx"); !s.ok()) return s;
  if (state.saw_boolean) {
    ResultTable table;
    table.kind = QueryResult::Kind::kBoolean;
    table.boolean = state.boolean;
    return table;
  }
  return BuildTable(std::move(state.vars), state.rows);
}

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

absl::StatusOr<ResultTable> ParseTsv(std::string_view text) {
  std::vector<std::string_view> lines = SplitLines(text);
  if (lines.empty()) return absl::InvalidArgumentError("tsv: no header line");
  std::vector<std::string> vars;
  if (!lines[0].empty()) {
    for (std::string_view h : SplitTabs(lines[0])) {
      if (h.size() < 2 || (h[0] != '?' && h[0] != '$')) {
        return absl::InvalidArgumentError(
            absl::StrCat("tsv: bad header cell '", Sv(h), "'"));
      }
      vars.emplace_back(h.substr(1));
    }
  }
  ResultTable table;
  table.variables = vars;
  for (size_t l = 1; l < lines.size(); ++l) {
    Row row(vars.size());
    if (!vars.empty()) {
      std::vector<std::string_view> cells = SplitTabs(lines[l]);
      if (cells.size() != vars.size()) {
        return absl::InvalidArgumentError(
            absl::StrCat("tsv: line ", l + 1, " has ", cells.size(),
                         " cells, the header ", vars.size()));
      }
      for (size_t i = 0; i < cells.size(); ++i) {
        if (cells[i].empty()) continue;
        absl::StatusOr<Term> t = ParseTurtleTerm(cells[i]);
        if (!t.ok()) {
          return absl::InvalidArgumentError(
              absl::StrCat("tsv: line ", l + 1, ": ", t.status().message()));
        }
        row[i] = std::move(*t);
      }
    }
    table.rows.push_back(std::move(row));
  }
  return table;
}

absl::StatusOr<ResultTable> ParseCsv(std::string_view text) {
  auto records = CsvRecords(text);
  if (!records.ok()) return records.status();
  if (records->empty()) {
    return absl::InvalidArgumentError("csv: no header line");
  }
  auto is_blank_line = [](const auto& rec) {
    return rec.size() == 1 && rec[0].first.empty() && !rec[0].second;
  };
  ResultTable table;
  if (!is_blank_line((*records)[0])) {
    for (const auto& [name, quoted] : (*records)[0]) {
      table.variables.push_back(name);
    }
  }
  const size_t n = table.variables.size();
  for (size_t r = 1; r < records->size(); ++r) {
    const auto& rec = (*records)[r];
    Row row(n);
    if (n == 0 && is_blank_line(rec)) {
      table.rows.push_back(std::move(row));
      continue;
    }
    if (rec.size() != n) {
      return absl::InvalidArgumentError(
          absl::StrCat("csv: record ", r + 1, " has ", rec.size(),
                       " fields, the header ", n));
    }
    for (size_t i = 0; i < n; ++i) {
      if (rec[i].first.empty() && !rec[i].second) continue;
      row[i] = CsvTerm(rec[i].first);
    }
    table.rows.push_back(std::move(row));
  }
  return table;
}

absl::StatusOr<std::vector<Quad>> ParseRdfXml(std::string_view text,
                                              const std::string& base_iri) {
  RdfXmlState state;
  state.base = base_iri;
  if (absl::Status s = RunExpat(text, &state, "rdf/xml"); !s.ok()) return s;
  return std::move(state.quads);
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

absl::StatusOr<ResultTable> CsvView(const ResultTable& table) {
  if (table.kind != QueryResult::Kind::kBindings) return table;
  std::unique_ptr<QueryResult> result = ResultFromTable(table);
  std::ostringstream out;
  if (absl::Status s = WriteResult(*result, ResultFormat::kCsv, out); !s.ok()) {
    return s;
  }
  return ParseCsv(out.str());
}

ResultTable RenameBlankNodes(const ResultTable& table,
                             std::string_view prefix) {
  absl::flat_hash_map<std::string, std::string> names;
  auto rename = [&](Term& t) {
    if (!t.is_blank()) return;
    auto [it, fresh] = names.try_emplace(t.lexical, "");
    if (fresh) it->second = absl::StrCat(Sv(prefix), names.size());
    t.lexical = it->second;
  };
  ResultTable out = table;
  for (Row& row : out.rows) {
    for (auto& cell : row) {
      if (cell.has_value()) rename(*cell);
    }
  }
  for (Quad& q : out.triples) {
    rename(q.subject);
    rename(q.object);
    if (q.graph.has_value()) rename(*q.graph);
  }
  return out;
}

bool ResultsEqual(const ResultTable& expected, const ResultTable& actual,
                  bool ordered, std::string* diff) {
  auto kind_name = [](QueryResult::Kind k) {
    switch (k) {
      case QueryResult::Kind::kBindings:
        return "bindings";
      case QueryResult::Kind::kBoolean:
        return "boolean";
      case QueryResult::Kind::kGraph:
        return "graph";
    }
    return "?";
  };
  if (expected.kind != actual.kind) {
    if (diff != nullptr) {
      *diff = absl::StrCat("expected a ", kind_name(expected.kind),
                           " result, actual a ", kind_name(actual.kind));
    }
    return false;
  }
  switch (expected.kind) {
    case QueryResult::Kind::kBoolean:
      if (expected.boolean != actual.boolean) {
        if (diff != nullptr) {
          *diff = absl::StrCat("expected ", expected.boolean ? "true" : "false",
                               ", actual ", actual.boolean ? "true" : "false");
        }
        return false;
      }
      return true;
    case QueryResult::Kind::kGraph:
      return IsIsomorphic(expected.triples, actual.triples, diff);
    case QueryResult::Kind::kBindings:
      return CompareBindings(expected, actual, ordered, diff);
  }
  return false;
}

}  // namespace kg::conformance
