"""Finding a node from what a user typed, and entity page names."""

from __future__ import annotations

import difflib
import re
from typing import Any

import networkx as nx

from kg.records import LABELS
from kg.views._common import _node_name, _norm


def find_entity(g: nx.MultiDiGraph, query: str) -> str:
    """Find a node id by node id, entity id, name or alias.

    Matching ignores case and runs of white space. An exact node id
    (``"model/llama-2"``, also a paper node) wins, then an entity id (``"llama-2"``),
    a canonical name, an alias, and last the slug of the query. Several entities
    with the same name (e.g. a model and a method) resolve to the one in more papers.

    Parameters
    ----------
    g : networkx.MultiDiGraph
        Graph following ``docs/graph-schema.md``.
    query : str
        What the user typed.

    Returns
    -------
    str
        The node id.

    Raises
    ------
    KeyError
        When nothing matches; the message lists close matches when there are any.
    """
    if query in g:
        return query
    q = _norm(query)
    slug = re.sub(r"[^a-z0-9]+", "-", q).strip("-")
    best: tuple[Any, ...] | None = None
    for n, d in g.nodes(data=True):
        kind = d.get("kind")
        if kind not in LABELS:
            continue
        if _norm(n) == q:
            rank = 0
        elif _norm(d.get("id", "")) == q:
            rank = 1
        elif _norm(d.get("name", "")) == q:
            rank = 2
        elif any(_norm(a) == q for a in d.get("aliases", ())):
            rank = 3
        elif slug and d.get("id") == slug:
            rank = 4
        else:
            continue
        key = (rank, -int(d.get("papers", 0)), LABELS.index(kind), n)
        if best is None or key < best:
            best = key
    if best is not None:
        return best[-1]
    raise KeyError(_no_match(g, query, q))


def entity_page_name(node: str) -> str:
    """File name of a node's entity view: ``"model/llama-2"`` -> ``"model-llama-2.html"``.

    Parameters
    ----------
    node : str
        Node id.

    Returns
    -------
    str
        The file name (node ids are slugs, so it is safe on every file system).
    """
    return node.replace("/", "-") + ".html"


def _no_match(g: nx.MultiDiGraph, query: str, q: str) -> str:
    """Error message for :func:`find_entity`, with up to five close matches."""
    keys: dict[str, str] = {}
    for n, d in sorted(g.nodes(data=True)):
        if d.get("kind") in LABELS:
            for s in (d.get("name", ""), *d.get("aliases", ()), d.get("id", ""), n):
                keys.setdefault(_norm(s), n)
    close = difflib.get_close_matches(q, sorted(keys), n=8, cutoff=0.6)
    if q:
        close += [k for k in sorted(keys) if q in k]
    found = list(dict.fromkeys(keys[k] for k in close))[:5]
    if not found:
        return f"no entity matches {query!r}"
    hints = ", ".join(f"{_node_name(g, n)} ({n})" for n in found)
    return f"no entity matches {query!r}; did you mean: {hints}?"
