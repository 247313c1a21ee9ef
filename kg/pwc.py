"""Papers-with-Code abstracts of CS-NER (``../shared/corpora/cs-ner/pwc``) as plain text.

The files hold token<TAB>BIOES-tag lines, cp1252-encoded, a blank line between documents; the
tags are ignored. :func:`read_docs` reads the tokens and :func:`detokenise` rebuilds readable
text (used by ``scripts/sample_external.py`` for the dev sets and by
:func:`kg.trainingdata.extra_examples`, which rebuilds the training abstracts of ``data/train``
from their ``source`` instead of keeping copies of them in the repo).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from pathlib import Path

from kg.trainingdata import CORPORA

PWC = CORPORA / "cs-ner" / "pwc"

# Literal replacements, applied in order (BibTeX escapes, as in abstracts from the ACL Anthology).
LITERAL = [
    ("{\\%}", "%"),
    ("\\%", "%"),
    ("{\\&}", "&"),
    ("\\&", "&"),
    ("{--}", "--"),
    ("{``}", '"'),
    ("{''}", '"'),
    ("{'}", "'"),
    ("{`}", "'"),
    ("``", '"'),
    ("''", '"'),
    ("`", "'"),
    ("\\,", " "),
    ("$\\times$", "\u00d7"),
    ("$\\geq$", "\u2265"),
    ("$\\leq$", "\u2264"),
    ("$\\pm$", "\u00b1"),
    ("$\\sim$", "~"),
    ("~(", " ("),
]
ACCENTS = {"`": "\u0300", "'": "\u0301", '"': "\u0308", "^": "\u0302", "~": "\u0303"}


def read_docs(path: Path) -> list[list[str]]:
    """Token lists of the documents in a token<TAB>tag file (cp1252), tags dropped."""
    docs: list[list[str]] = []
    cur: list[str] = []
    for line in path.read_text(encoding="cp1252").splitlines():
        if not line.strip():
            if cur:
                docs.append(cur)
                cur = []
            continue
        cur.append(line.split("\t")[0])
    if cur:
        docs.append(cur)
    return docs


def _accent(m: re.Match[str]) -> str:
    return unicodedata.normalize("NFC", m.group(2) + ACCENTS[m.group(1)])


def detokenise(tokens: list[str]) -> str:
    """Readable text from whitespace tokens, with LaTeX/BibTeX escapes undone."""
    s = " ".join(tokens)
    for a, b in LITERAL:
        s = s.replace(a, b)
    s = re.sub(r"\{?\\([`'\"^~])\{?([A-Za-z])\}?\}?", _accent, s)  # {\`e}, \'u, na\"ive
    s = re.sub(r"\{\\aa\}", "\u00e5", s)
    s = re.sub(r"\\(?:textit|textbf|emph|texttt|url)\{([^{}]*)\}", r"\1", s)
    s = re.sub(r"\{\\(?:em|bf|it)\s+([^{}]*)\}", r"\1", s)
    s = re.sub(r"\$(\d[\d.,]*\s*%?)\$", r"\1", s)  # $10$, $4.78%$
    # stray spaces left by the tokenisation
    s = re.sub(r"\(\s+", "(", s)
    s = re.sub(r"\s+(?=[)\]])", "", s)
    s = re.sub(r"\s+(?=[,.;:?!%](?:\s|$|[)\]\"']))", "", s)
    s = re.sub(r"\s+(?=[,.;:](?=[A-Z]))", "", s)
    s = re.sub(r"\b([A-Za-z0-9-]*[A-Z][A-Za-z0-9-]*) s(?=[\s),.;:]|$)", r"\1s", s)  # GAN s -> GANs
    s = re.sub(r"\s+'s\b", "'s", s)  # BERT 's -> BERT's
    s = re.sub(r"(?<=\w) \+\+(?=[\s),.;:]|$)", "++", s)  # PointNet ++ -> PointNet++
    s = re.sub(r"(?<=[A-Za-z0-9)]) -(?!(?:the|a|an|and|or)\b)(?=[A-Za-z])", "-", s)  # BERT -based
    s = re.sub(r"(?<=[A-Z0-9)]) -(?=\d)", "-", s)  # A3C -TD(0) style, digits after an acronym
    s = re.sub(r"\s{2,}", " ", s)
    return s.strip()


def source_text(source: str) -> str:
    """The rebuilt text of ``"cs-ner/pwc/<file>#<index>"`` (0-based document number).

    Raises
    ------
    ValueError
        When ``source`` names no such document.
    """
    name, _, index = source.removeprefix("cs-ner/pwc/").partition("#")
    if not source.startswith("cs-ner/pwc/") or "/" in name or not index.isdigit():
        raise ValueError(f"not a CS-NER PwC source: {source!r}")
    docs = _docs(name)
    if int(index) >= len(docs):
        raise ValueError(f"no CS-NER PwC document {source!r}")
    return detokenise(docs[int(index)])


@lru_cache(maxsize=4)
def _docs(name: str) -> list[list[str]]:
    return read_docs(PWC / name)
