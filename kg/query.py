"""Run SPARQL queries on a built graph with pyoxigraph, and format the results.

The Turtle file is loaded into an in-memory :class:`pyoxigraph.Store`. The usual
prefixes (``kgv``, ``schema``, ``mls``, ``skos``, ``prov``, ``dcterms``, ``rdf``,
``rdfs``, ``xsd``, ``void``, and ``kg``/``paper``/``model``/... for the graph's own
IRIs) may be used without declaring them: missing ``PREFIX`` lines are added, on the
query's first line, so error positions stay right. ``run_query(..., store=DIR)`` queries
a persistent store written by :func:`kg.store.write_store` instead, without reloading, and
``params`` fill the query's ``VALUES`` defaults (:mod:`kg.params`).

Results are plain Python values: IRIs as strings, literals as their lexical form
(numbers too), unbound variables as ``None``. SELECT gives one row per solution;
ASK one row with a column ``ask`` holding ``"true"`` or ``"false"``; CONSTRUCT and
DESCRIBE one row per triple with columns ``subject``, ``predicate``, ``object``.
"""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from kg.errors import KgError
from kg.params import bind_params
from kg.rdf import CLASSES, PREFIXES
from kg.store import memory_store, open_store
from kg.vocab import DEFAULT_BASE_IRI

#: Output formats of :func:`format_result`.
FORMATS: tuple[str, ...] = ("table", "csv", "json")

#: Longest cell shown by the ``table`` format (longer ones end with "…").
MAX_CELL = 60


class QueryError(KgError):
    """A query that cannot be read, parsed or run; the message is one line."""


@dataclass
class QueryResult:
    """Result of :func:`run_query`.

    Attributes
    ----------
    variables : list of str
        Column names, without ``?``.
    rows : list of list of (str or None)
        One list per solution, aligned with ``variables``; ``None`` where unbound.
    kind : str
        ``"select"``, ``"ask"`` or ``"graph"`` (CONSTRUCT/DESCRIBE).
    iris : set of (int, int)
        ``(row, column)`` of the cells that hold IRIs (the table format abbreviates them).
    """

    variables: list[str]
    rows: list[list[str | None]] = field(default_factory=list)
    kind: str = "select"
    iris: set[tuple[int, int]] = field(default_factory=set, repr=False, compare=False)

    def records(self) -> list[dict[str, str | None]]:
        """The rows as dicts keyed by variable name."""
        return [dict(zip(self.variables, row, strict=True)) for row in self.rows]

    def column(self, name: str) -> list[str | None]:
        """All values of one variable, in row order."""
        index = self.variables.index(name)
        return [row[index] for row in self.rows]


def default_prefixes(base_iri: str = DEFAULT_BASE_IRI) -> dict[str, str]:
    """Prefixes usable in queries without a ``PREFIX`` line (prefix -> namespace IRI)."""
    prefixes = dict(PREFIXES)
    prefixes["kg"] = base_iri
    for kind in ("paper", *CLASSES):
        prefixes[kind] = f"{base_iri}{kind}/"
    return prefixes


_DECLARED = re.compile(r"^\s*PREFIX\s+([A-Za-z][\w.-]*)?\s*:", re.IGNORECASE | re.MULTILINE)
_ERROR_POS = re.compile(r"\b(?:line\s+)?(\d+):(\d+)")


def add_prefixes(query: str, prefixes: dict[str, str] | None = None) -> str:
    """Prepend, as one line, the ``PREFIX`` declarations ``query`` lacks.

    Parameters
    ----------
    query : str
        SPARQL text.
    prefixes : dict, optional
        Prefix -> IRI; defaults to :func:`default_prefixes`.

    Returns
    -------
    str
        ``query`` with one extra first line (possibly empty) of declarations.
    """
    prefixes = default_prefixes() if prefixes is None else prefixes
    declared = {m.group(1) or "" for m in _DECLARED.finditer(query)}
    lines = [f"PREFIX {p}: <{iri}>" for p, iri in sorted(prefixes.items()) if p not in declared]
    return " ".join(lines) + "\n" + query


def read_query(query: str | Path) -> tuple[str, str]:
    """Return ``(text, name)`` of a query given as SPARQL text or a ``.rq`` file path.

    A :class:`~pathlib.Path`, or a string that ends in ``.rq`` / names an existing file,
    is read as a file; anything else is taken as the query text itself.

    Raises
    ------
    QueryError
        If the file is missing or unreadable, or the query is empty.
    """
    text = str(query)
    is_path = isinstance(query, Path) or (
        "\n" not in text and "{" not in text and (text.endswith(".rq") or Path(text).is_file())
    )
    if is_path:
        path = Path(text)
        try:
            text = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            raise QueryError(f"{path}: no such query file") from None
        except (OSError, UnicodeDecodeError) as exc:
            raise QueryError(f"{path}: cannot read query: {exc}") from None
        name = str(path)
    else:
        name = "query"
    if not text.strip():
        raise QueryError(f"{name}: empty query")
    return text, name


