"""Families of models and methods: variants as a tree (LLaMA -> LLaMA-2 -> LLaMA2-7B)."""

from __future__ import annotations

import re
from typing import Any

import networkx as nx

from kg.analysis._graph import check_kind, entity_nodes, find, label


def family(g: nx.MultiDiGraph, entity: str, prefixes: bool = True) -> dict[str, Any]:
    """The family tree holding one entity, from its root (the family name) down.

    A variant's parent is its ``variant_of`` target (the one in more papers when
    there are several); with ``prefixes``, an entity without one gets as parent the
    entity of the same kind whose name is the longest prefix of its own followed by
    version or size tags only (``LLaMA-2-13B`` -> ``LLaMA-2``, ``ResNet50`` -> ``ResNet``,
    ``ImageNet-R`` -> ``ImageNet``; not ``Low-Rank Adaptation`` -> ``low-rank``).

    Parameters
    ----------
    g : networkx.MultiDiGraph
        A kg graph (``docs/graph-schema.md``).
    entity : str
        Any member: node id, entity id, name or alias.
    prefixes : bool, default True
        Also use name prefixes, not only ``variant_of`` edges.

    Returns
    -------
    dict
        A tree node: ``node``, ``name``, ``papers``, ``via`` (how it joins its
        parent: ``"variant_of"``, ``"name"``, or ``None`` at the root), ``size``
        (members in this subtree) and ``variants`` (child tree nodes, most papers first).

    Examples
    --------
    >>> from kg.analysis._graph import example_graph
    >>> g = example_graph({"p1": ["model/llama", "model/llama-2"], "p2": ["model/llama-2"],
    ...                    "p3": ["model/llama-2-13b"]},
    ...                   [("model/llama-2", "variant_of", "model/llama")],
    ...                   {"model/llama": "LLaMA", "model/llama-2": "LLaMA-2",
    ...                    "model/llama-2-13b": "LLaMA-2-13B"})
    >>> print(format_tree(family(g, "LLaMA-2-13B")))
    LLaMA (1 paper)
    └── LLaMA-2 (2 papers)
        └── LLaMA-2-13B (1 paper, by name)
    """
    node = find(g, entity)
    parents = _parents(g, g.nodes[node]["kind"], prefixes)
    root, seen = node, {node}
    while root in parents and parents[root][0] not in seen:
        root = parents[root][0]
        seen.add(root)
    return _tree(g, root, None, _children(parents))


def families(
    g: nx.MultiDiGraph, kind: str | None = None, min_size: int = 2, prefixes: bool = True
) -> list[dict[str, Any]]:
    """Every family tree with at least ``min_size`` members, largest first.

    Parameters
    ----------
    g : networkx.MultiDiGraph
        A kg graph.
    kind : str, optional
        Only families of this kind (e.g. ``"model"``).
    min_size : int, default 2
        Smallest number of members.
    prefixes : bool, default True
        Also use name prefixes (see :func:`family`).

    Returns
    -------
    list of dict
        Trees as returned by :func:`family`, by size, then papers of the root.

    Examples
    --------
    >>> from kg.analysis._graph import example_graph
    >>> g = example_graph({"p1": ["model/resnet", "model/resnet-50", "model/resnet50"],
    ...                    "p2": ["model/vit", "model/gpt-4", "model/gpt-4o"]})
    >>> [(t["name"], t["size"]) for t in families(g)]
    [('resnet', 3)]
    """
    check_kind(kind)
    trees = []
    for k in [kind] if kind else sorted({g.nodes[n]["kind"] for n in entity_nodes(g)}):
        parents = _parents(g, k, prefixes)
        children = _children(parents)
        for root in entity_nodes(g, k):
            if root not in parents and root in children:
                tree = _tree(g, root, None, children)
                if tree["size"] >= min_size:
                    trees.append(tree)
    trees.sort(key=lambda t: (-t["size"], -t["papers"], t["node"]))
    return trees


