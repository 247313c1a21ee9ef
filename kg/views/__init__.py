"""Interactive HTML views of the graph, made with pyvis and vis-network.

Pages written from the NetworkX graph described in ``docs/graph-schema.md``:

* :func:`write_site` -- everything below plus ``index.html`` linking it all;
* :func:`write_overview` -- the most mentioned entities and their strongest links;
* :func:`write_type_view` -- one entity type and what it is related to;
* :func:`write_entity_view` -- one entity with its papers and the entities around it.

:func:`find_entity` turns what a user typed (id, name or alias) into a node id.

Pages stay readable at any graph size: each draws a bounded number of nodes (top-N
by papers, strongest links only, a control hiding links with little support), node
positions are precomputed with a seeded NetworkX layout, physics runs briefly and
then stops, and labels of small nodes are not drawn when zoomed out.

pyvis (:class:`pyvis.network.Network`) assembles the vis nodes and edges (``_items``);
the page comes from our own Jinja template (``_page``) because pyvis's template loads
scripts and styles from CDNs. Pages open offline: vis-network and our small script
and style are copied from ``kg/static/`` into one ``lib/`` folder that every page loads
by relative path; a site's papers (titles, dates, links) are in one ``lib/papers.js``
and each page carries only its nodes, links and evidence sentences. Titles and
abstracts are untrusted: every string reaches the page HTML-escaped or inside JSON with
``<``, ``>``, ``&`` escaped, and the browser script only ever sets text
(``textContent``, plain-text tooltips). Output is deterministic: nodes and edges are
sorted, the layout seed is fixed, and there are no timestamps.
"""

from kg.views._common import KINDS, PALETTE, STATIC_DIR
from kg.views._lookup import entity_page_name, find_entity
from kg.views._site import INDEX, OVERVIEW, write_site
from kg.views._write import TYPE_TITLES, write_entity_view, write_overview, write_type_view

__all__ = [
    "INDEX",
    "KINDS",
    "OVERVIEW",
    "PALETTE",
    "STATIC_DIR",
    "TYPE_TITLES",
    "entity_page_name",
    "find_entity",
    "write_entity_view",
    "write_overview",
    "write_site",
    "write_type_view",
]
