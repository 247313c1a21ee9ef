"""Reading corpora: the page format, JSON Lines, CSV, identity and bad input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kg.errors import InputError
from kg.ingest import MAX_RECORD_CHARS, normalise_title, paper_id, read_papers

PAGE = """new

Get trending papers in your email inbox!

Subscribe

byAK and the research community

Apr 2

First Paper: A Title

An abstract about large language models.

Second Paper

Another abstract, about LoRA.
"""


def write(tmp_path: Path, name: str, text: str | bytes) -> Path:
    path = tmp_path / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def test_bundled_corpus_gives_362_papers(corpus_dir: Path) -> None:
    papers = read_papers([corpus_dir])
    assert len(papers) == 362
    assert len({p.id for p in papers}) == 362
    assert {p.date for p in papers} == {"Apr 2", "Mar 11", "Mar 14"}
    first = papers[0]
    assert first.title.startswith("CrisisTransformers: Pre-trained language models")
    assert first.abstract.startswith("Social media platforms play an essential role")
    assert (first.source, first.line, first.date) == ("000_d582033b9cefe020.txt", 11, "Apr 2")


def test_bundled_corpus_has_407_records_with_44_repeats(corpus_dir: Path) -> None:
    per_file = [len(read_papers([f])) for f in sorted(corpus_dir.glob("*.txt"))]
    assert sum(per_file) == 407
    # reading the same files twice changes nothing
    assert len(read_papers([corpus_dir, corpus_dir])) == 362


def test_page_format(tmp_path: Path) -> None:
    papers = read_papers([write(tmp_path, "p.txt", PAGE)])
    assert [p.title for p in papers] == ["First Paper: A Title", "Second Paper"]
    assert papers[1].abstract == "Another abstract, about LoRA."
    assert [p.line for p in papers] == [11, 15]
    assert papers[0].id == paper_id("First Paper: A Title")


def test_jsonl_and_csv_with_optional_fields(tmp_path: Path) -> None:
    rows = [
        {"id": "2401.1", "title": "A", "abstract": "x", "authors": ["Ada", "Bob"], "date": "2024"},
        {"title": "B", "abstract": "y", "url": "https://arxiv.org/abs/1"},
    ]
    jl = write(tmp_path, "a.jsonl", "\n".join(json.dumps(r) for r in rows) + "\n\n")
    papers = read_papers([jl])
    assert papers[0].id == "2401.1"
    assert papers[0].authors == ("Ada", "Bob")
    assert papers[1].url == "https://arxiv.org/abs/1"
    csv_file = write(tmp_path, "b.csv", 'title,abstract,authors\n"C, c",z,Ada; Bob\n')
    (paper,) = read_papers([csv_file])
    assert (paper.title, paper.abstract, paper.authors) == ("C, c", "z", ("Ada", "Bob"))


def test_duplicates_merge_by_title_or_id(tmp_path: Path) -> None:
    a = write(tmp_path, "a.jsonl", json.dumps({"title": "Same  title", "abstract": "x"}) + "\n")
    b = write(tmp_path, "b.csv", "title,abstract\nsame title,x\n")
    (paper,) = read_papers([a, b])
    assert paper.source == "a.jsonl"
    c = write(tmp_path, "c.jsonl", '{"id": "1", "title": "T1", "abstract": "x"}\n' * 2)
    assert len(read_papers([c])) == 1


def test_title_normalisation() -> None:
    assert normalise_title("Déjà  Vu: LLMs!") == normalise_title("déjà vu llms")


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("empty.jsonl", "", "empty.jsonl: empty file"),
        ("blank.txt", "\n\n  \n", "blank.txt: empty file"),
        ("bin.jsonl", b'{"title": "a"}\n\x00\x01', "bin.jsonl:2: binary file"),
        ("latin.csv", "title,abstract\ncaf\xe9,x\n".encode("latin-1"), "latin.csv:2: not UTF-8"),
        (
            "bad.jsonl",
            '{"title": "a", "abstract": "b"}\n{"title": \n',
            "bad.jsonl:2: not valid JSON",
        ),
        ("list.jsonl", "[1, 2]\n", "list.jsonl:1: expected a JSON object"),
        ("notitle.jsonl", '{"abstract": "b"}\n', "notitle.jsonl:1: record has no title"),
        ("noabs.csv", "title,abstract\nT,\n", "noabs.csv:2: record has no abstract"),
        ("nocol.csv", "title,summary\nT,x\n", "nocol.csv:1: CSV header lacks column(s): abstract"),
        ("type.jsonl", '{"title": 3, "abstract": "b"}\n', "type.jsonl:1: field 'title' must be"),
        ("nodate.txt", "Title\n\nAbstract\n", "nodate.txt: not a trending-papers page"),
        ("odd.txt", PAGE + "\nDangling title\n", "odd.txt:19: title without abstract"),
        ("header.txt", "new\n\nSubscribe\n\nApr 2\n", "header.txt: no paper records found"),
        ("doc.pdf", "x", "doc.pdf: unknown format .pdf"),
    ],
)
def test_bad_input_is_one_clear_line(
    tmp_path: Path, name: str, content: str | bytes, expected: str
) -> None:
    path = write(tmp_path, name, content)
    with pytest.raises(InputError) as info:
        read_papers([path])
    message = str(info.value)
    assert message.startswith(str(tmp_path / expected.split(":")[0]))
    assert expected.split(": ", 1)[1] in message
    assert "\n" not in message
    if ":" in expected.split(": ")[0]:
        assert info.value.line == int(expected.split(":")[1])


def test_oversized_record_is_refused(tmp_path: Path) -> None:
    big = {"title": "T", "abstract": "word " * (MAX_RECORD_CHARS // 4)}
    path = write(tmp_path, "big.jsonl", json.dumps(big) + "\n")
    with pytest.raises(InputError, match=r"big.jsonl:1: record too large"):
        read_papers([path])


def test_missing_path_and_empty_folder(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file or folder"):
        read_papers([tmp_path / "nope.txt"])
    with pytest.raises(InputError, match="no .txt, .jsonl, .ndjson, .csv files"):
        read_papers([tmp_path])
