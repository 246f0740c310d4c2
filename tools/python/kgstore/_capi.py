"""Loading libkgstore and declaring the parts of its C API the binding uses.

The library is looked for, in this order:

1. the path in the environment variable ``KGSTORE_LIBRARY`` (when it is set
   and the file cannot be loaded, that is an error: no other library is
   tried behind the caller's back);
2. ``_library_path.py`` beside this module, written by kgstore's install
   step: its attribute ``LIBRARY`` is a path, relative to this package's
   directory (or absolute);
3. ``ctypes.util.find_library("kgstore")`` (the system's library path).

Every function used is declared here with its argument and result types, so
that ctypes never guesses (a guessed ``int`` result would cut pointers in
half on 64-bit systems). The contract of each function is in
``kgstore/kg.h``; the names and constants below are the same.
"""

import ctypes
import ctypes.util
import os

from ctypes import (POINTER, Structure, c_char_p, c_double, c_int, c_int64,
                    c_size_t, c_uint, c_uint64, c_void_p)

# The C API's major.minor this binding was written against: within 0.x a
# new minor version may change the ABI (struct layouts, signatures).
ABI_VERSION = (0, 2)

# ---- return codes (kg.h) ----------------------------------------------------
KG_OK = 0
KG_INTERNAL = 1
KG_INVALID = 2
KG_NOTFOUND = 3
KG_LOCKED = 4
KG_CORRUPT = 5
KG_IOERR = 6
KG_FULL = 7
KG_TIMEOUT = 8
KG_CANCELLED = 9
KG_MISUSE = 10
KG_ROW = 100
KG_DONE = 101

KG_TERM_UNBOUND = 0
KG_TERM_IRI = 1
KG_TERM_BLANK = 2
KG_TERM_LITERAL = 3

KG_RESULT_BINDINGS = 1
KG_RESULT_BOOLEAN = 2
KG_RESULT_GRAPH = 3
KG_RESULT_QUADS = 4

KG_LOAD_SKIP_BAD = 1
KG_LOAD_COMPRESS_FOR_SIZE = 2


# ---- structures (kg.h) ------------------------------------------------------
class kg_term(Structure):
    _fields_ = [("kind", c_int), ("value", c_char_p), ("datatype", c_char_p),
                ("language", c_char_p)]


class kg_load_stats(Structure):
    _fields_ = [("statements", c_uint64), ("quads_added", c_uint64),
                ("duplicates", c_uint64), ("bad_statements", c_uint64),
                ("bytes_read", c_uint64), ("seconds", c_double)]


class kg_load_options(Structure):
    _fields_ = [("format", c_char_p), ("graph", c_char_p),
                ("base_iri", c_char_p), ("flags", c_uint)]


class kg_update_stats(Structure):
    _fields_ = [("inserted", c_uint64), ("removed", c_uint64),
                ("seconds", c_double)]


class kg_export_options(Structure):
    _fields_ = [("format", c_char_p), ("query", c_char_p),
                ("around", c_char_p), ("hops", c_int), ("graph", c_char_p),
                ("title", c_char_p)]


# Handles are opaque: plain pointers.
kg_db_p = c_void_p
kg_options_p = c_void_p
kg_txn_p = c_void_p
kg_result_p = c_void_p

