"""Which nodes and links a page shows."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable

import networkx as nx

from kg.records import LABELS
from kg.views._common import LINKS_PER_NODE, MIN_COMENTION, PAPER_EDGES, _papers


def _overview_nodes(g: nx.MultiDiGraph, max_nodes: int) -> tuple[list[str], int]:
    """Sorted entity nodes of the overview (those in most papers) and the entity count."""
    entities = [n for n, d in g.nodes(data=True) if d.get("kind") in LABELS]
    relations: Counter[str] = Counter()
    for u, v, key in g.edges(keys=True):
        if key not in PAPER_EDGES and u != v:
            relations[u] += 1
            relations[v] += 1
    ranked = sorted(entities, key=lambda n: (-_papers(g, n), -relations[n], n))
    return sorted(ranked[: max(0, max_nodes)]), len(entities)


def _type_nodes(g: nx.MultiDiGraph, kind: str, max_nodes: int) -> tuple[list[str], int]:
    """Entities of ``kind`` in most papers and the entities they are most related to.

    Up to two thirds of ``max_nodes`` go to entities of ``kind`` (most papers first),
    the rest to the other ends of their relations (most supporting papers first);
    slots one side cannot fill go to the other. Returns the sorted nodes and the
    number of entities of ``kind``.
    """
    own = [n for n, d in g.nodes(data=True) if d.get("kind") == kind]
    own.sort(key=lambda n: (-_papers(g, n), n))
    budget = max(1, max_nodes)
    first = own[: max(1, budget * 2 // 3)]
    chosen = set(first)
    support: Counter[str] = Counter()
    for n in first:
        for u, v, key, d in (
            *g.in_edges(n, keys=True, data=True),
            *g.out_edges(n, keys=True, data=True),
        ):
            other = v if u == n else u
            if key not in PAPER_EDGES and other not in chosen:
                support[other] += int(d.get("support", 0))
    partners = sorted(support, key=lambda n: (-support[n], -_papers(g, n), n))
    partners = [p for p in partners if g.nodes[p].get("kind") != kind]
    extra = partners[: budget - len(first)]
    shown = own[: budget - len(extra)] + extra
    return sorted(shown), len(own)


def _neighbourhood(g: nx.MultiDiGraph, node: str, max_nodes: int) -> tuple[list[str], int]:
    """Nodes shown around ``node`` (itself first) and the size of the whole neighbourhood."""
    budget = max_nodes - 1
    if g.nodes[node].get("kind") == "paper":
        count = {v: g.edges[node, v, "mentions"].get("count", 1) for v in _paper_entities(g, node)}
        around = sorted(count, key=lambda v: (-count[v], v))
        return [node, *around[:budget]], len(around) + 1

    support: dict[str, int] = {}
    papers: dict[str, tuple[int, int]] = {}
    incident = [*g.in_edges(node, keys=True, data=True), *g.out_edges(node, keys=True, data=True)]
    for u, v, key, d in incident:
        other = v if u == node else u
        if other == node:
            continue
        if key in PAPER_EDGES and g.nodes[other].get("kind") == "paper":
            proposes, count = papers.get(other, (0, 0))
            if key == "proposes":
                proposes = 1
            else:
                count = int(d.get("count", 1))
            papers[other] = (proposes, count)
        elif key not in PAPER_EDGES:
            support[other] = max(support.get(other, 0), int(d.get("support", 0)))
    related = sorted(support, key=lambda n: (-support[n], n))
    paper_list = sorted(papers, key=lambda p: (-papers[p][0], -papers[p][1], p))

    def comentioned(ps: Iterable[str]) -> list[str]:
        shared = Counter(e for p in ps for e in _paper_entities(g, p))
        for n in (node, *related):
            shared.pop(n, None)
        return sorted(shared, key=lambda e: (-shared[e], e))

    everything = comentioned(paper_list)
    total = 1 + len(related) + len(paper_list) + len(everything)
    rel = related[: budget // 4]
    pap = paper_list[: budget // 2]
    co = comentioned(pap)[: budget - len(rel) - len(pap)]
    spare = budget - len(rel) - len(pap) - len(co)
    rel = related[: len(rel) + spare]  # fill what is left: relations first, then papers
    spare = budget - len(rel) - len(pap) - len(co)
    pap = paper_list[: len(pap) + spare]
    co = comentioned(pap)[: budget - len(rel) - len(pap)]
    return [node, *rel, *pap, *co], total


def _overview_links(
    g: nx.MultiDiGraph, keep: set[str]
) -> list[tuple[str, str, str, str, list[str]]]:
    """Links drawn between kept entities: each keeps its strongest few.

    Candidates are relation edges (ranked by support) and co-mentions in at least
    ``MIN_COMENTION`` papers of pairs no relation joins (ranked by shared papers);
    relations rank before co-mentions. A link is drawn while one of its ends has fewer
    than ``LINKS_PER_NODE`` links, so hubs keep many and no entity loses all.
    Returns sorted ``(kind, u, v, relation, paper nodes)`` tuples.
    """
    cands: list[tuple[int, int, str, str, str, list[str]]] = []
    related: set[frozenset[str]] = set()
    for u, v, key, d in g.edges(keys=True, data=True):
        if u in keep and v in keep and key not in PAPER_EDGES:
            cands.append((0, -int(d.get("support", 0)), u, v, key, []))
            related.add(frozenset((u, v)))
    for (u, v), ids in _comentions(g, keep).items():
        if len(ids) >= MIN_COMENTION and frozenset((u, v)) not in related:
            cands.append((1, -len(ids), u, v, "co_mentioned", ids))
    links: Counter[str] = Counter()
    chosen = []
    for prio, _, u, v, key, ids in sorted(cands, key=lambda c: c[:5]):
        if links[u] < LINKS_PER_NODE or links[v] < LINKS_PER_NODE:
            links[u] += 1
            links[v] += 1
            chosen.append(("relation" if prio == 0 else "co", u, v, key, ids))
    return sorted(chosen, key=lambda c: (c[1], c[2], c[3]))


def _comentions(g: nx.MultiDiGraph, keep: set[str]) -> dict[tuple[str, str], list[str]]:
    """Pairs of kept entities -> sorted paper nodes mentioning both."""
    pairs: dict[tuple[str, str], list[str]] = defaultdict(list)
    for p in sorted(n for n, d in g.nodes(data=True) if d.get("kind") == "paper"):
        ents = [e for e in _paper_entities(g, p) if e in keep]
        for i, a in enumerate(ents):
            for b in ents[i + 1 :]:
                pairs[a, b].append(p)
    return pairs


def _paper_entities(g: nx.MultiDiGraph, paper: str) -> list[str]:
    """Entity nodes a paper mentions, sorted."""
    return sorted({v for _, v, key in g.out_edges(paper, keys=True) if key == "mentions"})
