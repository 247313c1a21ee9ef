"""Gazetteer data: loading the term lists in ``kg/data`` and expanding surface variants.

The runtime reads only files shipped in ``kg/data`` (built by ``scripts/build_gazetteer.py``
from the public name lists, plus the hand-curated ``curated.tsv``). Each term is
``(label, text, case_sensitive)``: lowercase multiword terms match case-insensitively with
plural and hyphen/space variants; names with capitals ("BERT", "GLUE") match exactly.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from functools import lru_cache
from pathlib import Path

from spacy.lang.en.stop_words import STOP_WORDS

from kg.records import LABELS

DATA_DIR = Path(__file__).parent / "data"
#: Files read by default, highest priority first (a term keeps its first label).
DEFAULT_FILES: tuple[str, ...] = ("curated.tsv", "gazetteer.tsv")

Term = tuple[str, str, bool]

_IRREGULAR_PLURALS = {"datum": "data", "index": "indices", "matrix": "matrices"}
_NO_SINGULAR = ("ss", "us", "is", "ics", "ous", "sis")


def singularize(word: str) -> str:
    """Return a crude singular form of an English (ML) noun.

    >>> singularize("models"), singularize("LLMs"), singularize("strategies"), singularize("loss")
    ('model', 'LLM', 'strategy', 'loss')
    """
    low = word.lower()
    if len(word) <= 3 and not word[:-1].isupper():
        return word
    if low.endswith(_NO_SINGULAR):
        return word
    if low.endswith("ies") and len(word) > 4:
        return word[:-3] + ("Y" if word[-1].isupper() else "y")
    if low.endswith(("sses", "shes", "ches", "xes")):
        return word[:-2]
    if low.endswith("s") and not low.endswith("'s"):
        return word[:-1]
    return word


def pluralize(word: str) -> str:
    """Return the regular plural of ``word`` ("model" -> "models", "LLM" -> "LLMs").

    >>> pluralize("strategy"), pluralize("LLM"), pluralize("process")
    ('strategies', 'LLMs', 'processes')
    """
    low = word.lower()
    if low in _IRREGULAR_PLURALS:
        return _IRREGULAR_PLURALS[low]
    if low.endswith("y") and len(low) > 2 and low[-2] not in "aeiou":
        return word[:-1] + "ies"
    if low.endswith(("s", "sh", "ch", "x")):
        return word + "es"
    return word + "s"


def term_variants(text: str) -> list[str]:
    """Surface variants of a lowercase term: plural/singular of the last word, hyphen/space.

    >>> sorted(term_variants("fine-tuning"))[:3]
    ['fine tuning', 'fine tunings', 'fine-tuning']
    """
    out = {text}
    for form in list(out):
        if "-" in form:
            out.add(form.replace("-", " "))
            parts = form.split("-")
            if all(len(p) > 2 for p in parts):
                out.add("".join(parts))
        if " " in form:
            out.add(form.replace(" ", "-"))
    for form in list(out):
        head = re.split(r"([ -])", form)
        last = head[-1]
        if last and last[-1].isalpha():
            if not (last.isupper() and len(last) < 3):
                head[-1] = pluralize(last)
                out.add("".join(head))
            head[-1] = singularize(last)
            out.add("".join(head))
    for form in list(out):
        if "pre-train" in form or "pretrain" in form:
            out.add(form.replace("pre-train", "pretrain"))
            out.add(form.replace("pretrain", "pre-train"))
    return sorted(out)


def read_terms(path: Path) -> Iterator[Term]:
    """Read a ``label<TAB>text[<TAB>case]`` file; ``#`` lines are comments.

    The optional third column is ``cs`` (case-sensitive) or ``ci``; without it a term is
    case-sensitive when it contains a capital letter.
    """
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            line = line.rstrip("\n")
            if not line or line.startswith("#"):
                continue
            cols = line.split("\t")
            label, text = cols[0], cols[1].strip()
            if label not in LABELS or not text:
                continue
            if len(cols) > 2 and cols[2] in ("cs", "ci"):
                case = cols[2] == "cs"
            else:
                case = text != text.lower()
            yield label, text, case


@lru_cache(maxsize=8)
def load_terms(files: tuple[str, ...] = DEFAULT_FILES) -> tuple[Term, ...]:
    """Load and de-duplicate terms from ``kg/data`` files (the first label of a surface in
    any case wins; other capitalised spellings of it with that label are kept).

    Parameters
    ----------
    files:
        File names inside ``kg/data`` (or absolute paths), highest priority first.

    Returns
    -------
    tuple of (label, text, case_sensitive)
    """
    labels: dict[str, str] = {}
    seen: dict[tuple[str, bool], Term] = {}
    for name in files:
        path = Path(name) if Path(name).is_absolute() else DATA_DIR / name
        if not path.exists():
            continue
        for label, text, case in read_terms(path):
            key = text.lower()
            if key in labels and (labels[key] != label or not case):
                continue  # a lowercase spelling of a known name ("natural questions") is no
                # name in running text ("a natural question arises")
            labels[key] = label  # "LLaMA" and "Llama" are both kept
            seen.setdefault((text, case), (label, text, case))
    return tuple(seen.values())


#: A one-word name of 5+ letters with a capital after its first letter and a lowercase end
#: ("LLaVa", "RoBERTa", "ResNet"; not "IntrA", "SQuAD"): sources spell its case differently
#: ("LLaVA"), and few English words are written that way, so it also matches in any case.
MIXED_CASE = re.compile(r"(?=.{5})(?=.*[a-z])[A-Za-z][A-Za-z]*?[A-Z][A-Za-z]*[a-z0-9]")


def expand(terms: Iterable[Term]) -> dict[tuple[str, bool], str]:
    """Map every surface variant ``(text, case_sensitive)`` to its label."""
    out: dict[tuple[str, bool], str] = {}
    for label, text, case in terms:
        if case:
            out.setdefault((text, True), label)
            if " " in text:  # "Pascal VOC" is also written "Pascal-VOC"
                out.setdefault((text.replace(" ", "-"), True), label)
            if text[-1].isupper() and text[-1].isalpha():  # "LLM" -> "LLMs"
                out.setdefault((text + "s", True), label)
            if label == "model":
                for variant in version_variants(text):
                    out.setdefault((variant, True), label)
                if text[-1].islower() and text[-1].isalpha():  # "ResNet" -> "ResNets"
                    out.setdefault((text + "s", True), label)
            if label == "dataset" and re.search(r"\d[kK]$", text):  # "Flickr30k", "Flickr30K"
                out.setdefault((text[:-1] + text[-1].swapcase(), True), label)
            if label == "dataset":
                for variant in size_variants(text):  # "CC3M", "CC-3M"
                    out.setdefault((variant, True), label)
                if text.startswith("The ") and len(text) > 7:  # "the Pile" in running text
                    out.setdefault((text[4:], True), label)
            if label in ("model", "dataset") and MIXED_CASE.fullmatch(text):
                out.setdefault((text.lower(), False), label)  # "LLaVa" also matches "LLaVA"
        else:
            for variant in term_variants(text.lower()):
                if variant not in STOP_WORDS:  # "pers" (phone error rates) gives no "per"
                    out.setdefault((variant, False), label)
    return out


SIZED = re.compile(r"(.*[A-Za-z])-?(\d+[kKMB])")


def size_variants(name: str) -> list[str]:
    """Spellings of a dataset name ending in its size: "CC3M", "CC-3M".

    >>> size_variants("DataComp-1B")
    ['DataComp-1B', 'DataComp1B']
    >>> size_variants("COCO")
    []
    """
    match = SIZED.fullmatch(name)
    if not match:
        return []
    stem, size = match.groups()
    return sorted({f"{stem}{size}", f"{stem}-{size}"})


VERSIONED = re.compile(r"([A-Za-z][A-Za-z.]{2,}?)[- ]?(\d+(?:\.\d+)?)")


def version_variants(name: str) -> list[str]:
    """Spellings of a versioned model name: "Llama3", "Llama-3", "Llama 3".

    >>> version_variants("Llama3")
    ['Llama 3', 'Llama-3', 'Llama3']
    >>> version_variants("BERT")
    []
    """
    match = VERSIONED.fullmatch(name)
    if not match:
        return []
    stem, number = match.groups()
    return sorted({f"{stem}{number}", f"{stem}-{number}", f"{stem} {number}"})


def words(text: str) -> list[str]:
    """Split a whitespace-separated word list (used for the lexicons in :mod:`kg.pipes`)."""
    return text.split()


@lru_cache(maxsize=1)
def name_forms() -> frozenset[str]:
    """Lowercased spellings of the case-sensitive gazetteer terms (names such as "BoolQ",
    "PIQA"): a lowercase "boolq" in a list of benchmarks is still that name."""
    return frozenset(text.lower() for text, case in expand(load_terms()) if case)
