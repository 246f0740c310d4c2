"""Row: a row of a SELECT result, a tuple that is also read by variable
name, and the cached Row class per tuple of variable names that Result
(kgstore._database) makes its rows with. Its own module because it stands
alone: a plain tuple subclass that knows nothing of the C API."""

import functools


class Row(tuple):
    """A row of a SELECT: a tuple (one cell per variable, None when unbound)
    that is also read by variable name: ``row["x"]``, ``row.x`` (when the
    name is not a tuple method), ``row.get("x")``, ``row.keys()``,
    ``row.asdict()`` (bound variables only), like sqlite3.Row."""

    __slots__ = ()
    _fields = ()
    _index = {}

    def __getitem__(self, key):
        if isinstance(key, str):
            try:
                return tuple.__getitem__(self, self._index[key.lstrip("?$")])
            except KeyError:
                raise KeyError(key) from None
        return tuple.__getitem__(self, key)

    def __getattr__(self, name):
        try:
            return tuple.__getitem__(self, type(self)._index[name])
        except KeyError:
            raise AttributeError(name) from None

    def get(self, key, default=None):
        index = self._index.get(key.lstrip("?$"))
        if index is None:
            return default
        value = tuple.__getitem__(self, index)
        return default if value is None else value

    def keys(self):
        return list(self._fields)

    def asdict(self):
        return {name: value for name, value in zip(self._fields, self)
                if value is not None}

    def __repr__(self):
        return "Row(%s)" % ", ".join(
            "%s=%r" % pair for pair in zip(self._fields, self))


@functools.lru_cache(maxsize=256)
def _row_class(names):
    """The Row class for a tuple of variable names. Cached: making a class
    costs about 13 µs, half of a one-row query's time in the binding."""
    return type("Row", (Row,), {"__slots__": (), "_fields": names,
                                "_index": {n: i for i, n in enumerate(names)}})
