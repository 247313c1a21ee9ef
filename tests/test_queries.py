"""Tests of kg.query and of every query in queries/, on a small graph and the bundled corpus."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from test_rdf import NASTY_ABSTRACT, small_graph

from kg.errors import InputError, KgError
from kg.params import ParamError, bind_params, parse_params, query_params
from kg.query import (
    QueryError,
    QueryResult,
    add_prefixes,
    format_result,
    format_table,
    read_query,
    run_query,
)
from kg.rdf import serialize_turtle, to_rdf, write_turtle
from kg.vocab import DEFAULT_BASE_IRI

B = DEFAULT_BASE_IRI
QUERIES = sorted((Path(__file__).resolve().parent.parent / "queries").glob("*.rq"))


def q(name: str) -> Path:
    return next(p for p in QUERIES if p.name == name)


@pytest.fixture(scope="module")
def small_ttl(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("small") / "graph.ttl"
    write_turtle(to_rdf(small_graph()), path)
    return path


# --- run_query ------------------------------------------------------------------------


def test_select_with_undeclared_prefixes(small_ttl: Path) -> None:
    result = run_query(
        "SELECT ?e ?name WHERE { ?e a mls:Model ; skos:prefLabel ?name } ORDER BY ?name",
        small_ttl,
    )
    assert result.variables == ["e", "name"]
    assert result.rows == [[B + "model/llama", "LLaMA"], [B + "model/llama-2", "LLaMA-2"]]
    assert result.kind == "select"


def test_plain_values_and_unbound(small_ttl: Path) -> None:
    result = run_query(
        """SELECT ?n ?date ?abstract WHERE {
             ?p dcterms:identifier ?id ; dcterms:abstract ?abstract .
             OPTIONAL { ?p kgv:pageDate ?date }
             ?e a mls:Model ; kgv:paperCount ?n . FILTER (?e = model:llama-2)
           } ORDER BY ?id""",
        small_ttl,
    )
    assert [row[1] for row in result.rows] == ["Apr 2", "Apr 2", None]
    assert result.rows[0][0] == "2"
    assert NASTY_ABSTRACT in result.column("abstract")


def test_declared_prefix_is_kept(small_ttl: Path) -> None:
    text = "PREFIX skos: <http://example.org/not-skos#>\nSELECT ?x WHERE { ?x skos:prefLabel ?l }"
    assert "PREFIX skos: <http://www.w3.org" not in add_prefixes(text)
    assert run_query(text, small_ttl).rows == []


def test_ask_and_construct(small_ttl: Path) -> None:
    ask = run_query("ASK { model:llama-2 kgv:variantOf model:llama }", small_ttl)
    assert (ask.kind, ask.variables, ask.rows) == ("ask", ["ask"], [["true"]])
    assert run_query("ASK { model:llama kgv:variantOf ?x }", small_ttl).rows == [["false"]]
    graph = run_query(
        "CONSTRUCT { ?m rdfs:label ?n } WHERE { ?m a mls:Model ; skos:prefLabel ?n }", small_ttl
    )
    assert graph.kind == "graph"
    assert graph.variables == ["subject", "predicate", "object"]
    assert sorted(r[2] for r in graph.rows) == ["LLaMA", "LLaMA-2"]


def test_query_from_file_path(small_ttl: Path, tmp_path: Path) -> None:
    file = tmp_path / "q.rq"
    file.write_text(
        "# count papers\nSELECT (COUNT(*) AS ?n) WHERE { ?p a schema:ScholarlyArticle }"
    )
    assert run_query(file, small_ttl).rows == [["3"]]
    assert run_query(str(file), small_ttl).rows == [["3"]]
    assert read_query(str(file))[1] == str(file)


def test_errors_are_one_line(small_ttl: Path, tmp_path: Path) -> None:
    with pytest.raises(QueryError, match=r"syntax error: .*\b2:") as info:
        run_query("SELECT ?x\nWHERE { ?x ?y }", small_ttl)  # error on the user's line 2
    assert "\n" not in str(info.value)
    with pytest.raises(QueryError, match=r"1:\d+: prefix not found \(declare it with PREFIX"):
        run_query("SELECT * WHERE { ?x foo:bar ?y }", small_ttl)
    with pytest.raises(QueryError, match="variable that is unbound"):
        run_query("SELECT (COUNT(?x) AS ?n) ?y WHERE { ?x ?y ?z }", small_ttl)
    with pytest.raises(QueryError, match="no such query file"):
        run_query(tmp_path / "missing.rq", small_ttl)
    with pytest.raises(QueryError, match="no such query file"):
        run_query("missing.rq", small_ttl)
    with pytest.raises(QueryError, match="empty query"):
        run_query("   ", small_ttl)
    with pytest.raises(InputError, match="no such file"):
        run_query("ASK {}", tmp_path / "missing.ttl")
    bad = tmp_path / "bad.ttl"
    bad.write_text("<a> <b> .", encoding="utf-8")
    with pytest.raises(KgError, match="not valid Turtle"):
        run_query("ASK {}", bad)


def test_build_folder_is_accepted(tmp_path: Path) -> None:
    write_turtle(to_rdf(small_graph()), tmp_path / "exports" / "graph.ttl")
    assert run_query("ASK { ?s ?p ?o }", tmp_path).rows == [["true"]]


# --- formatting -----------------------------------------------------------------------

RESULT = QueryResult(
    ["name", "n", "note"],
    [["ResNet-50", "12", 'say "hi",\nbye'], ["x" * 200, "3", None]],
    iris=set(),
)


def test_table_aligns_truncates_and_fits() -> None:
    text = format_table(RESULT, width=60)
    lines = text.splitlines()
    assert lines[0].split() == ["name", "n", "note"]
    assert set(lines[1]) == {"-", " "}
    assert all(len(line) <= 60 for line in lines)
    assert "…" in lines[3]
    assert lines[-1] == "(2 rows)"
    assert 'say "hi", bye' in lines[2]  # newline folded into the cell
    n_col = lines[1].split("  ")[0]
    assert lines[2][len(n_col) :].lstrip().startswith("12")  # numbers right-aligned


def test_table_abbreviates_iris_only() -> None:
    result = QueryResult(
        ["e", "label"], [[B + "model/llama-2", B + "model/llama-2"]], iris={(0, 0)}
    )
    row = format_table(result, width=200).splitlines()[2].split()
    assert row == ["model:llama-2", B + "model/llama-2"]


def test_csv_and_json() -> None:
    rows = list(csv.reader(io.StringIO(format_result(RESULT, "csv"))))
    assert rows == [
        ["name", "n", "note"],
        ["ResNet-50", "12", 'say "hi",\nbye'],
        ["x" * 200, "3", ""],
    ]
    data = json.loads(format_result(RESULT, "json"))
    assert data[1] == {"name": "x" * 200, "n": "3", "note": None}
    with pytest.raises(QueryError, match="unknown format"):
        format_result(RESULT, "xml")


# --- the queries/ folder --------------------------------------------------------------


def test_there_are_documented_queries() -> None:
    assert len(QUERIES) >= 10
    for path in QUERIES:
        text = path.read_text("utf-8")
        comments = [line for line in text.splitlines() if line.startswith("#")]
        assert text.startswith("#") and len(comments) >= 2, path.name
        assert "Adapt" in text, path.name
        assert "ORDER BY" in text, path.name


@pytest.mark.parametrize("path", QUERIES, ids=lambda p: p.name)
def test_every_query_runs_on_small_graph(path: Path, small_ttl: Path) -> None:
    result = run_query(path, small_ttl)
    assert result.variables
    assert format_result(result, "table")


def test_queries_on_small_graph_give_expected_rows(small_ttl: Path) -> None:
    evaluated = run_query(q("evaluated-on-dataset.rq"), small_ttl).records()
    assert [(r["name"], r["support"]) for r in evaluated] == [("ResNet-50", "2")]
    assert evaluated[0]["example"] == NASTY_ABSTRACT  # MIN of the two sentences
    variants = run_query(q("model-variants.rq"), small_ttl).records()
    assert [(r["family_name"], r["variant_name"]) for r in variants] == [("LLaMA", "LLaMA-2")]
    top = run_query(q("top-models.rq"), small_ttl).records()
    assert [(r["name"], r["papers"], r["proposed"]) for r in top] == [
        ("LLaMA-2", "2", "1"),
        ("LLaMA", "1", "0"),
    ]
    counts = {
        r["type"]: r["entities"] for r in run_query(q("entity-counts.rq"), small_ttl).records()
    }
    assert counts["paper"] == "3" and counts["model"] == "2" and counts["metric"] == "1"
    aliases = run_query(q("aliases.rq"), small_ttl).records()
    assert aliases[0]["name"] == "LLaMA-2" and aliases[0]["aliases"] == "2"


# --- the bundled corpus ---------------------------------------------------------------


@pytest.fixture(scope="module")
def results(bundled_exports: Path) -> dict[str, QueryResult]:
    return {path.name: run_query(path, bundled_exports) for path in QUERIES}


def names(result: QueryResult, column: str = "name") -> list[str]:
    return [(v or "").lower() for v in result.column(column)]


def test_bundled_turtle_is_the_rdf_graph(bundled, bundled_exports: Path) -> None:
    ttl = bundled_exports / "graph.ttl"
    assert ttl.read_bytes() == serialize_turtle(bundled.rdf).encode("utf-8")
    counts = run_query(q("entity-counts.rq"), bundled_exports).records()
    by_type = {r["type"]: int(r["entities"]) for r in counts}
    assert by_type["relation"] == bundled.nx.number_of_edges()
    sentences = {
        (e["paper"], e["sentence"]) for *_, d in bundled.nx.edges(data=True) for e in d["evidence"]
    }
    assert by_type["evidence"] == len(sentences)  # one node per distinct paper sentence


def test_every_query_returns_rows_on_bundled(results: dict[str, QueryResult]) -> None:
    for name, result in results.items():
        assert result.rows, name
        assert all(len(row) == len(result.variables) for row in result.rows), name


def test_bundled_top_entities(results: dict[str, QueryResult]) -> None:
    assert "imagenet" in names(results["top-datasets.rq"])[:3]
    assert "large language models" in names(results["top-models.rq"])[:5]
    assert "fine-tuning" in names(results["top-methods.rq"])[:5]
    assert "accuracy" in names(results["top-metrics.rq"])[:3]
    assert "natural language processing" in names(results["top-tasks.rq"])[:5]
    for file in ("top-datasets.rq", "top-models.rq", "top-methods.rq"):
        papers = [int(v) for v in results[file].column("papers")]
        assert papers == sorted(papers, reverse=True) and len(papers) == 20


def test_bundled_counts(results: dict[str, QueryResult]) -> None:
    counts = {r["type"]: int(r["entities"]) for r in results["entity-counts.rq"].records()}
    assert counts["paper"] == 362  # distinct papers in the four pages (corpus/README.md)
    assert all(counts[t] >= 20 for t in ("model", "method", "dataset", "metric", "task"))
    pages = results["papers-per-page.rq"].records()
    assert sum(int(r["papers"]) for r in pages) == 362
    assert {r["date"] for r in pages} >= {"Apr 2", "Mar 11"}


def test_bundled_imagenet(results: dict[str, QueryResult]) -> None:
    evaluated = results["evaluated-on-dataset.rq"]
    assert len(evaluated.rows) >= 5
    assert set(evaluated.column("dataset_iri")) == {B + "dataset/imagenet"}
    assert all(v for v in evaluated.column("example"))
    evidence = results["evidence-for-entity.rq"].records()
    assert len(evidence) >= 15
    hits = [r for r in evidence if "imagenet" in (r["sentence"] or "").lower()]
    assert len(hits) >= 0.8 * len(evidence)
    metrics = {
        (r["dataset_name"].lower(), r["metric_name"].lower())
        for r in results["metrics-for-dataset.rq"].records()
    }
    assert ("imagenet", "accuracy") in metrics
    tasks = results["applied-to-task.rq"]
    assert len(tasks.rows) >= 3
    assert set(tasks.column("task_iri")) == {B + "task/image-classification"}


def test_bundled_families_and_aliases(results: dict[str, QueryResult]) -> None:
    variants = results["model-variants.rq"].records()
    llama = {r["variant_name"].lower() for r in variants if r["family_name"].lower() == "llama"}
    assert len(llama) >= 3 and "llama-2" in llama
    aliases = results["aliases.rq"].records()
    assert all(r["alias"] != r["name"] for r in aliases)
    assert int(aliases[0]["aliases"]) >= 3
    co = results["co-mentioned-with.rq"].records()
    assert "large language models" not in names(results["co-mentioned-with.rq"])
    assert "fine-tuning" in [r["name"].lower() for r in co[:5]]


def test_bundled_proposals_and_relations(results: dict[str, QueryResult]) -> None:
    proposed = results["papers-proposing-models.rq"].records()
    assert len(proposed) >= 10
    assert all(r["sentence"] for r in proposed)
    in_title = [r for r in proposed if r["model_name"].lower() in r["title"].lower()]
    assert len(in_title) >= len(proposed) / 2
    strongest = results["strongest-relations.rq"].records()
    support = [int(r["support"]) for r in strongest]
    assert support == sorted(support, reverse=True) and support[0] >= 5
    assert {r["relation_name"] for r in strongest} >= {"applied to", "measured by"}


# --- parameters and the new queries ---------------------------------------------------


def test_params_fill_values_defaults(small_ttl: Path) -> None:
    text = 'SELECT ?name WHERE { VALUES ?model { "llama" } ?m skos:prefLabel ?name .\n' + (
        "FILTER (LCASE(?name) = LCASE(?model)) }"
    )
    assert run_query(text, small_ttl).rows == [["LLaMA"]]
    assert run_query(text, small_ttl, {"model": ["LLaMA-2"]}).rows == [["LLaMA-2"]]
    both = run_query(text + " ORDER BY ?name", small_ttl, {"model": ["llama", "llama-2"]})
    assert both.rows == [["LLaMA"], ["LLaMA-2"]]
    quoted = run_query(text, small_ttl, {"model": ['x" } ASK { ']})  # stays one literal
    assert quoted.rows == []


def test_param_errors(small_ttl: Path) -> None:
    with pytest.raises(ParamError, match=r"unknown parameter 'datset' .*: dataset\b"):
        run_query(q("evaluated-on-dataset.rq"), small_ttl, {"datset": ["x"]})
    with pytest.raises(ParamError, match="none"):
        run_query(q("top-models.rq"), small_ttl, {"dataset": ["x"]})
    with pytest.raises(ParamError, match="expected name=value"):
        parse_params(["dataset"])
    with pytest.raises(ParamError, match="expected a number"):
        bind_params("SELECT * { VALUES ?n { 3 } }", {"n": ["three"]})
    assert bind_params("SELECT * { VALUES ?e { model:bert } }", {"e": ["model:gpt"]}) == (
        "SELECT * { VALUES ?e { model:gpt } }"
    )
    assert "<http://x.org/a>" in bind_params(
        "ASK { VALUES ?e { <http://a> } }", {"e": ["http://x.org/a"]}
    )


def test_every_parameterised_query_documents_its_parameters() -> None:
    for path in QUERIES:
        text = path.read_text("utf-8")
        for param in query_params(text):
            assert f"--param {param}=" in text, (path.name, param)


def test_params_on_bundled(bundled_exports: Path) -> None:
    cifar = run_query(q("evaluated-on-dataset.rq"), bundled_exports, {"dataset": ["CIFAR-10"]})
    assert set(cifar.column("dataset_iri")) == {B + "dataset/cifar-10"}
    assert len(cifar.rows) >= 3
    board = run_query(q("leaderboard.rq"), bundled_exports, {"dataset": ["imagenet"]}).records()
    assert board and {r["dataset_name"] for r in board} == {"ImageNet"}
    assert all("imagenet" in r["example"].lower() for r in board)
    llama = run_query(q("family-tree.rq"), bundled_exports, {"family": ["LLaMA"]}).records()
    assert {r["family_name"] for r in llama} == {"LLaMA"}
    assert {"LLaMA-2", "LLaMA2-7B"} <= {r["variant_name"] for r in llama}
    assert ("LLaMA-2", "LLaMA2-7B") in {(r["parent_name"], r["variant_name"]) for r in llama}
    aliases = run_query(q("aliases.rq"), bundled_exports, {"lookup": ["llama"]}).records()
    assert aliases and all("llama" in r["name"].lower() for r in aliases)


def test_new_queries_on_bundled(results: dict[str, QueryResult]) -> None:
    board = results["leaderboard.rq"].records()
    assert len(board) >= 10
    assert ("CIFAR-10", "FID") in {(r["dataset_name"], r["metric_name"]) for r in board}
    central = results["central-entities.rq"].records()
    assert {"large language models", "fine-tuning", "imagenet"} <= {
        r["name"].lower() for r in central[:5]
    }
    degrees = [int(r["degree"]) for r in central]
    assert degrees == sorted(degrees, reverse=True) and degrees[0] >= 50
    pairs = results["co-occurrence.rq"].records()
    top = (pairs[0]["name_a"].lower(), pairs[0]["name_b"].lower())
    assert top == ("fine-tuning", "large language models")
    assert int(pairs[0]["papers"]) >= 20
