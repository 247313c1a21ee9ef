"""Entity resolution: one entity per real thing, versions kept apart."""

from __future__ import annotations

import pytest

from kg.records import Mention
from kg.resolve import family_names, normalise, resolve


def mention(paper: str, text: str, label: str = "model", long_form: str | None = None) -> Mention:
    return Mention(paper, text, label, "abstract", 0, len(text), text, 1, long_form=long_form)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Large Language Models", "large language model"),
        ("fine-tuning", "Fine tuning"),
        ("fine-tuning", "finetuning"),
        ("LLMs", "LLM"),
        ("ResNet-50", "ResNet50"),
        ("LLaMA-2", "Llama 2"),
        ("the ImageNet dataset", "ImageNet dataset"),
        ("graph neural networks", "Graph Neural Network"),
        ("diffusion models", "Diffusion-Models"),
    ],
)
def test_variants_of_one_name_share_a_key(a: str, b: str) -> None:
    assert normalise(a) == normalise(b)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("LLaMA-2", "LLaMA-3"),
        ("ResNet-50", "ResNet-101"),
        ("GPT-4", "GPT-4o"),
        ("LLaMA-65B", "LLaMA-7B"),
        ("Qwen2.5", "Qwen2"),
        ("analysis", "analysi"),
        ("loss", "los"),
    ],
)
def test_distinct_versions_and_words_stay_apart(a: str, b: str) -> None:
    assert normalise(a) != normalise(b)


def test_long_form_and_acronym_become_one_entity_across_papers() -> None:
    mentions = [
        mention("p1", "Large Language Models"),
        mention("p1", "LLMs", long_form="Large Language Models"),
        mention("p2", "LLMs"),
        mention("p3", "large language model"),
    ]
    result = resolve(mentions)
    (entity,) = result.entities
    assert entity.name == "Large Language Models"
    assert set(entity.aliases) == {"LLMs", "large language model"}
    assert entity.papers == ("p1", "p2", "p3")
    assert result.mention_entity == ("large-language-models",) * 4


def test_paper_local_definition_wins_over_global() -> None:
    mentions = [
        mention("p1", "Positron Emission Tomography", "task"),
        mention("p1", "PET", "task", long_form="Positron Emission Tomography"),
        mention("p2", "Pattern-Exploiting Training", "method"),
        mention("p2", "PET", "method", long_form="Pattern-Exploiting Training"),
        mention("p3", "Pattern-Exploiting Training", "method"),
        mention("p3", "PET", "method", long_form="Pattern-Exploiting Training"),
    ]
    result = resolve(mentions)
    assert result.mention_entity[1] == "positron-emission-tomography"
    assert result.mention_entity[3] == "pattern-exploiting-training"


def test_versions_link_to_their_family_not_merge() -> None:
    mentions = [
        mention("p1", "LLaMA"),
        mention("p1", "LLaMA-2"),
        mention("p2", "LLaMA-2-7B"),
        mention("p2", "LLaMA-3"),
        mention("p3", "GPT-4"),
        mention("p3", "GPT-4o"),
    ]
    result = resolve(mentions)
    ids = [e.id for e in result.entities]
    assert ids == ["gpt-4", "gpt-4o", "llama", "llama-2", "llama-2-7b", "llama-3"]
    assert set(result.variants) == {
        ("llama-2", "llama"),
        ("llama-3", "llama"),
        ("llama-2-7b", "llama-2"),
    }


def test_label_is_the_majority_over_papers() -> None:
    mentions = [
        mention("p1", "Transformer", "model"),
        mention("p2", "Transformer", "model"),
        mention("p3", "transformers", "method"),
    ]
    (entity,) = resolve(mentions).entities
    assert (entity.label, entity.name) == ("model", "Transformer")


def test_unique_readable_ids_and_dropped_mentions() -> None:
    result = resolve(
        [mention("p1", "C++"), mention("p1", "C"), mention("p1", "the"), mention("p1", "LoRA+")]
    )
    assert [e.id for e in result.entities] == ["c", "c-plus-plus", "lora-plus"]
    assert result.mention_entity[2] is None


def test_family_names() -> None:
    assert family_names("Llama 3.1 8B") == ["Llama 3.1", "Llama"]
    assert family_names("Stable Diffusion XL") == ["Stable Diffusion"]
    assert family_names("T5") == []
