"""Communities of entities: Louvain on the co-mention graph, seeded for reproducibility."""

from __future__ import annotations

from collections import Counter
from typing import Any

import networkx as nx

from kg.analysis._graph import find, paper_entities
from kg.analysis.cooccurrence import cooccurrence_graph
from kg.records import LABELS


def communities(
    g: nx.MultiDiGraph,
    min_papers: int = 2,
    resolution: float = 1.5,
    seed: int = 0,
    name_size: int = 3,
) -> list[dict[str, Any]]:
    """Groups of entities that papers mention together, largest first.

    Louvain (:func:`networkx.community.louvain_communities`) runs on the entity
    co-mention graph, links weighted by shared papers. Only entities in at least
    ``min_papers`` papers and links shared by at least ``min_papers`` papers are kept:
    one paper's entities are all linked to each other and would form a group of their own.

    Parameters
    ----------
    g : networkx.MultiDiGraph
        A kg graph (``docs/graph-schema.md``).
    min_papers : int, default 2
        Smallest number of papers behind an entity and behind a link.
    resolution : float, default 1.5
        Louvain resolution: above 1 gives more, smaller groups (at 1 the bundled
        corpus falls into a few broad groups around its most mentioned entities).
    seed : int, default 0
        Random seed of Louvain: the same graph and seed give the same groups.
    name_size : int, default 3
        Number of top members in a group's name.

    Returns
    -------
    list of dict
        One row per group of two or more entities: ``community`` (1 = largest),
        ``name`` (its top members joined by ``" / "``), ``size``, ``kinds``
        (kind -> members), ``members`` (names, top first: most shared papers with
        the rest of the group), ``nodes`` (node ids, same order), ``papers`` (papers
        mentioning two or more members) and ``paper_ids``.

    Examples
    --------
    >>> from kg.analysis._graph import example_graph
    >>> g = example_graph({"p1": ["model/a", "task/b"], "p2": ["model/a", "task/b"],
    ...                    "p3": ["model/c", "task/d", "task/e"], "p4": ["model/c", "task/d"],
    ...                    "p5": ["model/a", "task/d"]})
    >>> [(c["community"], c["name"], c["kinds"], c["papers"]) for c in communities(g)]
    [(1, 'a / b', {'model': 1, 'task': 1}, 2), (2, 'd / c', {'model': 1, 'task': 1}, 2)]
    """
    comention = cooccurrence_graph(g, min_papers=min_papers)
    keep = [n for n, d in comention.nodes(data=True) if d["papers"] >= min_papers]
    sub = comention.subgraph(n for n in keep if any(True for _ in comention.neighbors(n)))
    # Louvain keeps communities in sets: on string nodes their order (and so the result)
    # would follow Python's per-process string hashing; integers hash to themselves.
    nodes = sorted(sub)
    numbered = nx.Graph()
    numbered.add_nodes_from(range(len(nodes)))
    index = {n: i for i, n in enumerate(nodes)}
    # a subgraph view may list an edge as (u, v) or (v, u) depending on string hashing
    # (it iterates a set of nodes): number both ends and put the smaller first
    pairs = ((index[u], index[v], w) for u, v, w in sub.edges(data="weight"))
    numbered.add_weighted_edges_from(sorted((min(a, b), max(a, b), w) for a, b, w in pairs))
    groups = [
        {nodes[i] for i in group}
        for group in nx.community.louvain_communities(
            numbered, weight="weight", resolution=resolution, seed=seed
        )
    ]
    by_paper = paper_entities(g)
    rows = []
    for group in groups:
        if len(group) < 2:
            continue
        strength = dict(sub.subgraph(group).degree(weight="weight"))
        nodes = sorted(group, key=lambda n: (-strength[n], -comention.nodes[n]["papers"], n))
        names = [comention.nodes[n]["name"] for n in nodes]
        kinds = Counter(comention.nodes[n]["kind"] for n in nodes)
        papers = sorted(p for p, ents in by_paper.items() if len(group.intersection(ents)) >= 2)
        rows.append(
            {
                "name": " / ".join(names[:name_size]),
                "size": len(nodes),
                "kinds": {k: kinds[k] for k in LABELS if kinds[k]},
                "members": names,
                "nodes": nodes,
                "papers": len(papers),
                "paper_ids": [p.removeprefix("paper/") for p in papers],
            }
        )
    rows.sort(key=lambda r: (-r["size"], -r["papers"], r["nodes"][0]))
    return [{"community": i, **row} for i, row in enumerate(rows, 1)]


def community_of(g: nx.MultiDiGraph, entity: str, **options: Any) -> dict[str, Any] | None:
    """The community (a row of :func:`communities`) holding one entity, or ``None``.

    Parameters
    ----------
    g : networkx.MultiDiGraph
        A kg graph.
    entity : str
        Node id, entity id, name or alias.
    **options
        Passed to :func:`communities` (``min_papers``, ``resolution``, ``seed``).

    Examples
    --------
    >>> from kg.analysis._graph import example_graph
    >>> g = example_graph({"p1": ["model/a", "model/b"], "p2": ["model/a", "model/b"]})
    >>> community_of(g, "b")["members"]
    ['a', 'b']
    """
    node = find(g, entity)
    return next((row for row in communities(g, **options) if node in row["nodes"]), None)
