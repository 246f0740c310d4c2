"""Database, Result and Transaction: the binding over kgstore/kg.h."""

import collections
import ctypes
import itertools
import json
import os
import threading
import weakref

from . import _capi
from . import _terms
from ._capi import lib
from ._errors import MisuseError, error_for
from ._row import _row_class

# Graph arguments of match(): None means any graph; DEFAULT_GRAPH only the
# default graph (the C API's KG_DEFAULT_GRAPH).
DEFAULT_GRAPH = ""

LoadStats = collections.namedtuple(
    "LoadStats",
    "statements quads_added duplicates bad_statements bytes_read seconds")
LoadStats.__doc__ = """What a load did: statements read, new quads in the
store, duplicates (repeated in the input or already stored), bad statements
skipped (skip_bad only), bytes read and seconds taken."""


class UpdateStats(collections.namedtuple("UpdateStats", "inserted removed")):
    """(inserted, removed) quads of an update; ``seconds`` it took."""

    def __new__(cls, inserted, removed, seconds=0.0):
        self = super().__new__(cls, inserted, removed)
        self.seconds = seconds
        return self


def _text(text, what):
    if isinstance(text, bytes):
        data = text
    elif isinstance(text, str):
        data = text.encode("utf-8", "surrogateescape")
    else:
        raise TypeError("%s must be str, not %s" % (what, type(text).__name__))
    if b"\0" in data:
        raise ValueError("%s contains a NUL character (write \\u0000 inside "
                         "a string literal instead)" % what)
    return data


def _optional_text(text, what):
    return None if text is None else _text(text, what)


def _graph_arg(graph):
    """A match's graph argument: None any, "" the default graph, a term."""
    if graph is None:
        return None
    if isinstance(graph, str) and graph == DEFAULT_GRAPH:
        return b""
    return _terms.ntriples_arg(graph, "graph")


def _take_string(pointer):
    """Copies and frees a string the C API gave the caller (char **)."""
    if not pointer.value:
        return None
    try:
        return ctypes.string_at(pointer.value).decode("utf-8", "replace")
    finally:
        lib.kg_free(pointer.value)


_TYPES = {_capi.KG_RESULT_BINDINGS: "bindings",
          _capi.KG_RESULT_BOOLEAN: "boolean",
          _capi.KG_RESULT_GRAPH: "graph",
          _capi.KG_RESULT_QUADS: "quads"}


class Result:
    """Rows of a query or a match, computed as they are read.

    Iterate over it (or use fetchone/fetchmany/fetchall). ``type`` is
    "bindings" (SELECT: Row objects), "graph" (CONSTRUCT, DESCRIBE:
    (s, p, o) tuples) or "quads" (match: (s, p, o, g) tuples, g None for the
    default graph). ``variables`` names the columns. Close it (or exhaust
    it, or use ``with``) to release it early; a Result is used by one
    thread at a time, and is closed with its Database (or Transaction).
    """

    def __init__(self, owner, pointer, reader):
        self._owner = owner
        self._db = owner if isinstance(owner, Database) else owner._db
        self._token = self._db._register(
            _RESULT, pointer,
            None if owner is self._db else owner._token)
        self._ptr = pointer
        self._reader = reader
        self._invalidated = False
        self.type = _TYPES.get(lib.kg_result_type(pointer), "unknown")
        names = []
        for col in range(lib.kg_result_column_count(pointer)):
            names.append(lib.kg_result_column_name(pointer, col).decode(
                "utf-8", "surrogateescape"))
        self.variables = tuple(names)
        self._width = len(names)
        self._row = (_row_class(tuple(names)) if self.type == "bindings"
                     else tuple)
        owner._adopt(self)

    @property
    def boolean(self):
        """The answer of an ASK (False for other kinds)."""
        self._check()
        return bool(lib.kg_result_boolean(self._ptr))

    def _check(self):
        if self._ptr is None:
            if self._invalidated:
                raise MisuseError("the result was released: its %s ended"
                                  % ("database was closed"
                                     if isinstance(self._owner, Database)
                                     else "transaction"))
            raise MisuseError("the result is closed")

    def __iter__(self):
        return self

    def __next__(self):
        pointer = self._ptr
        if pointer is None:
            if self._invalidated:
                self._check()
            raise StopIteration
        rc = lib.kg_result_step(pointer)
        if rc == _capi.KG_ROW:
            return self._row(self._reader.row(pointer, self._width))
        if rc == _capi.KG_DONE:
            self.close()
            raise StopIteration
        error = self._db._error(rc)
        self.close()
        raise error

    def fetchone(self):
        return next(self, None)

    def fetchmany(self, size=100):
        rows = []
        for row in self:
            rows.append(row)
            if len(rows) >= size:
                break
        return rows

    def fetchall(self):
        return list(self)

    def close(self):
        pointer, self._ptr = self._ptr, None
        if pointer is not None:
            self._owner._disown(self)
            if self._db._unregister(self._token) is not None:
                lib.kg_result_free(pointer)

    def _invalidate(self):  # its owner ends
        if self._ptr is not None:
            self._invalidated = True
            self.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def __del__(self):
        try:
            self.close()
        except Exception:  # interpreter shutdown
            pass

    def __repr__(self):
        return "<kgstore.Result %s %s%s>" % (
            self.type, list(self.variables),
            "" if self._ptr is not None else " closed")


