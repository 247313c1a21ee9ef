"""Training data for the extractor: silver papers and public corpora as character spans.

Conversions only (no spaCy training here; that is :mod:`kg.train`). Every reader takes its
input from ``../shared`` (never copied into the repository): the silver annotations (by
split, see :mod:`kg.splits`; the 60 held-out titles are excluded everywhere) and the public
corpora (GSAP-NER abstract paragraphs, SciREX title+abstract slices, SciERC train+dev,
TDMSci train), mapped to our five labels. ``bench/check_training_data.py`` checks them.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from kg.records import LABELS, SEPARATOR, Paper
from kg.splits import split_of

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SILVER = SHARED / "annotation" / "silver" / "silver.jsonl"
HELDOUT = SHARED / "annotation" / "heldout-titles.txt"
CORPORA = SHARED / "corpora"
TUNE = ROOT / "data" / "dev" / "tune.jsonl"
#: Extra in-domain training annotations made for this project (``data/train/*.jsonl``).
EXTRA = ROOT / "data" / "train"
DATA = Path(__file__).parent / "data"

Span3 = tuple[int, int, str]


# -- keys ----------------------------------------------------------------------------------------
def title_key(title: str) -> str:
    """Key used to match silver records to corpus papers."""
    return " ".join(title.lower().split())


# -- silver and corpus ------------------------------------------------------------------------
def heldout_titles() -> set[str]:
    """Normalised titles of the 60 held-out papers (excluded from everything)."""
    return {title_key(t) for t in HELDOUT.read_text(encoding="utf-8").splitlines() if t.strip()}


def read_jsonl(path: Path) -> list[dict]:
    """Read a JSON-lines file."""
    with open(path, encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def corpus_papers() -> dict[str, Paper]:
    """Bundled corpus papers by title key, held-out papers removed."""
    from kg.ingest import bundled_corpus, read_papers

    held = heldout_titles()
    out: dict[str, Paper] = {}
    for paper in read_papers([bundled_corpus()]):
        key = title_key(paper.title)
        if key not in held:
            out.setdefault(key, paper)
    return out


def labelled_papers(split: str) -> list[tuple[Paper, dict]]:
    """``(paper, annotation)`` pairs of a split ("train", "dev-tune"; "dev-heldout" only for
    the final report). dev-tune uses ``data/dev/tune.jsonl`` when it exists."""
    records = read_jsonl(SILVER)
    if split == "dev-tune" and TUNE.exists():
        records = read_jsonl(TUNE)
    papers = corpus_papers()
    held = heldout_titles()
    out = []
    for rec in records:
        key = title_key(rec["title"])
        if split_of(rec["id"]) != split or key in held or key not in papers:
            continue
        out.append((papers[key], rec))
    return out


def doc_text(paper: Paper) -> str:
    """The text the pipeline reads: title, separator, abstract."""
    return paper.title + SEPARATOR + paper.abstract


def record_forms(rec: dict) -> list[tuple[str, str]]:
    """``(label, surface)`` of every entity text and alias of an annotation record."""
    out = []
    for label in LABELS:
        for ent in rec.get(label, []):
            for text in [ent["text"], *ent.get("aliases", [])]:
                if text and text.strip():
                    out.append((label, text.strip()))
    return out


def find_spans(text: str, forms: list[tuple[str, str]]) -> list[Span3]:
    """Every case-insensitive, word-bounded occurrence of each form; longest wins overlaps."""
    low = text.lower()
    found: list[Span3] = []
    for label, form in forms:
        pattern = r"(?<![\w])" + re.escape(form.lower()) + r"(?![\w])"
        found += [(m.start(), m.end(), label) for m in re.finditer(pattern, low)]
    found.sort(key=lambda s: (-(s[1] - s[0]), s[0], LABELS.index(s[2])))
    taken: list[Span3] = []
    for span in found:
        if all(span[1] <= s[0] or span[0] >= s[1] for s in taken):
            taken.append(span)
    return sorted(taken)


def pair_examples(pairs: list[tuple[Paper, dict]]) -> list[tuple[str, list[Span3]]]:
    """``(paper, annotation)`` pairs as ``(text, [(start, end, label)])`` training examples."""
    out = []
    for paper, rec in pairs:
        text = doc_text(paper)
        out.append((text, find_spans(text, record_forms(rec))))
    return out


def extra_examples(folder: Path = EXTRA) -> list[tuple[str, list[Span3]]]:
    """Abstracts annotated for training by our guidelines (``data/train/*.jsonl``; see
    ``data/train/README.md``) as training examples. The records keep only their annotations
    and ``source``; the text is rebuilt from ``../shared/corpora`` (:mod:`kg.pwc`)."""
    from kg.pwc import source_text

    out = []
    for path in sorted(folder.glob("*.jsonl")):
        for rec in read_jsonl(path):
            text = source_text(rec["source"])
            out.append((text, find_spans(text, record_forms(rec))))
    return out


def silver_examples(split: str = "train") -> list[tuple[str, list[Span3]]]:
    """Silver papers of a split as ``(text, [(start, end, label)])`` training examples."""
    return pair_examples(labelled_papers(split))


# -- public corpora ---------------------------------------------------------------------------
MODEL_HEAD = re.compile(
    r"(?:\b(?:model|models|network|networks|net|nets|transformer|transformers|encoder|encoders|"
    r"decoder|autoencoder|lstm|lstms|rnn|rnns|cnn|cnns|llm|llms|gan|gans|bert|perceptron)$)",
    re.I,
)
NAME_TOKEN = re.compile(r"[A-Z].*[A-Z0-9]|.*\d")


def method_or_model(text: str) -> str:
    """Split a merged method/model label (SciERC, SciREX): named or model-headed -> model."""
    if MODEL_HEAD.search(text):
        return "model"
    if len(text.split()) == 1 and NAME_TOKEN.fullmatch(text) and not text.isupper():
        return "model"  # "ResNet50", "GPT-2"; acronyms like "SGD" stay methods
    return "method"


def _tokens_to_text(tokens: list[str]) -> tuple[str, list[int]]:
    starts, pos = [], 0
    for tok in tokens:
        starts.append(pos)
        pos += len(tok) + 1
    return " ".join(tokens), starts


def _token_spans(tokens, ents, inclusive: bool, mapping) -> tuple[str, list[Span3]]:  # noqa: ANN001
    text, starts = _tokens_to_text(tokens)
    spans = []
    for start, end, label in ents:
        end = end if inclusive else end - 1
        surface = " ".join(tokens[start : end + 1])
        ours = mapping(label, surface)
        if ours:
            spans.append((starts[start], starts[end] + len(tokens[end]), ours))
    return text, spans


def scierc_examples() -> list[tuple[str, list[Span3]]]:
    """SciERC abstracts (train+dev): Task, Method(+model), Metric; Material only when it
    looks like a named dataset."""

    def mapping(label: str, surface: str) -> str | None:
        if label == "Task":
            return "task"
        if label == "Metric":
            return "metric"
        if label == "Method":
            return method_or_model(surface)
        if label == "Material" and re.search(r"[A-Z]{2,}|\b(?:corpus|dataset|treebank)\b", surface):
            return "dataset"
        return None

    out = []
    for name in ("train.json", "dev.json"):
        for doc in read_jsonl(CORPORA / "scierc" / name):
            tokens = [t for sent in doc["sentences"] for t in sent]
            ents = [e for sent in doc["ner"] for e in sent]
            out.append(_token_spans(tokens, ents, True, mapping))
    return out


def scirex_examples() -> list[tuple[str, list[Span3]]]:
    """SciREX title+abstract slices: Method(+model), Task, Metric, Material -> dataset."""
    table = {"Task": "task", "Metric": "metric", "Material": "dataset"}

    def mapping(label: str, surface: str) -> str | None:
        return method_or_model(surface) if label == "Method" else table.get(label)

    out = []
    for doc in read_jsonl(CORPORA / "scirex" / "train_abstracts.jsonl"):
        out.append(_token_spans(doc["words"], doc["ner"], False, mapping))
    return out


#: The GSAP-NER fold never trained on: ``bench/eval_public.py`` reports on it.
GSAP_EVAL_FOLD = "fold0_test.jsonl"


def gsap_examples() -> list[tuple[str, list[Span3]]]:
    """GSAP-NER abstract paragraphs (``flat_plus`` layer): model, method, dataset, task.

    Folds 1-9 only: fold 0 (:data:`GSAP_EVAL_FOLD`) is kept for evaluation."""
    table = {
        "MLModel": "model",
        "ModelArchitecture": "model",
        "Method": "method",
        "Dataset": "dataset",
        "Task": "task",
    }
    out = []
    for path in sorted((CORPORA / "gsap-ner").glob("fold*_test.jsonl")):
        if path.name == GSAP_EVAL_FOLD:
            continue
        for para in read_jsonl(path):
            if not para.get("is_abstract"):
                continue
            spans = [(s, e, table[lab]) for s, e, lab, *_ in para["entities"] if lab in table]
            spans.sort(key=lambda s: (-(s[1] - s[0]), s[0]))
            kept: list[Span3] = []
            for span in spans:
                if all(span[1] <= k[0] or span[0] >= k[1] for k in kept):
                    kept.append(span)
            out.append((para["text"], sorted(kept)))
    return out


def tdmsci_examples() -> list[tuple[str, list[Span3]]]:
    """TDMSci sentences (train file): TASK, DATASET, METRIC."""
    table = {"TASK": "task", "DATASET": "dataset", "METRIC": "metric"}
    out = []
    for block in (CORPORA / "tdmsci" / "train_1500_v2.conll").read_text("utf-8").split("\n\n"):
        rows = [line.split("\t") for line in block.splitlines() if line.strip()]
        if not rows:
            continue
        tokens = [r[0] for r in rows]
        tags = [r[-1] for r in rows]
        ents, start = [], None
        for i, tag in enumerate([*tags, "O"]):
            if start is not None and not tag.startswith("I-"):
                ents.append((start, i, tags[start][2:]))
                start = None
            if tag.startswith("B-"):
                start = i
        text, spans = _token_spans(tokens, ents, False, lambda lab, _s: table.get(lab))
        out.append((text, spans))
    return out


def scinlp_examples(max_sentences: int = 40) -> list[tuple[str, list[Span3]]]:
    """SciNLP (ACL full texts, train+dev): the first ``max_sentences`` sentences of each
    paper (title, abstract, introduction), in chunks of 8 sentences; method(+model), task,
    dataset, metric (tool dropped)."""
    table = {"task": "task", "dataset": "dataset", "metric": "metric"}

    def mapping(label: str, surface: str) -> str | None:
        return method_or_model(surface) if label == "method" else table.get(label)

    out = []
    for name in ("train.json", "dev.json"):
        for doc in read_jsonl(CORPORA / "scinlp" / name):
            offset = 0
            sents = []
            for tokens, ents in zip(doc["sentences"], doc["ner"], strict=True):
                local = [(s - offset, e - offset, lab) for s, e, lab in ents]
                sents.append((tokens, local))
                offset += len(tokens)
            sents = sents[:max_sentences]
            for i in range(0, len(sents), 8):
                tokens, ents = [], []
                for toks, local in sents[i : i + 8]:
                    ents += [(s + len(tokens), e + len(tokens), lab) for s, e, lab in local]
                    tokens += toks
                out.append(split_parentheticals(*_token_spans(tokens, ents, True, mapping)))
    return out


def split_parentheticals(text: str, spans: list[Span3]) -> tuple[str, list[Span3]]:
    """Split "Long Form ( LF )" spans into the long form and the acronym (our convention).

    >>> split_parentheticals("a Question Generation ( QG ) b", [(2, 28, "task")])
    ('a Question Generation ( QG ) b', [(2, 21, 'task'), (24, 26, 'task')])
    """
    out: list[Span3] = []
    for start, end, label in spans:
        match = re.fullmatch(r"(.+?) \( (\S+) \)", text[start:end])
        if match:
            out.append((start, start + match.end(1), label))
            out.append((start + match.start(2), start + match.end(2), label))
        else:
            out.append((start, end, label))
    return text, out


def csner_examples() -> list[tuple[str, list[Span3]]]:
    """CS-NER Papers-with-Code abstracts (dev-abs only; test-abs is where
    ``data/dev/external.jsonl`` comes from): RESEARCH_PROBLEM -> task, METHOD -> method/model.
    BIOES tags, cp1252 text."""
    table = {"RESEARCH_PROBLEM": "task"}

    def mapping(label: str, surface: str) -> str | None:
        return method_or_model(surface) if label == "METHOD" else table.get(label)

    out = []
    text = (CORPORA / "cs-ner" / "pwc" / "dev-abs.data").read_text("cp1252", errors="replace")
    for block in text.split("\n\n"):
        rows = [line.split("\t") for line in block.splitlines() if line.strip()]
        if not rows:
            continue
        tokens = [r[0] for r in rows]
        ents, start = [], None
        for i, row in enumerate(rows):
            tag = row[-1].strip()
            if tag.startswith(("B-", "S-")):
                start = i
            if tag.startswith(("E-", "S-")) and start is not None:
                ents.append((start, i, tag[2:]))
                start = None
            if tag == "O":
                start = None
        out.append(_token_spans(tokens, ents, True, mapping))
    return out


PUBLIC = {
    "gsap": gsap_examples,
    "scirex": scirex_examples,
    "scierc": scierc_examples,
    "tdmsci": tdmsci_examples,
    "scinlp": scinlp_examples,
    "csner": csner_examples,
}
