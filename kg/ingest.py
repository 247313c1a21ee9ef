"""Read corpora into :class:`~kg.records.Paper` records.

Three input formats are understood, chosen by file extension:

* ``.txt``: a captured "trending papers" page (header paragraphs, a date such as
  ``Apr 2``, then title and abstract paragraphs alternating, one blank line apart);
* ``.jsonl`` / ``.ndjson``: one JSON object per line with ``title`` and ``abstract``
  and optional ``id``, ``date``, ``url``, ``authors``;
* ``.csv``: a header row with the same field names.

Papers are identified by ``id`` when the record gives one, else by normalised
title; a paper read twice (in one file or across files) becomes one record.
Every problem is reported as :class:`~kg.errors.InputError` naming the file and
line.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
import unicodedata
from collections.abc import Iterable, Iterator
from importlib import resources
from pathlib import Path

from kg.errors import InputError
from kg.records import Paper

#: A record longer than this (title plus abstract, in characters) is refused.
MAX_RECORD_CHARS = 100_000

#: File extensions read when a folder is given.
SUFFIXES = (".txt", ".jsonl", ".ndjson", ".csv")

_PAGE_BOILERPLATE = {
    "new",
    "get trending papers in your email inbox!",
    "subscribe",
    "byak and the research community",
}
_PAGE_DATE = re.compile(
    r"^(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]* \d{1,2}(, \d{4})?$"
)


def bundled_corpus() -> Path:
    """Return the folder of the corpus that ships with kg (four trending-papers pages).

    In a source checkout this is ``corpus/`` at the top of the repository.
    """
    here = Path(__file__).resolve().parent
    for candidate in (here.parent / "corpus", Path(str(resources.files("kg") / "corpus"))):
        if candidate.is_dir():
            return candidate
    raise InputError(str(here.parent / "corpus"), "bundled corpus not found")


def normalise_title(title: str) -> str:
    """Return the identity key of a title: case, accents, punctuation and spacing folded.

    >>> normalise_title("  Merging Models with Fisher-Weighted   Averaging ")
    'merging models with fisher weighted averaging'
    """
    text = unicodedata.normalize("NFKC", title).casefold()
    return " ".join(re.sub(r"[^\w]+", " ", text).split())


def slugify(text: str, max_length: int = 60) -> str:
    """Return a readable ASCII slug: lower case, words joined by ``-``.

    >>> slugify("LoRA-FAIR: Federated LoRA Fine-Tuning!")
    'lora-fair-federated-lora-fine-tuning'
    """
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    if len(slug) > max_length:
        slug = slug[:max_length].rsplit("-", 1)[0] or slug[:max_length]
    return slug


def paper_id(title: str) -> str:
    """Return the stable id of a paper that has no id of its own.

    A readable slug of the title plus six hex digits of the normalised title's hash,
    so different titles with the same slug prefix stay apart.

    >>> paper_id("Merging Models with Fisher-Weighted Averaging")
    'merging-models-with-fisher-weighted-averaging-f3d5ba'
    """
    digest = hashlib.sha1(normalise_title(title).encode()).hexdigest()[:6]
    return f"{slugify(title) or 'paper'}-{digest}"


def read_papers(paths: Iterable[str | Path]) -> list[Paper]:
    """Read every record of the given files or folders and merge duplicates.

    Parameters
    ----------
    paths : iterable of str or Path
        Files (``.txt`` page, ``.jsonl``, ``.csv``) or folders, read in sorted order.

    Returns
    -------
    list of Paper
        One record per distinct paper, in order of first appearance.

    Raises
    ------
    InputError
        On a missing, empty, binary or non-UTF-8 file, a malformed record, a
        record without title or abstract, or a file with no records.
    """
    papers: dict[str, Paper] = {}
    for path in _expand(paths):
        for paper in _read_file(path):
            key = paper.id
            if key not in papers:
                papers[key] = paper
    return list(papers.values())


def _expand(paths: Iterable[str | Path]) -> Iterator[Path]:
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            files = sorted(p for p in path.iterdir() if p.suffix.lower() in SUFFIXES)
            files = [p for p in files if p.name.lower() != "readme.txt"]
            if not files:
                raise InputError(str(path), f"no {', '.join(SUFFIXES)} files in folder")
            yield from files
        elif path.is_file():
            yield path
        else:
            raise InputError(str(path), "no such file or folder")


def _read_file(path: Path) -> list[Paper]:
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise InputError(
            str(path), f"unknown format {suffix or '(none)'}: expected one of {SUFFIXES}"
        )
    text = read_text(path)
    if suffix == ".txt":
        records = list(_page_records(path, text))
    elif suffix == ".csv":
        records = list(_csv_records(path, text))
    else:
        records = list(_jsonl_records(path, text))
    if not records:
        raise InputError(str(path), "no paper records found")
    return records


def read_text(path: Path) -> str:
    """Return a file's text: UTF-8 (BOM allowed), line ends as ``\\n``.

    Raises
    ------
    InputError
        On a missing, empty, binary (NUL byte) or non-UTF-8 file, naming the line.
    """
    if not path.is_file():
        raise InputError(str(path), "no such file")
    data = path.read_bytes()
    if not data.strip():
        raise InputError(str(path), "empty file")
    if b"\x00" in data:
        line = data.count(b"\n", 0, data.index(b"\x00")) + 1
        raise InputError(str(path), "binary file (NUL byte), expected UTF-8 text", line=line)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = data.count(b"\n", 0, err.start) + 1
        raise InputError(
            str(path), f"not UTF-8 (byte 0x{data[err.start]:02x} at offset {err.start})", line=line
        ) from None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _make_paper(
    path: Path,
    line: int,
    title: object,
    abstract: object,
    *,
    id: object = None,
    date: object = None,
    url: object = None,
    authors: object = None,
) -> Paper:
    title_text = _clean(_field(path, line, "title", title))
    abstract_text = _clean(_field(path, line, "abstract", abstract))
    if not title_text:
        raise InputError(str(path), "record has no title", line=line)
    if not abstract_text:
        raise InputError(str(path), "record has no abstract", line=line)
    size = len(title_text) + len(abstract_text)
    if size > MAX_RECORD_CHARS:
        raise InputError(
            str(path), f"record too large ({size:,} characters, limit {MAX_RECORD_CHARS:,})", line
        )
    given_id = _clean(_field(path, line, "id", id)) if id not in (None, "") else ""
    return Paper(
        id=given_id or paper_id(title_text),
        title=title_text,
        abstract=abstract_text,
        source=path.name,
        line=line,
        date=_clean(_field(path, line, "date", date)) if date else "",
        url=_clean(_field(path, line, "url", url)) if url else "",
        authors=_authors(path, line, authors),
    )


def _field(path: Path, line: int, name: str, value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool) and name in ("id", "date"):
        return str(value)
    raise InputError(
        str(path), f"field {name!r} must be a string, got {type(value).__name__}", line
    )


def _authors(path: Path, line: int, value: object) -> tuple[str, ...]:
    if value in (None, ""):
        return ()
    if isinstance(value, str):
        names = re.split(r"\s*;\s*|\s*\|\s*", value)
    elif isinstance(value, list) and all(isinstance(v, str) for v in value):
        names = value
    else:
        raise InputError(str(path), "field 'authors' must be a string or a list of strings", line)
    return tuple(n for n in (_clean(v) for v in names) if n)


def _clean(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).split())


def _page_records(path: Path, text: str) -> Iterator[Paper]:
    """Parse a trending-papers page: paragraphs separated by blank lines."""
    paragraphs = _paragraphs(text)
    date = ""
    body: list[tuple[int, str]] = []
    for line, para in paragraphs:
        if not body and para.casefold() in _PAGE_BOILERPLATE:
            continue
        if _PAGE_DATE.match(para):
            date = para
            continue
        body.append((line, para))
    if not date:
        raise InputError(str(path), "not a trending-papers page: no date line such as 'Apr 2'")
    if len(body) % 2:
        line, para = body[-1]
        raise InputError(str(path), f"title without abstract: {para[:60]!r}", line=line)
    for (title_line, title), (_, abstract) in zip(body[::2], body[1::2], strict=True):
        if "\n" in title or len(title) > 1000:
            raise InputError(
                str(path), "expected a one-line title here (records out of step?)", title_line
            )
        yield _make_paper(path, title_line, title, abstract, date=date)


def _paragraphs(text: str) -> list[tuple[int, str]]:
    """Return (first line number, text) of each blank-line separated paragraph."""
    result: list[tuple[int, str]] = []
    current: list[str] = []
    start = 0
    for number, line in enumerate(text.split("\n"), start=1):
        if line.strip():
            if not current:
                start = number
            current.append(line.strip())
        elif current:
            result.append((start, "\n".join(current)))
            current = []
    if current:
        result.append((start, "\n".join(current)))
    return result


def _jsonl_records(path: Path, text: str) -> Iterator[Paper]:
    for number, record in json_objects(path, text):
        yield _record_paper(path, number, record)


def json_objects(path: Path, text: str) -> Iterator[tuple[int, dict]]:
    """Yield ``(line number, object)`` of each non-blank line of JSON Lines ``text``.

    Raises
    ------
    InputError
        On a line that is not a JSON object (``path`` names the file in the message).
    """
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as err:
            raise InputError(str(path), f"not valid JSON ({err.msg})", line=number) from None
        if not isinstance(record, dict):
            raise InputError(str(path), "expected a JSON object", line=number)
        yield number, record


def _csv_records(path: Path, text: str) -> Iterator[Paper]:
    reader = csv.DictReader(io.StringIO(text, newline=""))
    fields = [f.strip().lower() for f in reader.fieldnames or []]
    missing = [f for f in ("title", "abstract") if f not in fields]
    if missing:
        raise InputError(str(path), f"CSV header lacks column(s): {', '.join(missing)}", line=1)
    reader.fieldnames = fields
    try:
        for row in reader:
            if None in row:
                raise InputError(str(path), "more cells than header columns", reader.line_num)
            yield _record_paper(path, reader.line_num, row)
    except csv.Error as err:
        raise InputError(str(path), f"malformed CSV ({err})", line=reader.line_num) from None


def _record_paper(path: Path, line: int, record: dict) -> Paper:
    return _make_paper(
        path,
        line,
        record.get("title"),
        record.get("abstract"),
        id=record.get("id"),
        date=record.get("date"),
        url=record.get("url"),
        authors=record.get("authors"),
    )
