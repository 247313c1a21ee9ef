"""Score the extractor against annotations (typed exact document-level micro P/R/F1).

Usage: ``python bench/score_silver.py [--split dev-tune] [--errors N] [--label LABEL]``

Splits are those of :mod:`kg.splits` (``train``, ``dev-tune``; ``dev-heldout`` is for the final
report only). ``dev-tune`` uses the corrected ``data/dev/tune.jsonl`` when it exists. Per paper,
predicted entities are the set of ``(label, normalised long form or text)``; a prediction is
correct when it equals the normalised text or an alias of a gold entity with the same label.
With ``--official`` it scores with ``kg.evaluate`` instead (one-to-one matching, canonical
names from ``kg.resolve``) on ``data/dev/tune.jsonl`` or ``data/dev/heldout.jsonl``.
Held-out papers are never read.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from kg.pipes.lexicon import norm_form as norm  # noqa: E402
from kg.records import LABELS, Paper  # noqa: E402
from kg.trainingdata import corpus_papers, labelled_papers  # noqa: E402


def read_pages() -> list[Paper]:
    """Bundled corpus papers (held-out titles excluded)."""
    return list(corpus_papers().values())


def compare(pairs: list[tuple[Paper, dict]], mentions) -> tuple[Counter, ...]:  # noqa: ANN001
    """Per-label tp/fp/fn counters and per-entity fp/fn/tp counters."""
    by_paper: dict[str, list] = {}
    for m in mentions:
        by_paper.setdefault(m.paper_id, []).append(m)
    tp, fp, fn = Counter(), Counter(), Counter()
    fps, fns, tps = Counter(), Counter(), Counter()
    for p, rec in pairs:
        gold = {
            (lab, norm(e["text"])): {norm(e["text"]), *map(norm, e.get("aliases", []))}
            for lab in LABELS
            for e in rec.get(lab, [])
        }
        pred_alias: dict[tuple[str, str], set[str]] = {}
        for m in by_paper.get(p.id, []):
            key = (m.label, norm(m.long_form or m.text))
            pred_alias.setdefault(key, set()).add(norm(m.text))
        matched = set()
        for (lab, text), aliases in pred_alias.items():
            hit = [g for g, forms in gold.items() if g[0] == lab and ({text} | aliases) & forms]
            if hit:
                tps[(lab, text)] += 1
                tp[lab] += 1
                matched.update(hit)
            else:
                fp[lab] += 1
                fps[(lab, text)] += 1
        for g in gold:
            if g not in matched:
                fn[g[0]] += 1
                fns[g] += 1
    return tp, fp, fn, fps, fns, tps


def table(tp: Counter, fp: Counter, fn: Counter, out=print) -> dict:  # noqa: ANN001
    """Print and return per-label (P, R, F1)."""
    result = {}
    out(f"{'label':8} {'P':>6} {'R':>6} {'F1':>6} {'pred':>5} {'gold':>5}")
    for lab in (*LABELS, "ALL"):
        t = sum(tp.values()) if lab == "ALL" else tp[lab]
        f_p = sum(fp.values()) if lab == "ALL" else fp[lab]
        f_n = sum(fn.values()) if lab == "ALL" else fn[lab]
        prec = t / (t + f_p) if t + f_p else 0.0
        rec = t / (t + f_n) if t + f_n else 0.0
        f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
        result[lab] = (prec, rec, f1)
        out(f"{lab:8} {prec:6.3f} {rec:6.3f} {f1:6.3f} {t + f_p:5d} {t + f_n:5d}")
    return result


def score(split: str = "dev-tune", errors: int = 0, only: str | None = None, nlp=None) -> dict:  # noqa: ANN001
    """Run the extractor on the papers of ``split`` and print/return per-label P/R/F1."""
    from kg.extract import extract

    pairs = labelled_papers(split)
    mentions = extract([p for p, _ in pairs], nlp)
    tp, fp, fn, fps, fns, _tps = compare(pairs, mentions)
    result = table(tp, fp, fn)
    print(f"papers: {len(pairs)} ({split})")
    if errors:
        for name, counter in (("FALSE POSITIVES", fps), ("FALSE NEGATIVES", fns)):
            print(f"\n== {name}")
            items = [(k, v) for k, v in counter.most_common() if only in (None, k[0])]
            for (lab, text), n in items[:errors]:
                print(f"{n:3d} {lab:8} {text}")
    return result


def official(split: str = "dev-tune") -> dict:
    """Exact typed per-label scores from ``kg.evaluate`` on the corrected dev files."""
    from kg.evaluate import evaluate_files

    name = {"dev-tune": "tune.jsonl", "dev-heldout": "heldout.jsonl"}[split]
    report = evaluate_files(ROOT / "data" / "dev" / name)
    rows = report.scores["exact typed"]
    print(
        f"{'label':8} {'P':>6} {'R':>6} {'F1':>6} {'pred':>5} {'gold':>5}   (kg.evaluate, {split})"
    )
    for lab in (*LABELS, "micro"):
        r = rows[lab]
        print(
            f"{lab:8} {r.precision:6.3f} {r.recall:6.3f} {r.f1:6.3f} {r.predicted:5d} {r.gold:5d}"
        )
    return rows


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--split", default="dev-tune")
    parser.add_argument("--errors", type=int, default=0)
    parser.add_argument("--label", default=None)
    parser.add_argument("--official", action="store_true")
    args = parser.parse_args()
    if args.official:
        official(args.split)
    else:
        score(args.split, args.errors, args.label)
