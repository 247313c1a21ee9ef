"""kg.analysis on the bundled graph (real expected values) and on small graphs."""

from __future__ import annotations

import code
import contextlib
import importlib.util
import io
import json
import math
import os
import re
import subprocess
import sys
from pathlib import Path

import networkx as nx
import pytest

import kg
from kg import analysis as A
from kg.analysis._graph import example_graph
from kg.records import LABELS


@pytest.fixture(scope="module")
def g(bundled) -> nx.MultiDiGraph:
    return bundled.nx


def names(rows: list[dict], key: str = "name") -> list[str]:
    return [r[key] for r in rows]


# -- centrality --------------------------------------------------------------------------


def test_top_entities_of_the_bundled_corpus(g) -> None:
    assert names(A.top_entities(g, "dataset", 1)) == ["ImageNet"]
    assert "GLUE" in names(A.top_entities(g, "dataset", 3))
    assert names(A.top_entities(g, "model", 1)) == ["Large Language Models"]
    assert set(names(A.top_entities(g, "method", 2))) == {"fine-tuning", "pre-training"}
    assert names(A.top_entities(g, "metric", 1)) == ["accuracy"]
    assert names(A.top_entities(g, "task", 1)) == ["Natural Language Processing"]
    by_papers = A.top_entities(g, "dataset", 3, by="papers")
    assert by_papers[0]["name"] == "ImageNet" and by_papers[0]["papers"] >= 20
    assert [r["rank"] for r in by_papers] == [1, 2, 3]
    assert by_papers[0]["papers"] >= by_papers[1]["papers"] >= by_papers[2]["papers"]


def test_centrality_rows_are_consistent(g) -> None:
    rows = A.centrality(g)
    entities = [n for n, d in g.nodes(data=True) if d["kind"] in LABELS]
    assert len(rows) == len(entities)
    assert math.isclose(sum(r["pagerank"] for r in rows), 1.0, abs_tol=1e-3)
    assert [r["pagerank"] for r in rows] == sorted((r["pagerank"] for r in rows), reverse=True)
    for row in rows[:50]:
        assert row["papers"] == g.nodes[row["node"]]["papers"]
    lora = next(r for r in rows if r["name"] == "Low-Rank Adaptation")
    assert lora["degree"] > 100
    assert lora["proposed"] == 0  # papers build on LoRA; none of the bundled ones proposes it
    assert sum(r["proposed"] >= 1 for r in rows) >= 40
    assert {r["kind"] for r in A.centrality(g, "metric")} == {"metric"}


def test_pagerank_matches_the_closed_form_of_a_star() -> None:
    # centre c, three leaves l: c = 0.15/4 + 0.85*3l and l = 0.15/4 + 0.85c/3
    ranks = A.pagerank(nx.star_graph(3))
    centre = (0.0375 + 2.55 * 0.0375) / (1 - 2.55 * 0.85 / 3)
    assert ranks[0] == pytest.approx(centre, abs=1e-9)
    assert ranks[1] == pytest.approx((1 - centre) / 3, abs=1e-9)
    lonely = nx.Graph([(1, 2)])
    lonely.add_node(3)  # an isolated node spreads its rank evenly
    assert sum(A.pagerank(lonely).values()) == pytest.approx(1.0)
    assert A.pagerank(nx.Graph()) == {}


def test_bad_kind_and_measure_are_refused(g) -> None:
    with pytest.raises(ValueError, match="unknown kind 'models'"):
        A.top_entities(g, "models")
    with pytest.raises(ValueError, match="unknown measure"):
        A.top_entities(g, "model", by="fame")
    with pytest.raises(ValueError, match="unknown ranking"):
        A.top_pairs(g, by="fame")


# -- co-occurrence -----------------------------------------------------------------------


def test_cooccurrence_graph_counts_shared_papers(g) -> None:
    c = A.cooccurrence_graph(g)
    a, b = "model/large-language-models", "method/fine-tuning"
    shared = set(g.nodes[a]["paper_ids"]) & set(g.nodes[b]["paper_ids"])
    edge = c.edges[a, b]
    assert edge["papers"] == edge["weight"] == len(shared) >= 30
    total = g.graph["papers"]
    n_a, n_b = g.nodes[a]["papers"], g.nodes[b]["papers"]
    assert edge["pmi"] == pytest.approx(math.log2(len(shared) * total / (n_a * n_b)))
    assert -1 <= edge["npmi"] <= 1
    strong = A.cooccurrence_graph(g, min_papers=3)
    assert strong.number_of_nodes() == c.number_of_nodes()
    assert 0 < strong.number_of_edges() < c.number_of_edges()
    assert all(d["papers"] >= 3 for _, _, d in strong.edges(data=True))


