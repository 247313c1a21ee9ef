"""Page contents: vis nodes and edges (assembled with pyvis), details and string tables.

Evidence sentences are stored once per page in a string table ``S`` and referenced by
index (the same sentence is often the evidence of a mention and of a relation). Papers
(id, title, date, source, url) are rows of a paper table ``P``: inside the page, or,
for the pages of a site, one shared ``lib/papers.js`` (:class:`PaperTable`), since the
same papers appear on many entity pages. Evidence is ``[paper row, sentence index]``
(-1: none). Tooltips and panel text are made in the browser (``kg/static/kg-views.js``)
from these details, so each string is on the page once.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping
from pathlib import Path
from typing import Any

import networkx as nx
from pyvis.network import Network

from kg.exports import atomic_write
from kg.views._common import (
    EDGE_EVIDENCE,
    EVIDENCE,
    MAX_TEXT,
    _aliases,
    _clip,
    _node_name,
    _papers,
)

LABEL = 28  # longest node label drawn on the canvas
TITLE = 200  # longest paper title kept


class PaperTable:
    """Rows ``[paper id, title, date, source, url]`` of every paper of a graph, sorted by id.

    Parameters
    ----------
    g : networkx.MultiDiGraph
        Graph following ``docs/graph-schema.md``.
    """

    def __init__(self, g: nx.MultiDiGraph) -> None:
        papers = sorted(n for n, d in g.nodes(data=True) if d.get("kind") == "paper")
        self.rows: list[list[str]] = [_paper_row(g, n) for n in papers]
        self.index: dict[str, int] = {n: i for i, n in enumerate(papers)}
        self.ranked: dict[str, list[str]] = {}  # entity -> its papers, see _entity_papers

    def write(self, path: Path) -> Path:
        """Write the table as a script setting ``window.kgPapers`` (atomically)."""
        from kg.views._page import _script_json

        raw = f"window.kgPapers = {_script_json(self.rows)};\n".encode()
        atomic_write(path, lambda handle: handle.write(raw), binary=True)
        return path


class _Page:
    """Nodes, edges and details of one page, with its string and paper tables.

    Parameters
    ----------
    g : networkx.MultiDiGraph
        Graph following ``docs/graph-schema.md``.
    prefer : Collection[str]
        Paper nodes drawn on the page: an entity's panel lists these papers first.
    papers : PaperTable, optional
        The site's shared paper table; default: a table inside the page.
    """

    def __init__(
        self, g: nx.MultiDiGraph, prefer: Collection[str] = (), papers: PaperTable | None = None
    ) -> None:
        self.g = g
        self.prefer = set(prefer)
        self.shared = papers
        self.papers: list[list[str]] = []  # the page's own paper table (no shared one)
        self._papers: dict[str, int] = {}
        self.strings: list[str] = []
        self._index: dict[str, int] = {}
        self.info: dict[str, dict[str, Any]] = {}
        # pyvis assembles the vis items; directed, so it keeps parallel edges
        self.net = Network(directed=True, cdn_resources="local")

    def paper(self, node: str) -> int:
        """Row of paper ``node`` in the paper table (-1 if not in the graph)."""
        if node not in self.g:
            return -1
        if self.shared is not None:
            return self.shared.index.get(node, -1)
        if node not in self._papers:
            self._papers[node] = len(self.papers)
            self.papers.append(_paper_row(self.g, node))
        return self._papers[node]

    def text(self, value: Any, limit: int = MAX_TEXT) -> int:
        """Index of ``value`` (clipped) in the string table; -1 for an empty string."""
        value = _clip(value, limit) if value else ""
        if not value:
            return -1
        if value not in self._index:
            self._index[value] = len(self.strings)
            self.strings.append(value)
        return self._index[value]

    def evidence(self, paper: str, sentence: str, near: str | None = None) -> list[int]:
        """``[paper row, sentence index]`` of a paper id and one of its sentences.

        A long sentence is cut to a window around the first name or alias of entity
        ``near`` it contains; a sentence that is the title is not repeated."""
        node = f"paper/{paper}"
        sentence = " ".join(str(sentence).split())
        if node in self.g and sentence == _node_name(self.g, node):
            sentence = ""
        if near is not None and len(sentence) > MAX_TEXT:
            sentence = _window(sentence, _names(self.g, near), MAX_TEXT)
        return [self.paper(node), self.text(sentence)]

    def add_node(
        self,
        n: str,
        *,
        about: str | None = None,
        n_evidence: int = EVIDENCE,
        sentences: bool = True,
    ) -> None:
        """Add node ``n``; its panel lists ``n_evidence`` papers (or, for a paper, the
        sentence mentioning ``about``). ``sentences=False``: only titles of the papers
        drawn on the page (the entity's own page has the rest)."""
        g = self.g
        d = g.nodes[n]
        kind = str(d.get("kind", ""))
        name = _node_name(g, n)
        opts: dict[str, Any] = {"group": kind}
        info: dict[str, Any] = {}
        if kind == "paper":
            info["p"] = self.paper(n)
            sentence = _mention_sentence(g, n, about) if about else ""
            if not sentence:
                abstract = str(d.get("abstract", "")).strip()
                sentence = re.split(r"(?<=[.!?])\s+", abstract, maxsplit=1)[0] if abstract else ""
            if sentence:
                ev = self.evidence(str(d.get("id", "")), sentence, about)
                if ev[1] >= 0:
                    info["ev"] = [[-1, ev[1]]]
        else:
            papers = _papers(g, n)
            opts["value"] = max(papers, 1)
            info.update(id=n, name=name, n=papers)  # its type: the id's prefix
            aliases = _aliases(d, name)
            if aliases:
                info["aka"] = aliases[: 12 if sentences else 6]
            cache = self.shared.ranked if self.shared is not None else None
            ranked = _entity_papers(g, n, self.prefer, cache)
            if not sentences:
                n_evidence = min(n_evidence, len(self.prefer & set(ranked)))
            info["ev"] = [
                self.evidence(
                    str(g.nodes[p].get("id", "")),
                    _mention_sentence(g, p, n) if sentences else "",
                    near=n,
                )
                for p in ranked[:n_evidence]
            ]
            if len(ranked) > n_evidence:
                info["more"] = len(ranked) - n_evidence
        if kind != "paper":  # a paper's label is made from its title in the browser
            opts["label"] = _clip(name, LABEL)
        self.net.add_node(n, **opts)
        self.info[n] = info

    def add_edge(self, u: str, v: str, rel: str, support: int, ev: list[list[int]]) -> None:
        """Add a ``u -> v`` link named ``rel`` with its support and evidence."""
        self.net.add_edge(u, v, rel=rel, n=int(support), ev=ev)

    def add_relation(self, u: str, v: str, key: str) -> None:
        """An entity -> entity relation edge from the graph."""
        d = self.g.edges[u, v, key]
        ev = [self.evidence(e.get("paper", ""), e.get("sentence", ""), u) for e in _ev(d)]
        self.add_edge(u, v, key, int(d.get("support", 0)), ev)

    def add_mention(self, u: str, v: str, key: str) -> None:
        """A paper -> entity edge (``key`` is ``mentions`` or ``proposes``)."""
        g = self.g
        count = (
            int(g.edges[u, v, "mentions"].get("count", 1)) if g.has_edge(u, v, "mentions") else 1
        )
        self.add_edge(u, v, key, count, [])

    def add_comention(self, u: str, v: str, ids: list[str]) -> None:
        """An undirected entity -- entity link weighted by the papers mentioning both."""
        ev = [[self.paper(p), -1] for p in ids[:EDGE_EVIDENCE]]
        self.add_edge(u, v, "co_mentioned", len(ids), ev)

    def items(
        self, positions: Mapping[str, tuple[int, int]]
    ) -> tuple[list[dict], list[list], list[str]]:
        """Nodes, edges and relation names of the page.

        Nodes are sorted by id, each with its details and ``x``, ``y`` (a paper: its row
        ``p`` in the paper table instead of an id). Edges are ``[from, to, relation,
        papers]`` (+ evidence when there is some): node indices and an index into the
        sorted relation names.
        """
        ids = sorted(x["id"] for x in self.net.nodes)
        nodes = []
        for n in ids:
            node = dict(self.info[n])
            if n in positions:
                node["x"], node["y"] = positions[n]
            nodes.append(node)
        index = {n: i for i, n in enumerate(ids)}
        rels = sorted({e["rel"] for e in self.net.edges})
        edges = []
        for e in sorted(self.net.edges, key=lambda e: (e["from"], e["to"], e["rel"])):
            edge = [index[e["from"]], index[e["to"]], rels.index(e["rel"]), e["n"]]
            edges.append(edge + [e["ev"]] if e["ev"] else edge)
        return nodes, edges, rels


def _paper_row(g: nx.MultiDiGraph, node: str) -> list[str]:
    """``[paper id, title, date, source, url]`` of a paper node."""
    d = g.nodes[node]
    title = _clip(_node_name(g, node), TITLE)
    return [
        node.partition("/")[2],
        title,
        *(str(d.get(k) or "") for k in ("date", "source", "url")),
    ]


def _names(g: nx.MultiDiGraph, n: str) -> list[str]:
    """Name and aliases of entity ``n``, longest first."""
    d = g.nodes[n]
    names = {str(d.get("name", "")), *(str(a) for a in d.get("aliases", ()))} - {""}
    return sorted(names, key=lambda s: (-len(s), s))


def _window(text: str, names: list[str], limit: int) -> str:
    """``text`` cut to ``limit`` characters around the first of ``names`` it contains."""
    low = text.casefold()
    hits = [i for i in (low.find(s.casefold()) for s in names) if i >= 0]
    start = max(0, min(hits, default=0) - limit // 3)
    if start == 0:
        return text  # clipped at the end by the string table
    cut = text[start : start + limit - 2].strip()
    return "\u2026" + cut + ("\u2026" if start + limit - 2 < len(text) else "")


def _ev(d: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    """First evidence entries of an edge with a sentence."""
    out = [e for e in d.get("evidence", ()) if str(e.get("sentence", "")).strip()]
    return out[:EDGE_EVIDENCE]


def _mention_sentence(g: nx.MultiDiGraph, paper: str, entity: str) -> str:
    """The sentence of ``paper`` proposing or mentioning ``entity`` ('' if none)."""
    for key in ("proposes", "mentions"):
        if g.has_edge(paper, entity, key):
            for e in _ev(g.edges[paper, entity, key]):
                return str(e["sentence"])
    return ""


def _entity_papers(
    g: nx.MultiDiGraph, n: str, prefer: set[str], cache: dict[str, list[str]] | None = None
) -> list[str]:
    """Paper nodes mentioning entity ``n``.

    Papers drawn on the page come first, then proposing papers, then by occurrences.
    ``cache`` keeps the order without the first rule across the pages of a site.
    """
    ranked = cache.get(n) if cache is not None else None
    if ranked is None:
        found: dict[str, tuple[int, int]] = {}
        for p, _, key, d in g.in_edges(n, keys=True, data=True):
            if key not in ("mentions", "proposes") or g.nodes[p].get("kind") != "paper":
                continue
            proposes, count = found.get(p, (0, 0))
            if key == "proposes":
                proposes = 1
            else:
                count = int(d.get("count", 1))
            found[p] = (proposes, count)
        ranked = sorted(found, key=lambda p: (-found[p][0], -found[p][1], p))
        if cache is not None:
            cache[n] = ranked
    return [p for p in ranked if p in prefer] + [p for p in ranked if p not in prefer]
