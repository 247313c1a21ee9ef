"""Check the training data conversions on the real data in ``../shared``.

Run before retraining (``python -m kg.train``): the silver train split excludes the
dev and held-out papers, silver texts are verbatim substrings, and every public
corpus converts to well-aligned spans of our five labels.

    python bench/check_training_data.py
"""

from __future__ import annotations

from pathlib import Path

from kg.splits import split_of
from kg.trainingdata import heldout_titles, labelled_papers, record_forms, title_key


def test_train_split_excludes_dev_and_heldout():
    pairs = labelled_papers("train")
    held = heldout_titles()
    assert len(pairs) == 251
    assert all(split_of(rec["id"]) == "train" for _, rec in pairs)
    assert not any(title_key(p.title) in held for p, _ in pairs)
    for paper, rec in pairs[:20]:  # silver texts are verbatim substrings of title + abstract
        text = (paper.title + "\n\n" + paper.abstract).lower()
        assert all(form.lower() in text for _, form in record_forms(rec))


def test_public_corpora_convert_to_aligned_spans():
    from kg.trainingdata import PUBLIC

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


def test_evaluation_data_is_never_trained_on():
    import json

    from kg.trainingdata import CORPORA, GSAP_EVAL_FOLD, csner_examples, gsap_examples

    trained = {" ".join(text.split()) for text, _ in gsap_examples()}
    with open(CORPORA / "gsap-ner" / GSAP_EVAL_FOLD, encoding="utf-8") as handle:
        fold0 = [json.loads(line) for line in handle if line.strip()]
    assert not any(" ".join(p["text"].split()) in trained for p in fold0 if p.get("is_abstract"))
    # data/dev/external.jsonl comes from CS-NER test-abs; training reads dev-abs only.
    external = Path(__file__).resolve().parents[1] / "data" / "dev" / "external.jsonl"
    starts = {" ".join(text.split()[:12]) for text, _ in csner_examples()}
    for line in external.read_text(encoding="utf-8").splitlines():
        words = " ".join(json.loads(line)["abstract"].split()[:12])
        assert words not in starts
    # data/dev/pwc-dev.jsonl samples CS-NER dev-abs, so the shipped models never train on it.
    import inspect

    from kg.train import train_ner

    assert "csner" not in inspect.signature(train_ner).parameters["corpora"].default
    # data/train (extra training annotations) samples CS-NER test-abs, never external's 40
    extra = sorted((Path(__file__).resolve().parents[1] / "data" / "train").glob("*.jsonl"))
    sources = [json.loads(line)["source"] for p in extra for line in p.open(encoding="utf-8")]
    held = [json.loads(line)["source"] for line in external.open(encoding="utf-8")]
    assert sources and not set(sources) & set(held) and len(set(sources)) == len(sources)


if __name__ == "__main__":
    test_train_split_excludes_dev_and_heldout()
    test_public_corpora_convert_to_aligned_spans()
    test_evaluation_data_is_never_trained_on()
    print("training data: train split and public corpus conversions OK")
