// The result writers behind WriteResult; the text table is in
// engine/result_table.cc.
//
// Streaming: TSV, CSV, JSON, XML, N-Triples and Turtle write each row or
// triple as NextRow/NextTriple hands it over, so a huge result never sits in
// memory.
//
// A result that fails while it is read (timeout, memory cap, cancellation,
// a storage error) ends its output as a whole document, and the writer
// returns the error (see WriteResult in engine/query_result.h):
// - JSON closes the bindings array and the open objects, so the document
//   parses. No member is added: the SPARQL 1.1 JSON format has no place
//   for an error, and readers need not accept unknown top-level members.
// - XML closes </results></sparql> and adds a comment after the root
//   element, <!-- result cut: reason -->, which every XML reader skips.
// - N-Triples and Turtle end the statement in progress (Turtle's ';' and
//   ',' groups are closed with ' .') and add a line "# result cut: reason".
// - TSV and CSV have no syntax for a note: they end after the last complete
//   line, and only the returned status tells that the result is cut.
// A failure of the output stream itself cannot be repaired: the writer
// stops at once with DataLoss and what was written is cut anywhere.
//
// Escaping choices (each format's spec leaves one corner open):
// - JSON: a small escaper instead of a library, because this is a core
//   output path and the rules are short (RFC 8259): \" \\ \b \f \n \r \t,
//   other C0 controls and U+2028/U+2029 (JavaScript line ends) as \uXXXX;
//   everything else as UTF-8.
// - XML 1.0 cannot carry most C0 control characters at all, not even as
//   character references; those are written as U+FFFD. CR is written as
//   &#13; (and TAB/LF in attributes as &#9;/&#10;) so parsers do not
//   normalise them away.
// - JSON and XML must be valid Unicode: a byte that is not well-formed UTF-8
//   is written as U+FFFD.

#include <algorithm>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "engine/query_result.h"
#include "engine/result_writers_internal.h"
#include "storage/base/absl_compat.h"
#include "storage/rdf/rdf_format.h"
#include "storage/rdf/syntax.h"

