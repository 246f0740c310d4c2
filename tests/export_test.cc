// Graph exports (engine/graph_export.h, `kg export`): every format checked
// by the tool that reads it (Graphviz dot/sfdp, xmllint against the GraphML
// and GEXF schemas in tests/data/schemas, nlohmann-json, headless Chromium),
// escaping of hostile labels, selections (neighbourhood, CONSTRUCT, --graph)
// and the command's exit codes. Tests whose external tool is missing print
// "KG-TEST-SKIPPED" and ctest reports them as skipped.

#include <sys/wait.h>

#include <array>
#include <catch2/catch.hpp>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <string>

#include "engine/database.h"
#include "engine/graph_export.h"
#include "tests/util/run_command.h"
#include "tests/util/test_store.h"

namespace {

using kg::testing::CommandResult;
using kg::testing::Has;
using kg::testing::ReadFileText;
using kg::testing::RunCommand;
using kg::testing::ShellQuote;
using kg::testing::TempDir;
using nlohmann::json;

const std::string kKg = kg::testing::KgBinary();
const std::string kSeed =
    std::string(KG_SOURCE_ROOT) + "/examples/seed/kazinform-2023-02-24.trig";
const std::string kSchemas = std::string(KG_SOURCE_ROOT) + "/tests/data/schemas";
const std::string kArticle = "https://kgstore.example/id/article-2023-02-24-kazinform";
const std::string kType = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type";

bool HaveTool(const std::string& name) {
  return RunCommand("command -v " + name + " >/dev/null").exit_code == 0;
}

void Skip(const std::string& why) {
  // Matched by the SKIP_REGULAR_EXPRESSION of tests/CMakeLists.txt.
  std::cout << "KG-TEST-SKIPPED: " << why << "\n";
  WARN("KG-TEST-SKIPPED: " << why);
}

kg::ExportOptions Opt(kg::ExportFormat f) {
  kg::ExportOptions o;
  o.format = f;
  return o;
}

std::string Export(kg::Database& db, kg::ExportOptions o,
                   kg::ExportSummary* summary = nullptr) {
  std::ostringstream out;
  absl::Status s = kg::ExportGraph(db, o, out, summary);
  INFO(s.ToString());
  REQUIRE(s.ok());
  return out.str();
}

std::string WriteFile(const TempDir& dir, const std::string& name,
                      const std::string& text) {
  std::string path = dir.file(name);
  std::ofstream(path, std::ios::binary) << text;
  return path;
}

int Validate(const std::string& file, kg::ExportFormat f) {
  std::string catalog = "XML_CATALOG_FILES=" + kSchemas + "/catalog.xml ";
  if (f == kg::ExportFormat::kGraphMl)
    return RunCommand(catalog + "xmllint --nonet --noout --schema " + kSchemas +
              "/graphml/graphml.xsd " + file).exit_code;
  // GEXF with viz:color: the RELAX NG grammar; the XSD (whose viz
  // declarations are defective upstream) on the file without viz elements.
  int rng = RunCommand("xmllint --nonet --noout --relaxng " + kSchemas +
               "/gexf/gexf.rng " + file).exit_code;
  RunCommand("sed '/<viz:/d' " + file + " > " + file + ".noviz");
  int xsd = RunCommand(catalog + "xmllint --nonet --noout --schema " + kSchemas +
               "/gexf/gexf.xsd " + file + ".noviz").exit_code;
  return rng != 0 ? rng : xsd;
}

std::unique_ptr<kg::Database> SeedStore(const TempDir& dir) {
  auto db = kg::Database::Open(dir.file("seed"), {});
  REQUIRE(db.ok());
  REQUIRE((*db)->LoadFile(kSeed, {}).ok());
  return std::move(*db);
}

// Nodes and edges of a Cytoscape JSON export, checked for consistency.
struct CyGraph {
  json doc;
  std::map<std::string, json> nodes;  // id -> data
  std::vector<json> edges;
};
CyGraph ParseCy(const std::string& text) {
  CyGraph g;
  g.doc = json::parse(text);
  for (const json& n : g.doc["elements"]["nodes"]) {
    std::string id = n["data"]["id"];
    CHECK(g.nodes.emplace(id, n["data"]).second);  // ids unique
  }
  for (const json& e : g.doc["elements"]["edges"]) {
    g.edges.push_back(e["data"]);
    CHECK(g.nodes.count(e["data"]["source"].get<std::string>()));
    CHECK(g.nodes.count(e["data"]["target"].get<std::string>()));
  }
  return g;
}

const std::string kHostile = R"(
@prefix ex: <https://kgstore.example/id/> .
@prefix kg: <https://kgstore.example/vocab#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
ex:q a kg:Person ; rdfs:label "He said \"hi\" \\ back\\slash" ;
  kg:note "line one\nline two\r\n\ttabbed" ; kg:metWith ex:amp .
ex:amp a kg:Country ; rdfs:label "<b>AT&T</b> & 'co' ]]> -->" ;
  kg:nativeName "Ελλάδα"@el , "日本"@ja ; kg:metWith ex:emoji .
ex:emoji rdfs:label "🦄 unicorn 👩‍👩‍👧 café" ; kg:count 42 ; kg:ratio 0.5 ;
  kg:ok true ; kg:metWith ex:q , ex:digraph .
ex:digraph rdfs:label "digraph { node -> edge } graph [label=x]" ; kg:metWith ex:q .
)";

}  // namespace

