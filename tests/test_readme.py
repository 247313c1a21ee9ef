"""The README's Python example runs as written."""

from __future__ import annotations

import doctest
import re
from pathlib import Path

import pytest

README = Path(__file__).resolve().parent.parent / "README.md"


def test_readme_python_example_runs(capsys: pytest.CaptureFixture[str], monkeypatch) -> None:
    blocks = re.findall(r"```python\n(.*?)```", README.read_text(encoding="utf-8"), re.DOTALL)
    assert blocks, "README has no Python example"
    monkeypatch.chdir(README.parent)
    exec(compile(blocks[0], "README.md", "exec"), {})
    printed = capsys.readouterr().out.split()
    assert len(printed) == 2
    assert int(printed[0]) >= 10  # papers mentioning BERT
    assert int(printed[1]) > 10_000  # triples


def test_readme_analysis_session_is_real_output(monkeypatch) -> None:
    """The README's pycon session, run as a doctest on the committed exports/."""
    text = README.read_text(encoding="utf-8")
    session = re.search(r"```pycon\n(.*?)```", text, re.DOTALL)
    assert session, "README has no Python session"
    monkeypatch.chdir(README.parent)
    test = doctest.DocTestParser().get_doctest(session.group(1), {}, "README", "README.md", 0)
    runner = doctest.DocTestRunner(optionflags=doctest.NORMALIZE_WHITESPACE)
    runner.run(test)
    assert runner.summarize(verbose=False).failed == 0


def test_committed_exports_match_a_fresh_build(bundled_exports: Path) -> None:
    """exports/ is regenerated whenever the output changes (README: `make run`)."""
    committed = README.parent / "exports"
    for name in ("graph.ttl", "graph.json", "entities.csv", "index.html"):
        assert (committed / name).read_bytes() == (bundled_exports / name).read_bytes(), (
            f"exports/{name} is stale: run `make run` and commit exports/"
        )
