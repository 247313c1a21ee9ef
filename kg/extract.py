"""Extraction stage: papers in, typed entity mentions out.

``load_nlp()`` builds an offline spaCy pipeline (``spacy.blank("en")`` plus the components in
:mod:`kg.pipes` and the small trained NER ensemble in ``kg/data/ner``, rebuilt by
``python -m kg.train``); ``extract()`` runs it over title + abstract of each paper and turns
the resulting spans into plain :class:`~kg.records.Mention` records.

Example
-------
>>> from kg.records import Paper
>>> paper = Paper("p1", "PELA: Low-Rank Models", "We fine-tune BERT on GLUE.", "x", 1)
>>> found = {(m.text, m.label, m.field) for m in extract([paper])}
>>> sorted(m for m in found if m[0] in ("PELA", "BERT", "GLUE"))
[('BERT', 'model', 'abstract'), ('GLUE', 'dataset', 'abstract'), ('PELA', 'method', 'title')]
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

import spacy
from spacy.language import Language
from spacy.tokens import Doc

import kg.pipes  # noqa: F401  (registers the component factories)
from kg.pipes.ner import NER_DIR, add_ner
from kg.pipes.resolver import ENTS_KEY
from kg.records import SEPARATOR, Mention, Paper

PIPES: tuple[str, ...] = (
    "kg_sentencizer",
    "kg_gazetteer",
    "kg_lexicon",
    "kg_abbreviations",
    "kg_entity_resolver",
)


@lru_cache(maxsize=1)
def load_nlp() -> Language:
    """Return the extraction pipeline (cached per process; offline, no model download).

    Returns
    -------
    spacy.language.Language
        ``spacy.blank("en")`` with ``kg_sentencizer``, ``kg_gazetteer``, the trained NER
        (``kg_ner_ensemble``, or ``tok2vec`` + ``ner`` for a single model, when ``kg/data/ner``
        holds one) and ``kg_ner_candidates``,
        ``kg_lexicon``, ``kg_abbreviations``, ``kg_entity_resolver`` (which combines rule
        and NER candidates) and ``kg_filter`` (drops entities annotators rarely mark).
    """
    return build_nlp()


def build_nlp(
    ner: Path | None = NER_DIR,
    lexicon: Path | None = None,
    entity_filter: bool = True,
    lexicon_drop: bool = True,
) -> Language:
    """Build the extraction pipeline of :func:`load_nlp` (uncached) from the NER models at
    ``ner`` and the lexicon file ``lexicon`` (default ``kg/data/lexicon.tsv``);
    ``entity_filter=False`` leaves out ``kg_filter`` (for training it: :mod:`kg.learn_filter`).
    ``ner=None`` gives the rules alone, and ``lexicon_drop=False`` keeps the candidates the
    lexicon would drop (for learning its drop rows: :func:`kg.learn_lexicon.drop_rows`).
    """
    nlp = spacy.blank("en")
    adapt_tokenizer(nlp)
    lexicon_config: dict = {"drop": lexicon_drop}
    if lexicon:
        lexicon_config["file"] = str(lexicon)
    for name in PIPES:
        nlp.add_pipe(name, config=lexicon_config if name == "kg_lexicon" else {})
    if ner is None:
        return nlp
    if add_ner(nlp, ner, before="kg_lexicon"):
        nlp.add_pipe("kg_ner_candidates", before="kg_lexicon")
        if entity_filter:
            nlp.add_pipe("kg_filter")  # learned with the NER's out-of-fold predictions
    else:
        warnings.warn(
            f"{ner} not found: extracting with rules only (rebuild: python -m kg.train)",
            stacklevel=2,
        )
    return nlp


def adapt_tokenizer(nlp: Language) -> None:
    """Keep model sizes whole ("1K", "7B" are not number + unit) and split a final period
    after them ("ImageNet-21K." -> "ImageNet-21K" + ".") and after a name ending in a
    capital ("DiT.", "AdamW.": spaCy splits it only after two capitals); split at "|", at
    a comma between a digit and a letter and at a bracket between a lowercase and a capital
    letter ("Transformers(ViT)"; not "TD(lambda)")."""
    suffixes = [s.replace("|T|G|M|K|", "|") for s in nlp.Defaults.suffixes]
    suffixes += [r"(?<=[0-9])\.", r"(?<=[0-9][A-Za-z])\.", r"(?<=[a-z][A-Z])\."]
    nlp.tokenizer.suffix_search = spacy.util.compile_suffix_regex(suffixes).search
    # "MobileNet-V1|ResNet-50" and "ResNet-50,Inception-v3" list two names; a bracket
    # written without a space opens a short form: "Vision Transformers(ViT)"
    infixes = [*nlp.Defaults.infixes, r"\|", r"(?<=[0-9]),(?=[A-Za-z])", r"(?<=[a-z])\((?=[A-Z])"]
    nlp.tokenizer.infix_finditer = spacy.util.compile_infix_regex(infixes).finditer


def extract(papers: Iterable[Paper], nlp: Language | None = None) -> list[Mention]:
    """Extract entity mentions from the title and abstract of each paper.

    Parameters
    ----------
    papers:
        Papers to read.
    nlp:
        Pipeline to use; defaults to :func:`load_nlp`. It must write its entities to
        ``doc.spans["kg"]`` (or ``doc.ents``).

    Returns
    -------
    list of Mention
        Ordered by paper (input order), then field (title before abstract), then start offset.
    """
    nlp = nlp or load_nlp()
    papers = list(papers)
    texts = (p.title + SEPARATOR + p.abstract for p in papers)
    mentions: list[Mention] = []
    for paper, doc in zip(papers, nlp.pipe(texts, batch_size=64), strict=True):
        mentions.extend(doc_mentions(paper, doc))
    return mentions


def doc_mentions(paper: Paper, doc: Doc) -> list[Mention]:
    """Turn the entity spans of one processed paper into :class:`Mention` records."""
    offset = len(paper.title) + len(SEPARATOR)
    spans = doc.spans.get(ENTS_KEY, doc.ents)
    sents = list(doc.sents)
    sent_index: dict[int, int] = {}
    for sent in sents:
        if sent.start_char >= offset and sent.text.strip():
            sent_index[sent.start] = len(sent_index) + 1
    sent_of = {tok.i: sent for sent in sents for tok in sent}
    out: list[Mention] = []
    for span in sorted(spans, key=lambda s: (s.start_char, s.end_char)):
        if span.start_char < len(paper.title) and span.end_char <= len(paper.title):
            field, start, sentence, index = "title", span.start_char, paper.title, 0
        elif span.start_char >= offset:
            field, start = "abstract", span.start_char - offset
            sent = sent_of[span.start]
            sentence, index = sent.text.strip(), sent_index.get(sent.start, 1)
        else:
            continue
        out.append(
            Mention(
                paper_id=paper.id,
                text=span.text,
                label=span.label_,
                field=field,
                start=start,
                end=start + len(span.text),
                sentence=sentence,
                sentence_index=index,
                proposed=bool(span._.get("kg_proposed"))
                if span.has_extension("kg_proposed")
                else False,
                long_form=span._.get("kg_long_form")
                if span.has_extension("kg_long_form")
                else None,
            )
        )
    return out