TEST_CASE("export formats on the seed validate in their readers", "[export]") {
  TempDir dir;
  auto db = SeedStore(dir);
  kg::ExportSummary base;
  std::string cy = Export(*db, Opt(kg::ExportFormat::kCytoscape), &base);
  CyGraph g = ParseCy(cy);
  CHECK(g.nodes.size() == base.nodes);
  CHECK(g.edges.size() == base.edges);
  CHECK(base.nodes > 100);
  CHECK(base.edges > 200);

  // Node for Madalina Lupu: label, class and colour, attributes, provenance.
  bool found = false;
  for (const auto& [id, d] : g.nodes) {
    if (d["iri"] != "https://kgstore.example/id/madalina-lupu") continue;
    found = true;
    CHECK(d["label"] == "Madalina Lupu");
    CHECK(d["class"] == "kg:Person");
    CHECK(d["graphs"].dump().find(kArticle) != std::string::npos);
  }
  CHECK(found);
  // Every class has one colour; no rdf:type edges.
  std::map<std::string, std::string> color;
  for (const auto& [id, d] : g.nodes) {
    std::string cls = d["class"];
    if (cls.empty()) continue;
    auto [it, inserted] = color.emplace(cls, d["color"]);
    CHECK(it->second == d["color"].get<std::string>());
  }
  for (const json& e : g.edges) CHECK(e["predicate"] != kType);

  // The same counts in every format.
  for (auto f : {kg::ExportFormat::kDot, kg::ExportFormat::kGraphMl,
                 kg::ExportFormat::kGexf, kg::ExportFormat::kHtml}) {
    kg::ExportSummary s;
    Export(*db, Opt(f), &s);
    CHECK(s.nodes == base.nodes);
    CHECK(s.edges == base.edges);
  }

  if (HaveTool("dot") && HaveTool("sfdp")) {
    std::string file = WriteFile(dir, "seed.dot", Export(*db, Opt(kg::ExportFormat::kDot)));
    CommandResult dot = RunCommand("dot -Tsvg " + file + " -o " + dir.file("seed.svg"));
    INFO(dot.out);
    CHECK(dot.exit_code == 0);
    CommandResult sfdp = RunCommand("sfdp -Tsvg " + file + " -o " + dir.file("seed-sfdp.svg"));
    INFO(sfdp.out);
    CHECK(sfdp.exit_code == 0);
  } else {
    Skip("graphviz (dot, sfdp) not installed");
  }
  if (HaveTool("xmllint")) {
    for (auto f : {kg::ExportFormat::kGraphMl, kg::ExportFormat::kGexf}) {
      std::string file = WriteFile(dir, f == kg::ExportFormat::kGexf ? "s.gexf" : "s.graphml",
                                   Export(*db, Opt(f)));
      CHECK(Validate(file, f) == 0);
    }
  } else {
    Skip("xmllint (libxml2-utils) not installed");
  }
}

