"""Entity co-occurrence: the entity-entity projection over papers, PMI and top pairs."""

from __future__ import annotations

import math
from fractions import Fraction
from typing import Any

import networkx as nx

from kg.analysis._graph import check_kind, entity_papers, label, pair_counts

RELATION_KEYS = ("evaluated_on", "measured_by", "applied_to", "variant_of")
SORT_KEYS = ("papers", "npmi", "pmi", "p_value")


def cooccurrence_graph(g: nx.MultiDiGraph, min_papers: int = 1) -> nx.Graph:
    """Project the graph onto entities: two entities are linked when papers mention both.

    Significance is measured over papers: with ``N`` papers, ``n_a`` and ``n_b``
    mentioning each entity and ``n_ab`` both, ``pmi = log2(n_ab N / (n_a n_b))``
    and ``npmi = pmi / -log2(n_ab / N)`` (1: always together, 0: independent).

    Parameters
    ----------
    g : networkx.MultiDiGraph
        A kg graph (``docs/graph-schema.md``).
    min_papers : int, default 1
        Keep links shared by at least this many papers (every entity stays a node).

    Returns
    -------
    networkx.Graph
        Nodes: entity node ids with ``kind``, ``name`` and ``papers``. Edges:
        ``weight`` and ``papers`` (number of papers mentioning both), ``pmi``, ``npmi``.

    Examples
    --------
    >>> from kg.analysis._graph import example_graph
    >>> g = example_graph({"p1": ["model/a", "dataset/x"], "p2": ["model/a", "dataset/x"],
    ...                    "p3": ["model/a"], "p4": ["dataset/y"]})
    >>> c = cooccurrence_graph(g)
    >>> c.edges["model/a", "dataset/x"]["papers"], round(c.edges["model/a", "dataset/x"]["npmi"], 3)
    (2, 0.415)
    >>> c.degree("dataset/y")
    0
    """
    papers = entity_papers(g)
    total = sum(1 for _, d in g.nodes(data=True) if d.get("kind") == "paper")
    out = nx.Graph()
    for node, ids in papers.items():
        d = g.nodes[node]
        out.add_node(node, kind=d["kind"], name=label(g, node), papers=len(ids))
    for (a, b), n_ab in sorted(pair_counts(g).items()):
        if n_ab >= min_papers:
            pmi, npmi = _pmi(n_ab, len(papers[a]), len(papers[b]), total)
            out.add_edge(a, b, weight=n_ab, papers=n_ab, pmi=pmi, npmi=npmi)
    return out


