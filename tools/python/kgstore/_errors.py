"""kgstore's exceptions: one class per C API return code."""

import builtins
import re

from . import _capi


class Error(Exception):
    """Base of every error kgstore raises.

    ``code`` is the C API's return code (``kgstore.KG_INVALID``, ...),
    ``codename`` its name ("KG_INVALID") and ``message`` the library's
    message (kg_errmsg), which is also ``str(error)``.
    """

    code = None

    def __init__(self, message, code=None):
        if code is not None:
            self.code = code
        self.message = message
        super().__init__(message)

    @property
    def codename(self):
        if self.code is None:
            return None
        return _capi.lib.kg_errstr(self.code).decode("ascii")

    def __str__(self):
        return self.message


class InternalError(Error):
    """KG_INTERNAL: an unexpected failure inside kgstore (a bug)."""
    code = _capi.KG_INTERNAL


class InvalidError(Error, ValueError):
    """KG_INVALID: bad input (syntax error, bad term, unknown format,
    unsupported construct, bad argument value)."""
    code = _capi.KG_INVALID


class ParseError(InvalidError):
    """KG_INVALID for a syntax error; ``line`` and ``column`` (from 1) say
    where, ``source`` is the file for RDF input (None for queries)."""

    def __init__(self, message, code=None, line=None, column=None,
                 source=None):
        super().__init__(message, code)
        self.line = line
        self.column = column
        self.source = source


class NotFoundError(Error):
    """KG_NOTFOUND: no store at the path (and not created), no such file,
    no such graph."""
    code = _capi.KG_NOTFOUND


class LockedError(Error):
    """KG_LOCKED: the store is in use by another process, opened read-only,
    not a kgstore store, or the transaction is finished."""
    code = _capi.KG_LOCKED


class CorruptError(Error):
    """KG_CORRUPT: the store is damaged (see Database.check)."""
    code = _capi.KG_CORRUPT


class InputOutputError(Error, OSError):
    """KG_IOERR: an I/O error."""
    code = _capi.KG_IOERR


class LimitError(Error):
    """KG_FULL: disk full, or a limit reached (the memory cap)."""
    code = _capi.KG_FULL


class TimeoutError(Error, builtins.TimeoutError):
    """KG_TIMEOUT: the query timeout passed. Also a builtin TimeoutError."""
    code = _capi.KG_TIMEOUT


class CancelledError(Error):
    """KG_CANCELLED: the call was cancelled (Database.interrupt)."""
    code = _capi.KG_CANCELLED


class MisuseError(Error):
    """KG_MISUSE: the API was used wrongly (also raised by the binding for
    uses of a closed database, result or transaction)."""
    code = _capi.KG_MISUSE


ERRORS_BY_CODE = {
    cls.code: cls
    for cls in (InternalError, InvalidError, NotFoundError, LockedError,
                CorruptError, InputOutputError, LimitError, TimeoutError,
                CancelledError, MisuseError)
}

_QUERY_POSITION = re.compile(r"^line (\d+), column (\d+):")
_SOURCE_POSITION = re.compile(r"^(.*?):(\d+):(\d+): ")


def error_for(code, message):
    """The exception for a return code and message."""
    if code == _capi.KG_INVALID:
        found = _QUERY_POSITION.match(message)
        if found:
            return ParseError(message, code, int(found.group(1)),
                              int(found.group(2)))
        found = _SOURCE_POSITION.match(message)
        if found:
            return ParseError(message, code, int(found.group(2)),
                              int(found.group(3)), found.group(1))
    cls = ERRORS_BY_CODE.get(code, Error)
    error = cls(message, code)
    return error