def load_store(graph_path: Path) -> ox.Store:
    """Load a Turtle file (or a build folder holding ``graph.ttl``) into a memory store.

    Raises
    ------
    kg.errors.InputError
        If the file is missing or is not valid Turtle.
    """
    return memory_store(graph_path)


def _result(variables: list[str], terms: list[list[object]], kind: str) -> QueryResult:
    rows = [[_value(t) for t in row] for row in terms]
    iris = {
        (r, c)
        for r, row in enumerate(terms)
        for c, term in enumerate(row)
        if isinstance(term, ox.NamedNode)
    }
    return QueryResult(variables, rows, kind, iris)


def _value(term: object) -> str | None:
    if term is None:
        return None
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    if isinstance(term, ox.NamedNode | ox.Literal):
        return term.value
    return str(term)  # RDF 1.2 triple terms


def _shift_error(message: str) -> str:
    """Make error positions refer to the user's query (we added one line)."""

    def fix(m: re.Match[str]) -> str:
        line = int(m.group(1)) - 1
        return m.group(0).replace(f"{m.group(1)}:{m.group(2)}", f"{max(line, 1)}:{m.group(2)}")

    message = _ERROR_POS.sub(fix, " ".join(message.split()), count=1)
    head, sep, tail = message.partition("expected ")
    if not sep:
        return message
    tokens = re.findall(r'\[[^\]]*\]|"(?:[^"\\]|\\.)*"|[^,\s][^,]*', tail.removeprefix("one of "))
    phrases = [t for t in tokens if re.search(r"\s[a-z]{3,}", t)]  # "Prefix not found" ...
    if phrases:
        text = "; ".join(p[0].lower() + p[1:] if p[1:2].islower() else p for p in phrases)
        hint = " (declare it with PREFIX name: <iri>)" if "prefix not found" in text else ""
        return head + text + hint
    words = [t for t in tokens if not t.startswith("[")]
    more = ", ..." if len(words) > 8 or len(words) < len(tokens) else ""
    return f"{head}expected {', '.join(words[:8]) or 'something else'}{more}"


def execute(query: str, store: ox.Store, name: str = "query") -> QueryResult:
    """Run SPARQL text on a store already loaded (see :func:`run_query`)."""
    try:
        result = store.query(add_prefixes(query))
        if isinstance(result, ox.QueryBoolean):
            return QueryResult(["ask"], [["true" if bool(result) else "false"]], kind="ask")
        if isinstance(result, ox.QueryTriples):
            terms = [[t.subject, t.predicate, t.object] for t in result]
            return _result(["subject", "predicate", "object"], terms, "graph")
        variables = [v.value for v in result.variables]
        return _result(variables, [[s[v] for v in variables] for s in result], "select")
    except SyntaxError as exc:
        raise QueryError(f"{name}: SPARQL syntax error: {_shift_error(str(exc))}") from None
    except (ValueError, OSError, RuntimeError) as exc:
        raise QueryError(f"{name}: query failed: {' '.join(str(exc).split())}") from None


def run_query(
    query: str | Path,
    graph_path: Path | None = None,
    params: Mapping[str, Sequence[str]] | None = None,
    store: Path | None = None,
) -> QueryResult:
    """Run a SPARQL query on a graph written by ``kg build``, or on a persistent store.

    Parameters
    ----------
    query : str or pathlib.Path
        SPARQL text, or the path of a ``.rq`` file. Prefixes listed in
        :func:`default_prefixes` need no declaration.
    graph_path : pathlib.Path, optional
        A Turtle file, or a build folder holding ``graph.ttl`` (or ``exports/graph.ttl``),
        loaded into memory. Ignored when ``store`` is given.
    params : mapping of str to sequence of str, optional
        Parameter bindings, ``{"dataset": ["ImageNet"]}``, filling the query's
        ``VALUES ?name { default }`` clauses (see :mod:`kg.params`).
    store : pathlib.Path, optional
        An Oxigraph store folder (``kg build --store``), opened read-only.

    Returns
    -------
    QueryResult
        Variables and rows of plain values; see the module docstring for ASK/CONSTRUCT.

    Raises
    ------
    QueryError
        If the query file is missing or the query does not parse or run.
    kg.params.ParamError
        If a parameter is not one the query takes, or its value has the wrong form.
    kg.errors.InputError
        If the graph file is missing or unparseable, or the store cannot be opened.
    """
    text, name = read_query(query)
    text = bind_params(text, params or {}, name)
    if store is not None:
        return execute(text, open_store(Path(store)), name)
    if graph_path is None:
        raise QueryError(f"{name}: give a graph (a .ttl file or build folder) or a store")
    return execute(text, load_store(Path(graph_path)), name)


