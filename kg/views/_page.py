"""The HTML page: Jinja template, safe JSON, shared scripts and atomic writes."""

from __future__ import annotations

import filecmp
import html
import json
import os
import urllib.parse
from collections import Counter
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup
from pyvis.network import Network

from kg.exports import atomic_write
from kg.views._common import KINDS, PALETTE, STATIC_DIR, _norm

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
</head>
<body>
<header>
<h1>{{ heading }}</h1>
<p class="kg-note" id="kg-note">{{ note }}</p>
<form id="kg-search-form" role="search" onsubmit="return false;">
<label for="kg-search">Find a node</label>
<input id="kg-search" type="search" list="kg-names" placeholder="name or alias" \
autocomplete="off">
<datalist id="kg-names">
{%- for o in choices %}
<option value="{{ o.value }}">{{ o.kind }}</option>
{%- endfor %}
</datalist>
<button type="button" id="kg-fit">Fit</button>
<span id="kg-status" role="status"></span>
</form>
</header>
<main>
<aside>
<fieldset id="kg-legend"><legend>Types (tick to show)</legend>
{%- for k in legend %}
<label><input type="checkbox" data-kind="{{ k.kind }}" checked{% if not k.count %} disabled\
{% endif %}><span class="kg-swatch" style="background:{{ k.color }}"></span>{{ k.kind }} \
<span class="kg-count">({{ k.count }})</span></label>
{%- endfor %}
</fieldset>
<ul class="kg-edges">
{%- for e in edge_legend %}
<li><span class="kg-line {{ e.css }}"></span>{{ e.text }}</li>
{%- endfor %}
</ul>
<section id="kg-info" aria-live="polite"><p class="kg-hint">Click a node to see details; \
hover for a summary{% if links %}; double-click to open its page{% endif %}.</p></section>
</aside>
<div id="mynetwork"></div>
</main>
<script type="application/json" id="kg-data">{{ data }}</script>
<script>
var data = JSON.parse(document.getElementById("kg-data").textContent);
var nodes = new vis.DataSet(data.nodes);
var edges = new vis.DataSet(data.edges);
var container = document.getElementById("mynetwork");
var network = new vis.Network(container, {nodes: nodes, edges: edges}, data.options);
network.once("stabilizationIterationsDone", function () {
  network.setOptions({physics: false});
});
kgViews.init(network, nodes, edges, data);
</script>
</body>
</html>
"""


def _write_page(
    net: Network,
    path: Path,
    lib_dir: Path | None,
    links: Mapping[str, Path] | None,
    *,
    title: str,
    heading: str,
    note: str,
    edge_legend: list[tuple[str, str]],
    focus: str | None,
) -> Path:
    """Render the page for ``net``, copy the scripts to ``lib_dir`` and write atomically."""
    page_dir = Path(os.path.abspath(path.parent))
    lib = Path(os.path.abspath(lib_dir)) if lib_dir is not None else page_dir / "lib"
    nodes, edges, _, _, _, options = net.get_network_data()
    nodes = sorted(nodes, key=lambda x: x["id"])
    info = {x["id"]: x.pop("kg") for x in nodes}
    for x in nodes:
        if links and x["id"] in links:
            info[x["id"]]["href"] = _href(page_dir, Path(os.path.abspath(links[x["id"]])))
    edges = sorted(edges, key=lambda e: (e["from"], e["to"], e.get("relation", "")))
    for i, e in enumerate(edges):
        e["id"] = f"e{i}"
    counts = Counter(x["group"] for x in nodes)
    names = Counter(_norm(i["name"]) for i in info.values())
    choices = sorted(
        {
            (i["name"] if names[_norm(i["name"])] == 1 else f"{i['name']} ({i['kind']})", i["kind"])
            for i in info.values()
        }
    )
    for i in info.values():
        if names[_norm(i["name"])] > 1:
            i["search"] = [f"{i['name']} ({i['kind']})"]
    data = {
        "nodes": nodes,
        "edges": edges,
        "info": info,
        "options": json.loads(options),
        "focus": focus,
    }
    # every {{ value }} goes through html.escape, except the JSON escaped above
    env = jinja2.Environment(autoescape=False, keep_trailing_newline=True, finalize=_escape)
    page = env.from_string(TEMPLATE).render(
        title=" ".join(title.split()),
        heading=" ".join(heading.split()),
        note=" ".join(note.split()),
        lib=_href(page_dir, lib),
        choices=[{"value": v, "kind": k} for v, k in choices],
        legend=[{"kind": k, "color": PALETTE[k], "count": counts.get(k, 0)} for k in KINDS],
        edge_legend=[{"css": c, "text": t} for c, t in edge_legend],
        links=bool(links),
        data=Markup(_script_json(data)),
        pyvis_version=_pyvis_version(),
    )
    _copy_static(lib)
    data = page.encode("utf-8", errors="replace")
    atomic_write(path, lambda handle: handle.write(data), binary=True)
    return path


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
