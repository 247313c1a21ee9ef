"""kg analyze and kg.report: the Markdown report, its charts and the terminal summary."""

from __future__ import annotations

import re
import shutil
import struct
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.analysis._graph import example_graph
from kg.cli import main
from kg.records import LABELS
from kg.report import _md, analyse, write_report

CHARTS = [f"top-{kind}.png" for kind in LABELS] + ["dataset-metric.png", "communities.png"]


def png_size(path: Path) -> tuple[int, int]:
    """Width and height of a PNG file, checking its signature and header chunk."""
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", f"{path.name} is not a PNG"
    assert data[12:16] == b"IHDR" and data.endswith(b"IEND\xaeB`\x82")
    return struct.unpack(">II", data[16:24])


@pytest.fixture(scope="module")
def report_dir(bundled_exports: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("analyze") / "report"
    result = CliRunner().invoke(main, ["analyze", str(bundled_exports), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "362 papers" in result.output
    assert re.search(r"dataset\s+\d+\s+ImageNet \(\d+\)", result.output)
    assert "communities: " in result.output and f"wrote: {out / 'report.md'}" in result.output
    return out


def test_analyze_writes_the_report_and_valid_charts(report_dir: Path) -> None:
    assert sorted(p.name for p in report_dir.iterdir()) == sorted(["report.md", *CHARTS])
    for name in CHARTS:
        width, height = png_size(report_dir / name)
        assert width >= 600 and height >= 300, name
        data = (report_dir / name).read_bytes()
        assert b"Software" not in data and b"matplotlib" not in data  # no version stamp


def test_report_links_charts_and_states_its_papers(report_dir: Path) -> None:
    text = (report_dir / "report.md").read_text(encoding="utf-8")
    assert text.startswith("# Analysis of the `kg` graph: 362 papers")
    for name in CHARTS:
        assert f"]({name})" in text, name
    for heading in ("## Most central entities", "### Datasets", "### Method x dataset"):
        assert heading in text
    assert "### Dataset x metric" in text and "### Model x task" in text
    assert "## Communities" in text and "## Families" in text and "LLaMA (" in text
    assert re.search(r"\| 1 \| ImageNet \| 2\d \|", text)  # rank 1 dataset, its papers
    assert re.search(r"\| CIFAR-10 \| FID \| \d \| 0\.\d\d \|", text)
    anchors = set(re.findall(r'<a id="(p\d+)"></a>', text))
    assert len(anchors) == 362
    cited = set(re.findall(r"\]\(#(p\d+)\)", text))
    assert cited and cited <= anchors
    # every row of the top-datasets table has its papers listed
    imagenet = re.search(r"^\* ImageNet: (.*)$", text, re.MULTILINE)
    assert imagenet and len(imagenet.group(1).split(", ")) >= 20


def test_report_is_byte_identical_when_written_again(
    bundled, report_dir: Path, tmp_path: Path
) -> None:
    again = write_report(bundled.nx, tmp_path / "again")
    assert [p.name for p in again] == ["report.md", *CHARTS]
    for path in again:
        assert path.read_bytes() == (report_dir / path.name).read_bytes(), path.name


def test_analyze_writes_next_to_the_graph_by_default(bundled_exports: Path, tmp_path: Path) -> None:
    shutil.copy(bundled_exports / "graph.json", tmp_path / "graph.json")
    result = CliRunner().invoke(main, ["analyze", str(tmp_path / "graph.json"), "-n", "3"])
    assert result.exit_code == 0, result.output
    text = (tmp_path / "report" / "report.md").read_text(encoding="utf-8")
    assert "| 3 | " in text and "| 4 | " not in text.split("## Pairs")[0]


def test_analyze_without_a_built_graph_is_one_line(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["analyze", str(tmp_path)])
    assert result.exit_code == 1
    assert result.output.strip().splitlines() == [
        f"Error: {tmp_path / 'graph.json'}: no built graph here (run `kg build` first)"
    ]


def test_report_on_a_graph_without_datasets(tmp_path: Path) -> None:
    g = example_graph({"p1": ["model/a", "task/b"], "p2": ["model/a", "task/b"]})
    files = write_report(g, tmp_path)
    assert [p.name for p in files] == ["report.md", *CHARTS]
    for path in files[1:]:
        png_size(path)
    text = files[0].read_text(encoding="utf-8")
    assert "No pair shares two papers." in text and "| a | b | 2 |" in text
    data = analyse(g)
    assert data["heatmap"]["cells"] == [] and data["top"]["dataset"] == []
    assert data["communities"][0]["members"] == ["a", "b"]


def test_markdown_cells_are_escaped() -> None:
    assert _md("a|b <script>*x*") == "a\\|b &lt;script>\\*x\\*"
