"""Tests of kg.vocab, kg/data/ontology.ttl and kg.rdf on a small hand-built graph."""

from __future__ import annotations

import os
import subprocess
import sys
from importlib import resources
from pathlib import Path

import networkx as nx
import pyoxigraph
import pytest
import rdflib
from rdflib import OWL, RDF, RDFS, Graph, Literal, URIRef
from rdflib.namespace import PROV, SKOS

from kg.errors import InputError, KgError
from kg.rdf import MLS, SCHEMA, load_rdf, node_iri, serialize_turtle, to_rdf, write_turtle
from kg.vocab import DEFAULT_BASE_IRI, KGV, KGV_IRI

B = DEFAULT_BASE_IRI
NASTY_ID = "odd id/with <chars> & ünïcode"
NASTY_ABSTRACT = 'He said "hi"\nthen left.\t<script>alert(\'x\')</script> \\ back\\slash """ end'


def _evidence(pairs: list[tuple[str, str]]) -> list[dict[str, str]]:
    return [{"paper": p, "sentence": s} for p, s in sorted(pairs)]


def small_graph() -> nx.MultiDiGraph:
    """A graph following docs/graph-schema.md: 3 papers, 6 entities, every relation kind."""
    g = nx.MultiDiGraph(name="test", papers=3, sources=["a.txt", "b.txt"])
    papers = {
        "p1": ("LLaMA-2: open models", "We propose LLaMA-2. LLaMA-2 reaches 80% accuracy on MMLU."),
        "p2": ("Scaling ResNet", "ResNet-50 on ImageNet. LLaMA-2 is good at question answering."),
        NASTY_ID: ('A "quoted" title', NASTY_ABSTRACT),
    }
    for i, (pid, (title, abstract)) in enumerate(sorted(papers.items())):
        g.add_node(
            f"paper/{pid}",
            kind="paper",
            id=pid,
            title=title,
            abstract=abstract,
            source="a.txt",
            line=10 * i + 1,
            date="Apr 2" if pid != "p2" else "",
            url="https://arxiv.org/abs/2307.09288" if pid == "p1" else "",
            authors=["Ann Author", "Bob Writer"] if pid == "p1" else [],
        )
    entities = {
        "model/llama-2": ("llama-2", "LLaMA-2", ["LLaMA 2", "Llama-2"], ["p1", "p2"]),
        "model/llama": ("llama", "LLaMA", [], ["p1"]),
        "dataset/imagenet": ("imagenet", "ImageNet", ["ImageNet-1k"], ["p2"]),
        "dataset/mmlu": ("mmlu", "MMLU", [], ["p1"]),
        "metric/accuracy": ("accuracy", "accuracy", ["Acc"], ["p1"]),
        "task/question-answering": ("question-answering", "question answering", ["QA"], ["p2"]),
        "method/resnet-50": ("resnet-50", "ResNet-50", [], ["p2", NASTY_ID]),
    }
    for node, (eid, name, aliases, pids) in entities.items():
        kind = node.split("/")[0]
        g.add_node(
            node, kind=kind, id=eid, name=name, aliases=aliases, papers=len(pids), paper_ids=pids
        )
        for pid in pids:
            sentence = papers[pid][1].split(". ")[0]
            g.add_edge(
                f"paper/{pid}",
                node,
                key="mentions",
                relation="mentions",
                support=1,
                count=2,
                evidence=_evidence([(pid, sentence)]),
            )
    g.add_edge(
        "paper/p1",
        "model/llama-2",
        key="proposes",
        relation="proposes",
        support=1,
        evidence=_evidence([("p1", "We propose LLaMA-2")]),
    )
    rels = [
        ("model/llama-2", "dataset/mmlu", "evaluated_on", [("p1", "LLaMA-2 reaches 80%")]),
        ("dataset/mmlu", "metric/accuracy", "measured_by", [("p1", "80% accuracy on MMLU")]),
        ("model/llama-2", "task/question-answering", "applied_to", [("p2", "good at QA")]),
        ("model/llama-2", "model/llama", "variant_of", []),
        ("method/resnet-50", "dataset/imagenet", "evaluated_on", [("p2", "ResNet-50 on ImageNet"),
                                                                  (NASTY_ID, NASTY_ABSTRACT)]),
    ]  # fmt: skip
    for source, target, key, evidence in rels:
        g.add_edge(
            source,
            target,
            key=key,
            relation=key,
            support=len(evidence),
            evidence=_evidence(evidence),
        )
    return g


