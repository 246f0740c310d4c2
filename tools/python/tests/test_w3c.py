"""rdflib over the kgstore store gives the answers rdflib's own in-memory
store gives, on the seed example and on the W3C suites' data.

Where rdflib 6.1.1's own SPARQL evaluator is wrong (it is, on a few W3C
tests), kgstore's answer must instead be the W3C's expected result."""

import collections
import decimal
import glob
import os

import pytest
import rdflib
from rdflib import (BNode, ConjunctiveGraph, Dataset, Graph, Literal,
                    Namespace, URIRef)
from rdflib.compare import isomorphic
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
from rdflib.util import guess_format

import kgstore
from kgstore.rdflib_store import KgstoreStore

from conftest import QUERIES, SEED, W3C

MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
QT = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-query#")
RDFT = Namespace("http://www.w3.org/ns/rdftest#")
XSD_STRING = URIRef("http://www.w3.org/2001/XMLSchema#string")
RDF_TYPE = rdflib.RDF.type


def path_of(iri):
    return str(iri)[len("file://"):] if str(iri).startswith("file://") else None


def manifest(folder):
    return Graph().parse(os.path.join(folder, "manifest.ttl"),
                         format="turtle")


def normalized(term):
    """"x"^^xsd:string as "x" and language tags in lower case: kgstore, as
    RDF 1.1, does not tell them apart (rdflib's Literal equality ignores
    the tag's case too, but its graph isomorphism does not)."""
    if isinstance(term, Literal):
        if term.datatype == XSD_STRING:
            return Literal(str(term))
        if term.language and term.language != term.language.lower():
            return Literal(str(term), lang=term.language.lower())
    return term


def plain_strings(graph):
    """A copy of `graph` with its literals normalized()."""
    out = Graph()
    for s, p, o in graph:
        out.add((s, p, normalized(o)))
    return out


def clear(graph):
    graph.remove((None, None, None))
    graph.commit()


@pytest.fixture(scope="module")
def kg_graph(module_scratch):
    graph = Graph(store=KgstoreStore(durable=False,
                                     fallback_on_unsupported=False))
    graph.open(os.path.join(module_scratch, "graph"), create=True)
    yield graph
    graph.close()


# ---- RDF 1.1 Turtle and TriG ------------------------------------------------

def suite_files(folder, kinds):
    found = []
    tests = manifest(folder)
    for kind in kinds:
        for test in tests.subjects(RDF_TYPE, kind):
            action = path_of(tests.value(test, MF.action))
            if action and os.path.exists(action):
                found.append(action)
    return sorted(set(found))


def test_turtle_suite(kg_graph):
    files = suite_files(os.path.join(W3C, "rdf", "rdf11", "rdf-turtle"),
                        [RDFT.TestTurtleEval, RDFT.TestTurtlePositiveSyntax])
    assert len(files) > 200
    compared, unparsed, mismatched = 0, [], []
    for path in files:
        try:
            memory = Graph().parse(path, format="turtle")
        except Exception:  # rdflib 6.1.1 cannot read it: nothing to compare
            unparsed.append(os.path.basename(path))
            continue
        clear(kg_graph)
        kg_graph.parse(path, format="turtle")
        # read back before the commit (pending writes) and after it
        pending = plain_strings(kg_graph)
        kg_graph.commit()
        committed = plain_strings(kg_graph)
        expected = plain_strings(memory)
        if not (isomorphic(expected, pending) and
                isomorphic(expected, committed) and
                len(kg_graph) == len(memory)):
            mismatched.append(os.path.basename(path))
        compared += 1
    assert mismatched == []
    assert compared >= 200, (compared, unparsed)
    print("turtle: %d files compared, %d rdflib cannot read"
          % (compared, len(unparsed)))


