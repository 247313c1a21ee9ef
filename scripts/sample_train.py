"""Pick the CS-NER PwC test abstracts annotated for training in ``data/train`` (see its README).

Usage: ``python scripts/sample_train.py [--n 240]`` prints ``{"index", "text"}`` JSON lines.

The documents are those ``scripts/sample_external.py`` finds eligible in ``pwc/test-abs.data``
(same filters), minus the 40 of ``data/dev/external.jsonl``; every third one from the second
on, the first ``n`` of them. Deterministic; the texts are rebuilt from ``../shared/corpora``.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from sample_external import SRC, eligible_docs, read_docs

ROOT = Path(__file__).resolve().parents[1]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=240)
    args = ap.parse_args(argv)
    eligible = eligible_docs(read_docs(SRC))
    external = ROOT / "data" / "dev" / "external.jsonl"
    held = {int(json.loads(line)["source"].split("#")[1]) for line in external.open()}
    pool = [(i, text) for i, text in eligible if i not in held]
    for i, text in pool[1::3][: args.n]:
        print(json.dumps({"index": i, "text": text}, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
