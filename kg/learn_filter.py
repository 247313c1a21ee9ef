"""Train the entity filter (``kg/data/filter.tsv``, :mod:`kg.pipes.filter`) on out-of-fold
predictions for the silver train split.

    .venv/bin/python -m kg.learn_filter            # about 45 minutes on 2 CPU cores

The NER and the lexicon were trained on the train split, so the pipeline's own predictions
on those papers are too good to learn from. Instead the train papers are split into five
folds (by sorted id); for each fold a lexicon and three NER models (seeds 0-2, the settings
of :mod:`kg.train`) are trained on the other four, and the whole pipeline with them reads
the fold's papers. Each resolved entity gives one record: its features
(:func:`kg.pipes.filter.entity_features`) and whether the silver annotation has it. A
logistic regression with an L2 penalty (Newton's method) is fitted on all records; the
weights of features seen at least ``min_count`` times are written. dev-tune only picks each
NER model's best epoch, as in :mod:`kg.train`; dev-heldout is never read.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from kg.gazetteer import DATA_DIR
from kg.records import LABELS, Paper
from kg.resolve import normalise

FOLDS = 5


def fold_pairs(pairs: list[tuple[Paper, dict]], fold: int, folds: int = FOLDS) -> tuple:
    """``(training pairs, held pairs)`` of one fold; papers are assigned by sorted id."""
    ordered = sorted(pairs, key=lambda pair: pair[0].id)
    inside = [pair for i, pair in enumerate(ordered) if i % folds != fold]
    held = [pair for i, pair in enumerate(ordered) if i % folds == fold]
    return inside, held


def train_folds(
    folds: list[list[tuple[Paper, dict]]],
    work: Path,
    seeds: int = 3,
    jobs: int = 2,
    extra: bool = False,
) -> None:
    """Build ``work/fold<k>/lexicon.tsv`` and ``work/fold<k>/ner/<seed>`` from the training
    pairs of each fold (files already in ``work`` are kept); models train ``jobs`` at a time,
    with ``extra`` also on ``data/train`` (as ``python -m kg.train --extra``)."""
    from concurrent.futures import ProcessPoolExecutor

    from kg.learn_lexicon import build_lexicon
    from kg.trainingdata import pair_examples

    todo = []
    for fold, inside in enumerate(folds):
        folder = work / f"fold{fold}"
        folder.mkdir(parents=True, exist_ok=True)
        if not (folder / "lexicon.tsv").exists():
            build_lexicon(folder / "lexicon.tsv", pairs=inside)
        silver = pair_examples(inside)
        for seed in range(seeds):
            if not (folder / "ner" / str(seed) / "config.cfg").exists():
                todo.append((folder / "ner" / str(seed), seed, silver, extra))
    with ProcessPoolExecutor(jobs) as pool:
        list(pool.map(_train_one, todo))


def _train_one(job: tuple) -> float:
    from kg.train import train_ner

    folder, seed, silver, extra = job
    return train_ner(folder, seed=seed, silver_data=silver, extra=extra, log=lambda *a, **k: None)


def fold_pipeline(work: Path):  # noqa: ANN201
    """The extraction pipeline with a fold's lexicon and NER models, without the filter."""
    from kg.extract import build_nlp

    return build_nlp(work / "ner", work / "lexicon.tsv", entity_filter=False)


def entity_records(nlp, pairs: list[tuple[Paper, dict]]) -> list[tuple[set[str], bool]]:  # noqa: ANN001
    """``(features, annotated)`` for every entity ``nlp`` resolves in the papers."""
    from kg.pipes.filter import Candidates, entity_features, entity_groups
    from kg.pipes.resolver import ENTS_KEY
    from kg.trainingdata import doc_text, record_forms

    records = []
    texts = [doc_text(paper) for paper, _ in pairs]
    for (_, rec), doc in zip(pairs, nlp.pipe(texts, batch_size=32), strict=True):
        gold = {(label, normalise(surface)) for label, surface in record_forms(rec)}
        cands = Candidates(doc)
        for (label, _key), spans in entity_groups(doc.spans[ENTS_KEY]).items():
            forms = {normalise(s.text) for s in spans}
            forms |= {normalise(s._.kg_long_form) for s in spans if s._.kg_long_form}
            annotated = any((label, form) in gold for form in forms)
            records.append((entity_features(doc, spans, cands), annotated))
    return records


