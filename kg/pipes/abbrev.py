"""Abbreviation detection ("Large Language Models (LLMs)"), after Schwartz & Hearst (2003).

Pure functions find ``(long form, short form)`` pairs, also written short form first ("MIGU
(MagnItude-based Gradient Updating ...)", "MoDeST: Mostly-Consistent ..."); the
:class:`AbbreviationDetector` types each pair from the candidates already on the doc (or from
the long form's head noun), adds every occurrence of the long and the short form as
candidates, and records ``long_form`` on the short-form spans (``Span._.kg_long_form``).
"""

from __future__ import annotations

import re

from spacy.language import Language
from spacy.tokens import Doc, Span

from kg.gazetteer import words
from kg.pipes.cues import HEAD_LABELS as CUE_NOUNS
from kg.pipes.cues import PROPOSE_VERBS
from kg.pipes.ruler import CANDIDATES_KEY
from kg.pipes.sentences import occurrences

if not Span.has_extension("kg_long_form"):
    Span.set_extension("kg_long_form", default=None)

SHORT_RE = re.compile(r"^(?=(?:.*[A-Z]){2})[A-Za-z][A-Za-z0-9\-.+&/]{1,11}$")
MINOR = frozenset(words("""of for and the in on to with a an via by at from"""))
#: Cue nouns heading a long form: those of descriptions, and "Challenge" for a benchmark
#: ("Starcraft Multi-Agent Challenge (SMAC)"; not a cue in "challenges such as X").
LONG_FORM_CUES: dict[str, frozenset[str]] = {
    **CUE_NOUNS,
    "dataset": CUE_NOUNS["dataset"] | {"challenge"},
}
#: Words a long form never starts with.
NO_FIRST_WORDS = frozenset(words("the a an and of"))

#: Head words of a long form -> label, used when no candidate types the pair.
HEAD_LABELS: dict[str, str] = {
    **dict.fromkeys(
        words(
            """model models network networks transformer transformers encoder encoders decoder
            autoencoder autoencoders machine machines perceptron llm llms lm lms"""
        ),
        "model",
    ),
    **dict.fromkeys(
        words(
            """learning tuning training optimization optimisation distillation adaptation
            method methods algorithm algorithms framework search sampling generation
            decoding attention prompting pruning quantization regularization augmentation
            inference alignment embedding embeddings encoding feedback merging mechanism
            module strategy"""
        ),
        "method",
    ),
    **dict.fromkeys(
        ["dataset", "datasets", "benchmark", "benchmarks", "corpus", "bench", "set"], "dataset"
    ),
    **dict.fromkeys(
        words("""error score rate accuracy distance ratio precision recall metric divergence"""),
        "metric",
    ),
    **dict.fromkeys(
        words(
            """recognition detection segmentation classification answering translation
            summarization forecasting understanding processing vision synthesis retrieval
            estimation reasoning"""
        ),
        "task",
    ),
}


def best_long_form(short: str, long: str) -> int | None:
    """Return the char offset in ``long`` where the long form of ``short`` starts, or None.

    >>> long = "we study Large Language Models"
    >>> long[best_long_form("LLMs", long):]
    'Large Language Models'
    """
    s_idx, l_idx = len(short) - 1, len(long) - 1
    while s_idx >= 0:
        char = short[s_idx].lower()
        if not char.isalnum():
            s_idx -= 1
            continue
        while (l_idx >= 0 and long[l_idx].lower() != char) or (
            s_idx == 0 and l_idx > 0 and long[l_idx - 1].isalnum()
        ):
            l_idx -= 1
        if l_idx < 0:
            return None
        l_idx -= 1
        s_idx -= 1
    return long.rfind(" ", 0, l_idx + 1) + 1


