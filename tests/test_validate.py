"""SHACL validation: the bundled graph conforms, broken graphs do not, with the right reasons."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import RDF, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, SKOS
from test_rdf import small_graph

from kg.cli import main
from kg.errors import InputError
from kg.rdf import MLS, to_rdf, write_turtle
from kg.validate import format_report, shapes_graph, validate
from kg.vocab import DEFAULT_BASE_IRI, KGV

B = DEFAULT_BASE_IRI


def good_graph() -> Graph:
    """The small test graph, with evidence on its one evidence-less edge (as builds have)."""
    g = small_graph()
    g.edges["model/llama-2", "model/llama", "variant_of"].update(
        support=1, evidence=[{"paper": "p1", "sentence": "We propose LLaMA-2"}]
    )
    return to_rdf(g)


def test_shapes_parse_and_cover_every_node_kind() -> None:
    shapes = shapes_graph()
    sh = "http://www.w3.org/ns/shacl#"
    targets = set(shapes.objects(None, URIRef(sh + "targetClass")))
    assert {MLS.Model, MLS.Dataset, KGV.Relation, KGV.Evidence} <= targets


def test_small_graph_conforms() -> None:
    report = validate(good_graph())
    assert report.conforms, format_report(report)
    assert format_report(report) == "graph: conforms to the kg shapes (0 violations)\n"


def test_bundled_graph_conforms(bundled_exports: Path) -> None:
    report = validate(bundled_exports)
    assert report.conforms, format_report(report)
    assert report.violations == []


def test_broken_graph_reports_each_violation() -> None:
    g = good_graph()
    llama, p1 = URIRef(B + "model/llama"), URIRef(B + "paper/p1")
    g.remove((llama, SKOS.prefLabel, None))  # entity without a preferred label
    g.remove((p1, DCTERMS.title, None))  # paper without a title
    rel = URIRef(f"{B}relation/dataset/mmlu/measured_by/metric/accuracy")
    g.remove((rel, KGV.evidence, None))  # relation without evidence
    g.add((URIRef(B + "dataset/mmlu"), RDF.type, MLS.Model))  # two of the five classes
    g.add((p1, KGV.sourceLine, Literal("ten")))  # wrong datatype
    report = validate(g)
    assert not report.conforms
    found = {(v.focus, v.path) for v in report.violations}
    assert found == {
        ("model:llama", "skos:prefLabel"),
        ("paper:p1", "dcterms:title"),
        (str(rel), "kgv:evidence"),
        ("dataset:mmlu", "rdf:type"),
        ("paper:p1", "kgv:sourceLine"),
        # mmlu, now a model too, is still measured by accuracy: fine; but its relation to
        # the papers is now one-sided (evidence gone, prov:wasDerivedFrom kept)
        (B, ""),
    }
    messages = {v.path: v.message for v in report.violations}
    assert "exactly one non-empty skos:prefLabel" in messages["skos:prefLabel"]
    assert "exactly one non-empty dcterms:title" in messages["dcterms:title"]
    assert "five ML-Schema classes" in messages["rdf:type"]
    text = format_report(report)
    assert text.startswith("graph: does not conform: 7 violations\n")
    assert "  violation: model:llama  skos:prefLabel: an entity has exactly one" in text


def test_dangling_relation_and_wrong_classes() -> None:
    g = good_graph()
    resnet, imagenet = URIRef(B + "method/resnet-50"), URIRef(B + "dataset/imagenet")
    g.remove((resnet, KGV.evaluatedOn, imagenet))  # reified relation without its triple
    g.add((URIRef(B + "model/llama"), KGV.evaluatedOn, URIRef(B + "metric/accuracy")))
    report = validate(g)
    messages = [v.message for v in report.violations]
    assert any("evaluated_on/dataset/imagenet: the triple it stands for" in m for m in messages)
    assert any("links a model or method to an mls:Dataset" in m for m in messages)


def test_cli_validate(bundled_exports: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    g = good_graph()
    g.remove((URIRef(B + "paper/p2"), DCTERMS.title, None))
    bad = tmp_path / "bad.ttl"
    write_turtle(g, bad)
    result = runner.invoke(main, ["validate", str(bad)])
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        f"{bad}: does not conform: 1 violation",
        "  violation: paper:p2  dcterms:title: a paper has exactly one non-empty dcterms:title",
    ]
    result = runner.invoke(main, ["validate", str(tmp_path / "none.ttl")])
    assert result.exit_code == 1 and "no such file" in result.output
    with pytest.raises(InputError):
        validate(tmp_path / "none.ttl")
