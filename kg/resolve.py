"""Entity resolution: mentions across papers -> one entity per real-world thing.

Surface forms that differ only in case, plurals, hyphens, spaces or a leading
article share a *key* (:func:`normalise`). An abbreviation that a paper defines
("Large Language Models (LLMs)") joins its long form's key, in that paper and, when
unambiguous, in papers that use the abbreviation alone. Keys keep every digit and
letter, so versions and sizes never merge (``LLaMA-2`` / ``LLaMA-3``,
``ResNet-50`` / ``ResNet-101``, ``GPT-4`` / ``GPT-4o``); they are linked to their
family instead (:func:`family_names`).
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Sequence

from kg.ingest import slugify
from kg.records import LABELS, Entity, Mention, Resolution

_ARTICLE = re.compile(r"^(the|a|an|our|their|its)\s+", re.IGNORECASE)
_SEPARATORS = re.compile(r"[\s\-\u2010-\u2015_/.·]+")
_NO_SINGULAR = {"series", "species", "news", "physics", "mathematics", "analysis", "bias"}
# A trailing version or size: "-2", "50", " 3.1", "v2", "-7B", "-large", "-Instruct".
_VARIANT_SUFFIX = re.compile(
    r"""^(?P<family>.*?[A-Za-z].*?)
        (?:[\s\-_]+|(?<=[A-Za-z])(?=\d))
        (?P<suffix>
            [vV]?\d+(?:\.\d+)*[a-zA-Z]?
          | \d+(?:\.\d+)?[BMKT]
          | (?:large|base|small|tiny|mini|medium|huge|giant|xl|xxl|turbo|pro|instruct|chat|lite)
        )
        (?:\s*\([^)]*\))?$""",
    re.VERBOSE | re.IGNORECASE,
)


def normalise(text: str) -> str:
    """Return the matching key of a surface form.

    Case, a leading article, hyphens, spaces and a plural last word are folded away;
    digits and letters are kept, so versions and sizes stay distinct.

    >>> normalise("Large Language Models")
    'largelanguagemodel'
    >>> normalise("the fine-tuning") == normalise("Fine tuning")
    True
    >>> normalise("LLMs"), normalise("ResNet-50"), normalise("GPT-4o")
    ('llm', 'resnet50', 'gpt4o')
    """
    text = unicodedata.normalize("NFKC", text).strip()
    text = _ARTICLE.sub("", text)
    words = [w for w in _SEPARATORS.split(text) if w]
    if not words or not any(ch.isalnum() for ch in text) or _ARTICLE.match(text + " "):
        return ""
    words[-1] = _singular(words[-1])
    return "".join(words).casefold()


def _singular(word: str) -> str:
    lower = word.lower()
    if lower in _NO_SINGULAR or len(word) < 3 or not word.endswith("s"):
        return word
    if word[:-1].isupper():  # acronym plural: LLMs, GNNs
        return word[:-1]
    if lower.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if lower.endswith(("ss", "us", "is")):
        return word
    if lower.endswith(("sses", "xes", "ches", "shes")):
        return word[:-2]
    return word[:-1]


def family_names(name: str) -> list[str]:
    """Return the family names of a versioned or sized name, most specific first.

    >>> family_names("LLaMA-2-7B")
    ['LLaMA-2', 'LLaMA']
    >>> family_names("ResNet50"), family_names("GPT-4o"), family_names("BERT")
    (['ResNet'], ['GPT'], [])
    """
    result = []
    current = name
    while True:
        match = _VARIANT_SUFFIX.match(current)
        if not match:
            return result
        family = match.group("family").rstrip(" -_")
        if len(family) < 2:
            return result
        result.append(family)
        current = family


def resolve(mentions: Sequence[Mention]) -> Resolution:
    """Group mentions into entities.

    Parameters
    ----------
    mentions : sequence of Mention
        Mentions of all papers, as :func:`kg.extract.extract` returns them.

    Returns
    -------
    Resolution
        Entities sorted by id, the entity id of each mention (``None`` when the
        mention has no usable text) and ``(variant, family)`` id pairs.

    Examples
    --------
    >>> from kg.records import Mention
    >>> def m(paper, text, label="model", long_form=None):
    ...     return Mention(paper, text, label, "abstract", 0, len(text), text, 1,
    ...                    long_form=long_form)
    >>> llm = "Large Language Models"
    >>> r = resolve([m("p1", llm), m("p1", "LLMs", long_form=llm),
    ...              m("p2", "LLM"), m("p2", "LLaMA-2"), m("p3", "LLaMA")])
    >>> [(e.id, e.name, e.aliases, e.papers) for e in r.entities]  # doctest: +NORMALIZE_WHITESPACE
    [('large-language-models', 'Large Language Models', ('LLM', 'LLMs'), ('p1', 'p2')),
     ('llama', 'LLaMA', (), ('p3',)), ('llama-2', 'LLaMA-2', (), ('p2',))]
    >>> r.variants
    (('llama-2', 'llama'),)
    """
    keys = [_mention_key(m) for m in mentions]
    keys = _apply_global_abbreviations(mentions, keys)

    groups: dict[str, list[int]] = defaultdict(list)
    for index, key in enumerate(keys):
        if key:
            groups[key].append(index)

    drafts = []
    for key in sorted(groups):
        members = [mentions[i] for i in groups[key]]
        drafts.append((key, _label(members), _name(members, key)))

    ids = _unique_ids([(key, name) for key, _, name in drafts])
    entities = []
    key_to_id: dict[str, str] = {}
    for key, label, name in drafts:
        members = [mentions[i] for i in groups[key]]
        aliases = sorted({m.text for m in members} - {name})
        papers = sorted({m.paper_id for m in members})
        entities.append(Entity(ids[key], label, name, tuple(aliases), tuple(papers)))
        key_to_id[key] = ids[key]

    entities.sort(key=lambda e: e.id)
    return Resolution(
        entities=tuple(entities),
        mention_entity=tuple(key_to_id.get(k) if k else None for k in keys),
        variants=_variants(entities),
    )


def _mention_key(mention: Mention) -> str:
    if mention.long_form:
        return normalise(mention.long_form)
    return normalise(mention.text)


def _apply_global_abbreviations(mentions: Sequence[Mention], keys: list[str]) -> list[str]:
    """Map a bare abbreviation to the long form other papers define for it.

    Only when the abbreviation is not itself a key of long-form mentions and one long
    form wins the papers that define it (ties go to the smallest key).
    """
    definitions: dict[str, Counter[str]] = defaultdict(Counter)
    defined_in: set[tuple[str, str]] = set()
    for mention, key in zip(mentions, keys, strict=True):
        if mention.long_form:
            short = normalise(mention.text)
            if (mention.paper_id, short) not in defined_in:
                defined_in.add((mention.paper_id, short))
                definitions[short][key] += 1
    best = {
        short: min(counts.items(), key=lambda kv: (-kv[1], kv[0]))[0]
        for short, counts in definitions.items()
    }
    return [
        best.get(key, key) if key and not mention.long_form else key
        for mention, key in zip(mentions, keys, strict=True)
    ]


def _label(members: list[Mention]) -> str:
    """Majority label by number of papers; ties follow :data:`LABELS` order."""
    by_label = Counter(label for _, label in {(m.paper_id, m.label) for m in members})
    return min(by_label, key=lambda label: (-by_label[label], LABELS.index(label)))


def _name(members: list[Mention], key: str) -> str:
    """Canonical name: the long form where papers give one, else the commonest form."""
    long_forms = [m.long_form for m in members if m.long_form and normalise(m.long_form) == key]
    candidates = long_forms or [m.text for m in members if not m.long_form] or [members[0].text]
    counts = Counter(candidates)
    return min(counts, key=lambda text: (-counts[text], text.islower(), text))


def _unique_ids(pairs: list[tuple[str, str]]) -> dict[str, str]:
    """Slug of each name, made unique with -2, -3 ... in sorted key order.

    ``+`` and ``#`` are spelled out, so "LoRA+" (``lora-plus``) never takes the id of "LoRA".
    """
    used: Counter[str] = Counter()
    ids = {}
    for key, name in sorted(pairs):
        readable = name.replace("+", " plus ").replace("#", " sharp ")
        base = slugify(readable, max_length=80) or slugify(key, max_length=80) or "entity"
        used[base] += 1
        ids[key] = base if used[base] == 1 else f"{base}-{used[base]}"
    return ids


def _variants(entities: list[Entity]) -> tuple[tuple[str, str], ...]:
    by_key = {(e.label, normalise(e.name)): e for e in entities}
    pairs = []
    for entity in entities:
        for family in family_names(entity.name):
            parent = by_key.get((entity.label, normalise(family)))
            if parent is not None and parent.id != entity.id:
                pairs.append((entity.id, parent.id))
                break
    return tuple(sorted(pairs))
