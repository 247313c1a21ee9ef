"""Tests of the extraction stage (kg.extract and the kg.pipes components)."""

from __future__ import annotations

import pytest
import spacy

from kg.extract import extract, load_nlp
from kg.gazetteer import DATA_DIR
from kg.pipes.abbrev import best_long_form, find_abbreviations
from kg.pipes.ner import NER_DIR, NerEnsemble, ensemble_members
from kg.pipes.sentences import sentence_starts
from kg.records import LABELS, Paper


@pytest.fixture(scope="module")
def corpus() -> dict[str, Paper]:
    from kg.ingest import bundled_corpus, read_papers

    return {p.title.split(":")[0]: p for p in read_papers([bundled_corpus()])}


def by_text(mentions):
    return {(m.text, m.label) for m in mentions}


def paper(abstract: str, title: str = "A study") -> Paper:
    return Paper("p", title, abstract, "test", 1)


def test_real_paper_entities_labels_and_offsets(corpus):
    p = corpus["Beyond Self-Supervision"]
    ms = extract([p])
    found = by_text(ms)
    for expected in [
        ("MobileNetV3-large", "model"),
        ("ResNet50-D", "model"),
        ("ImageNet-1k", "dataset"),
        ("top-1 accuracy", "metric"),
        ("knowledge distillation", "method"),
        ("object detection", "task"),
        ("semantic segmentation", "task"),
    ]:
        assert expected in found
    for m in ms:
        text = p.title if m.field == "title" else p.abstract
        assert text[m.start : m.end] == m.text
        assert m.text in m.sentence
        assert m.label in LABELS
        assert (m.sentence_index == 0) == (m.field == "title")


def test_mentions_ordered_and_every_occurrence(corpus):
    ps = [corpus["PELA"], corpus["CrisisTransformers"]]
    ms = extract(ps)
    order = [
        (ps.index(next(p for p in ps if p.id == m.paper_id)), m.field != "title", m.start)
        for m in ms
    ]
    assert order == sorted(order)
    crisis = [m for m in ms if m.text == "CrisisTransformers"]
    assert len(crisis) >= 3 and {m.field for m in crisis} == {"title", "abstract"}


def test_proposed_flags(corpus):
    ms = extract([corpus["PELA"], corpus["CrisisTransformers"]])
    proposed = {m.text for m in ms if m.proposed}
    assert {"PELA", "CrisisTransformers"} <= proposed
    assert not any(m.proposed for m in ms if m.text in ("BERT", "RoBERTa", "fine-tuning"))
    ms = extract([paper("In this paper, we propose FooNet, a novel network for parsing.")])
    assert [m.text for m in ms if m.proposed] == ["FooNet"]
    known = "We propose to adapt large language models (LLMs) with an SVM head."
    assert not any(m.proposed for m in extract([paper(known)]))
    titled = extract([paper("We study it.", title="ELECTRA: Pre-training Text Encoders")])
    assert [m.text for m in titled if m.proposed] == ["ELECTRA"]


def test_abbreviation_long_forms():
    text = (
        "Large Language Models (LLMs) are strong. We fine-tune LLMs with Low-Rank Adaptation "
        "(LoRA) and Proximal Policy Optimization (PPO). LoRA is cheap."
    )
    ms = extract([paper(text, title="Tuning LLMs")])
    longs = {(m.text, m.field): m.long_form for m in ms}
    assert longs[("LLMs", "title")] == "Large Language Models"
    assert longs[("Large Language Models", "abstract")] is None
    assert longs[("LoRA", "abstract")] == "Low-Rank Adaptation"
    assert longs[("PPO", "abstract")] == "Proximal Policy Optimization"
    assert sum(m.text == "LoRA" for m in ms) == 2
    assert ("Low-Rank Adaptation", "method") in by_text(ms)


def test_abbreviation_pure_functions():
    long = "trained with Reinforcement Learning from Human Feedback"
    assert long[best_long_form("RLHF", long) :] == "Reinforcement Learning from Human Feedback"
    doc = load_nlp()("We use Graph Neural Networks (GNNs) here.")
    assert [(lf.text, sf.text) for lf, sf in find_abbreviations(doc)] == [
        ("Graph Neural Networks", "GNNs")
    ]


def test_abbreviation_long_forms_count_words_not_hyphen_pieces():
    # 9 tokens but 5 words: within Schwartz & Hearst's limit for a 5-letter short form
    doc = load_nlp()(
        "The framework, named Meta-Learning with Task-Adaptive Loss Function (MeTAL), works."
    )
    assert [(lf.text, sf.text) for lf, sf in find_abbreviations(doc)] == [
        ("Meta-Learning with Task-Adaptive Loss Function", "MeTAL")
    ]


