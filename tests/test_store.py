"""Persistent Oxigraph stores: kg build --store, kg query --store."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.cli import main
from kg.errors import InputError, KgError
from kg.query import run_query
from kg.store import is_store, open_store, write_store

QUERIES = Path(__file__).resolve().parent.parent / "queries"


@pytest.fixture(scope="module")
def store(bundled_exports: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_store(bundled_exports, tmp_path_factory.mktemp("st") / "store")


def test_store_holds_the_whole_graph(bundled, store: Path) -> None:
    assert is_store(store)
    assert len(open_store(store)) == len(bundled.rdf)
    assert not [p for p in store.parent.iterdir() if p.name.startswith(".")]  # no staging left


def test_query_on_store_equals_query_on_turtle(bundled_exports: Path, store: Path) -> None:
    for name in ("top-datasets.rq", "leaderboard.rq", "evidence-for-entity.rq"):
        on_store = run_query(QUERIES / name, store=store)
        assert on_store.rows and on_store == run_query(QUERIES / name, bundled_exports), name
    cifar = run_query(
        QUERIES / "evaluated-on-dataset.rq", store=store, params={"dataset": ["CIFAR-10"]}
    )
    assert {r["dataset_iri"] for r in cifar.records()} == {"https://w3id.org/mlkg/dataset/cifar-10"}


def test_store_is_read_only(store: Path) -> None:
    with pytest.raises(RuntimeError, match="read-write"):
        open_store(store).update("INSERT DATA { <urn:a> <urn:b> <urn:c> }")


def test_store_errors(tmp_path: Path, bundled_exports: Path) -> None:
    with pytest.raises(InputError, match="no such store"):
        open_store(tmp_path / "missing")
    with pytest.raises(InputError, match="not an Oxigraph store"):
        open_store(tmp_path)
    keep = tmp_path / "mine"
    keep.mkdir()
    (keep / "notes.txt").write_text("precious")
    with pytest.raises(KgError, match="not an Oxigraph store; not replacing"):
        write_store(bundled_exports, keep)
    assert (keep / "notes.txt").read_text() == "precious"


def test_cli_build_store_and_query_store(tmp_path: Path) -> None:
    src = tmp_path / "one.jsonl"
    src.write_text(
        '{"id": "x1", "title": "BERT for NER", "abstract": "We fine-tune BERT on CoNLL-2003."}\n'
    )
    out, store = tmp_path / "out", tmp_path / "store"
    runner = CliRunner()
    result = runner.invoke(main, ["build", str(src), "-o", str(out), "-q", "--store", str(store)])
    assert result.exit_code == 0, result.output
    query = "SELECT ?t WHERE { ?p a schema:ScholarlyArticle ; dcterms:title ?t }"
    result = runner.invoke(main, ["query", query, "--store", str(store), "--format", "csv"])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == ["t", "BERT for NER"]
    # rebuilding replaces the store whole
    result = runner.invoke(main, ["build", str(src), "-o", str(out), "-q", "--store", str(store)])
    assert result.exit_code == 0, result.output
    result = runner.invoke(main, ["query", query, "--store", str(tmp_path / "nope")])
    assert result.exit_code == 1
    assert (
        result.output.strip()
        == f"Error: {tmp_path / 'nope'}: no such store folder (make one with kg build --store)"
    )


def test_cli_param(bundled_exports: Path) -> None:
    runner = CliRunner()
    args = ["query", str(QUERIES / "family-tree.rq"), "--graph", str(bundled_exports)]
    result = runner.invoke(main, [*args, "--param", "family=GPT-4", "--format", "csv"])
    assert result.exit_code == 0, result.output
    assert "GPT-4-Turbo" in result.output and "LLaMA" not in result.output
    result = runner.invoke(main, [*args, "--param", "famly=GPT-4"])
    assert result.exit_code == 1
    assert "unknown parameter 'famly'" in result.output and "family" in result.output
    assert len(result.output.strip().splitlines()) == 1
