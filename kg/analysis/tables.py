"""Tables: every analysis returns rows (a list of dicts); pandas is optional."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any


def to_pandas(rows: Iterable[Mapping[str, Any]]) -> Any:
    """Turn rows (a list of dicts, as the analysis functions return) into a DataFrame.

    pandas is not a dependency of kg: install it (``pip install pandas``) to use this.

    Parameters
    ----------
    rows : iterable of dict
        Rows with the same keys, e.g. ``top_entities(g, "dataset")``.

    Returns
    -------
    pandas.DataFrame
        One row per dict, columns in the order of the first row's keys.

    Raises
    ------
    ImportError
        When pandas is not installed; the message says how to install it.

    Examples
    --------
    >>> rows = [{"name": "ImageNet", "papers": 21}, {"name": "GLUE", "papers": 9}]
    >>> to_pandas(rows).shape  # doctest: +SKIP
    (2, 2)
    """
    try:
        import pandas
    except ImportError:
        raise ImportError(
            "to_pandas() needs pandas, which kg does not install: run `pip install pandas` "
            "(or use the rows, a list of dicts, as they are)"
        ) from None
    rows = [dict(row) for row in rows]
    return pandas.DataFrame.from_records(rows, columns=list(rows[0]) if rows else None)


def rows_text(rows: Iterable[Mapping[str, Any]], columns: Iterable[str] | None = None) -> str:
    """Rows as an aligned plain-text table (numbers right-aligned), for printing.

    Examples
    --------
    >>> print(rows_text([{"name": "ImageNet", "papers": 21}, {"name": "GLUE", "papers": 9}]))
    name      papers
    ImageNet      21
    GLUE           9
    """
    rows = list(rows)
    if not rows:
        return ""
    cols = list(columns) if columns is not None else list(rows[0])
    cells = [[_cell(row.get(c, "")) for c in cols] for row in rows]
    numeric = [all(isinstance(row.get(c), int | float) for row in rows) for c in cols]
    widths = [max(len(c), *(len(r[i]) for r in cells)) for i, c in enumerate(cols)]

    def line(values: list[str]) -> str:
        parts = [
            v.rjust(w) if num else v.ljust(w)
            for v, w, num in zip(values, widths, numeric, strict=True)
        ]
        return "  ".join(parts).rstrip()

    header = [
        c.rjust(w) if num else c.ljust(w) for c, w, num in zip(cols, widths, numeric, strict=True)
    ]
    return "\n".join(["  ".join(header).rstrip(), *(line(r) for r in cells)])


def _cell(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:.4g}"
    if isinstance(value, Mapping):
        return ", ".join(f"{k} {v}" for k, v in value.items())
    if isinstance(value, list | tuple):
        return "; ".join(str(v) for v in value)
    return str(value)
