"""The Python binding over the C API: kgstore.open, Database, Result,
Transaction, errors."""

import decimal
import io
import os
import re
import threading
import time

import pytest

import kgstore
from rdflib import BNode, Literal, Namespace, URIRef

XSD = Namespace("http://www.w3.org/2001/XMLSchema#")

from conftest import SEED

EX = "http://example.org/"

DATA = b"""
@prefix ex: <http://example.org/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
ex:alice ex:name "Alice" ; ex:age 42 ; ex:height 1.75 ; ex:ratio 2.5e0 ;
         ex:member true ; ex:born "1980-01-02"^^xsd:date ;
         ex:motto "Carpe diem"@la ; ex:knows ex:bob, _:someone .
ex:bob ex:name "Bob" .
_:someone ex:name "Someone" .
"""


def u(local):
    return URIRef(EX + local)


@pytest.fixture
def loaded(db):
    db.load(DATA, format="turtle")
    return db


# ---- version, open, close ----------------------------------------------------

def test_version():
    assert re.match(r"^\d+\.\d+\.\d+$", kgstore.version())
    assert kgstore.version().startswith(kgstore.__version__ + ".")
    assert kgstore._capi.LIBRARY_PATH


def test_open_close_context_manager(scratch):
    path = os.path.join(scratch, "s")
    with kgstore.open(path, durable=False) as db:
        assert not db.closed
        assert len(db) == 0
        with db.transaction() as txn:
            txn.add((u("a"), u("p"), Literal("x")))
        assert len(db) == 1
    assert db.closed
    with pytest.raises(kgstore.MisuseError, match="closed"):
        db.query("ASK {}")
    db.close()  # twice is fine
    with kgstore.open(path) as again:  # the data stayed
        assert again.count() == 1


def test_open_missing_without_create(scratch):
    path = os.path.join(scratch, "absent")
    with pytest.raises(kgstore.NotFoundError) as caught:
        kgstore.open(path, create=False)
    assert caught.value.code == kgstore.KG_NOTFOUND
    assert caught.value.codename == "KG_NOTFOUND"
    assert caught.value.message
    assert not os.path.exists(os.path.join(path, "CURRENT"))


def test_second_writer_process_is_locked(scratch, db):
    # The store is open for writing by `db` (this process): another open
    # for writing fails at once instead of waiting.
    with pytest.raises(kgstore.LockedError) as caught:
        kgstore.open(db.path)
    assert caught.value.message


def test_read_only(scratch):
    path = os.path.join(scratch, "ro")
    with kgstore.open(path, durable=False) as db:
        db.load(DATA, format="turtle")
    with kgstore.open(path, read_only=True) as ro:
        assert ro.read_only
        assert ro.ask("ASK { <http://example.org/bob> ?p ?o }")
        with pytest.raises(kgstore.LockedError):
            with ro.transaction() as txn:
                txn.add((u("x"), u("p"), u("y")))
        with pytest.raises(kgstore.LockedError):
            ro.update("INSERT DATA { <http://x> <http://p> 1 }")
        with pytest.raises(kgstore.LockedError):
            ro.load(b"<http://x> <http://p> 1 .\n", format="nt")
        assert len(ro) == 11


# ---- queries ---------------------------------------------------------------

def test_select_rows_and_types(loaded):
    result = loaded.query(
        "PREFIX ex: <http://example.org/> "
        "SELECT ?p ?o WHERE { ex:alice ?p ?o } ORDER BY ?p")
    assert result.type == "bindings"
    assert result.variables == ("p", "o")
    rows = {row["p"]: row["o"] for row in result}
    assert rows[u("name")] == Literal("Alice")
    assert rows[u("age")] == Literal("42", datatype=XSD.integer)
    assert rows[u("height")] == Literal("1.75", datatype=XSD.decimal)
    assert rows[u("ratio")].datatype == XSD.double
    assert rows[u("member")] == Literal("true", datatype=XSD.boolean)
    assert rows[u("born")] == Literal("1980-01-02", datatype=XSD.date)
    motto = rows[u("motto")]
    assert (str(motto), motto.language) == ("Carpe diem", "la")
    assert isinstance(rows[u("name")], Literal)
    assert rows[u("name")].datatype is None  # xsd:string: a plain literal


