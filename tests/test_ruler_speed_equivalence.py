"""The gazetteer ruler's fast term tokenisation and dictionary matching equal spaCy's
tokenizer and ``PhraseMatcher`` (which the ruler used before, at ~2 s per pipeline load)."""

from __future__ import annotations

import re
from collections import Counter

import pytest
import spacy
from spacy.matcher import PhraseMatcher

from kg.extract import adapt_tokenizer
from kg.gazetteer import expand, load_terms
from kg.pipes.ruler import GazetteerRuler, cached_token_texts, token_texts

#: Strings that exercise prefixes, suffixes, infixes, special cases and odd whitespace.
TRICKY = [
    "e-mail", "x-e-mail", "8-)", "a-8-)", "don't", "Don't stop", "U.S.", "(BERT)", "GPT-4.",
    "a  b", " lead", "trail ", "tab\tsep", "nb\u00a0sp", "line\nbreak", "ImageNet-21K.", "1K",
    "7B", "10km", "co-operation", ":)", "F1-score", "x/y", "state-of-the-art", "e.g.", "vs.",
    "Ph.D.", "http://x.org/a-b", "3-5", "α-β", "Σ-net", "ΟΔΟΣ", "...", "a...b", "A.I.", "-x",
    "resnet-50's", "ﬁne-tuning", "U.K.-based", "x--y", "a,b", "a:b", "cannot", "İstanbul-net",
    "hard-x-ray", "deep learning model", "pre-training", "(pre)-training", "n't", "'s",
]  # fmt: skip


@pytest.fixture(scope="module")
def nlp() -> spacy.language.Language:
    nlp = spacy.blank("en")
    adapt_tokenizer(nlp)
    return nlp


@pytest.fixture(scope="module")
def surfaces() -> list[str]:
    return [text for text, _ in expand(load_terms())]


def reference(tokenizer, texts: list[str]) -> list[tuple[str, ...]]:
    return [tuple(t.text for t in doc) for doc in tokenizer.pipe(texts)]


def test_token_texts_equal_the_tokenizer(nlp, surfaces):
    texts = surfaces + TRICKY
    assert token_texts(nlp.tokenizer, texts) == reference(nlp.tokenizer, texts)
    plain = spacy.blank("en").tokenizer
    texts = surfaces[::10] + TRICKY
    assert token_texts(plain, texts) == reference(plain, texts)


def test_token_texts_with_custom_special_cases():
    tokenizer = spacy.blank("en").tokenizer
    tokenizer.add_special_case("x-ray", [{"ORTH": "x-ray"}])  # rejoins infix pieces
    tokenizer.add_special_case("deep learning", [{"ORTH": "deep learning"}])  # spans a space
    tokenizer.token_match = re.compile(r"^[a-z]+-\d+$").match
    texts = ["hard-x-ray", "x-ray", "a deep learning model", "deep-learning", "gpt-4", *TRICKY]
    assert token_texts(tokenizer, texts) == reference(tokenizer, texts)
    assert token_texts(tokenizer, ["hard-x-ray"]) == [("hard", "-", "x-ray")]


def test_token_cache(nlp, surfaces, tmp_path, monkeypatch):
    monkeypatch.setenv("KG_CACHE_DIR", str(tmp_path / "cache"))
    texts = surfaces[:3000] + TRICKY
    expected = token_texts(nlp.tokenizer, texts)
    assert cached_token_texts(nlp.tokenizer, texts) == expected  # computed and written
    (path,) = (tmp_path / "cache").glob("gazetteer-tokens-*.json")
    assert cached_token_texts(nlp.tokenizer, texts) == expected  # read back
    other = spacy.blank("en").tokenizer  # other settings: another file
    assert cached_token_texts(other, texts) == token_texts(other, texts)
    assert len(list((tmp_path / "cache").glob("gazetteer-tokens-*.json"))) == 2
    path.write_text('{"key": "', encoding="utf-8")  # damaged: computed again
    assert cached_token_texts(nlp.tokenizer, texts) == expected
    (tmp_path / "file").write_text("", encoding="utf-8")
    monkeypatch.setenv("KG_CACHE_DIR", str(tmp_path / "file"))  # unwritable: still computed
    assert cached_token_texts(nlp.tokenizer, texts) == expected


def test_phrase_matches_equal_phrase_matcher(nlp):
    from kg.ingest import bundled_corpus, read_papers

    ruler = GazetteerRuler(nlp)
    ruler.add_terms(load_terms())
    matchers = {case: PhraseMatcher(nlp.vocab, attr="ORTH" if case else "LOWER") for case in (0, 1)}
    for text, case in ruler._labels:
        matchers[case].add(f"{int(case)}\t{text}", [nlp.make_doc(text)])
    papers = read_papers([bundled_corpus()])
    texts = [f"{p.title}\n\n{p.abstract}" for p in papers] + [" ".join(TRICKY)]
    strings = nlp.vocab.strings
    total = 0
    for doc in nlp.tokenizer.pipe(texts):
        expected = [
            (start, end, ruler._labels[strings[key][2:], strings[key][0] == "1"])
            for case in (0, 1)
            for key, start, end in matchers[case](doc)
        ]
        assert Counter(ruler.phrase_matches(doc)) == Counter(expected)
        total += len(expected)
    assert total > 1000


def test_final_period_leaves_a_name_ending_in_a_capital() -> None:
    nlp = spacy.blank("en")
    adapt_tokenizer(nlp)
    words = [t.text for t in nlp.make_doc("termed LightningDiT. the AdamW. and BERT.")]
    assert words == ["termed", "LightningDiT", ".", "the", "AdamW", ".", "and", "BERT", "."]
