"""Resolve candidates into final entities: filter generic phrases, prefer longest spans,
propagate names to their other occurrences, and flag entities the paper proposes."""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

from spacy.language import Language
from spacy.tokens import Doc, Span

from kg.gazetteer import expand, load_terms
from kg.pipes.boundaries import respan, trim_head, whole_words, with_modifier
from kg.pipes.cues import PROPOSE_VERBS
from kg.pipes.describe import NAMING_WORDS, naming_label, relabel_described
from kg.pipes.generic import form, is_generic, only_modifiers
from kg.pipes.lists import LIST_GLUE, closed_list_names, example_names, sibling_labels
from kg.pipes.qualities import unreported_qualities
from kg.pipes.ruler import CANDIDATES_KEY, NAME_RE
from kg.pipes.sentences import doc_text, occurrences
from kg.records import LABELS

if not Span.has_extension("kg_proposed"):
    Span.set_extension("kg_proposed", default=False)
if not Span.has_extension("kg_long_form"):
    Span.set_extension("kg_long_form", default=None)

ENTS_KEY = "kg"
#: Rule priority when two candidates cover the same tokens (lower wins).
SOURCE_RANK = {
    "abbrev": 0,
    "gaz": 1,
    "lex": 1,
    "title": 2,
    "family": 3,
    "cue": 4,
    "sized": 5,
    "compound": 6,
    "quality": 6,
    "list": 7,
    "ner": 8,
}


NOVEL_WORDS = frozenset(["novel", "new", "first", "simple", "unified"])
LABEL_CUES = {
    "model": {
        "model",
        "models",
        "llm",
        "llms",
        "architecture",
        "network",
        "transformer",
        "encoder",
    },
    "dataset": {"dataset", "benchmark", "corpus", "suite", "collection", "testbed", "leaderboard"},
    "method": {"method", "framework", "approach", "algorithm", "technique", "strategy", "pipeline"},
}


#: How NER candidates (span id ``ner``) combine with rule candidates: ``union`` (one pool,
#: longest first), ``fill`` (rules first, the NER fills the gaps), ``prefer`` (NER first,
#: rules fill the gaps).
NER_MODES = ("union", "fill", "prefer")


@Language.factory(
    "kg_entity_resolver",
    default_config={"spans_key": CANDIDATES_KEY, "ner_mode": "union", "rules_first": ["dataset"]},
)
def make_resolver(
    nlp: Language, name: str, spans_key: str, ner_mode: str, rules_first: list[str]
) -> EntityResolver:
    """Create an :class:`EntityResolver`."""
    return EntityResolver(name, spans_key, ner_mode, rules_first)


class EntityResolver:
    """Turn ``doc.spans[spans_key]`` candidates into ``doc.spans["kg"]`` and ``doc.ents``."""

    def __init__(
        self,
        name: str = "kg_entity_resolver",
        spans_key: str = CANDIDATES_KEY,
        ner_mode: str = "union",
        rules_first: Iterable[str] = ("dataset",),
    ) -> None:
        if ner_mode not in NER_MODES:
            raise ValueError(f"ner_mode must be one of {NER_MODES}, not {ner_mode!r}")
        self.name = name
        self.spans_key = spans_key
        self.ner_mode = ner_mode
        #: Labels whose rule candidates are taken before any other candidate.
        self.rules_first = frozenset(rules_first)

    def __call__(self, doc: Doc) -> Doc:
        """Resolve the candidates of ``doc``."""
        cands = list(doc.spans[self.spans_key]) if self.spans_key in doc.spans else []
        cands += title_name(doc, cands)
        cands += proposal_names(doc, cands)
        cands = [whole_words(c) for c in cands]
        cands = [c for c in cands if not is_generic(c)]
        known = {(c.start, c.end): c.label_ for c in cands if c.id_ in ("gaz", "lex", "abbrev")}
        cands = [
            c for c in cands if c.id_ != "cue" or known.get((c.start, c.end), c.label_) == c.label_
        ]
        # the text's own definition outranks a gazetteer dataset: "Ordinal Classification
        # (OC)" makes every "OC" a task, whatever the gazetteer's dataset OC
        defined = {(c.start, c.end): c.label_ for c in cands if c.id_ == "abbrev"}
        first = [
            c
            for c in cands
            if c.id_ != "ner"
            and c.label_ in self.rules_first
            and defined.get((c.start, c.end), c.label_) == c.label_
        ]
        first = select(first) if first else []
        cands = [c for c in cands if c.id_ == "ner" or c.label_ not in self.rules_first]
        ner = [c for c in cands if c.id_ == "ner"]
        rules = [c for c in cands if c.id_ != "ner"]
        if self.ner_mode == "fill":
            chosen = fill(select(rules), ner)
        elif self.ner_mode == "prefer":
            chosen = fill(select(ner), rules)
        else:
            chosen = select(cands)
        if first:
            chosen = fill(first, chosen)
        chosen = select(chosen + propagate(doc, chosen))
        chosen = select(chosen + coordinated(doc, chosen))
        chosen = select(chosen + sandwiched(doc, chosen))
        for names in (example_names, closed_list_names):  # list items pass the same checks
            chosen = select(chosen + [s for s in names(doc, chosen) if not is_generic(s)])
        trimmed = [trim_head(span) for span in chosen]  # "deep learning based (approach)"
        chosen = unreported_qualities(doc, [span for span in trimmed if not is_generic(span)])
        taken = {i for span in chosen for i in range(span.start, span.end)}
        chosen = [with_modifier(span, taken) for span in chosen]
        chosen = only_modifiers(doc, chosen)
        chosen = known_prefix_labels(chosen, cands)
        chosen = vote_labels(
            sibling_labels(doc, chosen, lambda s: name_like(s) and not known_term(s.text))
        )
        self.set_annotations(doc, relabel_described(doc, chosen, name_like))
        return doc

    def set_annotations(self, doc: Doc, spans: list[Span]) -> None:
        """Store the final spans and flag proposed ones."""
        doc.ents = spans
        proposed = {s.text for s in spans if is_proposed(s)}
        for span in spans:
            span._.kg_proposed = span.text in proposed
        doc.spans[ENTS_KEY] = spans


