"""kgstore for Python: an embedded RDF quad store with a SPARQL 1.1 engine.

Pure Python over kgstore's C API (kgstore/kg.h) with ctypes::

    import kgstore
    from rdflib import Literal, URIRef

    with kgstore.open("/data/kg") as db:
        db.load("facts.trig")
        for row in db.query("SELECT ?s ?o WHERE { ?s ?p ?o } LIMIT 5"):
            print(row["s"], row.o)
        with db.transaction() as txn:
            txn.add((URIRef("http://ex/a"), URIRef("http://ex/p"),
                     Literal("A")))

Cells come back as rdflib terms (URIRef, BNode, Literal; None when unbound)
when rdflib can be imported, else as plain Python values (``open(...,
terms="python")`` chooses that anyway): IRIs as ``kgstore.IRI`` and blank
nodes as ``kgstore.BlankNode`` (both str subclasses), literals as int,
float, bool, decimal.Decimal by datatype, str otherwise.

Terms given to add/remove/match are rdflib terms, ``kgstore.IRI`` /
``kgstore.BlankNode``, Python bool/int/float/Decimal (typed literals), or
``str`` in N-Triples syntax (``"<http://ex/a>"``, ``'"chat"@fr'``).

Threads: a Database may be shared by any number of threads (the C API
allows it, and calls release the GIL), except ``close()``. Results and
transactions are each used by one thread at a time.

Errors raise ``kgstore.Error`` subclasses, one per C API code, each with
``.code`` and the library's message (see kgstore._errors).

Importing kgstore registers the rdflib store plugin "kgstore" (when rdflib
is installed): ``rdflib.Graph(store="kgstore").open(path, create=True)``;
see kgstore.rdflib_store.
"""

from . import _capi
from ._capi import (KG_CANCELLED, KG_CORRUPT, KG_FULL, KG_INTERNAL,
                    KG_INVALID, KG_IOERR, KG_LOCKED, KG_MISUSE, KG_NOTFOUND,
                    KG_OK, KG_TIMEOUT)
from ._database import (DEFAULT_GRAPH, Database, LoadStats, Result,
                        Transaction, UpdateStats)
from ._errors import (CancelledError, CorruptError, Error, InputOutputError,
                      InternalError, InvalidError, LimitError, LockedError,
                      MisuseError, NotFoundError, ParseError,
                      TimeoutError)  # noqa: F401 (kgstore.TimeoutError)
from ._row import Row
from ._terms import HAVE_RDFLIB, IRI, BlankNode

__version__ = "%d.%d" % _capi.ABI_VERSION  # the C API this binding is for

__all__ = [
    "open", "version", "Database", "Result", "Row", "Transaction",
    "LoadStats", "UpdateStats", "DEFAULT_GRAPH", "IRI", "BlankNode",
    "Error", "InternalError", "InvalidError", "ParseError", "NotFoundError",
    "LockedError", "CorruptError", "InputOutputError", "LimitError",
    "CancelledError", "MisuseError", "HAVE_RDFLIB",
    "KG_OK", "KG_INTERNAL", "KG_INVALID", "KG_NOTFOUND", "KG_LOCKED",
    "KG_CORRUPT", "KG_IOERR", "KG_FULL", "KG_TIMEOUT", "KG_CANCELLED",
    "KG_MISUSE",
    # TimeoutError is kgstore.TimeoutError (a builtin TimeoutError too); it
    # is left out of __all__ so that `import *` does not shadow the builtin.
]


def version():
    """The version of the kgstore library in use ("0.2.0")."""
    return _capi.LIBRARY_VERSION


def open(path, create=True, read_only=False, durable=True, timeout_ms=0,
         memory_limit=0, strict_dataset=False, **options):
    """Opens (by default creating) the store in directory `path`.

    create: make an empty store when there is none (else NotFoundError).
    read_only: no lock, every write raises LockedError.
    durable: commits and loads are on disk (fsync) before they return.
    timeout_ms: wall-clock limit of each query and update (0: none).
    memory_limit: cap in bytes on one query's intermediate results (0: none).
    strict_dataset: a query's default graph is the store's default graph
      only (not the union of all graphs).
    options: block_cache_bytes, term_cache_bytes, adjacency_cache_bytes,
      warm_in_background, allow_file_access (update LOAD <file:...>), terms
      ("rdflib", "python" or "ntriples").

    Returns a Database, which is also a context manager that closes it.
    """
    return Database(path, create=create, read_only=read_only, durable=durable,
                    timeout_ms=timeout_ms, memory_limit=memory_limit,
                    strict_dataset=strict_dataset, **options)


def connect(path, **options):
    """The same as open() (the DB-API's name)."""
    return open(path, **options)


if HAVE_RDFLIB:
    import rdflib.plugin as _plugin
    import rdflib.store as _store

    _plugin.register("kgstore", _store.Store, "kgstore.rdflib_store",
                     "KgstoreStore")
