"""Benchmark: build the bundled corpus, whole process and per stage.

Prints wall-clock seconds of ``kg build`` as a separate process (what a user
waits for, including start-up and model loading) and the per-stage timings of an
in-process build, then the slowest stage. Machines are noisy: compare runs of
this script on one machine, not absolute numbers across machines.

    python bench/bench_build.py [--repeat N]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import kg


def whole_process(out: Path) -> float:
    start = time.perf_counter()
    cmd = [sys.executable, "-m", "kg.cli", "build", "-q", "-o", str(out)]
    subprocess.run(cmd, check=True)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        runs = [whole_process(Path(tmp) / f"out{i}") for i in range(args.repeat)]
        print(
            f"kg build (whole process, {args.repeat} runs): median {statistics.median(runs):.2f}s"
        )

        stages: dict[str, list[float]] = {}
        for i in range(args.repeat):
            result = kg.build()
            kg.write_build(result, Path(tmp) / f"stage{i}")
            for name, seconds in result.timings.items():
                stages.setdefault(name, []).append(seconds)
    medians = {name: statistics.median(values) for name, values in stages.items()}
    for name, seconds in medians.items():
        print(f"  stage {name:<8} {seconds:6.2f}s")
    slowest = max(medians, key=medians.__getitem__)
    print(f"slowest stage: {slowest} ({medians[slowest]:.2f}s of {sum(medians.values()):.2f}s)")
    print(f"papers: {len(result.papers)}, entities: {len(result.resolution.entities)}")


if __name__ == "__main__":
    main()
