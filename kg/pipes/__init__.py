"""spaCy pipeline components of the extraction stage.

Importing this package registers the factories ``kg_sentencizer``, ``kg_gazetteer``,
``kg_lexicon``, ``kg_ner_ensemble``, ``kg_ner_candidates``, ``kg_abbreviations``,
``kg_entity_resolver`` and ``kg_filter`` with :class:`spacy.language.Language`, so they can be
added to any pipeline with ``nlp.add_pipe("kg_gazetteer")``. The trained NER (an ensemble of
models, or one ``tok2vec`` + ``ner``) is added from ``kg/data/ner`` by
:func:`kg.pipes.ner.add_ner`.
"""

from __future__ import annotations

from kg.pipes.abbrev import AbbreviationDetector, find_abbreviations
from kg.pipes.filter import EntityFilter
from kg.pipes.lexicon import LexiconMatcher
from kg.pipes.ner import NerCandidates, NerEnsemble, add_ner
from kg.pipes.resolver import EntityResolver
from kg.pipes.ruler import CANDIDATES_KEY, GazetteerRuler
from kg.pipes.sentences import KgSentencizer

__all__ = [
    "CANDIDATES_KEY",
    "AbbreviationDetector",
    "EntityFilter",
    "EntityResolver",
    "LexiconMatcher",
    "NerCandidates",
    "NerEnsemble",
    "GazetteerRuler",
    "KgSentencizer",
    "add_ner",
    "find_abbreviations",
]