namespace kg {
namespace results_internal {

absl::Status StreamStatus(const std::ostream& out) {
  if (out.good()) return absl::OkStatus();
  return absl::DataLossError("writing the query result failed");
}

absl::Status EndStatus(const absl::Status& cut, const std::ostream& out) {
  if (!cut.ok()) return cut;
  return StreamStatus(out);
}

std::string CommentText(std::string_view message) {
  std::string text;
  const char* p = message.data();
  const char* end = p + message.size();
  while (p < end) {
    uint32_t cp;
    int len = rdf_internal::DecodeUtf8(p, end, &cp);
    if (len == 0) {
      text.append(kReplacement);
      ++p;
      continue;
    }
    if (cp < 0x20 || cp == 0x7F) {
      text.push_back(' ');
    } else if (cp == '-' && !text.empty() && text.back() == '-') {
      text.append(" -");  // "--" may not occur in an XML comment
    } else {
      text.append(p, len);
    }
    p += len;
  }
  if (!text.empty() && text.back() == '-') text.push_back(' ');
  return text;
}

}  // namespace results_internal

namespace {

using rdf_internal::DecodeUtf8;
using results_internal::EndStatus;
using results_internal::kHex;
using results_internal::kReplacement;
using results_internal::MergePrefixes;
using results_internal::StreamStatus;
using results_internal::WriteTable;

// ---- TSV and CSV -----------------------------------------------------------

bool AllDigits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

std::string_view StripSign(std::string_view s) {
  if (!s.empty() && (s[0] == '+' || s[0] == '-')) s.remove_prefix(1);
  return s;
}

// The lexical form matches Turtle's INTEGER / DECIMAL / DOUBLE token of the
// same datatype, so the bare number reads back as the same term.
bool IsTurtleNumber(const Term& t) {
  std::string_view s = StripSign(t.lexical);
  if (t.datatype == kXsdInteger) return AllDigits(s);
  if (t.datatype == kXsdDecimal) {
    size_t dot = s.find('.');
    if (dot == std::string_view::npos) return false;
    std::string_view before = s.substr(0, dot);
    return (before.empty() || AllDigits(before)) &&
           AllDigits(s.substr(dot + 1));
  }
  if (t.datatype == kXsdDouble) {
    size_t e = s.find_first_of("eE");
    if (e == std::string_view::npos) return false;
    std::string_view mant = s.substr(0, e);
    std::string_view exp = StripSign(s.substr(e + 1));
    if (!AllDigits(exp)) return false;
    size_t dot = mant.find('.');
    if (dot == std::string_view::npos) return AllDigits(mant);
    std::string_view a = mant.substr(0, dot);
    std::string_view b = mant.substr(dot + 1);
    if (a.empty() && b.empty()) return false;
    return (a.empty() || AllDigits(a)) && (b.empty() || AllDigits(b));
  }
  return false;
}

void AppendTsvTerm(const Term& t, std::string* out) {
  if (t.is_literal() && t.language.empty() && IsTurtleNumber(t)) {
    out->append(t.lexical);
  } else {
    t.AppendNTriples(out);
  }
}

void AppendCsvField(std::string_view value, std::string* out) {
  if (value.find_first_of("\",\r\n") == std::string_view::npos) {
    out->append(value);
    return;
  }
  out->push_back('"');
  for (char c : value) {
    if (c == '"') out->push_back('"');
    out->push_back(c);
  }
  out->push_back('"');
}

void AppendCsvTerm(const Term& t, std::string* out) {
  if (t.is_blank()) {
    AppendCsvField(absl::StrCat("_:", t.lexical), out);
  } else {
    AppendCsvField(t.lexical, out);
  }
}

// TSV lines end in LF, CSV lines in CRLF, as the SPARQL 1.1 CSV/TSV spec
// says.
absl::Status WriteSeparated(QueryResult& result, std::ostream& out, bool tsv) {
  const std::vector<std::string>& vars = result.variables();
  const char sep = tsv ? '\t' : ',';
  const char* eol = tsv ? "\n" : "\r\n";
  std::string line;
  for (size_t i = 0; i < vars.size(); ++i) {
    if (i > 0) line.push_back(sep);
    if (tsv) {
      line.push_back('?');
      line.append(vars[i]);
    } else {
      AppendCsvField(vars[i], &line);
    }
  }
  line.append(eol);
  out << line;
  // A failure while reading ends the output after the last complete line;
  // neither format has a way to say more.
  Row row;
  absl::Status cut;
  for (;;) {
    absl::StatusOr<bool> more = result.NextRow(&row);
    if (!more.ok()) {
      cut = more.status();
      break;
    }
    if (!*more) break;
    line.clear();
    for (size_t i = 0; i < vars.size(); ++i) {
      if (i > 0) line.push_back(sep);
      if (i >= row.size() || !row[i].has_value()) continue;
      if (tsv) {
        AppendTsvTerm(*row[i], &line);
      } else {
        AppendCsvTerm(*row[i], &line);
      }
    }
    line.append(eol);
    out << line;
    if (!out.good()) return StreamStatus(out);
  }
  return EndStatus(cut, out);
}

// ---- JSON
// --------------------------------------------------------------------

void AppendJsonString(std::string_view s, std::string* out) {
  out->push_back('"');
  const char* p = s.data();
  const char* end = p + s.size();
  while (p < end) {
    auto c = static_cast<unsigned char>(*p);
    if (c >= 0x20 && c < 0x80 && c != '"' && c != '\\') {
      out->push_back(*p++);
      continue;
    }
    switch (c) {
      case '"':
        out->append("\\\"");
        ++p;
        continue;
      case '\\':
        out->append("\\\\");
        ++p;
        continue;
      case '\b':
        out->append("\\b");
        ++p;
        continue;
      case '\f':
        out->append("\\f");
        ++p;
        continue;
      case '\n':
        out->append("\\n");
        ++p;
        continue;
      case '\r':
        out->append("\\r");
        ++p;
        continue;
      case '\t':
        out->append("\\t");
        ++p;
        continue;
      default:
        break;
    }
    if (c < 0x20) {
      out->append("\\u00");
      out->push_back(kHex[c >> 4]);
      out->push_back(kHex[c & 0xF]);
      ++p;
      continue;
    }
    uint32_t cp;
    int len = DecodeUtf8(p, end, &cp);
    if (len == 0) {
      out->append(kReplacement);
      ++p;
    } else if (cp == 0x2028 || cp == 0x2029) {
      out->append(cp == 0x2028 ? "\\u2028" : "\\u2029");
      p += len;
    } else {
      out->append(p, len);
      p += len;
    }
  }
  out->push_back('"');
}

void AppendJsonTerm(const Term& t, std::string* out) {
  switch (t.kind) {
    case TermKind::kIri:
      out->append("{ \"type\": \"uri\", \"value\": ");
      AppendJsonString(t.lexical, out);
      break;
    case TermKind::kBlankNode:
      out->append("{ \"type\": \"bnode\", \"value\": ");
      AppendJsonString(t.lexical, out);
      break;
    case TermKind::kLiteral:
      out->append("{ \"type\": \"literal\", \"value\": ");
      AppendJsonString(t.lexical, out);
      if (!t.language.empty()) {
        out->append(", \"xml:lang\": ");
        AppendJsonString(t.language, out);
      } else if (!t.datatype.empty()) {
        out->append(", \"datatype\": ");
        AppendJsonString(t.datatype, out);
      }
      break;
  }
  out->append(" }");
}

absl::Status WriteJson(QueryResult& result, std::ostream& out) {
  if (result.kind() == QueryResult::Kind::kBoolean) {
    out << "{\n  \"head\": {},\n  \"boolean\": "
        << (result.boolean() ? "true" : "false") << "\n}\n";
    return StreamStatus(out);
  }
  const std::vector<std::string>& vars = result.variables();
  std::string text = "{\n  \"head\": { \"vars\": [";
  for (size_t i = 0; i < vars.size(); ++i) {
    text.append(i == 0 ? " " : ", ");
    AppendJsonString(vars[i], &text);
  }
  text.append(vars.empty() ? "] },\n" : " ] },\n");
  text.append("  \"results\": {\n    \"bindings\": [");
  out << text;
  Row row;
  bool first = true;
  absl::Status cut;  // the error that ended the rows early
  for (;;) {
    absl::StatusOr<bool> more = result.NextRow(&row);
    if (!more.ok()) {
      cut = more.status();
      break;
    }
    if (!*more) break;
    text.assign(first ? "\n      {" : ",\n      {");
    first = false;
    bool first_binding = true;
    for (size_t i = 0; i < vars.size() && i < row.size(); ++i) {
      if (!row[i].has_value()) continue;
      text.append(first_binding ? "\n        " : ",\n        ");
      first_binding = false;
      AppendJsonString(vars[i], &text);
      text.append(": ");
      AppendJsonTerm(*row[i], &text);
    }
    text.append(first_binding ? "}" : "\n      }");
    out << text;
    if (!out.good()) return StreamStatus(out);
  }
  // Closed the same way whether the rows ended or were cut, so the
  // document parses either way; the returned status tells which.
  out << (first ? "]\n  }\n}\n" : "\n    ]\n  }\n}\n");
  return EndStatus(cut, out);
}

// ---- XML
// -----------------------------------------------------------------------

// Escapes for element content (attribute = false) or a double-quoted
// attribute value (attribute = true).
void AppendXmlEscaped(std::string_view s, bool attribute, std::string* out) {
  const char* p = s.data();
  const char* end = p + s.size();
  while (p < end) {
    auto c = static_cast<unsigned char>(*p);
    if (c < 0x80) {
      ++p;
      switch (c) {
        case '&':
          out->append("&amp;");
          break;
        case '<':
          out->append("&lt;");
          break;
        case '>':
          out->append("&gt;");
          break;
        case '"':
          out->append(attribute ? "&quot;" : "\"");
          break;
        case '\r':
          out->append("&#13;");
          break;
        case '\t':
          out->append(attribute ? "&#9;" : "\t");
          break;
        case '\n':
          out->append(attribute ? "&#10;" : "\n");
          break;
        default:
          if (c < 0x20) {
            out->append(kReplacement);  // not representable in XML 1.0
          } else {
            out->push_back(static_cast<char>(c));
          }
      }
      continue;
    }
    uint32_t cp;
    int len = DecodeUtf8(p, end, &cp);
    if (len == 0 || cp == 0xFFFE || cp == 0xFFFF) {
      out->append(kReplacement);
      p += len == 0 ? 1 : len;
    } else {
      out->append(p, len);
      p += len;
    }
  }
}

void AppendXmlTerm(const Term& t, std::string* out) {
  switch (t.kind) {
    case TermKind::kIri:
      out->append("<uri>");
      AppendXmlEscaped(t.lexical, false, out);
      out->append("</uri>");
      break;
    case TermKind::kBlankNode:
      out->append("<bnode>");
      AppendXmlEscaped(t.lexical, false, out);
      out->append("</bnode>");
      break;
    case TermKind::kLiteral:
      out->append("<literal");
      if (!t.language.empty()) {
        out->append(" xml:lang=\"");
        AppendXmlEscaped(t.language, true, out);
        out->push_back('"');
      } else if (!t.datatype.empty()) {
        out->append(" datatype=\"");
        AppendXmlEscaped(t.datatype, true, out);
        out->push_back('"');
      }
      out->push_back('>');
      AppendXmlEscaped(t.lexical, false, out);
      out->append("</literal>");
      break;
  }
}

absl::Status WriteXml(QueryResult& result, std::ostream& out) {
  out << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
         "<sparql xmlns=\"http://www.w3.org/2005/sparql-results#\">\n";
  if (result.kind() == QueryResult::Kind::kBoolean) {
    out << "  <head/>\n  <boolean>" << (result.boolean() ? "true" : "false")
        << "</boolean>\n</sparql>\n";
    return StreamStatus(out);
  }
  const std::vector<std::string>& vars = result.variables();
  std::string text = "  <head>\n";
  for (const std::string& v : vars) {
    text.append("    <variable name=\"");
    AppendXmlEscaped(v, true, &text);
    text.append("\"/>\n");
  }
  text.append("  </head>\n  <results>\n");
  out << text;
  Row row;
  absl::Status cut;  // the error that ended the rows early
  for (;;) {
    absl::StatusOr<bool> more = result.NextRow(&row);
    if (!more.ok()) {
      cut = more.status();
      break;
    }
    if (!*more) break;
    text.assign("    <result>\n");
    for (size_t i = 0; i < vars.size() && i < row.size(); ++i) {
      if (!row[i].has_value()) continue;
      text.append("      <binding name=\"");
      AppendXmlEscaped(vars[i], true, &text);
      text.append("\">");
      AppendXmlTerm(*row[i], &text);
      text.append("</binding>\n");
    }
    text.append("    </result>\n");
    out << text;
    if (!out.good()) return StreamStatus(out);
  }
  out << "  </results>\n</sparql>\n";
  // After the root element, where a comment is allowed and every reader
  // that stops at </sparql> never sees it.
  if (!cut.ok()) {
    out << "<!-- result cut: "
        << results_internal::CommentText(Sv(cut.message())) << " -->\n";
  }
  return EndStatus(cut, out);
}

// ---- N-Triples and Turtle ---------------------------------------------------

absl::Status WriteGraph(QueryResult& result, RdfFormat format,
                        std::ostream& out, const ResultWriteOptions& options) {
  std::unique_ptr<RdfWriter> writer = NewRdfWriter(format, out);
  for (const auto& [name, ns] : MergePrefixes(options, result)) {
    writer->AddPrefix(name, ns);
  }
  Quad quad;
  absl::Status cut;  // the error that ended the triples early
  for (;;) {
    absl::StatusOr<bool> more = result.NextTriple(&quad);
    if (!more.ok()) {
      cut = more.status();
      break;
    }
    if (!*more) break;
    quad.graph.reset();
    if (absl::Status s = writer->Write(quad); !s.ok()) return s;
  }
  // Finish ends the statement in progress (Turtle leaves the last one open
  // for ';' and ','), so a cut result ends at a statement boundary.
  absl::Status finished = writer->Finish();
  if (cut.ok()) return finished;
  if (finished.ok()) {
    out << "# result cut: "
        << results_internal::CommentText(Sv(cut.message())) << '\n';
  }
  return cut;
}

std::string_view KindName(QueryResult::Kind kind) {
  switch (kind) {
    case QueryResult::Kind::kBindings:
      return "a SELECT result (variable bindings)";
    case QueryResult::Kind::kBoolean:
      return "an ASK result (a boolean)";
    case QueryResult::Kind::kGraph:
      return "a CONSTRUCT/DESCRIBE result (a graph)";
  }
  return "a result";
}

std::string_view FormatName(ResultFormat format) {
  switch (format) {
    case ResultFormat::kTable:
      return "table";
    case ResultFormat::kTsv:
      return "tsv";
    case ResultFormat::kCsv:
      return "csv";
    case ResultFormat::kJson:
      return "json";
    case ResultFormat::kXml:
      return "xml";
    case ResultFormat::kNTriples:
      return "ntriples";
    case ResultFormat::kTurtle:
      return "turtle";
  }
  return "?";
}

absl::Status CannotCarry(const QueryResult& result, ResultFormat format) {
  std::string_view hint = result.kind() == QueryResult::Kind::kGraph
                              ? "; use ntriples, turtle or table"
                              : "; use table, tsv, csv, json or xml";
  return absl::InvalidArgumentError(
      absl::StrCat("the ", Sv(FormatName(format)), " format cannot carry ",
                   Sv(KindName(result.kind())), Sv(hint)));
}

}  // namespace

absl::Status WriteResult(QueryResult& result, ResultFormat format,
                         std::ostream& out, const ResultWriteOptions& options) {
  const QueryResult::Kind kind = result.kind();
  if (kind == QueryResult::Kind::kBoolean) {
    switch (format) {
      case ResultFormat::kJson:
        return WriteJson(result, out);
      case ResultFormat::kXml:
        return WriteXml(result, out);
      default:
        // Table, TSV, CSV and the RDF formats: the bare answer, which is
        // what a shell user or a script wants to see.
        out << (result.boolean() ? "true" : "false") << '\n';
        return StreamStatus(out);
    }
  }
  if (kind == QueryResult::Kind::kGraph) {
    switch (format) {
      case ResultFormat::kTable:
        return WriteTable(result, out, options);
      case ResultFormat::kNTriples:
        return WriteGraph(result, RdfFormat::kNTriples, out, options);
      case ResultFormat::kTurtle:
        return WriteGraph(result, RdfFormat::kTurtle, out, options);
      default:
        return CannotCarry(result, format);
    }
  }
  switch (format) {
    case ResultFormat::kTable:
      return WriteTable(result, out, options);
    case ResultFormat::kTsv:
      return WriteSeparated(result, out, /*tsv=*/true);
    case ResultFormat::kCsv:
      return WriteSeparated(result, out, /*tsv=*/false);
    case ResultFormat::kJson:
      return WriteJson(result, out);
    case ResultFormat::kXml:
      return WriteXml(result, out);
    case ResultFormat::kNTriples:
    case ResultFormat::kTurtle:
      return CannotCarry(result, format);
  }
  return CannotCarry(result, format);
}

}  // namespace kg