def test_row_access(loaded):
    rows = loaded.query(
        "PREFIX ex: <http://example.org/> SELECT ?name ?x "
        "WHERE { ex:bob ex:name ?name OPTIONAL { ex:bob ex:nothing ?x } }"
    ).fetchall()
    assert len(rows) == 1
    row = rows[0]
    assert row == (Literal("Bob"), None)  # a tuple; unbound is None
    assert row[0] is row["name"] is row["?name"] is row.name
    assert row["x"] is None and row.get("x", 7) == 7
    assert row.keys() == ["name", "x"]
    assert row.asdict() == {"name": Literal("Bob")}
    with pytest.raises(KeyError):
        row["nope"]
    assert "name=" in repr(row)


def test_blank_nodes_come_back_as_bnodes(loaded):
    rows = loaded.query(
        "PREFIX ex: <http://example.org/> "
        "SELECT ?who ?n WHERE { ex:alice ex:knows ?who . ?who ex:name ?n }"
    ).fetchall()
    kinds = {str(row.n): type(row.who) for row in rows}
    assert kinds == {"Bob": URIRef, "Someone": BNode}
    # A label the store handed out names that node when given back.
    someone = next(row.who for row in rows if str(row.n) == "Someone")
    names = [q[2] for q in loaded.match(someone, u("name"))]
    assert names == [Literal("Someone")]


def test_python_values(scratch):
    with kgstore.open(os.path.join(scratch, "p"), durable=False,
                      terms="python") as db:
        db.load(DATA, format="turtle")
        values = {row[0]: row[1] for row in db.query(
            "SELECT ?p ?o { <http://example.org/alice> ?p ?o }")}
        assert values[EX + "name"] == "Alice"
        assert values[EX + "age"] == 42 and type(values[EX + "age"]) is int
        assert values[EX + "height"] == decimal.Decimal("1.75")
        assert values[EX + "ratio"] == 2.5
        assert values[EX + "member"] is True
        assert values[EX + "born"] == "1980-01-02"
        assert values[EX + "motto"] == "Carpe diem"
        knows = [row[0] for row in db.query(
            "SELECT ?o { <http://example.org/alice> "
            "<http://example.org/knows> ?o }")]
        assert {type(k) for k in knows} == {kgstore.IRI, kgstore.BlankNode}
        assert all(isinstance(k, str) for k in knows)
        # IRI and BlankNode values go back in as terms.
        bnode = next(k for k in knows if isinstance(k, kgstore.BlankNode))
        assert [q[2] for q in db.match(bnode, kgstore.IRI(EX + "name"))] == [
            "Someone"]
        # ntriples mode, per call
        cells = db.query("SELECT ?o { <http://example.org/alice> "
                         "<http://example.org/age> ?o }",
                         terms="ntriples").fetchall()
        assert cells == [(
            '"42"^^<http://www.w3.org/2001/XMLSchema#integer>',)]


def test_ask(loaded):
    assert loaded.query("ASK { ?s <http://example.org/name> \"Bob\" }") is True
    assert loaded.query("ASK { ?s <http://example.org/name> \"Eve\" }") is False
    assert loaded.ask("SELECT * { ?s ?p ?o }")
    assert not loaded.ask("SELECT * { ?s <http://example.org/none> ?o }")


def test_construct_and_describe(loaded):
    result = loaded.query(
        "PREFIX ex: <http://example.org/> "
        "CONSTRUCT { ?s ex:called ?n } WHERE { ?s ex:name ?n }")
    assert result.type == "graph"
    assert result.variables == ("subject", "predicate", "object")
    triples = set(result)
    assert (u("bob"), u("called"), Literal("Bob")) in triples
    assert len(triples) == 3
    described = set(loaded.query("DESCRIBE <http://example.org/bob>"))
    assert (u("bob"), u("name"), Literal("Bob")) in described