# Kinds of C handle a Database keeps track of.
_RESULT = "result"
_TRANSACTION = "transaction"


class _Owner:
    """Keeps the live results (and transactions) made from a handle, so
    that they are released before it ends, as the C API requires.

    These are weak references: they cannot reach objects the garbage
    collector is finalizing (it clears weak references first, then runs
    finalizers in any order). The Database's handle registry (_register)
    is what makes sure each C handle is freed once and before kg_close."""

    def _init_owner(self):
        self._children = weakref.WeakSet()
        self._children_lock = threading.Lock()

    def _adopt(self, child):
        with self._children_lock:
            self._children.add(child)

    def _disown(self, child):
        with self._children_lock:
            self._children.discard(child)

    def _release_children(self):
        if not self._children:
            return
        with self._children_lock:
            children = list(self._children)
            self._children.clear()
        for child in children:
            child._invalidate()


class Transaction(_Owner):
    """A write transaction (Database.transaction()): its additions and
    removals become visible together at commit, atomically and durably.

    As a context manager it commits when the block ends normally and rolls
    back when it raises. One thread uses it at a time. Only one
    transaction (or load, or update) writes at a time: another waits.

    Blank nodes: a label the store handed out (read from a result) names
    that node; any other label names a new node, the same one for the same
    label within this transaction.
    """

    def __init__(self, db):
        self._init_owner()
        self._db = db
        self._ptr = None
        db._enter_writer("a transaction")
        try:
            handle = ctypes.c_void_p()
            rc = lib.kg_begin(db._handle(), ctypes.byref(handle))
            if rc != _capi.KG_OK:
                raise db._error(rc)
        except BaseException:
            db._leave_writer()
            raise
        self._ptr = handle
        self._thread = threading.get_ident()
        self._token = db._register(_TRANSACTION, handle)
        db._adopt(self)

    @property
    def closed(self):
        return self._ptr is None

    def _handle(self):
        if self._ptr is None:
            raise MisuseError("the transaction has ended (committed, rolled "
                              "back, or its database was closed)")
        return self._ptr

    @staticmethod
    def _split(triple, graph):
        if len(triple) == 4:
            if graph is not None:
                raise TypeError("give the graph in the quad or as graph=, "
                                "not both")
            return triple[0], triple[1], triple[2], triple[3]
        if len(triple) != 3:
            raise TypeError("expected (s, p, o) or (s, p, o, g), got %r"
                            % (triple,))
        return triple[0], triple[1], triple[2], graph

    def _write(self, insert, s, p, o, g):
        handle = self._handle()
        self._release_children()  # matches do not outlive a change
        terms = [_terms.struct_arg(s, "subject"),
                 _terms.struct_arg(p, "predicate"),
                 _terms.struct_arg(o, "object")]
        graph = None if g is None else _terms.struct_arg(g, "graph")
        if None not in terms and (g is None or graph is not None):
            function = lib.kg_insert_terms if insert else lib.kg_remove_terms
            rc = function(handle, *[ctypes.byref(t) for t in terms],
                          None if graph is None else ctypes.byref(graph))
        else:
            function = lib.kg_insert if insert else lib.kg_remove
            rc = function(handle, _terms.ntriples_arg(s, "subject"),
                          _terms.ntriples_arg(p, "predicate"),
                          _terms.ntriples_arg(o, "object"),
                          _terms.ntriples_arg(g, "graph"))
        if rc != _capi.KG_OK:
            raise self._db._error(rc)

    def add(self, triple, graph=None):
        """Adds (s, p, o) to `graph` (None: the default graph), or the quad
        (s, p, o, g). Adding a present quad is not an error."""
        s, p, o, g = self._split(triple, graph)
        self._write(True, s, p, o, g)

    insert = add

    def remove(self, triple, graph=None):
        """Removes (s, p, o) from `graph` (None: the default graph), or the
        quad (s, p, o, g); no error when absent. Every term is needed: for
        patterns, see remove_matching."""
        s, p, o, g = self._split(triple, graph)
        if s is None or p is None or o is None:
            raise TypeError("remove needs every term; use remove_matching "
                            "for a pattern")
        self._write(False, s, p, o, g)

    def match(self, s=None, p=None, o=None, graph=None, terms=None):
        """Quads matching a pattern (None: any), seeing this transaction's
        own changes; graph None: any graph, DEFAULT_GRAPH: the default
        graph. The Result is released when the transaction ends or
        changes."""
        return self._match(s, p, o, graph,
                           _terms.CellReader(terms or self._db.terms))

    def _match(self, s, p, o, graph, reader):
        handle = self._handle()
        out = ctypes.c_void_p()
        rc = lib.kg_txn_match(handle, _terms.ntriples_arg(s, "subject"),
                              _terms.ntriples_arg(p, "predicate"),
                              _terms.ntriples_arg(o, "object"),
                              _graph_arg(graph), ctypes.byref(out))
        if rc != _capi.KG_OK:
            raise self._db._error(rc)
        return Result(self, out, reader)

    def remove_matching(self, s=None, p=None, o=None, graph=None):
        """Removes every quad matching the pattern (as match); returns how
        many."""
        # rdflib terms go back as structured terms; N-Triples otherwise
        reader = _terms.CellReader("rdflib" if _terms.HAVE_RDFLIB
                                   else "ntriples")
        quads = list(self._match(s, p, o, graph, reader))
        for qs, qp, qo, qg in quads:
            self._write(False, qs, qp, qo, qg)
        return len(quads)

    def _release_results(self):
        """Frees every result made from this transaction: live ones, and
        those the garbage collector is finalizing."""
        self._release_children()
        for pointer in self._db._unregister_results_of(self._token):
            lib.kg_result_free(pointer)

    def _finish(self):
        """Ends the transaction's bookkeeping; its handle if still ours."""
        handle, self._ptr = self._ptr, None
        self._db._disown(self)
        self._db._leave_writer(self._thread)
        return self._db._unregister(self._token) if handle is not None \
            else None

    def commit(self):
        """Commits; on failure nothing is stored and the error is raised.
        Either way the transaction has ended."""
        self._handle()
        self._release_results()
        handle = self._finish()
        if handle is None:
            raise MisuseError("the transaction has ended (its database was "
                              "closed)")
        rc = lib.kg_commit(handle)
        if rc != _capi.KG_OK:
            raise self._db._error(rc)

    def rollback(self):
        """Discards the changes (no error when already ended)."""
        if self._ptr is None:
            return
        self._release_results()
        handle = self._finish()
        if handle is not None:
            lib.kg_rollback(handle)

    def _invalidate(self):  # the database is closing
        self.rollback()

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc, tb):
        if self._ptr is None:
            return
        if exc_type is None:
            self.commit()
        else:
            self.rollback()

    def __del__(self):
        try:
            self.rollback()
        except Exception:
            pass

    def __repr__(self):
        return "<kgstore.Transaction %s>" % ("ended" if self.closed
                                             else "open")


