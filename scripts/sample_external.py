"""Sample 40 abstracts from outside the bundled corpus for the external check set.

Usage: ``python scripts/sample_external.py [--src FILE] [--n 40] [--json] [--check GOLD]``

Source: CS-NER (D'Souza & Auer, ICADL 2022), ``pwc/test-abs.data`` (Papers-with-Code abstracts;
repository ``jd-coderepos/contributions-ner-cs``; no licence stated), read from
``../shared/corpora/cs-ner/pwc/``. The file is token<TAB>BIOES-tag per line, a blank line between
documents, cp1252-encoded. The tags are ignored: only the tokens are used, to rebuild the text.

Steps (all deterministic, no randomness):

1. Read the documents (0-based index = order in the file) and detokenise each one: join tokens
   with spaces, undo BibTeX/LaTeX escapes (``{\\%}`` -> ``%``, ``{--}`` -> ``--``, quote macros,
   accents, ``\\textit{..}``/``\\textbf{..}``/``\\emph{..}``/``\\url{..}``, simple ``$..$`` math
   holding only a number or a symbol), and remove the stray spaces the tokenisation left
   (``(LSTM )`` -> ``(LSTM)``, ``NER .`` -> ``NER.``, ``( x`` -> ``(x``, ``GAN s`` -> ``GANs``,
   ``BERT 's`` -> ``BERT's``, ``BERT -based`` -> ``BERT-based``, ``PointNet ++`` -> ``PointNet++``).
2. Eligible documents: 700-2,000 characters after detokenising; no LaTeX left (``$`` or a
   backslash); no token that looks like two words glued together by the PDF extraction
   (a rare token that splits into two common tokens of the same file, e.g. ``basedmodels``);
   written in English (common function words >= 5% of tokens; drops one French abstract); and
   not a near-duplicate (word 5-gram Jaccard >= 0.5) of an earlier document.
3. Take every k-th eligible document, k = len(eligible) // n, starting at k // 2, until n are
   chosen. A fixed stride over the whole file spreads the sample over its topics.

Prints each selected document as ``#<index>`` followed by its text (or JSON lines with ``--json``).

``--check data/dev/external.jsonl`` instead checks the annotated set against the source: ids in
order, each abstract equal to the rebuilt text of its ``source`` document, every entity text a
case-insensitive substring of the abstract and listed once, every result value verbatim, and
result metric/dataset/subject fields naming entity texts. Aliases that are not verbatim (allowed
for an abbreviation such as "POS tagging" from "part-of-speech (POS) tagging") are only noted.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter
from pathlib import Path

from kg.pwc import PWC, detokenise, read_docs

ROOT = Path(__file__).resolve().parents[1]
SRC = PWC / "test-abs.data"

MIN_CHARS, MAX_CHARS = 700, 2000
DUP_JACCARD = 0.5
MAX_GLUED = 0
MIN_ENGLISH = 0.05


def glued_tokens(tokens: list[str], freq: Counter[str]) -> list[str]:
    """Tokens that look like two words run together (rare token = common word + common word)."""
    out = []
    for t in tokens:
        w = re.sub(r"^\W+|\W+$", "", t)
        if not w.isalpha() or not w.islower() or len(w) < 7 or freq[w] > 1:
            continue
        for i in range(2, len(w) - 2):
            a, b = w[:i], w[i:]
            if freq[a] >= 20 and freq[b] >= 20:
                out.append(w)
                break
    return out


def english_ratio(tokens: list[str]) -> float:
    """Share of tokens that are very common English function words (about 0.2 for English)."""
    common = {"the", "of", "and", "to", "a", "in", "is", "we", "for", "on", "that", "with"}
    return sum(t.lower() in common for t in tokens) / max(1, len(tokens))


def shingles(text: str, n: int = 5) -> set[tuple[str, ...]]:
    words = re.findall(r"\w+", text.lower())
    return {tuple(words[i : i + n]) for i in range(max(0, len(words) - n + 1))}


def eligible_docs(docs: list[list[str]]) -> list[tuple[int, str]]:
    """``(index, text)`` of the documents that pass the filters of step 2, in file order."""
    freq: Counter[str] = Counter()
    for d in docs:
        freq.update(w for w in (re.sub(r"^\W+|\W+$", "", t) for t in d) if w.islower())
    eligible: list[tuple[int, str]] = []
    seen: list[set[tuple[str, ...]]] = []
    for i, toks in enumerate(docs):
        text = detokenise(toks)
        sh = shingles(text)
        dup = any(len(sh & o) / max(1, len(sh | o)) >= DUP_JACCARD for o in seen)
        seen.append(sh)
        if dup or not MIN_CHARS <= len(text) <= MAX_CHARS:
            continue
        if "$" in text or "\\" in text or len(glued_tokens(toks, freq)) > MAX_GLUED:
            continue
        if english_ratio(toks) < MIN_ENGLISH:
            continue
        eligible.append((i, text))
    return eligible


def select(docs: list[list[str]], n: int) -> list[tuple[int, str]]:
    """Every k-th eligible document (step 3), ``n`` of them."""
    eligible = eligible_docs(docs)
    k = max(1, len(eligible) // n)
    print(f"{len(eligible)} eligible documents, stride {k}", file=sys.stderr)
    return eligible[k // 2 :: k][:n]


LABELS = ("model", "method", "dataset", "metric", "task")


def check(gold: Path, docs: list[list[str]]) -> list[str]:
    """Problems in an annotated file (see the module docstring); notes start with 'note:'."""
    problems: list[str] = []
    for n, line in enumerate(gold.read_text(encoding="utf-8").splitlines()):
        r = json.loads(line)
        rid, index = r["id"], int(r["source"].rsplit("#", 1)[1])
        text, low = r["abstract"], r["abstract"].lower()
        if rid != f"x{n:02d}" or r["title"] != f"External abstract {index}":
            problems.append(f"{rid}: id or title out of order")
        if text != detokenise(docs[index]):
            problems.append(f"{rid}: abstract differs from source document {index}")
        seen: set[str] = set()
        names = {lab: {e["text"] for e in r[lab]} for lab in LABELS}
        for lab in LABELS:
            for e in r[lab]:
                if e["text"].lower() not in low or e["text"].lower() in seen:
                    problems.append(f"{rid}: {lab} {e['text']!r} not verbatim or repeated")
                seen.add(e["text"].lower())
                for a in e["aliases"]:
                    if a.lower() not in low:
                        problems.append(f"note: {rid}: alias {a!r} not verbatim")
        for res in r["results"]:
            ok = (
                res["value"].lower() in low
                and res["metric"] in names["metric"] | {""}
                and res["dataset"] in names["dataset"] | {""}
                and res["subject"] in names["model"] | names["method"] | {""}
            )
            if not ok:
                problems.append(f"{rid}: result {res} does not match the text or the entities")
    return problems


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--src", type=Path, default=SRC)
    ap.add_argument("--n", type=int, default=40)
    ap.add_argument("--json", action="store_true", help="one JSON object per line")
    ap.add_argument("--check", type=Path, metavar="GOLD", help="check an annotated JSONL file")
    args = ap.parse_args(argv)
    docs = read_docs(args.src)
    if args.check:
        problems = check(args.check, docs)
        errors = [p for p in problems if not p.startswith("note:")]
        print("\n".join(problems + ([] if errors else ["ok"])))
        return int(bool(errors))
    chosen = select(docs, args.n)
    for i, text in chosen:
        if args.json:
            print(json.dumps({"index": i, "text": text}, ensure_ascii=False))
        else:
            print(f"#{i}\n{text}\n")
    print(f"{len(chosen)} of {len(docs)} documents selected", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
