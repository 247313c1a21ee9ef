"""Span boundaries: complete hyphen compounds, drop function words at the edges and generic
head nouns (guideline refinement 3: "control task" -> "control"). Pure functions used by the
resolver.
"""

from __future__ import annotations

import re

from spacy.tokens import Doc, Span

from kg.gazetteer import words
from kg.pipes.compounds import NOT_FIRST, NOT_MODIFIERS

#: Function words that never start or end an entity.
EDGE_WORDS = frozenset(
    words("of for and or with in on to by per from via the a an our their its this these those")
)

#: Verbs the NER sometimes takes in as a span's last word ("self-consistency boost accuracy").
TRAILING_VERBS = frozenset(
    words(
        """boost boosts improve improves enable enables yield yields achieve achieves outperform
        outperforms reduce reduces show shows lead leads allow allows require requires remain
        remains perform performs operate operates operating struggle struggles fail fails
        suffer suffers rely relies exhibit exhibits demonstrate demonstrates provide provides
        make makes help helps surpass surpasses"""
    )
)


def whole_words(span: Span) -> Span:
    """Complete the words at a span's edges and drop function words there: a dangling hyphen takes
    in the word it attaches to ("parameter efficient fine-" -> "... fine-tuning", "-B/16" ->
    "ViT-B/16"), a span that starts inside a hyphen compound takes in its first part
    ("resolution face recognition" -> "low-resolution face recognition"), and edge function
    words, verbs and a bracketed acronym go ("Retrospective Analysis for" -> "Retrospective
    Analysis", "success rate (ASR)" -> "success rate")."""
    doc, start, end = span.doc, span.start, span.end
    while end < len(doc) and doc[end - 1].text == "-" and not doc[end - 1].whitespace_:
        end += 1
    while start > 0 and doc[start].text == "-" and not doc[start - 1].whitespace_:
        start -= 1
    while start > 1 and doc[start - 1].text == "-" and not doc[start - 1].whitespace_:
        if doc[start - 2].whitespace_ or not doc[start - 2].is_alpha:
            break
        start -= 2
    while end - start > 1 and (
        doc[end - 1].lower_ in EDGE_WORDS
        or doc[end - 1].text in ",;:(["
        or (doc[end - 1].text in TRAILING_VERBS and doc[end - 2].text != "-")
    ):
        if doc[end - 2].text == "-" and not doc[end - 2].whitespace_:
            break  # keep a hyphen compound whole
        end -= 1
    while end - start > 1 and doc[start].text in EDGE_WORDS and doc[start].whitespace_:
        start += 1  # not "in" of "in-context learning"
    if end - start > 3 and doc[end - 1].text == ")" and doc[end - 3].text == "(":
        inner = doc[end - 2].text
        if inner.isupper() and inner.isalpha():  # "success rate (ASR)": the acronym goes
            end -= 3
    if (start, end) == (span.start, span.end):
        return span
    new = respan(span, start, end)
    widened = start < span.start or end > span.end
    if widened and span._.kg_long_form and new._.kg_long_form == span._.kg_long_form:
        new._.kg_long_form = None  # a longer name is not the acronym defined
    return new


#: Generic head nouns left out of entity spans (guideline refinement 3: "control task" ->
#: "control"); in the train split annotators drop these heads 2-10 times more often than not.
TRIM_HEADS: dict[str, frozenset[str]] = {
    "method": frozenset(
        words(
            """method methods approach approaches technique techniques algorithm algorithms
            paradigm paradigms strategy strategies procedure procedures process framework
            solution solutions methodology methodologies tool tools"""
        )
    ),
    "task": frozenset(words("task tasks problem problems purpose purposes")),
    "model": frozenset(words("architecture architectures")),
    "metric": frozenset(words("measure measures metric metrics")),
}
#: Heads a quality metric drops ("generalization ability" -> "generalization"; dev-tune).
ABILITY_HEADS = frozenset(words("ability abilities"))
#: Heads a dataset name drops ("HAREM I dataset" -> "HAREM I").
DATASET_HEADS = frozenset(words("dataset datasets corpus corpora benchmark benchmarks"))
#: A split of a named dataset ("HDTF test set") is the dataset: silver never names a split.
SPLIT_HEADS = frozenset(words("set sets split splits"))
SPLIT_NAMES = frozenset(words("test training train validation dev evaluation"))
#: Endings of adjectives ("Bayesian approach", "Hungarian algorithm" keep their heads).
_ADJECTIVE_ENDINGS = tuple(words("al ic ive ous ed ent ant ary less ful ble ian ean"))


