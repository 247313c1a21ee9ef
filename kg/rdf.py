"""Convert the NetworkX graph to RDF and read it back (the Turtle writer is :mod:`kg.turtle`).

The RDF graph uses public vocabularies wherever one fits (``docs/vocabulary.md``):

* papers are ``schema:ScholarlyArticle`` with ``dcterms:title``/``dcterms:abstract``;
* entities are ML-Schema classes (``mls:Algorithm``, ``mls:Dataset``, ``mls:Model``,
  ``mls:EvaluationMeasure``, ``mls:Task``) named with ``skos:prefLabel``/``skos:altLabel``;
* every edge is a direct triple (``paper schema:mentions entity``,
  ``model kgv:evaluatedOn dataset`` ...) and also a ``kgv:Relation`` node (RDF
  reification: ``rdf:subject``/``rdf:predicate``/``rdf:object``) carrying ``kgv:support``,
  ``prov:wasDerivedFrom`` the papers and ``kgv:evidence`` links to ``kgv:Evidence`` nodes,
  one per distinct sentence of a paper (``paper/<id>/sentence/<hash>``), shared by every
  relation that cites the sentence.

IRIs are ``base_iri + node id`` (``https://w3id.org/mlkg/model/llama-2``); paper ids are
percent-encoded. No blank nodes are made, so the Turtle written by :func:`write_turtle`
is byte-identical for the same input.
"""

from __future__ import annotations

import hashlib
import re
from functools import lru_cache
from pathlib import Path
from typing import SupportsInt
from urllib.parse import quote

import networkx as nx
from rdflib import RDF, RDFS, XSD, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, SKOS, VOID, Namespace
from rdflib.term import Node

from kg.errors import InputError
from kg.turtle import IRI_UNSAFE, gc_paused
from kg.turtle import serialize_turtle as serialize_turtle  # re-exported
from kg.turtle import write_turtle as write_turtle  # re-exported
from kg.vocab import DEFAULT_BASE_IRI, KGV, KGV_IRI

SCHEMA = Namespace("http://schema.org/")
MLS = Namespace("http://www.w3.org/ns/mls#")

#: Prefixes bound in every graph made by :func:`to_rdf` (and usable in ``kg query``).
PREFIXES: dict[str, str] = {
    "dcterms": str(DCTERMS),
    "kgv": KGV_IRI,
    "mls": str(MLS),
    "prov": str(PROV),
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "schema": str(SCHEMA),
    "skos": str(SKOS),
    "void": str(VOID),
    "xsd": str(XSD),
}

#: Entity kind -> ML-Schema class.
CLASSES: dict[str, URIRef] = {
    "model": MLS.Model,
    "method": MLS.Algorithm,
    "dataset": MLS.Dataset,
    "metric": MLS.EvaluationMeasure,
    "task": MLS.Task,
}

#: Edge key (relation name) -> predicate of the direct triple.
PREDICATES: dict[str, URIRef] = {
    "mentions": SCHEMA.mentions,
    "proposes": KGV.proposes,
    "evaluated_on": KGV.evaluatedOn,
    "measured_by": KGV.measuredBy,
    "applied_to": KGV.appliedTo,
    "variant_of": KGV.variantOf,
}

#: Characters kept as they are in IRI path segments (RFC 3986 unreserved).
_SAFE = "-._~"


def _segment(text: str) -> str:
    return quote(text, safe=_SAFE)


def node_path(node_id: str) -> str:
    """IRI path of a node id: ``"<kind>/<id>"`` with the id percent-encoded.

    Parameters
    ----------
    node_id : str
        A node id of the NetworkX graph, e.g. ``"model/llama-2"`` or ``"paper/<id>"``.

    Returns
    -------
    str
        The path relative to the base IRI; slugs come out unchanged.

    Examples
    --------
    >>> node_path("paper/a b/c")
    'paper/a%20b%2Fc'
    """
    kind, sep, rest = node_id.partition("/")
    return f"{_segment(kind)}/{_segment(rest)}" if sep else _segment(kind)


_path = lru_cache(maxsize=1 << 16)(node_path)  # quote() is slow; ids recur in many IRIs


def node_iri(base_iri: str, node_id: str) -> URIRef:
    """IRI of a node: ``base_iri + node_path(node_id)``."""
    return URIRef(base_iri + _path(node_id))


def relation_iri(base_iri: str, source: str, key: str, target: str) -> URIRef:
    """IRI of the reified edge ``source -key-> target`` (``.../relation/<s>/<key>/<t>``)."""
    return URIRef(f"{base_iri}relation/{_path(source)}/{_segment(key)}/{_path(target)}")


