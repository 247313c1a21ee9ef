"""Check a built graph against the SHACL shapes in ``kg/data/shapes.ttl`` with pyshacl.

The shapes say what every graph ``kg build`` writes satisfies: each paper has a title,
each entity exactly one of the five ML-Schema classes and a ``skos:prefLabel``, each
relation its evidence, edges link entities of the right classes, and so on
(``docs/vocabulary.md``). :func:`validate` returns the violations as plain records;
:func:`format_report` prints them one per line.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

import pyshacl
import rdflib
from rdflib.collection import Collection
from rdflib.namespace import SH

from kg.query import compact_iri
from kg.rdf import load_rdf


@dataclass(frozen=True, order=True)
class Violation:
    """One SHACL validation result.

    Attributes
    ----------
    focus : str
        The node that fails (IRI, or ``_:id`` for a blank node).
    path : str
        The property path checked (a prefixed name where possible), or ``""``.
    message : str
        What is wrong, from the shape.
    value : str
        The offending value, or ``""``.
    severity : str
        ``Violation``, ``Warning`` or ``Info``.
    shape : str
        The shape that was checked.
    """

    focus: str
    path: str
    message: str
    value: str = ""
    severity: str = "Violation"
    shape: str = ""


@dataclass
class Report:
    """Result of :func:`validate`: whether the graph conforms and every violation, sorted."""

    source: str
    conforms: bool
    violations: list[Violation] = field(default_factory=list)

    def count(self, severity: str = "Violation") -> int:
        """Number of results of a severity."""
        return sum(1 for v in self.violations if v.severity == severity)


def shapes_graph() -> rdflib.Graph:
    """The SHACL shapes shipped with kg (``kg/data/shapes.ttl``)."""
    text = (resources.files("kg") / "data" / "shapes.ttl").read_text("utf-8")
    return rdflib.Graph().parse(data=text, format="turtle")


def _text(graph: rdflib.Graph, node: rdflib.term.Node | None) -> str:
    if node is None:
        return ""
    if isinstance(node, rdflib.URIRef):
        return compact_iri(str(node))
    if isinstance(node, rdflib.BNode):
        # a path such as kgv:evidence/prov:wasDerivedFrom is a blank-node list
        items = list(Collection(graph, node)) if graph.value(node, rdflib.RDF.first) else []
        return "/".join(_text(graph, item) for item in items) if items else f"_:{node}"
    return str(node)


def validate(data: rdflib.Graph | str | Path, shapes: rdflib.Graph | None = None) -> Report:
    """Validate a graph against the kg shapes.

    Parameters
    ----------
    data : rdflib.Graph or str or Path
        The graph, or a ``.ttl`` file / build folder to read it from.
    shapes : rdflib.Graph, optional
        Other shapes to use instead of :func:`shapes_graph`.

    Returns
    -------
    Report
        ``conforms`` and the violations sorted by focus node, path and message.

    Raises
    ------
    kg.errors.InputError
        If the file is missing or not valid Turtle.
    """
    source = "graph"
    if not isinstance(data, rdflib.Graph):
        source = str(data)
        data = load_rdf(Path(data))
    conforms, results, _ = pyshacl.validate(
        data, shacl_graph=shapes or shapes_graph(), inference="none", inplace=True
    )
    violations = []
    for result in results.subjects(rdflib.RDF.type, SH.ValidationResult):
        severity = results.value(result, SH.resultSeverity)
        violations.append(
            Violation(
                focus=_text(results, results.value(result, SH.focusNode)),
                path=_text(results, results.value(result, SH.resultPath)),
                message=" ".join(str(results.value(result, SH.resultMessage) or "").split()),
                value=_text(results, results.value(result, SH.value)),
                severity=str(severity).rpartition("#")[2] if severity else "Violation",
                shape=_text(results, results.value(result, SH.sourceShape)),
            )
        )
    return Report(source, bool(conforms), sorted(set(violations)))


def format_report(report: Report, limit: int | None = 50) -> str:
    """Readable text of a report: a summary line, then one line per violation.

    Parameters
    ----------
    report : Report
        The result of :func:`validate`.
    limit : int, optional
        Most violations listed (the count always covers all); ``None`` lists every one.

    Returns
    -------
    str
        Text ending with a newline.
    """
    if report.conforms:
        return f"{report.source}: conforms to the kg shapes (0 violations)\n"
    n = len(report.violations)
    lines = [f"{report.source}: does not conform: {n} violation{'' if n == 1 else 's'}"]
    shown = report.violations if limit is None else report.violations[:limit]
    for v in shown:
        where = f"{v.focus}  {v.path}" if v.path else v.focus
        value = f" (value: {v.value})" if v.value and v.value not in v.message else ""
        lines.append(f"  {v.severity.lower()}: {where}: {v.message}{value}")
    if len(shown) < n:
        lines.append(f"  ... and {n - len(shown)} more")
    return "\n".join(lines) + "\n"
