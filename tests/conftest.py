"""Shared fixtures: the bundled corpus built once per test session."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pytest

import kg

if TYPE_CHECKING:
    from kg.pipeline import KnowledgeGraph

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"


@pytest.fixture(scope="session")
def corpus_dir() -> Path:
    """The bundled corpus folder (four trending-papers pages)."""
    return CORPUS


@pytest.fixture(scope="session")
def bundled() -> KnowledgeGraph:
    """``kg.build()`` of the bundled corpus, built once per session."""
    return kg.build()


@pytest.fixture(scope="session")
def bundled_exports(bundled: KnowledgeGraph, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder holding every export ``kg build`` writes for the bundled corpus."""
    out = tmp_path_factory.mktemp("build") / "exports"
    kg.write_build(bundled, out)
    return out
