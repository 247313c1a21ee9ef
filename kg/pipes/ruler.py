"""Gazetteer and shape rules: propose typed candidate spans (overlaps allowed).

Candidates go to ``doc.spans["kg_candidates"]``; :mod:`kg.pipes.resolver` picks the final,
non-overlapping entities. Each candidate's ``id_`` names the rule that produced it.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import sys
import unicodedata
from collections.abc import Iterable
from pathlib import Path

from spacy import about
from spacy.attrs import LOWER
from spacy.language import Language
from spacy.matcher import Matcher
from spacy.tokenizer import Tokenizer
from spacy.tokens import Doc, Span
from spacy.util import ensure_path

from kg.gazetteer import DEFAULT_FILES, MIXED_CASE, Term, expand, load_terms, words
from kg.pipes.compounds import extend_left, head_compounds
from kg.pipes.generic import LANGUAGES
from kg.pipes.names import extend_name
from kg.pipes.qualities import quality_metrics
from kg.pipes.sentences import title_end

CANDIDATES_KEY = "kg_candidates"

#: Token that looks like a name: internal capital, capital+digit, or an acronym.
NAME_RE = r"^(?=.*[A-Za-z])(?:[A-Za-z]+[A-Z0-9]|[A-Z][A-Za-z0-9]*[.+][A-Za-z0-9])[A-Za-z0-9.+]*$"
#: A model name with a size: "LLaMA-65B", "Mistral-7B", "Qwen2.5-0.5B" (not "K": "Flickr30K"
#: and "FSD50K" are datasets).
SIZED_RE = r"^[A-Za-z][A-Za-z0-9.]*-?\d+(?:\.\d+)?[BMT]$"
DATASET_NOUNS = ["dataset", "datasets", "benchmark", "benchmarks", "corpus", "corpora", "suite"]
MODEL_NOUNS = ["model", "models", "architecture", "backbone"]
METHOD_NOUNS = ["framework", "algorithm", "method", "approach", "technique", "pipeline"]
METRIC_NOUNS = ["score", "scores", "metric", "metrics"]
#: A ranking metric at a cut-off: "NDCG@20", "Recall@10", "pass@1", "Hits@10".
AT_K = re.compile(r"^([A-Za-z][A-Za-z-]*)@(?:\d+|[kK])$")
#: Bases of such metrics besides the gazetteer's metric names.
AT_K_BASES = frozenset(words("pass hits hit acc top r p map mrr ndcg recall precision success"))
#: Variants listed after a slash: "CIFAR-10/100", "ImageNet-1K/22K", "SST-2/5" (one entity,
#: as the silver annotations keep "DeiT-Ti/S/B" and "RefCOCO/+/g").
SLASH_VARIANTS = re.compile(r"^([^/]{2,})(?:/[A-Za-z0-9.+]{1,6})+$")
_SPLIT_PREFIX = re.compile(r"^([A-Za-z]{2,}?)(?:[-_.]?v?\d.*|-[A-Za-z0-9].*)$")
#: Term lists at least this long keep their tokens in :func:`token_cache`, in at most
#: ``CACHE_FILES`` files (one per list and tokenizer).
CACHE_MIN_TEXTS = 1000
CACHE_FILES = 4


def token_texts(tokenizer: Tokenizer, texts: Iterable[str]) -> list[tuple[str, ...]]:
    """Return the token texts ``tokenizer`` gives each of ``texts``, mostly without running it.

    Running a spaCy tokenizer costs a ``Doc`` and new vocabulary entries per text, which is
    slow for tens of thousands of gazetteer terms. A text of space-separated chunks is split
    instead by the tokenizer's own rules: a chunk with no special case, prefix or suffix is one
    token, or is split at its infixes exactly as ``Tokenizer._attach_tokens`` does. Anything
    else (other whitespace, prefixes, suffixes, special cases, a custom tokenizer) goes through
    ``tokenizer`` itself, so the result always equals ``[t.text for t in tokenizer(text)]``.
    """
    if type(tokenizer) is not Tokenizer:  # a custom or subclassed tokenizer: run it
        return [tuple(t.text for t in tokenizer(text)) for text in texts]
    rules = tokenizer.rules
    longest_rule = max(map(len, rules), default=0)
    # A special case spanning chunks ("a b") would re-join their tokens.
    spaced = any(" " in key and key != " " for key in rules)
    prefix, suffix = tokenizer.prefix_search, tokenizer.suffix_search
    infixes, token_match = tokenizer.infix_finditer, tokenizer.token_match
    url_match = tokenizer.url_match

    def split(chunk: str) -> tuple[str, ...] | None:
        if chunk in rules:
            return None
        if token_match is not None and token_match(chunk):
            return (chunk,)
        if (prefix is not None and prefix(chunk)) or (suffix is not None and suffix(chunk)):
            return None
        matches = list(infixes(chunk)) if infixes is not None else []
        if not matches or (url_match is not None and url_match(chunk)):
            return (chunk,)
        pieces, start = [], 0
        for match in matches:
            if match.start() == 0:
                continue
            if match.start() != start:
                pieces.append(chunk[start : match.start()])
            if match.start() != match.end():
                pieces.append(match.group())
            start = match.end()
        if chunk[start:]:
            pieces.append(chunk[start:])
        # The tokenizer's last pass re-joins pieces that spell a special case ("8-)").
        for i in range(len(pieces)):
            joined = ""
            for piece in pieces[i:]:
                joined += piece
                if len(joined) > longest_rule:
                    break
                if joined in rules:
                    return None
        return tuple(pieces)

    chunks: dict[str, tuple[str, ...] | None] = {}
    out: list[tuple[str, ...]] = []
    for text in texts:
        parts = text.split(" ")
        tokens: list[str] | None = None
        if parts == text.split() and not (spaced and len(parts) > 1):
            tokens = []
            for part in parts:
                if part not in chunks:
                    chunks[part] = split(part)
                if chunks[part] is None:
                    tokens = None
                    break
                tokens.extend(chunks[part])
        out.append(tuple(tokens) if tokens is not None else tuple(t.text for t in tokenizer(text)))
    return out


def token_cache() -> Path | None:
    """The per-user folder keeping :func:`cached_token_texts` between runs (never the package):
    ``$KG_CACHE_DIR``, else ``$XDG_CACHE_HOME/kg`` or ``~/.cache/kg``; ``None`` without a home."""
    folder = os.environ.get("KG_CACHE_DIR")
    if not folder:
        try:
            folder = os.path.join(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache", "kg")
        except RuntimeError:
            return None
    return Path(folder)


def cached_token_texts(tokenizer: Tokenizer, texts: list[str]) -> list[tuple[str, ...]]:
    """:func:`token_texts`, reused from a file in :func:`token_cache` made for the same input.

    The file is named by a hash of ``texts``, the tokenizer's rules and regular expressions,
    the spaCy and Python versions and this module's source; a missing, unreadable or unwritable
    file only means tokenizing again. Short lists and custom tokenizers are not cached, and
    only the :data:`CACHE_FILES` most recently used files are kept.
    """
    key, folder = _cache_key(tokenizer, texts), token_cache()
    if key is None or folder is None:
        return token_texts(tokenizer, texts)
    path = folder / f"gazetteer-tokens-{key[:32]}.json"
    with contextlib.suppress(OSError, ValueError, KeyError, TypeError, AttributeError):
        data = json.loads(path.read_text(encoding="utf-8"))
        if data["key"] == key and all(isinstance(v, list) for v in data["tokens"].values()):
            cached = data["tokens"]
            with contextlib.suppress(OSError):
                os.utime(path)  # recently used: kept
            return [tuple(cached[t]) if t in cached else tuple(t.split(" ")) for t in texts]
    out = token_texts(tokenizer, texts)
    tokens = {t: list(v) for t, v in zip(texts, out, strict=True) if list(v) != t.split(" ")}
    temp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    with contextlib.suppress(OSError):
        folder.mkdir(parents=True, exist_ok=True)
        temp.write_text(json.dumps({"key": key, "tokens": tokens}), encoding="utf-8")
        os.replace(temp, path)
        old = sorted(folder.glob("gazetteer-tokens-*.json"), key=lambda f: f.stat().st_mtime)
        for stale in old[:-CACHE_FILES]:
            stale.unlink(missing_ok=True)
    with contextlib.suppress(OSError):
        temp.unlink(missing_ok=True)
    return out


def _cache_key(tokenizer: Tokenizer, texts: list[str]) -> str | None:
    """Hash of everything :func:`token_texts` depends on, or ``None`` if not cacheable."""
    if type(tokenizer) is not Tokenizer or len(texts) < CACHE_MIN_TEXTS:
        return None
    regexes = []
    for name in ("prefix_search", "suffix_search", "infix_finditer", "token_match", "url_match"):
        func = getattr(tokenizer, name)
        regex = getattr(func, "__self__", None)
        if func is not None and not isinstance(regex, re.Pattern):
            return None
        regexes.append(None if func is None else (func.__name__, regex.pattern, regex.flags))
    try:
        source = Path(__file__).read_text(encoding="utf-8")
    except OSError:
        return None
    digest = hashlib.sha256()
    for part in (
        about.__version__,
        sys.version,
        unicodedata.unidata_version,
        repr((regexes, sorted(tokenizer.rules.items()), tokenizer.faster_heuristics)),
        source,
        json.dumps(texts),
    ):
        digest.update(part.encode("utf-8", "surrogatepass") + b"\0")
    return digest.hexdigest()


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

    * lowercase terms and their variants on ``token.lower_``, and names and acronyms on
      ``token.text`` (``GLUE`` but not "glue"), matched like a ``PhraseMatcher`` on ``LOWER``
      and ``ORTH`` (all, overlapping, matches) by looking token n-grams up in dictionaries;
    * family prefixes of names ("LLaMA-2-7B", "ResNet50", "ImageNet-1k" via "LLaMA", "ResNet",
      "ImageNet"), extended over attached size/variant suffixes;
    * token patterns for cue phrases: "the X dataset/benchmark", "X model", "dataset (X)",
      sized names.
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
        #: Lowercase bases a "@k" cut-off turns into a metric (metric terms + AT_K_BASES).
        self._at_k_metrics: set[str] = set(AT_K_BASES)
        #: Per case-sensitivity: token texts of a surface -> labels, and first token -> most tokens.
        self._phrases: dict[bool, dict[tuple[str, ...], list[str]]] = {False: {}, True: {}}
        self._longest: dict[bool, dict[str, int]] = {False: {}, True: {}}
        self.matcher = Matcher(nlp.vocab)
        self._add_shape_patterns()

    # -- state -------------------------------------------------------------------------------
    def add_terms(self, terms: Iterable[Term]) -> None:
        """Add ``(label, text, case_sensitive)`` terms to the matchers."""
        terms = list(terms)
        self.terms.extend(terms)
        variants = expand(terms)
        new = [(key, label) for key, label in variants.items() if key not in self._labels]
        self._labels.update(new)
        lower = self.nlp.vocab.lex_attr_getters.get(LOWER, str.lower)
        all_tokens = cached_token_texts(self.nlp.tokenizer, [text for (text, _), _ in new])
        for ((_, case), label), tokens in zip(new, all_tokens, strict=True):
            if not tokens:
                continue
            if not case:  # compared on LOWER, as by a PhraseMatcher(attr="LOWER")
                tokens = tuple(map(lower, tokens))
            self._phrases[case].setdefault(tokens, []).append(label)
            longest = self._longest[case]
            if longest.get(tokens[0], 0) < len(tokens):
                longest[tokens[0]] = len(tokens)
        for label, text, case in terms:
            if label == "metric" and " " not in text:
                self._at_k_metrics.add(text.lower())
            family = case and label in ("model", "dataset", "method")
            if family and re.fullmatch(r"[A-Za-z]{3,}", text) and text not in self._prefixes:
                self._prefixes[text] = label
                if MIXED_CASE.fullmatch(text):  # "LLaVa" is also the family of "LLaVA-1.5"
                    self._prefixes.setdefault(text.lower(), label)

    def _add_shape_patterns(self) -> None:
        name = {"TEXT": {"REGEX": NAME_RE}}
        title = {"IS_TITLE": True, "IS_SENT_START": False, "LOWER": {"NOT_IN": LANGUAGES}}
        any_title = {"IS_TITLE": True, "IS_SENT_START": False}
        self.matcher.add("model|sized", [[{"TEXT": {"REGEX": SIZED_RE}}]])
        for label, nouns in (
            ("dataset", DATASET_NOUNS),
            ("model", MODEL_NOUNS),
            ("method", METHOD_NOUNS),
            ("metric", METRIC_NOUNS),
        ):
            cue = {"LOWER": {"IN": [n.lower() for n in nouns]}}
            self.matcher.add(f"{label}|cue", [[name, cue], [name, name, cue]])
            # "the next competitive dataset (WildVVAD)": a name in brackets after a cue noun
            self.matcher.add(f"{label}|bracket", [[cue, {"ORTH": "("}, name, {"ORTH": ")"}]])
            if label == "dataset":
                self.matcher.add(f"{label}|cue", [[{"LOWER": "the"}, title, cue]])
                # "the Long-Range Arena benchmark", "the Massive Text Embedding benchmark";
                # not in a title, where every word is capitalised
                hyphen = {"ORTH": "-"}
                self.matcher.add(
                    f"{label}|titlecue",
                    [
                        [{"LOWER": "the"}, title, title, cue],
                        [{"LOWER": "the"}, title, title, title, cue],
                        [{"LOWER": "the"}, title, hyphen, title, cue],
                        [{"LOWER": "the"}, title, hyphen, title, title, cue],
                        # "the German Traffic Sign Recognition Benchmark": four or more
                        # capitalised words, a language among them, make a name
                        [{"LOWER": "the"}, any_title, title, title, title, cue],
                        [{"LOWER": "the"}, any_title, title, title, title, title, cue],
                    ],
                )

    # -- matching ----------------------------------------------------------------------------
    def __call__(self, doc: Doc) -> Doc:
        """Find candidates in ``doc`` and store them in ``doc.spans[spans_key]``."""
        spans = self.match(doc)
        self.set_annotations(doc, spans)
        return doc

    def match(self, doc: Doc) -> list[Span]:
        """Return the typed candidate spans of ``doc`` (may overlap)."""
        strings = self.nlp.vocab.strings
        matches = self.phrase_matches(doc)
        exact = {(start, end) for start, end, _label in matches}
        spans = []
        for start, end, label in matches:
            span = extend_name(Span(doc, start, end, label=label, span_id="gaz"))
            if (span.start, span.end) == (start, end) or (span.start, span.end) not in exact:
                spans.append(span)  # else a known name is the extension: "DPM" + "-Solver"
        for token in doc:
            at_k = AT_K.match(token.text)
            if at_k and at_k.group(1).lower() in self._at_k_metrics:  # "NDCG@20", "pass@1"
                spans.append(Span(doc, token.i, token.i + 1, label="metric", span_id="gaz"))
                continue
            slash = SLASH_VARIANTS.match(token.text)
            if slash:
                name = slash.group(1)
                labels = self._phrases[True].get((name,)) or self._phrases[False].get(
                    (name.lower(),)
                )
                if labels:
                    spans += [
                        Span(doc, token.i, token.i + 1, label=lab, span_id="gaz") for lab in labels
                    ]
                    continue
            match = _SPLIT_PREFIX.match(token.text)
            prefix = match.group(1) if match else ""
            if prefix not in self._prefixes:
                prefix = prefix.lower()  # only mixed-case names are also keyed in lowercase
            if prefix in self._prefixes:
                label = self._prefixes[prefix]
                span = Span(doc, token.i, token.i + 1, label=label, span_id="family")
                spans.append(extend_name(span))
        if self.shapes:
            in_title_before = title_end(doc)
            for key, start, end in self.matcher(doc):
                label, rule = strings[key].split("|")
                if rule == "titlecue":
                    if doc[start].idx < in_title_before:
                        continue
                    rule = "cue"
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
                elif rule == "bracket":
                    start, end, rule = start + 2, end - 1, "cue"
                spans.append(extend_name(Span(doc, start, end, label=label, span_id=rule)))
            spans += head_compounds(doc)
            if self.qualities:
                spans += quality_metrics(doc)
            spans += [
                extend_left(s)
                for s in spans
                if s.label_ in ("method", "metric", "task") and s.id_ == "gaz" and s[0].is_lower
            ]
        return spans

    def phrase_matches(self, doc: Doc) -> list[tuple[int, int, str]]:
        """Return ``(start, end, label)`` for every gazetteer surface in ``doc``.

        Like a ``PhraseMatcher`` on ``LOWER`` (lowercase terms) and one on ``ORTH`` (names),
        with one match key per surface: all matches, overlapping or nested, lowercase first.
        """
        out: list[tuple[int, int, str]] = []
        for case, texts in ((False, [t.lower_ for t in doc]), (True, [t.text for t in doc])):
            phrases, longest = self._phrases[case], self._longest[case]
            for start, text in enumerate(texts):
                for end in range(start + 1, min(len(texts), start + longest.get(text, 0)) + 1):
                    for label in phrases.get(tuple(texts[start:end]), ()):
                        out.append((start, end, label))
        return out

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