TEST_CASE("export escapes quotes, newlines, markup, emoji and long labels",
          "[export]") {
  TempDir dir;
  auto db = kg::testing::StoreFromTrig(dir, kHostile);
  REQUIRE(db.ok());
  std::string long_label(10000, 'x');
  long_label.replace(5000, 8, "\"<&\n>\\é");
  {
    auto txn = (*db)->BeginTransaction();
    REQUIRE(txn.ok());
    // IRIs with characters N-Triples cannot write unescaped.
    kg::Term weird = kg::Term::Iri("https://kgstore.example/id/we\"ird<iri>&{x}");
    REQUIRE((*txn)->Insert({weird, kg::Term::Iri("http://www.w3.org/2000/01/rdf-schema#label"),
                            kg::Term::Literal(long_label), std::nullopt}).ok());
    REQUIRE((*txn)->Insert({kg::Term::Iri("https://kgstore.example/id/q"),
                            kg::Term::Iri("https://kgstore.example/vocab#metWith"),
                            weird, kg::Term::Iri("https://kgstore.example/g\"<raph>")}).ok());
    REQUIRE((*txn)->Commit().ok());
  }

  CyGraph g = ParseCy(Export(**db, Opt(kg::ExportFormat::kCytoscape)));
  std::set<std::string> labels;
  for (const auto& [id, d] : g.nodes) labels.insert(d["label"].get<std::string>());
  CHECK(labels.count("He said \"hi\" \\ back\\slash"));
  CHECK(labels.count("<b>AT&T</b> & 'co' ]]> -->"));
  CHECK(labels.count("🦄 unicorn 👩‍👩‍👧 café"));
  CHECK(labels.count(long_label));
  bool typed = false, graph_seen = false;
  for (const auto& [id, d] : g.nodes) {
    if (d.contains("kg:count")) {
      typed = true;
      CHECK(d["kg:count"] == 42);
      CHECK(d["kg:ratio"] == 0.5);
      CHECK(d["kg:ok"] == true);
    }
    if (d.contains("kg:note")) CHECK(d["kg:note"] == "line one\nline two\r\n\ttabbed");
  }
  for (const json& e : g.edges)
    if (e["graph"] == "https://kgstore.example/g\"<raph>") graph_seen = true;
  CHECK(typed);
  CHECK(graph_seen);

  // The JSON can sit inside <script>: no raw '<' at all.
  CHECK(Export(**db, Opt(kg::ExportFormat::kHtml)).find("</b>") == std::string::npos);

  std::string dot = Export(**db, Opt(kg::ExportFormat::kDot));
  CHECK(dot.find("He said \\\"hi\\\" \\\\ back\\\\slash") != std::string::npos);
  if (HaveTool("dot")) {
    std::string file = WriteFile(dir, "h.dot", dot);
    CommandResult r = RunCommand("dot -Tsvg " + file + " -o " + dir.file("h.svg"));
    INFO(r.out);
    CHECK(r.exit_code == 0);
    CHECK(RunCommand("sfdp -Tsvg " + file + " -o " + dir.file("h2.svg")).exit_code == 0);
    // The label came through Graphviz intact (as XML in the SVG).
    CHECK(ReadFileText(dir.file("h.svg")).find("&lt;b&gt;AT&amp;T&lt;/b&gt;") != std::string::npos);
  } else {
    Skip("graphviz not installed");
  }
  if (HaveTool("xmllint")) {
    std::string gml = Export(**db, Opt(kg::ExportFormat::kGraphMl));
    CHECK(Validate(WriteFile(dir, "h.graphml", gml), kg::ExportFormat::kGraphMl) == 0);
    CHECK(gml.find("&lt;b&gt;AT&amp;T&lt;/b&gt;") != std::string::npos);
    CHECK(gml.find("attr.type=\"long\"") != std::string::npos);
    CHECK(gml.find("attr.type=\"double\"") != std::string::npos);
    CHECK(gml.find("attr.type=\"boolean\"") != std::string::npos);
    std::string gexf = Export(**db, Opt(kg::ExportFormat::kGexf));
    CHECK(Validate(WriteFile(dir, "h.gexf", gexf), kg::ExportFormat::kGexf) == 0);
    // Parsed back by libxml2, the long label is intact.
    CommandResult back = RunCommand("xmllint --xpath 'string(//*[local-name()=\"data\"][contains(., \"xxxx\")])' " +
                  dir.file("h.graphml"));
    CHECK(back.out == long_label + "\n");  // xmllint adds a newline
  } else {
    Skip("xmllint not installed");
  }
}