def trim_head(span: Span) -> Span:
    """Drop a generic head noun ("projected gradient descent algorithm" -> "projected gradient
    descent") unless what remains is adjective-like: one "-al"/"-ive"/... word or a hyphen
    compound ("two-stage strategy"); "model(s)" after a model name ("BERT-Large model")."""
    if span.label_ == "method" and len(span) >= 2 and span[-1].lower_ in ("problem", "problems"):
        span = respan(span, label="task")  # "a conditional image synthesis problem": a task
    generic_head = len(span) >= 2 and span[-1].lower_ in ("model", "models")
    name = span[:-1].text
    if span.label_ == "dataset" and span[-1].lower_ in DATASET_HEADS and NAMED.search(name):
        return _shorten(span)  # "MSRA-2006 dataset" -> "MSRA-2006" (silver: 2 of 230 keep it)
    if span.label_ == "dataset" and _names_split(span):
        return respan(span, end=span.end - 2)  # "HDTF test set" -> "HDTF" (none in silver)
    if span.label_ == "metric" and len(span) == 2 and span[-1].lower_ in ABILITY_HEADS:
        return _shorten(span)  # "improve its generalization ability" -> "generalization"
    if span.label_ == "metric" and span[-1].lower_ in TRIM_HEADS["metric"]:
        if not NAMED.search(name):
            return span  # "evaluation measures" is no "evaluation"
        if len(span) >= 3 and span[-2].lower_ == "evaluation":
            return respan(span, end=span.end - 2)  # "CIDEr evaluation measure" -> "CIDEr"
        return _shorten(span)
    if span.label_ == "model" and generic_head and " " not in name and NAMED.search(name):
        return _shorten(span)  # "Llama-3.1-8B models" -> "Llama-3.1-8B"
    heads = TRIM_HEADS.get(span.label_)
    if not heads or len(span) < 2 or span[-1].lower_ not in heads:
        return span
    if _acronym_covers_head(span):
        return span  # "Markov decision process (MDP)": the P is the process
    last = span[-2]
    if not last.is_alpha and not any(c.isalnum() for c in last.text):
        return span
    if last.is_stop or (len(span) == 2 and last.lower_.endswith(_ADJECTIVE_ENDINGS)):
        return span
    if len(span) >= 3 and span[-3].text == "-":  # "one-stage strategy", "IO-aware algorithm"
        return span
    return _shorten(span)


#: A model name token: a digit or a capital after the first character ("8B", "RoBERTa"),
#: not words in title case joined by hyphens ("Vision-Language", "Long-Sequence").
NAMED = re.compile(
    r"^(?!.*-(?:like|style|based)$)(?![A-Z][a-z]+(?:-[A-Z]?[a-z]+)+$)(?:.*\d|.+[A-Z])"
)


def _names_split(span: Span) -> bool:
    """True for "<name> test set", "<name> validation split", ..."""
    return (
        len(span) >= 3
        and span[-1].lower_ in SPLIT_HEADS
        and span[-2].lower_ in SPLIT_NAMES
        and bool(NAMED.search(span[:-2].text))
    )


def _acronym_covers_head(span: Span) -> bool:
    """True when an acronym in brackets follows ``span`` and ends with its head's initial."""
    doc = span.doc
    if span.end + 1 >= len(doc) or doc[span.end].text != "(":
        return False
    short = doc[span.end + 1].text
    short = short[:-1] if short.endswith("s") else short
    return short.isupper() and short[-1:] == span[-1].text[:1].upper()


