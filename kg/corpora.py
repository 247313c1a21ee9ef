"""Gold annotations for :mod:`kg.evaluate`: our own format and three public corpora.

Every reader returns plain :class:`GoldDoc` records: the text to run the extractor on
(``title`` and ``abstract``) and the gold entities of the document as a set (each
entity once per document, with the other surface forms that name it as ``aliases``).
:data:`FORMATS` says, per corpus, which of our labels it annotates and how it maps
its own labels to ours (see ``docs/evaluation.md``):

* ``ours``: one JSON object per paper (``../shared/annotation/GUIDELINES.md``),
  matched to the papers' texts by normalised title;
* ``gsap``: GSAP-NER paragraphs (JSONL), abstract paragraphs only, grouped by paper;
* ``scierc``: SciERC (DyGIE JSON lines, token offsets), one abstract per line;
* ``tdmsci``: TDMSci CoNLL (``token<TAB>offset<TAB>BIO``), one sentence per document.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from kg.errors import InputError
from kg.ingest import json_objects, normalise_title, read_text
from kg.records import LABELS, Paper
from kg.resolve import normalise


@dataclass(frozen=True)
class GoldEntity:
    """One gold entity of a document: label, surface form and other forms that name it."""

    label: str
    text: str
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class GoldDoc:
    """One gold document: its id, the texts to extract from, and its gold entities.

    ``title`` is empty for corpora without titles (predictions are then matched by
    ``id``); ``abstract`` is empty when the gold was read without texts (only
    useful with predictions read from a file).
    """

    id: str
    title: str
    abstract: str
    entities: tuple[GoldEntity, ...]
    source: str = ""
    line: int = 0


@dataclass(frozen=True)
class CorpusFormat:
    """How a corpus is read and scored.

    ``labels`` are our labels the corpus annotates (predictions with other labels
    are ignored); ``label_map`` maps the corpus's labels to ours (unlisted labels
    are dropped); ``relabel`` maps predicted labels before scoring (SciERC's
    Method covers our model and method); ``merge_aliases`` groups predicted
    mentions by their canonical name (our gold lists acronyms as aliases) rather
    than by surface form (the public corpora list each form on its own).
    """

    name: str
    labels: tuple[str, ...]
    label_map: dict[str, str]
    relabel: dict[str, str] = field(default_factory=dict)
    merge_aliases: bool = False


FORMATS: dict[str, CorpusFormat] = {
    "ours": CorpusFormat("ours", LABELS, {label: label for label in LABELS}, merge_aliases=True),
    "gsap": CorpusFormat(
        "gsap",
        ("model", "method", "dataset", "task"),
        {
            "MLModel": "model",
            "ModelArchitecture": "model",
            "Method": "method",
            "Dataset": "dataset",
            "Datasource": "dataset",
            "Task": "task",
        },
    ),
    "scierc": CorpusFormat(
        "scierc",
        ("method", "dataset", "metric", "task"),
        {"Task": "task", "Method": "method", "Metric": "metric", "Material": "dataset"},
        relabel={"model": "method"},
    ),
    "tdmsci": CorpusFormat(
        "tdmsci",
        ("dataset", "metric", "task"),
        {"TASK": "task", "DATASET": "dataset", "METRIC": "metric"},
    ),
}

_PTB = {"-LRB-": "(", "-RRB-": ")", "-LSB-": "[", "-RSB-": "]", "-LCB-": "{", "-RCB-": "}"}
_NO_SPACE_BEFORE = {",", ".", ";", ":", ")", "]", "}", "?", "!", "'s", "%"}
_NO_SPACE_AFTER = {"(", "[", "{"}


def read_gold(
    path: str | Path, fmt: str = "ours", papers: Sequence[Paper] | None = None
) -> list[GoldDoc]:
    """Read gold documents in one of the :data:`FORMATS`.

    Parameters
    ----------
    path : str or Path
        The gold file (a folder of ``*.jsonl`` files for ``gsap``).
    fmt : str
        ``ours``, ``gsap``, ``scierc`` or ``tdmsci``.
    papers : sequence of Paper, optional
        Only for ``ours``: papers holding the texts, see :func:`read_ours`.

    Returns
    -------
    list of GoldDoc

    Raises
    ------
    InputError
        On a missing or malformed file, or (``ours``) gold papers not in ``papers``.
    """
    readers: dict[str, Callable[[Path], list[GoldDoc]]] = {
        "gsap": read_gsap,
        "scierc": read_scierc,
        "tdmsci": read_tdmsci,
    }
    if fmt == "ours":
        return read_ours(path, papers)
    if fmt not in readers:
        raise InputError(str(path), f"unknown gold format {fmt!r}: expected one of {list(FORMATS)}")
    return readers[fmt](Path(path))


def read_ours(path: str | Path, papers: Sequence[Paper] | None = None) -> list[GoldDoc]:
    """Read our gold format: one JSON object per paper, matched to ``papers`` by title.

    A record that carries its own ``"abstract"`` needs no paper. With ``papers=None``
    texts are not looked up (abstracts stay empty: for scoring a predictions file).

    Raises
    ------
    InputError
        On malformed JSON or entries, a duplicate title, or gold titles not found in
        ``papers`` (the message gives how many and the first one).
    """
    path = Path(path)
    by_title = {normalise_title(p.title): p for p in papers or ()}
    docs: list[GoldDoc] = []
    missing: list[tuple[int, str]] = []
    seen: set[str] = set()
    for number, record in read_json_lines(path):
        title = record.get("title")
        if not isinstance(title, str) or not title.strip():
            raise InputError(str(path), "gold record has no 'title'", line=number)
        key = normalise_title(title)
        if key in seen:
            raise InputError(str(path), f"duplicate gold paper {title!r}", line=number)
        seen.add(key)
        abstract = record.get("abstract")
        if not isinstance(abstract, str) or not abstract.strip():
            abstract = ""
            if papers is not None:
                paper = by_title.get(key)
                if paper is None:
                    missing.append((number, title))
                    continue
                title, abstract = paper.title, paper.abstract
        entities = _our_entities(path, number, record)
        doc_id = str(record.get("id") or f"line{number}")
        docs.append(GoldDoc(doc_id, title, abstract, entities, path.name, number))
    if missing:
        number, title = missing[0]
        raise InputError(
            str(path),
            f"{len(missing)} gold paper(s) not found in the corpus, first: {title!r}",
            line=number,
        )
    return docs


def _our_entities(path: Path, number: int, record: dict) -> tuple[GoldEntity, ...]:
    entities = []
    for label in LABELS:
        entries = record.get(label, [])
        if not isinstance(entries, list):
            raise InputError(str(path), f"{label!r} must be a list", line=number)
        for entry in entries:
            if isinstance(entry, str):
                entry = {"text": entry}
            if not isinstance(entry, dict):
                entry = {}
            text, aliases = entry.get("text"), entry.get("aliases") or []
            if not isinstance(text, str) or not isinstance(aliases, list):
                raise InputError(
                    str(path), f"{label!r} entries must be {{'text', 'aliases'}}", line=number
                )
            if not all(isinstance(a, str) for a in aliases):
                raise InputError(str(path), f"{label!r} aliases must be strings", line=number)
            if normalise(text):
                entities.append(GoldEntity(label, text, tuple(aliases)))
    return tuple(entities)


def read_json_lines(path: Path) -> Iterator[tuple[int, dict]]:
    """Yield ``(line number, object)`` of each non-blank line of a JSON-lines file.

    Raises
    ------
    InputError
        On a missing or non-UTF-8 file, or a line that is not a JSON object.
    """
    yield from json_objects(path, read_text(path))


def gold_set(label_texts: Iterable[tuple[str, str]]) -> tuple[GoldEntity, ...]:
    """Group ``(label, text)`` mentions into gold entities, one per label and normalised text.

    The first form seen is the entity's ``text``; other forms with the same key
    (case, plural, hyphen variants) become its aliases.

    >>> gold_set([("task", "NER"), ("task", "ner"), ("dataset", "NER"), ("task", "QA")])
    ... # doctest: +NORMALIZE_WHITESPACE
    (GoldEntity(label='task', text='NER', aliases=('ner',)),
     GoldEntity(label='dataset', text='NER', aliases=()),
     GoldEntity(label='task', text='QA', aliases=()))
    """
    forms: dict[tuple[str, str], list[str]] = {}
    for label, raw in label_texts:
        text = raw.strip()
        key = normalise(text)
        if key:
            seen = forms.setdefault((label, key), [])
            if text not in seen:
                seen.append(text)
    return tuple(GoldEntity(label, f[0], tuple(f[1:])) for (label, _), f in forms.items())


def read_gsap(path: Path) -> list[GoldDoc]:
    """Read GSAP-NER paragraphs (a ``.jsonl`` file or a folder of them).

    Only paragraphs marked ``is_abstract`` are kept; the abstract paragraphs of a
    publication form one document (joined by blank lines), all folds together.
    Entities come from the full nested ``entities`` layer, mapped with
    ``FORMATS["gsap"].label_map`` (generic, URL and reference labels dropped).
    """
    files = sorted(path.glob("*.jsonl")) if path.is_dir() else [path]
    if not files:
        raise InputError(str(path), "no .jsonl files in folder")
    label_map = FORMATS["gsap"].label_map
    texts: dict[str, list[str]] = {}
    mentions: dict[str, list[tuple[str, str]]] = {}
    where: dict[str, tuple[str, int]] = {}
    for file in files:
        for number, record in read_json_lines(file):
            if not record.get("is_abstract"):
                continue
            text = record.get("text")
            if not isinstance(text, str) or not isinstance(record.get("entities"), list):
                raise InputError(str(file), "expected 'text' and 'entities'", line=number)
            doc = str(record.get("publication") or record.get("id") or f"{file.stem}:{number}")
            texts.setdefault(doc, []).append(text)
            where.setdefault(doc, (file.name, number))
            for entity in record["entities"]:
                try:
                    start, end, label = int(entity[0]), int(entity[1]), str(entity[2])
                except (TypeError, ValueError, IndexError):
                    raise InputError(str(file), f"bad entity {entity!r}", line=number) from None
                if label in label_map:
                    mentions.setdefault(doc, []).append((label_map[label], text[start:end]))
    return [
        GoldDoc(doc, "", "\n\n".join(paras), gold_set(mentions.get(doc, [])), *where[doc])
        for doc, paras in texts.items()
    ]


def detokenize(tokens: Sequence[str]) -> tuple[str, list[tuple[int, int]]]:
    """Join PTB-style tokens into text; return the text and each token's character span.

    >>> detokenize(["A", "-LRB-", "B", "-RRB-", "model", ",", "BERT", "."])[0]
    'A (B) model, BERT.'
    """
    parts: list[str] = []
    spans: list[tuple[int, int]] = []
    pos = 0
    previous = ""
    for raw in tokens:
        token = _PTB.get(raw, raw)
        if parts and token not in _NO_SPACE_BEFORE and previous not in _NO_SPACE_AFTER:
            parts.append(" ")
            pos += 1
        spans.append((pos, pos + len(token)))
        parts.append(token)
        pos += len(token)
        previous = token
    return "".join(parts), spans


def read_scierc(path: Path) -> list[GoldDoc]:
    """Read SciERC (DyGIE JSON lines): one abstract per line, token offsets inclusive.

    Task, Method, Metric and Material map to task, method, metric and dataset;
    OtherScientificTerm and Generic are dropped.
    """
    label_map = FORMATS["scierc"].label_map
    docs = []
    for number, record in read_json_lines(path):
        sentences, ner = record.get("sentences"), record.get("ner")
        if not isinstance(sentences, list) or not isinstance(ner, list):
            raise InputError(str(path), "expected 'sentences' and 'ner' lists", line=number)
        tokens = [token for sentence in sentences for token in sentence]
        text, spans = detokenize(tokens)
        found = []
        for entity in (e for sentence in ner for e in sentence):
            try:
                start, end, label = int(entity[0]), int(entity[1]), str(entity[2])
                if label in label_map:
                    found.append((label_map[label], text[spans[start][0] : spans[end][1]]))
            except (TypeError, ValueError, IndexError):
                raise InputError(str(path), f"bad entity {entity!r}", line=number) from None
        doc_id = str(record.get("doc_key") or f"line{number}")
        docs.append(GoldDoc(doc_id, "", text, gold_set(found), path.name, number))
    return docs


def read_tdmsci(path: Path) -> list[GoldDoc]:
    """Read TDMSci CoNLL (``token<TAB>char offset<TAB>BIO tag``): one sentence per document.

    The sentence text is rebuilt from the offsets; TASK, DATASET and METRIC map to
    task, dataset and metric. An ``I-`` tag without a ``B-`` starts a new entity.
    """
    label_map = FORMATS["tdmsci"].label_map
    docs: list[GoldDoc] = []
    sentence: list[tuple[str, int, str]] = []
    first_line = 0

    def flush() -> None:
        if sentence:
            text, found = _conll_sentence(sentence, label_map)
            doc_id = f"{path.stem}:{len(docs) + 1}"
            docs.append(GoldDoc(doc_id, "", text, gold_set(found), path.name, first_line))
            sentence.clear()

    for number, line in enumerate(read_text(path).splitlines(), start=1):
        if not line.strip():
            flush()
            continue
        parts = line.split("\t")
        if len(parts) != 3 or not parts[1].strip().isdigit():
            raise InputError(str(path), "expected 'token<TAB>offset<TAB>tag'", line=number)
        if not sentence:
            first_line = number
        sentence.append((parts[0], int(parts[1]), parts[2].strip()))
    flush()
    if not docs:
        raise InputError(str(path), "no sentences found")
    return docs


def _conll_sentence(
    rows: list[tuple[str, int, str]], label_map: dict[str, str]
) -> tuple[str, list[tuple[str, str]]]:
    text = ""
    source_end = rows[0][1]  # where the previous token ended in the source offsets
    spans: list[tuple[str, int, int]] = []  # (label, start, end) in text
    last_end = -1
    for token, offset, tag in rows:
        if text and offset != source_end:
            text += " "
        source_end = offset + len(token)
        start = len(text)
        text += token
        kind, _, label = tag.partition("-")
        if kind == "I" and spans and spans[-1][0] == label and spans[-1][2] == last_end:
            spans[-1] = (label, spans[-1][1], len(text))
        elif kind in ("B", "I"):
            spans.append((label, start, len(text)))
        last_end = len(text)
    found = [(label_map[lab], text[s:e]) for lab, s, e in spans if lab in label_map]
    return text, found


def read_predictions(path: str | Path, gold_docs: Sequence[GoldDoc]) -> dict[str, list[dict]]:
    """Read a ``kg extract`` JSONL file and key its records by gold document id.

    Records are matched by normalised title, or by ``id`` for gold without titles.

    Raises
    ------
    InputError
        On malformed JSON or entities, or gold documents with no record (the message
        gives how many and the first one).
    """
    path = Path(path)
    records: dict[str, list[dict]] = {}
    for number, record in read_json_lines(path):
        entities = record.get("entities")
        ok = isinstance(entities, list) and all(
            isinstance(e, dict) and isinstance(e.get("text"), str) and e.get("label") in LABELS
            for e in entities
        )
        if not ok:
            raise InputError(str(path), "expected 'entities' with 'text' and 'label'", number)
        for key in (
            f"id:{record.get('id')}",
            f"title:{normalise_title(record.get('title') or '')}",
        ):
            records.setdefault(key, entities)
    result, missing = {}, []
    for doc in gold_docs:
        key = f"title:{normalise_title(doc.title)}" if doc.title else f"id:{doc.id}"
        if key in records:
            result[doc.id] = records[key]
        else:
            missing.append(doc.title or doc.id)
    if missing:
        raise InputError(
            str(path), f"{len(missing)} gold paper(s) have no predictions, first: {missing[0]!r}"
        )
    return result
