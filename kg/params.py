"""Query parameters: ``kg query --param name=value`` fills a query's ``VALUES`` default.

A parameter of a query is a variable given its default by a one-variable ``VALUES``
clause, e.g. ``VALUES ?dataset { "ImageNet" }``; ``UNDEF`` as the default means "any"
(the variable stays unbound, and the query's filters treat that as no restriction).
The file stays plain SPARQL that any tool runs with the defaults; a binding replaces
the values between the braces. The default's form sets how a value is written: a
string default takes any text, a number default a number, an IRI default (``<...>`` or
``prefix:name``) an IRI or prefixed name. Giving a name twice lists several values.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence

from kg.errors import KgError

_VALUES = re.compile(r"\bVALUES\s+\?(?P<name>\w+)\s*\{(?P<body>[^{}]*)\}", re.IGNORECASE)
_COMMENT = re.compile(r"^[ \t]*#[^\n]*", re.MULTILINE)
_NUMBER = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?")
_PREFIXED = re.compile(r"[A-Za-z][\w.-]*:[\w.%-]*")
_ABSOLUTE = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:[^\s<>\"{}|^`\\]+")


class ParamError(KgError):
    """A parameter that the query does not take, or a value of the wrong form."""


def parse_params(items: Iterable[str]) -> dict[str, list[str]]:
    """Parse ``name=value`` strings into ``{name: [values...]}`` (order kept).

    >>> parse_params(["dataset=ImageNet", "dataset=CIFAR-10", "k=a=b"])
    {'dataset': ['ImageNet', 'CIFAR-10'], 'k': ['a=b']}

    Raises
    ------
    ParamError
        If an item has no ``=`` or an empty name.
    """
    params: dict[str, list[str]] = {}
    for item in items:
        name, sep, value = item.partition("=")
        name = name.strip().removeprefix("?")
        if not sep or not re.fullmatch(r"\w+", name):
            raise ParamError(f"--param {item!r}: expected name=value")
        params.setdefault(name, []).append(value)
    return params


def query_params(query: str) -> dict[str, str]:
    """The parameters a query takes: name -> default values as written in the query.

    >>> query_params('SELECT * { VALUES ?task { "qa" } VALUES (?a ?b) { (1 2) } }')
    {'task': '"qa"'}
    """
    return {
        m.group("name"): " ".join(m.group("body").split())
        for m in _VALUES.finditer(_mask_comments(query))
    }


def _mask_comments(query: str) -> str:
    """``query`` with whole-line ``#`` comments blanked out (same length, same offsets)."""
    return _COMMENT.sub(lambda m: " " * len(m.group()), query)


def _string(value: str) -> str:
    escaped = value.replace("\\", "\\\\").replace('"', '\\"')
    escaped = escaped.replace("\n", "\\n").replace("\r", "\\r").replace("\t", "\\t")
    return f'"{escaped}"'


def format_value(value: str, default: str, name: str) -> str:
    """SPARQL text of ``value`` for a parameter whose default is written ``default``.

    >>> format_value('Say "hi"', '"imagenet"', "dataset")
    '"Say \\\\"hi\\\\""'
    >>> format_value("model:llama", "<https://w3id.org/mlkg/model/bert>", "model")
    'model:llama'

    Raises
    ------
    ParamError
        If ``value`` does not fit the form of the default (number or IRI).
    """
    first = default.split()[0] if default.split() else "UNDEF"
    if _NUMBER.fullmatch(first):
        if not _NUMBER.fullmatch(value.strip()):
            raise ParamError(f"--param {name}: expected a number, got {value!r}")
        return value.strip()
    if first.startswith("<") or (_PREFIXED.fullmatch(first) and not first.startswith('"')):
        value = value.strip()
        if value.startswith("<") and value.endswith(">"):
            value = value[1:-1]
        if _PREFIXED.fullmatch(value) and "//" not in value:
            return value
        if _ABSOLUTE.fullmatch(value):
            return f"<{value}>"
        raise ParamError(f"--param {name}: expected an IRI or prefix:name, got {value!r}")
    return _string(value)  # strings, and UNDEF defaults


def bind_params(query: str, params: Mapping[str, Sequence[str]], name: str = "query") -> str:
    """Replace the ``VALUES`` defaults of ``query`` by the given parameter values.

    Parameters
    ----------
    query : str
        SPARQL text.
    params : mapping of str to sequence of str
        Parameter name (without ``?``) -> values (one or more).
    name : str
        Name of the query, for error messages.

    Returns
    -------
    str
        The query with each bound ``VALUES ?name { ... }`` body replaced; line breaks
        inside a replaced body are kept, so error positions stay right.

    Raises
    ------
    ParamError
        If a parameter is not one of the query's (the message lists those it takes).

    Examples
    --------
    >>> bind_params('SELECT * { VALUES ?task { "qa" } }', {"task": ["NER", "QA"]})
    'SELECT * { VALUES ?task { "NER" "QA" } }'
    """
    if not params:
        return query
    known = query_params(query)
    for param in params:
        if param not in known:
            takes = ", ".join(sorted(known)) or "none"
            raise ParamError(
                f"{name}: unknown parameter {param!r} (parameters of this query: {takes}; "
                "a parameter is a variable with a default in VALUES ?name { ... })"
            )

    def replace(match: re.Match[str]) -> str:
        var, body = match.group("name"), match.group("body")
        if var not in params:
            return match.group()
        default = " ".join(body.split())
        values = " ".join(format_value(v, default, var) for v in params[var])
        breaks = "\n" * body.count("\n")
        return f"VALUES ?{var} {{ {values} {breaks}}}"

    out = query
    for match in reversed(list(_VALUES.finditer(_mask_comments(query)))):
        out = out[: match.start()] + replace(match) + out[match.end() :]
    return out
