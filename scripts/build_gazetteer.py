"""Rebuild ``kg/data/gazetteer.tsv`` from the public name lists in ``../shared/gazetteers``.

Usage: ``python scripts/build_gazetteer.py [--src DIR] [--out FILE]``

Each source is mapped to one of our labels and filtered: names that are common English words
(``en_zipf`` >= 3.5, or in the stoplist below), junk leaderboard strings, very long names and
code ids are dropped. Multiword names match case-insensitively; single names keep their case.
The output is sorted and deterministic; the runtime reads only ``kg/data``. PwC-derived rows are
CC BY-SA 4.0 (attribution: Papers with Code).
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import sys
from collections.abc import Iterator
from pathlib import Path

from kg.pipes.cues import HEAD_LABELS

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT.parent / "shared" / "gazetteers"
OUT = ROOT / "kg" / "data" / "gazetteer.tsv"

#: Label priority when the same surface comes from several sources (first wins).
PRIORITY = ("model", "method", "dataset", "metric", "task")
MODEL_COLLECTIONS = {
    "Language Models",
    "Convolutional Neural Networks",
    "Transformers",
    "Image Models",
    "Object Detection Models",
    "Vision Transformers",
    "Recurrent Neural Networks",
    "Autoencoding Transformers",
    "Autoregressive Transformers",
    "Generative Adversarial Networks",
    "Semantic Segmentation Models",
    "Sequence To Sequence Models",
    "Instance Segmentation Models",
    "One-Stage Object Detection Models",
    "Two-Stage Object Detection Models",
    "Graph Models",
    "Text-to-Speech Models",
    "Generative Audio Models",
    "Vision and Language Pre-Trained Models",
    "Feedforward Networks",
    "Likelihood-Based Generative Models",
    "Image Generation Models",
    # named architectures and model classes the guidelines type as models (BiLSTM,
    # Memory Network, GloVe, fastText, SVM, Logistic Regression, AutoEncoder)
    "Bidirectional Recurrent Neural Networks",
    "Working Memory Models",
    "Static Word Embeddings",
    "Generative Models",
    "Non-Parametric Classification",
    "Generalized Linear Models",
}
#: Surfaces never taken from the public lists (generic words and known false friends).
STOP = {
    # part-of-speech, not a metric (the PwC metric lists hold "POS" for POS-tagging accuracy)
    "pos",
    # a fragment of "test set accuracy" (a PwC metric name)
    "set accuracy",
    # a comparison, not a name (a PwC dataset entry)
    "smaller datasets",
    # a medium, not a dataset (never annotated in the silver data)
    "social media",
    # hardware is never a dataset (PwC lists a "CPU" dataset)
    "cpu",
    "gpu",
    "tpu",
    "npu",
    "fpga",
    "model",
    "models",
    "method",
    "data",
    "dataset",
    "test",
    "all",
    "other",
    "number",
    "an",
    "a",
    "video",
    "image",
    "images",
    "text",
    "3d",
    "2d",
    "chinese",
    "english",
    "inspired",
    "kind",
    "pet",
    "solo",
    "pdes",
    "ssl",
    "sgd",
    "svd",
    "clip",
    "parameters",
    "params",
    "time",
    "speed",
    "size",
    "memory",
    "cost",
    "error",
    "score",
    "average",
    "mean",
    "overall",
    "exact",
    "return",
    "validity",
    "quality",
    "performance",
    "efficiency",
    "success",
    "reward",
    "length",
    "diversity",
    "coverage",
    "consistency",
    "fidelity",
    "realism",
    "attention",
    "convolution",
    "softmax",
    "linear layer",
    "dense connections",
    "decision making",
    "time series",
    "language",
    "vision",
    "classification",
    "segmentation",
    "detection",
    "generation",
    "reasoning",
    "retrieval",
    "optimization",
    "general",
    "misc",
    "loss",
    "model selection",
    "representation",
    "sentence",
    "document",
    "graph",
    "graphs",
    "tables",
    "table",
    "code",
    "audio",
    "speech",
    "music",
    "motion",
    "point",
    "points",
    "open",
    "base",
    "large",
    "small",
    "medium",
    "tiny",
    "deep learning",
    "machine learning",
    "artificial intelligence",
    "neural network",
    "feature",
    "features",
    "label",
    "labels",
    "training",
    "inference",
    "sampling",
    "noise",
    "language modelling",
    "question",
    "answer",
    "experimental results",
    "experimental result",
    "language model",
    "language models",
    "lm",
    "lms",
    "computational efficiency",
    "pixel",
    "multimodal",
    "inductive bias",
    "adversarial attack",
    "recall",
    "precision",
    "latency",
    "sequence to sequence",
    "linear regression",
    "numerical integration",
    "recommendation",
    "cross-lingual transfer",
    "model-based reinforcement learning",
    "visual prompt tuning",
    "learning",
    "unsupervised",
    "supervised",
}
ZIPF_MAX = 3.5


#: PwC task names that name a procedure (guidelines: continual pretraining, data
#: augmentation and quantization are methods): "Unsupervised Pre-training", "Network Pruning",
#: "hard attention", "L2 regularization".
PROCEDURE_HEAD = re.compile(
    r"(?i)\b(?:pre-?training|fine-?tuning|distillation|augmentation|pruning|quantization|attention"
    r"|regularization|prompting)$"
)
#: A dataset name without a paper count is kept when it cannot be a word or an acronym: it
#: has a digit ("CC12M", "PPR10K"; not "RAFT", nor "VANiLLa", which mixed-case matching
#: would find in "vanilla").
UNCOUNTED_NAME = re.compile(r"\d")


def rows(path: Path) -> Iterator[dict[str, str]]:
    """Rows of a TSV file with a header."""
    with open(path, encoding="utf-8", newline="") as handle:
        yield from csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)


def common(name: str, zipf: str = "") -> bool:
    """True when a name is a common English word or a stoplisted generic."""
    if name.lower() in STOP:
        return True
    try:
        return float(zipf) >= ZIPF_MAX and not name.isupper()
    except ValueError:
        return False


def clean(name: str) -> str | None:
    """Trim a name; None when it is junk (too long/short, punctuation, numbers only)."""
    name = " ".join(name.split()).strip(" .,;:")
    if not (2 <= len(name) <= 40) or not re.search(r"[A-Za-z]{2}", name):
        return None
    if re.search(r"[()\[\]{}<>=*'\"|%#$]", name) or len(name.split()) > 5:
        return None
    return name


def case_of(name: str) -> str:
    """``cs`` (match exact case) for single names, ``ci`` for multiword or lowercase terms."""
    if " " in name or "-" in name and name.lower() == name:
        return "ci"
    return "cs" if name != name.lower() else "ci"


def sources(src: Path) -> Iterator[tuple[str, str, str]]:
    """Yield ``(label, name, case)`` from every source, before de-duplication."""
    for r in rows(src / "hf-transformers-model-types" / "model_types.tsv"):
        name = r["display_name"]
        if name and not name.endswith(("Model", "Config")) and r["deprecated"] == "0":
            yield "model", name, "cs"
    for r in rows(src / "open-llms" / "open_llms.tsv"):
        for name in [r["name"], *r["checkpoint_names"].split("; ")]:
            if name and " " not in name.strip() or r["name"] == name:
                yield r["type"], name, "cs"
    for r in rows(src / "pwc-methods" / "methods.tsv"):
        colls = set(r["collections"].split("; "))
        label = "model" if colls & MODEL_COLLECTIONS else "method"
        for name in (r["name"], r["full_name"]):
            if name and not common(name, r["en_zipf"] if name == r["name"] else ""):
                yield label, name, case_of(name)
    for arch in {r["module"] for r in rows(src / "timm-models" / "architectures.tsv")}:
        if len(arch) >= 5 and "_" not in arch and arch not in STOP:
            yield "model", arch, "ci"
    for r in rows(src / "pwc-datasets" / "datasets.tsv"):
        if not r["num_papers"] and UNCOUNTED_NAME.search(r["name"]):
            name = r["name"]  # no paper count (often recent): "CC12M"
            yield "dataset", name, "cs" if " " not in name else "ci"
            continue
        if int(r["num_papers"] or 0) < 3:
            continue
        for name in (r["name"], r["full_name"]):
            if name and not common(name, r["en_zipf"] if name == r["name"] else ""):
                yield "dataset", name, "cs" if " " not in name else "ci"
    for r in rows(src / "pwc-tasks-2025" / "benchmarks_and_datasets.tsv"):
        frequent = r["suspect"] == "0" and int(r["n_task_mentions"] or 0) >= 2
        if frequent and not common(r["name"], r["en_zipf"]):
            yield "dataset", r["name"], "cs"
    dicts = json.loads((src / "axcell-manual-dicts" / "manual_dicts.json").read_text())
    for name in dicts.get("datasets", {}):
        yield "dataset", name, "cs"
    for name, aliases in dicts.get("metrics", {}).items():
        for alias in [name, *aliases]:
            if len(alias) > 3 and not common(alias):
                yield "metric", alias, case_of(alias)
    for r in rows(src / "pwc-tasks-2025" / "metrics.tsv"):
        if (
            r["suspect"] == "0"
            and int(r["n_tasks"] or 0) >= 2
            and not common(r["metric"], r["en_zipf"])
        ):
            yield "metric", r["metric"], case_of(r["metric"])
    for r in rows(src / "torchmetrics" / "metrics.tsv"):
        if r["is_metric"] == "1" and " " in r["surface_form"]:
            yield "metric", r["surface_form"].lower(), "ci"
    for r in rows(src / "sklearn-metrics" / "sklearn_metrics.tsv"):
        if r["is_metric"] == "1" and " " in r["surface_form"]:
            yield "metric", r["surface_form"].lower(), "ci"
    for r in rows(src / "pwc-sota-extractor" / "sota_entities.tsv"):
        if r["type"] in ("dataset", "metric", "task") and not common(r["name"], r["en_zipf"]):
            yield r["type"], r["name"], case_of(r["name"])
    for r in rows(src / "pwc-tasks-2025" / "tasks.tsv"):
        name = r["task"]
        if r["suspect"] == "0" and " " in name and not common(name):
            yield "task", name.lower() if name[1:].islower() or " " in name else name, "ci"


def head_label(name: str) -> str | None:
    """The label a name's head noun gives it ("graph neural network": model; "second-order
    methods": method; "MTEB benchmark": dataset), from the describer's cue nouns."""
    head = name.lower().replace("-", " ").split()[-1]
    return next((label for label, cues in HEAD_LABELS.items() if head in cues), None)


