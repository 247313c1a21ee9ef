"""Tests for kg.views: offline, escaped, deterministic pages (in-browser: test_browser.py)."""

from __future__ import annotations

import json
import re
import urllib.parse
from pathlib import Path

import networkx as nx
import pytest

from kg.records import LABELS
from kg.views import (
    KINDS,
    entity_page_name,
    find_entity,
    write_entity_view,
    write_overview,
    write_site,
    write_type_view,
)

EVIL = "<script>alert(1)</script>"


def _paper(g: nx.MultiDiGraph, pid: str, title: str, abstract: str = "An abstract.") -> str:
    node = f"paper/{pid}"
    g.add_node(
        node,
        kind="paper",
        id=pid,
        title=title,
        abstract=abstract,
        source="000.txt",
        line=1,
        date="Apr 2",
        url="",
        authors=[],
    )
    return node


def _entity(g: nx.MultiDiGraph, label: str, eid: str, name: str, aliases=(), papers=()) -> str:
    node = f"{label}/{eid}"
    g.add_node(
        node,
        kind=label,
        id=eid,
        name=name,
        aliases=sorted(aliases),
        papers=len(papers),
        paper_ids=sorted(papers),
    )
    for pid in papers:
        sentence = f"{name} is used in {pid}."
        ev = [{"paper": pid, "sentence": sentence}]
        g.add_edge(
            f"paper/{pid}",
            node,
            key="mentions",
            relation="mentions",
            support=1,
            evidence=ev,
            count=2,
        )
    return node


def _relation(g: nx.MultiDiGraph, u: str, v: str, rel: str, sentences: dict[str, str]) -> None:
    ev = [{"paper": p, "sentence": s} for p, s in sorted(sentences.items())]
    g.add_edge(u, v, key=rel, relation=rel, support=len(ev), evidence=ev)


def small_graph() -> nx.MultiDiGraph:
    """A graph following docs/graph-schema.md, with a hostile title and sentence."""
    g = nx.MultiDiGraph(name="Test graph", papers=4, sources=["000.txt"])
    _paper(g, "p1", f"Llama goes big {EVIL}", abstract=f"We study {EVIL}. More text.")
    _paper(g, "p2", "MMLU for everyone & </script><b>bold</b>")
    _paper(g, "p3", "A third paper")
    _paper(g, "p4", "Line\u2028separator paper")
    g.nodes["paper/p4"]["source"] = "wei\u2028rd.txt"
    llama = _entity(g, "model", "llama-2", "LLaMA-2", ["Llama 2", "llama2"], ["p1", "p2", "p3"])
    family = _entity(g, "model", "llama", "LLaMA", [], ["p1"])
    mmlu = _entity(g, "dataset", "mmlu", "MMLU", [], ["p1", "p2"])
    acc = _entity(g, "metric", "accuracy", "accuracy", ["acc"], ["p2", "p3"])
    qa = _entity(g, "task", "question-answering", "question answering", ["QA"], ["p3", "p4"])
    lora = _entity(g, "method", "lora", "LoRA", [], ["p1", "p3", "p4"])
    bert = _entity(g, "method", "bert", "BERT", [], ["p4"])
    g.add_edge(
        "paper/p1",
        lora,
        key="proposes",
        relation="proposes",
        support=1,
        evidence=[{"paper": "p1", "sentence": "We propose LoRA."}],
    )
    _relation(g, llama, mmlu, "evaluated_on", {"p1": f"LLaMA-2 on MMLU {EVIL}", "p2": "x"})
    _relation(g, llama, acc, "measured_by", {"p2": "LLaMA-2 accuracy."})
    _relation(g, mmlu, qa, "applied_to", {"p3": "MMLU question answering."})
    _relation(g, llama, family, "variant_of", {"p1": "LLaMA-2 is a LLaMA."})
    _relation(g, lora, qa, "applied_to", {"p4": "LoRA for QA."})
    _relation(g, bert, qa, "applied_to", {"p4": "BERT for QA."})
    return g


