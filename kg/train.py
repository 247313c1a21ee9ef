"""Train the learned parts of the extractor: the lexicon and the NER model in ``kg/data``.

Rebuild both with one command (offline, deterministic, about 15 minutes on 2 CPU cores)::

    .venv/bin/python -m kg.train                 # lexicon + NER ensemble (3 models)
    .venv/bin/python -m kg.train --lexicon-only  # only kg/data/lexicon.tsv

Inputs (read, never copied): ``../shared/annotation/silver`` (train split only, see
:mod:`kg.splits`), the bundled corpus (``corpus/``, held-out titles excluded everywhere),
``data/dev/tune.jsonl`` when it exists (never trained on: it only picks the best NER epoch),
with ``--extra`` only (tried, not adopted) the annotated abstracts of ``data/train`` (texts
rebuilt from ``../shared/corpora``; see ``data/train/README.md``), and the public corpora in
``../shared/corpora`` (GSAP-NER abstract paragraphs, SciREX title+abstract slices, SciERC
train+dev, TDMSci train), mapped to our labels by the converters in :mod:`kg.trainingdata`.
dev-heldout papers and GSAP-NER fold 0 (kept for evaluation) are never read here.

Outputs:

* ``kg/data/lexicon.tsv`` (by :mod:`kg.learn_lexicon`): surface forms annotated in train
  papers, with majority label, annotation rate and support (added to the matcher when the
  rate is high) and low-rate forms that the rules propose but annotators rarely mark (dropped);
* ``kg/data/ner/0``, ``1``, ``2``: an ensemble of three small spaCy NER models (tok2vec +
  transition parser), the same data and settings with seeds 0, 1, 2;
  :class:`kg.pipes.ner.NerEnsemble` keeps the spans at least two of them predict.

The entity filter (``kg/data/filter.tsv``) learns from the errors of models like these on
papers they have not read; after changing the NER settings or data, retrain it with
``python -m kg.learn_filter`` (:mod:`kg.learn_filter`).
"""

from __future__ import annotations

import argparse
import random
import time
from pathlib import Path

from kg.learn_lexicon import build_lexicon
from kg.pipes.lexicon import norm_form as norm  # same rules as the scorer
from kg.pipes.ner import predicted_spans
from kg.records import LABELS, Paper
from kg.trainingdata import (
    DATA,
    PUBLIC,
    Span3,
    doc_text,
    extra_examples,
    labelled_papers,
    record_forms,
    silver_examples,
)

# -- NER model --------------------------------------------------------------------------------
NER_CONFIG = """
[nlp]
lang = "en"
pipeline = ["tok2vec", "ner"]

[components]

[components.tok2vec]
factory = "tok2vec"

[components.tok2vec.model]
@architectures = "spacy.Tok2Vec.v2"

[components.tok2vec.model.embed]
@architectures = "spacy.MultiHashEmbed.v2"
width = ${width}
attrs = ["NORM", "PREFIX", "SUFFIX", "SHAPE"]
rows = [${rows}, 1000, 1500, 500]
include_static_vectors = false

[components.tok2vec.model.encode]
@architectures = "spacy.MaxoutWindowEncoder.v2"
width = ${width}
depth = ${depth}
window_size = 1
maxout_pieces = 3

[components.ner]
factory = "ner"

[components.ner.model]
@architectures = "spacy.TransitionBasedParser.v2"
state_type = "ner"
extra_state_tokens = false
hidden_width = ${hidden}
maxout_pieces = 2
use_upper = ${upper}
nO = null

[components.ner.model.tok2vec]
@architectures = "spacy.Tok2VecListener.v1"
width = ${width}
upstream = "tok2vec"
"""


TAGGER_CONFIG = """
[components.tagger]
factory = "tagger"

[components.tagger.model]
@architectures = "spacy.Tagger.v2"
nO = null
normalize = false

[components.tagger.model.tok2vec]
@architectures = "spacy.Tok2VecListener.v1"
width = ${width}
upstream = "tok2vec"
"""


def make_ner_nlp(  # noqa: ANN201
    width: int = 64,
    depth: int = 2,
    rows: int = 4000,
    hidden: int = 64,
    upper: bool = True,
    arch: str = "ner",
):
    """A blank pipeline (kg tokenizer) with an untrained tok2vec + entity recogniser:
    ``arch="ner"`` (transition-based) or ``"tagger"`` (BIO tags per token, faster)."""
    from spacy.util import load_model_from_config
    from thinc.api import Config

    from kg.extract import adapt_tokenizer

    text = NER_CONFIG.replace("${width}", str(width)).replace("${depth}", str(depth))
    text = text.replace("${rows}", str(rows)).replace("${hidden}", str(hidden))
    text = text.replace("${upper}", "true" if upper else "false")
    if arch == "tagger":
        text = text[: text.index("[components.ner]")] + TAGGER_CONFIG.replace(
            "${width}", str(width)
        )
        text = text.replace('pipeline = ["tok2vec", "ner"]', 'pipeline = ["tok2vec", "tagger"]')
    nlp = load_model_from_config(Config().from_str(text), auto_fill=True, validate=True)
    adapt_tokenizer(nlp)
    return nlp