def fit_logistic(
    records: list[tuple[set[str], bool]], min_count: int = 3, l2: float = 1.0
) -> dict[str, float]:
    """Weights of an L2-penalised logistic regression over binary features seen at least
    ``min_count`` times (the bias is not penalised), fitted with Newton's method.

    >>> w = fit_logistic([({"a"}, True)] * 3 + [({"b"}, False)] * 3, min_count=3)
    >>> w["a"] > 0 > w["b"]
    True
    """
    import numpy as np

    from kg.pipes.filter import BIAS

    counts: dict[str, int] = {}
    for feats, _ in records:
        for feat in feats:
            counts[feat] = counts.get(feat, 0) + 1
    names = sorted(f for f, n in counts.items() if n >= min_count)
    index = {name: i for i, name in enumerate(names)}
    x = np.zeros((len(records), len(names) + 1))
    x[:, -1] = 1.0
    for row, (feats, _) in enumerate(records):
        for feat in feats:
            if feat in index:
                x[row, index[feat]] = 1.0
    y = np.array([annotated for _, annotated in records], dtype=float)
    penalty = np.full(len(names) + 1, l2)
    penalty[-1] = 0.0
    w = np.zeros(len(names) + 1)
    for _ in range(50):
        p = 1.0 / (1.0 + np.exp(-(x @ w)))
        grad = x.T @ (p - y) + penalty * w
        hess = (x * (p * (1 - p))[:, None]).T @ x + np.diag(penalty + 1e-9)
        step = np.linalg.solve(hess, grad)
        w -= step
        if np.abs(step).max() < 1e-8:
            break
    weights = {name: round(float(w[i]), 4) for name, i in index.items()}
    weights[BIAS] = round(float(w[-1]), 4)
    return weights


def cross_validate(
    folds: list[tuple[list[tuple[set[str], bool]], int]],
    thresholds: tuple[float, ...] = (0.0, 0.1, 0.15, 0.2, 0.3),
    label_thresholds: dict[str, float] | None = None,
) -> dict[float, float]:
    """Out-of-fold F1 of the pipeline with the filter at each threshold: the filter is fitted
    on the other folds' records and applied to each fold's (``(records, gold entities)``).
    Threshold 0 is the pipeline without the filter. ``label_thresholds`` (default: the
    shipped :data:`kg.pipes.filter.LABEL_THRESHOLDS`) replace the threshold for some labels,
    as in the component."""
    from kg.pipes.filter import LABEL_THRESHOLDS, probability

    fixed = LABEL_THRESHOLDS if label_thresholds is None else label_thresholds
    counts = {t: [0, 0, 0] for t in thresholds}  # kept right, kept, gold
    for k, (records, gold) in enumerate(folds):
        weights = fit_logistic([r for j, (recs, _) in enumerate(folds) if j != k for r in recs])
        probs = [probability(weights, feats) for feats, _ in records]
        labels = [next((f[2:] for f in feats if f.startswith("L=")), "") for feats, _ in records]
        for t in thresholds:
            kept = [
                annotated
                for p, label, (_, annotated) in zip(probs, labels, records, strict=True)
                if p >= (fixed.get(label, t) if t else 0.0)
            ]
            counts[t][0] += sum(kept)
            counts[t][1] += len(kept)
            counts[t][2] += gold
    return {t: round(2 * a / (b + c), 3) for t, (a, b, c) in counts.items()}


def write_weights(weights: dict[str, float], path: Path = DATA_DIR / "filter.tsv") -> None:
    """Write the weights (sorted by feature, zero weights left out) as ``feature<TAB>weight``."""
    with open(path, "w", encoding="utf-8") as handle:
        handle.write("# Built by `python -m kg.learn_filter` (out-of-fold silver train).\n")
        for feature in sorted(weights):
            if weights[feature]:
                handle.write(f"{feature}\t{weights[feature]}\n")


def main(argv: list[str] | None = None) -> None:
    """Command line: train the fold models (kept in ``--work``), then the filter."""
    from kg.trainingdata import labelled_papers

    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--work", type=Path, default=Path("build/filter-folds"))
    parser.add_argument("--seeds", type=int, default=3, help="NER models per fold")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument(
        "--extra", action="store_true", help="fold models also train on data/train (tried)"
    )
    parser.add_argument("--out", type=Path, default=DATA_DIR / "filter.tsv")
    args = parser.parse_args(argv)
    t0 = time.perf_counter()
    pairs = labelled_papers("train")
    splits = [fold_pairs(pairs, fold) for fold in range(FOLDS)]
    train_folds([inside for inside, _ in splits], args.work, args.seeds, args.jobs, args.extra)
    print(f"fold models ready ({time.perf_counter() - t0:.0f}s)")
    folds = []
    for fold, (_, held) in enumerate(splits):
        gold = sum(len(rec.get(label, [])) for _, rec in held for label in LABELS)
        folds.append((entity_records(fold_pipeline(args.work / f"fold{fold}"), held), gold))
    records = [record for recs, _ in folds for record in recs]
    print(f"{len(records)} out-of-fold entities ({time.perf_counter() - t0:.0f}s)")
    scores = cross_validate(folds)
    print("out-of-fold F1 by threshold: " + ", ".join(f"{t}: {f}" for t, f in scores.items()))
    weights = fit_logistic(records)
    write_weights(weights, args.out)
    print(f"{len(weights)} weights -> {args.out} ({time.perf_counter() - t0:.0f}s)")


if __name__ == "__main__":
    main()