def initials_start(short: str, window: Span) -> int | None:
    """Token index where the words' initials spell the capitals of ``short`` ("Low-Rank
    Adaptation" for "LoRA"), skipping minor words; None when they do not."""
    caps = [c for c in short if c.isupper() or c.isdigit()]
    i = window.end - 1
    doc = window.doc
    while caps and i >= window.start:
        tok = doc[i]
        if tok.is_punct or (tok.lower_ in MINOR and len(caps) < len(short)):
            i -= 1
            continue
        if tok.text[:1].upper() != caps[-1]:
            return None
        caps.pop()
        # extra capitals inside one word ("GitHub", "PyTorch") may cover more letters
        inner = [c for c in tok.text[1:] if c.isupper()]
        while inner and caps and inner[-1] == caps[-1]:
            inner.pop()
            caps.pop()
        i -= 1
    return i + 1 if not caps else None


def singular(short: str) -> str:
    """A short form without its plural "s" ("LLMs" -> "LLM"; "MoS" stays)."""
    return short[:-1] if re.search(r"[A-Z]s$", short) else short


def window_start(doc: Doc, end: int, n_words: int) -> int:
    """Start of the window of at most ``n_words`` words (a hyphenated word is one word) before
    token ``end``, not crossing a sentence start.

    >>> import spacy
    >>> doc = spacy.blank("en")("we use Meta-Learning with Task-Adaptive Loss (MeTAL)")
    >>> doc[window_start(doc, 10, 4) : 10].text
    'Meta-Learning with Task-Adaptive Loss'
    """
    begin, words_seen = end, 0
    while begin > 0 and words_seen < n_words:
        begin -= 1
        if doc[begin].is_sent_start:
            return begin
        if begin == 0 or doc[begin - 1].whitespace_:
            words_seen += 1
    return begin


def find_abbreviations(doc: Doc) -> list[tuple[Span, Span]]:
    """Return ``(long_form, short_form)`` span pairs defined as "long form (SF)" in ``doc``."""
    pairs: list[tuple[Span, Span]] = []
    for tok in doc[:-2]:
        if tok.text != "(" or tok.i == 0:
            continue
        close = short_form_end(doc, tok.i)
        if close is None:
            continue
        short = doc[tok.i + 1 : close]
        if not SHORT_RE.match(short.text):
            continue
        n_words = min(len(short.text) + 5, 2 * len(short.text))
        begin = window_start(doc, tok.i, n_words)
        window = doc[begin : tok.i]
        text = window.text
        base = singular(short.text)
        first = initials_start(base, window)
        if first is not None:
            long = doc[first : tok.i]
        else:
            offset = best_long_form(base, text)
            if offset is None:
                continue
            long = doc.char_span(
                window.start_char + offset, window.end_char, alignment_mode="expand"
            )
        if long is None or len(long) == 0 or len(long.text) <= len(short.text):
            continue
        if len(long.text.split()) > len(base) + 3 or long[0].lower_ in NO_FIRST_WORDS:
            continue
        pairs.append((long, short))
    return pairs + short_first_pairs(doc)


def short_first_pairs(doc: Doc) -> list[tuple[Span, Span]]:
    """``(long_form, short_form)`` pairs written "SF (long form ...)", the long form opening
    the brackets ("MIGU (MagnItude-based Gradient Updating for continual learning)"), or
    "SF, which stands for long form".

    >>> import spacy
    >>> doc = spacy.blank("en")("we introduce MIGU (MagnItude-based Gradient Updating for CL)")
    >>> [(lf.text, sf.text) for lf, sf in short_first_pairs(doc)]
    [('MagnItude-based Gradient Updating', 'MIGU')]
    """
    pairs: list[tuple[Span, Span]] = []
    for tok in doc[1:-2]:
        if tok.text == "(" and tok.nbor(-1).whitespace_:
            short, start = doc[tok.i - 1 : tok.i], tok.i + 1
        elif tok.text == ":" and tok.i + 1 < len(doc) and tok.nbor(1).is_title:
            # "we present MoDeST: Mostly-Consistent Decentralized Sampling Training."
            short, start = doc[tok.i - 1 : tok.i], tok.i + 1
        elif tok.lower_ in ("stands", "short") and tok.nbor(1).lower_ == "for":
            # "TERA, which stands for Transformer Encoder Representations from Alteration"
            before = doc[max(0, tok.i - 3) : tok.i]
            names = [t for t in before if SHORT_RE.match(t.text)]
            if not names:
                continue
            short, start = doc[names[-1].i : names[-1].i + 1], tok.i + 2
        else:
            continue
        if not SHORT_RE.match(short.text):
            continue
        end = initials_end(singular(short.text), doc, start)
        if end is None or doc[end - 1].text == ")":
            continue
        long = doc[start:end]
        if end < len(doc) and doc[end].text.lower() in ("'s", "’s"):
            continue  # "SeaBird: Segmentation in Bird's View": the name goes on
        if len(long.text.split()) > 1 and len(long.text) > len(short.text):
            pairs.append((long, short))  # not "CommonCrawl (CC)" read backwards
    return pairs