def test_top_pairs_of_the_bundled_corpus(g) -> None:
    first = A.top_pairs(g, ("model", "method"), 1)[0]
    assert (first["a_name"], first["b_name"]) == ("Large Language Models", "fine-tuning")
    method_dataset = {(r["a_name"], r["b_name"]): r for r in A.top_pairs(g, n=0)}
    assert method_dataset[("Low-Rank Adaptation", "GLUE")]["papers"] >= 3
    assert "evaluated_on" in method_dataset[("Low-Rank Adaptation", "GLUE")]["relations"]
    dataset_metric = {(r["a_name"], r["b_name"]): r for r in A.top_pairs(g, ("dataset", "metric"))}
    fid = dataset_metric[("CIFAR-10", "FID")]
    assert fid["papers"] >= 3 and fid["relations"]["measured_by"] >= 3 and fid["npmi"] > 0.5
    assert fid["p_value"] < 1e-4
    model_task = A.top_pairs(g, ("model", "task"), 10, by="p_value")
    bert = next(r for r in model_task if r["a_name"] == "BERT")
    assert bert["b_name"] == "Natural Language Processing" and "applied_to" in bert["relations"]
    assert [r["p_value"] for r in model_task] == sorted(r["p_value"] for r in model_task)


def test_top_pairs_rows_hold_the_papers_behind_them(g) -> None:
    rows = A.top_pairs(g, ("dataset", "metric"), n=0, min_papers=1)
    assert len(rows) > 50
    for row in rows:
        assert g.nodes[row["a"]]["kind"] == "dataset" and g.nodes[row["b"]]["kind"] == "metric"
        shared = set(g.nodes[row["a"]]["paper_ids"]) & set(g.nodes[row["b"]]["paper_ids"])
        assert row["paper_ids"] == sorted(shared) and row["papers"] == len(shared)
        assert 0 < row["p_value"] <= 1
    same_kind = A.top_pairs(g, ("model", "model"), 5)
    assert all(r["a"] != r["b"] for r in same_kind)


def test_significance_on_a_small_graph() -> None:
    papers = {f"p{i}": ["method/a", "dataset/x"] for i in range(3)}
    papers |= {f"q{i}": ["method/b"] for i in range(5)} | {"r": ["method/b", "dataset/x"]}
    rows = A.top_pairs(example_graph(papers), min_papers=1, by="npmi")
    assert [(r["a_name"], r["papers"]) for r in rows] == [("a", 3), ("b", 1)]
    # 3 of 9 papers mention a, 4 mention x, 3 both: P(X >= 3) = C(4,3) C(5,0) / C(9,3)
    assert rows[0]["p_value"] == pytest.approx(4 / 84)
    assert rows[0]["pmi"] == pytest.approx(math.log2(3 * 9 / (3 * 4)), abs=1e-4)
    assert rows[1]["npmi"] < 0  # b is mostly without x


# -- communities -------------------------------------------------------------------------


def test_communities_of_the_bundled_corpus(g) -> None:
    rows = A.communities(g)
    assert len(rows) >= 5
    assert [r["size"] for r in rows] == sorted((r["size"] for r in rows), reverse=True)
    assert rows == A.communities(g)  # seeded: the same groups every time

    def together(*entities: str) -> bool:
        found = {A.community_of(g, e)["community"] for e in entities}
        return len(found) == 1

    assert together("Low-Rank Adaptation", "Parameter-Efficient Fine-Tuning")
    assert together("CodeBERT", "GraphCodeBERT", "clone detection")
    assert together("Direct Preference Optimization", "Reinforcement Learning from Human Feedback")
    assert together("state space models", "S4")
    for row in rows:
        assert row["name"] == " / ".join(row["members"][:3])
        assert sum(row["kinds"].values()) == row["size"] == len(row["nodes"])
        assert all(g.nodes[n]["papers"] >= 2 for n in row["nodes"])
        assert row["papers"] == len(row["paper_ids"]) >= 2
    assert A.community_of(g, "model/large-language-models") is not None


