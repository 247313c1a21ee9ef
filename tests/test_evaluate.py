"""Scoring extraction against gold data: the scorer, the corpus readers and ``kg evaluate``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.cli import main
from kg.corpora import (
    FORMATS,
    GoldDoc,
    GoldEntity,
    read_gold,
    read_gsap,
    read_ours,
    read_predictions,
    read_scierc,
    read_tdmsci,
)
from kg.errors import InputError
from kg.evaluate import Report, format_report, score
from kg.records import Paper

DATA = Path(__file__).parent / "data"


def doc(*entities: tuple, doc_id: str = "d1") -> GoldDoc:
    """A gold document from ``(label, text, *aliases)`` tuples."""
    return GoldDoc(doc_id, "", "", tuple(GoldEntity(e[0], e[1], tuple(e[2:])) for e in entities))


def pred(label: str, text: str, canonical: str | None = None) -> dict:
    return {"text": text, "label": label, "canonical": canonical or text}


def prf(report: Report, label: str = "micro", mode: str = "exact typed") -> tuple:
    s = report.scores[mode][label]
    return round(s.precision, 4), round(s.recall, 4), round(s.f1, 4)


# --- the scorer ---------------------------------------------------------------------------


def test_alias_and_canonical_group_count_once() -> None:
    gold = [doc(("model", "Large Language Models", "LLMs"))]
    predictions = {
        "d1": [
            pred("model", "LLMs", "Large Language Models"),
            pred("model", "large language model", "Large Language Models"),
        ]
    }
    report = score(gold, predictions)
    assert report.scores["exact typed"]["model"].predicted == 1
    assert prf(report) == (1.0, 1.0, 1.0)


def test_alias_alone_matches() -> None:
    gold = [doc(("model", "Large Language Models", "LLMs"))]
    assert prf(score(gold, {"d1": [pred("model", "LLM")]})) == (1.0, 1.0, 1.0)


@pytest.mark.parametrize(
    ("gold_text", "pred_text", "exact"),
    [
        ("fine-tuning", "Fine Tuning", True),
        ("ResNets", "ResNet", True),
        ("Transformer", "the transformer", True),
        ("GPT-4", "GPT-4o", False),
        ("ResNet-50", "ResNet-101", False),
    ],
)
def test_normalisation(gold_text: str, pred_text: str, exact: bool) -> None:
    report = score([doc(("model", gold_text))], {"d1": [pred("model", pred_text)]})
    assert report.scores["exact typed"]["micro"].f1 == (1.0 if exact else 0.0)


def test_partial_needs_half_the_content_tokens() -> None:
    gold = [doc(("task", "question answering"), ("task", "language understanding"))]
    predictions = {
        "d1": [pred("task", "open-domain question answering"), pred("task", "language model")]
    }
    report = score(gold, predictions)
    assert prf(report, mode="exact typed") == (0.0, 0.0, 0.0)
    # {open, domain, question, answering} vs {question, answering}: Jaccard 2/4 -> match;
    # {language, model} vs {language, understanding}: 1/3 -> no match.
    assert prf(report, mode="partial typed") == (0.5, 0.5, 0.5)


def test_typed_and_untyped_and_type_confusion() -> None:
    gold = [doc(("dataset", "GLUE"), ("model", "BERT"))]
    report = score(gold, {"d1": [pred("task", "GLUE"), pred("model", "BERT")]})
    assert prf(report, mode="exact typed") == (0.5, 0.5, 0.5)
    assert prf(report, mode="exact untyped") == (1.0, 1.0, 1.0)
    assert [(e.label, e.predicted_label, e.text) for e in report.confusions] == [
        ("dataset", "task", "GLUE")
    ]
    # a type confusion is not also listed as a false positive or negative
    assert report.false_positives == [] and report.false_negatives == []
    # untyped, per label: recall by gold label, precision by predicted label
    untyped = report.scores["exact untyped"]
    assert untyped["dataset"].recall == 1.0 and untyped["dataset"].predicted == 0
    assert untyped["task"].precision == 1.0 and untyped["task"].gold == 0


def test_no_double_counting() -> None:
    # one gold entity, two predictions that both partially match it
    gold = [doc(("model", "BERT"))]
    predictions = {"d1": [pred("model", "BERT-base"), pred("model", "BERT-large")]}
    report = score(gold, predictions, "gsap")  # surface forms are separate entities
    assert report.scores["partial typed"]["micro"].matched_predicted == 1
    assert prf(report, mode="partial typed") == (0.5, 1.0, 0.6667)
    # two gold entities, one prediction
    gold = [doc(("model", "XLM-R"), ("model", "dubbed XLM-R"))]
    report = score(gold, {"d1": [pred("model", "XLM-R")]}, "gsap")
    assert prf(report, mode="partial typed") == (1.0, 0.5, 0.6667)


def test_matching_is_maximum_not_first_come() -> None:
    # g1 prefers p1 (exact) but also partially matches p2; g2 only matches p1.
    gold = [doc(("model", "masked language model"), ("model", "masked language modeling"))]
    predictions = {"d1": [pred("model", "masked language model"), pred("model", "language model")]}
    report = score(gold, predictions, "gsap")
    assert report.scores["partial typed"]["micro"].matched_gold == 2


def test_micro_and_macro() -> None:
    gold = [doc(("model", "A1"), ("model", "B1"), ("model", "C1"), ("task", "D1"))]
    predictions = {
        "d1": [pred("model", "A1"), pred("model", "B1")]
        + [pred("task", "D1"), pred("task", "E1"), pred("task", "F1")]
    }
    report = score(gold, predictions)
    assert prf(report, "model") == (1.0, 0.6667, 0.8)
    assert prf(report, "task") == (0.3333, 1.0, 0.5)
    assert prf(report, "micro") == (0.6, 0.75, 0.6667)
    # macro: mean over labels with gold or predictions (model, task) only
    assert prf(report, "macro") == (0.6667, 0.8333, 0.65)


def test_errors_aggregate_over_documents() -> None:
    gold = [doc(("model", "BERT"), doc_id="a"), doc(("model", "BERT"), doc_id="b")]
    predictions = {"a": [pred("method", "training")], "b": [pred("method", "Training")]}
    report = score(gold, predictions)
    assert [(e.label, e.text, e.count, e.examples) for e in report.false_negatives] == [
        ("model", "BERT", 2, ("a", "b"))
    ]
    assert [(e.text, e.count) for e in report.false_positives] == [("training", 2)]
    text = format_report(report, top_errors=5)
    assert "false negatives" in text and "'BERT'  (a, b)" in text
    json.dumps(report.to_dict(5))  # JSON-ready


def test_corpus_labels_and_relabelling() -> None:
    # TDMSci has no model label: model predictions are ignored, not false positives
    gold = [doc(("task", "parsing"))]
    report = score(gold, {"d1": [pred("model", "BERT"), pred("task", "parsing")]}, "tdmsci")
    assert prf(report) == (1.0, 1.0, 1.0)
    assert report.labels == ("dataset", "metric", "task")
    # SciERC's Method covers our model and method
    gold = [doc(("method", "hidden Markov models"))]
    report = score(gold, {"d1": [pred("model", "hidden Markov model")]}, "scierc")
    assert prf(report) == (1.0, 1.0, 1.0)


# --- the readers --------------------------------------------------------------------------


def test_read_ours_with_own_abstract_needs_no_corpus() -> None:
    docs = read_ours(DATA / "gold_ours.jsonl", papers=[])
    assert [d.id for d in docs] == ["g1", "g2"]
    assert "knowledge distillation method" in docs[0].abstract
    assert GoldEntity("model", "Large Language Models", ("LLMs",)) in docs[0].entities
    assert len(docs[1].entities) == 5


def test_read_ours_matches_papers_by_title(tmp_path: Path) -> None:
    gold = tmp_path / "gold.jsonl"
    gold.write_text(json.dumps({"id": "x", "title": "bert  for QA!", "model": ["BERT"]}) + "\n")
    paper = Paper("p9", "BERT for QA", "We fine-tune BERT.", "c.jsonl", 1)
    (found,) = read_ours(gold, [paper])
    assert (found.title, found.abstract) == ("BERT for QA", "We fine-tune BERT.")
    assert found.entities == (GoldEntity("model", "BERT"),)


def test_read_ours_reports_missing_papers_and_bad_json(tmp_path: Path) -> None:
    gold = tmp_path / "gold.jsonl"
    gold.write_text(
        json.dumps({"title": "Known"})
        + "\n"
        + json.dumps({"title": "Unknown one"})
        + "\n"
        + json.dumps({"title": "Unknown two"})
        + "\n"
    )
    with pytest.raises(InputError, match=r"2 gold paper\(s\) not found.*'Unknown one'"):
        read_ours(gold, [Paper("k", "Known", "text", "c", 1)])
    gold.write_text('{"title": "A"}\n{"title": \n')
    with pytest.raises(InputError, match=r"gold.jsonl:2: not valid JSON"):
        read_ours(gold, None)


def test_read_gsap_keeps_abstract_paragraphs_and_maps_labels() -> None:
    docs = read_gsap(DATA)
    assert [d.id for d in docs] == ["p1", "p2"]
    assert "GLUE" not in docs[0].abstract  # not an abstract paragraph
    assert docs[0].abstract.endswith("TinyBERT beats BERT on SQuAD.")
    got = {(e.label, e.text) for e in docs[0].entities}
    assert got == {
        ("method", "pretrain"),
        ("model", "Transformer"),  # ModelArchitecture
        ("model", "TinyBERT"),  # once, though in both paragraphs
        ("model", "BERT"),
        ("dataset", "Wikipedia"),  # Datasource
        ("dataset", "SQuAD"),  # DatasetGeneric dropped
        ("task", "question answering"),
    }
    assert {(e.label, e.text) for e in docs[1].entities} == {
        ("task", "segments images"),
        ("model", "U-Net"),
    }


def test_read_scierc_detokenizes_and_maps_labels() -> None:
    first, second = read_scierc(DATA / "scierc_sample.json")
    assert first.abstract.startswith("We apply hidden Markov models (HMMs) to part-of-speech")
    assert {(e.label, e.text) for e in first.entities} == {
        ("method", "hidden Markov models"),
        ("method", "HMMs"),
        ("task", "part-of-speech tagging"),
        ("dataset", "Penn Treebank"),  # Material
        ("metric", "accuracy"),
    }  # Generic dropped
    assert {e.text for e in second.entities} == {"Word alignment", "machine translation"}


def test_read_tdmsci_rebuilds_sentences() -> None:
    first, second = read_tdmsci(DATA / "tdmsci_sample.conll")
    assert first.abstract == "We evaluate on CoNLL-2003 for named entity recognition (F1)."
    assert {(e.label, e.text) for e in first.entities} == {
        ("dataset", "CoNLL-2003"),
        ("task", "named entity recognition"),
        ("metric", "F1"),
    }
    assert second.entities == (GoldEntity("metric", "BLEU"),)


def test_read_gold_dispatch_and_formats() -> None:
    assert len(read_gold(DATA / "scierc_sample.json", "scierc")) == 2
    assert set(FORMATS) == {"ours", "gsap", "scierc", "tdmsci"}
    with pytest.raises(InputError, match="no such file"):
        read_gold(DATA / "missing.json", "scierc")


def test_read_predictions_by_title(tmp_path: Path) -> None:
    docs = read_ours(DATA / "gold_ours.jsonl", papers=[])
    path = tmp_path / "pred.jsonl"
    record = {"id": "x", "title": docs[0].title.upper(), "entities": [pred("model", "BERT")]}
    path.write_text(json.dumps(record) + "\n")
    with pytest.raises(InputError, match=r"1 gold paper\(s\) have no predictions"):
        read_predictions(path, docs)
    assert read_predictions(path, docs[:1]) == {"g1": [pred("model", "BERT")]}


# --- the command line ---------------------------------------------------------------------


@pytest.fixture()
def small(tmp_path: Path) -> tuple[Path, Path]:
    """A gold file and the corpus (JSONL) holding its papers' texts."""
    corpus = tmp_path / "papers.jsonl"
    gold = tmp_path / "gold.jsonl"
    records = [json.loads(line) for line in (DATA / "gold_ours.jsonl").read_text().splitlines()]
    corpus.write_text(
        "".join(
            json.dumps({"title": r["title"], "abstract": r["abstract"]}) + "\n" for r in records
        )
    )
    gold.write_text(
        "".join(json.dumps({k: v for k, v in r.items() if k != "abstract"}) + "\n" for r in records)
    )
    return gold, corpus


