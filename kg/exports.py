"""Write and read the graph's file formats (besides Turtle and HTML).

Every writer writes to a temporary file beside the target and renames it into
place, so an earlier export is never left half-written.
"""

from __future__ import annotations

import csv
import io
import json
import os
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
    """Write GraphML (for Gephi, Cytoscape, yEd): lists joined with ``; ``, evidence as JSON."""
    flat = nx.MultiDiGraph()
    flat.graph.update({k: _flat(v) for k, v in graph.graph.items()})
    for node, data in graph.nodes(data=True):
        flat.add_node(node, **{k: _flat(v) for k, v in data.items()})
    for u, v, key, data in graph.edges(keys=True, data=True):
        flat.add_edge(u, v, key=key, **{k: _flat(v) for k, v in data.items()})
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
    """Write node-link JSON, the lossless format :func:`load_graph` reads back."""
    data = nx.node_link_data(graph, edges="edges", name="node")
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, indent=1)
    return atomic_write(path, lambda handle: handle.write(text + "\n"))


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