def test_result_fetch_and_close(loaded):
    result = loaded.query("SELECT ?s ?p ?o { ?s ?p ?o }")
    first = result.fetchone()
    assert len(first) == 3
    assert len(result.fetchmany(4)) == 4
    assert len(result.fetchall()) == 11 - 5
    assert result.fetchone() is None
    with loaded.query("SELECT * { ?s ?p ?o }") as early:
        next(early)
    assert list(early) == []  # closed: no more rows


def test_results_are_released_with_the_database(scratch):
    db = kgstore.open(os.path.join(scratch, "s"), durable=False)
    db.load(DATA, format="turtle")
    result = db.query("SELECT * { ?s ?p ?o }")
    next(result)
    db.close()  # frees the open result first, as the C API requires
    with pytest.raises(kgstore.MisuseError, match="database was closed"):
        next(result)


def test_match_graph_selection(db):
    with db.transaction() as txn:
        txn.add((u("a"), u("p"), u("b")))                      # default graph
        txn.add((u("a"), u("p"), u("c")), graph=u("g1"))
        txn.add((u("a"), u("p"), u("b"), u("g2")))             # a quad
    assert len(list(db.match())) == 3
    assert [q[3] for q in db.match(graph=kgstore.DEFAULT_GRAPH)] == [None]
    assert [q[2] for q in db.match(graph=u("g1"))] == [u("c")]
    assert {q[3] for q in db.match(u("a"), u("p"), u("b"))} == {None, u("g2")}
    assert list(db.match(o=u("zzz"))) == []
    # N-Triples strings work as terms too
    assert len(list(db.match("<http://example.org/a>", None, None,
                             "<http://example.org/g1>"))) == 1


# ---- updates, loads ---------------------------------------------------------

def test_update(db):
    stats = db.update("INSERT DATA { <http://x/a> <http://x/p> 1, 2, 3 }")
    assert tuple(stats) == (3, 0)
    inserted, removed = db.update(
        "DELETE { ?s ?p 1 } INSERT { ?s ?p 10 } WHERE { ?s ?p 1 }")
    assert (inserted, removed) == (1, 1)
    assert stats.seconds >= 0
    assert sorted(int(r[0]) for r in db.query(
        "SELECT ?o { ?s ?p ?o }")) == [2, 3, 10]
    with pytest.raises(kgstore.ParseError):
        db.update("INSERT DATA { <http://x/a> <http://x/p> }")
    assert len(db) == 3  # a failed update changes nothing


def test_load_file_and_stats(scratch, db):
    path = os.path.join(scratch, "data.ttl")
    with open(path, "wb") as f:
        f.write(DATA)
    stats = db.load(path)  # format from the extension
    assert isinstance(stats, kgstore.LoadStats)
    assert stats.statements == 11 and stats.quads_added == 11
    assert stats.duplicates == 0 and stats.bytes_read == len(DATA)
    again = db.load(path, format="turtle")
    # _:someone of a second document is another node: its 2 quads are new
    assert again.quads_added == 2 and again.duplicates == 9
    assert len(db) == 13


def test_load_bytes_file_object_graph_and_base(db):
    with pytest.raises(kgstore.InvalidError, match="format"):
        db.load(b"<http://a> <http://b> <http://c> .\n")
    stats = db.load(io.BytesIO(b"<a> <b> <c> .\n"), format="turtle",
                    graph=u("g"), base_iri="http://base.example/")
    assert stats.quads_added == 1
    assert list(db.match(graph=u("g"))) == [(
        URIRef("http://base.example/a"), URIRef("http://base.example/b"),
        URIRef("http://base.example/c"), u("g"))]
    db.load(bytearray(b"<http://a> <http://b> \"c\" <http://g2> .\n"),
            format="nq")
    assert len(db) == 2


