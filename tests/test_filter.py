"""The learned entity filter: features, weights, dropping whole entities."""

from __future__ import annotations

from pathlib import Path

import pytest
from spacy.tokens import Span

from kg.extract import load_nlp
from kg.learn_filter import fit_logistic, fold_pairs, write_weights
from kg.pipes.filter import (
    BIAS,
    Candidates,
    EntityFilter,
    entity_features,
    entity_groups,
    probability,
    read_weights,
)
from kg.pipes.resolver import ENTS_KEY
from kg.pipes.ruler import CANDIDATES_KEY
from kg.records import Paper


@pytest.fixture(scope="module")
def doc():
    """A processed doc with two entities: "LoRA" (gazetteer, twice) and "our recipe" (NER)."""
    nlp = load_nlp()
    text = "LoRA for all\n\nWe combine LoRA with our recipe and compare it with LoRA."
    doc = nlp.make_doc(text)
    lora = [Span(doc, i, i + 1, label="method", span_id="gaz") for i in (0, 6, 14)]
    recipe = Span(doc, 9, 10, label="method", span_id="ner")
    assert [s.text for s in lora] == ["LoRA"] * 3 and recipe.text == "recipe"
    doc.spans[CANDIDATES_KEY] = [*lora, Span(doc, 9, 10, label="method", span_id="ner")]
    doc.spans[ENTS_KEY] = sorted([*lora, recipe], key=lambda s: s.start)
    return doc


def test_entities_group_all_their_occurrences(doc) -> None:
    groups = entity_groups(doc.spans[ENTS_KEY])
    assert sorted((key, len(spans)) for key, spans in groups.items()) == [
        (("method", "lora"), 3),
        (("method", "recipe"), 1),
    ]


def test_features_describe_sources_agreement_and_context(doc) -> None:
    groups = entity_groups(doc.spans[ENTS_KEY])
    cands = Candidates(doc)
    lora = entity_features(doc, groups[("method", "lora")], cands)
    recipe = entity_features(doc, groups[("method", "recipe")], cands)
    assert {"L=method", "src=gaz", "rule=same", "ner=none", "occ=3", "in_title"} <= lora
    assert {"src=ner", "ner=same", "rule=none", "occ=1", "prev=our", "lower"} <= recipe
    assert "in_title" not in recipe and "known" in lora
    assert {"suf=ipe", "L|suf=method|ipe"} <= recipe and "suf=<none>" in lora


def test_filter_drops_every_occurrence_of_an_unlikely_entity(doc) -> None:
    weights = {BIAS: 1.0, "src=ner": -3.0}
    assert probability(weights, {"src=ner"}) < 0.2 < probability(weights, {"src=gaz"})
    filtered = EntityFilter(weights, threshold=0.2)(doc.copy())
    assert [s.text for s in filtered.spans[ENTS_KEY]] == ["LoRA"] * 3
    assert [e.text for e in filtered.ents] == ["LoRA"] * 3


def test_label_thresholds_keep_a_label_the_filter_would_drop(doc) -> None:
    weights = {BIAS: 1.0, "src=ner": -3.0}
    kept = EntityFilter(weights, 0.2, label_thresholds={"method": 0.0})(doc.copy())
    assert [s.text for s in kept.spans[ENTS_KEY]] == ["LoRA", "LoRA", "recipe", "LoRA"]
    stricter = EntityFilter(weights, 0.2, label_thresholds={"method": 0.9})(doc.copy())
    assert list(stricter.spans[ENTS_KEY]) == []


def test_shipped_filter_never_drops_metrics() -> None:
    nlp = load_nlp()
    assert nlp.get_pipe("kg_filter").label_thresholds == {"metric": 0.0}


def test_filter_without_weights_keeps_everything() -> None:
    nlp = load_nlp()
    doc = nlp.make_doc("We use LoRA.")
    doc.spans[ENTS_KEY] = [Span(doc, 2, 3, label="method")]
    assert len(EntityFilter({})(doc).spans[ENTS_KEY]) == 1


def test_weights_round_trip(tmp_path: Path) -> None:
    weights = fit_logistic([({"a", "c"}, True)] * 4 + [({"b", "c"}, False)] * 4, min_count=3)
    assert weights["a"] > 0 > weights["b"]
    write_weights(weights, tmp_path / "filter.tsv")
    assert read_weights(tmp_path / "filter.tsv") == {k: v for k, v in weights.items() if v}
    assert read_weights(tmp_path / "missing.tsv") == {}


def test_folds_split_papers_without_overlap() -> None:
    pairs = [(Paper(f"p{i}", "t", "a", "s", 1), {}) for i in range(12)]
    seen = []
    for fold in range(5):
        inside, held = fold_pairs(pairs, fold)
        assert len(inside) + len(held) == 12
        assert not {p.id for p, _ in inside} & {p.id for p, _ in held}
        seen += [p.id for p, _ in held]
    assert sorted(seen) == sorted(p.id for p, _ in pairs)


def test_shipped_filter_is_in_the_pipeline_and_keeps_well_known_names() -> None:
    from kg.extract import extract

    nlp = load_nlp()
    assert nlp.pipe_names[-1] == "kg_filter"
    assert len(nlp.get_pipe("kg_filter").weights) > 100  # kg/data/filter.tsv is shipped
    text = "We fine-tune BERT with LoRA on GLUE and report accuracy on question answering."
    found = {(m.text, m.label) for m in extract([Paper("p", "A study", text, "test", 1)])}
    assert {
        ("BERT", "model"),
        ("LoRA", "method"),
        ("GLUE", "dataset"),
        ("accuracy", "metric"),
        ("question answering", "task"),
    } <= found


def test_cross_validation_scores_the_pipeline_with_and_without_the_filter() -> None:
    from kg.learn_filter import cross_validate

    records = [({"L=task", "good"}, True), ({"L=task", "bad"}, False)] * 6
    folds = [(records[i::3], 2) for i in range(3)]  # each: 2 right, 2 wrong, 2 gold
    scores = cross_validate(folds, thresholds=(0.0, 0.5), label_thresholds={})
    assert scores == {0.0: 0.667, 0.5: 1.0}
    kept = cross_validate(folds, thresholds=(0.0, 0.5), label_thresholds={"task": 0.0})
    assert kept == {0.0: 0.667, 0.5: 0.667}