def top_pairs(
    g: nx.MultiDiGraph,
    kinds: tuple[str, str] = ("method", "dataset"),
    n: int = 10,
    by: str = "papers",
    min_papers: int = 2,
) -> list[dict[str, Any]]:
    """The most strongly co-occurring pairs of entities of two kinds.

    Parameters
    ----------
    g : networkx.MultiDiGraph
        A kg graph.
    kinds : (str, str), default ("method", "dataset")
        The kind of the first and of the second entity, e.g. ``("dataset", "metric")``
        or ``("model", "task")``; the same kind twice gives unordered pairs.
    n : int, default 10
        Number of rows; ``0`` for all.
    by : {"papers", "npmi", "pmi", "p_value"}, default "papers"
        Ranking: most shared papers, highest (N)PMI, or smallest p-value; ties go
        to the other scores, then names.
    min_papers : int, default 2
        Drop pairs shared by fewer papers (one shared paper says little).

    Returns
    -------
    list of dict
        One row per pair: ``a``, ``a_name``, ``b``, ``b_name``, ``papers``, ``pmi``,
        ``npmi``, ``p_value`` (one-sided Fisher exact test: the chance of at least
        this many shared papers if the two were mentioned independently),
        ``relations`` (the same-sentence relations between them, e.g.
        ``{"evaluated_on": 3}``: relation -> papers) and ``paper_ids``.

    Examples
    --------
    >>> from kg.analysis._graph import example_graph
    >>> g = example_graph(
    ...     {"p1": ["method/lora", "dataset/glue"], "p2": ["method/lora", "dataset/glue"],
    ...      "p3": ["method/lora"], "p4": ["method/dora", "dataset/glue"]},
    ...     [("method/lora", "evaluated_on", "dataset/glue")])
    >>> [(r["a_name"], r["b_name"], r["papers"], r["relations"]) for r in top_pairs(g)]
    [('lora', 'glue', 2, {'evaluated_on': 1})]
    >>> [(r["a_name"], r["npmi"]) for r in top_pairs(g, min_papers=1, by="npmi")]
    [('dora', 0.2075), ('lora', -0.1699)]
    """
    for kind in kinds:
        check_kind(kind)
    if by not in SORT_KEYS:
        raise ValueError(f"unknown ranking {by!r}; expected one of {', '.join(SORT_KEYS)}")
    papers = entity_papers(g)
    total = sum(1 for _, d in g.nodes(data=True) if d.get("kind") == "paper")
    rows = []
    for (a, b), n_ab in pair_counts(g).items():
        pair = _oriented(g, a, b, kinds)
        if pair is None or n_ab < min_papers:
            continue
        a, b = pair
        n_a, n_b = len(papers[a]), len(papers[b])
        pmi, npmi = _pmi(n_ab, n_a, n_b, total)
        shared = sorted(set(papers[a]) & set(papers[b]))
        rows.append(
            {
                "a": a,
                "a_name": label(g, a),
                "b": b,
                "b_name": label(g, b),
                "papers": n_ab,
                "pmi": round(pmi, 4),
                "npmi": round(npmi, 4),
                "p_value": _fisher(n_ab, n_a, n_b, total),
                "relations": relations_between(g, a, b),
                "paper_ids": [p.removeprefix("paper/") for p in shared],
            }
        )
    rank = {
        "papers": lambda r: (-r["papers"], -r["npmi"]),
        "npmi": lambda r: (-r["npmi"], -r["papers"]),
        "pmi": lambda r: (-r["pmi"], -r["papers"]),
        "p_value": lambda r: (r["p_value"], -r["papers"]),
    }[by]
    rows.sort(key=lambda r: (*rank(r), r["a_name"].casefold(), r["b_name"].casefold(), r["a"]))
    return rows[:n] if n else rows


def relations_between(g: nx.MultiDiGraph, a: str, b: str) -> dict[str, int]:
    """Same-sentence relations between two entities, either way: relation -> support.

    Examples
    --------
    >>> from kg.analysis._graph import example_graph
    >>> g = example_graph({"p1": ["model/bert", "dataset/glue"]},
    ...                   [("model/bert", "evaluated_on", "dataset/glue")])
    >>> relations_between(g, "dataset/glue", "model/bert")
    {'evaluated_on': 1}
    """
    found: dict[str, int] = {}
    for u, v in ((a, b), (b, a)):
        for key, data in (g.get_edge_data(u, v) or {}).items():
            if key in RELATION_KEYS:
                found[key] = found.get(key, 0) + int(data.get("support", 1))
    return dict(sorted(found.items()))


def _oriented(g: nx.MultiDiGraph, a: str, b: str, kinds: tuple[str, str]) -> tuple[str, str] | None:
    ka, kb = g.nodes[a]["kind"], g.nodes[b]["kind"]
    if (ka, kb) == kinds:
        return a, b
    if (kb, ka) == kinds:
        return b, a
    return None


def _pmi(n_ab: int, n_a: int, n_b: int, total: int) -> tuple[float, float]:
    """PMI (bits) and normalised PMI of a pair seen together in ``n_ab`` of ``total`` papers."""
    pmi = math.log2(n_ab * total / (n_a * n_b))
    p_ab = n_ab / total
    npmi = 1.0 if p_ab >= 1 else pmi / -math.log2(p_ab)
    return pmi, npmi


def _fisher(n_ab: int, n_a: int, n_b: int, total: int) -> float:
    """P(X >= n_ab) for X hypergeometric: ``n_b`` draws from ``total`` holding ``n_a``.

    Examples
    --------
    >>> _fisher(2, 2, 2, 4)  # both of 2 draws from 4 hit the 2 marked: 1/6
    0.16666666666666666
    """
    top = min(n_a, n_b)
    hits = sum(math.comb(n_a, i) * math.comb(total - n_a, n_b - i) for i in range(n_ab, top + 1))
    return float(Fraction(hits, math.comb(total, n_b)))
