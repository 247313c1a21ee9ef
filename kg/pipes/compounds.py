"""Classifying modifiers: extend "accuracy" to "captioning accuracy", "pruning" to
"structured pruning", "question answering" to "video question answering".

Pure functions used by :class:`kg.pipes.ruler.GazetteerRuler`. Without a tagger, a modifier
is a lowercase content word that is not a stop word, an evaluative adjective, an adverb, a
plural or a verb form.
"""

from __future__ import annotations

from spacy.tokens import Doc, Span, Token

from kg.gazetteer import words

#: Head words that form a typed compound with a classifying modifier. Not "adaptation",
#: "sampling", "modeling", "understanding", "reasoning" or "retrieval" (annotators mark under
#: 30% of those compounds in the train split), nor "training", "compression" or "editing"
#: (about 35%: "complex training", "sufficient compression").
HEADS: dict[str, str] = {
    **dict.fromkeys(
        words(
            """accuracy error quality speed efficiency cost latency throughput complexity
            overhead consumption footprint usage perplexity"""
        ),
        "metric",
    ),
    **dict.fromkeys(
        words(
            """initialization tuning pruning pretraining pre-training distillation
            quantization sparsification augmentation regularization merging sharing
            averaging expansion decoding prompting optimization finetuning fine-tuning"""
        ),
        "method",
    ),
    **dict.fromkeys(
        words(
            """generation captioning answering detection classification segmentation
            recognition forecasting translation summarization estimation synthesis"""
        ),
        "task",
    ),
}
#: Adjectives and verbs found starting wrong spans in the train split: they neither classify a
#: compound nor start an NER span (see :data:`EVALUATIVE`, :data:`LEADING_VERBS`).
_RULED_OUT_ADJECTIVES = frozenset(
    words(
        """optimal narrow aggressive appropriate predominant rapid broad unique largest graceful
        proactive influential easier harder suitable innovative negligible unstable"""
    )
)
_RULED_OUT_VERBS = frozenset(
    words(
        """simulate precede explain adopt understand prevent consider formulate fit maintain
        maintains preserve preserves retain retains sacrifice sacrifices sacrificing
        compromise compromises compromising"""
    )
)
#: Words that never classify a compound ("high accuracy", "better training").
NOT_MODIFIERS = (
    frozenset(
        words(
            """high higher highest low lower lowest better best good great strong stronger improved
        superior significant competitive overall comparable remarkable impressive efficient
        effective robust fast faster slow slower state-of-the-art sota new novel existing
        previous standard additional further extensive large larger small smaller simple
        various different several many multiple same similar other key main final total
        original extra lightweight scalable practical stable accurate limited poor
        substantial considerable minimal reduced increased enhanced improving improve
        improves achieving achieve achieves reducing reduce maintaining enhancing boosting
        increasing using via end both each whole entire current recent modern traditional
        conventional typical common general specific particular diverse challenging real
        expensive costly heavy massive huge tremendous excellent promising reasonable
        desired higher-quality high-quality low-quality fine-grained coarse-grained
        downstream following prior subsequent initial further joint direct naive vanilla set
        careful proper extensive inference training test testing validation evaluation
        experimental empirical theoretical without within across during after before while
        whereas among between per like source open generate handle capture activate advance
        encompass exhibit enable support perform require provide show yield boost outperform
        enhance facilitate leverage allow guide conduct apply tackle address study explore
        investigate evaluate demonstrate compare combine introduce propose present develop
        design deliver attain obtain surpass unlock promote accelerate foster offer ensure
        limit hinder affect impact match make take use need help lack deeper deep
        comprehensive meaningful reliable global coherent quality human art general common
        scale stage step fewer less more much employ mitigate underperform alongside popular
        notable poor poorer inaccurate classic unexpected exhaustive improve enable leading
        efficient memory report measure assess quantify optimize optimise minimize minimise
        maximize maximise predict reach severe adapt utilize individual little simpler first
        second third decrease decreases decreasing increase increases reduces save saves
        halve halves compact light-weight"""
        )
    )
    | _RULED_OUT_ADJECTIVES
    | _RULED_OUT_VERBS
)
#: Verb-like "-ed" words that do classify ("supervised fine-tuning", "structured pruning").
ED_OK = frozenset(
    words(
        """supervised unsupervised self-supervised structured unstructured distributed mixed
        federated weighted guided augmented pretrained pre-trained learned grounded
        conditioned"""
    )
)


#: "-ing" words that classify ("reasoning accuracy", "learning rate").
ING_OK = frozenset(
    words(
        """learning reasoning modeling modelling ranking answering matching clustering
        captioning parsing tracking editing coding understanding processing"""
    )
)