def sentence_iri(base_iri: str, paper_id: str, sentence: str) -> URIRef:
    """IRI of one sentence of a paper: ``paper/<id>/sentence/<10 hex of sha1(sentence)>``.

    Every relation citing the same sentence shares this one evidence node. The name is
    derived from the text, so it does not change when other sentences get cited.

    >>> str(sentence_iri("http://ex.org/", "p1", "We propose X."))
    'http://ex.org/paper/p1/sentence/0f361bf58b'
    """
    digest = hashlib.sha1(sentence.encode("utf-8")).hexdigest()[:10]
    return URIRef(f"{base_iri}{_path('paper/' + paper_id)}/sentence/{digest}")


def check_base_iri(base_iri: str) -> None:
    """Raise ``ValueError`` unless ``base_iri`` is absolute and ends with ``/`` or ``#``."""
    if not re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:", base_iri) or IRI_UNSAFE.search(base_iri):
        raise ValueError(f"not an absolute IRI: {base_iri!r}")
    if not base_iri.endswith(("/", "#")):
        raise ValueError(f"base IRI must end with '/' or '#': {base_iri!r}")


def new_graph(base_iri: str = DEFAULT_BASE_IRI) -> Graph:
    """An empty rdflib graph with the kg prefixes (and one per node kind) bound."""
    graph = Graph(bind_namespaces="core")
    for prefix, iri in PREFIXES.items():
        graph.bind(prefix, iri, override=True, replace=True)
    graph.bind("kg", base_iri, override=True, replace=True)
    for kind in ("paper", *CLASSES):
        graph.bind(kind, base_iri + kind + "/", override=True, replace=True)
    return graph


# Terms used for every edge, looked up once (namespace attribute access is slow).
_TYPE, _SUBJECT, _PREDICATE, _OBJECT = RDF.type, RDF.subject, RDF.predicate, RDF.object
_DERIVED, _EVIDENCE, _SENTENCE = PROV.wasDerivedFrom, KGV.evidence, KGV.sentence


class _Triples:
    """The triples of :func:`to_rdf` in a plain list, each node IRI and number made once.

    :meth:`rdflib.Graph.add` is slow, so triples are collected here first. The triples of
    a sentence's evidence node are listed once, not for every relation citing it.
    """

    def __init__(self, base_iri: str) -> None:
        self.base_iri = base_iri
        self.items: list[tuple[Node, Node, Node]] = []
        self.add = self.items.append
        self.iris: dict[str, URIRef] = {}
        self.ints: dict[int, Literal] = {}
        self.cited: dict[tuple[str, str], tuple[URIRef, URIRef]] = {}

    def node(self, node_id: str) -> URIRef:
        if (iri := self.iris.get(node_id)) is None:
            iri = self.iris[node_id] = node_iri(self.base_iri, node_id)
        return iri

    def integer(self, value: SupportsInt | str) -> Literal:
        if (literal := self.ints.get(number := int(value))) is None:
            literal = self.ints[number] = Literal(number)
        return literal

    def evidence(self, rel: URIRef, paper_id: str, text: str) -> None:
        if (cited := self.cited.get((paper_id, text))) is None:
            paper = self.node("paper/" + paper_id)
            sentence = sentence_iri(self.base_iri, paper_id, text)
            self.add((sentence, _TYPE, KGV.Evidence))
            self.add((sentence, _DERIVED, paper))
            self.add((sentence, _SENTENCE, Literal(text)))
            cited = self.cited[paper_id, text] = (paper, sentence)
        self.add((rel, _DERIVED, cited[0]))
        self.add((rel, _EVIDENCE, cited[1]))


def _add_paper(out: _Triples, iri: URIRef, attrs: dict) -> None:
    out.add((iri, _TYPE, SCHEMA.ScholarlyArticle))
    out.add((iri, DCTERMS.identifier, Literal(str(attrs.get("id", "")))))
    title = str(attrs.get("title", ""))
    out.add((iri, DCTERMS.title, Literal(title)))
    out.add((iri, RDFS.label, Literal(title)))
    if attrs.get("abstract"):
        out.add((iri, DCTERMS.abstract, Literal(str(attrs["abstract"]))))
    if attrs.get("source"):
        out.add((iri, KGV.sourceFile, Literal(str(attrs["source"]))))
    if attrs.get("line") is not None:
        out.add((iri, KGV.sourceLine, out.integer(attrs["line"])))
    if attrs.get("date"):
        out.add((iri, KGV.pageDate, Literal(str(attrs["date"]))))
    if attrs.get("url"):
        out.add((iri, SCHEMA.url, Literal(str(attrs["url"]), datatype=XSD.anyURI)))
    for author in attrs.get("authors") or ():
        out.add((iri, SCHEMA.author, Literal(str(author))))