@pytest.fixture()
def rdf() -> Graph:
    return to_rdf(small_graph())


# --- vocabulary and ontology ----------------------------------------------------------


def _vocab_terms() -> set[URIRef]:
    return {KGV[name] for name in KGV.__annotations__}


def test_vocabulary_is_closed() -> None:
    assert KGV.evaluatedOn == URIRef(KGV_IRI + "evaluatedOn")
    with pytest.raises(AttributeError):
        _ = KGV.evaluated_on


def test_ontology_describes_exactly_the_vocabulary() -> None:
    onto = Graph().parse(
        data=(resources.files("kg") / "data" / "ontology.ttl").read_text("utf-8"), format="turtle"
    )
    declared = {
        s
        for cls in (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty)
        for s in onto.subjects(RDF.type, cls)
    }
    assert declared == _vocab_terms()
    in_namespace = {t for t in onto.all_nodes() if isinstance(t, URIRef) and t.startswith(KGV_IRI)}
    assert in_namespace <= _vocab_terms()
    for term in declared:
        assert onto.value(term, RDFS.label), term
        assert len(str(onto.value(term, RDFS.comment))) > 20, term


def test_every_vocabulary_term_is_used_or_documented(rdf: Graph) -> None:
    used = set(rdf.predicates()) | set(rdf.objects(None, RDF.type))
    doc = (Path(__file__).parent.parent / "docs" / "vocabulary.md").read_text("utf-8")
    for term in _vocab_terms():
        assert term in used, term
        assert f"kgv:{term.removeprefix(KGV_IRI)}" in doc, term


# --- conversion -----------------------------------------------------------------------


def test_types_and_labels(rdf: Graph) -> None:
    llama2 = URIRef(B + "model/llama-2")
    assert (llama2, RDF.type, MLS.Model) in rdf
    assert (URIRef(B + "dataset/imagenet"), RDF.type, MLS.Dataset) in rdf
    assert (URIRef(B + "metric/accuracy"), RDF.type, MLS.EvaluationMeasure) in rdf
    assert (URIRef(B + "task/question-answering"), RDF.type, MLS.Task) in rdf
    assert (URIRef(B + "method/resnet-50"), RDF.type, MLS.Algorithm) in rdf
    assert rdf.value(llama2, SKOS.prefLabel) == Literal("LLaMA-2")
    assert set(rdf.objects(llama2, SKOS.altLabel)) == {Literal("LLaMA 2"), Literal("Llama-2")}
    assert rdf.value(llama2, KGV.paperCount) == Literal(2)
    assert rdf.value(llama2, KGV.paperCount).datatype == rdflib.XSD.integer


def test_papers(rdf: Graph) -> None:
    p1 = URIRef(B + "paper/p1")
    assert (p1, RDF.type, SCHEMA.ScholarlyArticle) in rdf
    assert str(rdf.value(p1, URIRef("http://purl.org/dc/terms/title"))) == "LLaMA-2: open models"
    assert rdf.value(p1, KGV.pageDate) == Literal("Apr 2")
    assert rdf.value(p1, KGV.sourceFile) == Literal("a.txt")
    assert rdf.value(p1, SCHEMA.url) == Literal(
        "https://arxiv.org/abs/2307.09288", datatype=rdflib.XSD.anyURI
    )
    assert set(rdf.objects(p1, SCHEMA.author)) == {Literal("Ann Author"), Literal("Bob Writer")}
    assert rdf.value(URIRef(B + "paper/p2"), KGV.pageDate) is None  # empty date left out
    assert (p1, SCHEMA.mentions, URIRef(B + "model/llama-2")) in rdf
    assert (p1, KGV.proposes, URIRef(B + "model/llama-2")) in rdf
    assert (URIRef(B + "paper/p2"), KGV.proposes, None) not in rdf