def page_data(html: str) -> dict:
    m = re.search(r'<script type="application/json" id="kg-data">(.*?)</script>', html, re.S)
    assert m, "embedded data missing"
    data = json.loads(m.group(1))
    for n in data["nodes"]:  # papers: a row of the paper table (the site's: lib/papers.js)
        if "p" in n:
            rows = data["P"]
            n["id"] = f"paper/{rows[n['p']][0]}" if rows is not None else f"paper#{n['p']}"
        n["kind"] = n["id"].partition("/")[0]
    data["info"] = {n["id"]: n for n in data["nodes"]}
    return data


def links_of(data: dict) -> list[tuple[str, str, str, dict]]:
    """``(from, to, relation, {"n": papers, "ev": evidence})`` of the page's edges."""
    ids = [n["id"] for n in data["nodes"]]
    out = []
    for f, t, r, n, *ev in data["edges"]:
        out.append((ids[f], ids[t], data["R"][r], {"n": n, "ev": ev[0] if ev else []}))
    return out


def strings(data: dict, pairs: list[list[int]]) -> list[str]:
    """The texts of evidence ``[paper row, sentence]`` pairs: titles and sentences."""
    out = []
    for paper, sentence in pairs:
        out += [data["P"][paper][1]] if paper >= 0 else []
        out += [data["S"][sentence]] if sentence >= 0 else []
    return out


def check_page(path: Path, lib: str) -> str:
    html = path.read_text(encoding="utf-8")
    # scripts beside the pages, loaded by relative path
    srcs = re.findall(r'<(?:script|link)[^>]+(?:src|href)="([^"]+)"', html)
    assert f"{lib}/vis-network.min.js" in srcs and f"{lib}/vis-network.css" in srcs
    for src in srcs:
        target = (path.parent / urllib.parse.unquote(src)).resolve()
        assert target.is_file(), src
    lib_dir = path.parent / urllib.parse.unquote(lib)
    assert (lib_dir / "vis-network.min.js").stat().st_size > 100_000
    assert (lib_dir / "LICENSE-vis-network.txt").is_file()
    # offline: no remote loads of any kind
    assert not re.search(r'(?:src|href)\s*=\s*["\']?\s*(?:https?:)?//', html, re.I)
    assert not re.search(r"url\(\s*['\"]?(?:https?:)?//", html, re.I)
    assert "@import" not in html
    # the raw payload never appears, only its escaped forms
    assert "<script>alert" not in html
    assert "</script><b>" not in html
    assert "\u2028" not in html
    block = re.search(r'id="kg-data">(.*?)</script>', html, re.S).group(1)
    assert not set("<>&\u2028\u2029") & set(block)  # nothing that could end the script
    assert "var network = kgViews.init(" in html  # the vis Network, a global
    assert '<input id="kg-search"' in html and 'list="kg-names"' in html
    assert '<datalist id="kg-names">' in html
    data = page_data(html)
    assert [k for k, _, _ in data["kinds"]] == list(KINDS)  # legend, made in the browser
    assert len(data["S"]) == len(set(data["S"]))  # each sentence once
    assert all(isinstance(n["x"], int) and isinstance(n["y"], int) for n in data["nodes"])
    return html


def test_overview_page(tmp_path: Path) -> None:
    g = small_graph()
    out = write_overview(g, tmp_path / "exports" / "graph.html")
    assert out == tmp_path / "exports" / "graph.html"
    html = check_page(out, "lib")
    data = page_data(html)
    entity_ids = sorted(n for n, d in g.nodes(data=True) if d["kind"] != "paper")
    assert [n["id"] for n in data["nodes"]] == entity_ids  # entities only, sorted
    assert "Showing all 7 entities" in html
    # the hostile paper title reaches the page only as escaped JSON (string table)
    assert f"Llama goes big {EVIL}" in [row[1] for row in data["P"]]
    assert "\\u003cscript\\u003ealert(1)\\u003c/script\\u003e" in html
    rels = {(u, v, r) for u, v, r, _ in links_of(data)}
    assert ("model/llama-2", "dataset/mmlu", "evaluated_on") in rels
    # llama-2 and mmlu share p1, p2 but are related: no extra co-mention edge
    assert ("model/llama-2", "dataset/mmlu", "co_mentioned") not in rels
    assert ("method/lora", "model/llama-2", "co_mentioned") in rels
    co = next(e for u, v, r, e in links_of(data) if r == "co_mentioned" and u == "method/lora")
    assert e_n(co) == 2 and strings(data, co["ev"]) == [f"Llama goes big {EVIL}", "A third paper"]
    # details for the panel: papers, aliases, evidence sentences (deduplicated)
    info = data["info"]
    assert info["model/llama-2"]["aka"] == ["Llama 2", "llama2"]
    assert info["model/llama-2"]["n"] == 3 and info["dataset/mmlu"]["kind"] == "dataset"
    lora = strings(data, info["method/lora"]["ev"])
    assert "We propose LoRA." in lora  # the proposing paper comes first
    assert lora[0] == f"Llama goes big {EVIL}"
    assert len(data["S"]) == len(set(data["S"]))
    assert data["kinds"][1] == ["model", "#0072b2", 2]
    assert dict((k, c) for k, _, c in data["kinds"]) == {
        "paper": 0,
        "model": 2,
        "method": 2,
        "dataset": 1,
        "metric": 1,
        "task": 1,
    }


