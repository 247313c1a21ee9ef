"""The two pages: overview and entity view."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from pathlib import Path

import networkx as nx

from kg.views._common import (
    LINKS_PER_NODE,
    MIN_COMENTION,
    PAPER_EDGES,
    _aliases,
    _node_name,
    _papers,
    _plural,
)
from kg.views._items import (
    _add_comention_edge,
    _add_mention_edge,
    _add_node,
    _add_relation_edge,
    _network,
)
from kg.views._lookup import find_entity
from kg.views._page import _write_page
from kg.views._select import _neighbourhood, _overview_links, _overview_nodes


def write_overview(
    g: nx.MultiDiGraph,
    path: Path,
    max_nodes: int = 150,
    *,
    lib_dir: Path | None = None,
    links: Mapping[str, Path] | None = None,
) -> Path:
    """Write the overview page: the most mentioned entities and how they are linked.

    Papers are not drawn (hundreds of squares would hide the entities). Entities are
    linked by their extracted relations (arrows, width by supporting papers) and by
    co-mentions (dashed: at least two papers mention both, no relation joins them).
    To stay readable each entity keeps only its strongest few links, relations
    first. When the graph has more than ``max_nodes`` entities the page shows those
    in most papers (ties: more relations, then id) and says "Showing N of M".

    Parameters
    ----------
    g : networkx.MultiDiGraph
        Graph following ``docs/graph-schema.md``.
    path : Path
        HTML file to write (parent folders are created).
    max_nodes : int
        Largest number of entity nodes drawn.
    lib_dir : Path, optional
        Folder receiving the shared scripts; default ``<page folder>/lib``.
    links : Mapping[str, Path], optional
        Node id -> entity page; linked nodes open their page on double-click.

    Returns
    -------
    Path
        ``path``.
    """
    path = Path(path)
    shown, n_entities = _overview_nodes(g, max_nodes)
    net = _network()
    top = max((_papers(g, n) for n in shown), default=1)
    for n in shown:
        _add_node(net, g, n, top)
    for kind, u, v, key, ids in _overview_links(g, set(shown)):
        if kind == "relation":
            _add_relation_edge(net, g, u, v, key)
        else:
            _add_comention_edge(net, g, u, v, ids)

    n_papers = sum(1 for _, d in g.nodes(data=True) if d.get("kind") == "paper")
    if len(shown) < n_entities:
        scope = f"Showing {len(shown)} of {n_entities} entities (those in most papers)"
    else:
        scope = f"Showing all {n_entities} entities"
    note = (
        f"{scope}; the {n_papers} papers are not drawn. Node size: number of papers. "
        f"Each entity keeps its {LINKS_PER_NODE} strongest links: relations found in one "
        f"sentence first (arrows), then entities mentioned together in {MIN_COMENTION}+ "
        "papers (dashed). Open an entity's page for all of its links."
    )
    name = str(g.graph.get("name") or "Knowledge graph")
    edge_legend = [
        ("rel", "relation (arrow; width: supporting papers)"),
        ("co", f"co-mentioned in {MIN_COMENTION}+ papers (dashed)"),
    ]
    return _write_page(
        net,
        path,
        lib_dir,
        links,
        title=f"{name} \u2013 overview",
        heading=f"{name}: {n_entities} entities from {n_papers} papers",
        note=note,
        edge_legend=edge_legend,
        focus=None,
    )


def write_entity_view(
    g: nx.MultiDiGraph,
    node: str,
    path: Path,
    *,
    max_nodes: int = 150,
    lib_dir: Path | None = None,
    links: Mapping[str, Path] | None = None,
) -> Path:
    """Write one entity's neighbourhood: the entity, its papers and entities around it.

    Drawn are the entity, the entities it is related to (relations in either
    direction), the papers that mention it (proposing papers first, then by
    occurrences) and the other entities those papers mention (most shared papers
    first). Edges: paper -> entity mentions among them and the entity's own
    relations. When the neighbourhood has more than ``max_nodes`` nodes the page
    says "Showing N of M". A paper node works too: its entities and the relations
    among them are shown.

    Parameters
    ----------
    g : networkx.MultiDiGraph
        Graph following ``docs/graph-schema.md``.
    node : str
        Node id; anything else is looked up with :func:`find_entity`.
    path : Path
        HTML file to write, e.g. ``exports/entities/model-llama-2.html``.
    max_nodes : int
        Largest number of nodes drawn (the entity itself included).
    lib_dir : Path, optional
        Folder receiving the shared scripts. Default: ``<page folder>/../lib`` when
        the page folder is named ``entities`` (shared with the overview), else
        ``<page folder>/lib``.
    links : Mapping[str, Path], optional
        Node id -> entity page; linked nodes open their page on double-click.

    Returns
    -------
    Path
        ``path``.

    Raises
    ------
    KeyError
        When ``node`` matches no node.
    """
    path = Path(path)
    if node not in g:
        node = find_entity(g, node)
    if lib_dir is None and path.parent.name == "entities":
        lib_dir = path.parent.parent / "lib"
    shown, total = _neighbourhood(g, node, max(1, max_nodes))
    keep = set(shown)

    net = _network()
    top = max((_papers(g, n) for n in shown), default=1)
    for n in sorted(shown):
        _add_node(net, g, n, top, center=n == node)
    center_is_paper = g.nodes[node].get("kind") == "paper"
    edges: dict[tuple[str, str], set[str]] = defaultdict(set)
    for u, v, key in g.edges(keys=True):
        if u in keep and v in keep:
            edges[u, v].add(key)
    for (u, v), keys in sorted(edges.items()):
        if keys & PAPER_EDGES:
            _add_mention_edge(net, g, u, v, "proposes" if "proposes" in keys else "mentions")
        if node in (u, v) or center_is_paper:  # others' relations are on their pages
            for key in sorted(keys - PAPER_EDGES):
                _add_relation_edge(net, g, u, v, key)

    d = g.nodes[node]
    kind = d.get("kind", "")
    name = _node_name(g, node)
    if kind == "paper":
        facts = [kind, d.get("date", ""), d.get("source", "")]
    else:
        facts = [kind, _plural(_papers(g, node), "paper")]
        aliases = _aliases(d, name)
        if aliases:
            facts.append("also: " + ", ".join(aliases))
    note = " \u00b7 ".join(f for f in facts if f) + ". "
    if kind == "paper":
        note += "Its entities, with the relations among them."
    else:
        note += "Its relations (arrows), the papers that mention it (squares) and the "
        note += "other entities those papers mention."
    if len(shown) < total:
        note += f" Showing {len(shown)} of {total} nodes."
    else:
        note += f" Showing all {total} nodes."
    edge_legend = [
        ("rel", "relation (arrow; width: supporting papers)"),
        ("men", "paper mentions entity (thick: proposes it)"),
    ]
    graph_name = str(g.graph.get("name") or "Knowledge graph")
    return _write_page(
        net,
        path,
        lib_dir,
        links,
        title=f"{name} ({kind}) \u2013 {graph_name}",
        heading=name,
        note=note,
        edge_legend=edge_legend,
        focus=node,
    )