def test_trig_suite(module_scratch):
    files = suite_files(os.path.join(W3C, "rdf", "rdf11", "rdf-trig"),
                        [RDFT.TestTrigEval, RDFT.TestTrigPositiveSyntax])
    assert len(files) > 150
    kg = Dataset(store=KgstoreStore(durable=False))
    kg.open(os.path.join(module_scratch, "trig"), create=True)
    compared, unparsed, mismatched = 0, [], []
    for path in files:
        try:
            memory = Dataset()
            memory.parse(path, format="trig")
        except Exception:
            unparsed.append(os.path.basename(path))
            continue
        if any(isinstance(c.identifier, BNode) and
               c.identifier != memory.default_context.identifier and len(c)
               for c in memory.contexts()):
            # a blank node names a graph: kgstore reads it as the default
            # graph (see the store's documentation); not comparable
            unparsed.append(os.path.basename(path))
            continue
        kg.remove((None, None, None))
        kg.commit()
        kg.parse(path, format="trig")
        want = {c.identifier: plain_strings(c) for c in memory.contexts()
                if len(c)}
        got = {c.identifier: plain_strings(c) for c in kg.contexts()
               if len(c)}
        if want.keys() != got.keys() or not all(
                isomorphic(want[k], got[k]) for k in want):
            mismatched.append(os.path.basename(path))
        compared += 1
    kg.close()
    assert mismatched == []
    assert compared >= 100, (compared, unparsed)
    print("trig: %d files compared, %d skipped" % (compared, len(unparsed)))


# ---- SPARQL 1.1 query evaluation ------------------------------------------------

SPARQL_FOLDERS = ["aggregates", "bind", "bindings", "cast", "construct",
                  "exists", "functions", "grouping", "negation",
                  "project-expression", "property-path", "subquery"]


def _cell(term):
    """A comparable form of a result cell: numbers by value (1.0 == 1.00),
    blank nodes all alike."""
    if isinstance(term, BNode):
        return ("_:",)
    if isinstance(term, Literal):
        term = normalized(term)
        value = term.toPython() if term.datatype is not None else None
        if isinstance(value, (int, float, decimal.Decimal)) and \
                not isinstance(value, bool):
            return ("number", float(value))
        if value is not None and value is not term and \
                not isinstance(value, str):
            try:  # dates, durations, booleans: by value ("PT0S" == "P0D")
                return ("value", term.datatype, value, hash(value))
            except TypeError:
                pass
        return ("literal", str(term), term.datatype,
                term.language.lower() if term.language else None)
    return term


def answers(result):
    if result.type == "ASK":
        return result.askAnswer
    if result.type in ("CONSTRUCT", "DESCRIBE"):
        return plain_strings(result.graph)
    return collections.Counter(
        frozenset((str(v), _cell(row[v])) for v in result.vars
                  if row[v] is not None) for row in result)


def same(a, b):
    if isinstance(a, Graph) or isinstance(b, Graph):
        return isinstance(a, Graph) and isinstance(b, Graph) and \
            isomorphic(a, b)
    return a == b


def expected_answers(path):
    if path.endswith((".srx", ".srj")):
        with open(path, "rb") as f:
            return answers(rdflib.query.Result.parse(
                f, format="json" if path.endswith(".srj") else "xml"))
    return plain_strings(Graph().parse(path, format=guess_format(path)))


def sparql_tests():
    tests = []
    for folder in SPARQL_FOLDERS:
        directory = os.path.join(W3C, "sparql", "sparql11", folder)
        found = manifest(directory)
        for test in found.subjects(RDF_TYPE, MF.QueryEvaluationTest):
            action = found.value(test, MF.action)
            query = path_of(found.value(action, QT.query))
            data = [path_of(d) for d in found.objects(action, QT.data)]
            if list(found.objects(action, QT.graphData)) or len(data) != 1:
                continue  # one default graph only
            result = path_of(found.value(test, MF.result))
            if all(p and os.path.exists(p) for p in [query, data[0], result]):
                tests.append((folder, query, data[0], result))
    return sorted(tests)


def test_sparql_suite(kg_graph):
    tests = sparql_tests()
    assert len(tests) > 150
    compared, rdflib_cannot, rdflib_wrong, failures = 0, [], [], []
    for folder, query, data, result in tests:
        name = "%s/%s" % (folder, os.path.basename(query))
        with open(query, encoding="utf-8") as f:
            text = f.read()
        base = "file://" + query
        memory = Graph().parse(data, format=guess_format(data) or "turtle")
        try:
            want = answers(memory.query(text, base=base))
        except Exception:
            rdflib_cannot.append(name)
            continue
        clear(kg_graph)
        kg_graph.parse(data, format=guess_format(data) or "turtle")
        try:
            got = answers(kg_graph.query(text, base=base))
        except Exception as error:
            failures.append("%s: kgstore raised %r" % (name, error))
            continue
        compared += 1
        if same(got, want):
            continue
        if same(got, expected_answers(result)):
            rdflib_wrong.append(name)  # kgstore is right, rdflib 6.1.1 not
        else:
            failures.append("%s: differs from rdflib and from the W3C "
                            "result" % name)
    assert failures == []
    assert compared >= 150
    print("sparql: %d queries compared, %d rdflib cannot run, rdflib wrong "
          "on %s" % (compared, len(rdflib_cannot), rdflib_wrong))
    # rdflib 6.1.1 gets a few wrong (casts, STRDT, COALESCE(), ...): they
    # must stay few, or the comparison says little.
    assert len(rdflib_wrong) <= 20, rdflib_wrong