def _add_entity(out: _Triples, iri: URIRef, kind: str, attrs: dict) -> None:
    name = str(attrs.get("name", ""))
    out.add((iri, _TYPE, CLASSES[kind]))
    out.add((iri, DCTERMS.identifier, Literal(str(attrs.get("id", "")))))
    out.add((iri, SKOS.prefLabel, Literal(name)))
    out.add((iri, RDFS.label, Literal(name)))
    for alias in attrs.get("aliases") or ():
        if alias != name:
            out.add((iri, SKOS.altLabel, Literal(str(alias))))
    out.add((iri, KGV.paperCount, out.integer(attrs.get("papers", 0))))


def _add_edge(out: _Triples, source: str, target: str, key: str, attrs: dict) -> None:
    predicate = PREDICATES.get(key)
    if predicate is None:
        raise ValueError(f"unknown relation {key!r} on edge {source} -> {target}")
    subject, obj = out.node(source), out.node(target)
    out.add((subject, predicate, obj))
    rel = relation_iri(out.base_iri, source, key, target)
    out.add((rel, _TYPE, KGV.Relation))
    out.add((rel, _SUBJECT, subject))
    out.add((rel, _PREDICATE, predicate))
    out.add((rel, _OBJECT, obj))
    out.add((rel, KGV.support, out.integer(attrs.get("support", 0))))
    if attrs.get("count") is not None:
        out.add((rel, KGV.mentionCount, out.integer(attrs["count"])))
    for item in attrs.get("evidence") or ():
        out.evidence(rel, str(item["paper"]), str(item.get("sentence", "")))


@gc_paused()
def to_rdf(g: nx.MultiDiGraph, base_iri: str = DEFAULT_BASE_IRI) -> Graph:
    """Convert the kg NetworkX graph (``docs/graph-schema.md``) to an rdflib graph.

    Parameters
    ----------
    g : networkx.MultiDiGraph
        The graph built by ``kg.graph``: paper and entity nodes, edges keyed by relation.
    base_iri : str, optional
        Prefix of every node IRI; must end with ``/`` or ``#``.

    Returns
    -------
    rdflib.Graph
        Papers, entities, direct relation triples, reified relations with evidence, and a
        ``void:Dataset`` description of the graph at ``base_iri`` itself.

    Raises
    ------
    ValueError
        If ``base_iri`` is not a usable IRI, or a node kind or edge key is unknown.
    """
    check_base_iri(base_iri)
    out = _Triples(base_iri)
    me = URIRef(base_iri)
    out.add((me, _TYPE, VOID.Dataset))
    if g.graph.get("name"):
        out.add((me, DCTERMS.title, Literal(str(g.graph["name"]))))
    if g.graph.get("papers") is not None:
        out.add((me, KGV.paperCount, out.integer(g.graph["papers"])))
    for source in g.graph.get("sources") or ():
        out.add((me, KGV.sourceFile, Literal(str(source))))
    for node_id in sorted(g.nodes):
        attrs = g.nodes[node_id]
        kind = attrs.get("kind") or node_id.partition("/")[0]
        if kind == "paper":
            _add_paper(out, out.node(node_id), attrs)
        elif kind in CLASSES:
            _add_entity(out, out.node(node_id), kind, attrs)
        else:
            raise ValueError(f"unknown node kind {kind!r} of node {node_id!r}")
    for source, target, key, attrs in sorted(g.edges(keys=True, data=True), key=_edge_key):
        _add_edge(out, source, target, attrs.get("relation", key), attrs)
    rdf = new_graph(base_iri)
    store_add = rdf.store.add  # what Graph.add and Graph.addN call, minus their checks
    for triple in out.items:
        store_add(triple, rdf)
    return rdf


def _edge_key(edge: tuple) -> tuple[str, str, str]:
    return (str(edge[0]), str(edge[2]), str(edge[1]))


def graph_file(path: Path) -> Path:
    """The Turtle file meant by ``path``: the file itself, or ``graph.ttl`` in a build folder.

    A folder is searched for ``graph.ttl`` and then ``exports/graph.ttl``.

    Raises
    ------
    kg.errors.InputError
        If no such file exists.
    """
    path = Path(path)
    if path.is_dir():
        for candidate in (path / "graph.ttl", path / "exports" / "graph.ttl"):
            if candidate.is_file():
                return candidate
        raise InputError(str(path), "folder holds no graph.ttl (nor exports/graph.ttl)")
    if not path.is_file():
        raise InputError(str(path), "no such file")
    return path


def load_rdf(path: Path) -> Graph:
    """Read a graph written by :func:`write_turtle`.

    Parameters
    ----------
    path : pathlib.Path
        A ``.ttl`` file, or a build folder holding ``graph.ttl`` (or ``exports/graph.ttl``).

    Returns
    -------
    rdflib.Graph

    Raises
    ------
    kg.errors.InputError
        If the file is missing or is not valid Turtle.
    """
    file = graph_file(path)
    graph = new_graph()
    try:
        graph.parse(file, format="turtle")
    except Exception as exc:  # rdflib raises many types for bad input
        first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
        raise InputError(str(file), f"not valid Turtle: {first}") from None
    return graph
