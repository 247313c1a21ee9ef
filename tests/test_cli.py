"""The command line, end to end, with click's runner and real files."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.cli import main
from kg.pipeline import BUILD_FILES

SMALL = [
    {
        "id": "p1",
        "title": "FooNet: Low-Rank Adaptation for Large Language Models",
        "abstract": (
            "Large language models (LLMs) are costly to fine-tune. We propose FooNet, a "
            "low-rank adaptation method, and evaluate LLaMA-2 and GPT-4 on GLUE and MMLU, "
            "reporting accuracy. FooNet outperforms LoRA on question answering."
        ),
    },
    {
        "id": "p2",
        "title": "A <script>alert(1)</script> study of BERT",
        "abstract": "We fine-tune BERT on SQuAD and report F1 score. LLMs are not needed.",
    },
]


@pytest.fixture()
def small_corpus(tmp_path: Path) -> Path:
    path = tmp_path / "small.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in SMALL), encoding="utf-8")
    return path


def test_build_bundled_writes_every_export(tmp_path: Path, bundled_exports: Path) -> None:
    out = tmp_path / "exports"
    result = CliRunner().invoke(main, ["build", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "362 papers" in result.output
    for name in BUILD_FILES:
        assert (out / name).stat().st_size > 0, name
    assert (out / "lib").is_dir()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")], "staging left behind"
    # the same corpus built again (here by the command) gives byte-identical files
    for name in BUILD_FILES:
        assert (out / name).read_bytes() == (bundled_exports / name).read_bytes(), name


def test_build_is_byte_identical_across_processes(small_corpus: Path, tmp_path: Path) -> None:
    outputs = []
    for seed in ("1", "2"):
        out = tmp_path / f"out{seed}"
        env = {**os.environ, "PYTHONHASHSEED": seed}
        cmd = [sys.executable, "-m", "kg.cli", "build", str(small_corpus), "-o", str(out), "-q"]
        subprocess.run(cmd, check=True, env=env, capture_output=True)
        outputs.append(out)
    files = sorted(p.relative_to(outputs[0]) for p in outputs[0].rglob("*") if p.is_file())
    assert files
    for rel in files:
        assert (outputs[0] / rel).read_bytes() == (outputs[1] / rel).read_bytes(), rel


def test_extract_jsonl_interface(small_corpus: Path) -> None:
    result = CliRunner().invoke(main, ["extract", str(small_corpus), "--format", "jsonl"])
    assert result.exit_code == 0, result.output
    records = [json.loads(line) for line in result.output.splitlines()]
    assert [r["id"] for r in records] == ["p1", "p2"]
    assert set(records[0]) == {"id", "title", "entities"}
    for record, source in zip(records, SMALL, strict=True):
        for entity in record["entities"]:
            assert set(entity) == {"text", "label", "canonical", "field", "start", "end"}
            assert source[entity["field"]][entity["start"] : entity["end"]] == entity["text"]
    found = {(e["text"], e["label"]) for e in records[0]["entities"]}
    assert ("LLaMA-2", "model") in found
    assert ("GLUE", "dataset") in found
    canon = {e["text"]: e["canonical"] for r in records for e in r["entities"]}
    # the acronym resolves to its long form, in both papers
    assert canon["LLMs"] == canon["Large language models"]


def test_bad_input_leaves_earlier_exports_untouched(small_corpus: Path, tmp_path: Path) -> None:
    out = tmp_path / "exports"
    runner = CliRunner()
    assert runner.invoke(main, ["build", str(small_corpus), "-o", str(out), "-q"]).exit_code == 0
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"title": "T", "abstract": "fine"}\n{"title": "no abstract"}\n')
    result = runner.invoke(main, ["build", str(bad), "-o", str(out)])
    assert result.exit_code == 1
    assert result.output.strip() == f"Error: {bad}:2: record has no abstract"
    assert "Traceback" not in result.output
    assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file()} == before


def test_bad_input_from_a_real_process_has_no_traceback(tmp_path: Path) -> None:
    bad = tmp_path / "bin.csv"
    bad.write_bytes(b"title,abstract\n\xff\xfe,x\n")
    proc = subprocess.run(
        [sys.executable, "-m", "kg.cli", "build", str(bad), "-o", str(tmp_path / "o")],
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 1
    assert proc.stderr.strip().splitlines() == [
        f"Error: {bad}:2: not UTF-8 (byte 0xff at offset 15)"
    ]
    assert not (tmp_path / "o").exists()


def test_query_and_view_on_a_build(bundled_exports: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    query = "SELECT (COUNT(?p) AS ?n) WHERE { ?p a schema:ScholarlyArticle }"
    result = runner.invoke(
        main, ["query", query, "--graph", str(bundled_exports), "--format", "csv"]
    )
    assert result.exit_code == 0, result.output
    assert result.output.split() == ["n", "362"]
    page = tmp_path / "llm.html"
    result = runner.invoke(main, ["view", "LLMs", "--graph", str(bundled_exports), "-o", str(page)])
    assert result.exit_code == 0, result.output
    assert "Large Language Models" in page.read_text(encoding="utf-8")
    result = runner.invoke(main, ["view", "no such entity xyz", "--graph", str(bundled_exports)])
    assert result.exit_code == 1
    assert result.output.startswith("Error: ")


def test_bad_base_iri_is_one_line(small_corpus: Path, tmp_path: Path) -> None:
    result = CliRunner().invoke(
        main, ["build", str(small_corpus), "-o", str(tmp_path / "o"), "--base-iri", "nope"]
    )
    assert result.exit_code == 1
    assert result.output.strip() == "Error: --base-iri: not an absolute IRI: 'nope'"
