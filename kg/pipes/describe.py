"""Type a name by how the text describes it: "FastDraft, a novel approach for ..." is a method,
"QuuxLM, a 7B language model" a model, "FooBench, a benchmark of ..." a dataset.

Guideline refinement 4: a named system the paper introduces is a method; it is a model only when
the text calls it a model or architecture. The description is the appositive or copula noun
phrase after a name ("X, a/an ...", "X is a/an ..."); its first cue noun ("model",
"framework", "benchmark", ...) decides, and a description without one makes a method.
Pure functions over spaCy tokens; the resolver applies :func:`relabel_described` to its final
spans.
"""

from __future__ import annotations

import re

from spacy.tokens import Doc, Span

from kg.gazetteer import words
from kg.pipes.boundaries import respan

#: Cue nouns of a description and the label they give a name; the first cue in the
#: description decides ("a framework to train models": method).
HEAD_LABELS: dict[str, frozenset[str]] = {
    "model": frozenset(
        words(
            """model models llm llms lm lms slm slms vlm vlms mllm mllms lmm lmms
            architecture architectures network networks transformer transformers encoder
            encoders decoder decoders backbone backbones autoencoder detector classifier
            chatbot experts moe"""
        )
    ),
    "dataset": frozenset(
        words(
            """dataset datasets benchmark benchmarks corpus corpora testbed testbeds leaderboard
            collection"""
        )
    ),
    "method": frozenset(
        words(
            """method methods approach approaches framework frameworks algorithm algorithms
            technique techniques strategy strategies pipeline pipelines paradigm scheme
            mechanism module procedure recipe system agent"""
        )
    ),
}
#: Cue nouns that say nothing about the type: the description is left undecided.
NEUTRAL_HEADS = frozenset(words("metric measure score task problem tool toolkit library"))
#: Nouns followed by "of" that pass the decision on ("a family of open LLMs").
OF_HEADS = frozenset(
    words("""family series set variant version suite class ensemble kind type group mixture""")
)
#: Words that end the description's noun phrase (unless inside a hyphen compound).
STOP_WORDS = frozenset(
    words(
        """that which who for to with by in on of from via using based trained designed
        where whose but than as ) , . ; :"""
    )
)
ARTICLES = frozenset(words("a an"))
COPULAS = frozenset(words("is are was"))
#: Labels a description may change (metrics and tasks keep theirs).
RETYPED = ("model", "method", "dataset")
MAX_PHRASE = 14


def _in_compound(doc: Doc, i: int) -> bool:
    """True when token ``i`` is joined by a hyphen to the next or previous token."""
    nxt = i + 1 < len(doc) and doc[i + 1].text == "-" and not doc[i].whitespace_
    prev = i > 0 and doc[i - 1].text == "-" and not doc[i - 1].whitespace_
    return nxt or prev


def description_label(doc: Doc, end: int) -> str | None:
    """The label the description right after token ``end`` gives a name ("X, a novel
    approach for ..." -> "method", "X, a bilingual (English and Chinese) pre-trained language
    model" -> "model"); "method" when the description has no cue noun (guideline 4); ``""``
    for a neutral cue; None when no "," / "is" + "a"/"an" follows."""
    i = end
    if i < len(doc) and (doc[i].text == "," or doc[i].lower_ in COPULAS):
        i += 1
    else:
        return None
    if i >= len(doc) or doc[i].lower_ not in ARTICLES:
        return None
    last, depth = None, 0
    for k in range(i + 1, min(len(doc), i + 1 + MAX_PHRASE)):
        tok, low = doc[k], doc[k].lower_
        if tok.is_sent_start:
            break
        if low == "(":
            depth += 1
        if depth:  # skip "(English and Chinese)"
            depth -= low == ")"
            continue
        if _in_compound(doc, k) or low == "-":  # "pre-trained", "many-to-English"
            continue
        if low == "of" and last in OF_HEADS:
            continue
        if low in STOP_WORDS:
            break
        if _modifies_next(doc, k):  # "a model compression scheme": "model" is not the head
            last = low
            continue
        if low in NEUTRAL_HEADS:
            return ""
        for label, heads in HEAD_LABELS.items():
            if low in heads:
                return label
        if tok.is_alpha:
            last = low
    return "method"


def _modifies_next(doc: Doc, k: int) -> bool:
    """True when token ``k`` modifies a following noun of the same noun phrase: the next
    token is a lowercase-or-capitalised word, not a function word and not a participle
    ("a model trained on ..." ends the phrase at "model")."""
    if k + 1 >= len(doc) or not doc[k].whitespace_:
        return False
    nxt = doc[k + 1]
    low = nxt.lower_
    if not nxt.is_alpha or low in STOP_WORDS or low in ("and", "or") or nxt.is_sent_start:
        return False
    return not low.endswith(("ed", "ing")) and not nxt.is_stop


def described_label(doc: Doc, text: str) -> str | None:
    """The label the text's description of ``text`` gives it (first description wins);
    None when no occurrence is followed by one, or its cue is neutral."""
    for match in re.finditer(r"(?<![\w-])" + re.escape(text) + r"(?![\w-])", doc.text):
        span = doc.char_span(match.start(), match.end())
        if span is None:
            continue
        label = description_label(doc, span.end)
        if label is not None:
            return label or None
    return None


#: Names of networks: "SyncNet", "ResNets", "U-Net" are models (named architectures).
NET_NAME = re.compile(r"[a-z0-9]-?Nets?(?:-?\d+)?$")


def name_label(doc: Doc, text: str, label: str) -> str | None:
    """The label the text implies for the name ``text`` (now typed ``label``): its description,
    else "model" for a method named like a network ("SyncNet"; not the dataset "ImageNet"),
    else None."""
    described = described_label(doc, text)
    if described is not None:
        return described
    if label == "method" and NET_NAME.search(text):
        return "model"
    return None


def relabel_described(doc: Doc, spans: list[Span], name_like) -> list[Span]:  # noqa: ANN001
    """Give every name-like model/method/dataset span the label :func:`name_label` gives it.

    ``name_like`` tells names ("FastDraft") from phrases; only names are retyped, all
    occurrences of a name the same way.
    """
    labels: dict[str, str | None] = {}
    out = []
    for span in spans:
        if span.label_ in RETYPED and name_like(span):
            if span.text not in labels:
                labels[span.text] = name_label(doc, span.text, span.label_)
            label = labels[span.text]
            if label and label != span.label_:
                span = respan(span, label=label)
        out.append(span)
    return out
