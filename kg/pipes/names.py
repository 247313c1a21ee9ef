"""Where a model or dataset name ends: attached suffixes ("MobileNetV3-large"), sizes ("Mistral
7B", "Llama-2 (7B)"), release numbers ("Stable Diffusion 3"), versions ("SQuAD 2.0"), suffix words
("Gemini Pro") and benchmark years and splits ("AIME 2025", "SWE-bench Verified").

Pure functions over spaCy tokens, used by :class:`kg.pipes.ruler.GazetteerRuler` on the names it
matches (guideline refinement 3: the most specific verbatim span).
"""

from __future__ import annotations

import re

from spacy.tokens import Doc, Span

from kg.gazetteer import words

#: Title-case words after a hyphen that make an adjective, not a dataset's variant name
#: ("ImageNet-Based"; but "LAION-Aesthetics", "ImageNet-Sketch", "COCO-Stuff" are datasets).
HYPHEN_ADJECTIVES = frozenset(
    words(
        """based like style driven guided oriented free aware specific level scale wise
        trained tuned augmented conditioned supervised agnostic efficient pretrained sized
        only"""
    )
)
#: Attached suffixes that extend a model or dataset name ("MobileNetV3-large", "GPT-4-turbo").
SUFFIX_WORDS = frozenset(
    words(
        """base large small tiny mini xl xxl huge giant medium nano micro lite pro plus max
        ultra flash turbo instruct chat coder vision it hf ft preview v sonnet haiku opus"""
    )
)


#: A version written after a name: "2.0", "v2", "V1.5" (not a bare number or year).
VERSION_RE = re.compile(r"^(?:[vV]\d+(?:\.\d+)*|\d+\.\d+)$")
#: A parameter count written after a model name: "7B", "410M", "8x7B".
SIZE_RE = re.compile(r"^(?:\d+x)?\d+(?:\.\d+)?[BMKT]$")
#: A year or a split name written after a benchmark: "AIME 2025", "GPQA Diamond".
YEAR_RE = re.compile(r"^(?:19|20)\d\d$")
DATASET_VARIANTS = frozenset(
    words(
        """Verified Diamond Lite Hard Easy Challenge Extended Plus Pro Mini Full Multilingual
        Small Medium Large XL"""
    )
)
#: Suffix words written as a separate capitalised word: "Gemini Pro", "GPT-4 Turbo".
TITLED_SUFFIXES = frozenset(w.title() for w in SUFFIX_WORDS if len(w) > 2)
#: Size words written in lowercase after a name: "BERT base", "ViT large".
SIZE_WORDS = frozenset(words("base large small tiny mini xl xxl huge giant medium"))


def extend_name(span: Span) -> Span:
    """Extend a model or dataset name over what belongs to it.

    Attached suffixes ("LLaMA-2" + "-7B", "MobileNetV3" + "-large", "o3" + "-mini"); for a
    model, a release number ("Stable Diffusion" + "3"), suffix words ("Gemini" + "Pro") and a
    size ("Mistral" + "7B", "Llama-2" + "(7B)"); a version ("SQuAD" + "2.0"); for a dataset, a
    year or split ("AIME" + "2025", "SWE-bench" + "Verified") and a hyphenated title-case
    variant ("LAION" + "-Aesthetics"). Lowercase words ("transformer") are not extended."""
    lower_word = span.text.islower() and not any(c.isdigit() for c in span.text)
    if span.label_ not in ("model", "dataset") or lower_word:  # "o3" + "-mini" extends
        return span
    doc, end = span.doc, span.end
    while end + 1 < len(doc) and doc[end - 1].whitespace_ == "" and doc[end].text == "-":
        nxt = doc[end + 1]
        if doc[end].whitespace_ or not (
            any(c.isdigit() for c in nxt.text)
            or nxt.lower_ in SUFFIX_WORDS
            or (nxt.is_upper and len(nxt) <= 3)
            or (span.label_ == "dataset" and nxt.is_title and nxt.lower_ not in HYPHEN_ADJECTIVES)
        ):
            break
        end += 2
    if span.label_ == "model":
        end = _suffix_word_end(doc, _release_end(doc, end))
        end = _release_end(doc, end)  # "Claude Opus" + "4.1"
        end = _size_suffix_end(doc, end)
    if end < len(doc) and doc[end - 1].whitespace_ and VERSION_RE.match(doc[end].text):
        end += 1  # "SQuAD 2.0", "VQA v2"
    if span.label_ == "dataset":
        end = _dataset_variant_end(doc, end)
    if end == span.end:
        return span
    return Span(doc, span.start, end, label=span.label_, span_id=span.id_)


def _dataset_variant_end(doc: Doc, end: int) -> int:
    """End of a dataset name extended over a following year or split name ("AIME 2025",
    "SWE-bench Verified", "GPQA Diamond"); ``end`` unchanged when none follows."""
    if end < len(doc) and doc[end - 1].whitespace_:
        nxt = doc[end]
        if YEAR_RE.match(nxt.text) or nxt.text in DATASET_VARIANTS:
            return end + 1
    return end


def _release_end(doc: Doc, end: int) -> int:
    """End of a model name extended over a following release number, "Stable Diffusion 3",
    "Gemma 2" or "Gemini 2.5 Pro" (not "GPT-4 3 times"): the number must end the name, so
    punctuation, a conjunction, a size or a suffix word follows it."""
    if end + 1 >= len(doc) or not doc[end - 1].whitespace_:
        return end
    if not re.match(r"^\d{1,2}(?:\.\d{1,2})?$", doc[end].text):  # "Gemini" + "2.5" + "Pro"
        return end
    after = doc[end + 1]
    ends = after.is_punct or after.lower_ in ("and", "or") or SIZE_RE.match(after.text)
    if ends or after.text in TITLED_SUFFIXES:
        return end + 1
    return end


def _suffix_word_end(doc: Doc, end: int) -> int:
    """End of a model name extended over following capitalised suffix words ("Gemini" +
    "Pro", "Llama 2" + "Chat") or a lowercase size word that ends the name ("BERT" + "base"
    + "and ...", not "BERT large language models" or "LLM base models"); ``end`` unchanged
    when none follows."""
    while end < len(doc) and doc[end - 1].whitespace_ and doc[end].text in TITLED_SUFFIXES:
        end += 1
    if end + 1 < len(doc) and doc[end - 1].whitespace_ and doc[end].text in SIZE_WORDS:
        after = doc[end + 1]
        if after.is_punct or after.lower_ in ("and", "or"):
            end += 1
    return end


def _size_suffix_end(doc: Doc, end: int) -> int:
    """End of a model name extended over a following size, "Mistral 7B" or "Llama-2 (7B)"
    (guideline refinement 3); ``end`` unchanged when none follows."""
    if end < len(doc) and SIZE_RE.match(doc[end].text) and doc[end - 1].whitespace_:
        return end + 1
    if (
        end + 2 < len(doc)
        and doc[end].text == "("
        and SIZE_RE.match(doc[end + 1].text)
        and doc[end + 2].text == ")"
    ):
        return end + 3
    return end
