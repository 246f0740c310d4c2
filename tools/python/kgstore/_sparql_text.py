"""Just enough of SPARQL's lexical structure to add to a query's text: a
dataset clause (FROM / FROM NAMED) and an inline VALUES block at the start
of the WHERE group. Used by the rdflib store to pass queries through."""

import re

_TOKEN = re.compile(r'''
   (?P<ws>\s+)
 | (?P<comment>\#[^\n\r]*)
 | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
 | (?P<string>"""(?:[^"\\]|\\.|"(?!""))*"""
             |\'\'\'(?:[^'\\]|\\.|'(?!''))*\'\'\'
             |"(?:[^"\\\n\r]|\\.)*"
             |'(?:[^'\\\n\r]|\\.)*')
 | (?P<var>[?$][^\s{}()\[\];,.<>"'\#=!&|+*/^@-]+)
 | (?P<word>[^\W\d][\w\-]*(?::[^\s{}()\[\];,<>"'\#]*)?|:[^\s{}()\[\];,<>"'\#]*)
 | (?P<other>.)
''', re.X | re.S)

_FORMS = ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")
_MODIFIERS = ("GROUP", "HAVING", "ORDER", "LIMIT", "OFFSET", "VALUES")


def _tokens(text):
    out = []
    for found in _TOKEN.finditer(text):
        kind = found.lastgroup
        if kind in ("ws", "comment"):
            continue
        value = found.group()
        if kind == "word" and ":" not in value:
            value = value.upper()
        out.append((kind, value, found.start(), found.end()))
    return out


class QueryShape:
    """Where things go in a query's text.

    form: "SELECT", "ASK", "CONSTRUCT", "DESCRIBE" (None: not a query).
    has_dataset: the query has FROM / FROM NAMED of its own.
    from_at: offset where a dataset clause may be inserted.
    values_at: offset just inside the WHERE group's "{" (None when a VALUES
      block cannot go there: CONSTRUCT WHERE { triples }, DESCRIBE without
      WHERE)."""

    def __init__(self, text):
        self.form = None
        self.has_dataset = False
        self.from_at = None
        self.values_at = None
        tokens = _tokens(text)
        i = 0
        while i < len(tokens):
            kind, value, _, _ = tokens[i]
            if kind == "word" and value in ("PREFIX", "BASE"):
                i += 1
                continue
            if kind == "word" and value in _FORMS:
                self.form = value
                i += 1
                break
            if kind in ("iri", "word"):  # a PREFIX's name or IRI, BASE's IRI
                i += 1
                continue
            return
        if self.form is None:
            return
        short_construct = False
        if self.form == "CONSTRUCT" and i < len(tokens):
            if tokens[i][1] == "{":
                depth = 0
                while i < len(tokens):
                    if tokens[i][1] == "{":
                        depth += 1
                    elif tokens[i][1] == "}":
                        depth -= 1
                        if depth == 0:
                            i += 1
                            break
                    i += 1
            else:
                short_construct = True
        parens = 0
        while i < len(tokens):
            kind, value, start, end = tokens[i]
            if kind == "other" and value == "(":
                parens += 1
            elif kind == "other" and value == ")":
                parens -= 1
            elif parens == 0:
                if kind == "word" and value == "FROM":
                    self.has_dataset = True
                elif kind == "word" and value == "WHERE":
                    self.from_at = start
                    if (not short_construct and i + 1 < len(tokens)
                            and tokens[i + 1][1] == "{"):
                        self.values_at = tokens[i + 1][3]
                    return
                elif kind == "other" and value == "{":
                    self.from_at = start
                    if not short_construct:
                        self.values_at = end
                    return
                elif (kind == "word" and value in _MODIFIERS
                      and self.form == "DESCRIBE"):
                    self.from_at = start
                    return
            i += 1
        if self.form == "DESCRIBE":
            self.from_at = len(text)


def insert(text, offset, addition):
    return text[:offset] + "\n" + addition + "\n" + text[offset:]
