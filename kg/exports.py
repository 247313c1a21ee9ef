"""Write and read the graph's file formats (besides Turtle and HTML).

Every writer writes to a temporary file beside the target and renames it into
place, so an earlier export is never left half-written.
"""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any

import networkx as nx

from kg.errors import InputError
from kg.records import LABELS

ENTITY_COLUMNS = ("node", "id", "label", "name", "aliases", "papers", "proposed_by", "paper_ids")


def atomic_write(path: Path, write: Callable[[IO[Any]], object], binary: bool = False) -> Path:
    """Call ``write`` on a temporary file beside ``path``, then rename it to ``path``.

    The file is UTF-8 text with ``\n`` line ends, or bytes when ``binary``.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with (
            os.fdopen(fd, "wb") if binary else os.fdopen(fd, "w", encoding="utf-8", newline="")
        ) as handle:
            write(handle)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def swap_folder(new: Path, target: Path) -> None:
    """Replace folder ``target`` by ``new`` with renames; the old copy is removed after."""
    if target.exists():
        old = target.with_name(f".{target.name}.old")
        shutil.rmtree(old, ignore_errors=True)
        os.replace(target, old)
        os.replace(new, target)
        shutil.rmtree(old, ignore_errors=True)
    else:
        os.replace(new, target)


def write_entities_csv(graph: nx.MultiDiGraph, path: Path) -> Path:
    """Write one row per entity, sorted by label then id.

    Columns: node id, entity id, label, canonical name, aliases (``; ``-joined),
    number of papers, number of papers proposing it, paper ids (``; ``-joined).
    """
    rows = []
    for node, data in graph.nodes(data=True):
        if data["kind"] == "paper":
            continue
        proposed = sum(1 for _, _, key in graph.in_edges(node, keys=True) if key == "proposes")
        rows.append(
            (
                node,
                data["id"],
                data["kind"],
                data["name"],
                "; ".join(data["aliases"]),
                data["papers"],
                proposed,
                "; ".join(data["paper_ids"]),
            )
        )
    rows.sort(key=lambda r: (LABELS.index(r[2]), r[1]))

    def write(handle: IO[str]) -> None:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(ENTITY_COLUMNS)
        writer.writerows(rows)

    return atomic_write(path, write)


def write_graphml(graph: nx.MultiDiGraph, path: Path) -> Path:
    """Write GraphML (for Gephi, Cytoscape, yEd): attributes made scalar.

    Lists are joined with ``; ``. An edge's evidence becomes ``evidence_papers`` (the
    paper ids); the sentences themselves are in ``graph.json`` and the Turtle, which
    keeps this file small enough for Gephi-sized graphs.
    """
    flat = nx.MultiDiGraph()
    flat.graph.update({k: _flat(v) for k, v in graph.graph.items()})
    for node, data in graph.nodes(data=True):
        flat.add_node(node, **{k: _flat(v) for k, v in data.items()})
    for u, v, key, data in graph.edges(keys=True, data=True):
        attrs = {k: _flat(v) for k, v in data.items() if k != "evidence"}
        evidence = data.get("evidence") or []
        attrs["evidence_papers"] = "; ".join(item["paper"] for item in evidence)
        flat.add_edge(u, v, key=key, **attrs)
    buffer = io.BytesIO()
    nx.write_graphml(flat, buffer, encoding="utf-8", prettyprint=True)
    return atomic_write(path, lambda handle: handle.write(buffer.getvalue().decode("utf-8")))


def _flat(value: object) -> object:
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return "; ".join(value)
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return value


def write_node_link(graph: nx.MultiDiGraph, path: Path) -> Path:
    """Write node-link JSON, the lossless format :func:`load_graph` reads back.

    One node or edge per line, each compact: small, and diffs stay readable.
    """
    data = nx.node_link_data(graph, edges="edges", name="node")

    def dump(value: object) -> str:
        return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))

    head = {k: v for k, v in data.items() if k not in ("nodes", "edges")}
    parts = [dump(head)[:-1]]
    for name in ("edges", "nodes"):
        items = ",\n".join(dump(item) for item in data[name])
        parts.append(f',\n"{name}":[\n{items}\n]')
    text = "".join(parts) + "}\n"
    return atomic_write(path, lambda handle: handle.write(text))


def load_graph(path: str | Path) -> nx.MultiDiGraph:
    """Read a built graph back from a build folder or its ``graph.json``.

    Parameters
    ----------
    path : str or Path
        A folder written by ``kg build`` or a node-link JSON file.

    Raises
    ------
    InputError
        When the file is missing or not a kg node-link graph.
    """
    path = Path(path)
    if path.is_dir():
        path = path / "graph.json"
    if not path.is_file():
        raise InputError(str(path), "no built graph here (run `kg build` first)")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if not all("node" in node and "kind" in node for node in data["nodes"]):
            raise ValueError("nodes lack 'node' or 'kind' keys")
        graph = nx.node_link_graph(data, directed=True, multigraph=True, edges="edges", name="node")
    except (ValueError, KeyError, TypeError) as err:
        raise InputError(str(path), f"not a kg graph file ({err})") from None
    return graph


# --- more formats: GEXF, CSV tables, N-Triples, JSON-LD ------------------------------------

MENTION_COLUMNS = ("paper_id", "entity", "label", "name", "count", "proposes")
RELATION_COLUMNS = (
    "source", "relation", "target", "source_name", "target_name", "support", "paper_ids",
)  # fmt: skip

#: ``kg export`` formats -> default file name (``csv`` writes three tables).
EXPORT_FORMATS: dict[str, str] = {
    "nt": "graph.nt",
    "jsonld": "graph.jsonld",
    "graphml": "graph.graphml",
    "gexf": "graph.gexf",
    "json": "graph.json",
    "csv": "",
}


def write_gexf(graph: nx.MultiDiGraph, path: Path) -> Path:
    """Write GEXF 1.2 for Gephi: node labels are names/titles, edge weights the support.

    Lists are joined with ``; ``, evidence is JSON; the node attribute ``id`` is written
    as ``kg_id`` (GEXF uses ``id`` for the node id itself).
    """
    flat = nx.MultiDiGraph()
    for node in sorted(graph.nodes):
        data = {k: _flat(v) for k, v in graph.nodes[node].items() if k != "id"}
        data["kg_id"] = graph.nodes[node].get("id", "")
        data["label"] = graph.nodes[node].get("name") or graph.nodes[node].get("title") or node
        flat.add_node(node, **data)
    for u, v, key, data in sorted(graph.edges(keys=True, data=True), key=lambda e: e[:3]):
        attrs = {k: _flat(x) for k, x in data.items()}
        flat.add_edge(u, v, key=key, label=key, weight=float(data.get("support", 1)), **attrs)
    buffer = io.BytesIO()
    nx.write_gexf(flat, buffer, encoding="utf-8", prettyprint=True, version="1.2draft")
    return atomic_write(path, lambda handle: handle.write(buffer.getvalue()), binary=True)


def _csv(path: Path, header: tuple[str, ...], rows: list[tuple]) -> Path:
    def write(handle: IO[str]) -> None:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)

    return atomic_write(path, write)


def write_mentions_csv(graph: nx.MultiDiGraph, path: Path) -> Path:
    """Write one row per (paper, entity) ``mentions`` edge, sorted by paper then entity.

    Columns: paper id, entity node id, label, name, mention count, and ``1`` when the
    paper also proposes the entity (else ``0``). The sentences are in the other formats.
    """
    rows = []
    for u, v, key, data in graph.edges(keys=True, data=True):
        if key != "mentions":
            continue
        entity = graph.nodes[v]
        proposes = int(graph.has_edge(u, v, "proposes"))
        paper = graph.nodes[u].get("id", u.removeprefix("paper/"))
        rows.append((paper, v, entity["kind"], entity["name"], data.get("count", 0), proposes))
    rows.sort(key=lambda r: (r[0], LABELS.index(r[2]), r[1]))
    return _csv(path, MENTION_COLUMNS, rows)


def write_relations_csv(graph: nx.MultiDiGraph, path: Path) -> Path:
    """Write one row per entity-entity edge (all but ``mentions``/``proposes``), sorted.

    Columns: source node, relation, target node, their names, support and paper ids
    (``; ``-joined). The evidence sentences are in the RDF, GraphML and JSON exports (left
    out here to keep the committed build small).
    """
    rows = []
    for u, v, key, data in graph.edges(keys=True, data=True):
        if graph.nodes[u].get("kind") == "paper":
            continue
        papers = "; ".join(str(e["paper"]) for e in data.get("evidence") or ())
        names = (graph.nodes[u].get("name", ""), graph.nodes[v].get("name", ""))
        rows.append((u, key, v, *names, data.get("support", 0), papers))
    rows.sort(key=lambda r: (r[1], r[0], r[2]))
    return _csv(path, RELATION_COLUMNS, rows)


def write_tables(graph: nx.MultiDiGraph, folder: Path) -> list[Path]:
    """Write ``entities.csv``, ``mentions.csv`` and ``relations.csv`` into ``folder``."""
    folder = Path(folder)
    return [
        write_entities_csv(graph, folder / "entities.csv"),
        write_mentions_csv(graph, folder / "mentions.csv"),
        write_relations_csv(graph, folder / "relations.csv"),
    ]


def _triples(ttl: Path) -> list[Any]:
    from kg.store import memory_store

    return [q.triple for q in memory_store(ttl)]


def write_ntriples(ttl: Path, path: Path) -> Path:
    """Write the Turtle graph ``ttl`` as N-Triples, one triple per line, lines sorted."""
    import pyoxigraph as ox

    lines = ox.serialize(_triples(ttl), format=ox.RdfFormat.N_TRIPLES).decode("utf-8")
    text = "\n".join(sorted(set(lines.splitlines()))) + "\n"
    return atomic_write(path, lambda handle: handle.write(text))


def write_jsonld(ttl: Path, path: Path) -> Path:
    """Write the Turtle graph ``ttl`` as compact JSON-LD 1.1 with an inline ``@context``.

    The context maps the graph's prefixes (no remote context, so it parses offline); each
    subject is one object of ``@graph``, sorted by IRI, with its properties and values sorted.
    Integers are JSON numbers, other typed literals ``{"@value", "@type"}``.
    """
    import pyoxigraph as ox

    from kg.query import default_prefixes

    prefixes = default_prefixes()
    by_length = sorted(prefixes.items(), key=lambda item: -len(item[1]))

    def short(iri: str) -> str:
        for prefix, ns in by_length:
            if iri.startswith(ns) and len(iri) > len(ns) and not iri[len(ns) :].startswith("/"):
                return f"{prefix}:{iri[len(ns) :]}"
        return iri

    def value(term: Any) -> Any:
        if isinstance(term, ox.NamedNode):
            return {"@id": short(term.value)}
        if isinstance(term, ox.BlankNode):
            return {"@id": f"_:{term.value}"}
        if term.language:
            return {"@value": term.value, "@language": term.language}
        datatype = term.datatype.value
        if datatype == "http://www.w3.org/2001/XMLSchema#string":
            return term.value
        if (
            datatype == "http://www.w3.org/2001/XMLSchema#integer"
            and term.value.lstrip("-").isdigit()
        ):
            return int(term.value)
        return {"@value": term.value, "@type": short(datatype)}

    nodes: dict[str, dict[str, list]] = {}
    for triple in _triples(ttl):
        subject = triple.subject
        sid = short(subject.value) if isinstance(subject, ox.NamedNode) else f"_:{subject.value}"
        props = nodes.setdefault(sid, {})
        if triple.predicate.value == "http://www.w3.org/1999/02/22-rdf-syntax-ns#type":
            props.setdefault("@type", []).append(short(triple.object.value))
        else:
            props.setdefault(short(triple.predicate.value), []).append(value(triple.object))
    order = lambda v: json.dumps(v, sort_keys=True, ensure_ascii=False)  # noqa: E731
    graph = []
    for sid in sorted(nodes):
        item: dict[str, Any] = {"@id": sid}
        for key, values in nodes[sid].items():
            values = sorted(values, key=order)
            item[key] = values[0] if len(values) == 1 and key != "@type" else values
        graph.append(item)
    doc = {"@context": dict(sorted(prefixes.items())), "@graph": graph}
    text = json.dumps(doc, ensure_ascii=False, sort_keys=True, indent=1)
    return atomic_write(path, lambda handle: handle.write(text + "\n"))


def export(graph_dir: str | Path, fmt: str, output: str | Path | None = None) -> list[Path]:
    """Write one export format of a built graph (``kg export``).

    Parameters
    ----------
    graph_dir : str or Path
        A build folder (``graph.ttl`` for ``nt``/``jsonld``, ``graph.json`` for the others).
    fmt : str
        One of :data:`EXPORT_FORMATS`.
    output : str or Path, optional
        The file to write (for ``csv``: the folder); default ``graph_dir/graph.<ext>``
        (for ``csv``: ``graph_dir``).

    Returns
    -------
    list of Path
        The files written.

    Raises
    ------
    InputError
        If the build folder lacks the file the format is made from.
    KgError
        If ``fmt`` is unknown.
    """
    from kg.errors import KgError
    from kg.rdf import graph_file

    if fmt not in EXPORT_FORMATS:
        raise KgError(f"unknown export format {fmt!r}: use one of {', '.join(EXPORT_FORMATS)}")
    folder = Path(graph_dir)
    if fmt == "csv":
        return write_tables(load_graph(folder), Path(output) if output else folder)
    target = Path(output) if output else folder / EXPORT_FORMATS[fmt]
    if fmt in ("nt", "jsonld"):
        ttl = graph_file(folder)
        return [(write_ntriples if fmt == "nt" else write_jsonld)(ttl, target)]
    writer = {"graphml": write_graphml, "gexf": write_gexf, "json": write_node_link}[fmt]
    return [writer(load_graph(folder), target)]
