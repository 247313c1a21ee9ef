"""The fast paths of kg.rdf (bulk store fill, term cache) change nothing observable."""

from __future__ import annotations

import pytest
from rdflib import RDF, XSD, BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import PROV
from test_rdf import small_graph

from kg.rdf import new_graph, serialize_turtle, to_rdf
from kg.vocab import KGV

EX = Namespace("http://ex.org/")


def test_graph_from_to_rdf_equals_one_made_with_graph_add() -> None:
    rdf = to_rdf(small_graph())
    slow = new_graph()
    for triple in rdf:
        slow.add(triple)
    assert len(rdf) == len(slow) == len(set(rdf))
    assert serialize_turtle(rdf) == serialize_turtle(slow)
    # every index of the store is filled: lookups by predicate/object answer the same
    evidence = set(rdf.subjects(RDF.type, KGV.Evidence))
    assert evidence and evidence == set(slow.subjects(RDF.type, KGV.Evidence))
    for node in evidence:
        assert len(list(rdf.objects(node, KGV.sentence))) == 1
        assert set(rdf.subjects(KGV.evidence, node)) == set(slow.subjects(KGV.evidence, node))
        assert set(rdf.objects(node, PROV.wasDerivedFrom))


def test_writer_keeps_terms_apart_that_rdflib_calls_equal() -> None:
    graph = Graph()
    graph.bind("ex", EX)
    for obj in (Literal("x", lang="en"), Literal("x"), Literal("x", datatype=XSD.token)):
        graph.add((EX.s, EX.p, obj))
    graph.add((EX.t, EX.p, Literal("x", lang="EN")))  # == "x"@en in rdflib, printed as is
    graph.add((EX.t, EX.q, BNode("b")))
    graph.add((EX.t, EX.q, Literal(1)))
    assert serialize_turtle(graph) == (
        "@prefix ex: <http://ex.org/> .\n"
        "@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .\n\n"
        'ex:s\n    ex:p "x" , "x"@en , "x"^^xsd:token .\n\n'
        'ex:t\n    ex:p "x"@EN ;\n    ex:q _:b , 1 .\n'
    )


@pytest.mark.parametrize("position", ["subject", "object"])
def test_writer_rejects_invalid_iris(position: str) -> None:
    graph = Graph()
    bad = URIRef("http://ex.org/a<b>")
    graph.add((bad, EX.p, EX.o) if position == "subject" else (EX.s, EX.p, bad))
    with pytest.raises(Exception, match="does not look like a valid URI"):
        serialize_turtle(graph)
