"""The trained NER model: loading it from ``kg/data/ner`` and handing its entities to the resolver.

The model (spaCy ``tok2vec`` + ``ner``, trained by :mod:`kg.train`) writes ``doc.ents``;
:class:`NerCandidates` copies them to ``doc.spans["kg_candidates"]`` with span id ``ner`` so the
resolver can combine them with the rule candidates.
"""

from __future__ import annotations

from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc, Span

from kg.gazetteer import DATA_DIR
from kg.pipes.ruler import CANDIDATES_KEY

NER_DIR = DATA_DIR / "ner"


def add_ner(nlp: Language, path: Path = NER_DIR, before: str | None = None) -> bool:
    """Add the trained ``tok2vec`` and ``ner`` components from ``path`` to ``nlp`` (offline).

    Returns False (and adds nothing) when no model is stored at ``path``.
    """
    import spacy

    if not (path / "config.cfg").exists():
        return False
    trained = spacy.load(path)
    for name in trained.pipe_names:
        nlp.add_pipe(name, source=trained, before=before)
    return True


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
            Span(doc, e.start, e.end, label=e.label_, span_id="ner") for e in predicted_spans(doc)
        ]
        doc.spans[self.spans_key] = group
        doc.ents = []
        return doc
