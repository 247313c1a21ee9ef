"""Build the NetworkX graph: papers, entities, mentions and relations.

The graph's shape is documented in ``docs/graph-schema.md``; every later stage
(RDF, views, exports, analysis) reads only this graph.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

import networkx as nx

from kg.records import RELATIONS, Entity, Mention, Paper, Resolution


def paper_node(paper_id: str) -> str:
    """Return the node id of a paper.

    >>> paper_node("merging-models-f3d5ba")
    'paper/merging-models-f3d5ba'
    """
    return f"paper/{paper_id}"


def entity_node(entity: Entity) -> str:
    """Return the node id of an entity: its label and id.

    >>> entity_node(Entity("llama-2", "model", "LLaMA-2"))
    'model/llama-2'
    """
    return f"{entity.label}/{entity.id}"


def build_graph(
    papers: Sequence[Paper], mentions: Sequence[Mention], resolution: Resolution
) -> nx.MultiDiGraph:
    """Link papers and resolved entities into one graph.

    Parameters
    ----------
    papers : sequence of Paper
        Every paper read, in input order.
    mentions : sequence of Mention
        Mentions of those papers, aligned with ``resolution.mention_entity``.
    resolution : Resolution
        The entities the mentions resolve to.

    Returns
    -------
    networkx.MultiDiGraph
        Paper and entity nodes; ``mentions``/``proposes`` edges from papers to
        entities and relation edges between entities, each with ``support`` and
        ``evidence``.

    Examples
    --------
    >>> from kg.records import Paper, Mention, Entity, Resolution
    >>> p = Paper("p1", "T", "We evaluate BERT on GLUE.", "a.txt", 1)
    >>> ms = [Mention("p1", "BERT", "model", "abstract", 12, 16, p.abstract, 1),
    ...       Mention("p1", "GLUE", "dataset", "abstract", 20, 24, p.abstract, 1)]
    >>> r = Resolution((Entity("bert", "model", "BERT", (), ("p1",)),
    ...                 Entity("glue", "dataset", "GLUE", (), ("p1",))), ("bert", "glue"))
    >>> g = build_graph([p], ms, r)
    >>> sorted(g.edges(keys=True))  # doctest: +NORMALIZE_WHITESPACE
    [('model/bert', 'dataset/glue', 'evaluated_on'),
     ('paper/p1', 'dataset/glue', 'mentions'), ('paper/p1', 'model/bert', 'mentions')]
    >>> g.edges["model/bert", "dataset/glue", "evaluated_on"]["support"]
    1
    """
    graph = nx.MultiDiGraph(
        name="kg",
        papers=len(papers),
        sources=sorted({p.source for p in papers}),
    )
    for paper in papers:
        graph.add_node(
            paper_node(paper.id),
            kind="paper",
            id=paper.id,
            title=paper.title,
            abstract=paper.abstract,
            source=paper.source,
            line=paper.line,
            date=paper.date,
            url=paper.url,
            authors=list(paper.authors),
        )
    by_id = {e.id: e for e in resolution.entities}
    for entity in resolution.entities:
        graph.add_node(
            entity_node(entity),
            kind=entity.label,
            id=entity.id,
            name=entity.name,
            aliases=list(entity.aliases),
            papers=len(entity.papers),
            paper_ids=list(entity.papers),
        )

    resolved = [
        (m, by_id[eid])
        for m, eid in zip(mentions, resolution.mention_entity, strict=True)
        if eid is not None
    ]
    _add_paper_edges(graph, resolved)
    _add_relations(graph, resolved)
    _add_variants(graph, resolved, resolution.variants, by_id)
    return graph


def _add_paper_edges(graph: nx.MultiDiGraph, resolved: list[tuple[Mention, Entity]]) -> None:
    counts: dict[tuple[str, str], int] = defaultdict(int)
    first_sentence: dict[tuple[str, str], str] = {}
    proposed: set[tuple[str, str]] = set()
    for mention, entity in resolved:
        pair = (paper_node(mention.paper_id), entity_node(entity))
        counts[pair] += 1
        first_sentence.setdefault(pair, mention.sentence)
        if mention.proposed:
            proposed.add(pair)
    for pair in sorted(counts):
        evidence = [{"paper": pair[0].removeprefix("paper/"), "sentence": first_sentence[pair]}]
        graph.add_edge(
            *pair,
            key="mentions",
            relation="mentions",
            support=1,
            evidence=evidence,
            count=counts[pair],
        )
        if pair in proposed:
            graph.add_edge(
                *pair, key="proposes", relation="proposes", support=1, evidence=list(evidence)
            )


def _add_relations(graph: nx.MultiDiGraph, resolved: list[tuple[Mention, Entity]]) -> None:
    """Relate entities whose labels fit a relation when one sentence mentions both."""
    sentences: dict[tuple[str, int], list[tuple[Mention, Entity]]] = defaultdict(list)
    for mention, entity in resolved:
        sentences[(mention.paper_id, mention.sentence_index)].append((mention, entity))

    evidence: dict[tuple[str, str, str], dict[str, str]] = defaultdict(dict)
    for (paper_id, _), members in sentences.items():
        entities = {entity_node(e): e for _, e in members}
        sentence = members[0][0].sentence
        for source, a in entities.items():
            for target, b in entities.items():
                if source == target:
                    continue
                for relation, (sources, targets) in RELATIONS.items():
                    if relation != "variant_of" and a.label in sources and b.label in targets:
                        evidence[(source, target, relation)].setdefault(paper_id, sentence)
    _add_evidence_edges(graph, evidence)


def _add_variants(
    graph: nx.MultiDiGraph,
    resolved: list[tuple[Mention, Entity]],
    variants: Sequence[tuple[str, str]],
    by_id: dict[str, Entity],
) -> None:
    """variant_of edges, with the sentences that name the variant as evidence."""
    sentences: dict[str, dict[str, str]] = defaultdict(dict)
    for mention, entity in resolved:
        sentences[entity.id].setdefault(mention.paper_id, mention.sentence)
    evidence = {
        (entity_node(by_id[child]), entity_node(by_id[parent]), "variant_of"): sentences[child]
        for child, parent in variants
    }
    _add_evidence_edges(graph, evidence)


def _add_evidence_edges(
    graph: nx.MultiDiGraph, evidence: dict[tuple[str, str, str], dict[str, str]]
) -> None:
    for source, target, relation in sorted(evidence):
        by_paper = evidence[(source, target, relation)]
        graph.add_edge(
            source,
            target,
            key=relation,
            relation=relation,
            support=len(by_paper),
            evidence=[{"paper": p, "sentence": by_paper[p]} for p in sorted(by_paper)],
        )
