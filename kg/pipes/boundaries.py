"""Span boundaries: complete words at dangling hyphens, and drop generic head nouns
(guideline refinement 3: "control task" -> "control"). Pure functions used by the resolver.
"""

from __future__ import annotations

import re

from spacy.tokens import Span

from kg.gazetteer import words


def whole_words(span: Span) -> Span:
    """Extend a span that ends or starts with a dangling hyphen over the word it attaches to
    ("parameter efficient fine-" -> "... fine-tuning", "-B/16" -> "ViT-B/16")."""
    doc, start, end = span.doc, span.start, span.end
    while end < len(doc) and doc[end - 1].text == "-" and not doc[end - 1].whitespace_:
        end += 1
    while start > 0 and doc[start].text == "-" and not doc[start - 1].whitespace_:
        start -= 1
    if (start, end) == (span.start, span.end):
        return span
    new = Span(doc, start, end, label=span.label_, span_id=span.id_)
    new._.kg_long_form = span._.kg_long_form
    return new


#: Generic head nouns left out of entity spans (guideline refinement 3: "control task" ->
#: "control"); in the train split annotators drop these heads 2-10 times more often than not.
TRIM_HEADS: dict[str, frozenset[str]] = {
    "method": frozenset(
        words(
            """method methods approach approaches technique techniques algorithm algorithms
            paradigm paradigms strategy strategies procedure procedures process framework"""
        )
    ),
    "task": frozenset(words("task tasks problem problems")),
    "model": frozenset(words("architecture architectures")),
}
_ADJECTIVE_ENDINGS = ("al", "ic", "ive", "ous", "ed", "ent", "ant", "ary", "less", "ful", "ble")


def trim_head(span: Span) -> Span:
    """Drop a generic head noun ("projected gradient descent algorithm" -> "projected gradient
    descent") unless what remains is adjective-like: one "-al"/"-ive"/... word or a hyphen
    compound ("two-stage strategy"); "model(s)" after a model name ("BERT-Large model")."""
    generic_head = len(span) >= 2 and span[-1].lower_ in ("model", "models")
    name = span[:-1].text
    if span.label_ == "model" and generic_head and " " not in name and NAMED.search(name):
        return _shorten(span)  # "Llama-3.1-8B models" -> "Llama-3.1-8B"
    heads = TRIM_HEADS.get(span.label_)
    if not heads or len(span) < 2 or span[-1].lower_ not in heads:
        return span
    last = span[-2]
    if not last.is_alpha and not any(c.isalnum() for c in last.text):
        return span
    if last.is_stop or (len(span) == 2 and last.lower_.endswith(_ADJECTIVE_ENDINGS)):
        return span
    if len(span) >= 3 and span[-3].text == "-":  # "one-stage strategy", "IO-aware algorithm"
        return span
    return _shorten(span)


#: A model name token: a digit or a capital after the first character ("8B", "RoBERTa").
NAMED = re.compile(r"^(?!.*-(?:like|style|based)$)(?:.*\d|.+[A-Z])")


def _shorten(span: Span) -> Span:
    """``span`` without its last token (keeping its long form)."""
    new = Span(span.doc, span.start, span.end - 1, label=span.label_, span_id=span.id_)
    new._.kg_long_form = span._.kg_long_form
    return new