# --- formatting -----------------------------------------------------------------------


def _cell(value: str | None, width: int) -> str:
    text = "" if value is None else " ".join(value.split())
    return text if len(text) <= width else text[: max(width - 1, 0)] + "…"


def _widths(header: list[str], rows: list[list[str]], total: int) -> list[int]:
    widths = [max(len(c) for c in col) for col in zip(header, *rows, strict=True)]
    budget = max(total - 2 * (len(widths) - 1), 8 * len(widths))
    while sum(widths) > budget:  # shrink the widest column until the table fits
        widest = max(range(len(widths)), key=lambda i: widths[i])
        if widths[widest] <= 8:
            break
        widths[widest] -= 1
    return widths


def compact_iri(iri: str, prefixes: dict[str, str] | None = None) -> str:
    """``prefix:local`` for an IRI in a known namespace with a plain local name, else the IRI.

    >>> compact_iri("http://www.w3.org/ns/mls#Model")
    'mls:Model'
    """
    prefixes = default_prefixes() if prefixes is None else prefixes
    best = ""
    for prefix, namespace in prefixes.items():
        if iri.startswith(namespace) and len(namespace) > len(prefixes.get(best, "")):
            best = prefix
    local = iri[len(prefixes.get(best, "")) :]
    if best and re.fullmatch(r"[\w-]+(?:\.[\w-]+)*", local):
        return f"{best}:{local}"
    return iri


def format_table(result: QueryResult, width: int | None = None, compact: bool = True) -> str:
    """Aligned plain-text table, at most ``width`` columns wide (default: the terminal).

    With ``compact``, IRIs in known namespaces are shown as prefixed names (``model:bert``).
    """
    if not result.variables:
        return f"({len(result.rows)} rows)"
    width = width or shutil.get_terminal_size((120, 24)).columns
    header = list(result.variables)
    prefixes = default_prefixes()
    rows = [
        [
            compact_iri(v, prefixes)
            if compact and v and (r, c) in result.iris
            else _cell(v, MAX_CELL)
            for c, v in enumerate(row)
        ]
        for r, row in enumerate(result.rows)
    ]
    rows = [[_cell(v, MAX_CELL) for v in row] for row in rows]
    widths = _widths(header, rows, width)
    numeric = [
        bool(rows) and all(re.fullmatch(r"-?\d+(\.\d+)?(e-?\d+)?", r[i] or "0") for r in rows)
        for i in range(len(header))
    ]

    def line(cells: list[str]) -> str:
        parts = []
        for cell, w, num in zip(cells, widths, numeric, strict=True):
            cell = _cell(cell, w)
            parts.append(cell.rjust(w) if num else cell.ljust(w))
        return "  ".join(parts).rstrip()

    out = [line(header), "  ".join("-" * w for w in widths)]
    out += [line(row) for row in rows]
    out.append(f"({len(rows)} row{'' if len(rows) == 1 else 's'})")
    return "\n".join(out)


def format_result(result: QueryResult, fmt: str = "table", width: int | None = None) -> str:
    """Format a query result as text.

    Parameters
    ----------
    result : QueryResult
        The result of :func:`run_query`.
    fmt : {"table", "csv", "json"}
        ``table``: aligned columns that fit ``width`` (long cells end with "…"), numeric
        columns right-aligned, and a row count. ``csv``: RFC 4180 with a header row, unbound
        values empty. ``json``: a list of objects, one per row, keyed by variable name,
        values as strings and ``null`` where unbound (not the SPARQL JSON results format,
        which needs term types the plain values no longer have).
    width : int, optional
        Table width; defaults to the terminal width.

    Returns
    -------
    str
        The formatted text, ending with a newline.

    Raises
    ------
    QueryError
        If ``fmt`` is not one of :data:`FORMATS`.
    """
    if fmt == "table":
        return format_table(result, width) + "\n"
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(result.variables)
        writer.writerows([["" if v is None else v for v in row] for row in result.rows])
        return buffer.getvalue()
    if fmt == "json":
        return json.dumps(result.records(), ensure_ascii=False, indent=2) + "\n"
    raise QueryError(f"unknown format {fmt!r}: use one of {', '.join(FORMATS)}")
