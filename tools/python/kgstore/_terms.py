"""Terms in and out of the C API.

In (arguments of add, remove, match, load's graph, export's around): an
rdflib term (URIRef, BNode, Literal; a Graph stands for its identifier), a
kgstore ``IRI`` or ``BlankNode``, a Python bool, int, float or
decimal.Decimal (a typed literal), or a ``str`` already in N-Triples syntax
("<http://ex/a>", "_:b", '"text"@en', '"1"^^<...#integer>').

Out (cells of results): rdflib terms, plain Python values or N-Triples
strings, as the Database's ``terms`` setting says.
"""

import ctypes
import decimal
import re

from . import _capi
from ._capi import lib

try:  # rdflib is optional
    from rdflib.term import BNode as _RdfBNode
    from rdflib.term import Literal as _RdfLiteral
    from rdflib.term import URIRef as _RdfURIRef
    from rdflib.term import Node as _RdfNode
    HAVE_RDFLIB = True
except ImportError:  # pragma: no cover - exercised only without rdflib
    _RdfBNode = _RdfLiteral = _RdfURIRef = _RdfNode = None
    HAVE_RDFLIB = False

XSD = "http://www.w3.org/2001/XMLSchema#"
XSD_STRING = XSD + "string"
RDF_LANGSTRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"


class IRI(str):
    """An IRI given or returned as a plain string (no angle brackets)."""
    __slots__ = ()

    def __repr__(self):
        return "IRI(%s)" % str.__repr__(self)

    def n3(self):
        return "<" + _escape_iri(self) + ">"


class BlankNode(str):
    """A blank node's label (no "_:"), as returned when rdflib is not used.
    Labels the store handed out name that node when given back."""
    __slots__ = ()

    def __repr__(self):
        return "BlankNode(%s)" % str.__repr__(self)

    def n3(self):
        return "_:" + self


# ---- in -------------------------------------------------------------------

_LITERAL_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r",
                    "\0": "\\u0000"}
_LITERAL_SPECIAL = re.compile(r'[\\"\n\r\0]')
# Characters N-Triples does not allow raw in an IRIREF.
_IRI_SPECIAL = re.compile(r'[\x00-\x20<>"{}|^`\\]')


def _escape_literal(text):
    return _LITERAL_SPECIAL.sub(lambda m: _LITERAL_ESCAPES[m.group()], text)


def _escape_iri(text):
    return _IRI_SPECIAL.sub(lambda m: "\\u%04X" % ord(m.group()), text)


def _encode(text):
    return text.encode("utf-8", "surrogateescape")


def _python_literal(value):
    """(lexical, datatype) of a Python value, or None."""
    if isinstance(value, bool):
        return ("true" if value else "false"), XSD + "boolean"
    if isinstance(value, int):
        return str(value), XSD + "integer"
    if isinstance(value, float):
        if value != value:
            return "NaN", XSD + "double"
        if value in (float("inf"), float("-inf")):
            return ("INF" if value > 0 else "-INF"), XSD + "double"
        return repr(value), XSD + "double"
    if isinstance(value, decimal.Decimal):
        if not value.is_finite():
            raise ValueError("xsd:decimal cannot hold %r" % (value,))
        text = format(value, "f")
        if "." not in text:
            text += ".0"
        return text, XSD + "decimal"
    return None


def _parts(term, what):
    """(kind, value, datatype, language) of a term that is not N-Triples
    text, or None for a str (already N-Triples)."""
    if HAVE_RDFLIB and isinstance(term, _RdfNode):
        if isinstance(term, _RdfURIRef):
            return _capi.KG_TERM_IRI, str(term), None, None
        if isinstance(term, _RdfBNode):
            return _capi.KG_TERM_BLANK, str(term), None, None
        if isinstance(term, _RdfLiteral):
            if term.language:
                return (_capi.KG_TERM_LITERAL, str(term), None,
                        term.language)
            datatype = term.datatype
            return (_capi.KG_TERM_LITERAL, str(term),
                    str(datatype) if datatype is not None else None, None)
        identifier = getattr(term, "identifier", None)  # a Graph
        if identifier is not None and identifier is not term:
            return _parts(identifier, what)
        raise TypeError("%s: cannot store %r (%s)"
                        % (what, term, type(term).__name__))
    if isinstance(term, IRI):
        return _capi.KG_TERM_IRI, str(term), None, None
    if isinstance(term, BlankNode):
        return _capi.KG_TERM_BLANK, str(term), None, None
    if isinstance(term, str):
        return None
    literal = _python_literal(term)
    if literal is not None:
        return _capi.KG_TERM_LITERAL, literal[0], literal[1], None
    identifier = getattr(term, "identifier", None)  # a Graph
    if identifier is not None:
        return _parts(identifier, what)
    raise TypeError(
        "%s: expected an rdflib term, kgstore.IRI, kgstore.BlankNode, a "
        "bool/int/float/Decimal or a str in N-Triples syntax; got %r"
        % (what, term))


def to_ntriples(term, what="term"):
    """The term in N-Triples syntax, as str."""
    parts = _parts(term, what)
    if parts is None:
        return term
    kind, value, datatype, language = parts
    if kind == _capi.KG_TERM_IRI:
        return "<" + _escape_iri(value) + ">"
    if kind == _capi.KG_TERM_BLANK:
        return "_:" + value
    text = '"' + _escape_literal(value) + '"'
    if language:
        return text + "@" + language
    if datatype and datatype != XSD_STRING:
        return text + "^^<" + _escape_iri(datatype) + ">"
    return text


