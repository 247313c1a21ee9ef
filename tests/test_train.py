"""Tests of the training-data conversions and the lexicon statistics (kg.train)."""

from __future__ import annotations

import pytest

from kg.splits import split_of
from kg.train import (
    CORPORA,
    SILVER,
    find_spans,
    heldout_titles,
    labelled_papers,
    method_or_model,
    norm,
    record_forms,
    title_key,
)

needs_silver = pytest.mark.skipif(not SILVER.exists(), reason="shared annotation not available")
needs_corpora = pytest.mark.skipif(not CORPORA.exists(), reason="shared corpora not available")


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


@needs_silver
def test_train_split_excludes_dev_and_heldout():
    pairs = labelled_papers("train")
    held = heldout_titles()
    assert len(pairs) == 251
    assert all(split_of(rec["id"]) == "train" for _, rec in pairs)
    assert not any(title_key(p.title) in held for p, _ in pairs)
    for paper, rec in pairs[:20]:  # silver texts are verbatim substrings of title + abstract
        text = (paper.title + "\n\n" + paper.abstract).lower()
        assert all(form.lower() in text for _, form in record_forms(rec))


@needs_corpora
def test_public_corpora_convert_to_aligned_spans():
    from kg.train import PUBLIC

    for name, convert in PUBLIC.items():
        examples = convert()
        assert examples, name
        labels = set()
        for text, spans in examples[:50]:
            for start, end, label in spans:
                assert 0 <= start < end <= len(text)
                assert text[start:end].strip() == text[start:end]
                labels.add(label)
        assert labels <= {"model", "method", "dataset", "metric", "task"}