TEST_CASE("export selections: neighbourhood, CONSTRUCT, named graph, parallel edges",
          "[export]") {
  TempDir dir;
  auto db = SeedStore(dir);
  const kg::Term lupu = kg::Term::Iri("https://kgstore.example/id/madalina-lupu");

  // Expected 1-hop neighbourhood from the cursor API.
  std::set<std::string> expect_nodes = {lupu.lexical};
  for (int dir_ = 0; dir_ < 2; ++dir_) {
    kg::QuadPattern p;
    (dir_ == 0 ? p.subject : p.object) = lupu;
    for (auto c = db->Match(p); c->Valid(); c->Next()) {
      const kg::Quad& q = c->quad();
      if (q.predicate.lexical == kType) continue;
      const kg::Term& other = dir_ == 0 ? q.object : q.subject;
      if (!other.is_literal()) expect_nodes.insert(other.lexical);
    }
  }
  uint64_t expect_edges = 0;
  for (auto c = db->Match({}); c->Valid(); c->Next()) {
    const kg::Quad& q = c->quad();
    if (q.predicate.lexical != kType && !q.object.is_literal() &&
        expect_nodes.count(q.subject.lexical) && expect_nodes.count(q.object.lexical))
      ++expect_edges;
  }
  kg::ExportOptions around = Opt(kg::ExportFormat::kCytoscape);
  around.around = lupu;
  around.hops = 1;
  CyGraph one = ParseCy(Export(*db, around));
  std::set<std::string> got;
  for (const auto& [id, d] : one.nodes) got.insert(d["iri"].get<std::string>());
  CHECK(got == expect_nodes);
  CHECK(one.edges.size() == expect_edges);
  around.hops = 2;
  CyGraph two = ParseCy(Export(*db, around));
  CHECK(two.nodes.size() > one.nodes.size());
  around.hops = 0;
  CHECK(ParseCy(Export(*db, around)).nodes.size() == 1);

  // --graph: only the article's quads; every edge carries it.
  kg::ExportOptions in_graph = Opt(kg::ExportFormat::kCytoscape);
  in_graph.graph = kg::Term::Iri(kArticle);
  CyGraph art = ParseCy(Export(*db, in_graph));
  uint64_t art_edges = 0;
  kg::QuadPattern ap;
  ap.graph = kg::GraphSelector::Named(kg::Term::Iri(kArticle));
  for (auto c = db->Match(ap); c->Valid(); c->Next())
    if (!c->quad().object.is_literal() && c->quad().predicate.lexical != kType) ++art_edges;
  CHECK(art.edges.size() == art_edges);
  for (const json& e : art.edges) CHECK(e["graph"] == kArticle);
  in_graph.graph = kg::Term::Iri("https://kgstore.example/no-such-graph");
  std::ostringstream sink;
  CHECK(absl::IsNotFound(kg::ExportGraph(*db, in_graph, sink)));

  // CONSTRUCT: one edge per stating graph, prefixes from the query.
  kg::ExportOptions q = Opt(kg::ExportFormat::kCytoscape);
  q.query = "PREFIX kg: <https://kgstore.example/vocab#> "
            "CONSTRUCT { ?a kg:metWith ?b } WHERE { ?a kg:metWith ?b }";
  CyGraph met = ParseCy(Export(*db, q));
  kg::QuadPattern mp;
  mp.predicate = kg::Term::Iri("https://kgstore.example/vocab#metWith");
  uint64_t met_quads = 0;
  for (auto c = db->Match(mp); c->Valid(); c->Next()) ++met_quads;
  CHECK(met.edges.size() == met_quads);
  for (const json& e : met.edges) CHECK(e["label"] == "kg:metWith");
  q.query = "SELECT * WHERE { ?s ?p ?o }";
  CHECK(absl::IsInvalidArgument(kg::ExportGraph(*db, q, sink)));

  // Parallel edges: one triple in two graphs is two edges.
  TempDir dir2;
  auto par = kg::testing::StoreFromTrig(dir2, R"(
    <https://x.example/a> <https://x.example/p> <https://x.example/b> .
    <https://x.example/g1> { <https://x.example/a> <https://x.example/p> <https://x.example/b> . }
    <https://x.example/g2> { <https://x.example/a> <https://x.example/p> <https://x.example/b> .
                             <https://x.example/a> <https://x.example/q> <https://x.example/b> . }
  )");
  REQUIRE(par.ok());
  CyGraph pg = ParseCy(Export(**par, Opt(kg::ExportFormat::kCytoscape)));
  CHECK(pg.nodes.size() == 2);
  CHECK(pg.edges.size() == 4);
  std::multiset<std::string> graphs;
  for (const json& e : pg.edges) graphs.insert(e["graph"].get<std::string>());
  CHECK(graphs.count("") == 1);
  CHECK(graphs.count("https://x.example/g2") == 2);
}

