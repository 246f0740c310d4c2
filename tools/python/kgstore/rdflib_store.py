"""An rdflib Store that keeps its data in kgstore.

Importing ``kgstore`` registers it as the rdflib store plugin "kgstore"::

    import kgstore, rdflib

    g = rdflib.Graph(store="kgstore")
    g.open("/data/kg", create=True)      # VALID_STORE; NO_STORE when absent
    g.parse("facts.ttl")
    for row in g.query("SELECT ?s WHERE { ?s a ?type }"):   # kgstore's engine
        ...
    g.close()                            # commits what is pending

(or ``rdflib.Dataset(store="kgstore")``, ``ConjunctiveGraph``; a store made
with options: ``Graph(store=KgstoreStore(durable=False, batch_size=50000))``).

Graphs (contexts)
-----------------
* A context whose identifier is a URIRef is the kgstore named graph of that
  IRI.
* kgstore's *default graph* is the context of every Graph whose identifier
  is a blank node (a plain ``Graph(store="kgstore")``, a ConjunctiveGraph's
  default context) and of Dataset's default graph (``urn:x-rdflib:default``,
  rdflib.graph.DATASET_DEFAULT_GRAPH_ID). So a plain Graph finds its triples
  again after the store is closed and reopened, and the default graph of
  data loaded with ``kg load`` is what a plain Graph sees. contexts() and
  the contexts of triples() name the default graph
  ``urn:x-rdflib:default``. (A blank-node graph name in loaded data
  therefore reads as the default graph.)
* graph_aware: add_graph() records an empty named graph for the life of
  this store object (kgstore itself keeps no empty graphs).
* Quoted (N3 formula) statements are not supported (formula_aware is
  False).

Writes, transactions and when they are committed
-------------------------------------------------
Writes (add, addN, remove, and rdflib's own update evaluator, which uses
them) collect in one open kgstore transaction instead of committing each
(a durable commit per triple would be very slow). That transaction is
committed:

* before any read that goes through the database: query(), update(),
  __len__(), contexts() without a triple;
* by commit(), and by close() (whatever its commit_pending_transaction
  says: rdflib's other persistent stores keep every write);
* every ``batch_size`` (10,000) writes; an addN batch is never split (it is
  one transaction with the writes before it).

rollback() discards the writes since the last commit. Reads through
triples() (and ``in``, iteration, subjects(), ...) see pending writes
(kg_txn_match) without committing them. A triples() iteration that is
still open when a write or commit happens is first read to its end into
memory, so it goes on as a snapshot (as with rdflib's Memory store).

While a transaction is pending, the store holds kgstore's single writer
slot: other writers on the same store (another thread's Database
transaction, a load) wait until it is committed.

Blank nodes
-----------
kgstore names each blank node with a label it hands out ("kgb" and hex
digits); any other label given on a write makes a new node. This store
keeps, for its lifetime, a map between the labels you used and the nodes
they made, so that ``g.add((BNode("x"), p, o))`` then ``g.remove((BNode("x"),
p, o))``, re-adding ``BNode("x")`` or reading it back (as ``BNode("x")``)
behave as with rdflib's Memory store. After the store is reopened, the
nodes are named by kgstore's labels (which also name them when given
back). A label kgstore never handed out nor this store saw matches nothing.

Namespaces
----------
bind()/namespaces() are kept in a small JSON file,
``rdflib-namespaces.json``, in the store's directory (not as quads: so
they never show in query answers, contexts() or len()). It is written at
commit() and close() when bindings changed (never for read-only stores).

SPARQL
------
query() and update() run on kgstore's own engine. The store is opened with
strict dataset semantics (a query's default graph is the default graph
only) and then scoped as rdflib's evaluator would be:

* a Graph's query runs on its context: the default graph as is, a named
  graph through an added ``FROM <iri>``;
* a ConjunctiveGraph's (or ``Dataset(default_union=True)``) query runs on
  the union of all graphs: as is when there are no named graphs, through
  ``FROM``/``FROM NAMED`` each named graph when the default graph is empty;
* a Dataset's query: the default graph, with GRAPH over the named graphs;
* a query with its own FROM / FROM NAMED is run as written.

initNs become PREFIX lines, a ``base=`` keyword a BASE line, initBindings an
inline VALUES block at the start of the WHERE group. Results are rdflib
``Result`` objects of the right type (SELECT rows are read lazily).
What cannot be passed through raises NotImplementedError inside the store,
so rdflib falls back to its own evaluator (over this store): prepared query
objects, initBindings with blank nodes or for a ``CONSTRUCT WHERE`` /
DESCRIBE without WHERE, the union when both the default graph and named
graphs hold triples, updates with initBindings or on a named-graph Graph,
and (unless ``fallback_on_unsupported`` is False) any request kgstore
rejects as invalid (its syntax errors then come from rdflib's parser).

Differences from rdflib's Memory store
--------------------------------------
* Terms: ``"x"^^xsd:string`` reads back as ``"x"`` (RDF 1.1: the same
  term; rdflib 6 tells them apart) and language tags read back in lower
  case (rdflib's Literal equality ignores their case). Typed literals keep
  the lexical form stored (``"01"^^xsd:integer`` stays "01").
* Subjects must be IRIs or blank nodes, predicates IRIs: kgstore refuses
  the generalized triples Memory accepts (kgstore.InvalidError).
* The default graph's name (above); empty graphs last only as long as the
  store object.

Not thread-safe: use one store object per thread (or a lock). The
kgstore.Database underneath is ``store.database``.
"""

