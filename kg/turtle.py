"""Deterministic Turtle: the same triples always give the same text.

:func:`serialize_turtle` writes subjects sorted by IRI, ``rdf:type`` first, then predicates by
IRI, with sorted objects and only the prefixes that are used; :func:`write_turtle` writes it
atomically. It reads the rdflib store once into plain dictionaries and renders each distinct
term once, so it is a few times faster than rdflib's own Turtle serializer.
"""

from __future__ import annotations

import gc
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from rdflib import RDF, XSD, Graph, Literal, URIRef
from rdflib.term import BNode, Node

from kg.exports import atomic_write

#: Characters that may not appear in an IRI written between angle brackets.
IRI_UNSAFE = re.compile(r'[\x00-\x20<>"{}|^`\\]')
_TYPE = RDF.type


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the garbage collector inside a block (or a function, as a decorator)."""
    # Making ~100k acyclic objects triggers collections that each walk the whole heap
    # (the NLP model included): pausing the collector saves as much time as the rest.
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


_PN_LOCAL = re.compile(r"^[A-Za-z0-9_](?:[A-Za-z0-9_.-]*[A-Za-z0-9_-])?$")
_ESCAPES = {'"': '\\"', "\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t"}
_NEEDS_ESCAPE = re.compile(r'["\\\x00-\x1f\x7f\ud800-\udfff]')


def _escape_char(match: re.Match[str]) -> str:
    char = match.group()
    if char in _ESCAPES:
        return _ESCAPES[char]
    if 0xD800 <= ord(char) <= 0xDFFF:  # lone surrogate: not encodable, not a valid \u escape
        return "\\uFFFD"
    return f"\\u{ord(char):04X}"


def _string(text: str) -> str:
    return '"' + _NEEDS_ESCAPE.sub(_escape_char, text) + '"'


class _TermWriter:
    """Renders terms as Turtle, using prefixed names where the local part is plain.

    :meth:`term` renders each distinct subject or object once and answers repeats from a
    cache (equal terms print the same, except language tags differing in case).
    """

    def __init__(self, graph: Graph) -> None:
        self.namespaces: dict[str, str] = {}
        for prefix, iri in sorted(graph.namespace_manager.namespaces()):
            self.namespaces.setdefault(str(iri), prefix)
        self.used: set[str] = set()
        self._terms: dict[Node, str] = {}

    def iri(self, iri: str) -> str:
        cut = max(iri.rfind("/"), iri.rfind("#")) + 1
        prefix = self.namespaces.get(iri[:cut])
        local = iri[cut:]
        if prefix is not None and (local == "" or _PN_LOCAL.match(local)):
            self.used.add(prefix)
            return f"{prefix}:{local}"
        return "<" + IRI_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04X}", iri) + ">"

    def term(self, node: Node) -> str:
        text = self._terms.get(node)
        if text is None:
            if isinstance(node, URIRef) and IRI_UNSAFE.search(node):
                node.n3()  # raises for an IRI that rdflib deems invalid
            text = self.render(node)
            if not getattr(node, "language", None):  # "x"@en == "x"@EN, but prints apart
                self._terms[node] = text
        return text

    def render(self, node: Node) -> str:
        if isinstance(node, URIRef):
            return self.iri(str(node))
        if isinstance(node, BNode):
            return f"_:{node}"
        if isinstance(node, Literal):
            lexical = _string(str(node))
            if node.language:
                return f"{lexical}@{node.language}"
            if node.datatype is None or node.datatype == XSD.string:
                return lexical
            if node.datatype == XSD.integer and re.fullmatch(r"[+-]?[0-9]+", str(node)):
                return str(node)
            return f"{lexical}^^{self.iri(str(node.datatype))}"
        raise TypeError(f"cannot write {node!r} as Turtle")


def _order(node: Node) -> tuple[int, str, str]:
    # IRIs, blank nodes, then literals (and others) by text. The N3 form is slow to make
    # and only tells apart literals of the same text: such IRIs or blank nodes are equal.
    rank = {URIRef: 0, BNode: 1}.get(type(node), 2)
    return (rank, str(node), node.n3() if rank == 2 else "")


@gc_paused()
def serialize_turtle(graph: Graph) -> str:
    """Turtle text of ``graph`` in a fixed order: same triples, same text.

    Subjects are sorted by IRI, ``rdf:type`` comes first, then predicates by IRI; the
    objects of a predicate are sorted too. Only prefixes that are used are declared.
    """
    index: dict[Node, dict[Node, list[Node]]] = {}
    for subject, predicate, obj in graph:  # one pass over the store, then plain dicts
        index.setdefault(subject, {}).setdefault(predicate, []).append(obj)
    writer = _TermWriter(graph)
    term = writer.term
    verbs: dict[Node, str] = {_TYPE: "a"}
    blocks = []
    for subject in sorted(index, key=_order):
        by_predicate = index[subject]
        lines = []
        for predicate in sorted(by_predicate, key=lambda p: (p != _TYPE, str(p))):
            if (verb := verbs.get(predicate)) is None:
                verb = verbs[predicate] = writer.render(predicate)
            objects = by_predicate[predicate]
            if len(objects) == 1:
                lines.append(f"    {verb} {term(objects[0])}")
                continue
            texts = [term(o) for o in sorted(objects, key=_order)]
            joined = " , ".join(texts)
            if len(joined) > 80:
                joined = " ,\n        ".join(texts)
            lines.append(f"    {verb} {joined}")
        blocks.append(term(subject) + "\n" + " ;\n".join(lines) + " .\n")
    header = [
        f"@prefix {prefix}: <{iri}> ."
        for iri, prefix in sorted(writer.namespaces.items(), key=lambda item: item[1])
        if prefix in writer.used
    ]
    return "\n".join(header) + "\n\n" + "\n".join(blocks)


def write_turtle(graph: Graph, path: Path) -> None:
    """Write ``graph`` to ``path`` as Turtle, atomically and byte-for-byte reproducibly.

    Parameters
    ----------
    graph : rdflib.Graph
        The graph to write (normally from :func:`to_rdf`).
    path : pathlib.Path
        Target file; its folder is created if needed. The text goes to a temporary file in
        the same folder first, which then replaces ``path``, so readers never see half a file.
    """
    text = serialize_turtle(graph)
    atomic_write(Path(path), lambda handle: handle.write(text))
