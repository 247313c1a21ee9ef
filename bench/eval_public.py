"""Score the current extractor on public corpora, or on our dev split files.

Usage::

    python bench/eval_public.py [--corpora ../shared/corpora] [--errors N] [--json]
    python bench/eval_public.py --dev [--errors N]

Public mode runs the extractor on GSAP-NER abstract paragraphs (all folds), SciERC
test and TDMSci test and prints our typed exact micro-F1 per label next to the
published figures from ``../shared/corpora/README.md``. Those are mention-level
exact-span F1 of trained models on each corpus's own label definitions; ours is
document-level set matching of an untrained, rule-and-gazetteer extractor with our
label definitions mapped onto theirs (``docs/evaluation.md``), so read them as
reference points, not a like-for-like comparison.

Dev mode scores ``data/dev/tune.jsonl`` and ``data/dev/heldout.jsonl`` against the
bundled corpus. Errors are listed for dev-tune only: dev-heldout is never analysed
(``docs/data-splits.md``). Gold files that name a held-out test paper are refused.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from kg.corpora import read_gold, read_ours  # noqa: E402
from kg.errors import KgError  # noqa: E402
from kg.evaluate import Report, format_report, predict, report_json, score  # noqa: E402
from kg.ingest import bundled_corpus, normalise_title, read_papers  # noqa: E402

#: (format, gold path under the corpora folder, published exact-span F1 per label).
PUBLIC = (
    (
        "gsap",
        "gsap-ner/fold0_test.jsonl",  # the fold kg.train never trains on
        # SciDeBERTa-CS, 10-fold mean (MLModel -> model); all-label figure 64.4
        {"model": 70.1, "method": 47.6, "dataset": 81.7, "task": 55.3, "micro": 64.4},
    ),
    ("scierc", "scierc/test.json", {"micro": 70.5}),  # SpERT.PL (SciBERT), NER
    (
        "tdmsci",
        "tdmsci/test_500_v2.conll",
        {"task": 58.9, "dataset": 54.5, "metric": 76.8, "micro": 62.0},
    ),
)
DEV_FILES = (("dev-tune", "tune.jsonl", True), ("dev-heldout", "heldout.jsonl", False))


def public(corpora: Path, top_errors: int, as_json: bool) -> None:
    """Score each public corpus and print per-label F1 beside the published figures."""
    for fmt, rel, published in PUBLIC:
        path = corpora / rel
        if not path.exists():
            print(f"{fmt}: {path} not found, skipped")
            continue
        start = time.perf_counter()
        docs = read_gold(path, fmt)
        report = score(docs, predict(docs), fmt)
        seconds = time.perf_counter() - start
        if as_json:
            print(report_json(report, top_errors))
            continue
        _table(f"{fmt} ({rel}, {len(docs)} docs, {seconds:.1f}s)", report, published)
        if top_errors:
            print(format_report(report, top_errors).split("\n\n", 3)[-1])


def _table(title: str, report: Report, published: dict[str, float]) -> None:
    exact, partial = report.scores["exact typed"], report.scores["partial typed"]
    print(f"\n{title}")
    print(
        f"  {'label':<8} {'gold':>5} {'pred':>5}  {'P':>5} {'R':>5} {'F1':>5}  "
        f"{'partF1':>6}  {'published' if published else ''}"
    )
    for label in (*report.labels, "micro", "macro"):
        s = exact[label]
        ref = f"{published[label]:.1f}" if label in published else "-" if published else ""
        print(
            f"  {label:<8} {s.gold:>5} {s.predicted:>5}  {100 * s.precision:5.1f} "
            f"{100 * s.recall:5.1f} {100 * s.f1:5.1f}  {100 * partial[label].f1:6.1f}  {ref:>9}"
        )


def dev(dev_dir: Path, heldout_titles: Path, top_errors: int) -> int:
    """Score the dev split files that exist against the bundled corpus."""
    refused = set()
    if heldout_titles.is_file():
        lines = heldout_titles.read_text(encoding="utf-8").splitlines()
        refused = {normalise_title(t) for t in lines if t.strip()}
    papers = read_papers([bundled_corpus()])
    found = 0
    for split, name, analyse in DEV_FILES:
        path = dev_dir / name
        if not path.is_file():
            print(f"{split}: {path} does not exist yet (annotators are writing it); skipped")
            continue
        found += 1
        docs = read_ours(path, papers)
        leaked = [d.title for d in docs if normalise_title(d.title) in refused]
        if leaked:
            print(f"{split}: refused, {len(leaked)} held-out test paper(s), e.g. {leaked[0]!r}")
            continue
        report = score(docs, predict(docs), "ours")
        _table(f"{split} ({path}, {len(docs)} papers)", report, {})
        if analyse and top_errors:
            print(format_report(report, top_errors).split("\n\n", 3)[-1])
    return 0 if found else 1


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpora", type=Path, default=ROOT.parent / "shared" / "corpora")
    parser.add_argument("--dev", action="store_true", help="score data/dev/*.jsonl instead")
    parser.add_argument("--dev-dir", type=Path, default=ROOT / "data" / "dev")
    parser.add_argument(
        "--heldout-titles",
        type=Path,
        default=ROOT.parent / "shared" / "annotation" / "heldout-titles.txt",
    )
    parser.add_argument("--errors", type=int, default=0, help="list the N commonest errors")
    parser.add_argument("--json", action="store_true", help="full reports as JSON")
    args = parser.parse_args(argv)
    try:
        if args.dev:
            return dev(args.dev_dir, args.heldout_titles, args.errors)
        if not args.corpora.is_dir():
            print(f"corpora folder not found: {args.corpora} (use --corpora)", file=sys.stderr)
            return 1
        public(args.corpora, args.errors, args.json)
    except KgError as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
