"""Sentence splitting robust to scraped abstracts (missing spaces, LaTeX, URLs, abbreviations)."""

from __future__ import annotations

import re

from spacy.language import Language
from spacy.tokens import Doc, Span

from kg.gazetteer import words
from kg.records import SEPARATOR

#: Tokens that end with a period but do not end a sentence.
NON_FINAL = frozenset(
    words(
        """e.g. i.e. etc. et al. al. vs. cf. fig. figs. eq. eqs. sec. no. approx. resp. incl.
        dr. mr. ms. prof. st. ca. ref. refs. tab."""
    )
)
FINAL = frozenset({".", "!", "?", "。"})
TEXT_KEY = "kg_text"


def doc_text(doc: Doc) -> str:
    """``doc.text``, built once per doc (spaCy joins every token's text on each access, and
    the rules search the text once per entity).

    >>> import spacy
    >>> doc = spacy.blank("en")("A short text.")
    >>> doc_text(doc) == doc.text and doc_text(doc) is doc_text(doc)
    True
    """
    text = doc.user_data.get(TEXT_KEY)
    if text is None:
        text = doc.user_data[TEXT_KEY] = doc.text
    return text


def occurrences(doc: Doc, text: str, label: str = "", span_id: str = "") -> list[Span]:
    """Spans of every occurrence of ``text`` in ``doc`` that is a whole word (no letter, digit
    or hyphen on either side) and falls on token boundaries.

    >>> import spacy
    >>> doc = spacy.blank("en")("MSR-GCN beats GCN; MSR-GCN wins.")
    >>> [(s.start, s.end) for s in occurrences(doc, "MSR-GCN", "model")]
    [(0, 3), (6, 9)]
    """
    pattern = r"(?<![\w-])" + re.escape(text) + r"(?![\w-])"
    found = (
        doc.char_span(m.start(), m.end(), label=label, span_id=span_id)
        for m in re.finditer(pattern, doc_text(doc))
    )
    return [span for span in found if span is not None]


def title_end(doc: Doc) -> int:
    """Character offset where the title ends in an extractor text (title, ``SEPARATOR``,
    abstract); 0 when the text has no title.

    >>> import spacy
    >>> title_end(spacy.blank("en")("A title" + SEPARATOR + "The abstract."))
    7
    """
    return max(doc_text(doc).find(SEPARATOR), 0)


@Language.factory("kg_sentencizer", default_config={"split_on_newline": True})
def make_kg_sentencizer(nlp: Language, name: str, split_on_newline: bool) -> KgSentencizer:
    """Create a :class:`KgSentencizer` (thin factory, config-driven)."""
    return KgSentencizer(name=name, split_on_newline=split_on_newline)


class KgSentencizer:
    """Rule-based sentence boundaries.

    A sentence ends at ``.``/``!``/``?`` (also glued ones such as "ability.OpenAI", which the
    tokenizer splits) when the next token does not start with a lowercase letter, and at
    blank-line tokens. Known abbreviations ("e.g.", "et al.") and tokens inside LaTeX
    ``$...$`` never end a sentence.
    """

    def __init__(self, name: str = "kg_sentencizer", split_on_newline: bool = True) -> None:
        self.name = name
        self.split_on_newline = split_on_newline

    def __call__(self, doc: Doc) -> Doc:
        """Set ``is_sent_start`` on every token of ``doc``."""
        starts = sentence_starts([t.text for t in doc], self.split_on_newline)
        for token, start in zip(doc, starts, strict=True):
            token.is_sent_start = start
        return doc


def sentence_starts(words: list[str], split_on_newline: bool = True) -> list[bool]:
    """Return, for each token text, whether it starts a sentence (pure function)."""
    starts = [False] * len(words)
    if not words:
        return starts
    starts[0] = True
    in_math = False
    for i, word in enumerate(words[:-1]):
        if word.count("$") % 2 == 1:
            in_math = not in_math
        nxt = words[i + 1]
        if split_on_newline and word.strip() == "" and "\n" in word:
            starts[i + 1] = True
            continue
        if in_math or word.lower() in NON_FINAL:
            continue
        if word in FINAL or (len(word) > 1 and word[-1] in "!?" and word[0] != "("):
            if nxt[:1].islower() or nxt in FINAL or nxt[:1] in ",;:)]":
                continue
            starts[i + 1] = True
    return starts
