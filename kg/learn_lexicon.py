"""Learn ``kg/data/lexicon.tsv`` from the train split of the silver annotations.

Part of ``python -m kg.train`` (:mod:`kg.train`). ``add`` rows are surface forms annotators
mark, with their majority label, annotation rate and support; ``drop`` rows are forms the
rules propose but annotators rarely mark (see :mod:`kg.pipes.lexicon`).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from pathlib import Path

from kg.pipes.lexicon import norm_form as norm  # same rules as the scorer
from kg.records import Paper
from kg.trainingdata import DATA, Span3, doc_text, find_spans, labelled_papers, record_forms


def ngram_forms(doc, inside: list[Span3] = (), max_len: int = 7) -> set[str]:  # noqa: ANN001
    """Normalised forms of the token n-grams of ``doc`` that are not strictly inside one of
    the ``inside`` character spans (so "language model" in "large language model" is not an
    occurrence of "language model")."""
    out = set()
    for i in range(len(doc)):
        if not doc[i].text[:1].isalnum():
            continue
        for j in range(i + 1, min(len(doc), i + max_len) + 1):
            if doc[j - 1].is_space:
                break
            start, end = doc[i].idx, doc[j - 1].idx + len(doc[j - 1])
            if any(a <= start and end <= b and (a, b) != (start, end) for a, b, _ in inside):
                continue
            out.add(norm(doc[i:j].text))
    return out


def lexicon_stats(pairs: list[tuple[Paper, dict]]) -> dict[str, dict]:
    """For each normalised annotated form: label counts (papers), papers where it occurs
    outside longer annotated spans (``occ``), and its surface forms."""
    import spacy

    nlp = spacy.blank("en")
    stats: dict[str, dict] = defaultdict(
        lambda: {"labels": Counter(), "occ": 0, "surface": Counter()}
    )
    for paper, rec in pairs:
        text = doc_text(paper)
        forms = record_forms(rec)
        seen = set()
        for label, surface in forms:
            key = norm(surface)
            if (key, label) not in seen:
                seen.add((key, label))
                stats[key]["labels"][label] += 1
            stats[key]["surface"][surface] += 1
        for key in ngram_forms(nlp(text), find_spans(text, forms)):
            if key in stats:
                stats[key]["occ"] += 1
    return stats


def add_rows(pairs: list[tuple[Paper, dict]], min_support: int = 2) -> list[tuple]:
    """``add`` rows: majority label, annotation rate and support of each annotated form."""
    rows = []
    for key, st in lexicon_stats(pairs).items():
        label, count = st["labels"].most_common(1)[0]
        if count < min_support or len(key) < 2:
            continue
        rate = count / max(st["occ"], count)
        surface = st["surface"].most_common(1)[0][0]
        rows.append(("add", label, surface, round(rate, 3), count))
    return sorted(rows, key=lambda r: (r[1], r[2].lower()))


def drop_rows(  # noqa: ANN201
    pairs: list[tuple[Paper, dict]],
    max_rate: float = 0.34,
    min_support: int = 3,
    lexicon: Path = DATA / "lexicon.tsv",
):
    """``drop`` rows: (label, form) the pipeline predicts in >= ``min_support`` train papers
    but that the annotation holds in at most ``max_rate`` of them; a form annotated at all must
    be predicted in one more paper (1 of 3 is too little evidence: "instruction tuning").
    The pipeline uses the ``add`` rows of ``lexicon``."""
    from kg.extract import build_nlp, extract

    # rules + lexicon additions only (no NER, no drops)
    nlp = build_nlp(ner=None, lexicon=lexicon, lexicon_drop=False)
    predicted, correct = Counter(), Counter()
    surface: dict[tuple[str, str], str] = {}
    mentions = extract([p for p, _ in pairs], nlp)
    by_paper: dict[str, set] = defaultdict(set)
    for m in mentions:
        key = (m.label, norm(m.text))
        by_paper[m.paper_id].add(key)
        surface.setdefault(key, m.text)
    for paper, rec in pairs:
        gold = {(lab, norm(t)) for lab, t in record_forms(rec)}
        for key in by_paper.get(paper.id, ()):
            predicted[key] += 1
            correct[key] += key in gold
    rows = []
    for key, n in predicted.items():
        rate = correct[key] / n
        if n >= min_support + (correct[key] > 0) and rate <= max_rate:
            rows.append(("drop", key[0], surface[key], round(rate, 3), n))
    return sorted(rows, key=lambda r: (r[1], r[2].lower()))


def write_lexicon(rows: list[tuple], path: Path = DATA / "lexicon.tsv") -> None:
    """Write lexicon rows (see :mod:`kg.pipes.lexicon`)."""
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(
            "# Built by `python -m kg.train` from the silver train split. "
            "Columns: action, label, text, rate, support.\n"
        )
        for row in rows:
            handle.write("\t".join(map(str, row)) + "\n")


def build_lexicon(
    path: Path = DATA / "lexicon.tsv",
    log=print,  # noqa: ANN001
    pairs: list[tuple[Paper, dict]] | None = None,
) -> None:
    """Build ``add`` rows, then (with them active) ``drop`` rows from train predictions
    (``pairs``: the silver train split unless given)."""
    pairs = labelled_papers("train") if pairs is None else pairs
    adds = add_rows(pairs)
    write_lexicon(adds, path)
    drops = drop_rows(pairs, lexicon=path)
    write_lexicon(adds + drops, path)
    log(f"lexicon: {len(adds)} add rows, {len(drops)} drop rows -> {path}")