def test_communities_do_not_depend_on_string_hashing(bundled_exports: Path) -> None:
    script = (
        "import json, sys, kg; from kg.analysis import communities; "
        "print(json.dumps([c['nodes'] for c in communities(kg.load(sys.argv[1]))]))"
    )
    outputs = []
    for seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        run = subprocess.run(
            [sys.executable, "-c", script, str(bundled_exports)],
            capture_output=True,
            text=True,
            env=env,
            check=True,
        )
        outputs.append(json.loads(run.stdout))
    assert outputs[0] == outputs[1] and len(outputs[0]) >= 5


def test_community_of_an_entity_in_one_paper_is_none(g) -> None:
    lonely = next(n for n, d in g.nodes(data=True) if d["kind"] == "metric" and d["papers"] == 1)
    assert A.community_of(g, lonely) is None


# -- neighbourhoods and paths ------------------------------------------------------------


def test_neighbours_of_a_model(g) -> None:
    rows = A.neighbours(g, "LLaMA-2", n=0)
    by_name = {r["name"]: r for r in rows}
    assert by_name["GSM8K"]["relations"].get("evaluated_on", 0) >= 1
    assert "GSM8K" in by_name["GSM8K"]["evidence"][0]["sentence"]
    assert "variant_of" in by_name["LLaMA"]["relations"]  # its family, co-mentioned or not
    assert [r["papers"] for r in rows] == sorted((r["papers"] for r in rows), reverse=True)
    datasets = A.neighbours(g, "BERT", kind="dataset")
    assert datasets[0]["name"] == "GLUE" and datasets[0]["relations"] == {"evaluated_on": 1}
    assert {r["kind"] for r in datasets} == {"dataset"}
    assert len(A.neighbours(g, "BERT", n=3)) == 3


def test_connections_between_two_entities(g) -> None:
    c = A.connections(g, "BERT", "GLUE")
    assert (c["source"], c["target"]) == ("model/bert", "dataset/glue")
    titles = [p["title"] for p in c["papers"]]
    assert any(t.startswith("ELECTRA") for t in titles) and len(titles) >= 2
    assert c["relations"] == {"evaluated_on": 1}
    assert [h["to"] for h in c["paths"][0]] == ["dataset/glue"]  # the direct link first
    assert len(c["paths"]) == 3
    for path in c["paths"]:
        assert path[0]["from"] == "model/bert" and path[-1]["to"] == "dataset/glue"
        assert all(a["to"] == b["from"] for a, b in zip(path, path[1:], strict=False))
        for hop in path:
            both = set(g.nodes[hop["from"]]["paper_ids"]) & set(g.nodes[hop["to"]]["paper_ids"])
            assert set(hop["paper_ids"]) == both and hop["papers"] == len(both)
    assert [len(p) for p in c["paths"]] == sorted(len(p) for p in c["paths"])


def test_connections_without_a_path() -> None:
    g = example_graph({"p1": ["model/a"], "p2": ["dataset/b"]})
    c = A.connections(g, "a", "b")
    assert c["paths"] == [] and c["papers"] == [] and c["relations"] == {}


def test_unknown_entity_names_close_matches(g) -> None:
    with pytest.raises(KeyError, match="did you mean"):
        A.neighbours(g, "ImageNett")
    paper = next(n for n, d in g.nodes(data=True) if d["kind"] == "paper")
    with pytest.raises(KeyError, match="is a paper"):
        A.family(g, paper)


# -- families ----------------------------------------------------------------------------