def select(spans) -> list[Span]:  # noqa: ANN001 - any iterable of spans
    """Greedy longest-first selection of non-overlapping spans, returned in text order."""
    ranked = sorted(
        spans,
        key=lambda s: (
            -(s.end - s.start),
            SOURCE_RANK.get(s.id_, 9),
            s.start,
            LABELS.index(s.label_) if s.label_ in LABELS else 9,
        ),
    )
    taken: set[int] = set()
    out: list[Span] = []
    for span in ranked:
        if taken.isdisjoint(range(span.start, span.end)):
            taken.update(range(span.start, span.end))
            out.append(span)
    return sorted(out, key=lambda s: s.start)


def known_prefix_labels(spans: list[Span], cands: list[Span]) -> list[Span]:
    """Give an NER name that extends a gazetteer name with a hyphenated suffix the
    gazetteer's label ("DeepSeek-R1-Zero" is a model like "DeepSeek-R1")."""
    known = {
        c.start: (c.end, c.label_)
        for c in cands
        if c.id_ in ("gaz", "family") and c[0].text[:1].isupper()
    }
    out = []
    for span in spans:
        end, label = known.get(span.start, (span.end, span.label_))
        if (
            span.id_ == "ner"
            and label != span.label_
            and end < span.end - 1
            and span.doc[end].text == "-"
            and " " not in span.text
            and not span.doc[end + 1].is_lower
        ):
            span = respan(span, label=label)
        out.append(span)
    return out


def vote_labels(spans: list[Span]) -> list[Span]:
    """Give every occurrence of a form in the document one label: the most frequent one
    (ties: rule labels before NER labels, then the first occurrence)."""
    votes: dict[str, dict[str, float]] = {}
    for i, span in enumerate(spans):
        tally = votes.setdefault(form(span.text), {})
        weight = 1.0 if span.id_ == "ner" else 1.01
        tally[span.label_] = tally.get(span.label_, -i * 1e-6) + weight
    out = []
    for span in spans:
        tally = votes[form(span.text)]
        label = max(tally, key=tally.__getitem__)
        if label != span.label_:
            span = respan(span, label=label)
        out.append(span)
    return out


def fill(first: list[Span], second: list[Span]) -> list[Span]:
    """``first`` plus the best non-overlapping selection of ``second`` spans that do not
    overlap ``first``."""
    taken = {i for s in first for i in range(s.start, s.end)}
    rest = [s for s in second if taken.isdisjoint(range(s.start, s.end))]
    return sorted(first + select(rest), key=lambda s: s.start)


def name_like(span: Span) -> bool:
    """True when the span is a name (has a capital after its first char, or a digit)."""
    return any(re.match(NAME_RE, t.text) for t in span) or any(c.isdigit() for c in span.text)