def initials_end(short: str, doc: Doc, start: int) -> int | None:
    """End of the words from token ``start`` whose initials spell the capitals of ``short``
    (inner capitals may cover more: "MagnItude" covers "MI"), within one bracket; None when
    they do not."""
    caps = [c for c in short if c.isupper() or c.isdigit()]
    i = start
    while caps and i < len(doc) and doc[i].text not in (")", "(") and i - start < 2 * len(short):
        tok = doc[i]
        in_compound = i > start and doc[i - 1].text == "-" and not doc[i - 2].whitespace_
        if tok.is_punct or (tok.lower_ in MINOR and i > start):
            i += 1
            continue
        if in_compound and tok.text[:1] != caps[0]:
            i += 1  # "-based" of "MagnItude-based" spells nothing; "Low-Rank" spells "LR"
            continue
        if tok.text[:1] != caps[0]:
            return None
        caps.pop(0)
        inner = [c for c in tok.text[1:] if c.isupper() or c.isdigit()]
        while inner and caps and inner[0] == caps[0]:
            inner.pop(0)
            caps.pop(0)
        i += 1
    return i if not caps and i > start else None


def short_form_end(doc: Doc, open_paren: int, max_tokens: int = 4) -> int | None:
    """Index of the ")" (or "," / ";") closing a short form that starts after the "(" at
    ``open_paren``: one token ("LLMs"), or up to ``max_tokens`` tokens written without spaces
    ("MSR-GCN", tokenised "MSR", "-", "GCN"); None when there is no such closer.

    >>> import spacy
    >>> doc = spacy.blank("en")("a Graph Network (MSR-GCN) and a (see Table 1) b")
    >>> short_form_end(doc, 3), short_form_end(doc, 11)
    (7, None)
    """
    end = open_paren + 2
    while (
        end < len(doc)
        and doc[end].text not in (")", ",", ";")
        and not doc[end - 1].whitespace_
        and end - open_paren <= max_tokens
    ):
        end += 1
    return end if end < len(doc) and doc[end].text in (")", ",", ";") else None


@Language.factory("kg_abbreviations", default_config={"spans_key": CANDIDATES_KEY})
def make_abbreviations(nlp: Language, name: str, spans_key: str) -> AbbreviationDetector:
    """Create an :class:`AbbreviationDetector`."""
    return AbbreviationDetector(name=name, spans_key=spans_key)


class AbbreviationDetector:
    """Type abbreviation pairs and add long forms and short-form occurrences as candidates."""

    def __init__(self, name: str = "kg_abbreviations", spans_key: str = CANDIDATES_KEY) -> None:
        self.name = name
        self.spans_key = spans_key

    def __call__(self, doc: Doc) -> Doc:
        """Detect pairs and set annotations on ``doc``."""
        self.set_annotations(doc, find_abbreviations(doc))
        return doc

    def set_annotations(self, doc: Doc, pairs: list[tuple[Span, Span]]) -> None:
        """Add typed long forms and short forms (with ``kg_long_form``) to the candidates."""
        group = list(doc.spans[self.spans_key]) if self.spans_key in doc.spans else []
        added: list[Span] = []
        defined: dict[str, tuple[str, str]] = {}
        for long, short in pairs:
            label = _pair_label(long, short, group)
            if label is None:
                continue
            base = singular(short.text)
            defined.setdefault(base, (long.text, label))
            added.append(Span(doc, long.start, long.end, label=label, span_id="abbrev"))
            if len(long) > 1:  # the long form elsewhere, as in the title, is the same entity
                added += [
                    span
                    for span in occurrences(doc, long.text, label, "abbrev")
                    if span.start != long.start
                ]
        for tok in doc:
            if (base := singular(tok.text)) in defined:
                long_text, label = defined[base]
                span = Span(doc, tok.i, tok.i + 1, label=label, span_id="abbrev")
                span._.kg_long_form = long_text
                added.append(span)
        for short in {short.text for _long, short in pairs if len(short) > 1}:
            if short not in defined:
                continue
            long_text, label = defined[short]  # every occurrence of "MSR-GCN"
            for span in occurrences(doc, short, label, "abbrev"):
                span._.kg_long_form = long_text
                added.append(span)
        doc.spans[self.spans_key] = group + added


