"""vis-network nodes, edges and options, assembled with :class:`pyvis.network.Network`."""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from typing import Any

import networkx as nx
from pyvis.network import Network

from kg.views._common import (
    PALETTE,
    SEED,
    _aliases,
    _clip,
    _join,
    _node_name,
    _papers,
    _plural,
)


def _network() -> Network:
    """A pyvis network carrying our vis-network options."""
    net = Network(directed=True, cdn_resources="local")
    net.options = {
        "layout": {"randomSeed": SEED, "improvedLayout": True},
        "physics": {
            "solver": "forceAtlas2Based",
            "forceAtlas2Based": {
                "gravitationalConstant": -60,
                "centralGravity": 0.01,
                "springLength": 110,
                "springConstant": 0.06,
                "avoidOverlap": 0.4,
            },
            "stabilization": {"enabled": True, "iterations": 400, "fit": True},
        },
        "interaction": {"hover": True, "tooltipDelay": 150, "hideEdgesOnDrag": True},
        "nodes": {"font": {"size": 14, "face": "system-ui, sans-serif"}, "borderWidth": 1},
        "edges": {"smooth": {"type": "continuous"}, "color": {"inherit": False}},
        "groups": {
            kind: {"color": {"background": c, "border": _darker(c)}} for kind, c in PALETTE.items()
        },
    }
    return net


def _add_node(net: Network, g: nx.MultiDiGraph, n: str, top: int, center: bool = False) -> None:
    """Add node ``n`` with its label, size, tooltip and details."""
    d = g.nodes[n]
    kind = d.get("kind", "")
    name = _node_name(g, n)
    opts: dict[str, Any] = {"group": kind}
    if kind == "paper":
        opts.update(shape="square", size=9)
        abstract = str(d.get("abstract", ""))
        first = re.split(r"(?<=[.!?])\s+", abstract.strip(), maxsplit=1)[0] if abstract else ""
        lines = [name, _join("paper", d.get("date", ""), d.get("source", ""))]
        evidence, cite = _clip(first), ""
    else:
        papers = _papers(g, n)
        opts.update(shape="dot", size=round(10 + 26 * math.sqrt(papers / max(top, 1)), 1))
        aliases = _aliases(d, name)
        lines = [name, f"{kind} \u00b7 {_plural(papers, 'paper')}"]
        if aliases:
            lines.append(
                "also: " + ", ".join(aliases[:6]) + (" \u2026" if len(aliases) > 6 else "")
            )
        evidence, cite = _node_evidence(g, n)
    if evidence:
        lines.append(f"\u201c{evidence}\u201d" + (f"\n\u2014 {cite}" if cite else ""))
    if center:
        opts.update(borderWidth=4, font={"size": 20}, mass=3)
    net.add_node(n, label=_clip(name, 32), title="\n".join(lines), **opts)
    net.node_map[n]["kg"] = _info(d, kind, name, evidence, cite)


def _info(d: Mapping[str, Any], kind: str, name: str, evidence: str, cite: str) -> dict:
    """Details shown in the side panel when a node is selected (plain strings)."""
    info: dict[str, Any] = {"name": name, "kind": kind, "evidence": evidence}
    if cite:
        info["evidence_paper"] = cite
    if kind == "paper":
        info.update(date=str(d.get("date", "")), source=str(d.get("source", "")))
        info.update(url=str(d.get("url", "")))
    else:
        info.update(papers=int(d.get("papers", 0)))
        info.update(aliases=_aliases(d, name))
    return info


def _add_relation_edge(net: Network, g: nx.MultiDiGraph, u: str, v: str, key: str) -> None:
    """An entity -> entity relation edge (arrow, width by support)."""
    d = g.edges[u, v, key]
    support = int(d.get("support", 0))
    lines = [
        f"{_node_name(g, u)} \u2192 {key.replace('_', ' ')} \u2192 {_node_name(g, v)}",
        f"supported by {_plural(support, 'paper')}",
    ]
    sentence, cite = _first_evidence(g, d)
    if sentence:
        lines.append(
            f"\u201c{sentence}\u201d\n\u2014 {cite}" if cite else f"\u201c{sentence}\u201d"
        )
    net.add_edge(
        u,
        v,
        title="\n".join(lines),
        relation=key,
        color="#555555",
        width=round(1 + math.log2(max(support, 1)), 2),
        arrows="to",
        dashes=key == "variant_of",
    )


def _add_mention_edge(net: Network, g: nx.MultiDiGraph, u: str, v: str, key: str) -> None:
    """A paper -> entity edge (``proposes`` drawn thicker)."""
    d = g.edges[u, v, key]
    count = int(g.edges[u, v, "mentions"].get("count", 1)) if g.has_edge(u, v, "mentions") else 1
    lines = [f"{_node_name(g, u)}\n{key} {_node_name(g, v)} ({_plural(count, 'time')})"]
    sentence, _ = _first_evidence(g, d)
    if sentence:
        lines.append(f"\u201c{sentence}\u201d")
    net.add_edge(
        u,
        v,
        title="\n".join(lines),
        relation=key,
        color="#c8c8c8",
        width=3 if key == "proposes" else 1,
        arrows={"to": {"enabled": False}},
    )


def _add_comention_edge(net: Network, g: nx.MultiDiGraph, u: str, v: str, ids: list[str]) -> None:
    """An undirected, dashed entity -- entity edge weighted by shared papers."""
    titles = [_clip(_node_name(g, p), 90) for p in ids[:3]]
    more = f"\n\u2026 and {len(ids) - 3} more" if len(ids) > 3 else ""
    title = (
        f"{_node_name(g, u)} \u2014 {_node_name(g, v)}\n"
        f"mentioned together in {_plural(len(ids), 'paper')}, e.g.\n\u2022 "
        + "\n\u2022 ".join(titles)
        + more
    )
    net.add_edge(
        u,
        v,
        title=title,
        relation="co_mentioned",
        color="#b0b0b0",
        dashes=True,
        width=round(min(1 + math.log2(len(ids)), 6), 2),
        arrows={"to": {"enabled": False}},
    )


def _node_evidence(g: nx.MultiDiGraph, n: str) -> tuple[str, str]:
    """One sentence mentioning entity ``n`` (a proposing paper's if any) and its paper title."""
    for wanted in ("proposes", "mentions"):
        for p in sorted(u for u, _, key in g.in_edges(n, keys=True) if key == wanted):
            sentence, cite = _first_evidence(g, g.edges[p, n, wanted])
            if sentence:
                return sentence, cite
    return "", ""


def _first_evidence(g: nx.MultiDiGraph, d: Mapping[str, Any]) -> tuple[str, str]:
    """First evidence sentence of an edge (clipped) and the title of its paper."""
    for ev in d.get("evidence", ()):
        sentence = str(ev.get("sentence", "")).strip()
        if sentence:
            paper = f"paper/{ev.get('paper', '')}"
            cite = _clip(_node_name(g, paper), 120) if paper in g else ""
            return _clip(sentence), cite
    return "", ""


def _darker(colour: str) -> str:
    r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return "#{:02x}{:02x}{:02x}".format(*(int(c * 0.7) for c in (r, g, b)))