def e_n(edge: dict) -> int:
    return edge["n"]


def test_overview_max_nodes(tmp_path: Path) -> None:
    g = small_graph()
    html = write_overview(g, tmp_path / "g.html", max_nodes=3).read_text(encoding="utf-8")
    data = page_data(html)
    ids = [n["id"] for n in data["nodes"]]
    # most papers first: llama-2, lora (3); then of mmlu / accuracy / qa (2) the most related
    assert ids == ["method/lora", "model/llama-2", "task/question-answering"]
    assert "Showing 3 of 7 entities" in html
    assert all(u in ids and v in ids for u, v, _, _ in links_of(data))


def test_entity_view(tmp_path: Path) -> None:
    g = small_graph()
    out = write_entity_view(g, "model/llama-2", tmp_path / "exports" / "entities" / "x.html")
    html = check_page(out, "../lib")
    assert (tmp_path / "exports" / "lib" / "kg-views.js").is_file()
    assert not (tmp_path / "exports" / "entities" / "lib").exists()
    data = page_data(html)
    ids = {n["id"] for n in data["nodes"]}
    assert {"model/llama-2", "paper/p1", "paper/p2", "paper/p3", "dataset/mmlu"} <= ids
    assert "model/llama" in ids and "metric/accuracy" in ids  # related
    assert "task/question-answering" in ids and "method/lora" in ids  # co-mentioned
    assert "paper/p4" not in ids and "method/bert" not in ids
    assert data["focus"] == "model/llama-2"
    assert "<h1>LLaMA-2</h1>" in html
    assert "also: Llama 2, llama2" in html
    # related entities on the inner ring, papers further out
    pos = {n["id"]: (n["x"], n["y"]) for n in data["nodes"]}
    assert pos["model/llama-2"] == (0, 0)
    radius = {n: (x * x + y * y) ** 0.5 for n, (x, y) in pos.items()}
    assert radius["dataset/mmlu"] < radius["paper/p1"] < radius["method/lora"]
    # the paper titles with markup are escaped in JSON, never raw
    p2 = data["info"]["paper/p2"]
    assert data["P"][p2["p"]][1] == "MMLU for everyone & </script><b>bold</b>"
    assert strings(data, p2["ev"]) == ["LLaMA-2 is used in p2."]  # the sentence about it
    assert "\\u003c/script\\u003e\\u003cb\\u003e" in html
    # the entity's panel lists all its papers with their sentences
    ev = strings(data, data["info"]["model/llama-2"]["ev"])
    assert "LLaMA-2 is used in p3." in ev and "A third paper" in ev
    mention = [r for u, v, r, _ in links_of(data) if u == "paper/p1" and v == "method/lora"]
    assert mention == ["proposes"]
    ev_mmlu = next(e for u, v, r, e in links_of(data) if r == "evaluated_on")
    assert strings(data, ev_mmlu["ev"])[1] == f"LLaMA-2 on MMLU {EVIL}"


def test_entity_view_limit_and_lookup(tmp_path: Path) -> None:
    g = small_graph()
    out = write_entity_view(g, "LLAMA 2", tmp_path / "one.html", max_nodes=4)
    html = check_page(out, "lib")
    data = page_data(html)
    assert len(data["nodes"]) == 4
    assert "Showing 4 of 9 nodes" in html
    with pytest.raises(KeyError):
        write_entity_view(g, "no such thing", tmp_path / "none.html")
    assert not (tmp_path / "none.html").exists()