def test_hyphenated_short_forms_keep_their_long_form():
    text = (
        "We propose a Multi-Scale Residual Graph Convolution Network (MSR-GCN) for pose "
        "prediction. MSR-GCN is fast. We use Knowledge Distillation (KD) too."
    )
    ms = extract([paper(text)])
    longs = {m.long_form for m in ms if m.text == "MSR-GCN"}
    assert longs == {"Multi-Scale Residual Graph Convolution Network"}
    assert sum(m.text == "MSR-GCN" for m in ms) == 2


def test_abbreviation_label_comes_from_its_long_form():
    # the gazetteer's "CV" is computer vision (a task); defined here as cross-validation
    ms = extract([paper("We evaluate with leave-one-out cross-validation (CV). CV is slow.")])
    labels = {m.text: m.label for m in ms}
    assert labels["CV"] == labels["leave-one-out cross-validation"] == "method"


def test_gazetteer_keeps_every_capitalised_spelling_of_one_label():
    from kg.gazetteer import load_terms

    texts = {text for _label, text, _case in load_terms()}
    assert {"LLaMA", "Llama"} <= texts  # both curated; the first alone was kept before
    assert "natural questions" not in texts  # "a natural question arises" names no dataset
    found = by_text(extract([paper("A natural question arises: does Natural Questions help?")]))
    assert ("Natural Questions", "dataset") in found
    assert not {text for text, _ in found} & {"natural question", "A natural question"}


def test_short_forms_defined_before_their_long_form():
    text = (
        "We introduce MIGU (MagnItude-based Gradient Updating for continual learning). "
        "TERA, which stands for Transformer Encoder Representations from Alteration, helps. "
        "BERT (Devlin et al., 2019) and LoRA (Hu et al.) are cited."
    )
    pairs = [(lf.text, sf.text) for lf, sf in find_abbreviations(spacy.blank("en")(text))]
    assert pairs == [
        ("MagnItude-based Gradient Updating", "MIGU"),
        ("Transformer Encoder Representations from Alteration", "TERA"),
    ]
    ms = extract([paper(text)])
    long_forms = {m.text: m.long_form for m in ms}
    assert long_forms["MIGU"] == "MagnItude-based Gradient Updating"
    doc = spacy.blank("en")("large amounts of CommonCrawl (CC) web scrape")
    assert [(lf.text, sf.text) for lf, sf in find_abbreviations(doc)] == [("CommonCrawl", "CC")]


def test_short_forms_opening_a_colon_and_cue_nouns_after_a_pair():
    doc = spacy.blank("en")("We present MoDeST: Mostly-Consistent Decentralized Sampling Training.")
    assert [(lf.text, sf.text) for lf, sf in find_abbreviations(doc)] == [
        ("Mostly-Consistent Decentralized Sampling Training", "MoDeST")
    ]
    doc = spacy.blank("en")("SeaBird: Segmentation in Bird's View with Dice Loss")
    assert find_abbreviations(doc) == []  # the name goes on after "Bird"
    doc = spacy.blank("en")("LoRA: Low-Rank Adaptation of Large Language Models")
    assert [(lf.text, sf.text) for lf, sf in find_abbreviations(doc)] == [
        ("Low-Rank Adaptation", "LoRA")
    ]
    text = (
        "We propose an Improved Test-Time Adaptation (ITTA) method. Natural Language "
        "Processing (NLP) models are common."
    )
    labels = {m.text: m.label for m in extract([paper(text)])}
    assert labels["ITTA"] == labels["Improved Test-Time Adaptation"] == "method"
    assert labels["NLP"] == "task"  # models for NLP: the cue noun qualifies, not describes


def test_abbreviation_definition_outranks_a_gazetteer_dataset():
    # the gazetteer's "OC" is a dataset; the text defines it as a task
    text = "Ordinal Classification (OC) is a classification task. An OC task for sentiment."
    ms = extract([paper(text)])
    assert {m.label for m in ms if m.text == "OC"} == {"task"}


def test_abbreviation_head_noun_outranks_the_ner_on_the_long_form():
    from spacy.tokens import Span

    from kg.pipes.abbrev import _pair_label

    doc = spacy.blank("en")("a Semantic Parsing Guided Neural Network (SPGNN) for APIs")
    long, short = doc[1:6], doc[7:8]
    ner = Span(doc, 1, 6, label="task", span_id="ner")
    assert _pair_label(long, short, [ner]) == "model"  # "Network" heads it
    plain = spacy.blank("en")("a Semantic Parsing Guided Tagging (SPGT) for APIs")
    ner = Span(plain, 1, 5, label="task", span_id="ner")
    assert _pair_label(plain[1:5], plain[6:7], [ner]) == "task"  # no head noun: the NER's