def _cue_after(long: Span, short: Span) -> str | None:
    """The label of a cue noun right after a bracketed short form when an indefinite article
    or "propose the" opens the phrase ("an Improved Test-Time Adaptation (ITTA) method", "we
    propose the Unsupervised ... Identification (UDLDI) method"; not "Natural Language
    Processing (NLP) models", models for a task)."""
    doc = short.doc
    end = short.end + 1 if short.end < len(doc) and doc[short.end].text == ")" else None
    if end is None or end >= len(doc) or long.start == 0:
        return None
    before = doc[long.start - 1].lower_
    proposed = before == "the" and long.start > 1 and doc[long.start - 2].lower_ in PROPOSE_VERBS
    if before not in ("a", "an", "novel", "new") and not proposed:
        return None
    return next((lab for lab, nouns in CUE_NOUNS.items() if doc[end].lower_ in nouns), None)


def _pair_label(long: Span, short: Span, candidates: list[Span]) -> str | None:
    """Label of a pair, in this order: a rule candidate on the whole long form (the text's
    own definition: the "CV" of "cross-validation (CV)" is no computer vision); a cue noun
    right after the bracket of an introduced pair ("an ... (ITTA) method"); an NER candidate
    on the whole long form unless a cue noun heads it ("Semantic Parsing Guided Neural
    Network (SPGNN)" is a model whatever the NER says); the longest candidate that ends with
    the long form ("Hub5-2000 Switchboard (SWB)"); a cue noun heading the long form
    ("system", "network", "benchmark"); a rule candidate on the short form; the longest rule
    candidate ending the long form ("fine-grained Named Entity Recognition (FG-NER)" is a
    task, whatever the NER makes of "FG-NER"); the same for NER candidates; else the long
    form's head."""
    whole = [c for c in candidates if c.start == long.start and c.end == long.end]
    for cand in whole:
        if cand.id_ != "ner":
            return cand.label_
    after = _cue_after(long, short)
    if after:  # "an Improved Test-Time Adaptation (ITTA) method": the text says what it is
        return after
    cue = next((lab for lab, nouns in LONG_FORM_CUES.items() if long[-1].lower_ in nouns), None)
    if whole and not cue:
        return whole[0].label_
    enclosing = [c for c in candidates if c.end == long.end and c.start < long.start]
    if enclosing and not whole:  # "Hub5-2000 Switchboard (SWB)": the dataset the long form ends
        return max(enclosing, key=lambda c: (c.end - c.start, -c.start)).label_
    if cue:  # "Threshold-based Detecting System (TDS)": a system, whatever the gazetteer's TDS;
        return cue  # "Semantic Parsing Guided Neural Network (SPGNN)", whatever the NER says
    on_short = [c for c in candidates if c.start == short.start and c.end == short.end]
    ending = sorted(
        (c for c in candidates if c.end == long.end and c.start >= long.start),
        key=lambda c: c.start,
    )
    for group in (
        [c for c in on_short if c.id_ != "ner"],
        [c for c in ending if c.id_ != "ner"],  # "fine-grained Named Entity Recognition"
        on_short,
        ending,
    ):
        if group:
            return group[0].label_
    return HEAD_LABELS.get(long[-1].lower_)