def test_hostile_heading_and_datalist_escaped(tmp_path: Path) -> None:
    g = small_graph()
    g.graph["name"] = f'Graph "{EVIL}"'
    g.nodes["method/bert"]["name"] = f'BERT"><img src=x onerror=alert(1)> {EVIL}'
    html = write_overview(g, tmp_path / "g.html").read_text(encoding="utf-8")
    assert "<img" not in html and "<script>alert" not in html
    assert "<title>Graph &quot;&lt;script&gt;alert(1)&lt;/script&gt;&quot; \u2013 overview" in html
    assert "<h1>Graph &quot;&lt;script&gt;alert(1)&lt;/script&gt;&quot;: 7 entities" in html
    bert = page_data(html)["info"]["method/bert"]["name"]
    assert bert == f'BERT"><img src=x onerror=alert(1)> {EVIL}'  # the browser sets it as text
    html = write_entity_view(g, "method/bert", tmp_path / "e.html").read_text(encoding="utf-8")
    assert "<img" not in html and "<script>alert" not in html


def test_deterministic(tmp_path: Path) -> None:
    g = small_graph()
    a = write_overview(g, tmp_path / "a" / "graph.html").read_bytes()
    b = write_overview(g, tmp_path / "a" / "graph.html").read_bytes()
    # same graph built in another insertion order, written elsewhere
    h = nx.MultiDiGraph(**g.graph)
    h.add_nodes_from(sorted(g.nodes(data=True), reverse=True))
    h.add_edges_from(sorted(g.edges(keys=True, data=True), key=repr, reverse=True))
    c = write_overview(h, tmp_path / "c" / "graph.html").read_bytes()
    assert a == b == c
    e1 = write_entity_view(g, "task/question-answering", tmp_path / "e1.html").read_bytes()
    e2 = write_entity_view(h, "task/question-answering", tmp_path / "e2.html").read_bytes()
    assert e1 == e2
    assert not list(tmp_path.rglob("*.tmp"))


def test_relative_lib_any_directory(tmp_path: Path) -> None:
    g = small_graph()
    page = tmp_path / "deep" / "er" / "view.html"
    shared = tmp_path / "assets" / "js lib"
    out = write_entity_view(g, "dataset/mmlu", page, lib_dir=shared)
    html = check_page(out, "../../assets/js%20lib")
    assert (shared / "vis-network.min.js").is_file()
    links = {"model/llama-2": tmp_path / "deep" / "entities" / entity_page_name("model/llama-2")}
    data = page_data(write_overview(g, tmp_path / "deep" / "g.html", links=links).read_text())
    # a page in the entity pages' folder: pages + entity_page_name(node)
    assert data["info"]["model/llama-2"]["l"] == 1 and data["pages"] == "entities/"
    assert "l" not in data["info"]["dataset/mmlu"]
    links["dataset/mmlu"] = tmp_path / "elsewhere.html"  # not in that folder: its own href
    data = page_data(write_overview(g, tmp_path / "deep" / "g.html", links=links).read_text())
    assert data["info"]["dataset/mmlu"]["href"] == "../elsewhere.html"
    assert html.count("../../assets/js%20lib/") == 4


def test_find_entity() -> None:
    g = small_graph()
    assert find_entity(g, "model/llama-2") == "model/llama-2"
    assert find_entity(g, "llama-2") == "model/llama-2"
    assert find_entity(g, "  llama-2 ") == "model/llama-2"
    assert find_entity(g, "LLaMA-2") == "model/llama-2"
    assert find_entity(g, "LLAMA2") == "model/llama-2"  # alias, any case
    assert find_entity(g, "Question  Answering") == "task/question-answering"
    assert find_entity(g, "qa") == "task/question-answering"
    assert find_entity(g, "paper/p1") == "paper/p1"
    with pytest.raises(KeyError) as err:
        find_entity(g, "lama-2")
    assert "LLaMA-2 (model/llama-2)" in str(err.value)
    with pytest.raises(KeyError, match="no entity matches 'zzzz'"):
        find_entity(g, "zzzz")