def test_standard_metric_long_forms():
    text = "It improves the area under the receiver operating characteristic curve and PSNR."
    found = by_text(extract([paper(text)]))
    assert ("area under the receiver operating characteristic curve", "metric") in found


def test_generic_phrases_filtered():
    text = (
        "Our model beats the baseline. The dataset is large and pre-trained models help. "
        "Training is slow, but our approach and this method improve the results."
    )
    texts = {m.text.lower() for m in extract([paper(text)])}
    for generic in ["our model", "model", "dataset", "pre-trained models", "training", "approach"]:
        assert generic not in texts
    fields = "Deep learning and machine learning (ML) help in many fields, such as NLP."
    texts = {m.text.lower() for m in extract([paper(fields)])}
    assert texts.isdisjoint({"deep learning", "machine learning", "ml"})
    parts = "The decoder and the encoder of deep models; a teacher guides a student."
    texts = {m.text.lower() for m in extract([paper(parts)])}
    assert texts.isdisjoint({"decoder", "encoder", "deep models", "teacher", "student"})
    spelled = "Pre-Trained Models (PTMs) help; we tune the learning rate and in-context examples."
    texts = {m.text.lower() for m in extract([paper(spelled)])}
    assert texts.isdisjoint({"pre-trained models", "ptms", "learning rate", "in-context"})


def test_shapes_and_lists():
    text = (
        "We compare TinyLlama, StableLM and Llama-2-7B with GPT-4o on ImageNet-21K. "
        "Qwen2.5-7B-Instruct reaches higher accuracy."
    )
    found = by_text(extract([paper(text)]))
    for expected in [
        ("TinyLlama", "model"),
        ("StableLM", "model"),
        ("Llama-2-7B", "model"),
        ("GPT-4o", "model"),
        ("ImageNet-21K", "dataset"),
        ("Qwen2.5-7B-Instruct", "model"),
        ("accuracy", "metric"),
    ]:
        assert expected in found


def test_sentences_and_indices():
    ms = extract(
        [paper("It has strong reasoning ability.OpenAI released GPT-4, e.g. for chat. BERT too.")]
    )
    idx = {m.text: m.sentence_index for m in ms}
    assert idx["GPT-4"] == 2 and idx["BERT"] == 3
    assert sentence_starts(["e.g.", "Foo", "bar", ".", "Baz"]) == [True, False, False, False, True]
    assert sentence_starts(["$", "x", ".", "Y", "$", "."]) == [
        True,
        False,
        False,
        False,
        False,
        False,
    ]


def test_components_in_fresh_pipeline(tmp_path):
    nlp = spacy.blank("en")
    for name in ("kg_sentencizer", "kg_gazetteer", "kg_abbreviations", "kg_entity_resolver"):
        nlp.add_pipe(name)
    doc = nlp("We fine-tune BERT on GLUE and report F1. Convolutional Neural Networks (CNNs) help.")
    ents = {(e.text, e.label_) for e in doc.ents}
    assert {("BERT", "model"), ("GLUE", "dataset"), ("F1", "metric")} <= ents
    assert [e._.kg_long_form for e in doc.ents if e.text == "CNNs"] == [
        "Convolutional Neural Networks"
    ]
    ruler = nlp.get_pipe("kg_gazetteer")
    ruler.to_disk(tmp_path)
    other = spacy.blank("en").add_pipe("kg_gazetteer", config={"files": []})
    assert not other.terms
    other.from_disk(tmp_path)
    assert len(other.terms) == len(ruler.terms)


def test_deterministic(corpus):
    ps = list(corpus.values())[:20]
    assert extract(ps) == extract(ps)


