"""The NetworkX graph: unit tests on small input and checks on the bundled corpus."""

from __future__ import annotations

from collections import Counter

import networkx as nx

from kg.graph import build_graph
from kg.records import LABELS, Mention, Paper
from kg.resolve import resolve

ABSTRACT = "We propose FooNet, evaluated on ImageNet with top-1 accuracy. FooNet beats ResNet-50."


def small_graph() -> nx.MultiDiGraph:
    papers = [
        Paper("p1", "FooNet: a title", ABSTRACT, "a.txt", 1, "Apr 2"),
        Paper("p2", "Other", "ResNet and ResNet-50 on ImageNet.", "a.txt", 3, "Apr 2"),
    ]
    s1, s2 = ABSTRACT.split(". ")
    mentions = [
        Mention("p1", "FooNet", "model", "title", 0, 6, "FooNet: a title", 0, proposed=True),
        Mention("p1", "FooNet", "model", "abstract", 11, 17, s1 + ".", 1, proposed=True),
        Mention("p1", "ImageNet", "dataset", "abstract", 32, 40, s1 + ".", 1),
        Mention("p1", "top-1 accuracy", "metric", "abstract", 46, 60, s1 + ".", 1),
        Mention("p1", "FooNet", "model", "abstract", 62, 68, s2, 2),
        Mention("p1", "ResNet-50", "model", "abstract", 75, 84, s2, 2),
        Mention("p2", "ResNet", "model", "abstract", 0, 6, papers[1].abstract, 1),
        Mention("p2", "ResNet-50", "model", "abstract", 11, 20, papers[1].abstract, 1),
        Mention("p2", "ImageNet", "dataset", "abstract", 24, 32, papers[1].abstract, 1),
    ]
    return build_graph(papers, mentions, resolve(mentions))


def test_nodes_have_kind_and_attributes() -> None:
    g = small_graph()
    assert g.nodes["paper/p1"]["kind"] == "paper"
    assert g.nodes["paper/p1"]["date"] == "Apr 2"
    imagenet = g.nodes["dataset/imagenet"]
    assert (imagenet["kind"], imagenet["name"], imagenet["papers"]) == ("dataset", "ImageNet", 2)
    assert imagenet["paper_ids"] == ["p1", "p2"]


def test_mentions_proposes_and_relations() -> None:
    g = small_graph()
    edge = g.edges["paper/p1", "model/foonet", "mentions"]
    assert edge["count"] == 3
    assert edge["evidence"] == [{"paper": "p1", "sentence": "FooNet: a title"}]
    assert g.has_edge("paper/p1", "model/foonet", "proposes")
    assert not g.has_edge("paper/p1", "dataset/imagenet", "proposes")
    assert g.has_edge("model/foonet", "metric/top-1-accuracy", "measured_by")
    assert g.has_edge("dataset/imagenet", "metric/top-1-accuracy", "measured_by")
    # model-model co-mention is no typed relation
    assert not g.has_edge("model/foonet", "model/resnet-50")


def test_support_counts_papers_and_evidence_is_one_sentence_per_paper() -> None:
    g = small_graph()
    edge = g.edges["model/resnet-50", "dataset/imagenet", "evaluated_on"]
    assert edge["support"] == 1
    assert edge["evidence"] == [{"paper": "p2", "sentence": "ResNet and ResNet-50 on ImageNet."}]
    variant = g.edges["model/resnet-50", "model/resnet", "variant_of"]
    assert variant["support"] == 2
    assert [e["paper"] for e in variant["evidence"]] == ["p1", "p2"]


def test_bundled_graph_shape(bundled) -> None:
    g = bundled.nx
    kinds = Counter(kind for _, kind in g.nodes(data="kind"))
    assert kinds["paper"] == 362
    for label in LABELS:
        assert kinds[label] >= 5, label
    relations = Counter(key for _, _, key in g.edges(keys=True))
    for relation in ("mentions", "proposes", "evaluated_on", "measured_by", "applied_to"):
        assert relations[relation] > 0, relation
    for u, v, key, data in g.edges(keys=True, data=True):
        assert data["relation"] == key
        assert data["support"] == len(data["evidence"]) >= 1
        if key not in ("mentions", "proposes"):
            assert g.nodes[u]["kind"] != "paper" and g.nodes[v]["kind"] != "paper"


def test_bundled_graph_known_entities(bundled) -> None:
    g = bundled.nx
    names = {data["name"].lower(): node for node, data in g.nodes(data=True) if "name" in data}
    llm = names["large language models"]
    assert g.nodes[llm]["kind"] == "model"
    assert g.nodes[llm]["papers"] >= 50
    assert any(a in ("LLMs", "LLM") for a in g.nodes[llm]["aliases"])
    assert g.nodes[names["imagenet"]]["kind"] == "dataset"
    assert g.nodes[names["lora"] if "lora" in names else names["low-rank adaptation"]]["kind"] in (
        "method",
    )
    # one node per entity: no two entity nodes share a canonical name
    entity_names = Counter(
        (d["kind"], d["name"].lower()) for _, d in g.nodes(data=True) if d["kind"] != "paper"
    )
    assert entity_names.most_common(1)[0][1] == 1
