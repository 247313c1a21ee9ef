"""Gazetteer and shape rules: propose typed candidate spans (overlaps allowed).

Candidates go to ``doc.spans["kg_candidates"]``; :mod:`kg.pipes.resolver` picks the final,
non-overlapping entities. Each candidate's ``id_`` names the rule that produced it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from pathlib import Path

from spacy.language import Language
from spacy.matcher import Matcher, PhraseMatcher
from spacy.tokens import Doc, Span
from spacy.util import ensure_path

from kg.gazetteer import DEFAULT_FILES, Term, expand, load_terms, words
from kg.pipes.compounds import extend_left, head_compounds
from kg.pipes.qualities import quality_metrics

CANDIDATES_KEY = "kg_candidates"

#: Token that looks like a name: internal capital, capital+digit, or an acronym.
NAME_RE = r"^(?=.*[A-Za-z])(?:[A-Za-z]+[A-Z0-9]|[A-Z][A-Za-z0-9]*[.+][A-Za-z0-9])[A-Za-z0-9.+]*$"
#: A model name with a size: "LLaMA-65B", "Mistral-7B", "Qwen2.5-0.5B".
SIZED_RE = r"^[A-Za-z][A-Za-z0-9.]*-?\d+(?:\.\d+)?[BMK]$"
#: Attached suffixes that extend a model or dataset name ("MobileNetV3-large", "GPT-4-turbo").
SUFFIX_WORDS = frozenset(
    words(
        """base large small tiny mini xl xxl huge giant medium nano micro lite pro plus max
        ultra flash turbo instruct chat coder vision it hf preview v"""
    )
)
DATASET_NOUNS = ["dataset", "datasets", "benchmark", "benchmarks", "corpus", "corpora", "suite"]
MODEL_NOUNS = ["model", "models", "architecture", "backbone"]
METHOD_NOUNS = ["framework", "algorithm", "method", "approach", "technique", "pipeline"]
METRIC_NOUNS = ["score", "scores", "metric", "metrics"]
_SPLIT_PREFIX = re.compile(r"^([A-Za-z]{2,}?)(?:[-_.]?v?\d.*|-[A-Za-z0-9].*)$")


@Language.factory(
    "kg_gazetteer",
    default_config={
        "files": list(DEFAULT_FILES),
        "spans_key": CANDIDATES_KEY,
        "shapes": True,
        "qualities": True,
    },
)
def make_gazetteer(
    nlp: Language, name: str, files: list[str], spans_key: str, shapes: bool, qualities: bool
) -> GazetteerRuler:
    """Create a :class:`GazetteerRuler` loaded with the ``kg/data`` term lists."""
    ruler = GazetteerRuler(nlp, name=name, spans_key=spans_key, shapes=shapes)
    ruler.qualities = qualities
    ruler.add_terms(load_terms(tuple(files)))
    return ruler


class GazetteerRuler:
    """Match gazetteer terms and name shapes, writing typed candidate spans.

    * ``PhraseMatcher`` on ``LOWER`` for lowercase terms and their variants;
    * ``PhraseMatcher`` on ``ORTH`` for names and acronyms (``GLUE`` but not "glue");
    * family prefixes of names ("LLaMA-2-7B", "ResNet50", "ImageNet-1k" via "LLaMA", "ResNet",
      "ImageNet"), extended over attached size/variant suffixes;
    * token patterns for cue phrases: "the X dataset/benchmark", "X model", sized names.
    """

    def __init__(
        self,
        nlp: Language,
        name: str = "kg_gazetteer",
        spans_key: str = CANDIDATES_KEY,
        shapes: bool = True,
    ) -> None:
        self.nlp = nlp
        self.name = name
        self.spans_key = spans_key
        self.shapes = shapes
        #: Add quality nouns reported as improved/traded off as metrics (:mod:`kg.pipes.qualities`).
        self.qualities = True
        self.terms: list[Term] = []
        self._labels: dict[tuple[str, bool], str] = {}
        self._prefixes: dict[str, str] = {}
        self.lower_matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.orth_matcher = PhraseMatcher(nlp.vocab, attr="ORTH")
        self.matcher = Matcher(nlp.vocab)
        self._add_shape_patterns()

    # -- state -------------------------------------------------------------------------------
    def add_terms(self, terms: Iterable[Term]) -> None:
        """Add ``(label, text, case_sensitive)`` terms to the matchers."""
        terms = list(terms)
        self.terms.extend(terms)
        variants = expand(terms)
        new = [key for key in variants if key not in self._labels]
        self._labels.update({k: variants[k] for k in new})
        for case in (False, True):
            texts = sorted(text for text, c in new if c == case)
            matcher = self.orth_matcher if case else self.lower_matcher
            for text, doc in zip(texts, self.nlp.tokenizer.pipe(texts), strict=True):
                matcher.add(self._key(text, case), [doc])
        for label, text, case in terms:
            family = case and label in ("model", "dataset", "method")
            if family and re.fullmatch(r"[A-Za-z]{3,}", text) and text not in self._prefixes:
                self._prefixes[text] = label

    @staticmethod
    def _key(text: str, case: bool) -> str:
        return ("cs\t" if case else "ci\t") + text

    def _add_shape_patterns(self) -> None:
        name = {"TEXT": {"REGEX": NAME_RE}}
        title = {"IS_TITLE": True, "IS_SENT_START": False}
        self.matcher.add("model|sized", [[{"TEXT": {"REGEX": SIZED_RE}}]])
        for label, nouns in (
            ("dataset", DATASET_NOUNS),
            ("model", MODEL_NOUNS),
            ("method", METHOD_NOUNS),
            ("metric", METRIC_NOUNS),
        ):
            cue = {"LOWER": {"IN": [n.lower() for n in nouns]}}
            self.matcher.add(f"{label}|cue", [[name, cue], [name, name, cue]])
            if label == "dataset":
                self.matcher.add(f"{label}|cue", [[{"LOWER": "the"}, title, cue]])

    # -- matching ----------------------------------------------------------------------------
    def __call__(self, doc: Doc) -> Doc:
        """Find candidates in ``doc`` and store them in ``doc.spans[spans_key]``."""
        spans = self.match(doc)
        self.set_annotations(doc, spans)
        return doc

    def match(self, doc: Doc) -> list[Span]:
        """Return the typed candidate spans of ``doc`` (may overlap)."""
        strings = self.nlp.vocab.strings
        spans: list[Span] = []
        for matcher in (self.lower_matcher, self.orth_matcher):
            for key, start, end in matcher(doc):
                case, text = strings[key].split("\t", 1)
                label = self._labels[(text, case == "cs")]
                spans.append(self._extend(Span(doc, start, end, label=label, span_id="gaz")))
        for token in doc:
            match = _SPLIT_PREFIX.match(token.text)
            if match and match.group(1) in self._prefixes:
                label = self._prefixes[match.group(1)]
                span = Span(doc, token.i, token.i + 1, label=label, span_id="family")
                spans.append(self._extend(span))
        if self.shapes:
            for key, start, end in self.matcher(doc):
                label, rule = strings[key].split("|")
                if rule == "cue":
                    while (
                        end - start > 1
                        and doc[end - 1].lower_ not in ("the",)
                        and (not re.match(NAME_RE, doc[end - 1].text) and not doc[end - 1].is_title)
                    ):
                        end -= 1
                    if doc[start].lower_ == "the":
                        start += 1
                    if end <= start:
                        continue
                spans.append(self._extend(Span(doc, start, end, label=label, span_id=rule)))
            spans += head_compounds(doc)
            if self.qualities:
                spans += quality_metrics(doc)
            spans += [
                extend_left(s)
                for s in spans
                if s.label_ in ("method", "metric", "task") and s.id_ == "gaz" and s[0].is_lower
            ]
        return spans

    def _extend(self, span: Span) -> Span:
        """Extend a name over attached suffixes: "LLaMA-2" + "-7B", "MobileNetV3" + "-large"."""
        if span.label_ not in ("model", "dataset") or span.text.islower():
            return span
        doc, end = span.doc, span.end
        while end + 1 < len(doc) and doc[end - 1].whitespace_ == "" and doc[end].text == "-":
            nxt = doc[end + 1]
            if doc[end].whitespace_ or not (
                any(c.isdigit() for c in nxt.text)
                or nxt.lower_ in SUFFIX_WORDS
                or (nxt.is_upper and len(nxt) <= 3)
            ):
                break
            end += 2
        if end == span.end:
            return span
        return Span(doc, span.start, end, label=span.label_, span_id=span.id_)

    def set_annotations(self, doc: Doc, spans: list[Span]) -> None:
        """Append ``spans`` to ``doc.spans[spans_key]``, sorted and de-duplicated."""
        group = list(doc.spans[self.spans_key]) if self.spans_key in doc.spans else []
        seen = {(s.start, s.end, s.label_) for s in group}
        for span in sorted(spans, key=lambda s: (s.start, s.end, s.label_)):
            if (span.start, span.end, span.label_) not in seen:
                seen.add((span.start, span.end, span.label_))
                group.append(span)
        doc.spans[self.spans_key] = group

    # -- serialisation -----------------------------------------------------------------------
    def to_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> None:
        """Write the terms to ``path/terms.jsonl``."""
        path = ensure_path(path)
        path.mkdir(parents=True, exist_ok=True)
        with open(path / "terms.jsonl", "w", encoding="utf-8") as handle:
            for label, text, case in self.terms:
                handle.write(json.dumps([label, text, case], ensure_ascii=False) + "\n")

    def from_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> GazetteerRuler:
        """Replace the terms with those in ``path/terms.jsonl``."""
        path = ensure_path(path)
        with open(path / "terms.jsonl", encoding="utf-8") as handle:
            terms = [tuple(json.loads(line)) for line in handle if line.strip()]
        qualities = self.qualities
        self.__init__(self.nlp, self.name, self.spans_key, self.shapes)  # type: ignore[misc]
        self.qualities = qualities
        self.add_terms(terms)  # type: ignore[arg-type]
        return self
