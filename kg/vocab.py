"""The kg vocabulary (prefix ``kgv``): the few terms no public vocabulary covers.

Everything else in the RDF graph uses public vocabularies (schema.org, Dublin Core
terms, ML-Schema, SKOS, PROV-O, RDF reification); see ``docs/vocabulary.md``. The
namespace is closed: using a term that is not declared here raises ``AttributeError``,
and ``kg/data/ontology.ttl`` describes every term (a test keeps the two in step).
"""

from __future__ import annotations

from rdflib.namespace import DefinedNamespace, Namespace
from rdflib.term import URIRef

#: Base IRI for papers, entities and relations (``base_iri + node_id``).
DEFAULT_BASE_IRI = "https://w3id.org/mlkg/"

#: Namespace IRI of the vocabulary.
KGV_IRI = "https://w3id.org/mlkg/vocab#"


class KGV(DefinedNamespace):
    """kg vocabulary: relations between ML entities and the evidence behind them.

    Namespace ``https://w3id.org/mlkg/vocab#``, preferred prefix ``kgv``.
    """

    _fail = True

    # Classes
    Evidence: URIRef  # A sentence of a paper that supports a relation.
    Relation: URIRef  # One reified edge of the graph: subject, predicate, object, support.

    # Object properties
    proposes: URIRef  # The paper introduces the entity.
    evaluatedOn: URIRef  # A model or method is evaluated on a dataset.
    measuredBy: URIRef  # A model, method or dataset is reported with a metric.
    appliedTo: URIRef  # A model, method or dataset is used for a task.
    variantOf: URIRef  # A version or size variant of a family (LLaMA-2 -> LLaMA).
    evidence: URIRef  # Links a relation to one of its evidence sentences.

    # Datatype properties
    support: URIRef  # Number of papers behind a relation.
    mentionCount: URIRef  # Number of occurrences of the entity in the paper.
    paperCount: URIRef  # Number of papers that mention an entity (or that a graph holds).
    sentence: URIRef  # Text of an evidence sentence.
    sourceFile: URIRef  # Name of the input file a paper (or a graph) was read from.
    sourceLine: URIRef  # Line of the input file where the paper's record starts.
    pageDate: URIRef  # Date of the listing page, as written (e.g. "Apr 2", no year).

    _NS = Namespace(KGV_IRI)