def test_families_of_the_bundled_corpus(g) -> None:
    llama = A.family(g, "LLaMA2-7B")
    assert llama["name"] == "LLaMA" and llama["via"] is None and llama["size"] >= 4
    children = {c["name"]: c for c in llama["variants"]}
    assert "LLaMA-2" in children and "LLaMA-3" in children
    assert [c["name"] for c in children["LLaMA-2"]["variants"]] == ["LLaMA2-7B"]
    imagenet = A.family(g, "ImageNet-1K")
    kids = {c["name"]: c["via"] for c in imagenet["variants"]}
    assert imagenet["name"] == "ImageNet" and kids["ImageNet-1K"] == "variant_of"
    assert kids.get("ImageNet-R") == "name"  # joined by its name, a version tag
    assert A.family(g, "ImageNet-1K", prefixes=False)["size"] < imagenet["size"]
    trees = A.families(g)
    assert trees[0]["name"] == "LLaMA"
    assert [t["size"] for t in trees] == sorted((t["size"] for t in trees), reverse=True)
    assert {t["node"].split("/")[0] for t in A.families(g, "dataset")} == {"dataset"}
    text = A.format_tree(llama)
    assert text.splitlines()[0].startswith("LLaMA (") and "└── " in text


def test_prefixes_need_version_or_size_tags() -> None:
    g = example_graph(
        {"p1": ["method/low-rank", "method/low-rank-adaptation", "model/clip", "model/clip4clip"]}
        | {"p2": ["model/gpt-4", "model/gpt-4-turbo", "model/resnet", "model/resnet50-d"]}
    )
    trees = {t["name"]: [c["name"] for c in t["variants"]] for t in A.families(g)}
    assert trees == {"gpt-4": ["gpt-4-turbo"], "resnet": ["resnet50-d"]}


# -- tables and loading ------------------------------------------------------------------


def test_to_pandas_with_and_without_pandas(g, monkeypatch) -> None:
    rows = A.top_entities(g, "dataset", 5)
    if importlib.util.find_spec("pandas") is not None:
        frame = A.to_pandas(rows)
        assert frame.shape == (5, len(rows[0]))
        assert list(frame.columns)[:3] == ["rank", "node", "kind"]
        assert frame["name"].iloc[0] == "ImageNet"
    monkeypatch.setitem(sys.modules, "pandas", None)  # as if pandas were not installed
    with pytest.raises(ImportError, match="pip install pandas"):
        A.to_pandas(rows)


def test_rows_text_aligns_columns(g) -> None:
    text = A.rows_text(A.top_entities(g, "dataset", 3), ["rank", "name", "papers"])
    lines = text.splitlines()
    assert lines[0].split() == ["rank", "name", "papers"] and "ImageNet" in lines[1]
    assert len({len(line) for line in lines}) == 1  # right-aligned last column
    assert A.rows_text([]) == ""


def test_analysis_of_a_loaded_graph_equals_the_built_one(g, bundled_exports: Path) -> None:
    loaded = kg.load(bundled_exports)
    assert A.centrality(loaded) == A.centrality(g)
    for kinds in (("method", "dataset"), ("dataset", "metric"), ("model", "task")):
        assert A.top_pairs(loaded, kinds, 20) == A.top_pairs(g, kinds, 20)
    assert A.communities(loaded) == A.communities(g)
    assert A.families(loaded) == A.families(g)
    assert A.neighbours(loaded, "LLaMA-2", n=0) == A.neighbours(g, "LLaMA-2", n=0)
    assert A.connections(loaded, "BERT", "GLUE") == A.connections(g, "BERT", "GLUE")


def test_readme_python_analysis_session_runs(bundled_exports: Path, tmp_path: Path, monkeypatch):
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Python analysis", 1)[1]
    session = re.search(r"```pycon\n(.*?)```", section, re.DOTALL)
    assert session, "README has no Python analysis session"
    (tmp_path / "exports").symlink_to(bundled_exports, target_is_directory=True)
    monkeypatch.chdir(tmp_path)
    console = code.InteractiveConsole()
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed), contextlib.redirect_stderr(printed):
        for line in session.group(1).splitlines():
            if line.startswith((">>>", "...")):
                console.push(line[4:])
    out = printed.getvalue()
    assert "Traceback" not in out and "Error" not in out, out
    assert re.search(r"^\s+1  ImageNet\s+2\d", out, re.MULTILINE)  # the top dataset
    assert "GSM8K" in out and "evaluated_on" in out  # around LLaMA-2
    assert "BERT -> GLUE (" in out and "'ELECTRA" in out  # what connects BERT and GLUE
    assert "Parameter-Efficient Fine-Tuning" in out and "LLaMA (" in out
    assert "CIFAR-10  FID" in out
