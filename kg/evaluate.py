"""Score extracted entities against gold annotations (``kg evaluate``).

Per document and set-based: each gold and each predicted entity counts once per
document. Predicted mentions are grouped by canonical name (or surface form, see
:class:`kg.corpora.CorpusFormat`); gold and predicted entities are paired one to one
(a maximum matching, preferring same-label and closer pairs). **Exact**: some
surface forms share a :func:`kg.resolve.normalise` key (case, article, hyphens,
plural folded); **partial**: exact, or content-token Jaccard >= :data:`PARTIAL_JACCARD`;
**typed** pairs need equal labels. Details: ``docs/evaluation.md``.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

from kg.corpora import FORMATS, CorpusFormat, GoldDoc, read_gold, read_ours, read_predictions
from kg.errors import InputError
from kg.records import LABELS, Paper
from kg.resolve import normalise

#: Minimum Jaccard similarity of content-token sets for a partial match.
PARTIAL_JACCARD = 0.5
#: The four scoring modes, in report order.
MODES: tuple[str, ...] = ("exact typed", "exact untyped", "partial typed", "partial untyped")
_FUNCTION_WORDS = frozenset(
    {"the", "a", "an", "our", "their", "its", "of", "for", "and", "or"}
    | {"on", "in", "to", "with", "by", "from", "via"}
)
_EXAMPLES = 3


@dataclass(frozen=True)
class LabelScore:
    """Counts and precision/recall/F1 of one label (or of ``micro`` / ``macro``)."""

    gold: int
    predicted: int
    matched_gold: int
    matched_predicted: int
    precision: float
    recall: float
    f1: float


@dataclass(frozen=True)
class ErrorItem:
    """A recurring error: how many documents have it and a few of their ids.

    ``label`` is the gold label (false negatives, confusions) or the predicted
    label (false positives); ``predicted_label`` is set for type confusions.
    """

    label: str
    text: str
    count: int
    examples: tuple[str, ...]
    predicted_label: str = ""


@dataclass
class Report:
    """Result of :func:`score`: scores per mode and label, and the commonest errors.

    ``scores[mode][label]`` for each mode in :data:`MODES` and each of ``labels``
    plus ``"micro"`` and ``"macro"``; error lists are sorted, most frequent first.
    """

    corpus: str
    documents: int
    labels: tuple[str, ...]
    scores: dict[str, dict[str, LabelScore]]
    false_positives: list[ErrorItem] = field(default_factory=list)
    false_negatives: list[ErrorItem] = field(default_factory=list)
    confusions: list[ErrorItem] = field(default_factory=list)

    def to_dict(self, top_errors: int | None = None) -> dict:
        """Return the report as plain JSON-ready data, error lists cut to ``top_errors``."""
        cut = slice(None) if top_errors is None else slice(top_errors)
        return {
            "corpus": self.corpus,
            "documents": self.documents,
            "labels": list(self.labels),
            "scores": {
                mode: {label: asdict(s) for label, s in rows.items()}
                for mode, rows in self.scores.items()
            },
            "errors": {
                kind: [asdict(e) for e in getattr(self, kind)[cut]]
                for kind in ("false_positives", "false_negatives", "confusions")
            },
        }


@dataclass(frozen=True)
class _Item:
    """A gold or predicted entity of one document, ready for matching."""

    label: str
    text: str
    keys: frozenset[str]
    tokens: tuple[frozenset[str], ...]


def _item(label: str, text: str, forms: Sequence[str]) -> _Item:
    keys = frozenset(k for k in map(normalise, forms) if k)
    tokens = tuple(t for t in map(_content_tokens, forms) if t)
    return _Item(label, text, keys, tokens)


def _content_tokens(text: str) -> frozenset[str]:
    words = re.findall(r"[^\W_]+", unicodedata.normalize("NFKC", text).casefold())
    return frozenset(normalise(w) for w in words if w not in _FUNCTION_WORDS and normalise(w))


def _similarity(gold: _Item, pred: _Item, partial: bool) -> float:
    """1.0 for an exact match; for partial matching the best Jaccard of token sets."""
    if gold.keys & pred.keys:
        return 1.0
    if not partial:
        return 0.0
    best = max(
        (len(g & p) / len(g | p) for g in gold.tokens for p in pred.tokens),
        default=0.0,
    )
    return best if best >= PARTIAL_JACCARD else 0.0


def _match(gold: list[_Item], pred: list[_Item], partial: bool, typed: bool) -> dict[int, int]:
    """Maximum one-to-one matching gold index -> predicted index (augmenting paths).

    Each gold entity tries its candidates same label first, then most similar, so
    preferred pairs are taken unless that would leave another entity unmatched.
    """
    candidates: list[list[int]] = []
    for g in gold:
        scored = []
        for j, p in enumerate(pred):
            if typed and g.label != p.label:
                continue
            similarity = _similarity(g, p, partial)
            if similarity:
                scored.append((g.label != p.label, -similarity, j))
        candidates.append([j for *_, j in sorted(scored)])
    owner: dict[int, int] = {}  # predicted index -> gold index

    def augment(i: int, visited: set[int]) -> bool:
        for j in candidates[i]:
            if j not in visited:
                visited.add(j)
                if j not in owner or augment(owner[j], visited):
                    owner[j] = i
                    return True
        return False

    for i in range(len(gold)):
        augment(i, set())
    return {i: j for j, i in owner.items()}


def predicted_items(
    entities: Sequence[Mapping], fmt: CorpusFormat = FORMATS["ours"]
) -> list[_Item]:
    """Group one document's predicted mentions into entities to score.

    ``entities`` are ``kg extract`` entity dicts (``text``, ``label``, optional
    ``canonical``). Labels are mapped with ``fmt.relabel`` and those the corpus
    does not annotate dropped; each entity takes the commonest label of its mentions.
    """
    groups: dict[str, list[Mapping]] = {}
    for entity in entities:
        label = fmt.relabel.get(entity["label"], entity["label"])
        if label not in fmt.labels:
            continue
        name = (entity.get("canonical") or entity["text"]) if fmt.merge_aliases else entity["text"]
        key = normalise(name)
        if key:
            groups.setdefault(key, []).append({**entity, "label": label, "name": name})
    items = []
    for members in groups.values():
        labels = Counter(m["label"] for m in members)
        label = min(labels, key=lambda lab: (-labels[lab], LABELS.index(lab)))
        forms = [members[0]["name"], *(m["text"] for m in members)]
        items.append(_item(label, members[0]["text"], forms))
    return items


def score(
    gold_docs: Sequence[GoldDoc],
    predictions: Mapping[str, Sequence[Mapping]],
    fmt: CorpusFormat | str = "ours",
) -> Report:
    """Score predicted entities against gold documents.

    Parameters
    ----------
    gold_docs : sequence of GoldDoc
        Gold documents (:func:`kg.corpora.read_gold`).
    predictions : mapping
        Document id -> that document's predicted entities as ``kg extract`` dicts
        (``text``, ``label``, ``canonical``); a missing id means no predictions.
    fmt : CorpusFormat or str
        The corpus format: which labels are scored and how predictions are grouped.

    Returns
    -------
    Report
    """
    fmt = FORMATS[fmt] if isinstance(fmt, str) else fmt
    counts = {mode: {label: [0, 0, 0, 0] for label in fmt.labels} for mode in MODES}
    errors: dict[str, dict[tuple[str, ...], list]] = {"fp": {}, "fn": {}, "confusion": {}}
    for doc in gold_docs:
        gold = [
            _item(e.label, e.text, [e.text, *e.aliases])
            for e in doc.entities
            if e.label in fmt.labels
        ]
        pred = predicted_items(predictions.get(doc.id, ()), fmt)
        matchings = {}
        for mode in MODES:
            matching = _match(gold, pred, mode.startswith("partial"), mode.endswith(" typed"))
            matchings[mode] = matching
            rows = counts[mode]
            for g in gold:
                rows[g.label][0] += 1
            for p in pred:
                rows[p.label][1] += 1
            for i, j in matching.items():
                rows[gold[i].label][2] += 1
                rows[pred[j].label][3] += 1
        _collect_errors(doc.id, gold, pred, matchings, errors)
    scores = {mode: _scores(rows) for mode, rows in counts.items()}
    return Report(
        fmt.name,
        len(gold_docs),
        fmt.labels,
        scores,
        _worst(errors["fp"]),
        _worst(errors["fn"]),
        _worst(errors["confusion"]),
    )


def _collect_errors(
    doc_id: str,
    gold: list[_Item],
    pred: list[_Item],
    matchings: dict[str, dict[int, int]],
    errors: dict[str, dict[tuple[str, ...], list]],
) -> None:
    typed, untyped = matchings["exact typed"], matchings["exact untyped"]
    typed_pred = set(typed.values())
    confused = {
        i: j
        for i, j in untyped.items()
        if gold[i].label != pred[j].label and i not in typed and j not in typed_pred
    }
    for i, j in confused.items():
        g = gold[i]
        key = (g.label, pred[j].label, normalise(g.text))
        _add(errors["confusion"], key, g.text, doc_id)
    for i, g in enumerate(gold):
        if i not in typed and i not in confused:
            _add(errors["fn"], (g.label, normalise(g.text)), g.text, doc_id)
    confused_pred = set(confused.values())
    for j, p in enumerate(pred):
        if j not in typed_pred and j not in confused_pred:
            _add(errors["fp"], (p.label, normalise(p.text)), p.text, doc_id)


def _add(bucket: dict[tuple[str, ...], list], key: tuple[str, ...], text: str, doc: str) -> None:
    entry = bucket.setdefault(key, [text, []])
    if doc not in entry[1]:
        entry[1].append(doc)


def _worst(bucket: dict[tuple[str, ...], list]) -> list[ErrorItem]:
    items = [
        ErrorItem(
            label=key[0],
            text=text,
            count=len(docs),
            examples=tuple(docs[:_EXAMPLES]),
            predicted_label=key[1] if len(key) == 3 else "",
        )
        for key, (text, docs) in bucket.items()
    ]
    return sorted(items, key=lambda e: (-e.count, e.label, e.predicted_label, e.text.casefold()))


def _scores(rows: dict[str, list[int]]) -> dict[str, LabelScore]:
    result = {label: _label_score(*c) for label, c in rows.items()}
    totals = [sum(c[k] for c in rows.values()) for k in range(4)]
    result["micro"] = _label_score(*totals)
    active = [result[label] for label, c in rows.items() if c[0] or c[1]]
    mean = (lambda xs: sum(xs) / len(xs)) if active else (lambda xs: 0.0)
    result["macro"] = LabelScore(
        *totals,
        precision=mean([s.precision for s in active]),
        recall=mean([s.recall for s in active]),
        f1=mean([s.f1 for s in active]),
    )
    return result


def _label_score(gold: int, predicted: int, matched_gold: int, matched_pred: int) -> LabelScore:
    precision = matched_pred / predicted if predicted else 0.0
    recall = matched_gold / gold if gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return LabelScore(gold, predicted, matched_gold, matched_pred, precision, recall, f1)


def predict(gold_docs: Sequence[GoldDoc]) -> dict[str, list[dict]]:
    """Run the extractor and resolver on the gold documents' texts.

    Returns
    -------
    dict
        Document id -> the ``entities`` of its ``kg extract`` record
        (:func:`kg.pipeline.extraction_records`); canonical names are resolved
        across the given documents.
    """
    from kg.pipeline import extract_all, extraction_records
    from kg.resolve import resolve

    papers = [Paper(d.id, d.title, d.abstract, d.source, d.line) for d in gold_docs]
    mentions = extract_all(papers)
    records = extraction_records(papers, mentions, resolve(mentions))
    return {record["id"]: record["entities"] for record in records}


def evaluate_files(
    gold: str | Path,
    inputs: Sequence[str | Path] = (),
    fmt: str = "ours",
    predictions: str | Path | None = None,
) -> Report:
    """Read gold (and papers or predictions), run the extractor if needed, and score.

    Parameters
    ----------
    gold : str or Path
        Gold file (a folder for ``gsap``).
    inputs : sequence of str or Path
        Only for ``ours``: corpus files holding the papers' texts (default: the
        bundled corpus; not read when ``predictions`` is given and none are named).
    fmt : str
        One of :data:`kg.corpora.FORMATS`.
    predictions : str or Path, optional
        A ``kg extract`` JSONL file to score instead of running the extractor.

    Returns
    -------
    Report
    """
    from kg.ingest import bundled_corpus, read_papers

    if fmt != "ours" and inputs:
        raise InputError(str(inputs[0]), f"INPUTS are only read for the 'ours' format, not {fmt!r}")
    if fmt == "ours":
        papers = None
        if inputs or predictions is None:
            papers = read_papers(inputs or [bundled_corpus()])
        docs = read_ours(gold, papers)
    else:
        docs = read_gold(gold, fmt)
    if predictions is not None:
        return score(docs, read_predictions(predictions, docs), fmt)
    return score(docs, predict(docs), fmt)


def format_report(report: Report, top_errors: int = 10) -> str:
    """Return the report as readable text: two score tables and the commonest errors."""
    lines = [f"kg evaluate: {report.corpus}, {report.documents} documents"]
    for matching in ("exact", "partial"):
        typed, untyped = report.scores[f"{matching} typed"], report.scores[f"{matching} untyped"]
        lines += [
            "",
            f"{matching:<8} {'gold':>6} {'pred':>6}   typed P    R     F1    untyped P    R     F1",
        ]
        for label in (*report.labels, "micro", "macro"):
            t, u = typed[label], untyped[label]
            lines.append(
                f"{label:<8} {t.gold:>6} {t.predicted:>6}   "
                f"{t.precision:7.3f} {t.recall:5.3f} {t.f1:5.3f}    "
                f"{u.precision:7.3f} {u.recall:5.3f} {u.f1:5.3f}"
            )
    sections = (
        ("false positives (predicted, not in gold)", report.false_positives),
        ("false negatives (in gold, not predicted)", report.false_negatives),
        ("type confusions (gold label -> predicted label)", report.confusions),
    )
    for title, items in sections:
        if top_errors <= 0:
            break
        lines += ["", f"{title}, top {top_errors}:"]
        for e in items[:top_errors]:
            label = f"{e.label} -> {e.predicted_label}" if e.predicted_label else e.label
            lines.append(f"  {e.count:>4}  {label:<18} {e.text!r}  ({', '.join(e.examples)})")
        if not items:
            lines.append("  (none)")
    return "\n".join(lines) + "\n"


def report_json(report: Report, top_errors: int = 10) -> str:
    """Return the report as indented JSON (see :meth:`Report.to_dict`)."""
    return json.dumps(report.to_dict(top_errors), indent=2, ensure_ascii=False) + "\n"
