"""Every export format, read back by the usual parser, with the right counts."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import networkx as nx
import pytest
import rdflib
from click.testing import CliRunner

from kg.cli import main
from kg.errors import InputError, KgError
from kg.exports import export
from kg.records import LABELS


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("export")


@pytest.fixture(scope="module")
def turtle(bundled_exports: Path) -> rdflib.Graph:
    return rdflib.Graph().parse(bundled_exports / "graph.ttl", format="turtle")


def test_ntriples_parse_in_rdflib(bundled_exports: Path, out: Path, turtle) -> None:
    [path] = export(bundled_exports, "nt", out / "g.nt")
    lines = path.read_text("utf-8").splitlines()
    assert lines == sorted(lines) and len(lines) == len(turtle)
    parsed = rdflib.Graph().parse(path, format="nt")
    assert set(parsed) == set(turtle)


def test_jsonld_parses_offline_in_rdflib(bundled_exports: Path, out: Path, turtle) -> None:
    [path] = export(bundled_exports, "jsonld", out / "g.jsonld")
    doc = json.loads(path.read_text("utf-8"))
    assert isinstance(doc["@context"], dict)  # inline: nothing fetched
    assert doc["@context"]["mls"] == "http://www.w3.org/ns/mls#"
    ids = [node["@id"] for node in doc["@graph"]]
    assert ids == sorted(ids)
    imagenet = next(n for n in doc["@graph"] if n["@id"] == "dataset:imagenet")
    assert imagenet["@type"] == ["mls:Dataset"] and imagenet["skos:prefLabel"] == "ImageNet"
    assert isinstance(imagenet["kgv:paperCount"], int)
    parsed = rdflib.Graph().parse(path, format="json-ld")
    assert len(parsed) == len(turtle)
    assert set(parsed) == set(turtle)


def test_graphml_and_gexf_read_in_networkx(bundled, bundled_exports: Path, out: Path) -> None:
    nodes, edges = bundled.nx.number_of_nodes(), bundled.nx.number_of_edges()
    [graphml] = export(bundled_exports, "graphml", out / "g.graphml")
    g1 = nx.read_graphml(graphml, force_multigraph=True)
    assert (g1.number_of_nodes(), g1.number_of_edges()) == (nodes, edges)
    [gexf] = export(bundled_exports, "gexf", out / "g.gexf")
    g2 = nx.read_gexf(gexf)
    assert (g2.number_of_nodes(), g2.number_of_edges()) == (nodes, edges)
    assert g2.nodes["dataset/imagenet"]["label"] == "ImageNet"
    assert g2.nodes["dataset/imagenet"]["kg_id"] == "imagenet"
    kinds = {d["label"] for *_, d in g2.edges(data=True)}
    assert kinds == {k for *_, k in bundled.nx.edges(keys=True)}
    weights = [d["weight"] for *_, d in g2.edges(data=True)]
    assert min(weights) >= 1 and max(weights) >= 5


def test_node_link_json(bundled, bundled_exports: Path, out: Path) -> None:
    [path] = export(bundled_exports, "json", out / "g.json")
    data = json.loads(path.read_text("utf-8"))
    loaded = nx.node_link_graph(data, directed=True, multigraph=True, edges="edges", name="node")
    assert sorted(loaded.edges(keys=True)) == sorted(bundled.nx.edges(keys=True))


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_csv_tables(bundled, bundled_exports: Path, out: Path) -> None:
    paths = export(bundled_exports, "csv", out / "tables")
    assert [p.name for p in paths] == ["entities.csv", "mentions.csv", "relations.csv"]
    g = bundled.nx
    entities, mentions, relations = (read_csv(p) for p in paths)
    assert len(entities) == sum(1 for _, d in g.nodes(data=True) if d["kind"] != "paper")
    assert len(mentions) == sum(1 for *_, k in g.edges(keys=True) if k == "mentions")
    proposes = sum(1 for *_, k in g.edges(keys=True) if k == "proposes")
    assert sum(int(r["proposes"]) for r in mentions) == proposes
    keys = [(r["paper_id"], LABELS.index(r["label"]), r["entity"]) for r in mentions]
    assert keys == sorted(keys)
    entity_edges = [e for e in g.edges(keys=True) if e[2] not in ("mentions", "proposes")]
    assert len(relations) == len(entity_edges)
    row = next(
        r for r in relations if (r["source"], r["relation"]) == ("model/llama-2", "variant_of")
    )
    assert row["target"] == "model/llama" and row["target_name"] == "LLaMA"
    assert int(row["support"]) == len(row["paper_ids"].split("; "))
    # the build writes the same tables
    for p in paths:
        assert p.read_bytes() == (bundled_exports / p.name).read_bytes(), p.name


def test_exports_are_deterministic(bundled_exports: Path, out: Path) -> None:
    for fmt, name in (("nt", "g.nt"), ("jsonld", "g.jsonld"), ("gexf", "g.gexf")):
        first = export(bundled_exports, fmt, out / name)[0].read_bytes()
        again = export(bundled_exports, fmt, out / f"again-{name}")[0].read_bytes()
        assert first == again, fmt


def test_export_errors(tmp_path: Path) -> None:
    with pytest.raises(KgError, match="unknown export format"):
        export(tmp_path, "xml")
    with pytest.raises(InputError, match="no graph.ttl"):
        export(tmp_path, "nt")
    with pytest.raises(InputError, match="no built graph"):
        export(tmp_path, "gexf")


def test_cli_export(bundled_exports: Path, tmp_path: Path) -> None:
    target = tmp_path / "graph.gexf"
    result = CliRunner().invoke(
        main, ["export", "--format", "gexf", "--graph", str(bundled_exports), "-o", str(target)]
    )
    assert result.exit_code == 0, result.output
    assert result.output.strip() == str(target)
    assert nx.read_gexf(target).number_of_nodes() > 1000
    result = CliRunner().invoke(main, ["export", "--format", "nt", "--graph", str(tmp_path)])
    assert result.exit_code == 1
    assert result.output.startswith("Error: ") and len(result.output.splitlines()) == 1
