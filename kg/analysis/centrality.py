"""The most central entities: papers, co-mention degree and PageRank."""

from __future__ import annotations

from typing import Any

import networkx as nx

from kg.analysis._graph import check_kind, pagerank
from kg.analysis.cooccurrence import cooccurrence_graph
from kg.records import LABELS

MEASURES = ("pagerank", "papers", "degree")


def centrality(g: nx.MultiDiGraph, kind: str | None = None) -> list[dict[str, Any]]:
    """Every entity with its centrality scores, most central (by PageRank) first.

    Scores come from the entity co-mention graph (:func:`cooccurrence_graph`):
    ``degree`` is the number of other entities mentioned in the same papers and
    ``pagerank`` the PageRank of that graph with links weighted by shared papers,
    computed over all entities (so scores compare across kinds).

    Parameters
    ----------
    g : networkx.MultiDiGraph
        A kg graph (``docs/graph-schema.md``).
    kind : str, optional
        Only entities of this kind (``"model"``, ``"method"``, ``"dataset"``,
        ``"metric"``, ``"task"``).

    Returns
    -------
    list of dict
        One row per entity: ``node``, ``kind``, ``name``, ``papers`` (number of
        papers mentioning it), ``proposed`` (papers proposing it), ``degree``,
        ``pagerank``.

    Examples
    --------
    >>> from kg.analysis._graph import example_graph
    >>> g = example_graph({"p1": ["model/bert", "dataset/glue"],
    ...                    "p2": ["model/bert", "dataset/squad"]})
    >>> [(r["name"], r["papers"], r["degree"], r["pagerank"]) for r in centrality(g)]
    [('bert', 2, 2, 0.486486), ('glue', 1, 1, 0.256757), ('squad', 1, 1, 0.256757)]
    """
    check_kind(kind)
    comention = cooccurrence_graph(g)
    ranks = pagerank(comention)
    rows = []
    for node, d in comention.nodes(data=True):
        if kind is not None and d["kind"] != kind:
            continue
        proposed = sum(1 for _, _, k in g.in_edges(node, keys=True) if k == "proposes")
        rows.append(
            {
                "node": node,
                "kind": d["kind"],
                "name": d["name"],
                "papers": d["papers"],
                "proposed": proposed,
                "degree": comention.degree(node),
                "pagerank": round(ranks[node], 6),
            }
        )
    rows.sort(key=lambda r: (-r["pagerank"], -r["papers"], LABELS.index(r["kind"]), r["node"]))
    return rows


def top_entities(
    g: nx.MultiDiGraph, kind: str | None = None, n: int = 10, by: str = "pagerank"
) -> list[dict[str, Any]]:
    """The ``n`` most central entities (of one ``kind`` when given).

    Parameters
    ----------
    g : networkx.MultiDiGraph
        A kg graph.
    kind : str, optional
        Only entities of this kind.
    n : int, default 10
        Number of rows; ``0`` for all.
    by : {"pagerank", "papers", "degree"}, default "pagerank"
        The ranking; ties go to the other two measures, then the node id.

    Returns
    -------
    list of dict
        Rows of :func:`centrality` with a ``rank`` (1 = most central) first.

    Examples
    --------
    >>> from kg.analysis._graph import example_graph
    >>> g = example_graph({"p1": ["dataset/imagenet", "model/vit"],
    ...                    "p2": ["dataset/imagenet", "dataset/cifar-10"]})
    >>> [(r["rank"], r["name"], r["papers"]) for r in top_entities(g, "dataset", by="papers")]
    [(1, 'imagenet', 2), (2, 'cifar-10', 1)]
    """
    if by not in MEASURES:
        raise ValueError(f"unknown measure {by!r}; expected one of {', '.join(MEASURES)}")
    rest = [m for m in MEASURES if m != by]
    rows = sorted(centrality(g, kind), key=lambda r: (-r[by], -r[rest[0]], -r[rest[1]], r["node"]))
    rows = rows[:n] if n else rows
    return [{"rank": i, **row} for i, row in enumerate(rows, 1)]