def propagate(doc: Doc, spans: list[Span]) -> list[Span]:
    """Label other exact occurrences of name-like entities ("CrisisTransformers")."""
    names = {s.text: s.label_ for s in spans if name_like(s) and len(s) <= 4}
    single = {t: lab for t, lab in names.items() if " " not in t and "-" not in t}
    out = [
        Span(doc, tok.i, tok.i + 1, label=single[tok.text], span_id="family")
        for tok in doc
        if tok.text in single
    ]
    for text, label in names.items():
        if text in single:
            continue
        out += occurrences(doc, text, label, "family")
    return out


def sent_start(doc: Doc, i: int, limit: int) -> int:
    """Start of a window of at most ``limit`` tokens before ``i`` within i's sentence."""
    start = max(0, i - limit)
    for k in range(i, start, -1):
        if doc[k].is_sent_start:
            return k
    return start


def coordinated(doc: Doc, spans: list[Span]) -> list[Span]:
    """Give unknown names in a list the label of a known neighbour ("TinyLlama, StableLM and
    Llama-2" -> all models)."""
    taken = {i for s in spans for i in range(s.start, s.end)}
    out: list[Span] = []
    queue = [s for s in spans if s.label_ in ("model", "dataset") and name_like(s)]
    while queue:
        span = queue.pop()
        for step in (1, -1):
            i = span.end if step == 1 else span.start - 1
            gap = 0
            while 0 <= i < len(doc) and doc[i].lower_ in LIST_GLUE and gap < 2:
                i += step
                gap += 1
            if not gap or not (0 <= i < len(doc)) or i in taken:
                continue
            tok = doc[i]
            if tok.is_sent_start:
                continue
            if not re.match(NAME_RE, tok.text) and not (
                step == 1 and tok.is_title and closes_list(doc, span, i, spans + out)
            ):
                continue
            end = i + 1
            while end + 1 < len(doc) and doc[end].text == "-" and not doc[end - 1].whitespace_:
                if doc[end].whitespace_ or not doc[end + 1].is_alpha:
                    break
                end += 2  # "Human-eval"
            if taken.intersection(range(i, end)):
                continue
            new = Span(doc, i, end, label=span.label_, span_id="list")
            taken.update(range(i, end))
            out.append(new)
            queue.append(new)
    return out


def closes_list(doc: Doc, span: Span, i: int, spans: list[Span]) -> bool:
    """True when token ``i`` ends a list ("ELMo, BERT and Flair") after ``span`` and another
    name of its label: "and"/"or" before it, a comma before ``span``, and no lowercase noun
    after it ("GPT-4, Claude and Human evaluation")."""
    if not any(t.lower_ in ("and", "or") for t in doc[span.end : i]):
        return False
    if i + 1 < len(doc) and doc[i + 1].is_lower and doc[i + 1].is_alpha and not doc[i + 1].is_stop:
        return False
    before = span.start - 1
    return (
        before > 0
        and doc[before].text == ","
        and any(s.end == before and s.label_ == span.label_ for s in spans)
    )


def sandwiched(doc: Doc, spans: list[Span]) -> list[Span]:
    """Capitalised words listed between two names of one label take that label ("FEMNIST,
    Shakespeare and CIFAR-10" -> "Shakespeare" is a dataset too)."""
    named = sorted(
        (s for s in spans if s.label_ in ("model", "dataset") and name_like(s)),
        key=lambda s: s.start,
    )
    taken = {i for s in spans for i in range(s.start, s.end)}
    out: list[Span] = []
    for left, right in zip(named, named[1:], strict=False):
        if left.label_ != right.label_ or not 3 <= right.start - left.end <= 6:
            continue
        between = doc[left.end : right.start]
        words_ = [t for t in between if t.lower_ not in LIST_GLUE]
        if not words_ or len(words_) > 2 or between[0].lower_ not in LIST_GLUE:
            continue
        if between[-1].lower_ not in LIST_GLUE or taken.intersection(range(left.end, right.start)):
            continue
        first, last = words_[0].i, words_[-1].i
        if last - first + 1 != len(words_) or not all(t.is_title and t.is_alpha for t in words_):
            continue
        out.append(Span(doc, first, last + 1, label=left.label_, span_id="list"))
    return out


