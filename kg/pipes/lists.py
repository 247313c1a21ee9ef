"""Names in lists: "benchmarks such as X and Y" and "the X, Y and Z datasets" make datasets,
"LLMs including X" models. Pure functions over spaCy tokens; the resolver adds the names
:func:`example_names` and :func:`closed_list_names` find, and
:func:`kg.pipes.describe.relabel_described` types listed names by :func:`listed_label` and
:func:`closed_list_items`."""

from __future__ import annotations

from collections.abc import Callable

from spacy.tokens import Doc, Span

from kg.gazetteer import name_forms, words
from kg.pipes.boundaries import respan
from kg.pipes.cues import HEAD_LABELS

#: Tokens that join the items of a list ("A, B and C", "A/B", "A vs. B").
LIST_GLUE = frozenset({",", "and", "or", "/", "|", "vs", "vs."})
#: Words that introduce examples of a kind: "benchmarks such as X and Y", "benchmarks: X, Y".
EXAMPLE_WORDS = (
    ("such", "as"),
    ("including",),
    ("like",),
    ("e.g.",),
    ("e.g", "."),
    ("e.g.", ","),
    (":",),
)
#: Last words of :data:`EXAMPLE_WORDS` (a quick test before comparing whole phrases).
_EXAMPLE_ENDS = frozenset(example[-1] for example in EXAMPLE_WORDS)


def _example_start(doc: Doc, i: int) -> int | None:
    """Index of the first token of example words ending at token ``i``, else None."""
    if doc[i].lower_ not in _EXAMPLE_ENDS:
        return None
    for example in EXAMPLE_WORDS:
        first = i - len(example) + 1
        if first > 0 and all(doc[first + k].lower_ == w for k, w in enumerate(example)):
            return first
    return None


def _kind_before(doc: Doc, first: int) -> str | None:
    """The kind, "dataset" or "model", that a plural cue noun before example words starting
    at ``first`` names ("benchmarks such as", "LLMs, including", "models (e.g.", and
    "benchmarks:" for datasets only), else None."""
    cue = doc[first - 1]
    if cue.text in (",", "(") and first > 1:
        cue = doc[first - 2]
    # after a colon only data ("benchmarks: X, Y"; a title's "Diffusion Models: Applications")
    kinds = ("dataset",) if doc[first].text == ":" else ("dataset", "model")
    for label in kinds:
        if cue.lower_ in HEAD_LABELS[label] and cue.lower_.endswith("s"):
            return label
    return None


#: Tokens allowed between the example words and a listed name ("X, Y, and the Z").
EXAMPLE_GLUE = frozenset(words("and or , the ( )"))


def listed_label(doc: Doc, start: int, end: int, window: int = 12) -> str | None:
    """The label of the kind a name (tokens ``start:end``) is listed as an example of:
    "benchmarks such as Video-MME and MVBench" -> "dataset" for both names; "LLMs including
    X" -> "model". Only dataset and model kinds count ("methods such as BERT" does not make
    BERT a method). None when the name is not an item of such a list: it must follow the
    example words directly, follow "and"/"or", or be followed by "," / "and" / "or" / ")".
    """
    following = doc[end].lower_ if end < len(doc) else ""
    item = following in (",", "and", "or", ")")
    i, depth = start - 1, 0
    lowest = max(0, start - window)
    while i >= lowest and not doc[i + 1].is_sent_start:
        tok = doc[i]
        first = _example_start(doc, i)
        if first is not None:
            if depth or not (item or i == start - 1):
                return None
            return _kind_before(doc, first)
        if not (tok.lower_ in EXAMPLE_GLUE or capitalised(tok.text) or tok.text == "-"):
            return None
        depth += (tok.text == ")") - (tok.text == "(" and depth > 0)
        item = item or tok.lower_ in ("and", "or")
        i -= 1
    return None


def example_names(doc: Doc, spans: list[Span], max_items: int = 8) -> list[Span]:
    """New spans for the names listed after "datasets such as" / "LLMs including" ... that no
    span in ``spans`` covers ("node classification benchmarks including Chameleon, Squirrel
    and Actor" -> three datasets). A name is a run of capitalised or digit-bearing tokens
    (hyphens inside); the list ends at the first other word."""
    taken = {i for s in spans for i in range(s.start, s.end)}
    out: list[Span] = []
    for i in range(1, len(doc)):
        first = _example_start(doc, i)
        label = _kind_before(doc, first) if first is not None else None
        if label is None:
            continue
        k, items = i + 1, 0
        while k < len(doc) and items < max_items and not doc[k].is_sent_start:
            start = k
            while k < len(doc) and (_named(doc[k]) or (doc[k].text == "-" and k > start)):
                k += 1
            if k == start and doc[k].is_lower and doc[k].lower_ in name_forms():
                k += 1  # "(such as Winogrande, Hellaswag, arc, boolq and piqa)"
            if k == start or doc[start].text in NOT_NAMES:
                break
            if taken.isdisjoint(range(start, k)):
                out.append(Span(doc, start, k, label=label, span_id="list"))
                taken.update(range(start, k))
            items += 1
            while k < len(doc) and doc[k].lower_ in ("and", "or", ",", "the"):
                k += 1
    return out


