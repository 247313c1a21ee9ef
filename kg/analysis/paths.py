"""Neighbourhoods and paths: what surrounds an entity, what connects two entities."""

from __future__ import annotations

from itertools import islice, pairwise
from typing import Any

import networkx as nx

from kg.analysis._graph import check_kind, find, label, paper_refs
from kg.analysis.cooccurrence import RELATION_KEYS, cooccurrence_graph, relations_between

HOP = 10.0  # path cost of one hop; a hop's strength (1 / shared papers) only breaks ties


def neighbours(
    g: nx.MultiDiGraph, entity: str, kind: str | None = None, n: int = 10, evidence: int = 2
) -> list[dict[str, Any]]:
    """The entities around one entity: mentioned in the same papers, or related to it.

    Parameters
    ----------
    g : networkx.MultiDiGraph
        A kg graph (``docs/graph-schema.md``).
    entity : str
        Node id, entity id, name or alias (as ``kg view``), e.g. ``"LLaMA-2"``.
    kind : str, optional
        Only neighbours of this kind.
    n : int, default 10
        Number of rows; ``0`` for all.
    evidence : int, default 2
        Evidence sentences kept per neighbour.

    Returns
    -------
    list of dict
        Most shared papers first (then NPMI): ``node``, ``kind``, ``name``,
        ``papers`` (papers mentioning both), ``npmi``, ``relations`` (same-sentence
        relations and ``variant_of`` between the two: relation -> papers),
        ``evidence`` (``{"paper", "relation", "sentence"}`` from those relations)
        and ``paper_ids``.

    Examples
    --------
    >>> from kg.analysis._graph import example_graph
    >>> g = example_graph({"p1": ["model/bert", "dataset/glue", "task/qa"], "p2": ["model/bert"],
    ...                    "p3": ["model/bert", "dataset/glue"]},
    ...                   [("model/bert", "evaluated_on", "dataset/glue")], {"model/bert": "BERT"})
    >>> [(r["name"], r["papers"], r["relations"]) for r in neighbours(g, "bert")]
    [('glue', 2, {'evaluated_on': 1}), ('qa', 1, {})]
    >>> neighbours(g, "bert")[0]["evidence"]
    [{'paper': 'p1', 'relation': 'evaluated_on', 'sentence': 'BERT evaluated_on glue.'}]
    """
    check_kind(kind)
    node = find(g, entity)
    links = _link_graph(g)
    rows = []
    for other in links.neighbors(node):
        d = links.nodes[other]
        if kind is not None and d["kind"] != kind:
            continue
        rows.append(_hop(g, links, node, other, evidence) | {"kind": d["kind"]})
    rows.sort(key=lambda r: (-r["papers"], -r["npmi"], -sum(r["relations"].values()), r["to"]))
    out = [
        {
            "node": r["to"],
            "kind": r["kind"],
            "name": r["to_name"],
            "papers": r["papers"],
            "npmi": r["npmi"],
            "relations": r["relations"],
            "evidence": r["evidence"],
            "paper_ids": r["paper_ids"],
        }
        for r in rows
    ]
    return out[:n] if n else out


def connections(
    g: nx.MultiDiGraph, source: str, target: str, paths: int = 3, evidence: int = 2
) -> dict[str, Any]:
    """What connects two entities: shared papers, direct relations and the shortest paths.

    A path runs over entities mentioned in the same papers (or linked by
    ``variant_of``); fewer hops come first, then hops shared by more papers. Each
    hop lists the papers behind it and the sentences of its relations.

    Parameters
    ----------
    g : networkx.MultiDiGraph
        A kg graph.
    source, target : str
        Node ids, entity ids, names or aliases.
    paths : int, default 3
        Number of paths.
    evidence : int, default 2
        Evidence sentences kept per hop.

    Returns
    -------
    dict
        ``source``, ``source_name``, ``target``, ``target_name``; ``papers``
        (``{"paper", "title", "url"}`` of the papers mentioning both);
        ``relations`` (direct relations: relation -> papers); ``paths``: a list of
        paths, each a list of hops ``{"from", "from_name", "to", "to_name",
        "papers", "npmi", "relations", "evidence", "paper_ids"}``.

    Examples
    --------
    >>> from kg.analysis._graph import example_graph
    >>> g = example_graph({"p1": ["model/bert", "method/fine-tuning"],
    ...                    "p2": ["method/fine-tuning", "dataset/glue"]})
    >>> c = connections(g, "bert", "glue")
    >>> c["papers"], [[(h["from_name"], h["to_name"], h["paper_ids"]) for h in p]
    ...                for p in c["paths"]]
    ([], [[('bert', 'fine-tuning', ['p1']), ('fine-tuning', 'glue', ['p2'])]])
    """
    a, b = find(g, source), find(g, target)
    links = _link_graph(g)
    found: list[list[dict[str, Any]]] = []
    if a != b and nx.has_path(links, a, b):
        for path in islice(nx.shortest_simple_paths(links, a, b, weight="cost"), paths):
            found.append([_hop(g, links, u, v, evidence) for u, v in pairwise(path)])
    shared = links.edges[a, b]["paper_ids"] if links.has_edge(a, b) else []
    return {
        "source": a,
        "source_name": label(g, a),
        "target": b,
        "target_name": label(g, b),
        "papers": paper_refs(g, shared),
        "relations": relations_between(g, a, b),
        "paths": found,
    }


def _link_graph(g: nx.MultiDiGraph) -> nx.Graph:
    """The co-mention graph plus ``variant_of`` links, with shared paper ids and path costs."""
    links = cooccurrence_graph(g)
    for a, b in links.edges:
        links.edges[a, b]["paper_ids"] = []
    for n, d in sorted(g.nodes(data=True)):
        if d.get("kind") == "paper":
            ents = sorted({v for _, v, k in g.out_edges(n, keys=True) if k == "mentions"})
            for i, u in enumerate(ents):
                for v in ents[i + 1 :]:
                    links.edges[u, v]["paper_ids"].append(n.removeprefix("paper/"))
    for u, v, key in g.edges(keys=True):
        if key == "variant_of" and u in links and v in links and not links.has_edge(u, v):
            links.add_edge(u, v, papers=0, npmi=0.0, paper_ids=[])
    for _, _, d in links.edges(data=True):
        d["cost"] = HOP + 1.0 / max(d["papers"], 1)
    return links


def _hop(g: nx.MultiDiGraph, links: nx.Graph, u: str, v: str, evidence: int) -> dict[str, Any]:
    """One step from ``u`` to ``v``: shared papers, relations and their sentences."""
    d = links.edges[u, v]
    sentences = []
    for x, y in ((u, v), (v, u)):
        for key, data in sorted((g.get_edge_data(x, y) or {}).items()):
            if key in RELATION_KEYS:
                for ev in data.get("evidence", []):
                    sentences.append({"paper": ev["paper"], "relation": key, **ev})
    sentences.sort(key=lambda e: (e["paper"], e["relation"]))
    return {
        "from": u,
        "from_name": label(g, u),
        "to": v,
        "to_name": label(g, v),
        "papers": d["papers"],
        "npmi": round(d["npmi"], 4),
        "relations": relations_between(g, u, v),
        "evidence": [
            {"paper": e["paper"], "relation": e["relation"], "sentence": e["sentence"]}
            for e in sentences[:evidence]
        ],
        "paper_ids": list(d["paper_ids"]),
    }
