"""Phrases that are not entities on their own: "our model", "training", "pre-trained models",
"deep learning", "the encoder", math notation ("S_1", guideline refinement 7).

Pure functions used by the resolver (:mod:`kg.pipes.resolver`) on every candidate.
"""

from __future__ import annotations

import re

from spacy.tokens import Doc, Span

from kg.gazetteer import singularize, words


def form(text: str) -> str:
    """Lowercase, hyphens as spaces, last word singular ("Pre-trained Models" -> "pre trained
    model")."""
    parts = re.sub(r"[\s\-_]+", " ", text.lower()).split()
    return " ".join([*parts[:-1], singularize(parts[-1])]) if parts else ""


#: Phrases that are never entities on their own (lowercased, singular).
GENERIC_WORDS = frozenset(
    words(
        """model models method methods approach approaches framework frameworks dataset
        datasets data training baseline baselines system systems algorithm algorithms
        architecture architectures network networks pre-trained model pre-trained models
        pretrained model pretrained models task tasks benchmark benchmarks performance
        result results analysis experiment experiments technique techniques module modules
        learning inference evaluation metric metrics score scores ai artificial intelligence
        state-of-the-art sota paper work study agent agents tool tools cpu cpus gpu gpus
        tpu tpus npu npus fpga fpgas hardware hpc supercomputer supercomputers tb gb pb"""
    )
)
#: Words that are not entities alone but are parts of names ("encoder-decoder model",
#: "Generator-Discriminator architecture"): never annotated alone in the train split.
GENERIC_ALONE = frozenset(
    words(
        """encoder encoders decoder decoders backbone backbones classifier classifiers
        generator generators discriminator discriminators teacher teachers student students
        embedding embeddings attention bayesian"""
    )
)
GENERIC_PHRASES = frozenset(
    {
        "pre-trained model",
        "pre-trained models",
        "pretrained model",
        "pretrained models",
        "artificial intelligence",
        "state-of-the-art",
        "baseline model",
        "baseline models",
        "deep learning model",
        "deep learning models",
        "machine learning model",
        "machine learning models",
        "base model",
        "base models",
        "small model",
        "small models",
        "large model",
        "large models",
        "deep model",
        "deep models",
        "machine learning",
        "deep learning",
        "learning rate",
        "sample size",
        "in-context",
        "parameter-efficient",
        "parameter-efficient method",
        "ml",
        "dl",
        # software frameworks and libraries: tools, not models or methods (none in silver)
        "pytorch",
        "tensorflow",
        "keras",
        "scikit-learn",
        "sklearn",
        "caffe",
        "theano",
        "mxnet",
        "jax",
        "huggingface",
        "hugging face",
        "vllm",
        "sglang",
        "tensorrt",
        "tensorrt-llm",
        "deepspeed",
        "llama.cpp",
        "langchain",
        "llamaindex",
        "triton",
        # settings, not tasks: silver annotates "few-shot learning", never "few-shot" alone
        "zero-shot",
        "few-shot",
        "one-shot",
        "zero-shot setting",
        "few-shot setting",
        "few-shot example",
        # metrics in general, not a metric
        "evaluation measure",
        "evaluation metric",
        # mathematical objects, not procedures (guideline refinement 7)
        "markov decision process",
        "markov decision processes",
        "mdp",
        "mdps",
        # recording modalities: data, never a model or method ("electroencephalogram (EEG)")
        "eeg",
        "ecg",
        "eog",
        "emg",
        "fmri",
        "electroencephalogram",
        "electrocardiogram",
        "electrooculogram",
        "electromyography",
    }
)
#: Ranks ("ranking twelfth", "3rd"): never the last word of an entity ("second" is also a
#: unit: "floating point operations per second").
ORDINALS = frozenset(
    words(
        """first third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth
        thirteenth fourteenth fifteenth twentieth"""
    )
)
ORDINAL = re.compile(r"\d+(?:st|nd|rd|th)")
#: A count opening a phrase ("30,871 video-level labels", "12 tasks").
COUNT = re.compile(r"\d[\d,.]*")
#: Languages name no dataset ("the English datasets", "the Portuguese language").
LANGUAGES = words(
    """english chinese french german spanish japanese korean arabic russian portuguese italian
    hindi vietnamese turkish greek danish dutch swedish polish indonesian thai persian urdu
    swahili bengali hebrew czech finnish"""
)
_LANGUAGE_WORDS = frozenset(LANGUAGES) | frozenset(words("language languages and pair pairs -"))
#: LaTeX-like notation: subscripts, superscripts, braces, backslashes.
MATH = re.compile(r"[_^{}\\$]")
#: Complexity notation ("O(N)", "O(log N)", "Θ(n^2)"), tokenised as "O(N" and ")".
BIG_O = re.compile(r"[OΘΩ]\(")
#: Number formats ("FP32", "INT8", "bf16"), numbered parts of a paper or a challenge
#: ("sub-task 2", "Track 1", "Stage 2") and factors ("x4", "3x"): no model, method or task.
NUMBERED = re.compile(
    r"(?:fp|bf|int|uint|float)\d+|(?:sub-?task|task|track|stage|phase|step) ?-? ?\d+[a-z]?"
    r"|x\d+|\d+x",
    re.IGNORECASE,
)
#: Entities made only of generic words (guideline refinement 9 names "model evaluation").
SPECIFIC_PHRASES = frozenset({"model evaluation", "metric learning"})
#: :data:`GENERIC_PHRASES` in every spelling (case, hyphen or space, singular or plural).
GENERIC_FORMS = frozenset(form(p) for p in GENERIC_PHRASES)
#: One-token spans that are never entities.
GENERIC_TOKENS = GENERIC_WORDS | GENERIC_ALONE