TEST_CASE("export names: the store's prefixes, then the caller's, then the "
          "query's", "[export]") {
  TempDir dir;
  auto db = kg::testing::StoreFromTrig(dir, R"(
    @prefix vann: <http://purl.org/vocab/vann/> .
    <http://x.example/ont> vann:preferredNamespacePrefix "xo" ;
        vann:preferredNamespaceUri "http://x.example/ont#" .
    <https://kgstore.example/id/a> <http://x.example/ont#knows> <https://kgstore.example/id/b> ;
        <http://y.example/p> <http://y.example/c> .
  )");
  REQUIRE(db.ok());
  auto labels = [&](const kg::ExportOptions& o) {
    std::set<std::string> out;
    CyGraph g = ParseCy(Export(**db, o));
    for (const auto& [id, d] : g.nodes) out.insert(d["label"].get<std::string>());
    for (const json& e : g.edges) out.insert(e["label"].get<std::string>());
    return out;
  };
  // The data's own declaration; no example-vocabulary predicate, so no ex:.
  kg::ExportOptions o = Opt(kg::ExportFormat::kCytoscape);
  std::set<std::string> got = labels(o);
  CHECK(got.count("xo:knows"));
  CHECK(got.count("https://kgstore.example/id/a"));
  CHECK(got.count("http://y.example/p"));
  // The caller's prefixes, also renaming a namespace the store names.
  o.prefixes = {{"y", "http://y.example/"}, {"ont", "http://x.example/ont#"},
                {"ex", "https://kgstore.example/id/"}};
  got = labels(o);
  CHECK(got.count("ont:knows"));
  CHECK(got.count("ex:a"));
  CHECK(got.count("y:p"));
  // The query's PREFIXes come last.
  o.query = "PREFIX k: <http://x.example/ont#> CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }";
  got = labels(o);
  CHECK(got.count("k:knows"));
  CHECK(got.count("y:c"));
}

TEST_CASE("the HTML viewer's script parses", "[export]") {
  if (!HaveTool("node")) {
    Skip("node not installed");
    return;
  }
  CommandResult r = RunCommand("node --check " + std::string(KG_SOURCE_ROOT) +
             "/engine/export/assets/viewer.js");
  INFO(r.out);
  CHECK(r.exit_code == 0);
}

