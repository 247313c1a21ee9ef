"""The site ``kg build`` writes: index, overview, one view per type, one per entity."""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

import networkx as nx

from kg.exports import atomic_write
from kg.records import LABELS
from kg.views._common import OVERVIEW_NODES, PALETTE, SITE_MIN_PAPERS, _node_name, _papers
from kg.views._items import PaperTable
from kg.views._lookup import entity_page_name
from kg.views._page import _copy_static, _href, _template
from kg.views._write import TYPE_TITLES, write_entity_view, write_overview, write_type_view

#: Page of the overview inside a site folder.
OVERVIEW = "graph.html"
#: The site's front page.
INDEX = "index.html"

INDEX_TEMPLATE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="connect-src 'none'; img-src data:; \
font-src 'none'; media-src 'none'; object-src 'none'; frame-src 'none'; base-uri 'none'; \
form-action 'none'">
<title>{{ name }}</title>
<link rel="stylesheet" href="lib/kg-views.css">
</head>
<body class="kg-index">
<header>
<h1>{{ name }}</h1>
<p class="kg-note">{{ n_entities }} entities from {{ n_papers }} papers.</p>
</header>
<div class="kg-page">
<h2>Views</h2>
<ul>
<li><a href="{{ overview }}">Overview</a>: the {{ n_overview }} entities in most papers \
and their strongest links</li>
{%- for t in types %}
<li><a href="{{ t.href }}">{{ t.title }}</a> ({{ t.count }}) and the entities they are \
related to</li>
{%- endfor %}
</ul>
<h2>Entity pages</h2>
<p class="kg-note">One page per entity mentioned in {{ min_papers }} or more papers: its \
papers, relations, co-mentioned entities and evidence sentences.</p>
<p><label for="kg-filter">Filter</label> <input id="kg-filter" type="search" \
placeholder="name or alias" autocomplete="off"> <span id="kg-shown"></span></p>
{%- for t in groups %}
<h3><span class="kg-swatch" style="background:{{ t.color }}"></span>{{ t.title }} \
({{ t.entities|length }})</h3>
<ul class="kg-list">
{%- for e in t.entities %}
<li data-aka="{{ e.aka }}"><a href="{{ e.href }}">{{ e.name }}</a> \
<span class="kg-count">{{ e.papers }}</span></li>
{%- endfor %}
</ul>
{%- endfor %}
</div>
<script>
(function () {
  var input = document.getElementById("kg-filter");
  var items = Array.prototype.slice.call(document.querySelectorAll(".kg-list li"));
  input.addEventListener("input", function () {
    var q = input.value.replace(/\\s+/g, " ").trim().toLowerCase();
    var shown = 0;
    items.forEach(function (li) {
      var text = (li.textContent + " " + li.getAttribute("data-aka")).toLowerCase();
      var on = !q || text.indexOf(q) !== -1;
      li.hidden = !on;
      shown += on ? 1 : 0;
    });
    document.getElementById("kg-shown").textContent = q ? shown + " shown" : "";
  });
})();
</script>
</body>
</html>
"""


def write_site(
    g: nx.MultiDiGraph,
    out_dir: Path,
    min_papers: int = SITE_MIN_PAPERS,
    max_pages: int | None = None,
) -> list[Path]:
    """Write the views of ``g`` as a small offline site.

    ``index.html`` links the overview (``graph.html``), one view per entity type
    (``types/<type>.html``) and one page per entity in at least ``min_papers`` papers
    (``entities/<type>-<id>.html``). Every page loads the one shared copy of the
    scripts in ``lib/`` by relative path, and the papers (titles, dates, links) from one
    ``lib/papers.js``; nodes with a page open it on double-click.

    Parameters
    ----------
    g : networkx.MultiDiGraph
        Graph following ``docs/graph-schema.md``.
    out_dir : Path
        Folder to write into (created if missing).
    min_papers : int
        Entities in fewer papers get no page of their own.
    max_pages : int, optional
        Most entity pages written (those in most papers); no limit by default.

    Returns
    -------
    list of Path
        The pages written (absolute paths), index first.
    """
    out = Path(out_dir)
    lib = out / "lib"
    entities = sorted(
        (n for n, d in g.nodes(data=True) if d.get("kind") in LABELS),
        key=lambda n: (LABELS.index(g.nodes[n]["kind"]), -_papers(g, n), n),
    )
    ranked = sorted(entities, key=lambda n: (-_papers(g, n), n))
    paged = set([n for n in ranked if _papers(g, n) >= min_papers][:max_pages])
    links = {n: out / "entities" / entity_page_name(n) for n in entities if n in paged}
    types = {k: out / "types" / f"{k}.html" for k in LABELS}
    nav = [("Index", out / INDEX), ("Overview", out / OVERVIEW)]
    nav += [(TYPE_TITLES[k], p) for k, p in types.items()]
    papers = PaperTable(g)
    papers.write(lib / "papers.js")
    shared = {"lib_dir": lib, "links": links, "nav": nav, "papers": papers}
    pages = [_write_index(g, out, entities, links, types, min_papers)]
    pages.append(write_overview(g, out / OVERVIEW, **shared))
    for kind, path in types.items():
        pages.append(write_type_view(g, kind, path, **shared))
    for n, path in links.items():
        pages.append(write_entity_view(g, n, path, **shared))
    return pages


def _write_index(
    g: nx.MultiDiGraph,
    out: Path,
    entities: Sequence[str],
    links: dict[str, Path],
    types: dict[str, Path],
    min_papers: int,
) -> Path:
    """Write ``index.html``: links to the overview, type views and entity pages."""

    def href(p: Path) -> str:
        return _href(Path(os.path.abspath(out)), Path(os.path.abspath(p)))

    counts = {k: sum(1 for n in entities if g.nodes[n]["kind"] == k) for k in LABELS}
    groups = []
    for kind in LABELS:
        rows = [
            {
                "name": _node_name(g, n),
                "href": href(links[n]),
                "papers": _papers(g, n),
                "aka": " ".join(str(a) for a in g.nodes[n].get("aliases", ())),
            }
            for n in entities
            if n in links and g.nodes[n]["kind"] == kind
        ]
        groups.append({"title": TYPE_TITLES[kind], "color": PALETTE[kind], "entities": rows})
    n_papers = sum(1 for _, d in g.nodes(data=True) if d.get("kind") == "paper")
    text = _template(INDEX_TEMPLATE).render(
        name=" ".join(str(g.graph.get("name") or "Knowledge graph").split()),
        n_entities=len(entities),
        n_papers=n_papers,
        n_overview=min(OVERVIEW_NODES, len(entities)),
        overview=OVERVIEW,
        types=[
            {"title": TYPE_TITLES[k], "href": href(p), "count": counts[k]} for k, p in types.items()
        ],
        groups=groups,
        min_papers=min_papers,
    )
    _copy_static(out / "lib")
    path = out / INDEX
    raw = text.encode("utf-8", errors="replace")
    atomic_write(path, lambda handle: handle.write(raw), binary=True)
    return path