def test_load_syntax_error_is_all_or_nothing(db):
    bad = b"<http://a> <http://b> <http://c> .\n<http://a> <http://b> .\n"
    with pytest.raises(kgstore.ParseError) as caught:
        db.load(bad, format="ntriples")
    error = caught.value
    assert (error.line, error.column) == (2, 23)
    assert error.code == kgstore.KG_INVALID
    assert len(db) == 0  # the good first line was not stored either
    stats = db.load(bad, format="ntriples", skip_bad=True)
    assert (stats.quads_added, stats.bad_statements) == (1, 1)


def test_load_missing_file(db, scratch):
    with pytest.raises(kgstore.NotFoundError):
        db.load(os.path.join(scratch, "nope.ttl"))


# ---- transactions ------------------------------------------------------------

def test_transaction_commit_and_rollback(db):
    with db.transaction() as txn:
        txn.add((u("a"), u("p"), Literal(1)))
        txn.add((u("a"), u("p"), Literal(2)))
        # the transaction sees its own writes; a snapshot does not
        assert len(list(txn.match(u("a")))) == 2
        assert list(db.match(u("a"))) == []
    assert txn.closed
    assert len(db) == 2

    with pytest.raises(RuntimeError):
        with db.transaction() as txn:
            txn.remove((u("a"), u("p"), Literal(1)))
            txn.add((u("b"), u("p"), Literal(3)))
            raise RuntimeError("boom")
    assert len(db) == 2 and list(db.match(u("b"))) == []

    txn = db.transaction()
    txn.remove((u("a"), u("p"), Literal(1)))
    txn.rollback()
    assert len(db) == 2
    with pytest.raises(kgstore.MisuseError, match="ended"):
        txn.add((u("c"), u("p"), u("d")))

    with db.transaction() as txn:
        assert txn.remove_matching(u("a")) == 2
    assert len(db) == 0


def test_transaction_match_results_end_with_it(db):
    txn = db.transaction()
    txn.add((u("a"), u("p"), u("b")))
    result = txn.match()
    txn.commit()
    with pytest.raises(kgstore.MisuseError, match="transaction"):
        next(result)


def test_second_writer_in_the_same_thread_is_refused(db):
    with db.transaction() as txn:
        txn.add((u("a"), u("p"), u("b")))
        with pytest.raises(kgstore.MisuseError, match="wait for it forever"):
            db.transaction()
        with pytest.raises(kgstore.MisuseError):
            db.update("INSERT DATA { <http://x> <http://y> 1 }")
        with pytest.raises(kgstore.MisuseError):
            db.load(b"<http://x> <http://y> 1 .\n", format="nt")
    db.update("INSERT DATA { <http://x> <http://y> 1 }")  # fine afterwards
    assert len(db) == 2


def test_writers_in_other_threads_wait(db):
    order = []
    txn = db.transaction()
    txn.add((u("a"), u("p"), u("b")))

    def other():
        db.update("INSERT DATA { <http://x> <http://y> 1 }")
        order.append("update")

    thread = threading.Thread(target=other)
    thread.start()
    time.sleep(0.2)
    order.append("commit")
    txn.commit()
    thread.join(10)
    assert order == ["commit", "update"]
    assert len(db) == 2


# ---- errors --------------------------------------------------------------------

def test_error_hierarchy():
    codes = {kgstore.InternalError: kgstore.KG_INTERNAL,
             kgstore.InvalidError: kgstore.KG_INVALID,
             kgstore.NotFoundError: kgstore.KG_NOTFOUND,
             kgstore.LockedError: kgstore.KG_LOCKED,
             kgstore.CorruptError: kgstore.KG_CORRUPT,
             kgstore.InputOutputError: kgstore.KG_IOERR,
             kgstore.LimitError: kgstore.KG_FULL,
             kgstore.TimeoutError: kgstore.KG_TIMEOUT,
             kgstore.CancelledError: kgstore.KG_CANCELLED,
             kgstore.MisuseError: kgstore.KG_MISUSE}
    for cls, code in codes.items():
        assert issubclass(cls, kgstore.Error)
        assert cls.code == code
        assert cls("m").codename == "KG_" + {
            kgstore.InputOutputError: "IOERR", kgstore.LimitError: "FULL"}.get(
                cls, cls.__name__[:-5].upper())
    assert issubclass(kgstore.ParseError, kgstore.InvalidError)
    assert issubclass(kgstore.InvalidError, ValueError)
    assert issubclass(kgstore.TimeoutError, TimeoutError)


