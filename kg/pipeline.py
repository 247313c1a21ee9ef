"""The whole pipeline: corpus files in, a knowledge graph and its exports out."""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import networkx as nx
import rdflib

from kg.errors import KgError
from kg.exports import swap_folder, write_graphml, write_node_link, write_tables
from kg.extract import extract
from kg.graph import build_graph
from kg.ingest import bundled_corpus, read_papers
from kg.records import LABELS, Mention, Paper, Resolution
from kg.resolve import resolve
from kg.vocab import DEFAULT_BASE_IRI

#: Files ``kg build`` writes into its output folder.
BUILD_FILES = (
    "graph.ttl",
    "index.html",
    "graph.html",
    "graph.graphml",
    "graph.json",
    "entities.csv",
    "mentions.csv",
    "relations.csv",
)

Progress = Callable[[int, int], None]


@dataclass
class KnowledgeGraph:
    """A built graph: the records behind it, the NetworkX graph and its RDF form.

    ``nx`` is a :class:`networkx.MultiDiGraph` (see ``docs/graph-schema.md``);
    ``rdf`` is an :class:`rdflib.Graph`, made on first use.
    """

    papers: list[Paper]
    mentions: list[Mention]
    resolution: Resolution
    nx: nx.MultiDiGraph
    base_iri: str = DEFAULT_BASE_IRI
    timings: dict[str, float] = field(default_factory=dict)

    @cached_property
    def rdf(self) -> rdflib.Graph:
        """The RDF graph (rdflib), built from :attr:`nx` with :attr:`base_iri`."""
        from kg.rdf import to_rdf

        start = time.perf_counter()
        graph = to_rdf(self.nx, self.base_iri)
        self.timings["rdf"] = time.perf_counter() - start
        return graph

    def counts(self) -> dict[str, int]:
        """Number of papers, entities per label and edges per relation."""
        counts: Counter[str] = Counter()
        counts["papers"] = len(self.papers)
        for entity in self.resolution.entities:
            counts[entity.label] += 1
        for _, _, key in self.nx.edges(keys=True):
            counts[key] += 1
        return {k: counts[k] for k in ("papers", *LABELS)} | {
            k: v for k, v in sorted(counts.items()) if k not in ("papers", *LABELS)
        }


def build(
    paths: Sequence[str | Path] | None = None,
    base_iri: str = DEFAULT_BASE_IRI,
    progress: Progress | None = None,
) -> KnowledgeGraph:
    """Read papers, extract and resolve entities, and link them into a graph.

    Parameters
    ----------
    paths : sequence of str or Path, optional
        Corpus files or folders; the bundled corpus when omitted.
    base_iri : str
        Prefix of every IRI the RDF graph mints.
    progress : callable, optional
        Called as ``progress(done, total)`` (numbers of papers) after each batch.

    Returns
    -------
    KnowledgeGraph
    """
    from kg.rdf import check_base_iri

    try:
        check_base_iri(base_iri)
    except ValueError as err:
        raise KgError(f"--base-iri: {err}") from None
    timings: dict[str, float] = {}
    with _timed(timings, "ingest"):
        papers = read_papers(paths or [bundled_corpus()])
    with _timed(timings, "extract"):
        mentions = extract_all(papers, progress)
    with _timed(timings, "resolve"):
        resolution = resolve(mentions)
    with _timed(timings, "graph"):
        graph = build_graph(papers, mentions, resolution)
    return KnowledgeGraph(papers, mentions, resolution, graph, base_iri, timings)


def extract_all(
    papers: Sequence[Paper], progress: Progress | None = None, batch: int = 64
) -> list[Mention]:
    """Run extraction over all papers in batches, calling ``progress(done, total)`` after each."""
    mentions: list[Mention] = []
    for start in range(0, len(papers), batch):
        chunk = papers[start : start + batch]
        mentions.extend(extract(chunk))
        if progress:
            progress(start + len(chunk), len(papers))
    return mentions


def write_build(kg: KnowledgeGraph, out_dir: str | Path) -> list[Path]:
    """Write every export of a build into ``out_dir``, replacing earlier ones whole.

    All files are first written into a temporary folder beside ``out_dir``; only
    when every one succeeded are they moved in, one atomic rename each. Files of
    ours that the new build no longer has are removed; other files are left alone.

    Returns
    -------
    list of Path
        The files written, relative paths inside ``out_dir``.
    """
    from kg.rdf import write_turtle
    from kg.views import write_site

    out = Path(out_dir)
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.", dir=out.parent))
    try:
        with _timed(kg.timings, "write"):
            write_turtle(kg.rdf, staging / "graph.ttl")
            write_graphml(kg.nx, staging / "graph.graphml")
            write_node_link(kg.nx, staging / "graph.json")
            write_tables(kg.nx, staging)  # entities.csv, mentions.csv, relations.csv
        with _timed(kg.timings, "views"):
            write_site(kg.nx, staging)  # index.html, graph.html, types/, entities/, lib/
        out.mkdir(exist_ok=True)
        written = sorted(p.relative_to(staging) for p in staging.rglob("*") if p.is_file())
        for folder in sorted({p.parts[0] for p in written if len(p.parts) > 1}):
            swap_folder(staging / folder, out / folder)
        for rel in written:
            if len(rel.parts) == 1:
                os.replace(staging / rel, out / rel)
        return written
    finally:
        shutil.rmtree(staging, ignore_errors=True)


class _timed:
    """Context manager adding the elapsed seconds of a block to ``timings[name]``."""

    def __init__(self, timings: dict[str, float], name: str) -> None:
        self.timings, self.name = timings, name

    def __enter__(self) -> None:
        self.start = time.perf_counter()

    def __exit__(self, *exc: object) -> None:
        elapsed = time.perf_counter() - self.start
        self.timings[self.name] = self.timings.get(self.name, 0.0) + elapsed


def extraction_records(
    papers: Sequence[Paper], mentions: Sequence[Mention], resolution: Resolution
) -> Iterator[dict]:
    """Yield the ``kg extract`` JSON object of each paper, in input order.

    ``{"id", "title", "entities": [{"text", "label", "canonical", "field", "start", "end"}]}``
    where ``canonical`` is the resolved entity's name.
    """
    names = {e.id: e.name for e in resolution.entities}
    by_paper: dict[str, list[dict]] = {p.id: [] for p in papers}
    for mention, entity_id in zip(mentions, resolution.mention_entity, strict=True):
        if entity_id is None:
            continue
        by_paper[mention.paper_id].append(
            {
                "text": mention.text,
                "label": mention.label,
                "canonical": names[entity_id],
                "field": mention.field,
                "start": mention.start,
                "end": mention.end,
            }
        )
    for paper in papers:
        yield {"id": paper.id, "title": paper.title, "entities": by_paper[paper.id]}
