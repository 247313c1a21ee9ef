"""Constants and small text helpers shared by the view modules."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import networkx as nx

from kg.records import LABELS

#: Node kinds in legend order: papers, then the five entity labels.
KINDS: tuple[str, ...] = ("paper", *LABELS)

#: Fixed colour per kind (Okabe-Ito, readable by colour-blind readers).
PALETTE: dict[str, str] = {
    "paper": "#a6a6a6",
    "model": "#0072b2",
    "method": "#e69f00",
    "dataset": "#009e73",
    "metric": "#cc79a7",
    "task": "#d55e00",
}

#: Files copied into the pages' ``lib/`` folder.
STATIC_DIR: Path = Path(__file__).resolve().parent.parent / "static"

PAPER_EDGES = frozenset({"mentions", "proposes"})
MIN_COMENTION = 2  # overview: co-mention edges need at least this many shared papers
LINKS_PER_NODE = 3  # overview: links each entity keeps (relations first, then co-mentions)
MAX_TEXT = 180  # longest evidence sentence kept on a page
SEED = 20240402  # seed of the precomputed (NetworkX) layout: same graph, same picture
OVERVIEW_NODES = 150  # entities drawn on the overview
TYPE_NODES = 120  # nodes drawn on a type view
ENTITY_NODES = 30  # nodes drawn on an entity page
SITE_MIN_PAPERS = 2  # entities in at least this many papers get their own page
EVIDENCE = 3  # papers (title + sentence) listed per node in the details panel
CENTER_EVIDENCE = 12  # ... for the entity an entity page is about
EDGE_EVIDENCE = 2  # evidence sentences kept per link


def _norm(s: str) -> str:
    return " ".join(str(s).split()).casefold()


def _aliases(d: Mapping[str, Any], name: str) -> list[str]:
    """Aliases worth showing: not the name, one per spelling ignoring case."""
    seen = {_norm(name)}
    out = []
    for a in sorted(str(a) for a in d.get("aliases", ())):
        if _norm(a) not in seen:
            seen.add(_norm(a))
            out.append(a)
    return out


def _papers(g: nx.MultiDiGraph, n: str) -> int:
    return int(g.nodes[n].get("papers", 0))


def _node_name(g: nx.MultiDiGraph, n: str) -> str:
    """A paper's title or an entity's name, white space collapsed; else the node id."""
    d = g.nodes[n]
    name = d.get("title") if d.get("kind") == "paper" else d.get("name")
    return " ".join(str(name or n).split())


def _clip(text: str, limit: int = MAX_TEXT) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "\u2026"


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def _join(*parts: str) -> str:
    return " \u00b7 ".join(str(p) for p in parts if p)
