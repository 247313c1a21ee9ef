"""Type a name by how the text describes it: "FastDraft, a novel approach for ..." is a method,
"QuuxLM, a 7B language model" a model, "FooBench, a benchmark of ..." a dataset.

Guideline refinement 4: a named system the paper introduces is a method; it is a model only when
the text calls it a model or architecture. The description is the appositive or copula noun
phrase after a name ("X, a/an ...", "X is a/an ..."); its head noun (the last word before "that",
"for", "to", ...) decides. Pure functions over spaCy tokens; the resolver applies
:func:`relabel_described` to its final spans.
"""

from __future__ import annotations

import re

from spacy.tokens import Doc, Span

from kg.gazetteer import words

#: Head nouns that make a described name a model or a dataset; any other head makes it a method.
HEAD_LABELS: dict[str, frozenset[str]] = {
    "model": frozenset(
        words(
            """model models llm llms lm lms slm slms vlm vlms mllm mllms lmm lmms
            architecture architectures network networks transformer transformers encoder
            encoders decoder decoders backbone backbones autoencoder detector classifier
            chatbot"""
        )
    ),
    "dataset": frozenset(
        words(
            """dataset datasets benchmark benchmarks corpus corpora testbed testbeds leaderboard
            collection"""
        )
    ),
}
#: Heads that say nothing about the type: the description is left undecided.
NEUTRAL_HEADS = frozenset(words("metric measure score task problem suite tool toolkit library"))
#: Heads followed by "of": the head is the noun after "of" ("a family of open LLMs").
OF_HEADS = frozenset(words("family series set variant version suite collection class"))
#: Words that end the description's noun phrase.
STOP_WORDS = frozenset(
    words(
        """that which who for to with by in on of from via using based trained designed
        where whose and or but than as ( ) , . ; :"""
    )
)
ARTICLES = frozenset(words("a an"))
COPULAS = frozenset(words("is are was"))
#: Labels a description may change (metrics and tasks keep theirs).
RETYPED = ("model", "method", "dataset")
MAX_PHRASE = 7


def description_head(doc: Doc, end: int) -> str | None:
    """The head noun of the description right after token ``end`` ("X, a novel approach
    for ..." -> "approach"), or None when no "," / "is" + "a"/"an" follows."""
    i = end
    if i < len(doc) and (doc[i].text == "," or doc[i].lower_ in COPULAS):
        i += 1
    else:
        return None
    if i >= len(doc) or doc[i].lower_ not in ARTICLES:
        return None
    head = None
    for tok in doc[i + 1 : i + 1 + MAX_PHRASE]:
        low = tok.lower_
        if low == "of" and head in OF_HEADS:
            head = None
            continue
        if low in STOP_WORDS and low not in ("and", "or") or tok.is_sent_start:
            break
        if low in ("and", "or"):  # "a novel and efficient approach": adjectives only
            continue
        if tok.is_alpha:
            head = low
    return head


def described_label(doc: Doc, text: str) -> str | None:
    """The label the text's description of ``text`` gives it (first description wins);
    None when no occurrence is followed by one, or its head is neutral."""
    for match in re.finditer(r"(?<![\w-])" + re.escape(text) + r"(?![\w-])", doc.text):
        span = doc.char_span(match.start(), match.end())
        if span is None:
            continue
        head = description_head(doc, span.end)
        if head is None:
            continue
        if head in NEUTRAL_HEADS:
            return None
        for label, heads in HEAD_LABELS.items():
            if head in heads:
                return label
        return "method"
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
                new = Span(doc, span.start, span.end, label=label, span_id=span.id_)
                new._.kg_long_form = span._.kg_long_form
                span = new
        out.append(span)
    return out