#: Labels each public corpus does not annotate: tokens the rules tag with one of them are
#: marked unknown (neither entity nor "O") instead of teaching the model they are not entities.
UNANNOTATED = {
    "gsap": ("metric",),
    "tdmsci": ("model", "method"),
    "scierc": ("dataset",),
    "scirex": (),
    "scinlp": ("model",),
    "csner": ("dataset", "metric"),
}


def to_examples(  # noqa: ANN201
    nlp,  # noqa: ANN001
    data: list[tuple[str, list[Span3]]],
    missing: tuple[str, ...] = (),
    tags: bool = False,
):
    """spaCy ``Example`` objects; spans that do not align with tokens are snapped inward.

    With ``missing`` labels, rule candidates of those labels that overlap no annotated span are
    marked as missing annotation. With ``tags``, the reference is BIO tags ("B-method") for a
    tagger (missing tokens become "O").
    """
    from spacy.tokens import Span
    from spacy.training import Example
    from spacy.util import filter_spans

    rules = rules_nlp() if missing else None
    out = []
    for text, spans in data:
        doc = nlp.make_doc(text)
        ents = []
        for start, end, label in spans:
            span = doc.char_span(start, end, label=label, alignment_mode="contract")
            if span is not None and len(span):
                ents.append(span)
        ents = filter_spans(ents)
        ref = nlp.make_doc(text)
        unknown = []
        if rules is not None:
            taken = {i for e in ents for i in range(e.start, e.end)}
            rdoc = rules(text)
            for cand in rdoc.spans.get("kg_candidates", []):
                if cand.label_ in missing and taken.isdisjoint(range(cand.start, cand.end)):
                    unknown.append(ref[cand.start : cand.end])
        gold = [Span(ref, e.start, e.end, label=e.label_) for e in ents]
        ref.set_ents(gold, missing=filter_spans(unknown), default="outside")
        if tags:
            bio = [f"{t.ent_iob_}-{t.ent_type_}" if t.ent_type_ else "O" for t in ref]
            out.append(Example.from_dict(doc, {"tags": bio}))
            continue
        out.append(Example(doc, ref))
    return out


def rules_nlp():  # noqa: ANN201
    """The rule pipeline (no NER) that proposes candidates, for marking missing labels."""
    import spacy

    from kg.extract import PIPES, adapt_tokenizer

    nlp = spacy.blank("en")
    adapt_tokenizer(nlp)
    for name in PIPES:
        if name != "kg_entity_resolver":
            nlp.add_pipe(name)
    return nlp


def ner_f1(nlp, pairs: list[tuple[Paper, dict]]) -> float:  # noqa: ANN001
    """Document-level typed F1 of the NER alone on ``pairs`` (for epoch selection)."""
    tp = fp = fn = 0
    for (_paper, rec), doc in zip(pairs, nlp.pipe(doc_text(p) for p, _ in pairs), strict=True):
        gold = {(lab, norm(t)) for lab, t in record_forms(rec)}
        pred = {(e.label_, norm(e.text)) for e in predicted_spans(doc)}
        tp += len(pred & gold)
        fp += len(pred - gold)
        fn += len({(lab, norm(e["text"])) for lab in LABELS for e in rec.get(lab, [])}) - len(
            pred & gold
        )
    return 2 * tp / (2 * tp + fp + fn) if tp else 0.0


