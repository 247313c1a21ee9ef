"""Learned lexicon: terms annotators mark, and candidate forms they rarely mark.

``kg/data/lexicon.tsv`` is built by :mod:`kg.train` from the train split of the silver
annotations. Each row is ``action<TAB>label<TAB>text<TAB>rate<TAB>support``:

* ``add``: a surface form annotated with ``label`` in at least ``rate`` of the train papers
  whose text contains it (outside longer annotated spans). Matched case-insensitively with
  plural and hyphen/space variants (case-sensitively when the form is an acronym).
* ``drop``: a ``(label, normalised form)`` that the rules propose but annotators marked in
  fewer than ``rate`` of the train papers where it was proposed; such candidates are removed.

:class:`LexiconMatcher` adds the ``add`` terms to ``doc.spans["kg_candidates"]`` (span id
``lex``) and removes candidates whose ``(label, normalised text)`` is dropped.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from pathlib import Path

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span
from spacy.util import ensure_path

from kg.gazetteer import DATA_DIR, singularize, term_variants
from kg.pipes.names import extend_name
from kg.pipes.ruler import CANDIDATES_KEY

LEXICON_FILE = "lexicon.tsv"
#: One lexicon row: (action, label, text, rate, support).
Row = tuple[str, str, str, float, int]


def norm_form(text: str) -> str:
    """Normalised form used for drop decisions (case, article, hyphen/space, plural).

    >>> norm_form("The Pre-trained Models")
    'pre trained model'
    """
    text = text.lower().strip()
    text = re.sub(r"^(the|a|an|our)\s+", "", text)
    text = re.sub(r"[\s\-_]+", " ", text)
    words = text.split()
    if words:
        words[-1] = singularize(words[-1])
    return " ".join(words)


def read_lexicon(path: Path) -> list[Row]:
    """Read ``lexicon.tsv`` rows (``#`` lines are comments); missing file -> ``[]``."""
    if not path.exists():
        return []
    rows: list[Row] = []
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            if not line.strip() or line.startswith("#"):
                continue
            action, label, text, rate, support = line.rstrip("\n").split("\t")[:5]
            rows.append((action, label, text, float(rate), int(support)))
    return rows


@Language.factory(
    "kg_lexicon",
    default_config={
        "file": LEXICON_FILE,
        "spans_key": CANDIDATES_KEY,
        "min_rate": 0.5,
        "min_support": 2,
        "drop": True,
    },
)
def make_lexicon(
    nlp: Language,
    name: str,
    file: str,
    spans_key: str,
    min_rate: float,
    min_support: int,
    drop: bool,
) -> LexiconMatcher:
    """Create a :class:`LexiconMatcher` loaded from ``kg/data/<file>``."""
    lexicon = LexiconMatcher(nlp, name, spans_key, min_rate, min_support, drop)
    path = Path(file) if Path(file).is_absolute() else DATA_DIR / file
    lexicon.add_rows(read_lexicon(path))
    return lexicon


class LexiconMatcher:
    """Add learned lexicon terms as candidates and remove rarely-annotated candidates."""

    def __init__(
        self,
        nlp: Language,
        name: str = "kg_lexicon",
        spans_key: str = CANDIDATES_KEY,
        min_rate: float = 0.5,
        min_support: int = 2,
        drop: bool = True,
    ) -> None:
        self.nlp = nlp
        self.name = name
        self.spans_key = spans_key
        self.min_rate = min_rate
        self.min_support = min_support
        self.drop = drop
        self.rows: list[Row] = []
        self.dropped: set[tuple[str, str]] = set()
        self._labels: dict[str, str] = {}
        self.lower_matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.orth_matcher = PhraseMatcher(nlp.vocab, attr="ORTH")

    def add_rows(self, rows: Iterable[Row]) -> None:
        """Add lexicon rows; ``add`` rows below the rate/support thresholds are kept but unused."""
        rows = list(rows)
        self.rows.extend(rows)
        lower: dict[str, str] = {}
        orth: dict[str, str] = {}
        for action, label, text, rate, support in rows:
            if action == "drop":
                self.dropped.add((label, norm_form(text)))
            elif rate >= self.min_rate and support >= self.min_support:
                if re.search(r"[A-Z].*[A-Z]|\d", text) and " " not in text:
                    orth.setdefault(text, label)
                    if text[-1].isupper():
                        orth.setdefault(text + "s", label)
                else:
                    for variant in term_variants(text.lower()):
                        lower.setdefault(variant, label)
        for table, matcher, prefix in (
            (lower, self.lower_matcher, "ci"),
            (orth, self.orth_matcher, "cs"),
        ):
            texts = sorted(t for t in table if f"{prefix}\t{t}" not in self._labels)
            for text, doc in zip(texts, self.nlp.tokenizer.pipe(texts), strict=True):
                key = f"{prefix}\t{text}"
                self._labels[key] = table[text]
                matcher.add(key, [doc])

    def __call__(self, doc: Doc) -> Doc:
        """Add lexicon matches to and remove dropped forms from ``doc.spans[spans_key]``."""
        group = list(doc.spans[self.spans_key]) if self.spans_key in doc.spans else []
        strings = self.nlp.vocab.strings
        seen = {(s.start, s.end, s.label_) for s in group}
        for matcher in (self.lower_matcher, self.orth_matcher):
            for key, start, end in matcher(doc):
                label = self._labels[strings[key]]
                if (start, end, label) not in seen:
                    seen.add((start, end, label))
                    # versions and sizes stay in the name: "Llama" + "3.1", "Mistral" + "7B"
                    group.append(extend_name(Span(doc, start, end, label=label, span_id="lex")))
        if self.drop and self.dropped:
            group = [s for s in group if (s.label_, norm_form(s.text)) not in self.dropped]
        doc.spans[self.spans_key] = group
        return doc

    def to_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> None:
        """Write the rows to ``path/rows.jsonl``."""
        path = ensure_path(path)
        path.mkdir(parents=True, exist_ok=True)
        with open(path / "rows.jsonl", "w", encoding="utf-8") as handle:
            for row in self.rows:
                handle.write(json.dumps(list(row), ensure_ascii=False) + "\n")

    def from_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> LexiconMatcher:
        """Replace the rows with those in ``path/rows.jsonl``."""
        path = ensure_path(path)
        with open(path / "rows.jsonl", encoding="utf-8") as handle:
            rows = [tuple(json.loads(line)) for line in handle if line.strip()]
        self.__init__(  # type: ignore[misc]
            self.nlp, self.name, self.spans_key, self.min_rate, self.min_support, self.drop
        )
        self.add_rows(rows)  # type: ignore[arg-type]
        return self
