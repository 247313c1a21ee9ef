"""Sweep component settings of the extractor on dev-tune (never on dev-heldout).

Usage: ``python bench/tune_extract.py lexicon`` (min_rate x min_support of ``kg_lexicon``).
"""

from __future__ import annotations

import io
import sys
from contextlib import redirect_stdout
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import spacy  # noqa: E402
from score_silver import compare, table  # noqa: E402

from kg.extract import PIPES, adapt_tokenizer, extract  # noqa: E402
from kg.pipes.ner import NER_DIR, add_ner  # noqa: E402
from kg.trainingdata import labelled_papers  # noqa: E402


def build(configs: dict[str, dict], ner: Path | None = NER_DIR):  # noqa: ANN201
    """The default pipeline with per-component config overrides and the NER at ``ner``
    (None: rules only)."""
    nlp = spacy.blank("en")
    adapt_tokenizer(nlp)
    for name in PIPES:
        nlp.add_pipe(name, config=configs.get(name, {}))
    if ner is not None and add_ner(nlp, ner, before="kg_lexicon"):
        nlp.add_pipe("kg_ner_candidates", before="kg_lexicon")
    return nlp


def run(configs: dict[str, dict], split: str = "dev-tune", ner: Path | None = NER_DIR) -> dict:
    """Scores of the pipeline with ``configs`` on ``split``."""
    pairs = labelled_papers(split)
    mentions = extract([p for p, _ in pairs], build(configs, ner))
    tp, fp, fn, *_ = compare(pairs, mentions)
    with redirect_stdout(io.StringIO()):
        return table(tp, fp, fn)


def fmt(result: dict) -> str:
    return " ".join(f"{k[:3]} {v[2]:.3f}" for k, v in result.items())


if __name__ == "__main__":
    what = sys.argv[1] if len(sys.argv) > 1 else "lexicon"
    split = sys.argv[2] if len(sys.argv) > 2 else "dev-tune"
    if what == "ner":
        ner_path = Path(sys.argv[3]) if len(sys.argv) > 3 else NER_DIR
        print("rules", fmt(run({}, split, None)), flush=True)
        for mode in ("union", "fill", "prefer"):
            for first in ([], ["dataset"], ["dataset", "model"], ["dataset", "metric"]):
                cfg = {"kg_entity_resolver": {"ner_mode": mode, "rules_first": first}}
                print(mode, first, fmt(run(cfg, split, ner_path)), flush=True)
    if what == "lexicon":
        for drop in (False, True):
            for support in (2, 3, 5):
                for rate in (0.3, 0.5, 0.7, 0.9, 1.1):
                    cfg = {"min_rate": rate, "min_support": support, "drop": drop}
                    print(drop, support, rate, fmt(run({"kg_lexicon": cfg}, split)), flush=True)