class Database(_Owner):
    """An open kgstore store (kgstore.open()).

    Threads: a Database may be shared by any number of threads (the C API
    allows it; calls release the GIL), except close(). The objects it
    returns, Result and Transaction, are each used by one thread at a time.
    A thread that has a transaction open cannot start another write
    (transaction, load, update) on the same Database: it would wait for
    itself, so MisuseError is raised instead.

    ``terms`` chooses how cells come back: "rdflib" (the default when rdflib
    can be imported), "python" or "ntriples" (see kgstore._terms).
    """

    def __init__(self, path, create=True, read_only=False, durable=True,
                 timeout_ms=0, memory_limit=0, strict_dataset=False,
                 block_cache_bytes=None, term_cache_bytes=None,
                 adjacency_cache_bytes=None, warm_in_background=None,
                 allow_file_access=False, terms=None):
        self._init_owner()
        self._ptr = None
        # Every C handle made from this database that is not freed yet:
        # token -> (kind, pointer, parent token). Whoever takes a handle
        # out (_unregister) frees it: its object, or close().
        self._handles = {}
        self._handles_lock = threading.Lock()
        self._tokens = itertools.count(1)
        self._writers = collections.Counter()
        self._writers_lock = threading.Lock()
        self.path = os.fspath(path)
        self.read_only = bool(read_only)
        self.terms = terms or _terms.default_mode()
        _terms.CellReader(self.terms)  # validates the mode
        options = lib.kg_options_new()
        if not options:
            raise MemoryError("kg_options_new")
        try:
            lib.kg_options_set_create_if_missing(options, int(bool(create)))
            lib.kg_options_set_read_only(options, int(bool(read_only)))
            lib.kg_options_set_durable_commits(options, int(bool(durable)))
            lib.kg_options_set_query_timeout_ms(options, int(timeout_ms or 0))
            lib.kg_options_set_memory_limit_bytes(options,
                                                  int(memory_limit or 0))
            lib.kg_options_set_strict_dataset(options,
                                              int(bool(strict_dataset)))
            lib.kg_options_set_allow_file_access(options,
                                                 int(bool(allow_file_access)))
            if block_cache_bytes is not None:
                lib.kg_options_set_block_cache_bytes(options,
                                                     int(block_cache_bytes))
            if term_cache_bytes is not None:
                lib.kg_options_set_term_cache_bytes(options,
                                                    int(term_cache_bytes))
            if adjacency_cache_bytes is not None:
                lib.kg_options_set_adjacency_cache_bytes(
                    options, int(adjacency_cache_bytes))
            if warm_in_background is not None:
                lib.kg_options_set_warm_in_background(
                    options, int(bool(warm_in_background)))
            handle = ctypes.c_void_p()
            rc = lib.kg_open(_text(self.path, "path"), options,
                             ctypes.byref(handle))
        finally:
            lib.kg_options_free(options)
        if rc != _capi.KG_OK:
            if handle:
                error = self._error(rc, handle)
                lib.kg_close(handle)
            else:
                error = error_for(rc, "kg_open failed: out of memory")
            raise error
        self._ptr = handle

    # ---- plumbing --------------------------------------------------------
    def _register(self, kind, pointer, parent=None):
        token = next(self._tokens)
        with self._handles_lock:
            self._handles[token] = (kind, pointer, parent)
        return token

    def _unregister(self, token):
        """The handle's pointer, now the caller's to free; None when it was
        freed already."""
        with self._handles_lock:
            entry = self._handles.pop(token, None)
        return None if entry is None else entry[1]

    def _unregister_results_of(self, parent):
        with self._handles_lock:
            tokens = [token for token, (kind, _, owner) in
                      self._handles.items()
                      if kind == _RESULT and owner == parent]
            return [self._handles.pop(token)[1] for token in tokens]

    def _free_all_handles(self):
        """Frees what no live object released: results first, then
        transactions (rolled back), as kg_close requires."""
        with self._handles_lock:
            entries = list(self._handles.values())
            self._handles.clear()
        for kind, pointer, _ in entries:
            if kind == _RESULT:
                lib.kg_result_free(pointer)
        for kind, pointer, _ in entries:
            if kind == _TRANSACTION:
                lib.kg_rollback(pointer)

    def _handle(self):
        if self._ptr is None:
            raise MisuseError("the database is closed")
        return self._ptr

    def _error(self, rc, handle=None):
        """The exception for a failed call this thread just made."""
        handle = handle if handle is not None else self._ptr
        message = lib.kg_errmsg(handle) if handle else None
        message = message.decode("utf-8", "replace") if message else ""
        if not message:
            message = lib.kg_errstr(rc).decode("ascii")
        return error_for(rc, message)

    def _enter_writer(self, what):
        me = threading.get_ident()
        with self._writers_lock:
            if self._writers[me]:
                raise MisuseError(
                    "cannot start %s: this thread has a transaction open on "
                    "this database (commit or roll it back first; the new "
                    "writer would wait for it forever)" % what)
            self._writers[me] += 1

    def _leave_writer(self, thread=None):
        me = thread if thread is not None else threading.get_ident()
        with self._writers_lock:
            self._writers[me] -= 1
            if self._writers[me] <= 0:
                del self._writers[me]

    def _check_no_transaction(self, what):
        with self._writers_lock:
            if self._writers[threading.get_ident()]:
                raise MisuseError(
                    "cannot run %s: this thread has a transaction open on "
                    "this database (commit or roll it back first; %s would "
                    "wait for it forever)" % (what, what))

    # ---- lifetime --------------------------------------------------------
    @property
    def closed(self):
        return self._ptr is None

    def close(self):
        """Closes the store: open results are released and an open
        transaction is rolled back. No other call may be running on it."""
        if self._ptr is None:
            return
        self._release_children()
        self._free_all_handles()
        handle, self._ptr = self._ptr, None
        lib.kg_close(handle)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def __del__(self):
        try:
            self.close()
        except Exception:
            pass

    def __repr__(self):
        return "<kgstore.Database %r%s>" % (self.path,
                                           " closed" if self.closed else "")

    def interrupt(self):
        """Cancels every query and update running on this database now
        (from any thread): each raises CancelledError. Later calls are not
        affected."""
        if self._ptr is not None:
            lib.kg_interrupt(self._ptr)

    # ---- reading ---------------------------------------------------------
    def _run_query(self, text, reader):
        out = ctypes.c_void_p()
        rc = lib.kg_query(self._handle(), _text(text, "query"),
                          ctypes.byref(out))
        if rc != _capi.KG_OK:
            raise self._error(rc)
        return Result(self, out, reader)

    def query(self, text, terms=None):
        """Runs a SPARQL 1.1 query on a snapshot taken now. SELECT: a
        Result of Row objects; CONSTRUCT, DESCRIBE: a Result of (s, p, o)
        tuples; ASK: a bool."""
        result = self._run_query(text, _terms.CellReader(terms or self.terms))
        if result.type == "boolean":
            try:
                return result.boolean
            finally:
                result.close()
        return result

    def ask(self, text):
        """True when the query (ASK, or any query) has a solution."""
        answer = ctypes.c_int()
        rc = lib.kg_ask(self._handle(), _text(text, "query"),
                        ctypes.byref(answer))
        if rc != _capi.KG_OK:
            raise self._error(rc)
        return bool(answer.value)

    def match(self, s=None, p=None, o=None, graph=None, terms=None):
        """Quads matching a pattern in a snapshot taken now: (s, p, o, g)
        tuples, g None for the default graph. None is a wildcard; graph None
        any graph, DEFAULT_GRAPH only the default graph."""
        return self._match(s, p, o, graph,
                           _terms.CellReader(terms or self.terms))

    def _match(self, s, p, o, graph, reader):
        out = ctypes.c_void_p()
        rc = lib.kg_match(self._handle(), _terms.ntriples_arg(s, "subject"),
                          _terms.ntriples_arg(p, "predicate"),
                          _terms.ntriples_arg(o, "object"), _graph_arg(graph),
                          ctypes.byref(out))
        if rc != _capi.KG_OK:
            raise self._error(rc)
        return Result(self, out, reader)

    def explain(self, text, profile=False):
        """The physical plan of a query (one operator a line); with
        `profile` the query runs and lines add actual rows and time."""
        plan = ctypes.c_void_p()
        rc = lib.kg_explain(self._handle(), _text(text, "query"),
                            int(bool(profile)), ctypes.byref(plan))
        if rc != _capi.KG_OK:
            raise self._error(rc)
        return _take_string(plan)

    def count(self):
        """Quads in the store, all graphs (from the persisted statistics)."""
        quads = ctypes.c_uint64()
        rc = lib.kg_count(self._handle(), ctypes.byref(quads))
        if rc != _capi.KG_OK:
            raise self._error(rc)
        return quads.value

    __len__ = count

    def statistics(self):
        """The store's statistics, a dict: quads, disk_bytes, predicates
        (predicate, quads, distinct_subjects, distinct_objects), graphs
        (graph IRI or None for the default graph, quads)."""
        text = ctypes.c_void_p()
        rc = lib.kg_statistics(self._handle(), ctypes.byref(text))
        if rc != _capi.KG_OK:
            raise self._error(rc)
        return json.loads(_take_string(text))

    def check(self):
        """Verifies indexes, dictionary and statistics: the list of
        problems found, empty when the store is sound."""
        problems = ctypes.c_void_p()
        rc = lib.kg_check(self._handle(), ctypes.byref(problems))
        text = _take_string(problems)
        if rc == _capi.KG_OK:
            return []
        if rc == _capi.KG_CORRUPT and text is not None:
            return text.split("\n")
        raise self._error(rc)

    def compact(self):
        """Compacts the store (smallest on disk, fastest reads)."""
        rc = lib.kg_compact(self._handle())
        if rc != _capi.KG_OK:
            raise self._error(rc)

    # ---- writing ---------------------------------------------------------
    def transaction(self):
        """A new write Transaction (a context manager: commit on success,
        rollback on exception). Waits while another writer is active."""
        return Transaction(self)

    def update(self, text):
        """Runs a SPARQL 1.1 update request as one transaction; returns
        UpdateStats (inserted, removed), with .seconds."""
        handle = self._handle()
        self._check_no_transaction("an update")
        stats = _capi.kg_update_stats()
        rc = lib.kg_update(handle, _text(text, "update"), ctypes.byref(stats))
        if rc != _capi.KG_OK:
            raise self._error(rc)
        return UpdateStats(stats.inserted, stats.removed, stats.seconds)

    def load(self, source, format=None, graph=None, base_iri=None,
             skip_bad=False, compress_for_size=False):
        """Loads RDF, all or nothing (unless skip_bad), returning LoadStats.

        `source`: a path (str or os.PathLike; "-" is standard input), bytes
        (bytes, bytearray, memoryview) or a binary file object. `format`:
        "ntriples"/"nt", "nquads"/"nq", "turtle"/"ttl", "trig"; required
        except for paths (then from the extension). `graph`: where triples
        (and a quad format's default graph) go (a term; None: as written).
        `base_iri`: for relative IRIs (default: the file's file:// IRI)."""
        handle = self._handle()
        self._check_no_transaction("a load")
        options = _capi.kg_load_options(
            _optional_text(format, "format"),
            None if graph is None else _terms.ntriples_arg(graph, "graph"),
            _optional_text(base_iri, "base_iri"),
            (_capi.KG_LOAD_SKIP_BAD if skip_bad else 0)
            | (_capi.KG_LOAD_COMPRESS_FOR_SIZE if compress_for_size else 0))
        stats = _capi.kg_load_stats()
        if hasattr(source, "read"):
            source = source.read()
            if isinstance(source, str):
                source = source.encode("utf-8")
        if isinstance(source, (bytes, bytearray, memoryview)):
            data = bytes(source)
            rc = lib.kg_load_buffer(handle, data, len(data),
                                    ctypes.byref(options), ctypes.byref(stats))
        elif isinstance(source, (str, os.PathLike)):
            rc = lib.kg_load_file(handle, _text(os.fspath(source), "path"),
                                  ctypes.byref(options), ctypes.byref(stats))
        else:
            raise TypeError("load: expected a path, bytes or a binary file, "
                            "got %s" % type(source).__name__)
        if rc != _capi.KG_OK:
            raise self._error(rc)
        return LoadStats(stats.statements, stats.quads_added, stats.duplicates,
                         stats.bad_statements, stats.bytes_read, stats.seconds)

    def export(self, path, format, query=None, around=None, hops=1,
               graph=None, title=None):
        """Writes a picture of the graph to `path`: format "dot",
        "graphml", "gexf", "cytoscape" or "html"; the triples of a CONSTRUCT
        or DESCRIBE `query`, or the nodes within `hops` of the term
        `around`, or the whole store; `graph` limits it to a named graph."""
        options = _capi.kg_export_options(
            _text(format, "format"), _optional_text(query, "query"),
            None if around is None else _terms.ntriples_arg(around, "around"),
            int(hops or 0),
            None if graph is None else _terms.ntriples_arg(graph, "graph"),
            _optional_text(title, "title"))
        rc = lib.kg_export(self._handle(), _text(os.fspath(path), "path"),
                           ctypes.byref(options))
        if rc != _capi.KG_OK:
            raise self._error(rc)
