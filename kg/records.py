"""Plain data records passed between pipeline stages.

Every stage takes and returns these frozen dataclasses (or lists of them), never
spaCy objects, so stages can be tested, cached and replaced one at a time::

    ingest  -> Paper
    extract -> Mention
    resolve -> Entity (+ Resolution, which maps mentions to entities)
    graph   -> networkx.MultiDiGraph
"""

from __future__ import annotations

from dataclasses import dataclass, field

#: The five entity labels, in a fixed order used for sorting and tie-breaking.
LABELS: tuple[str, ...] = ("model", "method", "dataset", "metric", "task")

#: Fields of a paper that are read for mentions.
FIELDS: tuple[str, ...] = ("title", "abstract")

#: Between title and abstract in the text the extractor reads (a sentence boundary).
SEPARATOR = "\n\n"

#: Entity-entity relations: name -> (allowed source labels, allowed target labels).
RELATIONS: dict[str, tuple[frozenset[str], frozenset[str]]] = {
    "evaluated_on": (frozenset({"model", "method"}), frozenset({"dataset"})),
    "measured_by": (frozenset({"model", "method", "dataset"}), frozenset({"metric"})),
    "applied_to": (frozenset({"model", "method", "dataset"}), frozenset({"task"})),
    "variant_of": (frozenset(LABELS), frozenset(LABELS)),
}


@dataclass(frozen=True)
class Paper:
    """One paper: identity plus the text fields that are read.

    ``id`` is the record's own id when it has one, else derived from the
    normalised title, so the same paper read twice gets the same id.
    ``source`` and ``line`` say where the (first) record came from.
    """

    id: str
    title: str
    abstract: str
    source: str
    line: int
    date: str = ""
    url: str = ""
    authors: tuple[str, ...] = ()


@dataclass(frozen=True)
class Mention:
    """One occurrence of an entity in a paper's title or abstract.

    ``start``/``end`` are character offsets into ``paper.title`` or
    ``paper.abstract`` (``field``). ``sentence`` is the text of the sentence that
    holds the mention and ``sentence_index`` its position in the paper (the title
    is sentence 0, abstract sentences follow). ``long_form`` is set on an
    abbreviation whose long form the same paper defines ("LLMs" ->
    "Large Language Models"); ``proposed`` is set when the paper introduces the
    entity ("we propose X", "X: ..." titles).
    """

    paper_id: str
    text: str
    label: str
    field: str
    start: int
    end: int
    sentence: str
    sentence_index: int
    proposed: bool = False
    long_form: str | None = None


@dataclass(frozen=True)
class Entity:
    """One real-world thing, resolved from mentions across papers.

    ``id`` is a readable slug, stable for the same input (used in IRIs and node
    ids); ``name`` is the canonical name (long form where a paper gives one);
    ``aliases`` are the other surface forms seen; ``papers`` the ids of papers
    that mention it, sorted.
    """

    id: str
    label: str
    name: str
    aliases: tuple[str, ...] = ()
    papers: tuple[str, ...] = ()


@dataclass(frozen=True)
class Resolution:
    """Result of entity resolution.

    ``entities`` sorted by id; ``mention_entity[i]`` is the entity id of the
    i-th input mention (``None`` when the mention was dropped); ``variants`` are
    ``(variant_id, family_id)`` pairs, e.g. ("llama-2", "llama").
    """

    entities: tuple[Entity, ...]
    mention_entity: tuple[str | None, ...]
    variants: tuple[tuple[str, str], ...] = field(default=())