def train_ner(
    out: Path = DATA / "ner",
    corpora: tuple[str, ...] = ("gsap", "scirex", "scierc", "tdmsci"),
    silver_weight: int = 3,
    epochs: int = 14,
    seed: int = 0,
    width: int = 64,
    depth: int = 2,
    rows: int = 4000,
    mark_missing: bool = False,
    hidden: int = 64,
    upper: bool = True,
    arch: str = "ner",
    log=print,  # noqa: ANN001
    silver_data: list[tuple[str, list[Span3]]] | None = None,
    extra: bool = False,
) -> float:
    """Train the NER from silver train (upsampled; with ``extra``, also the annotated
    abstracts of ``data/train``) + public corpora; keep the best epoch on dev-tune (NER-alone
    doc-level F1). Returns that F1. ``silver_data`` replaces the silver train split
    (cross-validation folds); ``extra=True`` adds ``data/train`` (tried, not adopted:
    docs/evaluation.md)."""
    from spacy.util import fix_random_seed, minibatch

    fix_random_seed(seed)
    rng = random.Random(seed)
    nlp = make_ner_nlp(width, depth, rows, hidden, upper, arch)
    tags = arch == "tagger"
    in_domain = list(silver_data or silver_examples("train"))
    if extra:
        in_domain += extra_examples()
    silver = to_examples(nlp, in_domain, tags=tags)
    public = []
    for name in corpora:
        missing = UNANNOTATED[name] if mark_missing else ()
        public += to_examples(nlp, PUBLIC[name](), missing, tags)
    tune = labelled_papers("dev-tune")
    train = silver * silver_weight + public
    log(f"examples: silver and extra {len(silver)} x{silver_weight}, public {len(public)}")
    optimizer = nlp.initialize(lambda: train, sgd=None)
    best, best_bytes = -1.0, None
    for epoch in range(epochs):
        t0 = time.perf_counter()
        rng.shuffle(train)
        losses: dict[str, float] = {}
        for batch in minibatch(train, size=16):
            nlp.update(batch, sgd=optimizer, losses=losses, drop=0.2)
        with nlp.select_pipes(enable=["tok2vec", arch]):
            f1 = ner_f1(nlp, tune)
        log(
            f"epoch {epoch}: loss {losses.get(arch, 0):.0f} tune-F1 {f1:.3f} "
            f"({time.perf_counter() - t0:.0f}s)"
        )
        if f1 > best:
            best, best_bytes = f1, nlp.to_bytes()
    nlp.from_bytes(best_bytes)
    out.mkdir(parents=True, exist_ok=True)
    nlp.to_disk(out)
    return best


def train_members(
    out: Path = DATA / "ner",
    members: int = 3,
    corpora: tuple[str, ...] = ("gsap", "scirex", "scierc", "tdmsci"),
    jobs: int = 1,
    **options,  # noqa: ANN003 - passed on to train_ner
) -> list[float]:
    """Train an ensemble of ``members`` NER models (seed = member number) into ``out/0``,
    ``out/1``, ... (``out`` is replaced). Returns each member's best dev-tune F1."""
    import shutil
    from concurrent.futures import ProcessPoolExecutor

    staging = out.with_name(out.name + ".new")
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    args = [(staging / str(i), corpora, i, options) for i in range(members)]
    if jobs > 1:
        with ProcessPoolExecutor(jobs) as pool:
            scores = list(pool.map(_train_member, args))
    else:
        scores = [_train_member(a) for a in args]
    shutil.rmtree(out, ignore_errors=True)
    staging.rename(out)
    return scores


def _train_member(args: tuple) -> float:
    folder, corpora, seed, options = args
    log = print if seed == 0 else (lambda *a, **k: None)
    return train_ner(folder, corpora, seed=seed, log=log, **options)


def main(argv: list[str] | None = None) -> None:
    """Command line: rebuild ``kg/data/lexicon.tsv`` and ``kg/data/ner``."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--lexicon-only", action="store_true")
    parser.add_argument("--out", type=Path, default=DATA / "ner")
    parser.add_argument("--members", type=int, default=3, help="NER models in the ensemble")
    parser.add_argument("--jobs", type=int, default=2, help="members trained in parallel")
    parser.add_argument(
        "--corpora",
        default="gsap,scirex,scierc,tdmsci",
        help="public corpora to train on (also: scinlp, csner; tried: not better on dev-tune; "
        "csner reads the abstracts data/dev/pwc-dev.jsonl samples)",
    )
    parser.add_argument("--silver-weight", type=int, default=3)
    parser.add_argument(
        "--extra",
        action="store_true",
        help="also train on data/train (tried: better on PwC abstracts, not on the silver papers)",
    )
    parser.add_argument("--epochs", type=int, default=14)
    parser.add_argument("--width", type=int, default=64)
    parser.add_argument("--depth", type=int, default=2)
    parser.add_argument("--rows", type=int, default=4000)
    parser.add_argument("--arch", choices=["ner", "tagger"], default="ner")
    parser.add_argument("--hidden", type=int, default=64, help="NER hidden layer width")
    parser.add_argument("--no-upper", action="store_true", help="NER without hidden layer")
    parser.add_argument(
        "--mark-missing",
        action="store_true",
        help="mark rule candidates of labels a public corpus does not annotate as missing "
        "(tried: not better on dev-tune)",
    )
    args = parser.parse_args(argv)
    t0 = time.perf_counter()
    build_lexicon()
    if not args.lexicon_only:
        corpora = tuple(c for c in args.corpora.split(",") if c)
        scores = train_members(
            args.out,
            args.members,
            corpora,
            args.jobs,
            silver_weight=args.silver_weight,
            epochs=args.epochs,
            width=args.width,
            depth=args.depth,
            rows=args.rows,
            mark_missing=args.mark_missing,
            hidden=args.hidden,
            upper=not args.no_upper,
            arch=args.arch,
            extra=args.extra,
        )
        print("NER members' best tune F1: " + ", ".join(f"{f:.3f}" for f in scores))
    print(f"done in {time.perf_counter() - t0:.0f}s")


if __name__ == "__main__":
    main()