def test_query_syntax_error_has_line_and_column(loaded):
    with pytest.raises(kgstore.ParseError) as caught:
        loaded.query("SELECT ?s\nWHERE { ?s ?p }")
    error = caught.value
    assert error.code == kgstore.KG_INVALID and error.codename == "KG_INVALID"
    assert (error.line, error.column) == (2, 15)
    assert str(error).startswith("line 2, column 15:")
    assert "^" in str(error)  # the caret line
    assert error.source is None


def test_bad_terms(db):
    with db.transaction() as txn:
        with pytest.raises(kgstore.InvalidError, match="object"):
            txn.add(("<http://a>", "<http://b>", "not a term"))
        with pytest.raises(kgstore.InvalidError, match="subject"):
            txn.add((Literal("x"), u("p"), u("o")))
        with pytest.raises(TypeError):
            txn.add((u("a"), u("p"), object()))
        with pytest.raises(TypeError):
            txn.add((u("a"), u("p")))
    with pytest.raises(kgstore.InvalidError):
        db.match("<not closed", None, None)


def test_query_text_checks(db):
    with pytest.raises(ValueError, match="NUL"):
        db.query("SELECT * { ?s ?p \"\0\" }")
    with pytest.raises(TypeError):
        db.query(42)


# ---- limits, interrupt, threads ----------------------------------------------

HEAVY = ("SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i "
         ". ?j ?k ?l }")


@pytest.fixture(scope="module")
def seeded(module_scratch):
    db = kgstore.open(os.path.join(module_scratch, "seed"), durable=False)
    db.load(SEED)
    yield db
    db.close()


def test_interrupt(seeded):
    outcome = {}

    def run():
        try:
            outcome["rows"] = seeded.query(HEAVY).fetchall()
        except kgstore.Error as error:
            outcome["error"] = error

    thread = threading.Thread(target=run)
    started = time.monotonic()
    thread.start()
    while thread.is_alive() and time.monotonic() - started < 20:
        time.sleep(0.05)
        seeded.interrupt()  # cancels what runs now (again until it stops)
    thread.join(20)
    assert not thread.is_alive()
    assert isinstance(outcome.get("error"), kgstore.CancelledError), outcome
    assert time.monotonic() - started < 20
    # later queries are not affected
    assert seeded.ask("ASK { ?s ?p ?o }")


def test_timeout(seeded):
    path = seeded.path
    with kgstore.open(path, read_only=True, timeout_ms=100) as db:
        started = time.monotonic()
        with pytest.raises(kgstore.TimeoutError) as caught:
            db.query(HEAVY).fetchall()
        assert caught.value.code == kgstore.KG_TIMEOUT
        assert time.monotonic() - started < 10


def test_memory_limit(seeded):
    with kgstore.open(seeded.path, read_only=True,
                      memory_limit=1 << 20) as db:
        with pytest.raises(kgstore.LimitError):
            db.query("SELECT ?a ?c ?d ?f WHERE { ?a ?b ?c . ?d ?e ?f } "
                     "ORDER BY ?a ?c ?d ?f").fetchall()


