"""Time the extraction stage on the bundled corpus (all records, duplicates included).

Usage: ``python bench/bench_extract.py [--repeat N]``
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from kg.extract import extract, load_nlp  # noqa: E402
from kg.records import Paper  # noqa: E402


def all_records() -> list[Paper]:
    """Every title/abstract pair of the bundled pages (407), without de-duplication."""
    from kg.ingest import read_papers  # noqa: PLC0415

    records = []
    for path in sorted((ROOT / "corpus").glob("*.txt")):
        records += read_papers([path])
    return records


def main() -> None:
    """Print load time, papers/s and mentions/paper."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    t0 = time.perf_counter()
    nlp = load_nlp()
    load = time.perf_counter() - t0
    papers = all_records()
    best = float("inf")
    for _ in range(args.repeat):
        t0 = time.perf_counter()
        mentions = extract(papers, nlp)
        best = min(best, time.perf_counter() - t0)
    print(f"load_nlp: {load:.2f}s")
    print(f"{len(papers)} records in {best:.2f}s: {len(papers) / best:.0f} papers/s")
    print(f"{len(mentions)} mentions ({len(mentions) / len(papers):.1f} per paper)")


if __name__ == "__main__":
    main()
