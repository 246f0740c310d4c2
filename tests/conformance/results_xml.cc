// The XML readers of expected results, both on expat in namespace mode (so
// the files' prefixes and quoting styles do not matter): SPARQL XML results
// (.srx, ParseSrx) and the subset of RDF/XML the suites use (.rdf,
// ParseRdfXml): node and property elements, rdf:about/nodeID/resource/
// datatype, rdf:parseType="Resource", xml:lang.

#include <expat.h>

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "storage/base/absl_compat.h"
#include "storage/rdf/iri.h"
#include "tests/conformance/results.h"
#include "tests/conformance/results_internal.h"

namespace kg::conformance {
namespace {

constexpr std::string_view kXmlNs = "http://www.w3.org/XML/1998/namespace";
constexpr char kNsSep = '\n';  // cannot occur in a namespace name

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

}  // namespace

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

absl::StatusOr<std::vector<Quad>> ParseRdfXml(std::string_view text,
                                              const std::string& base_iri) {
  RdfXmlState state;
  state.base = base_iri;
  if (absl::Status s = RunExpat(text, &state, "rdf/xml"); !s.ok()) return s;
  return std::move(state.quads);
}

}  // namespace kg::conformance