# -- learned lexicon, trained NER and their combination ------------------------------------------
def test_lexicon_matcher_adds_and_drops(tmp_path):
    from kg.pipes.lexicon import LexiconMatcher, norm_form, read_lexicon

    nlp = spacy.blank("en")
    lexicon = LexiconMatcher(nlp, min_rate=0.5, min_support=2)
    lexicon.add_rows(
        [
            ("add", "method", "model merging", 0.9, 7),
            ("add", "model", "SSM", 1.0, 6),
            ("add", "task", "rare thing", 0.2, 9),  # below min_rate: not matched
            ("drop", "metric", "data quality", 0.0, 4),
        ]
    )
    doc = nlp("Model-merging of SSMs and ssm, rare thing.")
    lexicon(doc)
    found = {(s.text, s.label_, s.id_) for s in doc.spans["kg_candidates"]}
    assert found == {("Model-merging", "method", "lex"), ("SSMs", "model", "lex")}
    doc = nlp("High data quality matters.")
    doc.spans["kg_candidates"] = [spacy.tokens.Span(doc, 1, 3, label="metric")]
    lexicon(doc)
    assert list(doc.spans["kg_candidates"]) == []
    assert norm_form("The Pre-trained Models") == "pre trained model"
    lexicon.to_disk(tmp_path)
    other = LexiconMatcher(nlp).from_disk(tmp_path)
    assert other.rows == lexicon.rows and other.dropped == {("metric", "data quality")}
    rows = read_lexicon(DATA_DIR / "lexicon.tsv")
    assert any(r[0] == "add" and r[2].lower() == "fine-tuning" for r in rows)


def test_ner_ensemble_loads_offline_from_package_data():
    nlp = load_nlp()
    members = ensemble_members(NER_DIR)
    assert len(members) >= 3
    assert {"kg_ner_ensemble", "kg_ner_candidates", "kg_lexicon"} <= set(nlp.pipe_names)
    assert nlp.pipe_names.index("kg_ner_ensemble") < nlp.pipe_names.index("kg_entity_resolver")
    ensemble = nlp.get_pipe("kg_ner_ensemble")
    assert ensemble.min_votes == 2 and len(ensemble.members) == len(members)
    for member in ensemble.members:
        assert set(member.get_pipe("ner").labels) == set(LABELS)
    size = sum(f.stat().st_size for f in NER_DIR.rglob("*") if f.is_file())
    assert size < 10_000_000
    doc = nlp("We fine-tune BERT with LoRA for question answering.")
    sources = {s.id_ for s in doc.spans["kg_candidates"]}
    assert "ner" in sources and len(doc.ents) >= 2


def test_ner_ensemble_keeps_spans_most_members_predict():
    ensemble = NerEnsemble(NER_DIR, min_votes=len(ensemble_members(NER_DIR)))
    nlp = load_nlp()
    text = "We fine-tune BERT and RoBERTa on GLUE and report accuracy for question answering."
    doc = nlp.make_doc(text)
    per_member = []
    for member in ensemble.members:
        mdoc = member(text)
        per_member.append({(e.start, e.end, e.label_) for e in mdoc.ents})
    agreed = set.intersection(*per_member)
    voted = {(e.start, e.end, e.label_) for e in ensemble(doc).ents}
    assert voted == agreed and voted
    assert any(t == "BERT" for t in (doc[s:e].text for s, e, _ in voted))


def test_combined_pipeline_on_real_papers(corpus):
    ps = [corpus["PELA"], corpus["CrisisTransformers"], corpus["Beyond Self-Supervision"]]
    ms = extract(ps)
    found = by_text(ms)
    for expected in [
        ("CrisisTransformers", "model"),
        ("RoBERTa", "model"),
        ("text classification", "task"),
        ("semantic search", "task"),
        ("knowledge distillation", "method"),
    ]:
        assert expected in found
    for m in ms:
        text = next(p for p in ps if p.id == m.paper_id)
        field = text.title if m.field == "title" else text.abstract
        assert field[m.start : m.end] == m.text and m.label in LABELS


def test_tags_to_spans():
    from kg.pipes.ner import predicted_spans, tags_to_spans

    doc = spacy.blank("en")("a b c d e")
    for tok, tag in zip(doc, ["B-model", "I-model", "I-task", "O", "B-method"], strict=True):
        tok.tag_ = tag
    assert [(s.text, s.label_) for s in tags_to_spans(doc)] == [
        ("a b", "model"),
        ("c", "task"),
        ("e", "method"),
    ]
    assert [s.text for s in predicted_spans(doc)] == ["a b", "c", "e"]


def test_resolver_modes_and_label_vote():
    from spacy.tokens import Span

    from kg.pipes.resolver import EntityResolver, fill, vote_labels

    nlp = spacy.blank("en")
    doc = nlp("We use deep model merging here and model merging there.")
    rule = Span(doc, 3, 5, label="method", span_id="gaz")  # "model merging"
    ner = Span(doc, 2, 5, label="method", span_id="ner")  # "deep model merging"
    assert [s.text for s in fill([rule], [ner])] == ["model merging"]
    for mode, expected in (("fill", "model merging"), ("prefer", "deep model merging")):
        doc.spans["kg_candidates"] = [rule, ner]
        EntityResolver(ner_mode=mode)(doc)
        assert doc.ents[0].text == expected
    with pytest.raises(ValueError):
        EntityResolver(ner_mode="bogus")
    spans = [
        Span(doc, 3, 5, label="method", span_id="gaz"),
        Span(doc, 7, 9, label="task", span_id="ner"),
    ]
    assert [s.label_ for s in vote_labels(spans)] == ["method", "method"]