# name: (restype, argtypes)
_SIGNATURES = {
    "kg_version": (c_char_p, []),
    "kg_version_number": (c_int, []),
    "kg_errstr": (c_char_p, [c_int]),
    "kg_free": (None, [c_void_p]),
    "kg_options_new": (kg_options_p, []),
    "kg_options_free": (None, [kg_options_p]),
    "kg_options_set_create_if_missing": (None, [kg_options_p, c_int]),
    "kg_options_set_read_only": (None, [kg_options_p, c_int]),
    "kg_options_set_durable_commits": (None, [kg_options_p, c_int]),
    "kg_options_set_block_cache_bytes": (None, [kg_options_p, c_uint64]),
    "kg_options_set_term_cache_bytes": (None, [kg_options_p, c_uint64]),
    "kg_options_set_adjacency_cache_bytes": (None, [kg_options_p, c_uint64]),
    "kg_options_set_warm_in_background": (None, [kg_options_p, c_int]),
    "kg_options_set_query_timeout_ms": (None, [kg_options_p, c_int64]),
    "kg_options_set_memory_limit_bytes": (None, [kg_options_p, c_uint64]),
    "kg_options_set_strict_dataset": (None, [kg_options_p, c_int]),
    "kg_options_set_allow_file_access": (None, [kg_options_p, c_int]),
    "kg_open": (c_int, [c_char_p, kg_options_p, POINTER(kg_db_p)]),
    "kg_close": (None, [kg_db_p]),
    "kg_interrupt": (None, [kg_db_p]),
    "kg_errmsg": (c_char_p, [kg_db_p]),
    "kg_errcode": (c_int, [kg_db_p]),
    "kg_begin": (c_int, [kg_db_p, POINTER(kg_txn_p)]),
    "kg_insert": (c_int, [kg_txn_p, c_char_p, c_char_p, c_char_p, c_char_p]),
    "kg_remove": (c_int, [kg_txn_p, c_char_p, c_char_p, c_char_p, c_char_p]),
    "kg_insert_terms": (c_int, [kg_txn_p, POINTER(kg_term), POINTER(kg_term),
                                POINTER(kg_term), POINTER(kg_term)]),
    "kg_remove_terms": (c_int, [kg_txn_p, POINTER(kg_term), POINTER(kg_term),
                                POINTER(kg_term), POINTER(kg_term)]),
    "kg_txn_match": (c_int, [kg_txn_p, c_char_p, c_char_p, c_char_p,
                             c_char_p, POINTER(kg_result_p)]),
    "kg_commit": (c_int, [kg_txn_p]),
    "kg_rollback": (None, [kg_txn_p]),
    "kg_load_file": (c_int, [kg_db_p, c_char_p, POINTER(kg_load_options),
                             POINTER(kg_load_stats)]),
    "kg_load_buffer": (c_int, [kg_db_p, c_char_p, c_size_t,
                               POINTER(kg_load_options),
                               POINTER(kg_load_stats)]),
    "kg_query": (c_int, [kg_db_p, c_char_p, POINTER(kg_result_p)]),
    "kg_ask": (c_int, [kg_db_p, c_char_p, POINTER(c_int)]),
    "kg_match": (c_int, [kg_db_p, c_char_p, c_char_p, c_char_p, c_char_p,
                         POINTER(kg_result_p)]),
    "kg_result_type": (c_int, [kg_result_p]),
    "kg_result_boolean": (c_int, [kg_result_p]),
    "kg_result_column_count": (c_int, [kg_result_p]),
    "kg_result_column_name": (c_char_p, [kg_result_p, c_int]),
    "kg_result_column_index": (c_int, [kg_result_p, c_char_p]),
    "kg_result_step": (c_int, [kg_result_p]),
    "kg_result_kind": (c_int, [kg_result_p, c_int]),
    # A pointer, not c_char_p: the lexical form may hold NUL characters, so
    # it is read with string_at and kg_result_lexical_length.
    "kg_result_lexical": (c_void_p, [kg_result_p, c_int]),
    "kg_result_lexical_length": (c_size_t, [kg_result_p, c_int]),
    "kg_result_datatype": (c_char_p, [kg_result_p, c_int]),
    "kg_result_language": (c_char_p, [kg_result_p, c_int]),
    "kg_result_ntriples": (c_char_p, [kg_result_p, c_int]),
    "kg_result_free": (None, [kg_result_p]),
    "kg_update": (c_int, [kg_db_p, c_char_p, POINTER(kg_update_stats)]),
    # char ** results are read as void pointers: they must go back to kg_free.
    "kg_explain": (c_int, [kg_db_p, c_char_p, c_int, POINTER(c_void_p)]),
    "kg_export": (c_int, [kg_db_p, c_char_p, POINTER(kg_export_options)]),
    "kg_count": (c_int, [kg_db_p, POINTER(c_uint64)]),
    "kg_statistics": (c_int, [kg_db_p, POINTER(c_void_p)]),
    "kg_check": (c_int, [kg_db_p, POINTER(c_void_p)]),
    "kg_compact": (c_int, [kg_db_p]),
}


def _package_dir():
    return os.path.dirname(os.path.abspath(__file__))


def _installed_path():
    """The path _library_path.py names, or None when there is no such file."""
    try:
        from . import _library_path  # written by the install step
    except ImportError:
        return None
    library = getattr(_library_path, "LIBRARY", None)
    if not library:
        return None
    library = os.fspath(library)
    if not os.path.isabs(library):
        library = os.path.normpath(os.path.join(_package_dir(), library))
    return library


def _load():
    tried = []
    env = os.environ.get("KGSTORE_LIBRARY")
    if env:
        try:
            return ctypes.CDLL(env), env
        except OSError as error:
            raise ImportError(
                "kgstore: cannot load the library named by KGSTORE_LIBRARY "
                "(%r): %s" % (env, error)) from None
    tried.append("KGSTORE_LIBRARY (not set)")

    installed = _installed_path()
    if installed is not None:
        try:
            return ctypes.CDLL(installed), installed
        except OSError as error:
            tried.append("%s (from %s): %s" % (
                installed, os.path.join(_package_dir(), "_library_path.py"),
                error))
    else:
        tried.append("%s (no such file)"
                     % os.path.join(_package_dir(), "_library_path.py"))

    found = ctypes.util.find_library("kgstore")
    if found:
        try:
            return ctypes.CDLL(found), found
        except OSError as error:
            tried.append("find_library('kgstore') -> %s: %s" % (found, error))
    else:
        tried.append("ctypes.util.find_library('kgstore') (found nothing)")
    raise ImportError(
        "kgstore: cannot find libkgstore. Tried:\n  - " + "\n  - ".join(tried)
        + "\nSet KGSTORE_LIBRARY to the library's path (e.g. "
        "/usr/local/lib/libkgstore.so.%d.%d), or install kgstore with "
        "`cmake --install`." % ABI_VERSION)


def _declare(library):
    for name, (restype, argtypes) in _SIGNATURES.items():
        try:
            function = getattr(library, name)
        except AttributeError:
            raise ImportError(
                "kgstore: %s has no function %s (an older or newer library?)"
                % (LIBRARY_PATH, name)) from None
        function.restype = restype
        function.argtypes = argtypes


lib, LIBRARY_PATH = _load()
_declare(lib)

LIBRARY_VERSION = lib.kg_version().decode("ascii")
_number = lib.kg_version_number()
if (_number // 1000000, _number // 1000 % 1000) != ABI_VERSION:
    raise ImportError(
        "kgstore: %s is version %s, but this binding is for %d.%d.x (within "
        "0.x each minor version may change the ABI)"
        % (LIBRARY_PATH, LIBRARY_VERSION, ABI_VERSION[0], ABI_VERSION[1]))