def format_tree(tree: dict[str, Any]) -> str:
    """A family tree as indented text, one member per line (see :func:`family`)."""
    lines: list[str] = []

    def walk(node: dict[str, Any], lead: str, branch: str) -> None:
        s = "" if node["papers"] == 1 else "s"
        via = ", by name" if node["via"] == "name" else ""
        lines.append(f"{lead}{branch}{node['name']} ({node['papers']} paper{s}{via})")
        inner = lead + ("" if not branch else "    " if branch == "└── " else "│   ")
        for i, child in enumerate(node["variants"]):
            walk(child, inner, "└── " if i == len(node["variants"]) - 1 else "├── ")

    walk(tree, "", "")
    return "\n".join(lines)


def _parents(g: nx.MultiDiGraph, kind: str, prefixes: bool) -> dict[str, tuple[str, str]]:
    """Member -> (parent, how): ``variant_of`` first, else the longest id prefix."""
    nodes = entity_nodes(g, kind)
    parents: dict[str, tuple[str, str]] = {}
    for n in nodes:
        targets = [v for _, v, k in g.out_edges(n, keys=True) if k == "variant_of" and v != n]
        if targets:
            best = min(targets, key=lambda v: (-int(g.nodes[v].get("papers", 0)), v))
            parents[n] = (best, "variant_of")
    if prefixes:
        names: dict[str, str] = {}
        for n in sorted(nodes, key=lambda n: (-int(g.nodes[n].get("papers", 0)), n)):
            names.setdefault(_key(label(g, n)), n)
        for n in nodes:
            if n not in parents:
                prefix = _prefix_parent(_key(label(g, n)), names)
                if prefix is not None:
                    parents[n] = (names[prefix], "name")
    return parents


#: A version or size tag: ``2``, ``3.1``, ``7b``, ``v2``, ``r1``, ``1k``, ``r``, ``xl``, ``base``.
TAG = re.compile(
    r"v?\d+(\.\d+)*[a-z]{0,2}|[a-z]\d+(\.\d+)*[a-z]?|[a-z]{1,2}|"
    r"base|large|small|tiny|mini|medium|huge|giant|lite|turbo|instruct|chat|plus|pro|ultra"
)


def _key(name: str) -> str:
    """A name for prefix matching: case-folded, white space and ``_`` as ``-``."""
    return re.sub(r"[\s_]+", "-", name.strip().casefold())


def _prefix_parent(child: str, names: dict[str, str]) -> str | None:
    """The longest other name that ``child`` extends with version or size tags only.

    Examples
    --------
    >>> names = dict.fromkeys(["llama", "llama-2", "low-rank", "clip"], "")
    >>> [_prefix_parent(c, names) for c in ("llama-2-13b", "llama2-7b", "low-rank-adaptation",
    ...                                     "clip4clip", "llama")]
    ['llama-2', 'llama', None, None, None]
    """
    for cut in range(len(child) - 1, 1, -1):
        head, rest = child[:cut], child[cut:]
        if head not in names:
            continue
        if rest[0] == "-":
            rest = rest[1:]
        elif not (head[-1].isalpha() and rest[0].isdigit()):
            continue
        if rest and all(TAG.fullmatch(tag) for tag in rest.split("-")):
            return head
    return None


def _children(parents: dict[str, tuple[str, str]]) -> dict[str, list[tuple[str, str]]]:
    children: dict[str, list[tuple[str, str]]] = {}
    for child, (parent, how) in parents.items():
        children.setdefault(parent, []).append((child, how))
    return children


def _tree(
    g: nx.MultiDiGraph,
    node: str,
    via: str | None,
    children: dict[str, list[tuple[str, str]]],
    seen: frozenset[str] = frozenset(),
) -> dict[str, Any]:
    seen = seen | {node}
    kids = [
        _tree(g, child, how, children, seen)
        for child, how in children.get(node, [])
        if child not in seen
    ]
    kids.sort(key=lambda t: (-t["papers"], _natural(t["name"]), t["node"]))
    return {
        "node": node,
        "name": label(g, node),
        "papers": int(g.nodes[node].get("papers", 0)),
        "via": via,
        "size": 1 + sum(k["size"] for k in kids),
        "variants": kids,
    }


def _natural(name: str) -> list[Any]:
    """Sort key putting ``LLaMA-2`` before ``LLaMA-13``."""
    return [int(t) if t.isdigit() else t.casefold() for t in re.split(r"(\d+)", name)]
