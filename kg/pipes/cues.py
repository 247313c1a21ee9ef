"""Cue nouns: the nouns that say what kind of thing a name is ("a benchmark", "LLMs such as",
"... Detecting System (TDS)"), shared by the description, list and abbreviation rules."""

from __future__ import annotations

from kg.gazetteer import words

#: Cue nouns of a description and the label they give a name; the first cue in the
#: description decides ("a framework to train models": method).
HEAD_LABELS: dict[str, frozenset[str]] = {
    "model": frozenset(
        words(
            """model models llm llms lm lms slm slms vlm vlms mllm mllms lmm lmms
            architecture architectures network networks transformer transformers encoder
            encoders decoder decoders backbone backbones autoencoder detector classifier
            chatbot experts moe gnn gnns cnn cnns rnn rnns lstm lstms gan gans vae vaes vit
            vits mlp mlps"""
        )
    ),
    "dataset": frozenset(
        words(
            """dataset datasets benchmark benchmarks corpus corpora testbed testbeds leaderboard
            collection"""
        )
    ),
    "method": frozenset(
        words(
            """method methods approach approaches framework frameworks algorithm algorithms
            technique techniques strategy strategies pipeline pipelines paradigm scheme
            mechanism module procedure recipe system agent"""
        )
    ),
}

#: Verbs that introduce a new name ("we propose FooNet", "we present the X (Y) method").
PROPOSE_VERBS: frozenset[str] = frozenset(
    words(
        """propose proposes proposed introduce introduces introduced present presents presented
        develop develops developed release releases released design designs designed build
        builds construct constructs create creates curate curates contribute"""
    )
)