# ---- the seed example -------------------------------------------------------------

SEED_QUERIES = {
    "graph sizes": "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
                   " GROUP BY ?g",
    "labels": "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> "
              "SELECT ?s ?l WHERE { ?s rdfs:label ?l FILTER(LANG(?l) != '') }",
    "classes": "SELECT ?type (COUNT(?s) AS ?n) WHERE { ?s a ?type } "
               "GROUP BY ?type ORDER BY DESC(?n) ?type",
    "ask": "ASK { ?s <https://kgstore.example/vocab#metWith> ?o }",
    "numbers": "PREFIX kg: <https://kgstore.example/vocab#> SELECT ?t ?v "
               "WHERE { ?t kg:turnoverUSD ?v FILTER(?v > 100000000) }",
    "construct": "PREFIX kg: <https://kgstore.example/vocab#> CONSTRUCT { "
                 "?b kg:metBy ?a } WHERE { ?a kg:metWith ?b }",
}


def seed_queries():
    queries = dict(SEED_QUERIES)
    for path in sorted(glob.glob(os.path.join(QUERIES, "*.rq"))):
        with open(path, encoding="utf-8") as f:
            queries[os.path.basename(path)] = f.read()
    return queries


@pytest.mark.parametrize("cls", [ConjunctiveGraph, Dataset])
def test_seed_parsed_by_rdflib(scratch, cls):
    memory = cls()
    memory.parse(SEED, format="trig")
    kg = cls(store=KgstoreStore(durable=False, fallback_on_unsupported=False))
    kg.open(os.path.join(scratch, "s"), create=True)
    kg.parse(SEED, format="trig")
    assert len(kg) == len(memory) > 600
    assert set(kg.quads((None, None, None, None))) == set(
        memory.quads((None, None, None, None)))
    assert {c.identifier for c in kg.contexts()} == {
        c.identifier for c in memory.contexts()}
    compared = 0
    for name, text in seed_queries().items():
        try:
            want = answers(memory.query(text))
        except Exception:  # rdflib 6.1.1 cannot evaluate query 3's path
            continue
        got = answers(kg.query(text))  # kgstore's engine (no fallback)
        assert same(got, want), name
        compared += 1
    assert compared >= 8
    kg.close()


def test_seed_loaded_by_kgstore(scratch):
    """The seed loaded with kgstore's own loader reads, through rdflib, as
    rdflib's parse of it (TriG's default graph is kgstore's default graph,
    which rdflib's parser puts in a graph named by the file)."""
    path = os.path.join(scratch, "s")
    with kgstore.open(path, durable=False) as db:
        db.load(SEED)
    memory = ConjunctiveGraph()
    memory.parse(SEED, format="trig")
    file_graph = URIRef("file://" + SEED)

    kg = ConjunctiveGraph(store=KgstoreStore(durable=False))
    kg.open(path)
    assert set(kg.triples((None, None, None))) == set(
        memory.triples((None, None, None)))
    assert len(kg) == len(memory)
    named = {c.identifier for c in kg.contexts()} - {DATASET_DEFAULT_GRAPH_ID}
    assert named == {c.identifier for c in memory.contexts()} - {file_graph}
    # The union has a default graph and named graphs: these queries go to
    # rdflib's evaluator over the store, with the same answers.
    for name in ["labels", "classes", "1-who-met-whom.rq"]:
        text = seed_queries()[name]
        assert same(answers(kg.query(text)), answers(memory.query(text))), \
            name
    kg.close()

    ds = Dataset(store=KgstoreStore(durable=False))
    ds.open(path)
    assert set(ds.graph(DATASET_DEFAULT_GRAPH_ID)) == set(
        memory.get_context(file_graph))
    for graph in named:
        assert set(ds.graph(graph)) == set(memory.get_context(graph))
    ds.close()
