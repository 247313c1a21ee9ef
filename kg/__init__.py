"""kg: knowledge graphs of methods, datasets, models, metrics and tasks in ML papers.

Build the bundled corpus and look at it (the README shows more)::

    import kg
    result = kg.build()                    # or kg.build(["papers.jsonl"])
    result.nx.number_of_nodes(), len(result.rdf)

``build``, ``load`` and ``analysis`` (graph analyses: ``docs/analysis.md``) are imported
on first use, so ``import kg`` stays light.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"
__all__ = ["KnowledgeGraph", "analysis", "build", "load", "write_build"]

if TYPE_CHECKING:
    from kg import analysis
    from kg.exports import load_graph as load
    from kg.pipeline import KnowledgeGraph, build, write_build


def __getattr__(name: str) -> Any:
    if name in ("build", "write_build", "KnowledgeGraph"):
        from kg import pipeline

        return getattr(pipeline, name)
    if name == "load":
        from kg.exports import load_graph

        return load_graph
    if name == "analysis":
        import importlib

        return importlib.import_module("kg.analysis")
    raise AttributeError(f"module 'kg' has no attribute {name!r}")
