"""Tests of the training-data conversions (kg.trainingdata).

Checks on the real training data in ``../shared`` are in ``bench/check_training_data.py``
(the test suite reads nothing outside the repository).
"""

from __future__ import annotations

import pytest

from kg.pipes.lexicon import norm_form as norm
from kg.pwc import detokenise, source_text
from kg.trainingdata import find_spans, method_or_model, record_forms


def test_find_spans_every_occurrence_longest_first_case_insensitive():
    text = "Large Language Models (LLMs) beat language models; large language models win."
    forms = [("model", "large language models"), ("model", "language models"), ("model", "LLMs")]
    spans = find_spans(text, forms)
    assert [text[s:e] for s, e, _ in spans] == [
        "Large Language Models",
        "LLMs",
        "language models",
        "large language models",
    ]
    assert find_spans("BERTology", [("model", "BERT")]) == []  # word-bounded


def test_norm_and_merged_label_split():
    assert norm("The Graph-Neural Networks") == "graph neural network"
    assert method_or_model("convolutional neural network") == "model"
    assert method_or_model("ResNet50") == "model"
    assert method_or_model("SGD") == "method"
    assert method_or_model("beam search") == "method"


def test_record_forms_include_aliases():
    rec = {"model": [{"text": "Low-Rank Adaptation", "aliases": ["LoRA"]}], "task": []}
    assert record_forms(rec) == [("model", "Low-Rank Adaptation"), ("model", "LoRA")]


def test_pwc_abstracts_are_rebuilt_from_tokens_and_sources_are_checked():
    tokens = [
        "We",
        "use",
        "LSTM",
        "s",
        "(",
        "LSTM",
        ")",
        "and",
        "BERT",
        "-based",
        "models",
        ",",
        "reaching",
        "93.1",
        "{\\%}",
        ".",
    ]
    assert detokenise(tokens) == "We use LSTMs (LSTM) and BERT-based models, reaching 93.1%."
    for bad in ("cs-ner/pwc/test-abs.data", "cs-ner/pwc/../x#1", "other/file#3"):
        with pytest.raises(ValueError):
            source_text(bad)