import collections
import json
import os
import re
import shutil
import weakref

from rdflib.graph import DATASET_DEFAULT_GRAPH_ID, Graph, QuotedGraph
from rdflib.query import Result as RdfResult
from rdflib.store import NO_STORE, VALID_STORE, Store
from rdflib.term import BNode, Literal, URIRef, Variable

from . import _sparql_text
from . import _terms
from ._database import DEFAULT_GRAPH, Database
from ._errors import InvalidError, MisuseError, NotFoundError

__all__ = ["KgstoreStore", "NAMESPACES_FILE"]

NAMESPACES_FILE = "rdflib-namespaces.json"

# Labels kgstore hands out (storage/store.cc: "kgb" and the id in hex).
_STORE_LABEL = re.compile(r"^kgb[1-9a-f][0-9a-f]{0,13}$")
# A prefix name SPARQL accepts in a PREFIX line (ASCII subset of PN_PREFIX,
# plus the empty prefix).
_PREFIX_NAME = re.compile(r"^([A-Za-z]([\w.-]*[\w-])?)?$")
_COUNT_TRIPLES = (
    "SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o WHERE { "
    "{ ?s ?p ?o } UNION { GRAPH ?g { ?s ?p ?o } } } }")


class _Cursor:
    """Rows of a kgstore Result that can be read to their end into memory
    (drain) before the transaction they come from changes or ends."""

    __slots__ = ("result", "buffer", "__weakref__")

    def __init__(self, result):
        self.result = result
        self.buffer = None

    def __iter__(self):
        return self

    def __next__(self):
        if self.buffer is not None:
            if self.buffer:
                return self.buffer.popleft()
            raise StopIteration
        return next(self.result)

    def drain(self):
        if self.buffer is None:
            self.buffer = collections.deque(self.result)
            self.result.close()

    def close(self):
        self.result.close()
        self.buffer = collections.deque()