#: Last words of hyphen adjectives ("Transformer-based", "GPT-like", "LoRA-style").
ADJECTIVE_SUFFIXES = frozenset(words("based like style driven guided oriented"))


#: Heads of adverbial phrases ("in a self-supervised manner"): never annotated in the silver data.
ADVERBIAL_HEADS = frozenset(words("manner manners fashion way ways"))


#: Web addresses ("https://github.com/org/UEGAN", "www.example.org", "github.com/x/y"): a
#: link to code is no model, however its last part is named.
URL = re.compile(r"://|^www\.|\.(?:com|org|net|io|ai|edu)(?:/|$)", re.IGNORECASE)


#: Item labels of an enumeration: a capital and a number in brackets ("(O1)", "(C2)").
ENUMERATOR = re.compile(r"[A-Z]\d{1,2}")


def enumerators(doc: Doc) -> set[str]:
    """Item labels a text enumerates in brackets, one letter with two or more numbers
    ("(O1) ..., (O2) ... and (O3) ...")."""
    numbers: dict[str, set[str]] = {}
    for tok in doc[1:-1]:
        bracketed = doc[tok.i - 1].text == "(" and doc[tok.i + 1].text == ")"
        if bracketed and ENUMERATOR.fullmatch(tok.text):
            numbers.setdefault(tok.text[0], set()).add(tok.text)
    return {label for group in numbers.values() if len(group) > 1 for label in group}


def is_generic(span: Span) -> bool:
    """True for phrases that are not entities on their own ("our model", "training") and for
    math notation ("S_1", "G_{stack}": guideline refinement 7)."""
    low = span.text.lower()
    if form(low) in GENERIC_FORMS or (len(span) == 1 and low in GENERIC_TOKENS):
        return True
    long_form = span._.kg_long_form if Span.has_extension("kg_long_form") else None
    if long_form and form(long_form) in GENERIC_FORMS:  # "PTMs" of "pre-trained models"
        return True
    if MATH.search(span.text) or NUMBERED.fullmatch(span.text) or BIG_O.match(span.text):
        return True
    if any(URL.search(t.text) for t in span):
        return True  # "https://github.com/eezkni/UEGAN"
    if all(t.lower_ in _LANGUAGE_WORDS for t in span):
        return True  # "Portuguese language", "English-German language pair"
    if len(span) > 1 and span[0].whitespace_ and COUNT.fullmatch(span[0].text):
        return True  # "30,871 video-level labels": a count, not a name ("1.5-Pints" is one)
    if span[0].text in ("(", "["):
        return True  # "(SLR) and Translation": a bracket opens no name
    if len(span) == 1 and ENUMERATOR.fullmatch(span.text) and span.text in enumerators(span.doc):
        return True  # "(O1) lack of evaluation, (O2) ...": item labels, not OpenAI o1
    if len(span) > 2 and span[-2].text == "-" and span[-1].lower_ in ADJECTIVE_SUFFIXES:
        return True  # "Transformer-based", "BERT-like": adjectives, never annotated
    if len(span) > 1 and span[-1].lower_ == "based":
        return True  # "deep learning based (methods)", written without the hyphen
    if span[-1].lower_ in ADVERBIAL_HEADS:
        return True
    if span[-1].lower_ in ORDINALS or ORDINAL.fullmatch(span[-1].text):
        return True  # "ranking twelfth", "placed 3rd": a rank, not an entity
    if low in SPECIFIC_PHRASES:
        return False
    return all(t.lower_ in GENERIC_WORDS or t.is_punct or t.is_stop for t in span)


#: Nouns that a method or task only qualifies ("pretraining data", "reasoning performance",
#: "math reasoning ability"): such a phrase names the data or the skill, not the method/task.
QUALIFIED_NOUNS: dict[str, frozenset[str]] = {
    "method": frozenset(words("data")),
    "task": frozenset(words("performance ability abilities capability capabilities")),
}


def only_modifiers(doc, spans: list[Span]) -> list[Span]:  # noqa: ANN001 - a spaCy Doc
    """Drop the methods and tasks whose every occurrence qualifies a following noun of
    :data:`QUALIFIED_NOUNS` ("pre-training data" everywhere: no pre-training entity).

    On the silver train split (out-of-fold predictions), 1 of 10 methods always followed by
    "data" and 1 of 11 tasks always followed by "performance"/"ability" were annotated.
    """
    qualified: dict[tuple[str, str], bool] = {}
    for span in spans:
        nouns = QUALIFIED_NOUNS.get(span.label_)
        following = doc[span.end].lower_ if span.end < len(doc) else ""
        key = (span.label_, form(span.text))
        qualified[key] = qualified.get(key, True) and nouns is not None and following in nouns
    return [s for s in spans if not qualified[(s.label_, form(s.text))]]