def ntriples_arg(term, what="term"):
    """bytes for a char * argument (None stays None)."""
    if term is None:
        return None
    return _encode(to_ntriples(term, what))


def struct_arg(term, what="term"):
    """A kg_term for a structured argument, or None when the term must go
    as N-Triples text (it is a str, or has a NUL character, which a C string
    cannot carry)."""
    parts = _parts(term, what)
    if parts is None:
        return None
    kind, value, datatype, language = parts
    if "\0" in value:
        return None
    return _capi.kg_term(kind, _encode(value),
                         _encode(datatype) if datatype else None,
                         _encode(language) if language else None)


# ---- out ------------------------------------------------------------------

_INTEGER = re.compile(r"^[+-]?[0-9]+$")
_DECIMAL = re.compile(r"^[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)$")
_DOUBLE = re.compile(
    r"^([+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?|[+-]?INF|NaN)$")
_INTEGER_TYPES = {XSD + name for name in (
    "integer", "long", "int", "short", "byte", "nonNegativeInteger",
    "positiveInteger", "nonPositiveInteger", "negativeInteger",
    "unsignedLong", "unsignedInt", "unsignedShort", "unsignedByte")}


def _to_int(text):
    if not _INTEGER.match(text):
        raise ValueError(text)
    return int(text)


def _to_decimal(text):
    if not _DECIMAL.match(text):
        raise ValueError(text)
    return decimal.Decimal(text)


def _to_double(text):
    if not _DOUBLE.match(text):
        raise ValueError(text)
    return float(text)


def _to_bool(text):
    if text in ("true", "1"):
        return True
    if text in ("false", "0"):
        return False
    raise ValueError(text)


_PYTHON_CONVERTERS = {XSD + "decimal": _to_decimal, XSD + "double": _to_double,
                      XSD + "float": _to_double, XSD + "boolean": _to_bool}
_PYTHON_CONVERTERS.update({name: _to_int for name in _INTEGER_TYPES})


def python_literal(lexical, datatype, language):
    """A literal as a plain Python value: int, float, bool, Decimal by
    datatype; str otherwise (and when the lexical form is not valid)."""
    if language is None:
        convert = _PYTHON_CONVERTERS.get(datatype)
        if convert is not None:
            try:
                return convert(lexical)
            except (ValueError, decimal.InvalidOperation):
                pass
    return lexical


TERM_MODES = ("rdflib", "python", "ntriples")


def default_mode():
    return "rdflib" if HAVE_RDFLIB else "python"


class CellReader:
    """Reads the cells of a result's current row in one of the modes:
    "rdflib" (URIRef, BNode, Literal), "python" (IRI and BlankNode str
    subclasses, int/float/bool/Decimal/str literals) or "ntriples" (each
    cell in N-Triples syntax). Unbound cells are None.

    ``blank`` (optional) maps a store's blank node label to the label
    returned (the rdflib store uses it for the labels its user chose)."""

    def __init__(self, mode, blank=None):
        if mode not in TERM_MODES:
            raise ValueError("terms must be one of %s, not %r"
                             % (", ".join(TERM_MODES), mode))
        if mode == "rdflib" and not HAVE_RDFLIB:
            raise ImportError("terms='rdflib' needs rdflib (Debian: "
                              "python3-rdflib)")
        self.mode = mode
        self.blank = blank
        self._datatypes = {}  # bytes -> str / URIRef

    def _datatype(self, raw):
        """(datatype IRI as str, as the mode's term) for the C string."""
        found = self._datatypes.get(raw)
        if found is None:
            text = raw.decode("utf-8", "surrogateescape")
            found = (text, _RdfURIRef(text) if self.mode == "rdflib" else text)
            self._datatypes[raw] = found
        return found

    def cell(self, result, col, _string_at=ctypes.string_at):
        kind = lib.kg_result_kind(result, col)
        if kind == _capi.KG_TERM_UNBOUND:
            return None
        mode = self.mode
        if mode == "ntriples":
            return lib.kg_result_ntriples(result, col).decode(
                "utf-8", "surrogateescape")
        lexical = _string_at(lib.kg_result_lexical(result, col),
                             lib.kg_result_lexical_length(result, col)).decode(
                                 "utf-8", "surrogateescape")
        if kind == _capi.KG_TERM_IRI:
            return _RdfURIRef(lexical) if mode == "rdflib" else IRI(lexical)
        if kind == _capi.KG_TERM_BLANK:
            if self.blank is not None:
                lexical = self.blank(lexical)
            return _RdfBNode(lexical) if mode == "rdflib" else BlankNode(
                lexical)
        language = lib.kg_result_language(result, col)
        if language is not None:
            language = language.decode("ascii", "replace")
        datatype, term = self._datatype(lib.kg_result_datatype(result, col))
        if mode == "rdflib":
            if language is not None:
                return _RdfLiteral(lexical, lang=language)
            if datatype == XSD_STRING:
                return _RdfLiteral(lexical)
            return _RdfLiteral(lexical, datatype=term, normalize=False)
        return python_literal(lexical, datatype, language)

    def row(self, result, width):
        cell = self.cell
        return [cell(result, col) for col in range(width)]