def test_threads_share_a_database(seeded):
    expected = seeded.query(
        "SELECT (COUNT(*) AS ?n) { GRAPH ?g { ?s ?p ?o } }").fetchone()[0]
    answers = []
    errors = []

    def reader():
        try:
            for _ in range(20):
                answers.append(seeded.query(
                    "SELECT (COUNT(*) AS ?n) { GRAPH ?g { ?s ?p ?o } }"
                ).fetchone()[0])
        except Exception as error:  # pragma: no cover - shown on failure
            errors.append(error)

    threads = [threading.Thread(target=reader) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert errors == []
    assert answers == [expected] * 80


# ---- strings ---------------------------------------------------------------------

def test_nul_and_unicode_in_literals(db):
    tricky = [Literal("a\x00b"), Literal("tab\tnewline\nquote\"back\\slash\r"),
              Literal("日本語 \U0001F600 ä", lang="ja"),
              Literal("\x00", datatype=u("t")), Literal("")]
    with db.transaction() as txn:
        for i, literal in enumerate(tricky):
            txn.add((u("s%d" % i), u("p"), literal))
        txn.add((URIRef("http://example.org/ü/\u00e9"), u("p"), "\"x\\u0000y\""))
    got = {row[0]: row[2] for row in db.match(p=u("p"))}
    for i, literal in enumerate(tricky):
        assert got[u("s%d" % i)] == literal
    assert got[URIRef("http://example.org/ü/\u00e9")] == Literal("x\x00y")
    # through SPARQL too, with unicode in the query text
    rows = db.query('SELECT ?s { ?s ?p "日本語 \U0001F600 ä"@ja }').fetchall()
    assert rows == [(u("s2"),)]
    rows = db.query('SELECT ?o { ?s ?p ?o FILTER(STRLEN(?o) = 3 && '
                    'CONTAINS(?o, "\\u0000")) }').fetchall()
    assert sorted(r[0] for r in rows) == [Literal("a\x00b"), Literal("x\x00y")]
    # python values keep them as well
    assert "a\x00b" in [r[0] for r in db.query(
        "SELECT ?o { ?s ?p ?o }", terms="python")]


def test_python_values_as_terms(db):
    with db.transaction() as txn:
        txn.add((kgstore.IRI(EX + "a"), kgstore.IRI(EX + "p"), 7))
        txn.add((kgstore.IRI(EX + "a"), kgstore.IRI(EX + "p"), 2.5))
        txn.add((kgstore.IRI(EX + "a"), kgstore.IRI(EX + "p"), True))
        txn.add((kgstore.IRI(EX + "a"), kgstore.IRI(EX + "p"),
                 decimal.Decimal("1.50")))
    got = sorted(str(q[2].datatype) for q in db.match())
    assert got == sorted(str(XSD[t]) for t in
                         ("integer", "double", "boolean", "decimal"))


# ---- maintenance ---------------------------------------------------------------

def test_statistics_check_explain_export(loaded, scratch):
    stats = loaded.statistics()
    assert stats["quads"] == 11 == len(loaded)
    assert {p["predicate"] for p in stats["predicates"]} >= {EX + "name"}
    assert stats["graphs"] == [{"graph": None, "quads": 11}]
    assert loaded.check() == []
    plan = loaded.explain("SELECT * { ?s <http://example.org/name> ?o }")
    assert isinstance(plan, str) and plan.strip()
    profiled = loaded.explain("SELECT * { ?s ?p ?o }", profile=True)
    assert profiled.strip()
    out = os.path.join(scratch, "g.dot")
    loaded.export(out, "dot", around=u("alice"), hops=1, title="Alice")
    with open(out, encoding="utf-8") as f:
        assert "digraph" in f.read()
    with pytest.raises(kgstore.InvalidError):
        loaded.export(out, "png")
    loaded.compact()
    assert len(loaded) == 11


def test_garbage_collection_in_any_order(scratch):
    """A Database caught in a reference cycle with its results and
    transaction is finalized in no particular order: every handle is still
    freed once, before kg_close (the store can be opened again)."""
    import gc
    path = os.path.join(scratch, "s")
    with kgstore.open(path, durable=False) as db:
        db.load(DATA, format="turtle")
    for round in range(6):
        db = kgstore.open(path, durable=False)
        result = db.query("SELECT * { ?s ?p ?o }")
        next(result)
        txn = db.transaction()
        txn.add((u("gc"), u("p"), Literal(round)))
        match = txn.match()
        next(match)
        cycle = [db, result, txn, match]
        cycle.append(cycle)
        for obj in cycle[:4][::1 if round % 2 else -1]:
            obj.cycle = cycle
        del db, result, txn, match, obj, cycle
        gc.collect()
        with kgstore.open(path, durable=False) as again:  # closed: unlocked
            assert len(again) == 11  # the transaction was rolled back
