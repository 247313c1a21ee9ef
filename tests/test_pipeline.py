"""The build's exports, read back by the tools users open them with."""

from __future__ import annotations

import csv
from pathlib import Path

import networkx as nx
import pyoxigraph
import rdflib

import kg
from kg.records import LABELS


def test_turtle_parses_in_rdflib_and_pyoxigraph(bundled, bundled_exports: Path) -> None:
    path = bundled_exports / "graph.ttl"
    parsed = rdflib.Graph().parse(path, format="turtle")
    assert len(parsed) == len(bundled.rdf) > 10_000
    store = pyoxigraph.Store()
    store.load(path=str(path), format=pyoxigraph.RdfFormat.TURTLE)
    assert len(store) == len(parsed)


def test_graphml_and_node_link_read_back(bundled, bundled_exports: Path) -> None:
    graphml = nx.read_graphml(bundled_exports / "graph.graphml", force_multigraph=True)
    assert graphml.number_of_nodes() == bundled.nx.number_of_nodes()
    assert graphml.number_of_edges() == bundled.nx.number_of_edges()
    loaded = kg.load(bundled_exports)
    assert sorted(loaded.nodes) == sorted(bundled.nx.nodes)
    assert sorted(loaded.edges(keys=True)) == sorted(bundled.nx.edges(keys=True))
    node = next(n for n, d in loaded.nodes(data=True) if d["kind"] == "model")
    assert loaded.nodes[node] == bundled.nx.nodes[node]


def test_entities_csv_has_one_row_per_entity(bundled, bundled_exports: Path) -> None:
    with (bundled_exports / "entities.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == len(bundled.resolution.entities)
    assert {r["label"] for r in rows} == set(LABELS)
    by_name = {r["name"].lower(): r for r in rows}
    assert int(by_name["imagenet"]["papers"]) >= 10


def test_counts_and_timings(bundled) -> None:
    counts = bundled.counts()
    assert counts["papers"] == 362
    assert all(counts[label] > 0 for label in LABELS)
    assert {"ingest", "extract", "resolve", "graph"} <= set(bundled.timings)


def test_base_iri_is_configurable(tmp_path: Path) -> None:
    src = tmp_path / "one.jsonl"
    src.write_text('{"id": "x1", "title": "BERT for NER", "abstract": "We fine-tune BERT."}\n')
    result = kg.build([src], base_iri="http://example.org/g/")
    subjects = {str(s) for s in result.rdf.subjects()}
    assert "http://example.org/g/paper/x1" in subjects
    assert not any(s.startswith("https://w3id.org/mlkg/paper/") for s in subjects)