def test_overview_keeps_strongest_links(tmp_path: Path) -> None:
    g = nx.MultiDiGraph(name="clique")
    for pid in ("p1", "p2", "p3"):
        _paper(g, pid, f"Paper {pid}")
    names = [f"m{i}" for i in range(7)]
    for name in names:
        _entity(g, "method", name, name.upper(), [], ["p1", "p2", "p3"])
    _relation(g, "method/m5", "method/m6", "variant_of", {"p1": "M5 is an M6."})
    data = page_data(write_overview(g, tmp_path / "g.html").read_text(encoding="utf-8"))
    edges = [(u, v, r) for u, v, r, _ in links_of(data)]
    # 21 co-mentioned pairs, one of them related: each method keeps its 3 strongest links
    assert ("method/m5", "method/m6", "variant_of") in edges
    assert ("method/m5", "method/m6", "co_mentioned") not in edges
    assert len(edges) < 21
    degree = {n: sum(n in e[:2] for e in edges) for n in (f"method/{m}" for m in names)}
    assert min(degree.values()) >= 3
    first = links_of(data)[0]
    assert first[2] == "co_mentioned" and first[3]["n"] == 3


def test_paper_view(tmp_path: Path) -> None:
    g = small_graph()
    html = check_page(write_entity_view(g, "paper/p4", tmp_path / "p4.html"), "lib")
    data = page_data(html)
    assert sorted(n["id"] for n in data["nodes"]) == [
        "method/bert",
        "method/lora",
        "paper/p4",
        "task/question-answering",
    ]
    rels = {(u, v, r) for u, v, r, _ in links_of(data)}
    assert ("method/lora", "task/question-answering", "applied_to") in rels
    assert ("paper/p4", "method/bert", "mentions") in rels
    assert "<h1>Line separator paper</h1>" in html  # white space collapsed
    assert "wei\\u2028rd.txt" in html  # U+2028 escaped inside the JSON


def test_type_view(tmp_path: Path) -> None:
    g = small_graph()
    html = check_page(write_type_view(g, "method", tmp_path / "types" / "m.html"), "lib")
    data = page_data(html)
    ids = {n["id"] for n in data["nodes"]}
    # the methods and what their relations lead to
    assert {"method/lora", "method/bert", "task/question-answering"} <= ids
    rels = {(u, v, r) for u, v, r, _ in links_of(data)}
    assert rels == {
        ("method/lora", "task/question-answering", "applied_to"),
        ("method/bert", "task/question-answering", "applied_to"),
    }
    assert "<h1>Methods and what they are linked to</h1>" in html
    small = write_type_view(g, "model", tmp_path / "t.html", max_nodes=2).read_text()
    assert len(page_data(small)["nodes"]) == 2
    with pytest.raises(ValueError):
        write_type_view(g, "paper", tmp_path / "x.html")


def test_long_sentence_cut_around_the_entity(tmp_path: Path) -> None:
    g = small_graph()
    long = "Words " * 80 + "then LLaMA-2 appears here and more " + "filler " * 40
    g.edges["paper/p3", "model/llama-2", "mentions"]["evidence"][0]["sentence"] = long
    data = page_data(write_entity_view(g, "model/llama-2", tmp_path / "e.html").read_text())
    cut = [s for s in data["S"] if "LLaMA-2 appears" in s]
    assert cut and cut[0].startswith("\u2026") and cut[0].endswith("\u2026")
    assert len(cut[0]) <= 180