def test_quality_metrics_need_a_cue():
    from kg.pipes.qualities import quality_metrics

    nlp = load_nlp()
    doc = nlp.make_doc("Our method improves generalization. Stability is a concern in general.")
    doc = nlp.get_pipe("kg_sentencizer")(doc)
    assert [(s.text, s.label_) for s in quality_metrics(doc)] == [("generalization", "metric")]
    found = by_text(extract([paper("It reduces inference latency at the cost of robustness.")]))
    assert ("inference latency", "metric") in found or ("latency", "metric") in found
    assert ("robustness", "metric") in found


def test_soft_metrics_need_a_reported_change():
    from spacy.tokens import Span

    from kg.pipes.qualities import unreported_qualities

    nlp = load_nlp()
    text = "We discuss the model quality of agents. Our method cuts the training cost by 40%."
    doc = nlp.get_pipe("kg_sentencizer")(nlp.make_doc(text))
    quality = Span(doc, 3, 5, label="metric")  # "model quality": no change reported
    cost = Span(doc, 12, 14, label="metric")  # "training cost": cut by 40%
    accuracy = Span(doc, 0, 1, label="metric")  # not a soft metric: never dropped
    assert [s.text for s in (quality, cost)] == ["model quality", "training cost"]
    assert unreported_qualities(doc, [accuracy, quality, cost]) == [accuracy, cost]


def test_methods_and_tasks_that_only_qualify_a_noun_are_dropped():
    from spacy.tokens import Span

    from kg.pipes.generic import only_modifiers

    doc = spacy.blank("en")(
        "We curate pretraining data and measure reasoning performance via pretraining."
    )
    data = Span(doc, 2, 3, label="method")  # "pretraining" of "pretraining data"
    reasoning = Span(doc, 6, 7, label="task")  # "reasoning" of "reasoning performance"
    alone = Span(doc, 9, 10, label="method")  # "pretraining" on its own keeps both
    assert only_modifiers(doc, [reasoning]) == []
    assert only_modifiers(doc, [data]) == []
    assert only_modifiers(doc, [data, reasoning, alone]) == [data, alone]


def test_names_separated_by_bars_are_separate_entities():
    found = by_text(extract([paper("Accuracies for MobileNet-V1|ResNet-50|ViT-B/16 models.")]))
    assert {("MobileNet-V1", "model"), ("ResNet-50", "model"), ("ViT-B/16", "model")} <= found


def test_trim_generic_heads():
    text = "We apply the projected gradient descent algorithm to segmentation tasks."
    nlp = load_nlp()
    with nlp.select_pipes(disable="kg_filter"):  # a rule test: before the learned filter
        ms = extract([paper(text)], nlp)
    found = by_text(ms)
    assert ("projected gradient descent", "method") in found
    assert not any(m.text.endswith("algorithm") for m in ms)


def test_undecided_regions_cover_whole_sentences_of_short_spans():
    from collections import Counter

    from kg.pipes.ner import undecided_regions

    nlp = spacy.blank("en")
    doc = nlp("We use BERT here. Nothing else. GPT-4 and LoRA win.")
    for token in doc:
        token.is_sent_start = token.i in (0, 5, 8)
    tally = Counter({(2, 3, "model"): 2, (8, 9, "model"): 1, (10, 11, "method"): 1})
    # BERT has enough votes; GPT-4 and LoRA (one vote each) are in the third sentence.
    assert undecided_regions(doc, tally, 1, 2) == [(8, len(doc))]
    assert undecided_regions(doc, Counter({(2, 3, "model"): 1}), 1, 2) == [(0, 5)]
    assert undecided_regions(doc, Counter({(2, 3, "model"): 2}), 1, 2) == []
    unsplit = nlp("We use BERT here.")
    assert undecided_regions(unsplit, Counter({(2, 3, "model"): 1}), 1, 2) == [(0, 5)]


def test_shipped_lexicon_drops_need_evidence():
    rows = [
        line.rstrip("\n").split("\t")
        for line in (DATA_DIR / "lexicon.tsv").read_text(encoding="utf-8").splitlines()
        if line.startswith("drop\t")
    ]
    assert rows
    for _, _label, text, rate, support in rows:
        correct = round(float(rate) * int(support))
        assert int(support) >= (4 if correct else 3), text
    found = by_text(extract([paper("We apply instruction tuning to the model.")]))
    assert ("instruction tuning", "method") in found