def test_cli_runs_the_extractor(small: tuple[Path, Path]) -> None:
    gold, corpus = small
    result = CliRunner().invoke(main, ["evaluate", str(gold), str(corpus), "--format", "json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["documents"] == 2
    assert report["scores"]["exact typed"]["model"]["matched_gold"] >= 1
    missed = {e["text"] for e in report["errors"]["false_negatives"]}
    assert "BERT" not in missed and "ImageNet" not in missed  # clearly named: found
    table = CliRunner().invoke(main, ["evaluate", str(gold), str(corpus), "--errors", "3"])
    assert table.exit_code == 0 and "micro" in table.output and "top 3" in table.output


def test_cli_scores_a_predictions_file(small: tuple[Path, Path], tmp_path: Path) -> None:
    gold, _ = small
    preds = tmp_path / "pred.jsonl"
    preds.write_text(
        json.dumps({"title": "TinyNet: Distilling BERT for Question Answering", "entities": []})
        + "\n"
        + json.dumps(
            {"title": "Fine-Tuning ResNets on ImageNet", "entities": [pred("model", "ResNet50")]}
        )
        + "\n"
    )
    result = CliRunner().invoke(
        main, ["evaluate", str(gold), "--predictions", str(preds), "--format", "json"]
    )
    assert result.exit_code == 0, result.output
    micro = json.loads(result.output)["scores"]["exact typed"]["micro"]
    assert (micro["gold"], micro["predicted"], micro["matched_gold"]) == (13, 1, 1)


def test_cli_public_format(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        main, ["evaluate", str(DATA / "tdmsci_sample.conll"), "--corpus-format", "tdmsci"]
    )
    assert result.exit_code == 0, result.output
    assert "tdmsci, 2 documents" in result.output and "model" not in result.output.split("\n\n")[1]


def test_cli_errors_are_one_line(small: tuple[Path, Path], tmp_path: Path) -> None:
    gold, _ = small
    other = tmp_path / "other.jsonl"
    other.write_text(json.dumps({"title": "Something else", "abstract": "Text."}) + "\n")
    result = CliRunner().invoke(main, ["evaluate", str(gold), str(other)])
    assert result.exit_code == 1
    assert "2 gold paper(s) not found in the corpus, first: 'TinyNet" in result.output
    assert "Traceback" not in result.output and len(result.output.strip().splitlines()) == 1
    missing = CliRunner().invoke(main, ["evaluate", str(tmp_path / "nope.jsonl"), str(other)])
    assert missing.exit_code == 1 and "no such file" in missing.output