def is_modifier(tok: Token, title_case: bool = False) -> bool:
    """True when ``tok`` can classify a following head noun."""
    low = tok.lower_
    if not tok.is_alpha or len(low) < 3 or tok.is_stop or low in NOT_MODIFIERS:
        return False
    if low in NOT_FIRST:  # "powerful", "shown"
        return False
    if not (tok.is_lower or (title_case and tok.is_title)):
        return False
    if low.endswith("ly") or (low.endswith("ed") and low not in ED_OK):
        return False
    if low.endswith("ing") and low not in ING_OK:
        return False
    return not (low.endswith("s") and not low.endswith(("ss", "ics", "us", "is")))


def extend_left(span: Span, max_words: int = 2) -> Span:
    """Extend ``span`` left over up to ``max_words`` classifying modifiers ("multi-stage")."""
    doc = span.doc
    start = span.start
    title_case = span[0].is_title
    words = 0
    while words < max_words and start > 0:
        prev = doc[start - 1]
        if prev.whitespace_ == "" and prev.text != "-":
            break
        if prev.text == "-":  # the head itself is hyphenated on its left: stop
            break
        first = start - 1
        if first >= 2 and doc[first - 1].text == "-" and doc[first - 1].whitespace_ == "":
            first -= 2  # a hyphen compound "multi-stage", taken whole or not at all
            part = doc[first]
            if (
                part.whitespace_
                or not part.is_alpha
                or part.is_stop
                or part.lower_ in NOT_MODIFIERS
            ):
                break
            if prev.lower_ in NOT_MODIFIERS or not prev.is_alpha:
                break
            if doc[first:start].text.lower() in NOT_MODIFIERS:  # "light-weight"
                break
        elif not is_modifier(prev, title_case):
            break
        start = first
        words += 1
    if start == span.start:
        return span
    return Span(doc, start, span.end, label=span.label_, span_id=span.id_)


def head_compounds(doc: Doc) -> list[Span]:
    """Spans "modifier(s) + head" for head words in :data:`HEADS` ("random initialization")."""
    out = []
    for tok in doc:
        label = HEADS.get(tok.lower_)
        if label is None:
            continue
        span = extend_left(Span(doc, tok.i, tok.i + 1, label=label, span_id="compound"))
        if len(span) > 1:
            out.append(span)
    return out


#: Verbs the NER sometimes takes into a span's first word ("reporting accuracy").
LEADING_VERBS = (
    frozenset(
        words(
            """shown show shows fit fits report reports use uses reach adapt define apply
            propose introduce achieve improve enable employ leverage utilize perform yield
            obtain provide computing rival rivals implement implements learn learns train
            trains exploit exploits incorporate incorporates integrate integrates select
            selects stabilize stabilizes increase increases accelerate accelerates facilitate
            facilitates revolutionized revolutionised outperformed surpassed achieved proposed
            introduced enabled improved adopted utilized leveraged employed applied include
            includes extend extends extended"""
        )
    )
    | _RULED_OUT_VERBS
)
#: Evaluative adjectives left out of spans (guideline refinement 3); not classifying ones
#: such as "vanilla", "fast" (Fourier transform) or "robust" (optimization).
EVALUATIVE = (
    frozenset(
        words(
            """high higher highest low lower better best good great superior significant
            competitive remarkable impressive state-of-the-art sota new novel existing previous
            simple severe powerful lightweight scalable practical accurate poor substantial
            considerable minimal promising excellent reasonable acceptable measurable
            satisfactory decent moderate tolerable negligible"""
        )
    )
    | _RULED_OUT_ADJECTIVES
)
#: Quantifiers, comparatives and other words that describe rather than classify: in the
#: silver annotations one entity of 4,000 opens with one ("multiple concept disentanglement").
DESCRIBING = frozenset(
    words(
        """multiple various several different many numerous smaller larger challenge
        consistent benchmark public popular typical well-known widely-used"""
    )
)
#: Words that never start an entity: they neither classify a compound nor open an NER span.
NOT_FIRST = LEADING_VERBS | EVALUATIVE | DESCRIBING


def trim_leading_verb(span: Span) -> Span:
    """Drop a verb or an evaluative adjective from the start of a span ("reporting accuracy"
    -> "accuracy", "severe accuracy" -> "accuracy"). Other "-ed"/"-ing" words stay: most
    classify ("supervised fine-tuning", "self-correcting learning")."""
    if len(span) < 2:
        return span
    first = span[0]
    low = first.lower_
    if not first.is_lower or not first.is_alpha or span[1].text == "-":
        return span
    if low not in NOT_FIRST and not low.startswith(("report", "show")):
        return span
    return Span(span.doc, span.start + 1, span.end, label=span.label_, span_id=span.id_)
