"""Where the rdflib store puts FROM and VALUES into a query's text."""

import pytest

from kgstore._sparql_text import QueryShape, insert


def shape(text):
    return QueryShape(text)


@pytest.mark.parametrize("text, form, from_word, values_after", [
    ("SELECT * WHERE { ?s ?p ?o }", "SELECT", "WHERE", "{"),
    ("select ?s { ?s ?p ?o }", "SELECT", "{", "{"),
    ("PREFIX ex: <http://ex/> BASE <http://b/>\nASK { ex:a ?p ?o }", "ASK",
     "{", "{"),
    ("CONSTRUCT { ?s <http://p> ?o } WHERE { ?s ?q ?o }", "CONSTRUCT",
     "WHERE", "{"),
    ("CONSTRUCT WHERE { ?s ?p ?o }", "CONSTRUCT", "WHERE", None),
    ("DESCRIBE <http://ex/a>", "DESCRIBE", "", None),
    ("DESCRIBE ?x WHERE { ?x ?p ?o } LIMIT 1", "DESCRIBE", "WHERE", "{"),
    ("SELECT (EXISTS { ?a ?b ?c } AS ?e) # { not this\n"
     "WHERE { ?s ?p '{' }", "SELECT", "WHERE", "{"),
    ("SELECT ?x WHERE { ?x <http://p> \"\"\"a { \"quoted\" }\"\"\" }",
     "SELECT", "WHERE", "{"),
])
def test_shapes(text, form, from_word, values_after):
    found = shape(text)
    assert found.form == form
    assert not found.has_dataset
    if from_word:
        assert text[found.from_at:].upper().startswith(from_word)
    else:
        assert found.from_at == len(text)
    if values_after is None:
        assert found.values_at is None
    else:
        assert text[found.values_at - 1] == values_after


def test_own_dataset_and_not_queries():
    assert shape("SELECT * FROM <http://g> WHERE { ?s ?p ?o }").has_dataset
    assert shape("SELECT * FROM NAMED <http://g> { GRAPH ?g {} }").has_dataset
    assert not shape("SELECT * WHERE { ?s <http://ex/from> ?o }").has_dataset
    assert shape("INSERT DATA { <http://a> <http://b> 1 }").form is None
    assert shape("# just a comment").form is None


def test_insert():
    text = "SELECT * WHERE { ?s ?p ?o }"
    found = shape(text)
    with_from = insert(text, found.from_at, "FROM <http://g>")
    assert with_from == "SELECT * \nFROM <http://g>\nWHERE { ?s ?p ?o }"
    with_values = insert(text, found.values_at, "VALUES ?s { <http://a> }")
    assert with_values.startswith("SELECT * WHERE {\nVALUES ?s")
