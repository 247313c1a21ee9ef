"""Score the extractor against the silver annotations (typed exact micro P/R/F1).

Usage: ``python bench/score_silver.py [--silver PATH] [--errors N] [--label LABEL]``

Per paper, predicted entities are the set of ``(label, normalised long form or text)``;
a predicted entity is correct when it equals the normalised text or an alias of a silver
entity with the same label. Normalising lowercases, drops leading articles, unifies hyphens
and spaces and singularises the last word. Held-out papers are never read (silver lacks them).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from kg.gazetteer import singularize  # noqa: E402
from kg.records import LABELS, Paper  # noqa: E402

SILVER = ROOT.parent / "shared" / "annotation" / "silver" / "silver.jsonl"
HELDOUT = ROOT.parent / "shared" / "annotation" / "heldout-titles.txt"


def read_pages(corpus: Path = ROOT / "corpus") -> list[Paper]:
    """Read the bundled trending-papers pages (uses ``kg.ingest`` when it exists)."""
    try:
        from kg.ingest import read_papers

        return list(read_papers([corpus]))
    except Exception:  # noqa: BLE001 - fall back to a tiny parser
        pass
    papers: list[Paper] = []
    for path in sorted(corpus.glob("*.txt")):
        paras = [p.strip() for p in path.read_text(encoding="utf-8").split("\n\n") if p.strip()]
        i = next(k for k, p in enumerate(paras) if re.fullmatch(r"[A-Z][a-z]{2} \d{1,2}", p)) + 1
        for k in range(i, len(paras) - 1, 2):
            title, abstract = paras[k], paras[k + 1]
            pid = re.sub(r"[^a-z0-9]+", "-", title.lower())[:60]
            papers.append(Paper(pid, title, abstract, path.name, k))
    return papers


def norm(text: str) -> str:
    """Normalise an entity text for comparison."""
    text = text.lower().strip()
    text = re.sub(r"^(the|a|an|our)\s+", "", text)
    text = re.sub(r"[\s\-_]+", " ", text)
    words = text.split()
    if words:
        words[-1] = singularize(words[-1])
    return " ".join(words)


def load_silver(path: Path = SILVER) -> dict[str, dict]:
    """Silver records keyed by normalised title."""
    out = {}
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            rec = json.loads(line)
            out[" ".join(rec["title"].lower().split())] = rec
    return out


def score(
    errors: int = 0, only: str | None = None, terms: int = 0, silver_path: Path = SILVER
) -> dict:
    """Run the extractor on silver papers and print/return per-label P/R/F1."""
    from kg.extract import extract

    silver = load_silver(silver_path)
    heldout = {" ".join(t.lower().split()) for t in HELDOUT.read_text().splitlines() if t.strip()}
    papers, seen = [], set()
    for p in read_pages():
        key = " ".join(p.title.lower().split())
        if key in silver and key not in heldout and key not in seen:
            seen.add(key)
            papers.append(p)
    by_paper: dict[str, list] = {}
    for m in extract(papers):
        by_paper.setdefault(m.paper_id, []).append(m)
    tp, fp, fn = Counter(), Counter(), Counter()
    fps, fns, tps = Counter(), Counter(), Counter()
    for p in papers:
        rec = silver[" ".join(p.title.lower().split())]
        gold = {
            (lab, norm(e["text"])): {norm(e["text"]), *map(norm, e["aliases"])}
            for lab in LABELS
            for e in rec[lab]
        }
        pred = {(m.label, norm(m.long_form or m.text)) for m in by_paper.get(p.id, [])}
        pred_alias = {}
        for m in by_paper.get(p.id, []):
            pred_alias.setdefault((m.label, norm(m.long_form or m.text)), set()).add(norm(m.text))
        matched_gold = set()
        for lab, text in pred:
            hit = [
                g
                for g, forms in gold.items()
                if g[0] == lab and (text in forms or pred_alias[(lab, text)] & forms)
            ]
            if hit:
                tps[(lab, text)] += 1
                tp[lab] += 1
                matched_gold.update(hit)
            else:
                fp[lab] += 1
                fps[(lab, text)] += 1
        for g in gold:
            if g not in matched_gold:
                fn[g[0]] += 1
                fns[g] += 1
    result = {}
    print(f"{'label':8} {'P':>6} {'R':>6} {'F1':>6} {'pred':>5} {'gold':>5}")
    for lab in (*LABELS, "ALL"):
        t = sum(tp.values()) if lab == "ALL" else tp[lab]
        f_p = sum(fp.values()) if lab == "ALL" else fp[lab]
        f_n = sum(fn.values()) if lab == "ALL" else fn[lab]
        prec = t / (t + f_p) if t + f_p else 0.0
        rec_ = (t + 0.0) / (t + f_n) if t + f_n else 0.0
        # recall counts gold entities matched (several predictions may hit one entity)
        f1 = 2 * prec * rec_ / (prec + rec_) if prec + rec_ else 0.0
        result[lab] = (prec, rec_, f1)
        print(f"{lab:8} {prec:6.3f} {rec_:6.3f} {f1:6.3f} {t + f_p:5d} {t + f_n:5d}")
    print(f"papers: {len(papers)}")
    if terms:
        print("\n== LOW-PRECISION TERMS (fp, tp)")
        low = [(fps[k], tps[k], k) for k in fps if fps[k] >= 2 * tps[k] and fps[k] >= 3]
        for f, t, (lab, text) in sorted(low, reverse=True)[:terms]:
            print(f"{f:3d} {t:3d} {lab:8} {text}")
    if errors:
        for name, counter in (("FALSE POSITIVES", fps), ("FALSE NEGATIVES", fns)):
            print(f"\n== {name}")
            items = [(k, v) for k, v in counter.most_common() if only in (None, k[0])]
            for (lab, text), n in items[:errors]:
                print(f"{n:3d} {lab:8} {text}")
    return result


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--errors", type=int, default=0)
    parser.add_argument("--label", default=None)
    parser.add_argument("--terms", type=int, default=0)
    args = parser.parse_args()
    score(args.errors, args.label, args.terms)
