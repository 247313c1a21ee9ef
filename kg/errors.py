"""Errors that are reported to users as one line, without a traceback."""

from __future__ import annotations


class KgError(Exception):
    """Base class for errors the command line reports as a single line."""


class InputError(KgError):
    """Bad input: names the file and, where known, the line or record.

    >>> str(InputError("corpus/a.jsonl", "not valid JSON", line=3))
    'corpus/a.jsonl:3: not valid JSON'
    """

    def __init__(self, path: str, message: str, line: int | None = None) -> None:
        self.path = str(path)
        self.line = line
        self.message = message
        where = self.path if line is None else f"{self.path}:{line}"
        super().__init__(f"{where}: {message}")