class KgstoreStore(Store):
    """rdflib Store over kgstore (see the module's documentation).

    Options (all keywords): ``durable`` (fsync each commit; default True),
    ``batch_size`` (writes per automatic commit; 10,000), ``read_only``,
    ``fallback_on_unsupported`` (True), and any other kgstore.open() option
    (timeout_ms, memory_limit, block_cache_bytes, ...).
    """

    context_aware = True
    formula_aware = False
    transaction_aware = True
    graph_aware = True

    def __init__(self, configuration=None, identifier=None, batch_size=10000,
                 durable=True, read_only=False, fallback_on_unsupported=True,
                 **open_options):
        self.identifier = identifier
        self.batch_size = int(batch_size)
        self.durable = durable
        self.read_only = read_only
        self.fallback_on_unsupported = fallback_on_unsupported
        self._open_options = open_options
        self._db = None
        self.path = None
        self._txn = None
        self._pending = 0
        self._in_batch = 0
        self._cursors = weakref.WeakSet()
        self._to_store = {}       # label used -> kgstore's label
        self._from_store = {}     # kgstore's label -> label used
        self._new_labels = []     # labels mapped in the pending transaction
        self._namespace = {}      # prefix -> namespace (str)
        self._prefix = {}         # namespace -> prefix
        self._namespaces_dirty = False
        self._declared = set()    # add_graph() of empty named graphs
        self._graphs = {}         # identifier -> context Graph
        self._reader = _terms.CellReader("rdflib", blank=self._user_label)
        # kgstore's own labels: for removals (as structured terms, which
        # also take what N-Triples text cannot say) and learning labels
        self._raw_reader = _terms.CellReader("rdflib")
        super().__init__(configuration)

    # ---- open, close ---------------------------------------------------------
    @property
    def database(self):
        """The kgstore.Database (None when closed)."""
        return self._db

    def _open_db(self):
        if self._db is None:
            raise MisuseError("the kgstore store is not open (Graph.open("
                              "path, create=True) first)")
        return self._db

    def open(self, configuration, create=False):
        if self._db is not None:
            raise MisuseError("the kgstore store is already open (%s)"
                              % self.path)
        path = os.fspath(configuration)
        try:
            self._db = Database(path, create=create, durable=self.durable,
                                read_only=self.read_only, strict_dataset=True,
                                terms="rdflib", **self._open_options)
        except NotFoundError:
            return NO_STORE
        self.path = path
        self._load_namespaces()
        return VALID_STORE

    def close(self, commit_pending_transaction=False):
        """Commits pending writes (whatever commit_pending_transaction says),
        saves namespaces and closes the kgstore database."""
        if self._db is None:
            return
        try:
            self.commit()
        finally:
            try:
                self._save_namespaces()
            finally:
                self._db.close()
                self._db = None
                self._txn = None
                self._pending = 0
                # what names nodes and graphs of this store only
                self._to_store.clear()
                self._from_store.clear()
                self._new_labels = []
                self._declared.clear()

    def destroy(self, configuration):
        """Deletes the store in directory `configuration` (closing it first
        when it is this one's). Refuses a directory that is not a store."""
        path = os.fspath(configuration)
        if self._db is not None and os.path.abspath(path) == os.path.abspath(
                self.path):
            self.close()
        if not os.path.isdir(path):
            return
        names = os.listdir(path)
        if "CURRENT" not in names or not any(
                n.startswith("MANIFEST-") for n in names):
            raise ValueError("%s does not look like a kgstore store; not "
                             "deleting it" % path)
        shutil.rmtree(path)

    def gc(self):
        pass

    # ---- contexts ------------------------------------------------------------
    @staticmethod
    def _graph_of(context):
        """None (any graph), DEFAULT_GRAPH, or the named graph's URIRef."""
        if context is None:
            return None
        identifier = getattr(context, "identifier", context)
        if isinstance(identifier, BNode) or identifier == \
                DATASET_DEFAULT_GRAPH_ID:
            return DEFAULT_GRAPH
        if isinstance(identifier, URIRef):
            return identifier
        if isinstance(identifier, str):
            return URIRef(identifier)
        raise TypeError("cannot use %r as a graph" % (context,))

    def _context(self, graph):
        """The context Graph for a kgstore graph (None: the default)."""
        identifier = DATASET_DEFAULT_GRAPH_ID if graph is None else graph
        context = self._graphs.get(identifier)
        if context is None:
            context = Graph(store=self, identifier=identifier)
            self._graphs[identifier] = context
        return context

    # ---- blank nodes ---------------------------------------------------------
    def _user_label(self, label):
        return self._from_store.get(label, label)

    def _store_term(self, term):
        """(term kgstore knows it by, is_new_label)."""
        if isinstance(term, BNode):
            label = str(term)
            found = self._to_store.get(label)
            if found is not None:
                return BNode(found), False
            if _STORE_LABEL.match(label):
                return term, False
            return term, True
        return term, False

    def _learn_label(self, label, position, txn):
        """Finds the node the new `label` made in the pending transaction."""
        pattern = [None, None, None]
        pattern[position] = "_:" + label
        try:
            with txn._match(pattern[0], pattern[1], pattern[2], None,
                            self._raw_reader) as result:
                quad = result.fetchone()
        except InvalidError:
            # a label N-Triples cannot write (kg_insert_terms took it): the
            # node reads back under kgstore's label
            return
        if quad is not None and isinstance(quad[position], BNode):
            stored = str(quad[position])
            self._to_store[label] = stored
            self._from_store[stored] = label
            self._new_labels.append(label)

    # ---- writing -------------------------------------------------------------
    def _begin(self):
        if self._txn is None:
            self._txn = self._open_db().transaction()
        return self._txn

    def _drain(self):
        if not self._cursors:
            return
        for cursor in list(self._cursors):
            cursor.drain()
        self._cursors = weakref.WeakSet()

    def _after_write(self):
        self._pending += 1
        if self._pending >= self.batch_size and not self._in_batch:
            self.commit()

    def _insert(self, triple, context):
        graph = self._graph_of(context)
        if graph is None:
            graph = DEFAULT_GRAPH
        s, new_s = self._store_term(triple[0])
        p = triple[1]
        o, new_o = self._store_term(triple[2])
        self._drain()
        txn = self._begin()
        txn.add((s, p, o), None if graph == DEFAULT_GRAPH else graph)
        if new_s:
            self._learn_label(str(s), 0, txn)
        if new_o and str(o) not in self._to_store:
            self._learn_label(str(o), 2, txn)
        self._after_write()

    def add(self, triple, context, quoted=False):
        if quoted:
            raise NotImplementedError(
                "kgstore cannot hold quoted (N3 formula) statements")
        Store.add(self, triple, context, quoted)
        self._open_db()
        self._insert(triple, context)

    def addN(self, quads):
        """Adds quads in the pending transaction, never split by an
        automatic commit."""
        self._open_db()
        self._in_batch += 1
        try:
            for s, p, o, c in quads:
                if isinstance(c, QuotedGraph):
                    raise NotImplementedError(
                        "kgstore cannot hold quoted (N3 formula) statements")
                Store.add(self, (s, p, o), c, False)
                self._insert((s, p, o), c)
        finally:
            self._in_batch -= 1
        if self._pending >= self.batch_size:
            self.commit()

    def remove(self, triple, context=None):
        """Removes the triples matching the pattern (None: any) from
        `context`, or from every graph when it is None."""
        Store.remove(self, triple, context)
        self._open_db()
        graph = self._graph_of(context)
        quads = list(self._raw_quads(triple, graph))
        if not quads:
            return
        self._drain()
        txn = self._begin()
        for qs, qp, qo, qg in quads:
            txn.remove((qs, qp, qo), qg)
        self._pending += len(quads)
        if self._pending >= self.batch_size and not self._in_batch:
            self.commit()

    def commit(self):
        """Commits the pending writes (and saves changed namespaces)."""
        self._drain()
        txn, self._txn = self._txn, None
        if txn is not None:
            try:
                txn.commit()
            except BaseException:
                self._forget_new_labels()
                raise
            finally:
                self._pending = 0
        self._new_labels = []
        self._save_namespaces()

    def rollback(self):
        """Discards the writes since the last commit."""
        self._drain()
        txn, self._txn = self._txn, None
        if txn is not None:
            txn.rollback()
        self._pending = 0
        self._forget_new_labels()

    def _forget_new_labels(self):
        for label in self._new_labels:
            stored = self._to_store.pop(label, None)
            if stored is not None:
                self._from_store.pop(stored, None)
        self._new_labels = []

    def _flush_for_read(self):
        self._open_db()
        if self._txn is not None:
            self.commit()

    # ---- reading -------------------------------------------------------------
    def _pattern(self, triple):
        """The pattern's terms as kgstore knows them, or None when it cannot
        match (a blank node label kgstore never handed out)."""
        out = []
        for term in triple:
            if term is None:
                out.append(None)
                continue
            if isinstance(term, Graph):
                return None  # a formula: never stored
            stored, new = self._store_term(term)
            if new:
                return None
            out.append(stored)
        return out

    def _match(self, pattern, graph, reader):
        """A kgstore Result: through the pending transaction when there is
        one (it sees pending writes), else on a snapshot."""
        if self._txn is not None:
            return self._txn._match(*pattern, graph, reader)
        return self._open_db()._match(*pattern, graph, reader)

    def _quads(self, triple, graph, reader):
        """(s, p, o, g) rows matching, seeing pending writes."""
        pattern = self._pattern(triple)
        if pattern is None:
            return
        pending = self._txn is not None
        cursor = _Cursor(self._match(pattern, graph, reader))
        if pending:
            self._cursors.add(cursor)
        try:
            yield from cursor
        finally:
            cursor.close()

    def _raw_quads(self, triple, graph):
        """Matching quads as kgstore names them (its blank node labels)."""
        pattern = self._pattern(triple)
        if pattern is None:
            return []
        with self._match(pattern, graph, self._raw_reader) as result:
            return list(result)

    def triples(self, triple_pattern, context=None):
        """(triple, contexts) for each triple matching the pattern in
        `context` (None: any graph), as rdflib's Memory store yields them."""
        self._open_db()
        graph = self._graph_of(context)
        rows = self._quads(triple_pattern, graph, self._reader)
        if graph is not None:
            for s, p, o, _ in rows:
                triple = (s, p, o)
                yield triple, self._contexts_of(triple)
            return
        # Any graph: the quads of one triple come together (the indexes
        # kgstore scans for a pattern without a graph end with the graph).
        current = None
        graphs = []
        for s, p, o, g in rows:
            triple = (s, p, o)
            if triple == current:
                graphs.append(g)
                continue
            if current is not None:
                yield current, self._context_list(graphs)
            current = triple
            graphs = [g]
        if current is not None:
            yield current, self._context_list(graphs)

    def _context_list(self, graphs):
        return (self._context(g) for g in graphs)

    def _contexts_of(self, triple):
        """Every context of a triple, looked up when first iterated."""
        for _, _, _, g in self._quads(triple, None, self._reader):
            yield self._context(g)

    def __len__(self, context=None):
        self._flush_for_read()
        graph = self._graph_of(context)
        counts = self._graph_counts()
        if graph is None:
            nonempty = [n for n in counts.values() if n]
            if len(nonempty) <= 1:
                return sum(nonempty)
            for row in self._db.query(_COUNT_TRIPLES, terms="python"):
                return int(row[0])
            return 0
        if graph == DEFAULT_GRAPH:
            return counts.get(None, 0)
        return counts.get(str(graph), 0)

    def _graph_counts(self):
        """{graph IRI or None: quads} from kgstore's statistics."""
        return {entry["graph"]: entry["quads"]
                for entry in self._db.statistics()["graphs"]}

    def contexts(self, triple=None):
        """The contexts holding triples (and those add_graph() declared), or
        those holding the given triple."""
        if triple is not None and triple != (None, None, None):
            seen = set()
            for _, _, _, g in self._quads(triple, None, self._reader):
                if g not in seen:
                    seen.add(g)
                    yield self._context(g)
            return
        self._flush_for_read()
        seen = set()
        for name, quads in self._graph_counts().items():
            if not quads:
                continue
            identifier = (DATASET_DEFAULT_GRAPH_ID if name is None
                          else URIRef(name))
            seen.add(identifier)
            yield self._context(None if name is None else identifier)
        for identifier in sorted(self._declared - seen):
            yield self._context(identifier)

    def add_graph(self, graph):
        identifier = self._graph_of(graph)
        if identifier not in (None, DEFAULT_GRAPH):
            self._declared.add(identifier)

    def remove_graph(self, graph):
        self.remove((None, None, None), graph)
        self._declared.discard(self._graph_of(graph))

    # ---- namespaces ----------------------------------------------------------
    def bind(self, prefix, namespace, override=True):
        prefix = str(prefix)
        namespace = str(namespace)
        if not override and prefix in self._namespace:
            return
        if self._namespace.get(prefix) == namespace and \
                self._prefix.get(namespace) == prefix:
            return
        self._namespace[prefix] = namespace
        self._prefix[namespace] = prefix
        self._namespaces_dirty = True

    def namespace(self, prefix):
        found = self._namespace.get(str(prefix))
        return None if found is None else URIRef(found)

    def prefix(self, namespace):
        return self._prefix.get(str(namespace))

    def namespaces(self):
        for prefix, namespace in list(self._namespace.items()):
            yield prefix, URIRef(namespace)

    def _namespaces_path(self):
        return os.path.join(self.path, NAMESPACES_FILE)

    def _load_namespaces(self):
        try:
            with open(self._namespaces_path(), encoding="utf-8") as f:
                saved = json.load(f)
        except FileNotFoundError:
            return
        except ValueError as error:
            raise ValueError("%s: not a JSON object of prefixes: %s"
                             % (self._namespaces_path(), error)) from None
        if not isinstance(saved, dict):
            raise ValueError("%s: not a JSON object of prefixes"
                             % self._namespaces_path())
        # What was bound before open (rdflib's defaults) gives way to what
        # the store had.
        for prefix, namespace in saved.items():
            self._namespace[prefix] = namespace
            self._prefix[namespace] = prefix

    def _save_namespaces(self):
        if not self._namespaces_dirty or self._db is None or self.read_only:
            return
        path = self._namespaces_path()
        temporary = path + ".tmp"
        with open(temporary, "w", encoding="utf-8") as f:
            json.dump(self._namespace, f, indent=1, sort_keys=True)
            f.write("\n")
        os.replace(temporary, path)
        self._namespaces_dirty = False

    # ---- SPARQL --------------------------------------------------------------
    def _prologue(self, initNs, kwargs):
        lines = []
        base = kwargs.get("base")
        if base:
            lines.append("BASE <%s>" % base)
        for prefix, namespace in (initNs or {}).items():
            prefix = str(prefix)
            if not _PREFIX_NAME.match(prefix):
                continue  # rdflib accepts names SPARQL does not
            lines.append("PREFIX %s: <%s>" % (prefix, namespace))
        return "".join(line + "\n" for line in lines)

    def _union_graphs(self):
        """The named graphs when the union of all graphs can be given as
        FROM clauses (None: the default graph alone is the union)."""
        counts = self._graph_counts()
        named = sorted(name for name, quads in counts.items()
                       if name is not None and quads)
        if not named:
            return None
        if counts.get(None, 0):
            raise NotImplementedError(
                "kgstore: the union of the default graph and named graphs "
                "cannot be expressed with strict datasets")
        if any(":" not in name for name in named):
            raise NotImplementedError("kgstore: a blank node names a graph")
        return [URIRef(name) for name in named]

    @staticmethod
    def _values_block(initBindings):
        names = []
        values = []
        for variable, value in initBindings.items():
            name = str(variable).lstrip("?$")
            if isinstance(value, BNode) or value is None:
                raise NotImplementedError(
                    "kgstore: a blank node in initBindings")
            if not isinstance(value, (URIRef, Literal)):
                value = Literal(value)
            names.append("?" + name)
            values.append(_terms.to_ntriples(value))
        return "VALUES (%s) { (%s) }" % (" ".join(names), " ".join(values))

    def query(self, query, initNs, initBindings, queryGraph, **kwargs):
        if not isinstance(query, str):
            raise NotImplementedError("kgstore: prepared queries")
        shape = _sparql_text.QueryShape(query)
        if shape.form is None:
            raise NotImplementedError("kgstore: not a query it can read")
        self._flush_for_read()
        text = query
        if not shape.has_dataset and queryGraph is not None:
            if queryGraph == "__UNION__":
                graphs = self._union_graphs()
                named = graphs
            else:
                graph = self._graph_of(queryGraph)
                graphs = None if graph == DEFAULT_GRAPH else [graph]
                named = []
            if graphs is not None:
                if shape.from_at is None:
                    raise NotImplementedError("kgstore: no place for FROM")
                clause = " ".join(["FROM <%s>" % g for g in graphs]
                                  + ["FROM NAMED <%s>" % g for g in named])
                text = _sparql_text.insert(text, shape.from_at, clause)
                shape = _sparql_text.QueryShape(text)
        if initBindings:
            if shape.values_at is None:
                raise NotImplementedError("kgstore: no place for VALUES")
            text = _sparql_text.insert(text, shape.values_at,
                                       self._values_block(initBindings))
        text = self._prologue(initNs, kwargs) + text
        try:
            result = self._db._run_query(text, self._reader)
        except InvalidError:
            if self.fallback_on_unsupported:
                raise NotImplementedError("kgstore rejected the query")
            raise
        return self._rdflib_result(result, shape.form)

    def _rdflib_result(self, result, form):
        if result.type == "boolean":
            out = RdfResult("ASK")
            try:
                out.askAnswer = result.boolean
            finally:
                result.close()
            return out
        if result.type == "bindings":
            out = RdfResult("SELECT")
            variables = [Variable(name) for name in result.variables]
            out.vars = variables

            def bindings():
                with result:
                    for row in result:
                        yield {variable: value for variable, value in
                               zip(variables, row) if value is not None}

            out.bindings = bindings()
            return out
        out = RdfResult("DESCRIBE" if form == "DESCRIBE" else "CONSTRUCT")
        graph = Graph()
        with result:
            for triple in result:
                graph.add(triple)
        out.graph = graph
        return out

    def update(self, update, initNs, initBindings, queryGraph, **kwargs):
        if not isinstance(update, str):
            raise NotImplementedError("kgstore: prepared updates")
        if initBindings:
            raise NotImplementedError("kgstore: initBindings in an update")
        self._flush_for_read()
        if queryGraph is not None:
            if queryGraph == "__UNION__":
                if self._union_graphs() is not None:
                    raise NotImplementedError(
                        "kgstore: an update on the union of named graphs")
            elif self._graph_of(queryGraph) != DEFAULT_GRAPH:
                raise NotImplementedError(
                    "kgstore: an update on a named graph's Graph")
        text = self._prologue(initNs, kwargs) + update
        try:
            self._db.update(text)
        except InvalidError:
            if self.fallback_on_unsupported:
                raise NotImplementedError("kgstore rejected the update")
            raise

    def __repr__(self):
        return "<KgstoreStore %s>" % (self.path if self._db is not None
                                      else "closed")
