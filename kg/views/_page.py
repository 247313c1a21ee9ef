"""The HTML page of a view: Jinja template, safe JSON, shared scripts and atomic writes."""

from __future__ import annotations

import filecmp
import functools
import html
import json
import os
import urllib.parse
from collections import Counter
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from kg.exports import atomic_write
from kg.views._common import KINDS, PALETTE, STATIC_DIR
from kg.views._items import _Page
from kg.views._lookup import entity_page_name

TEMPLATE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="connect-src 'none'; img-src data:; \
font-src 'none'; media-src 'none'; object-src 'none'; frame-src 'none'; base-uri 'none'; \
form-action 'none'">
<meta name="generator" content="kg views (pyvis {{ pyvis_version }}, vis-network 9.1.2)">
<title>{{ title }}</title>
<link rel="stylesheet" href="{{ lib }}/vis-network.css">
<link rel="stylesheet" href="{{ lib }}/kg-views.css">
<script src="{{ lib }}/vis-network.min.js"></script>
<script src="{{ lib }}/kg-views.js"></script>
{%- if shared %}
<script src="{{ lib }}/papers.js"></script>
{%- endif %}
</head>
<body>
<header>
{%- if nav %}
<nav>{% for n in nav %}{% if not loop.first %} \u00b7 {% endif %}<a href="{{ n.href }}">\
{{ n.text }}</a>{% endfor %}</nav>
{%- endif %}
<h1>{{ heading }}</h1>
<p class="kg-note" id="kg-note">{{ note }}</p>
<form id="kg-search-form" role="search" onsubmit="return false;">
<label for="kg-search">Find a node</label>
<input id="kg-search" type="search" list="kg-names" placeholder="name or alias" \
autocomplete="off">
<datalist id="kg-names"></datalist>
<button type="button" id="kg-fit">Fit</button>
{%- if max_support > 1 %}
<label for="kg-min">Hide links in fewer than</label>
<input id="kg-min" type="number" min="1" max="{{ max_support }}" value="1"> papers
{%- endif %}
<span id="kg-status" role="status"></span>
</form>
</header>
<main>
<aside>
<fieldset id="kg-legend"><legend>Types (tick to show)</legend></fieldset>
<ul class="kg-edges">
{%- for e in edge_legend %}
<li><span class="kg-line {{ e.css }}"></span>{{ e.text }}</li>
{%- endfor %}
</ul>
<section id="kg-info" aria-live="polite"><p class="kg-hint">Click a node to highlight its \
neighbours and see its details; hover for a summary{% if links %}; double-click to open its \
page{% endif %}.</p></section>
</aside>
<div id="mynetwork"></div>
</main>
<script type="application/json" id="kg-data">{{ data }}</script>
<script>
var network = kgViews.init(JSON.parse(document.getElementById("kg-data").textContent)).network;
</script>
</body>
</html>
"""


def _write_page(
    page: _Page,
    positions: Mapping[str, tuple[int, int]],
    path: Path,
    lib_dir: Path | None,
    links: Mapping[str, Path] | None,
    nav: Sequence[tuple[str, Path]] = (),
    *,
    title: str,
    heading: str,
    note: str,
    edge_legend: list[tuple[str, str]],
    focus: str | None,
) -> Path:
    """Render ``page``, copy the scripts to ``lib_dir`` and write ``path`` atomically."""
    page_dir = Path(os.path.abspath(path.parent))
    lib = Path(os.path.abspath(lib_dir)) if lib_dir is not None else page_dir / "lib"
    nodes, edges, rels = page.items(positions)
    pages: str | None = None
    for node in nodes:
        n = node.get("id")
        if links and n in links:
            href = _href(page_dir, Path(os.path.abspath(links[n])))
            name = entity_page_name(n)
            folder = href[: -len(name)] if href.endswith(name) else None
            if pages is None and folder is not None and folder in ("", folder.rstrip("/") + "/"):
                pages = folder  # the folder of the entity pages, relative to this page
            if pages is not None and href == pages + name:
                node["l"] = 1  # its page is pages + entity_page_name(n)
            else:
                node["href"] = href
    counts = Counter(node["id"].partition("/")[0] if "id" in node else "paper" for node in nodes)
    supports = [e[3] for e in edges if rels[e[2]] not in ("mentions", "proposes")]
    data = {
        "S": page.strings,
        "P": page.papers if page.shared is None else None,  # None: lib/papers.js
        "nodes": nodes,
        "edges": edges,
        "R": rels,
        "focus": focus,
        "pages": pages,
        "kinds": [[k, PALETTE[k], counts.get(k, 0)] for k in KINDS],
    }
    # every {{ value }} goes through html.escape, except the JSON escaped above
    html_text = _template(TEMPLATE).render(
        title=" ".join(title.split()),
        heading=" ".join(heading.split()),
        note=" ".join(note.split()),
        lib=_href(page_dir, lib),
        nav=[{"text": t, "href": _href(page_dir, Path(os.path.abspath(p)))} for t, p in nav],
        edge_legend=[{"css": c, "text": t} for c, t in edge_legend],
        max_support=max(supports, default=1),
        links=bool(links),
        shared=page.shared is not None,
        data=Markup(_script_json(data)),
        pyvis_version=_pyvis_version(),
    )
    _copy_static(lib)
    raw = html_text.encode("utf-8", errors="replace")
    atomic_write(path, lambda handle: handle.write(raw), binary=True)
    return path


@functools.cache
def _template(text: str) -> jinja2.Template:
    """The compiled Jinja template of ``text``; ``{{ value }}`` is HTML-escaped."""
    env = jinja2.Environment(autoescape=False, keep_trailing_newline=True, finalize=_escape)
    return env.from_string(text)


def _escape(value: Any) -> str:
    """Template output filter: ``html.escape`` for everything but :class:`Markup`."""
    return value if isinstance(value, Markup) else html.escape(str(value), quote=True)


def _script_json(obj: Any) -> str:
    """JSON safe inside ``<script>``: no ``<``, ``>``, ``&``, U+2028/9 left raw."""
    text = json.dumps(obj, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    for raw, esc in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026")):
        text = text.replace(raw, esc)
    return text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


def _href(page_dir: Path, target: Path) -> str:
    """URL of ``target`` relative to a page in ``page_dir`` (posix, percent-encoded)."""
    rel = Path(os.path.relpath(target, page_dir)).as_posix()
    return urllib.parse.quote(rel, safe="/-._~")


def _copy_static(lib: Path) -> None:
    """Copy ``kg/static/*`` into ``lib`` (files already identical are left alone)."""
    for src in sorted(STATIC_DIR.iterdir()):
        if not src.is_file() or src.name.startswith("."):
            continue
        dest = lib / src.name
        if dest.is_file() and filecmp.cmp(src, dest, shallow=False):
            continue
        data = src.read_bytes()
        atomic_write(dest, lambda handle, data=data: handle.write(data), binary=True)


def _pyvis_version() -> str:
    import pyvis

    return str(getattr(pyvis, "__version__", ""))