def _shorten(span: Span) -> Span:
    """``span`` without its last token (keeping its long form)."""
    return respan(span, end=span.end - 1)


def respan(
    span: Span, start: int | None = None, end: int | None = None, label: str | None = None
) -> Span:
    """A copy of ``span`` with other token bounds and/or label, keeping its span id and
    ``kg_long_form`` (unless the new bounds and label already carry one: extension values are
    stored per offsets and label, so writing would change every span with those)."""
    new = Span(
        span.doc,
        span.start if start is None else start,
        span.end if end is None else end,
        label=span.label_ if label is None else label,
        span_id=span.id_,
    )
    if new._.kg_long_form is None:
        new._.kg_long_form = span._.kg_long_form
    return new


#: State modifiers that classify a generic model class (guideline refinement 3: "pretrained
#: foundation models"): the span takes them in ("frozen large language models").
STATE_MODIFIERS = frozenset(
    words(
        """pretrained pre-trained frozen fine-tuned finetuned unconditional conditional
        large-scale"""
    )
)
#: The stage a metric measures ("training FLOPs", "inference speedup"): in the silver train
#: split metrics keep "training" 21 times and "inference" 9 times, and never leave it out.
STAGE_MODIFIERS = frozenset(
    words("training inference decoding sampling pre-training pretraining fine-tuning")
)
#: Parts of hyphen compounds that judge or advertise rather than classify.
JUDGING_PARTS = frozenset(
    words(
        """art effective efficient quality established known called intensive larger smaller
        better play used studied friendly performing open source sourced modern ever top well
        so"""
    )
)
#: Heads of generic model classes ("language models", "diffusion networks").
_CLASS_HEADS = frozenset(
    words("model models network networks transformer transformers llm llms lms embeddings")
)


def with_modifier(span: Span, taken: set[int]) -> Span:
    """Widen a generic model class over a state modifier or a hyphen compound before it
    ("pretrained text-to-image diffusion models", "instruction-tuned large language models"),
    a method over a hyphen compound ("multi-stage pre-training") and a metric over the stage
    it measures ("training FLOPs"), unless another entity holds the modifier's tokens
    (``taken``)."""
    if span.label_ == "metric":
        modifiers = STAGE_MODIFIERS
    elif span.label_ == "model" and span[-1].lower_ in _CLASS_HEADS and span[0].is_lower:
        modifiers = STATE_MODIFIERS
    elif span.label_ == "method" and span[0].is_lower:
        modifiers = frozenset()
    else:
        return span
    doc = span.doc
    for width in (3, 1):  # "pre - trained" or "pretrained"
        start = span.start - width
        if start < 0 or taken.intersection(range(start, span.start)):
            continue
        modifier = doc[start : span.start]
        if modifier.text.lower() in modifiers and (width == 1 or not doc[start].whitespace_):
            return respan(span, start=start)
    start = _compound_start(doc, span.start) if span.label_ != "metric" else None
    if start is not None and not taken.intersection(range(start, span.start)):
        return respan(span, start=start)
    return span


def _compound_start(doc: Doc, end: int) -> int | None:
    """Start of the lowercase hyphen compound that ends before token ``end`` ("view -
    conditioned"), unless it judges ("state-of-the-art") or compares ("GPT-like")."""
    i = end - 1
    if i < 2 or not doc[i].whitespace_ or not doc[i].is_alpha:
        return None
    while (
        i >= 2
        and doc[i - 1].text == "-"
        and not doc[i - 1].whitespace_
        and not doc[i - 2].whitespace_
    ):
        i -= 2
    if i == end - 1 or not doc[i].is_lower:
        return None
    text = doc[i:end].text.lower()
    if (
        text in NOT_FIRST
        or text in NOT_MODIFIERS
        or text.endswith(("-based", "-like", "-style", "-tune", "-train"))
    ):
        return None
    if JUDGING_PARTS.intersection(text.split("-")):
        return None  # "cost-effective fine-tuning", "well-established", "so-called"
    return i
