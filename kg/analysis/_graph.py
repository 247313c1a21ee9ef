"""Shared helpers: entity lookup, paper sets, the co-mention counts and PageRank."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from itertools import combinations
from typing import Any

import networkx as nx

from kg.records import LABELS


def find(g: nx.MultiDiGraph, entity: str) -> str:
    """Node id of an entity given by node id, entity id, name or alias (case-insensitive).

    The same lookup as ``kg view``: an exact node id wins, then an entity id, a
    canonical name, an alias; among equals, the entity in more papers.

    Parameters
    ----------
    g : networkx.MultiDiGraph
        A kg graph (``docs/graph-schema.md``).
    entity : str
        What to look for, e.g. ``"LLaMA-2"``, ``"llama-2"`` or ``"model/llama-2"``.

    Returns
    -------
    str
        The node id.

    Raises
    ------
    KeyError
        When no entity matches; the message suggests close matches.

    Examples
    --------
    >>> g = example_graph({"p1": ["model/llama-2"]}, names={"model/llama-2": "LLaMA-2"})
    >>> g.nodes["model/llama-2"]["aliases"] = ["Llama 2"]
    >>> find(g, "llama 2"), find(g, "LLAMA-2"), find(g, "llama-2")
    ('model/llama-2', 'model/llama-2', 'model/llama-2')
    """
    from kg.views import find_entity

    node = find_entity(g, entity)
    if g.nodes[node].get("kind") not in LABELS:
        raise KeyError(f"{entity!r} is a paper, not an entity")
    return node


def entity_nodes(g: nx.MultiDiGraph, kind: str | None = None) -> list[str]:
    """Entity node ids (of one ``kind`` when given), sorted.

    Raises
    ------
    ValueError
        When ``kind`` is not one of the five entity labels.
    """
    check_kind(kind)
    return sorted(
        n
        for n, d in g.nodes(data=True)
        if d.get("kind") in LABELS and (kind is None or d["kind"] == kind)
    )


def check_kind(kind: str | None) -> None:
    """Raise ``ValueError`` unless ``kind`` is ``None`` or an entity label."""
    if kind is not None and kind not in LABELS:
        raise ValueError(f"unknown kind {kind!r}; expected one of {', '.join(LABELS)}")


def paper_entities(g: nx.MultiDiGraph) -> dict[str, list[str]]:
    """Paper node id -> the entity nodes it mentions (sorted), for every paper."""
    out: dict[str, list[str]] = {}
    for n, d in sorted(g.nodes(data=True)):
        if d.get("kind") == "paper":
            out[n] = sorted(
                {v for _, v, k in g.out_edges(n, keys=True) if k == "mentions"},
            )
    return out


def entity_papers(g: nx.MultiDiGraph) -> dict[str, list[str]]:
    """Entity node id -> the paper node ids that mention it (sorted)."""
    out: dict[str, list[str]] = {n: [] for n in entity_nodes(g)}
    for paper, entities in paper_entities(g).items():
        for e in entities:
            out[e].append(paper)
    return out


def pair_counts(g: nx.MultiDiGraph) -> Counter[tuple[str, str]]:
    """Number of papers mentioning both entities, per sorted pair of entity nodes."""
    counts: Counter[tuple[str, str]] = Counter()
    for entities in paper_entities(g).values():
        counts.update(combinations(entities, 2))
    return counts


def label(g: nx.MultiDiGraph, node: str) -> str:
    """An entity's canonical name, a paper's title, else the node id."""
    d = g.nodes[node]
    return str(d.get("title") if d.get("kind") == "paper" else d.get("name") or node)


def paper_refs(g: nx.MultiDiGraph, papers: Iterable[str]) -> list[dict[str, str]]:
    """``{"paper", "title", "url"}`` for paper node ids (``paper/`` prefix optional)."""
    refs = []
    for p in papers:
        node = p if p.startswith("paper/") else f"paper/{p}"
        d = g.nodes[node] if node in g else {}
        refs.append({"paper": node, "title": str(d.get("title", "")), "url": d.get("url") or ""})
    return refs


def pagerank(
    weights: nx.Graph, alpha: float = 0.85, tol: float = 1e-12, max_iter: int = 1000
) -> dict[Any, float]:
    """Weighted PageRank of an undirected graph by power iteration (no SciPy needed).

    Edge attribute ``weight`` (default 1) sets how much rank flows along an edge;
    isolated nodes spread their rank evenly, as in :func:`networkx.pagerank`.

    Examples
    --------
    >>> ranks = pagerank(nx.star_graph(3))
    >>> round(ranks[0], 4), round(ranks[1], 4), round(sum(ranks.values()), 6)
    (0.4797, 0.1734, 1.0)
    """
    nodes = sorted(weights, key=str)
    n = len(nodes)
    if n == 0:
        return {}
    index = {v: i for i, v in enumerate(nodes)}
    links: list[list[tuple[int, float]]] = []
    for v in nodes:
        strength = weights.degree(v, weight="weight")
        links.append(
            [(index[u], alpha * d.get("weight", 1) / strength) for u, d in weights[v].items()]
            if strength
            else []
        )
    dangling = [i for i, out in enumerate(links) if not out]
    rank = [1.0 / n] * n
    for _ in range(max_iter):
        base = (1.0 - alpha + alpha * sum(rank[i] for i in dangling)) / n
        new = [base] * n
        for i, out in enumerate(links):
            r = rank[i]
            for j, share in out:
                new[j] += r * share
        done = sum(abs(a - b) for a, b in zip(new, rank, strict=True)) < n * tol
        rank = new
        if done:
            break
    return dict(zip(nodes, rank, strict=True))


def example_graph(
    papers: Mapping[str, Iterable[str]],
    relations: Iterable[tuple[str, str, str]] = (),
    names: Mapping[str, str] | None = None,
) -> nx.MultiDiGraph:
    """A small kg graph for examples and tests: papers and the entities they mention.

    Parameters
    ----------
    papers : mapping
        Paper id -> entity node ids it mentions (``"model/bert"``: kind, then id).
    relations : iterable of (source, relation, target)
        Entity-entity edges (e.g. ``("model/bert", "evaluated_on", "dataset/glue")``),
        with the first paper mentioning both (else the source) as evidence.
    names : mapping, optional
        Node id -> canonical name (default: the entity id).

    Examples
    --------
    >>> g = example_graph({"p1": ["model/bert", "dataset/glue"]},
    ...                   [("model/bert", "evaluated_on", "dataset/glue")], {"model/bert": "BERT"})
    >>> edge = g.edges["model/bert", "dataset/glue", "evaluated_on"]
    >>> g.nodes["model/bert"]["papers"], edge["support"], edge["evidence"]
    (1, 1, [{'paper': 'p1', 'sentence': 'BERT evaluated_on glue.'}])
    """
    names = names or {}
    g = nx.MultiDiGraph(name="example", papers=len(papers), sources=[])
    for paper, entities in papers.items():
        g.add_node(f"paper/{paper}", kind="paper", id=paper, title=paper, url="")
        for node in entities:
            kind, ident = node.split("/", 1)
            if node not in g:
                g.add_node(node, kind=kind, id=ident, name=names.get(node, ident), aliases=[])
                g.nodes[node].update(papers=0, paper_ids=[])
            g.nodes[node]["papers"] += 1
            g.nodes[node]["paper_ids"].append(paper)
            evidence = [{"paper": paper, "sentence": paper}]
            g.add_edge(f"paper/{paper}", node, key="mentions", relation="mentions", support=1)
            g.edges[f"paper/{paper}", node, "mentions"].update(evidence=evidence, count=1)
    for source, relation, target in relations:
        both = [p for p, ents in papers.items() if source in ents and target in ents]
        paper = (both or [p for p, ents in papers.items() if source in ents] or [""])[0]
        sentence = f"{g.nodes[source]['name']} {relation} {g.nodes[target]['name']}."
        g.add_edge(source, target, key=relation, relation=relation, support=1)
        g.edges[source, target, relation]["evidence"] = [{"paper": paper, "sentence": sentence}]
    return g