TEST_CASE("kg export end to end, and the HTML page in headless Chromium",
          "[export][tool]") {
  TempDir dir;
  std::string db = dir.file("seed");
  REQUIRE(RunCommand(kKg + " load -q " + db + " " + kSeed).exit_code == 0);
  for (std::string f : {"dot", "graphml", "gexf", "cytoscape", "html"}) {
    CommandResult r = RunCommand(kKg + " export " + db + " --format " + f + " -o " + dir.file("seed." + f));
    INFO(r.out);
    CHECK(r.exit_code == 0);
    CHECK(r.out.find(" nodes, ") != std::string::npos);
  }
  CommandResult around = RunCommand(kKg + " export " + db + " --format cytoscape --around ex:madalina-lupu "
                  "--hops 1 -o " + dir.file("a.json"));
  CHECK(around.exit_code == 0);
  CommandResult q = RunCommand(kKg + " export " + db + " --format dot -o - --query "
             "'PREFIX kg: <https://kgstore.example/vocab#> CONSTRUCT { ?a kg:metWith ?b } "
             "WHERE { ?a kg:metWith ?b }'");
  CHECK(q.exit_code == 0);
  CHECK(q.out.find("digraph") != std::string::npos);
  CommandResult g = RunCommand(kKg + " export " + db + " --format graphml --graph '<" + kArticle + ">' -o " +
             dir.file("g.graphml"));
  CHECK(g.exit_code == 0);

  // Errors: one line, exit 1; usage: exit 2.
  CommandResult missing = RunCommand(kKg + " export " + dir.file("nope") + " --format dot -o " + dir.file("x.dot"));
  CHECK(missing.exit_code == 1);
  CHECK(missing.out.rfind("kg export: ", 0) == 0);
  CHECK(!std::filesystem::exists(dir.file("x.dot")));
  CommandResult bad_graph = RunCommand(kKg + " export " + db + " --format dot --graph ex:none -o " + dir.file("y.dot"));
  CHECK(bad_graph.exit_code == 1);
  CHECK(!std::filesystem::exists(dir.file("y.dot")));
  CHECK(RunCommand(kKg + " export " + db + " --format png -o " + dir.file("z")).exit_code == 2);
  CHECK(RunCommand(kKg + " export " + db + " --format dot").exit_code == 2);
  CHECK(RunCommand(kKg + " export " + db + " --format dot -o x --query 'CONSTRUCT {} WHERE {}' "
           "--around ex:a").exit_code == 2);

  // The HTML page, drawn by a real browser, shows every node and edge.
  CyGraph cy = ParseCy(ReadFileText(dir.file("seed.cytoscape")));
  const std::string chromium = "/usr/bin/chromium";
  if (!std::filesystem::exists(chromium)) {
    Skip("chromium not installed (apt-get install chromium)");
    return;
  }
  std::string flags = " --headless --no-sandbox --disable-gpu --disable-quic --no-first-run "
                      "--disable-background-networking --disable-component-update "
                      "--disable-sync --user-data-dir=" + dir.file("profile") +
                      " --virtual-time-budget=10000 ";
  CommandResult dom = RunCommand(chromium + flags + "--dump-dom " + dir.file("seed.html") + " 2>/dev/null");
  std::string expect = "data-nodes=\"" + std::to_string(cy.nodes.size()) +
                       "\" data-edges=\"" + std::to_string(cy.edges.size()) + "\"";
  INFO(dom.out.substr(0, 2000));
  CHECK(dom.out.find("data-ready=\"1\"") != std::string::npos);
  CHECK(dom.out.find(expect) != std::string::npos);
  CommandResult shot = RunCommand(chromium + flags + "--screenshot=" + dir.file("seed.png") +
                " --window-size=1400,900 " + dir.file("seed.html"));
  CHECK(std::filesystem::exists(dir.file("seed.png")));
  CHECK(std::filesystem::file_size(dir.file("seed.png")) > 10000);
}
