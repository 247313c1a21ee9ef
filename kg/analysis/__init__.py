"""Analyses of a kg graph in Python: plain functions, graph first, plain values back.

Every function takes the NetworkX graph of ``docs/graph-schema.md`` (``kg.build().nx``
or ``kg.load("exports")``) and returns rows (lists of dicts), dicts or a NetworkX graph;
:func:`to_pandas` turns rows into a DataFrame when pandas is installed.

* centrality: :func:`centrality`, :func:`top_entities` (papers, co-mention degree, PageRank);
* co-occurrence: :func:`cooccurrence_graph` (entity-entity projection with PMI/NPMI),
  :func:`top_pairs` (e.g. method x dataset), :func:`relations_between`;
* communities: :func:`communities` (seeded Louvain), :func:`community_of`;
* neighbourhoods and paths: :func:`neighbours`, :func:`connections`;
* families of variants: :func:`family`, :func:`families`, :func:`format_tree`;
* tables: :func:`to_pandas`, :func:`rows_text`; lookup: :func:`find`.

Entities are given by node id, entity id, name or alias, as in ``kg view``.

>>> import kg
>>> from kg import analysis
>>> g = kg.load("exports")  # the committed build of the bundled corpus
>>> [r["name"] for r in analysis.top_entities(g, "dataset", n=3)]
['ImageNet', 'GLUE', 'ImageNet-1K']
"""

from kg.analysis._graph import find, pagerank
from kg.analysis.centrality import centrality, top_entities
from kg.analysis.communities import communities, community_of
from kg.analysis.cooccurrence import cooccurrence_graph, relations_between, top_pairs
from kg.analysis.families import families, family, format_tree
from kg.analysis.paths import connections, neighbours
from kg.analysis.tables import rows_text, to_pandas

__all__ = [
    "centrality",
    "communities",
    "community_of",
    "connections",
    "cooccurrence_graph",
    "families",
    "family",
    "find",
    "format_tree",
    "neighbours",
    "pagerank",
    "relations_between",
    "rows_text",
    "to_pandas",
    "top_entities",
    "top_pairs",
]
