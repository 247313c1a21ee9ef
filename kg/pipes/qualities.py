"""Qualities reported as improved or traded off are metrics (guideline refinement 8).

"improves generalization and stability", "at the cost of runtime", "reduces latency": a quality
noun is a metric candidate only when an improvement/trade-off cue stands near it in the same
sentence. Pure function used by :class:`kg.pipes.ruler.GazetteerRuler`.
"""

from __future__ import annotations

import re

from spacy.tokens import Doc, Span

from kg.gazetteer import words
from kg.pipes.compounds import extend_left

#: Quality nouns that are metrics when reported as improved, reduced or traded off.
#: "convergence" alone is not one: "accelerates convergence" is annotated in 4 of 17 train
#: papers (and "model convergence" is no metric in dev-tune); "convergence rate" is curated.
#: Nor is "memory" alone (1 of 6 out of fold): "memory usage/footprint" are curated.
QUALITIES = frozenset(
    words(
        """generalization generalisation robustness stability runtime latency throughput
        efficiency scalability expressivity expressiveness plasticity reliability editability
        responsiveness adaptiveness adaptability interpretability fidelity diversity
        consistency speed transferability controllability faithfulness
        realism fluency coherence sample-efficiency"""
    )
)
#: Word beginnings that report a change or a trade-off, near a quality noun (:data:`CUES`) or
#: anywhere in a soft metric's sentence (:data:`REPORTED`).
CHANGE_CUES = (
    "improv",
    "enhanc",
    "boost",
    "reduc",
    "lower",
    "higher",
    "better",
    "increas",
    "maintain",
    "preserv",
    "trade",
    "sacrific",
    "outperform",
    "faster",
    "superior",
    "gain",
    "compromis",
    "degrad",
    "accelerat",
)
#: Cue words (prefixes) that make a nearby quality noun a metric.
CUES = (*CHANGE_CUES, "cost", "hurt", "strong", "speed")


def _is_cue(text: str) -> bool:
    return text.lower().startswith(CUES)


def quality_metrics(doc: Doc, window: int = 6) -> list[Span]:
    """Metric candidates for quality nouns with a change/trade-off cue within ``window`` tokens
    of the same sentence (span id ``quality``)."""
    out = []
    for tok in doc:
        if tok.lower_ not in QUALITIES:
            continue
        lo, hi = max(0, tok.i - window), min(len(doc), tok.i + window // 2 + 1)
        near = [t for t in doc[lo:hi] if t.i != tok.i and _same_sentence(doc, t.i, tok.i)]
        if any(_is_cue(t.text) for t in near):
            span = Span(doc, tok.i, tok.i + 1, label="metric", span_id="quality")
            out.append(extend_left(span))
    return out


def _same_sentence(doc: Doc, i: int, j: int) -> bool:
    lo, hi = min(i, j), max(i, j)
    return not any(doc[k].is_sent_start for k in range(lo + 1, hi + 1))


#: Words that make a metric a soft quantity (an efficiency or quality measure) rather than a
#: named score: such a metric counts only when the text reports it as changed or compared.
SOFT_METRIC_WORDS = re.compile(
    r"cost|efficien|quality|complexit|overhead|\btime\b|memory|footprint|param|compute|"
    r"computation|requirement|saving|robust|stabil|generali[sz]|performance|speed|latency|"
    r"throughput|runtime|flop|storage|interpretab|adaptab|scalab|transferab|plasticity|"
    r"convergence",
    re.IGNORECASE,
)
#: A sentence that compares or reports a change: a number, a comparative or a change verb.
REPORTED = re.compile(
    r"\d|\b(?:"
    + "|".join(CHANGE_CUES)
    + r"|slower|worse|speed-?up|sav|decreas|cut|fewer|less|more|comparabl|competitive|surpass|"
    r"minimi[sz]|maximi[sz]|achiev|efficient|cheap|expensive)",
    re.IGNORECASE,
)


def unreported_qualities(doc: Doc, spans: list[Span]) -> list[Span]:
    """``spans`` without the soft metrics ("computational overhead", "model quality") that
    no sentence of ``doc`` reports as changed or compared (guideline refinement 8); every
    mention of the same text counts. On the train split 24% of such metrics are annotated."""
    soft = [s for s in spans if s.label_ == "metric" and SOFT_METRIC_WORDS.search(s.text)]
    reported = {s.text.lower() for s in soft if REPORTED.search(s.sent.text)}
    return [s for s in spans if s not in soft or s.text.lower() in reported]