def test_site(tmp_path: Path) -> None:
    g = small_graph()
    pages = write_site(g, tmp_path / "site")
    rel = sorted(p.relative_to(tmp_path / "site").as_posix() for p in pages)
    with_two = [n for n, d in g.nodes(data=True) if d["kind"] != "paper" and d["papers"] >= 2]
    assert rel == sorted(
        ["index.html", "graph.html"]
        + [f"types/{k}.html" for k in LABELS]
        + [f"entities/{entity_page_name(n)}" for n in with_two]
    )
    index = (tmp_path / "site" / "index.html").read_text(encoding="utf-8")
    hrefs = re.findall(r'href="([^"]+)"', index)
    for href in hrefs:
        assert (tmp_path / "site" / urllib.parse.unquote(href)).is_file(), href
    assert "entities/model-llama-2.html" in hrefs and "entities/method-bert.html" not in hrefs
    assert '<a href="entities/model-llama-2.html">LLaMA-2</a>' in index
    assert "<script>alert" not in index
    page = tmp_path / "site" / "entities" / "model-llama-2.html"
    html = check_page(page, "../lib")
    nav = re.findall(r"<nav>(.*?)</nav>", html)[0]
    assert '<a href="../index.html">Index</a>' in nav and 'href="../types/task.html"' in nav
    data = page_data(html)
    assert data["pages"] == "" and data["info"]["dataset/mmlu"]["l"] == 1
    assert data["P"] is None and '<script src="../lib/papers.js"></script>' in html
    table = (tmp_path / "site" / "lib" / "papers.js").read_text(encoding="utf-8")
    assert table.startswith("window.kgPapers = [[") and "<script>" not in table
    rows = json.loads(table.removeprefix("window.kgPapers = ").removesuffix(";\n"))
    assert [r[0] for r in rows] == ["p1", "p2", "p3", "p4"]
    assert rows[0][1] == f"Llama goes big {EVIL}"
    assert "l" not in data["info"]["model/llama"]  # one paper: no page
    overview = page_data((tmp_path / "site" / "graph.html").read_text(encoding="utf-8"))
    assert overview["pages"] == "entities/"
    again = write_site(g, tmp_path / "again")
    for a, b in zip(pages, again, strict=True):
        assert a.read_bytes() == b.read_bytes(), a


def test_bundled_overview(bundled, tmp_path: Path) -> None:
    g = bundled.nx
    out = write_overview(g, tmp_path / "exports" / "graph.html")
    html = check_page(out, "lib")
    data = page_data(html)
    entities = [n for n, d in g.nodes(data=True) if d["kind"] in LABELS]
    assert len(entities) > 150
    ids = {n["id"] for n in data["nodes"]}
    assert len(ids) == 150 and ids <= set(entities)
    assert f"Showing 150 of {len(entities)} entities" in html
    assert {data["info"][n]["kind"] for n in ids} == set(LABELS)
    assert 100 <= len(data["edges"]) <= 150 * 3  # each entity fills at most 3 link slots
    llm = find_entity(g, "large language models")
    assert llm in ids  # the most mentioned entity is always shown
    assert len(out.read_bytes()) < 300_000


def test_bundled_entity_view(bundled, tmp_path: Path) -> None:
    g = bundled.nx
    node = find_entity(g, "large language models")
    assert g.nodes[node]["name"].casefold() == "large language models"
    assert find_entity(g, "LLMs") == node
    path = tmp_path / "exports" / "entities" / entity_page_name(node)
    html = check_page(write_entity_view(g, node, path), "../lib")
    data = page_data(html)
    ids = {n["id"] for n in data["nodes"]}
    assert node in ids and len(ids) == 30 and data["focus"] == node
    papers = {n for n in ids if n.startswith("paper/")}
    assert len(papers) >= 10
    assert all(g.has_edge(p, node, "mentions") for p in papers)
    assert "Showing 30 of " in html
    assert len(data["info"][node]["ev"]) == 12  # papers listed with their sentences
    assert data["info"][node]["more"] == g.nodes[node]["papers"] - 12
    assert len(path.read_bytes()) < 30_000


def test_bundled_site_size(bundled, bundled_exports: Path) -> None:
    g = bundled.nx
    with_two = [n for n, d in g.nodes(data=True) if d["kind"] in LABELS and d["papers"] >= 2]
    pages = sorted((bundled_exports / "entities").glob("*.html"))
    assert len(pages) == len(with_two) > 200
    sizes = [p.stat().st_size for p in pages]
    assert max(sizes) < 30_000 and sum(sizes) / len(sizes) < 15_000
    site = [bundled_exports / "index.html", bundled_exports / "graph.html"]
    site += [*bundled_exports.glob("types/*.html"), *pages, *bundled_exports.glob("lib/*")]
    assert sum(p.stat().st_size for p in site) < 6_000_000
    index = (bundled_exports / "index.html").read_text(encoding="utf-8")
    for href in re.findall(r'href="([^"]+)"', index):
        assert (bundled_exports / urllib.parse.unquote(href)).is_file(), href
