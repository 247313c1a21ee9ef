"""Type a name by how the text describes it: "FastDraft, a novel approach for ..." is a method,
"QuuxLM, a 7B language model" a model, "FooBench, a benchmark of ..." a dataset; and by the list
it stands in (:mod:`kg.pipes.lists`): "benchmarks such as X and Y" are datasets, "LLMs including
X" models.

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
from kg.pipes.cues import HEAD_LABELS
from kg.pipes.lists import capitalised, closed_list_items, listed_label
from kg.pipes.sentences import occurrences

#: Cue nouns that say nothing about the type: the description is left undecided.
NEUTRAL_HEADS = frozenset(words("metric measure score task problem tool toolkit library"))
#: Nouns followed by "of" that pass the decision on ("a family of open LLMs").
OF_HEADS = frozenset(
    words(
        """family series set variant version suite class ensemble kind type group mixture
        collection"""
    )
)
#: Words that end the description's noun phrase (unless inside a hyphen compound).
STOP_WORDS = frozenset(
    words(
        """that which who for to with by in on of from via using based trained designed
        where whose but than as ) , . ; :"""
    )
)
#: Nouns ending in "-ly" (other such words are adverbs and end a noun phrase).
LY_NOUNS = frozenset(words("family families anomaly anomalies assembly supply"))
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


def description_label(doc: Doc, end: int, default: str | None = "method") -> str | None:
    """The label the description right after token ``end`` gives a name ("X, a novel
    approach for ..." -> "method", "X, a bilingual (English and Chinese) pre-trained language
    model" -> "model", "Long Name (LN), a ... method" -> "method"); "method" when the
    description has no cue noun (guideline 4; ``default``); ``""`` for a neutral cue; None
    when no "," / "is" + "a"/"an" follows."""
    i = end
    if i + 2 < len(doc) and doc[i].text == "(" and doc[i + 2].text == ")":
        i += 3  # "Sparse Mixture of Adapters (SMoA), a ... method"
    elif i < len(doc) and doc[i].text == ")" and i >= 2 and doc[i - 2].text == "(":
        i += 1  # the acronym "SMoA" of "... (SMoA), a ... method"
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
        if low in OF_HEADS and k + 1 < len(doc) and doc[k + 1].lower_ == "of":
            last = low  # "a collection of small editing networks": the networks decide
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
    return default


def _modifies_next(doc: Doc, k: int) -> bool:
    """True when token ``k`` modifies a following noun of the same noun phrase: the next
    token is a lowercase-or-capitalised word, not a function word, not a participle
    ("a model trained on ..." ends the phrase at "model") and not an adverb ("a transformer
    architecture specifically designed for ...")."""
    if k + 1 >= len(doc) or not doc[k].whitespace_:
        return False
    nxt = doc[k + 1]
    low = nxt.lower_
    if not nxt.is_alpha or low in STOP_WORDS or low in ("and", "or") or nxt.is_sent_start:
        return False
    if low.endswith("ly") and low not in LY_NOUNS:
        return False
    return not low.endswith(("ed", "ing")) and not nxt.is_stop


#: Words that give a name to the noun before them: "a dataset termed X", "a framework named X",
#: "a new model architecture, namely X".
NAMING_WORDS = frozenset(words("called named dubbed termed coined namely"))


def naming_label(doc: Doc, start: int) -> str | None:
    """The label the noun before a naming word gives the name starting at token ``start``
    ("a large-scale dataset termed NAS-Bench-Zero": dataset); None without one.

    >>> import spacy
    >>> doc = spacy.blank("en")("We build a corpus, named WikiZed, and a model called Gorbo.")
    >>> naming_label(doc, 6), naming_label(doc, 12), naming_label(doc, 4)
    ('dataset', 'model', None)
    """
    if start < 2 or doc[start - 1].lower_ not in NAMING_WORDS:
        return None
    noun = doc[start - 2] if doc[start - 2].text != "," or start < 3 else doc[start - 3]
    return next((label for label, cues in HEAD_LABELS.items() if noun.lower_ in cues), None)


def described_label(doc: Doc, text: str, default: str | None = "method") -> str | None:
    """The label the text's description of ``text`` gives it (first description wins);
    None when no occurrence is followed by one, or its cue is neutral."""
    for span in occurrences(doc, text):
        label = description_label(doc, span.end, default)
        if label is not None:
            return label or None
    return None


def appositive_method(doc: Doc, text: str) -> bool:
    """True when an occurrence of ``text`` is followed by a comma and a description headed by
    a method noun ("TGE), an inductive graph embedding approach")."""
    for span in occurrences(doc, text):
        end = span.end + 1 if span.end < len(doc) and doc[span.end].text == ")" else span.end
        comma = end < len(doc) and doc[end].text == ","
        if comma and description_label(doc, span.end, default=None) == "method":
            return True
    return False


#: Names of networks: "SyncNet", "ResNets", "U-Net" are models (named architectures).
NET_NAME = re.compile(r"[a-z0-9]-?Nets?(?:-?\d+)?$")
#: Names ending like model names ("InvestLM", "Longformer", "SciBERT", "MiniGPT-4",
#: "TinyLlama", "Vision-Mamba-S"): never datasets.
MODEL_NAME = re.compile(
    r"\S*(?:[a-z0-9]LM|[a-z]former|Former|BERT|GPT|[Ll]la[Mm][Aa]|LLaMA|Mamba)s?"
    r"(?:[-_ ]?[\w.]*\d[\w.]*)?"
)
#: Names ending like benchmark names ("MT-Bench", "AlpacaEval", "OCRVQA", "DocVQA",
#: "Long-Range Arena"): datasets.
DATASET_NAME = re.compile(
    r"\S{2,}(?:[Bb]ench|BENCH|Eval|EVAL|QA|DB|Arena)(?:[-_ ]?[\w.]*\d[\w.]*)?"
    r"(?:[-_ ](?:Hard|Lite|Verified|Pro|Plus))?"
)
#: Names ending in a year: "CoNLL2003", "ACE2005", "SemEval-2017" are datasets (shared tasks
#: and their data), not models or methods.
YEAR_NAME = re.compile(r"[A-Z][A-Za-z]*[A-Z][A-Za-z]*[-_ ]?(?:19|20)\d\d")


def name_label(doc: Doc, text: str, label: str) -> str | None:
    """The label the text implies for the name ``text`` (now typed ``label``): its description,
    else "model" for a method named like a network ("SyncNet"; not the dataset "ImageNet"),
    else "model" for a dataset named like a model ("InvestLM"), "dataset" for a name shaped
    like a benchmark's ("OCRVQA") or ending in a year ("ACE2005"), else None."""
    described = described_label(doc, text)
    if described is not None:
        return described
    if label == "method" and NET_NAME.search(text):
        return "model"
    if label == "dataset" and MODEL_NAME.fullmatch(text):
        return "model"  # "InvestLM", "TinyLlama": silver has 107 such models, no dataset
    if label != "dataset" and DATASET_NAME.fullmatch(text) and not text.islower():
        return "dataset"  # "OCRVQA", "INSTRUCTEVAL": silver has 20 such datasets, nothing else
    if YEAR_NAME.fullmatch(text):
        return "dataset"
    return None


#: Head nouns that make a phrase a model: in the silver annotations, entities ending in them
#: are models 312:2 ("model"), 71:5 ("network"), 59:0 ("transformer"), 6:0 ("encoder"),
#: 3:0 ("autoencoder"); machines ("relevance vector machine") are models too.
MODEL_HEADS = frozenset(
    words(
        """model models network networks transformer transformers encoder encoders net nets
        autoencoder autoencoders machine machines detector detectors classifier classifiers"""
    )
)
#: Heads that say a phrase is no model: silver types 16 entities headed by "loss" or
#: "objective" as metrics (loss values) or methods (loss functions), none as models.
LOSS_HEADS = frozenset(words("loss losses objective objectives"))
#: Every noun that says a phrase is a model (a description's cue or a phrase's head).
MODEL_WORDS = HEAD_LABELS["model"] | MODEL_HEADS


def relabel_described(doc: Doc, spans: list[Span], name_like) -> list[Span]:  # noqa: ANN001
    """Give every name-like model/method/dataset span the label :func:`name_label` gives it,
    and every method phrase headed by a model noun ("encoder-decoder network") the label
    "model" (guideline refinement 4: the text calls it a model).

    ``name_like`` tells names ("FastDraft") from phrases; only names are retyped, all
    occurrences of a name the same way.
    """
    labels: dict[str, str | None] = {}
    task_labels: dict[str, bool] = {}
    listed: dict[str, str] = {}
    for start, end in closed_list_items(doc):
        listed.setdefault(doc[start:end].text, "dataset")
    for span in spans:
        if not capitalised(span[0].text):
            continue  # only names are listed examples ("math reasoning" is not)
        label = listed_label(doc, span.start, span.end)
        if label and span.text not in listed:
            listed[span.text] = label
    for span in spans:
        named = naming_label(doc, span.start) if span.label_ in RETYPED else None
        if named:
            labels.setdefault(span.text, named)
    out = []
    for span in spans:
        if span.text in labels and labels[span.text] and name_like(span):
            if labels[span.text] != span.label_:
                span = respan(span, label=labels[span.text])
        elif span.label_ == "method" and span[-1].lower_ in MODEL_HEADS:
            span = respan(span, label="model")
        elif span.label_ == "model" and span[-1].lower_ in LOSS_HEADS:
            span = respan(span, label="method")  # "a Semantic Softmax Loss": no model
        elif span.label_ == "task" and name_like(span):
            # a method by an appositive's cue noun: "Text-driven Graph Embedding (TGE), an
            # inductive graph embedding approach"; not "QA is a widely-used framework", nor
            # "in NLP, a separate model per task is needed"
            if span.text not in task_labels:
                task_labels[span.text] = appositive_method(doc, span.text)
            if task_labels[span.text]:
                span = respan(span, label="method")
        elif span.text in listed or (name_like(span) and span.label_ in RETYPED):
            if span.text not in labels:
                labels[span.text] = listed.get(span.text) or name_label(doc, span.text, span.label_)
            label = labels[span.text]
            if label and label != span.label_:
                span = respan(span, label=label)
        out.append(span)
    # A long form takes the label of its acronym ("Sparse Mixture of Adapters (SMoA), a ..."),
    # unless its own head noun says it is a model ("Flexible Vision Transformer"): then the
    # acronym is a model too (one entity, one label), also when the model span carries a
    # modifier the long form leaves out ("deep Convolutional Neural Networks (CNN)").
    models = {s.text for s in out if s.label_ == "model" and s[-1].lower_ in MODEL_WORDS}
    by_long = {s._.kg_long_form: s.label_ for s in out if s._.kg_long_form}
    return [
        respan(s, label="model")
        if _names_model(s._.kg_long_form, models) and s.label_ in RETYPED and s.label_ != "model"
        else respan(s, label=by_long[s.text])
        if s.text in by_long
        and by_long[s.text] != s.label_
        and s.label_ in (*RETYPED, "task")
        and s[-1].lower_ not in MODEL_WORDS
        else s
        for s in out
    ]


def _names_model(long_form: str | None, models: set[str]) -> bool:
    """True when ``long_form`` is one of the model phrases ``models`` or ends one."""
    return bool(long_form) and any(m == long_form or m.endswith(" " + long_form) for m in models)
