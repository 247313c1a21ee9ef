"""Precomputed node positions: seeded NetworkX layouts, so pages open already laid out.

The browser then runs a short physics relaxation (to push labels apart) and stops.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence

import networkx as nx

from kg.views._common import SEED

SPACING = 90  # pixels between neighbours on a ring


def spring_positions(
    nodes: Iterable[str], links: Iterable[tuple[str, str, float]]
) -> dict[str, tuple[int, int]]:
    """Seeded force-directed positions (:func:`networkx.spring_layout`), in pixels.

    Parameters
    ----------
    nodes : Iterable[str]
        Node ids.
    links : Iterable[tuple[str, str, float]]
        ``(u, v, weight)`` links pulling nodes together.

    Returns
    -------
    dict[str, tuple[int, int]]
        Node id -> ``(x, y)``, rounded to whole pixels.
    """
    h = nx.Graph()
    h.add_nodes_from(sorted(nodes))
    for u, v, w in sorted(links):
        if u != v:
            weight = h.edges[u, v]["weight"] + w if h.has_edge(u, v) else w
            h.add_edge(u, v, weight=weight)
    if not len(h):
        return {}
    pos = nx.spring_layout(h, seed=SEED, iterations=80, weight="weight")
    scale = 70 * math.sqrt(len(h))
    return {n: (_px(x * scale), _px(y * scale)) for n, (x, y) in sorted(pos.items())}


def ring_positions(center: str, rings: Sequence[Sequence[str]]) -> dict[str, tuple[int, int]]:
    """``center`` in the middle and each group of nodes on a circle around it.

    Parameters
    ----------
    center : str
        Node drawn at ``(0, 0)``.
    rings : Sequence[Sequence[str]]
        Node groups from the inside out (empty groups take no ring).

    Returns
    -------
    dict[str, tuple[int, int]]
        Node id -> ``(x, y)`` in pixels.
    """
    pos = {center: (0, 0)}
    radius = 0.0
    for k, ring in enumerate(r for r in rings if r):
        radius = max(radius + 170, len(ring) * SPACING / (2 * math.pi))
        for i, n in enumerate(ring):
            angle = 2 * math.pi * i / len(ring) + k * 0.5
            pos[n] = (_px(radius * math.cos(angle)), _px(radius * math.sin(angle)))
    return pos


def _px(value: float) -> int:
    return int(round(value))