def proposal_names(doc: Doc, cands: list[Span]) -> list[Span]:
    """New names introduced by a cue ("we propose FooNet", "called X", "X, a novel ...")."""
    taken = {i for c in cands for i in range(c.start, c.end)}
    out = []
    for tok in doc:
        if tok.i in taken:
            continue
        shaped = re.match(NAME_RE, tok.text)
        # "a framework named Zapper", "a new model architecture, namely PiSLTRc"
        named = naming_label(doc, tok.i) if tok.is_title or shaped else None
        if not (named or shaped):
            continue
        end = tok.i + 1
        while end + 1 < len(doc) and doc[end].text == "-" and not doc[end - 1].whitespace_:
            if doc[end].whitespace_ or not doc[end + 1].is_alpha:
                break
            end += 2
        before = [t.lower_ for t in doc[sent_start(doc, tok.i, 3) : tok.i]]
        before = [w for w in before if w not in ("a", "an", "the", "novel", "new", "our")]
        after = [t.lower_ for t in doc[end : end + 3]]
        cue = bool(before) and (before[-1] in PROPOSE_VERBS or before[-1] in NAMING_WORDS)
        cue = cue or (
            after[:2] in ([",", "a"], [",", "an"]) and after[2:] and after[2] in NOVEL_WORDS
        )
        if cue:
            label = named or infer_label(doc, doc[tok.i : end].text)
            out.append(Span(doc, tok.i, end, label=label, span_id="title"))
    return out


def title_name(doc: Doc, cands: list[Span]) -> list[Span]:
    """The name before a colon that opens the first sentence ("PELA: Learning ...")."""
    colon = next((t.i for t in doc[:6] if t.text == ":"), None)
    if not colon:
        return []
    head = doc[:colon]
    for cand in cands:
        if cand.start == 0 and cand.end == colon and cand.id_ != "ner":
            return [Span(doc, 0, colon, label=cand.label_, span_id="title")]
    if len(head) > 3 or head[0].is_stop or not (name_like(head) or _capitalised_in_text(head)):
        return []
    return [Span(doc, 0, colon, label=infer_label(doc, head.text), span_id="title")]


def _capitalised_in_text(head: Span) -> bool:
    """True when a title's words before the colon, all capitalised ("Model Breadcrumbs"),
    recur capitalised inside a later sentence: a name, not a title's phrase ("No More Adam")."""
    if len(head) < 2 or not all(t.is_title or t.is_punct for t in head):
        return False
    return any(
        not span[0].is_sent_start and span.start > head.end
        for span in occurrences(head.doc, head.text)
    )


def infer_label(doc: Doc, name: str) -> str:
    """Guess the label of a new name from nearby cue nouns ("X, a ... model"); default method."""
    for match in re.finditer(re.escape(name), doc_text(doc)):
        span = doc.char_span(match.start(), match.end(), alignment_mode="expand")
        if span is None:
            continue
        window = [t.lower_ for t in doc[span.end : span.end + 8]]
        window += [t.lower_ for t in doc[max(0, span.start - 2) : span.start]]
        for label in ("dataset", "model", "method"):
            cue = any(w in LABEL_CUES[label] for w in window[:8])
            if cue and (label != "model" or doc[span.end : span.end + 1].text in (",", "is")):
                return label
    return "method"


@lru_cache(maxsize=1)
def _known_forms() -> frozenset[str]:
    return frozenset(text.lower() for text, _case in expand(load_terms()))


def known_term(text: str) -> bool:
    """True when ``text`` is a gazetteer term in any of its spellings (any case)."""
    return text.lower() in _known_forms()


def is_proposed(span: Span) -> bool:
    """Proposal cues: title "X: ...", "we propose X", "X, a novel ...", "called X"; a name
    the gazetteer knows is proposed only by the title."""
    doc = span.doc
    if span.id_ == "title" or (
        span.start == 0 and span.end < len(doc) and doc[span.end].text == ":"
    ):
        return True
    if not name_like(span) or span.label_ in ("metric", "task"):
        return False
    if known_term(span.text) or (span._.kg_long_form and known_term(span._.kg_long_form)):
        return False  # "S4", "LLMs" of "Large Language Models": known, not proposed here
    before = doc[sent_start(doc, span.start, 6) : span.start]
    if before and before[-1].lower_ in NAMING_WORDS:
        return True
    if any(t.lower_ in PROPOSE_VERBS for t in before) and not any(
        t.ent_type_ or t.text in ".;" for t in before
    ):
        return True
    after = [t.lower_ for t in doc[span.end : span.end + 4]]
    return (
        len(after) >= 3 and after[0] == "," and after[1] in ("a", "an") and after[2] in NOVEL_WORDS
    )