def test_relation_direct_and_reified_with_evidence(rdf: Graph) -> None:
    resnet, imagenet = URIRef(B + "method/resnet-50"), URIRef(B + "dataset/imagenet")
    assert (resnet, KGV.evaluatedOn, imagenet) in rdf
    assert (URIRef(B + "model/llama-2"), KGV.variantOf, URIRef(B + "model/llama")) in rdf
    [rel] = rdf.subjects(RDF.subject, resnet)
    assert (rel, RDF.type, KGV.Relation) in rdf
    assert rdf.value(rel, RDF.predicate) == KGV.evaluatedOn
    assert rdf.value(rel, RDF.object) == imagenet
    assert rdf.value(rel, KGV.support) == Literal(2)
    papers = {node_iri(B, "paper/p2"), node_iri(B, f"paper/{NASTY_ID}")}
    assert set(rdf.objects(rel, PROV.wasDerivedFrom)) == papers
    evidence = list(rdf.objects(rel, KGV.evidence))
    assert len(evidence) == 2
    assert {rdf.value(e, PROV.wasDerivedFrom) for e in evidence} == papers
    assert {str(rdf.value(e, KGV.sentence)) for e in evidence} == {
        "ResNet-50 on ImageNet",
        NASTY_ABSTRACT,
    }
    mention = URIRef(f"{B}relation/paper/p1/mentions/model/llama-2")
    assert rdf.value(mention, RDF.predicate) == SCHEMA.mentions
    assert rdf.value(mention, KGV.mentionCount) == Literal(2)


def test_no_blank_nodes_and_graph_description(rdf: Graph) -> None:
    assert not [t for triple in rdf for t in triple if not isinstance(t, URIRef | Literal)]
    me = URIRef(B)
    assert rdf.value(me, KGV.paperCount) == Literal(3)
    assert set(rdf.objects(me, KGV.sourceFile)) == {Literal("a.txt"), Literal("b.txt")}


def test_iri_escaping() -> None:
    iri = str(node_iri(B, f"paper/{NASTY_ID}"))
    assert iri == B + "paper/odd%20id%2Fwith%20%3Cchars%3E%20%26%20%C3%BCn%C3%AFcode"
    assert str(node_iri(B, "model/llama-2")) == B + "model/llama-2"
    assert str(node_iri("http://ex.org/kg#", "task/qa")) == "http://ex.org/kg#task/qa"


def test_base_iri_is_checked() -> None:
    for bad in ("no-scheme/", "http://ex.org/kg", "http://ex.org/a b/"):
        with pytest.raises(ValueError):
            to_rdf(small_graph(), base_iri=bad)
    other = to_rdf(small_graph(), base_iri="http://ex.org/kg/")
    assert (URIRef("http://ex.org/kg/model/llama"), RDF.type, MLS.Model) in other


def test_unknown_relation_is_rejected() -> None:
    g = small_graph()
    g.add_edge("model/llama", "dataset/mmlu", key="beats", relation="beats", support=1)
    with pytest.raises(ValueError, match="beats"):
        to_rdf(g)


# --- Turtle ---------------------------------------------------------------------------


