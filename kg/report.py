"""``kg analyze``: a Markdown report on a built graph, with PNG charts made by matplotlib.

The report answers questions about the field from :mod:`kg.analysis`: the most central
entities of each kind, the pairs that occur together (method x dataset, dataset x
metric, model x task, with a dataset x metric heat map), the communities of entities
and the families of variants. Every number is a count of papers and the report lists
the papers behind it (``P12`` refers to the numbered list at its end).

Charts are drawn on :class:`matplotlib.figure.Figure` objects with the Agg canvas (no
pyplot, no display needed) and saved without a timestamp or software tag, so the same
graph gives byte-identical files.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import networkx as nx

from kg import analysis
from kg.analysis._graph import label
from kg.exports import atomic_write
from kg.records import LABELS

PAIRS: tuple[tuple[str, str], ...] = (
    ("method", "dataset"),
    ("dataset", "metric"),
    ("model", "task"),
)
PLURAL = {kind: f"{kind}s" for kind in LABELS}
HEATMAP_SIZE = (12, 10)  # datasets (rows) x metrics (columns)
MAX_COMMUNITIES = 15
MAX_FAMILIES = 8
DPI = 120


def analyse(g: nx.MultiDiGraph, n: int = 10) -> dict[str, Any]:
    """Everything the report shows, as plain values.

    Parameters
    ----------
    g : networkx.MultiDiGraph
        A kg graph (``kg.build().nx`` or ``kg.load(PATH)``).
    n : int, default 10
        Rows per table.

    Returns
    -------
    dict
        ``papers`` (number), ``counts`` (entities per kind and edges per relation),
        ``top`` (kind -> rows of :func:`kg.analysis.top_entities`), ``pairs`` ("a x b" ->
        rows of :func:`kg.analysis.top_pairs`), ``heatmap`` (``datasets``,
        ``metrics``, ``cells``: shared papers), ``communities``, ``families``.
    """
    counts: dict[str, int] = {}
    for _, d in g.nodes(data=True):
        counts[d.get("kind", "")] = counts.get(d.get("kind", ""), 0) + 1
    edges: dict[str, int] = {}
    for _, _, key in g.edges(keys=True):
        edges[key] = edges.get(key, 0) + 1
    ranked = analysis.centrality(g)
    top = {kind: [r for r in ranked if r["kind"] == kind][:n] for kind in LABELS}
    for rows in top.values():
        for i, row in enumerate(rows, 1):
            row["rank"] = i
            row["paper_ids"] = list(g.nodes[row["node"]].get("paper_ids", []))
    return {
        "name": g.graph.get("name", "kg"),
        "papers": counts.pop("paper", 0),
        "counts": {k: counts.get(k, 0) for k in LABELS} | dict(sorted(edges.items())),
        "top": top,
        "pairs": {f"{a} x {b}": analysis.top_pairs(g, (a, b), n) for a, b in PAIRS},
        "heatmap": _heatmap(g),
        "communities": analysis.communities(g),
        "families": analysis.families(g)[:MAX_FAMILIES],
    }


def write_report(
    g: nx.MultiDiGraph, folder: str | Path, n: int = 10, data: dict[str, Any] | None = None
) -> list[Path]:
    """Write ``report.md`` and its PNG charts into ``folder``.

    Parameters
    ----------
    g : networkx.MultiDiGraph
        A kg graph.
    folder : str or Path
        Output folder, created if needed.
    n : int, default 10
        Rows per table and bars per chart.
    data : dict, optional
        The result of ``analyse(g, n)`` when already computed.

    Returns
    -------
    list of Path
        ``report.md`` first, then the charts: ``top-<kind>.png`` for each kind,
        ``dataset-metric.png`` and ``communities.png``.
    """
    folder = Path(folder)
    data = data if data is not None else analyse(g, n)
    charts = [_top_chart(data["top"][kind], kind, folder / f"top-{kind}.png") for kind in LABELS]
    charts.append(_heatmap_chart(data["heatmap"], folder / "dataset-metric.png"))
    charts.append(_community_chart(data["communities"], folder / "communities.png"))
    text = render_markdown(g, data)
    return [atomic_write(folder / "report.md", lambda h: h.write(text)), *charts]


def summary_rows(data: dict[str, Any], n: int = 3) -> list[dict[str, Any]]:
    """Per kind: number of entities and the ``n`` most central with their papers.

    Examples
    --------
    >>> data = {"counts": dict.fromkeys(LABELS, 1),
    ...         "top": {k: [{"name": k.upper(), "papers": 2}] for k in LABELS}}
    >>> summary_rows(data)[0]
    {'kind': 'model', 'entities': 1, 'top': 'MODEL (2)'}
    """
    return [
        {
            "kind": kind,
            "entities": data["counts"][kind],
            "top": ", ".join(f"{r['name']} ({r['papers']})" for r in data["top"][kind][:n]),
        }
        for kind in LABELS
    ]


# -- Markdown ---------------------------------------------------------------------------


def render_markdown(g: nx.MultiDiGraph, data: dict[str, Any]) -> str:
    """The report text for the values of :func:`analyse` (charts are linked by file name)."""
    refs = _PaperRefs(g)
    counts = data["counts"]
    out = [
        f"# Analysis of the `{data['name']}` graph: {data['papers']:,} papers",
        "",
        "Entities: "
        + ", ".join(f"{counts[k]:,} {PLURAL[k]}" for k in LABELS)
        + ". Edges: "
        + ", ".join(f"{v:,} {k}" for k, v in counts.items() if k not in LABELS)
        + ".",
        "",
        "Every number below counts papers (titles and abstracts); the papers behind each",
        "row are listed under its table as `P<n>`, numbered in [Papers](#papers) at the end.",
        "",
        "## Most central entities",
        "",
        "Ranked by PageRank on the entity co-mention graph (entities linked when a paper",
        "mentions both, weighted by shared papers). *co-mentioned* is the number of other",
        "entities named in the same papers; *proposed* the papers introducing the entity.",
    ]
    for kind in LABELS:
        rows = data["top"][kind]
        out += [
            "",
            f"### {PLURAL[kind].capitalize()}",
            "",
            f"![Top {PLURAL[kind]}](top-{kind}.png)",
        ]
        out += ["", "| # | name | papers | co-mentioned | PageRank | proposed |"]
        out += ["|--:|---|--:|--:|--:|--:|"]
        out += [
            f"| {r['rank']} | {_md(r['name'])} | {r['papers']} | {r['degree']} | "
            f"{r['pagerank']:.4f} | {r['proposed']} |"
            for r in rows
        ]
        out += refs.details((r["name"], r["paper_ids"]) for r in rows)
    out += ["", "## Pairs that occur together", ""]
    out += [
        "Pairs of entities mentioned by the same papers (at least 2). *NPMI* is normalised",
        "pointwise mutual information over papers (1: always together, 0: independent);",
        "*p* is a one-sided Fisher exact test; *same sentence* counts papers relating the",
        "two in one sentence.",
    ]
    for title, rows in data["pairs"].items():
        a, b = title.split(" x ")
        out += ["", f"### {a.capitalize()} x {b}", ""]
        if not rows:
            out += ["No pair shares two papers."]
            continue
        out += [f"| {a} | {b} | papers | NPMI | p | same sentence |", "|---|---|--:|--:|--:|---|"]
        out += [
            f"| {_md(r['a_name'])} | {_md(r['b_name'])} | {r['papers']} | {r['npmi']:.2f} | "
            f"{r['p_value']:.1e} | {_relations(r['relations'])} |"
            for r in rows
        ]
        out += refs.details((f"{r['a_name']} x {r['b_name']}", r["paper_ids"]) for r in rows)
    out += ["", "### Datasets x metrics", "", "![Datasets x metrics](dataset-metric.png)", ""]
    out += [
        "Papers mentioning both, for the datasets in most papers and the metrics most",
        "often named with them.",
        "",
        "## Communities",
        "",
        f"Louvain communities (seed 0) of the {sum(c['size'] for c in data['communities'])}"
        " entities in two or more papers, linked when two or more papers mention both; each"
        " is named by its three members with the most shared papers inside it. *papers*"
        " counts papers mentioning two or more members.",
        "",
        "![Community sizes](communities.png)",
        "",
        "| # | name | size | kinds | papers |",
        "|--:|---|--:|---|--:|",
    ]
    out += [
        f"| {c['community']} | {_md(c['name'])} | {c['size']} | "
        f"{', '.join(f'{v} {k}' for k, v in c['kinds'].items())} | {c['papers']} |"
        for c in data["communities"]
    ]
    out += ["", "<details><summary>Members and papers</summary>", ""]
    for c in data["communities"]:
        out.append(f"* **{c['community']}** {_md(', '.join(c['members']))}: {refs(c['paper_ids'])}")
    out += ["", "</details>", "", "## Families", ""]
    out += ["Variants of a model, method or dataset (`variant_of`, or a name with version or"]
    out += ["size tags: *by name*), largest first.", "", "```text"]
    out += ["\n\n".join(analysis.format_tree(tree) for tree in data["families"]), "```"]
    members = [m for tree in data["families"] for m in _members(tree)]
    out += refs.details((label(g, m), g.nodes[m].get("paper_ids", [])) for m in members)
    out += ["", "## Papers", ""]
    out += refs.appendix()
    return "\n".join(out) + "\n"


class _PaperRefs:
    """Short references ``P<n>`` for papers, numbered in corpus order."""

    def __init__(self, g: nx.MultiDiGraph) -> None:
        papers = [(n, d) for n, d in g.nodes(data=True) if d.get("kind") == "paper"]
        papers.sort(key=lambda p: (str(p[1].get("source", "")), int(p[1].get("line", 0)), p[0]))
        self.graph = g
        self.number = {n.removeprefix("paper/"): i for i, (n, _) in enumerate(papers, 1)}

    def __call__(self, paper_ids: list[str]) -> str:
        numbers = sorted(self.number[p] for p in paper_ids if p in self.number)
        return ", ".join(f"[P{i}](#p{i})" for i in numbers)

    def details(self, rows: Any) -> list[str]:
        lines = ["", "<details><summary>Papers behind these numbers</summary>", ""]
        lines += [f"* {_md(name)}: {self(ids)}" for name, ids in rows]
        return [*lines, "", "</details>"]

    def appendix(self) -> list[str]:
        lines = []
        for paper, i in self.number.items():
            d = self.graph.nodes[f"paper/{paper}"]
            title = _md(" ".join(str(d.get("title", paper)).split()))
            link = f" <{d['url']}>" if d.get("url") else ""
            lines.append(f'* <a id="p{i}"></a>**P{i}** {title}{link}')
        return lines


def _members(tree: dict[str, Any]) -> list[str]:
    """Node ids of a family tree, parents before their variants."""
    return [tree["node"], *(m for child in tree["variants"] for m in _members(child))]


def _md(text: str) -> str:
    """Text safe inside a Markdown table cell or list item."""
    return str(text).replace("|", "\\|").replace("<", "&lt;").replace("*", "\\*")


def _relations(relations: dict[str, int]) -> str:
    return ", ".join(f"{k} ({v})" for k, v in relations.items()) or "-"


# -- charts -----------------------------------------------------------------------------


def _heatmap(g: nx.MultiDiGraph) -> dict[str, Any]:
    """Shared papers of the datasets in most papers x the metrics most named with them."""
    rows, cols = HEATMAP_SIZE
    datasets = analysis.top_entities(g, "dataset", n=rows, by="papers")
    pairs = analysis.top_pairs(g, ("dataset", "metric"), n=0, min_papers=1)
    chosen = {r["node"] for r in datasets}
    totals: dict[str, int] = {}
    for p in pairs:
        if p["a"] in chosen:
            totals[p["b"]] = totals.get(p["b"], 0) + p["papers"]
    metrics = sorted(totals, key=lambda m: (-totals[m], -g.nodes[m]["papers"], m))[:cols]
    shared = {(p["a"], p["b"]): p["papers"] for p in pairs}
    return {
        "datasets": [(r["node"], r["name"]) for r in datasets],
        "metrics": [(m, label(g, m)) for m in metrics],
        "cells": [[shared.get((d["node"], m), 0) for m in metrics] for d in datasets],
    }


def _figure(width: float, height: float) -> Any:
    from matplotlib.figure import Figure

    return Figure(figsize=(width, height), dpi=DPI, layout="constrained")


def _save(fig: Any, path: Path) -> Path:
    return atomic_write(
        path,
        lambda h: fig.savefig(h, format="png", metadata={"Software": None}),
        binary=True,
    )


def _short(text: str, limit: int = 48) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _top_chart(rows: list[dict[str, Any]], kind: str, path: Path) -> Path:
    from kg.views import PALETTE

    fig = _figure(7.5, 0.9 + 0.38 * max(len(rows), 1))
    ax = fig.add_subplot()
    rows = rows[::-1]  # most central at the top
    total = 100.0 / sum(r["pagerank"] for r in rows) if rows else 0
    shares = [r["pagerank"] * total for r in rows]
    bars = ax.barh([_short(r["name"]) for r in rows], shares, color=PALETTE[kind])
    ax.bar_label(bars, [f"{r['papers']} papers" for r in rows], padding=3, fontsize=8)
    ax.set_title(f"Most central {PLURAL[kind]} (PageRank on co-mentions)", loc="left")
    ax.set_xlabel(f"share of the PageRank of these {len(rows)} {PLURAL[kind]} (%)")
    ax.margins(x=0.18)
    ax.spines[["top", "right"]].set_visible(False)
    return _save(fig, path)


def _heatmap_chart(heat: dict[str, Any], path: Path) -> Path:
    cells = heat["cells"]
    n_rows, n_cols = len(heat["datasets"]), len(heat["metrics"])
    fig = _figure(1.8 + 0.62 * max(n_cols, 1) + 1.6, 1.9 + 0.42 * max(n_rows, 1))
    ax = fig.add_subplot()
    ax.set_title("Papers mentioning a dataset and a metric", loc="left")
    if not n_rows or not n_cols:
        ax.text(0.5, 0.5, "no dataset and metric in the same paper", ha="center")
        ax.set_axis_off()
        return _save(fig, path)
    top = max(max(row) for row in cells) or 1
    image = ax.imshow(cells, cmap="Blues", vmin=0, vmax=top, aspect="auto")
    ax.set_xticks(range(n_cols), [_short(name, 28) for _, name in heat["metrics"]])
    ax.set_yticks(range(n_rows), [_short(name, 32) for _, name in heat["datasets"]])
    ax.tick_params(axis="x", labelrotation=40)
    for tick in ax.get_xticklabels():
        tick.set_horizontalalignment("right")
        tick.set_rotation_mode("anchor")
    for i, row in enumerate(cells):
        for j, value in enumerate(row):
            if value:
                color = "white" if value > top * 0.6 else "black"
                ax.text(j, i, str(value), ha="center", va="center", fontsize=8, color=color)
    ax.set_xlabel("metric (most often named with these datasets first)")
    ax.set_ylabel("dataset (most papers first)")
    fig.colorbar(image, ax=ax, label="papers", shrink=0.8)
    return _save(fig, path)


def _community_chart(rows: list[dict[str, Any]], path: Path) -> Path:
    from kg.views import PALETTE

    rows = rows[:MAX_COMMUNITIES][::-1]
    fig = _figure(9, 1.2 + 0.36 * max(len(rows), 1))
    ax = fig.add_subplot()
    names = [f"{c['community']}. {_short(c['name'], 56)}" for c in rows]
    left = [0] * len(rows)
    for kind in LABELS:
        sizes = [c["kinds"].get(kind, 0) for c in rows]
        ax.barh(names, sizes, left=left, color=PALETTE[kind], label=kind)
        left = [a + b for a, b in zip(left, sizes, strict=True)]
    fig.suptitle(
        "Communities of entities (Louvain on co-mentions), largest first", x=0.02, ha="left"
    )
    ax.set_xlabel("entities")
    ax.legend(loc="lower right", frameon=False, fontsize=8)
    ax.spines[["top", "right"]].set_visible(False)
    return _save(fig, path)
