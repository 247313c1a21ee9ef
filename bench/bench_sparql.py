"""Benchmark (not a test): pyoxigraph against rdflib on a graph scaled to ~1 million triples.

The bundled build's Turtle (``exports/graph.ttl``, or ``--graph``) is replicated with
renamed papers: copy ``i`` renames every paper IRI ``paper/<id>`` to ``paper/c<i>-<id>`` (and
the relation and sentence IRIs built from it), while entities stay shared, as in a corpus
``COPIES`` times larger over the same vocabulary. Both engines load the same N-Triples text
and run every query in ``queries/``; rdflib runs each query in a forked child with a time
limit (a timed-out query counts as the limit, which flatters rdflib).

Usage: ``.venv/bin/python bench/bench_sparql.py [--triples 1000000] [--timeout 20]``
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import statistics
import sys
import time
from pathlib import Path

import pyoxigraph as ox
import rdflib

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kg.query import add_prefixes  # noqa: E402
from kg.store import memory_store  # noqa: E402
from kg.vocab import DEFAULT_BASE_IRI  # noqa: E402


def scaled_ntriples(graph: Path, triples: int) -> tuple[str, int]:
    """N-Triples text of ``graph`` replicated with renamed papers to about ``triples``."""
    store = memory_store(graph)
    base = ox.serialize(store, format=ox.RdfFormat.N_QUADS).decode("utf-8")
    paper, relation = f"<{DEFAULT_BASE_IRI}paper/", f"<{DEFAULT_BASE_IRI}relation/paper/"
    shared = [line for line in base.splitlines() if paper not in line and relation not in line]
    per_paper = [line for line in base.splitlines() if paper in line or relation in line]
    copies = max(1, round((triples - len(shared)) / max(len(per_paper), 1)))
    block = "\n".join(per_paper)
    parts = ["\n".join(shared)]
    for i in range(copies):
        parts.append(block.replace(paper, f"{paper}c{i}-").replace(relation, f"{relation}c{i}-"))
    return "\n".join(parts) + "\n", copies


def _rdflib_child(graph: rdflib.Graph, text: str, conn: object) -> None:
    start = time.perf_counter()
    rows = len(list(graph.query(text)))
    conn.send((time.perf_counter() - start, rows))  # type: ignore[attr-defined]


def time_rdflib(graph: rdflib.Graph, text: str, timeout: float) -> tuple[float, int | None]:
    """Run one query in a forked child (which shares the loaded graph); kill it at timeout."""
    ctx = mp.get_context("fork")
    parent, child = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_rdflib_child, args=(graph, text, child))
    proc.start()
    try:
        if parent.poll(timeout):
            seconds, rows = parent.recv()
            return seconds, rows
        return timeout, None
    finally:
        if proc.is_alive():
            proc.kill()
        proc.join(10)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--graph", type=Path, default=ROOT / "exports" / "graph.ttl")
    parser.add_argument("--triples", type=int, default=1_000_000)
    parser.add_argument("--timeout", type=float, default=20.0, help="rdflib limit per query, s")
    args = parser.parse_args()

    text, copies = scaled_ntriples(args.graph, args.triples)
    data = text.encode("utf-8")
    print(f"graph: {args.graph} x {copies} copies (renamed papers), {len(data) / 1e6:.0f} MB")

    start = time.perf_counter()
    store = ox.Store()
    store.bulk_load(data, format=ox.RdfFormat.N_TRIPLES)
    ox_load = time.perf_counter() - start
    print(f"pyoxigraph load: {ox_load:6.2f} s  ({len(store):,} triples)")
    start = time.perf_counter()
    graph = rdflib.Graph()
    graph.parse(data=text, format="nt")
    rdf_load = time.perf_counter() - start
    print(f"rdflib     load: {rdf_load:6.2f} s  ({len(graph):,} triples)")

    print(f"\n{'query':30} {'pyoxigraph s':>12} {'rdflib s':>10} {'rows':>6} {'ratio':>7}")
    ox_times, rdf_times = [], []
    for path in sorted((ROOT / "queries").glob("*.rq")):
        query = add_prefixes(path.read_text("utf-8"))
        start = time.perf_counter()
        rows = len(list(store.query(query)))
        ox_s = time.perf_counter() - start
        rdf_s, rdf_rows = time_rdflib(graph, query, args.timeout)
        ox_times.append(ox_s)
        rdf_times.append(rdf_s)
        shown = f">{args.timeout:.0f}" if rdf_rows is None else f"{rdf_s:.3f}"
        check = "" if rdf_rows in (None, rows) else f"  (rdflib: {rdf_rows} rows)"
        print(f"{path.name:30} {ox_s:12.3f} {shown:>10} {rows:6d} {rdf_s / ox_s:6.0f}x{check}")

    ox_median, rdf_median = statistics.median(ox_times), statistics.median(rdf_times)
    timeouts = sum(1 for t in rdf_times if t >= args.timeout)
    print(f"\nload:         pyoxigraph {ox_load:.2f} s, rdflib {rdf_load:.2f} s "
          f"({rdf_load / ox_load:.0f}x)")  # fmt: skip
    print(
        f"median query: pyoxigraph {ox_median:.3f} s, rdflib {rdf_median:.3f} s "
        f"({rdf_median / ox_median:.0f}x; {timeouts} rdflib queries hit the {args.timeout:.0f} s "
        "limit and count as the limit)"
    )


if __name__ == "__main__":
    main()