def test_turtle_round_trips_in_rdflib_and_pyoxigraph(rdf: Graph, tmp_path: Path) -> None:
    path = tmp_path / "out" / "graph.ttl"
    write_turtle(rdf, path)
    text = path.read_text("utf-8")
    assert "@prefix mls: <http://www.w3.org/ns/mls#> ." in text
    assert "model:llama-2" in text  # readable prefixed names
    assert not list(path.parent.glob(".*tmp"))  # temp file renamed away
    back = load_rdf(path)
    assert len(back) == len(rdf)
    assert set(back) == set(rdf)
    p = node_iri(B, f"paper/{NASTY_ID}")
    assert str(back.value(p, URIRef("http://purl.org/dc/terms/abstract"))) == NASTY_ABSTRACT
    store = pyoxigraph.Store()
    store.load(path=str(path), format=pyoxigraph.RdfFormat.TURTLE)
    assert len(store) == len(rdf)
    [row] = store.query(f"SELECT ?a WHERE {{ <{p}> <http://purl.org/dc/terms/abstract> ?a }}")
    assert row["a"].value == NASTY_ABSTRACT


def test_load_rdf_accepts_build_folders(rdf: Graph, tmp_path: Path) -> None:
    write_turtle(rdf, tmp_path / "exports" / "graph.ttl")
    assert len(load_rdf(tmp_path)) == len(rdf)
    assert len(load_rdf(tmp_path / "exports")) == len(rdf)


def test_load_rdf_errors(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file"):
        load_rdf(tmp_path / "missing.ttl")
    with pytest.raises(InputError, match="no graph.ttl"):
        load_rdf(tmp_path)
    bad = tmp_path / "bad.ttl"
    bad.write_text("@prefix ex: <http://e/> .\nex:a ex:b", encoding="utf-8")
    with pytest.raises(KgError, match="bad.ttl: not valid Turtle") as info:
        load_rdf(bad)
    assert "\n" not in str(info.value)


def test_write_is_stable_and_replaces(rdf: Graph, tmp_path: Path) -> None:
    path = tmp_path / "graph.ttl"
    path.write_text("old", encoding="utf-8")
    write_turtle(rdf, path)
    first = path.read_bytes()
    write_turtle(load_rdf(path), path)  # parsed back: same bytes
    assert path.read_bytes() == first
    assert serialize_turtle(rdf).encode("utf-8") == first


_SCRIPT = """
import sys
from pathlib import Path
sys.path.insert(0, sys.argv[2])
from test_rdf import small_graph
from kg.rdf import to_rdf, write_turtle
write_turtle(to_rdf(small_graph()), Path(sys.argv[1]))
"""


def test_bytes_identical_across_hash_seeds(tmp_path: Path) -> None:
    outputs = []
    for seed in ("1", "2", "12345"):
        out = tmp_path / f"g{seed}.ttl"
        env = {**os.environ, "PYTHONHASHSEED": seed}
        here = str(Path(__file__).parent)
        subprocess.run([sys.executable, "-c", _SCRIPT, str(out), here], env=env, check=True)
        outputs.append(out.read_bytes())
    assert outputs[0] == outputs[1] == outputs[2]
    assert len(outputs[0]) > 1000


def test_relations_citing_one_sentence_share_its_evidence_node(rdf: Graph) -> None:
    p1, llama2 = node_iri(B, "paper/p1"), URIRef(B + "model/llama-2")
    proposes = URIRef(f"{B}relation/paper/p1/proposes/model/llama-2")
    mentions = URIRef(f"{B}relation/paper/p1/mentions/model/llama-2")
    [shared] = set(rdf.objects(proposes, KGV.evidence))
    assert set(rdf.objects(mentions, KGV.evidence)) == {shared}
    assert str(shared).startswith(f"{B}paper/p1/sentence/")
    assert str(rdf.value(shared, KGV.sentence)) == "We propose LLaMA-2"
    assert rdf.value(shared, PROV.wasDerivedFrom) == p1
    assert (p1, KGV.proposes, llama2) in rdf
    sentences = {(str(rdf.value(e, PROV.wasDerivedFrom)), str(rdf.value(e, KGV.sentence)))
                 for e in rdf.subjects(RDF.type, KGV.Evidence)}  # fmt: skip
    assert len(sentences) == len(set(rdf.subjects(RDF.type, KGV.Evidence)))