#: Plural nouns that close a list of dataset names ("the ETTh1, Weather and Electricity
#: datasets").
LIST_CLOSERS = frozenset(words("datasets benchmarks corpora databases"))
#: Capitalised words that describe data rather than name it ("Chinese and English datasets").
DATA_ADJECTIVES = frozenset(
    words(
        """English Chinese French German Spanish Japanese Korean Arabic Russian Hindi Italian
        Portuguese Multilingual Monolingual Large Small Medium Big Tiny Public Private Synthetic
        Real Several Various Multiple Other New Existing Standard Popular"""
    )
)


def closed_list_names(doc: Doc, spans: list[Span], max_items: int = 8) -> list[Span]:
    """New dataset spans for the capitalised names of a list that a plural dataset noun closes
    ("ETTh1, Weather and Electricity datasets" -> "Weather", "Electricity"); at least two
    names, none covered by a span in ``spans``."""
    taken = {i for s in spans for i in range(s.start, s.end)}
    out: list[Span] = []
    for start, end in closed_list_items(doc, max_items):
        if taken.isdisjoint(range(start, end)):
            out.append(Span(doc, start, end, label="dataset", span_id="list"))
            taken.update(range(start, end))
    return out


def closed_list_items(doc: Doc, max_items: int = 8) -> list[tuple[int, int]]:
    """Token extents of the capitalised names in lists of two or more that a plural dataset
    noun closes ("on the OuluVS2, CUAVE and AVLetters databases"), also after up to two
    lowercase words ("DMLab, Minecraft and Habitat prediction benchmarks")."""
    found: list[tuple[int, int]] = []
    for j, tok in enumerate(doc):
        if tok.lower_ not in LIST_CLOSERS:
            continue
        items: list[tuple[int, int]] = []
        k = j - 1
        for _ in range(2):  # "DMLab, Minecraft and Habitat prediction benchmarks"
            if k > 0 and doc[k].is_lower and doc[k].is_alpha and not doc[k].is_stop:
                k -= 1
        while k >= 0 and len(items) < max_items:
            end = k + 1
            while k >= 0 and (_named(doc[k]) or (doc[k].text == "-" and k < end - 1)):
                k -= 1
            if k + 1 == end or doc[k + 1].text in NOT_NAMES or doc[k + 1].text in DATA_ADJECTIVES:
                break
            items.append((k + 1, end))
            if k < 0 or doc[k].lower_ not in ("and", "or", ","):
                break
            while k >= 0 and doc[k].lower_ in ("and", "or", ","):
                k -= 1
        if len(items) >= 2:
            found.extend(items)
    return found


#: Capitalised words that start references, not names ("Table 1").
NOT_NAMES = frozenset(words("Table Tables Figure Figures Fig Section Appendix Eq Equation"))


def capitalised(text: str) -> bool:
    """True when ``text`` has a capital or a digit, as names do ("Weather", "7B", "pi0")."""
    return any(c.isupper() or c.isdigit() for c in text)


def _named(tok) -> bool:  # noqa: ANN001
    return capitalised(tok.text) and not tok.is_sent_start


def sibling_labels(doc: Doc, spans: list[Span], unknown_name: Callable[[Span], bool]) -> list[Span]:
    """Give the one odd name of a list of three or more names the label all the others share
    ("FedProx, FedCurv and FedCL": FedCurv is a method like the others; "SVM, LR, NBM, and
    BERT": NBM is a model). Only one-word names ``unknown_name`` accepts (names no gazetteer
    knows) are retyped, every occurrence."""
    ordered = sorted(spans, key=lambda s: s.start)
    runs: list[list[Span]] = []
    for span in ordered:
        if runs and 0 < span.start - runs[-1][-1].end <= 2:
            gap = doc[runs[-1][-1].end : span.start]
            if all(t.lower_ in LIST_GLUE and t.text not in ("/", "|") for t in gap):
                runs[-1].append(span)
                continue
        runs.append([span])
    relabel: dict[str, str] = {}
    for run in runs:
        for odd in run:
            others = {s.label_ for s in run if s is not odd}
            if len(run) < 3 or len(others) != 1 or odd.label_ in others:
                continue
            label, names = others.pop(), ("model", "method", "dataset")
            one_word = " " not in odd.text and unknown_name(odd)
            if odd.label_ in names and label in names and one_word:
                relabel[odd.text] = label
    return [
        respan(s, label=relabel[s.text]) if s.label_ != "metric" and s.text in relabel else s
        for s in spans
    ]