#: Labels whose source lists hold names of other kinds (the PwC task list has "graph neural
#: network" and "large language model"; its method list "auxiliary classifier"): a head noun
#: that names another kind relabels them.
RELABELLED = {
    "task": ("model", "method", "dataset"),
    "metric": ("model", "dataset"),
    "method": ("model",),
}


def build(src: Path = SRC) -> list[tuple[str, str, str]]:
    """Collect, filter and de-duplicate the gazetteer rows (sorted by label, then name)."""
    best: dict[str, tuple[str, str, str]] = {}
    for label, raw, case in sources(src):
        name = clean(raw)
        if name is None or label not in PRIORITY or common(name):
            continue
        head = head_label(name) if " " in name else None
        if head in RELABELLED.get(label, ()):
            label = head
        elif label == "task" and PROCEDURE_HEAD.search(name):  # "hard attention"
            label = "method"
        if case == "ci":
            name = name.lower() if name[1:] == name[1:].lower() or " " in name else name
        key = name.lower()
        old = best.get(key)
        if old is None or PRIORITY.index(label) < PRIORITY.index(old[0]):
            best[key] = (label, name, case)
    return sorted(best.values(), key=lambda r: (PRIORITY.index(r[0]), r[1].lower(), r[1]))


def main(argv: list[str] | None = None) -> int:
    """Write the gazetteer file and print counts per label."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--src", type=Path, default=SRC)
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    table = build(args.src)
    with open(args.out, "w", encoding="utf-8") as handle:
        handle.write(
            "# Built by scripts/build_gazetteer.py from ../shared/gazetteers; PwC data is\n"
        )
        handle.write("# CC BY-SA 4.0 (Papers with Code). Columns: label, name, cs|ci (case).\n")
        for label, name, case in table:
            handle.write(f"{label}\t{name}\t{case}\n")
    counts = {lab: sum(r[0] == lab for r in table) for lab in PRIORITY}
    print(f"wrote {len(table)} terms to {args.out}: {counts}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
