"""The three kinds of view: overview, type view and entity view."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from pathlib import Path

import networkx as nx

from kg.views._common import (
    CENTER_EVIDENCE,
    ENTITY_NODES,
    LINKS_PER_NODE,
    MIN_COMENTION,
    OVERVIEW_NODES,
    PAPER_EDGES,
    TYPE_NODES,
    _aliases,
    _node_name,
    _papers,
    _plural,
)
from kg.views._items import PaperTable, _Page
from kg.views._layout import ring_positions, spring_positions
from kg.views._lookup import find_entity
from kg.views._page import _write_page
from kg.views._select import _neighbourhood, _overview_links, _overview_nodes, _type_nodes

Nav = Sequence[tuple[str, Path]]

#: Plural heading of each entity type's view.
TYPE_TITLES = {
    "model": "Models",
    "method": "Methods",
    "dataset": "Datasets",
    "metric": "Metrics",
    "task": "Tasks",
}

_REL_LEGEND = ("rel", "relation found in one sentence (arrow; width: supporting papers)")


def write_overview(
    g: nx.MultiDiGraph,
    path: Path,
    max_nodes: int = OVERVIEW_NODES,
    *,
    lib_dir: Path | None = None,
    links: Mapping[str, Path] | None = None,
    nav: Nav = (),
    papers: PaperTable | None = None,
) -> Path:
    """Write the overview page: the most mentioned entities and how they are linked.

    Papers are not drawn (hundreds of squares would hide the entities). Entities are
    linked by their extracted relations (arrows, width by supporting papers) and by
    co-mentions (dashed: at least two papers mention both, no relation joins them).
    To stay readable each entity keeps only its strongest few links, relations
    first. When the graph has more than ``max_nodes`` entities the page shows those
    in most papers (ties: more relations, then id) and says "Showing N of M".
    Positions are precomputed with a seeded :func:`networkx.spring_layout`.

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
    nav : sequence of (str, Path), optional
        Links shown above the heading (text, page).
    papers : PaperTable, optional
        Shared paper table, written by the caller to ``<lib_dir>/papers.js``; by
        default the page carries the papers it needs.

    Returns
    -------
    Path
        ``path``.
    """
    path = Path(path)
    shown, n_entities = _overview_nodes(g, max_nodes)
    page = _Page(g, papers=papers)
    for n in shown:
        page.add_node(n)
    weights = []
    for kind, u, v, key, ids in _overview_links(g, set(shown)):
        if kind == "relation":
            page.add_relation(u, v, key)
            weights.append((u, v, float(g.edges[u, v, key].get("support", 1))))
        else:
            page.add_comention(u, v, ids)
            weights.append((u, v, float(len(ids))))

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
    edge_legend = [_REL_LEGEND, ("co", f"co-mentioned in {MIN_COMENTION}+ papers (dashed)")]
    return _write_page(
        page,
        spring_positions(shown, weights),
        path,
        lib_dir,
        links,
        nav,
        title=f"{name} \u2013 overview",
        heading=f"{name}: {n_entities} entities from {n_papers} papers",
        note=note,
        edge_legend=edge_legend,
        focus=None,
    )


def write_type_view(
    g: nx.MultiDiGraph,
    kind: str,
    path: Path,
    max_nodes: int = TYPE_NODES,
    *,
    lib_dir: Path | None = None,
    links: Mapping[str, Path] | None = None,
    nav: Nav = (),
    papers: PaperTable | None = None,
) -> Path:
    """Write the view of one entity type: e.g. methods and the datasets they are evaluated on.

    Drawn are the entities of ``kind`` in most papers (up to two thirds of
    ``max_nodes``) and the entities their relations lead to (most supporting papers
    first), with every relation between them that has an end of type ``kind``.

    Parameters
    ----------
    g : networkx.MultiDiGraph
        Graph following ``docs/graph-schema.md``.
    kind : str
        Entity label: ``model``, ``method``, ``dataset``, ``metric`` or ``task``.
    path : Path
        HTML file to write.
    max_nodes : int
        Largest number of nodes drawn.
    lib_dir : Path, optional
        Folder receiving the shared scripts; default ``<page folder>/lib``.
    links : Mapping[str, Path], optional
        Node id -> entity page; linked nodes open their page on double-click.
    nav : sequence of (str, Path), optional
        Links shown above the heading (text, page).
    papers : PaperTable, optional
        Shared paper table, written by the caller to ``<lib_dir>/papers.js``; by
        default the page carries the papers it needs.

    Returns
    -------
    Path
        ``path``.

    Raises
    ------
    ValueError
        When ``kind`` is not an entity label.
    """
    if kind not in TYPE_TITLES:
        raise ValueError(f"not an entity type: {kind!r}")
    path = Path(path)
    shown, n_kind = _type_nodes(g, kind, max_nodes)
    keep = set(shown)
    page = _Page(g, papers=papers)
    for n in shown:
        page.add_node(n)
    weights = []
    around = [(u, v, k, d) for u in keep for _, v, k, d in g.out_edges(u, keys=True, data=True)]
    for u, v, key, d in sorted(around, key=lambda e: e[:3]):
        ends = (g.nodes[u].get("kind"), g.nodes[v].get("kind"))
        if u in keep and v in keep and key not in PAPER_EDGES and u != v and kind in ends:
            page.add_relation(u, v, key)
            weights.append((u, v, float(d.get("support", 1))))
    n_own = sum(1 for n in shown if g.nodes[n].get("kind") == kind)
    others = sorted({str(g.nodes[n].get("kind")) for n in shown} - {kind})
    title = TYPE_TITLES[kind]
    others_text = ", ".join(f"{TYPE_TITLES[k].lower()}" for k in others) or "nothing else"
    note = (
        f"{title} in most papers ({n_own} of {n_kind}) and the {others_text} they are "
        "related to in one sentence (evaluated on, measured by, applied to, variant of). "
        "Node size: number of papers; width of a link: supporting papers."
    )
    graph_name = str(g.graph.get("name") or "Knowledge graph")
    return _write_page(
        page,
        spring_positions(shown, weights),
        path,
        lib_dir,
        links,
        nav,
        title=f"{title} \u2013 {graph_name}",
        heading=f"{title} and what they are linked to",
        note=note,
        edge_legend=[_REL_LEGEND],
        focus=None,
    )


def write_entity_view(
    g: nx.MultiDiGraph,
    node: str,
    path: Path,
    *,
    max_nodes: int = ENTITY_NODES,
    lib_dir: Path | None = None,
    links: Mapping[str, Path] | None = None,
    nav: Nav = (),
    papers: PaperTable | None = None,
) -> Path:
    """Write one entity's neighbourhood: the entity, its papers and entities around it.

    Drawn are the entity, the entities it is related to (relations in either
    direction), the papers that mention it (proposing papers first, then by
    occurrences) and the other entities those papers mention (most shared papers
    first), on rings around the entity. Edges: paper -> entity mentions among them
    and the entity's own relations. The panel lists the entity's papers with the
    sentence mentioning it. When the neighbourhood has more than ``max_nodes`` nodes
    the page says "Showing N of M". A paper node works too: its entities and the
    relations among them are shown.

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
    nav : sequence of (str, Path), optional
        Links shown above the heading (text, page).
    papers : PaperTable, optional
        Shared paper table, written by the caller to ``<lib_dir>/papers.js``; by
        default the page carries the papers it needs.

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
    center_is_paper = g.nodes[node].get("kind") == "paper"
    drawn_papers = {n for n in shown if g.nodes[n].get("kind") == "paper"}
    page = _Page(g, prefer=drawn_papers, papers=papers)
    for n in sorted(shown):
        if n == node:
            page.add_node(n, n_evidence=CENTER_EVIDENCE)
        elif center_is_paper:
            page.add_node(n)
        else:  # its papers drawn here, titles only (their sentences are on its own page)
            page.add_node(n, about=node, sentences=g.nodes[n].get("kind") == "paper")
    edges: dict[tuple[str, str], set[str]] = defaultdict(set)
    for u in keep:
        for _, v, key in g.out_edges(u, keys=True):
            if v in keep:
                edges[u, v].add(key)
    related = set()
    for (u, v), keys in sorted(edges.items()):
        if keys & PAPER_EDGES:
            page.add_mention(u, v, "proposes" if "proposes" in keys else "mentions")
        if node in (u, v) or center_is_paper:  # others' relations are on their pages
            for key in sorted(keys - PAPER_EDGES):
                page.add_relation(u, v, key)
                related.add(v if u == node else u)
    rest = [n for n in shown[1:] if n not in related]
    papers = [n for n in rest if g.nodes[n].get("kind") == "paper"]
    others = [n for n in rest if g.nodes[n].get("kind") != "paper"]
    rings = [sorted(related - {node}), papers, others]
    if center_is_paper:
        rings = [sorted(shown[1:])]
    positions = ring_positions(node, rings)

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
        note += "Inner ring: entities it is related to (arrows); then the papers that "
        note += "mention it (squares) and other entities those papers mention."
    if len(shown) < total:
        note += f" Showing {len(shown)} of {total} nodes."
    else:
        note += f" Showing all {total} nodes."
    edge_legend = [_REL_LEGEND, ("men", "paper mentions entity (thick: proposes it)")]
    graph_name = str(g.graph.get("name") or "Knowledge graph")
    return _write_page(
        page,
        positions,
        path,
        lib_dir,
        links,
        nav,
        title=f"{name} ({kind}) \u2013 {graph_name}",
        heading=name,
        note=note,
        edge_legend=edge_legend,
        focus=node,
    )
