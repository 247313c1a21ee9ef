"""Interactive HTML views of the graph, made with pyvis and vis-network.

Two pages are written from the NetworkX graph described in ``docs/graph-schema.md``:

* :func:`write_overview` -- the most mentioned entities and how they relate;
* :func:`write_entity_view` -- one entity with its papers and the entities around it.

:func:`find_entity` turns what a user typed (id, name or alias) into a node id.

pyvis (:class:`pyvis.network.Network`) assembles the vis nodes, edges and options
(``_items``); the page comes from our own Jinja template (``_page``) because pyvis's
template loads scripts and styles from CDNs. Pages open offline: vis-network and our
small script and style are copied from ``kg/static/`` into a ``lib/`` folder that the
pages load by relative path. Titles and abstracts are untrusted: every string reaches
the page HTML-escaped or inside JSON with ``<``, ``>``, ``&`` escaped, and tooltips are
plain text. Output is deterministic: nodes and edges are sorted, the layout seed is
fixed, and there are no timestamps.
"""

from kg.views._common import KINDS, PALETTE, STATIC_DIR
from kg.views._lookup import entity_page_name, find_entity
from kg.views._write import write_entity_view, write_overview

__all__ = [
    "KINDS",
    "PALETTE",
    "STATIC_DIR",
    "entity_page_name",
    "find_entity",
    "write_entity_view",
    "write_overview",
]
