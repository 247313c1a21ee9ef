"""The trained NER: loading it from ``kg/data/ner`` and handing its entities to the resolver.

``kg/data/ner`` holds either one model (spaCy ``tok2vec`` + ``ner``, trained by :mod:`kg.train`)
or an ensemble: sub-folders ``0``, ``1``, ... each holding one such model, trained with
different seeds. :class:`NerEnsemble` runs the members and keeps the spans that
at least ``min_votes`` members predict with the same boundaries and label (a majority vote is
more precise than any one member). Either way ``doc.ents`` holds the model's entities, and
:class:`NerCandidates` copies them to ``doc.spans["kg_candidates"]`` with span id ``ner`` so the
resolver can combine them with the rule candidates.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.util import minibatch

from kg.gazetteer import DATA_DIR
from kg.pipes.compounds import trim_leading_verb
from kg.pipes.ruler import CANDIDATES_KEY

NER_DIR = DATA_DIR / "ner"


def ensemble_members(path: Path) -> list[Path]:
    """Member model folders of an ensemble stored at ``path`` (sorted; empty if none)."""
    if not path.is_dir():
        return []
    return sorted(p for p in path.iterdir() if (p / "config.cfg").exists())


def add_ner(nlp: Language, path: Path = NER_DIR, before: str | None = None) -> bool:
    """Add the trained NER stored at ``path`` to ``nlp`` (offline): the ``tok2vec`` and
    ``ner`` components of a single model, or one ``kg_ner_ensemble`` component.

    Returns False (and adds nothing) when no model is stored at ``path``.
    """
    import spacy

    if (path / "config.cfg").exists():
        trained = spacy.load(path)
        for name in trained.pipe_names:
            nlp.add_pipe(name, source=trained, before=before)
        return True
    if ensemble_members(path):
        nlp.add_pipe("kg_ner_ensemble", before=before, config={"path": str(path)})
        return True
    return False


@Language.factory("kg_ner_ensemble", default_config={"path": str(NER_DIR), "min_votes": 2})
def make_ner_ensemble(nlp: Language, name: str, path: str, min_votes: int) -> NerEnsemble:
    """Create a :class:`NerEnsemble` from the member models under ``path``."""
    return NerEnsemble(Path(path), min_votes, name)


class NerEnsemble:
    """Run several trained NER models and keep the entity spans most of them agree on.

    Each member runs on its own copy of the tokens (same tokenizer, the member's vocabulary);
    a span ``(start, end, label)`` is kept when at least ``min_votes`` members predict it.
    The kept spans are written to ``doc.ents``.
    """

    def __init__(
        self, path: Path = NER_DIR, min_votes: int = 2, name: str = "kg_ner_ensemble"
    ) -> None:
        import spacy

        members = ensemble_members(path)
        if not members:
            raise ValueError(f"{path}: no NER models (sub-folders with config.cfg)")
        self.name = name
        self.path = path
        self.min_votes = min_votes
        self.members = [spacy.load(member) for member in members]

    def __call__(self, doc: Doc) -> Doc:
        """Set ``doc.ents`` to the voted spans."""
        return next(self.pipe([doc]))

    def pipe(self, docs: Iterable[Doc], batch_size: int = 64) -> Iterator[Doc]:
        """Process a stream of documents, one batch at a time."""
        for batch in minibatch(docs, size=batch_size):
            yield from self._process(list(batch))

    def _process(self, docs: list[Doc]) -> list[Doc]:
        """Run the members on ``docs``; write the voted spans (most votes, then longest,
        first) to each doc's ``ents``.

        Once too few members remain for a new span to reach ``min_votes``, a member only
        reads the sentences around spans still short of it (with three members and two
        votes, the third reads only where the first two disagree): elsewhere it cannot
        change the result.
        """
        votes = [Counter() for _ in docs]
        for number, member in enumerate(self.members):
            remaining = len(self.members) - number
            if remaining >= self.min_votes:
                regions = [[(0, len(doc))] for doc in docs]
            else:
                low = self.min_votes - remaining
                regions = [
                    undecided_regions(doc, tally, low, self.min_votes)
                    for doc, tally in zip(docs, votes, strict=True)
                ]
            self._vote(member, docs, regions, votes)
        for doc, tally in zip(docs, votes, strict=True):
            kept = [key for key, n in tally.items() if n >= self.min_votes]
            kept.sort(key=lambda k: (-tally[k], k[0] - k[1], k))
            spans, taken = [], set()
            for start, end, label in kept:
                if taken.isdisjoint(range(start, end)):
                    taken.update(range(start, end))
                    spans.append(Span(doc, start, end, label=label))
            doc.ents = sorted(spans, key=lambda s: s.start)
        return docs

    @staticmethod
    def _vote(
        member: Language,
        docs: list[Doc],
        regions: list[list[tuple[int, int]]],
        votes: list[Counter],
    ) -> None:
        """Add one vote per span ``member`` predicts in each token region of each doc."""
        where = [(i, start) for i, doc_regions in enumerate(regions) for start, _ in doc_regions]
        copies = [
            Doc(
                member.vocab,
                words=[t.text for t in docs[i][start:end]],
                spaces=[bool(t.whitespace_) for t in docs[i][start:end]],
            )
            for i, doc_regions in enumerate(regions)
            for start, end in doc_regions
        ]
        for _name, proc in member.pipeline:
            copies = list(proc.pipe(copies)) if hasattr(proc, "pipe") else map(proc, copies)
        for (i, offset), copy in zip(where, copies, strict=True):
            votes[i].update(
                (e.start + offset, e.end + offset, e.label_) for e in predicted_spans(copy)
            )


def undecided_regions(doc: Doc, tally: Counter, low: int, high: int) -> list[tuple[int, int]]:
    """Token ranges (whole sentences, merged) around the spans with ``low <= votes < high``;
    the whole doc when it has no sentence boundaries."""
    spans = [(s, e) for (s, e, _), n in tally.items() if low <= n < high]
    if not spans:
        return []
    if not doc.has_annotation("SENT_START"):
        return [(0, len(doc))]
    ranges = sorted((doc[s].sent.start, doc[e - 1].sent.end) for s, e in spans)
    merged = [ranges[0]]
    for start, end in ranges[1:]:
        if start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def tags_to_spans(doc: Doc) -> list[Span]:
    """Entity spans from BIO tags ("B-method", "I-method", "O") written by a tagger; an
    "I-" tag after a different label starts a new span."""
    spans: list[Span] = []
    start, label = None, ""
    for tok in [*doc, None]:
        tag = tok.tag_ if tok is not None else "O"
        prefix, _, lab = tag.partition("-")
        if start is not None and not (prefix == "I" and lab == label):
            spans.append(Span(doc, start, tok.i if tok is not None else len(doc), label=label))
            start = None
        if prefix in ("B", "I") and lab and start is None:
            start, label = tok.i, lab
    return spans


def predicted_spans(doc: Doc) -> list[Span]:
    """The model's entities: ``doc.ents`` (NER) or spans decoded from BIO tags (tagger)."""
    if doc.ents:
        return list(doc.ents)
    if doc.has_annotation("TAG"):
        return tags_to_spans(doc)
    return []


@Language.factory("kg_ner_candidates", default_config={"spans_key": CANDIDATES_KEY})
def make_ner_candidates(nlp: Language, name: str, spans_key: str) -> NerCandidates:
    """Create a :class:`NerCandidates` bridge."""
    return NerCandidates(name=name, spans_key=spans_key)


class NerCandidates:
    """Copy ``doc.ents`` (the NER's output) to the candidate span group (span id ``ner``)."""

    def __init__(self, name: str = "kg_ner_candidates", spans_key: str = CANDIDATES_KEY) -> None:
        self.name = name
        self.spans_key = spans_key

    def __call__(self, doc: Doc) -> Doc:
        """Append the NER entities of ``doc`` to its candidates and clear ``doc.ents``."""
        group = list(doc.spans[self.spans_key]) if self.spans_key in doc.spans else []
        group += [
            trim_leading_verb(Span(doc, e.start, e.end, label=e.label_, span_id="ner"))
            for e in predicted_spans(doc)
        ]
        doc.spans[self.spans_key] = group
        doc.ents = []
        return doc
