"""The ``kg`` command line: a thin layer over the library, one library call per command."""

from __future__ import annotations

import json
import os
import sys
import time
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Any

import click

from kg.errors import KgError
from kg.records import LABELS
from kg.vocab import DEFAULT_BASE_IRI

INPUTS = click.argument("inputs", nargs=-1, type=click.Path(path_type=Path))


def _graph_option(help: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """The ``--graph PATH`` option (default ``exports/``) that reading commands share."""
    return click.option(
        "--graph",
        "graph_path",
        type=click.Path(path_type=Path),
        default=Path("exports"),
        show_default=True,
        help=help,
    )


def _one_line_errors(func: Callable[..., Any]) -> Callable[..., Any]:
    """Report kg and OS errors as one line on stderr with exit code 1, no traceback."""

    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except KgError as err:
            raise click.ClickException(str(err)) from None
        except BrokenPipeError:  # `kg extract | head`: the reader has all it wants
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            sys.exit(0)
        except OSError as err:
            where = f"{err.filename}: " if err.filename else ""
            raise click.ClickException(f"{where}{err.strerror or err}") from None

    return wrapper


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="kg")
def main() -> None:
    """Build knowledge graphs of ML methods, datasets, models, metrics and tasks."""


@main.command()
@INPUTS
@click.option(
    "-o", "--output", type=click.Path(path_type=Path), default=Path("exports"), show_default=True
)
@click.option("--base-iri", default=DEFAULT_BASE_IRI, show_default=True, help="Prefix of IRIs.")
@click.option("-q", "--quiet", is_flag=True, help="No progress bar or summary.")
@click.option(
    "--store",
    type=click.Path(path_type=Path),
    help="Also load the graph into a persistent Oxigraph store folder (for kg query/serve).",
)
@_one_line_errors
def build(
    inputs: tuple[Path, ...], output: Path, base_iri: str, quiet: bool, store: Path | None
) -> None:
    """Build the graph from INPUTS (default: the bundled corpus) and write exports."""
    from kg.pipeline import build as build_graph
    from kg.pipeline import write_build

    start = time.perf_counter()
    if quiet:
        kg = build_graph(list(inputs), base_iri)
    else:
        from rich.progress import Progress

        with Progress(transient=True, console=_console()) as bar:
            task = bar.add_task("extracting", total=None)
            kg = build_graph(
                list(inputs),
                base_iri,
                lambda done, total: bar.update(task, completed=done, total=total),
            )
    files = write_build(kg, output)
    if store is not None:
        from kg.store import write_store

        write_store(output / "graph.ttl", store)
    if not quiet:
        _summary(kg, output, files, time.perf_counter() - start)


def _n(value: int | str) -> str:
    return f"{value:,}" if isinstance(value, int) else value


def _console() -> Any:
    from rich.console import Console

    return Console(stderr=True)


def _summary(kg: Any, output: Path, files: list[Path], seconds: float) -> None:
    from rich.console import Console
    from rich.table import Table

    counts = kg.counts()
    papers = counts.pop("papers")
    table = Table(box=None, show_header=True, pad_edge=False)
    table.add_column("entities")
    table.add_column("", justify="right")
    table.add_column("edges")
    table.add_column("", justify="right")
    entities = [(k, v) for k, v in counts.items() if k in LABELS]
    edges = [(k, v) for k, v in counts.items() if k not in LABELS]
    for row in range(max(len(entities), len(edges))):
        left = entities[row] if row < len(entities) else ("", "")
        right = edges[row] if row < len(edges) else ("", "")
        table.add_row(left[0], _n(left[1]), right[0], _n(right[1]))
    console = Console()
    console.print(f"kg build: {papers:,} papers -> {output}/")
    console.print(table)
    stages = ", ".join(f"{k} {v:.2f}s" for k, v in kg.timings.items())
    console.print(f"time: {seconds:.1f}s ({stages})")
    top = [str(p) for p in files if len(p.parts) == 1]
    console.print(f"wrote: {', '.join(top)} (+{len(files) - len(top)} support files)")


@main.command()
@INPUTS
@click.option("--format", "fmt", type=click.Choice(["jsonl"]), default="jsonl", show_default=True)
@_one_line_errors
def extract(inputs: tuple[Path, ...], fmt: str) -> None:
    """Print the entities of each paper in INPUTS, one JSON object per line."""
    from kg.pipeline import build as build_graph
    from kg.pipeline import extraction_records

    result = build_graph(list(inputs))
    for record in extraction_records(result.papers, result.mentions, result.resolution):
        sys.stdout.write(json.dumps(record, ensure_ascii=False) + "\n")


@main.command()
@click.argument("query_text", metavar="QUERY_FILE_OR_TEXT")
@_graph_option("A .ttl file or a build folder.")
@click.option(
    "--store",
    type=click.Path(path_type=Path),
    help="Query this Oxigraph store folder (kg build --store) instead of --graph.",
)
@click.option(
    "-p",
    "--param",
    "params",
    multiple=True,
    metavar="NAME=VALUE",
    help="Fill the query's VALUES ?NAME { default } clause (repeat for more values).",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "csv", "json"]),
    default="table",
    show_default=True,
)
@_one_line_errors
def query(
    query_text: str, graph_path: Path, store: Path | None, params: tuple[str, ...], fmt: str
) -> None:
    """Run a SPARQL query (a .rq file or the query text) on a built graph."""
    from kg.params import parse_params
    from kg.query import format_result, run_query

    result = run_query(query_text, graph_path, parse_params(params), store=store)
    click.echo(format_result(result, fmt), nl=False)


@main.command()
@click.option(
    "--graph",
    "graph_path",
    type=click.Path(path_type=Path),
    help="A .ttl file or a build folder (default: exports/), loaded into a temporary store.",
)
@click.option("--store", type=click.Path(path_type=Path), help="An Oxigraph store folder.")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=7878, show_default=True, type=int)
@click.option("--timeout", "timeout_s", type=float, help="Longest query time, in seconds.")
@_one_line_errors
def serve(
    graph_path: Path | None, store: Path | None, host: str, port: int, timeout_s: float | None
) -> None:
    """Serve the graph read-only over the SPARQL 1.1 Protocol (the Oxigraph server)."""
    from kg.serve import Endpoint, serve_forever

    if graph_path is None and store is None:
        graph_path = Path("exports")
    endpoint = Endpoint(graph_path, store, host, port, timeout_s)
    sys.exit(serve_forever(endpoint, lambda line: click.echo(line)))


@main.command()
@click.argument("path", type=click.Path(path_type=Path), default=Path("exports"))
@click.option("--limit", default=50, show_default=True, help="Most violations listed.")
@_one_line_errors
def validate(path: Path, limit: int) -> None:
    """Check a built graph (.ttl file or build folder) against the kg SHACL shapes."""
    from kg.validate import format_report
    from kg.validate import validate as check

    report = check(path)
    click.echo(format_report(report, limit), nl=False)
    if not report.conforms:
        sys.exit(1)


@main.command()
@click.option(
    "--format",
    "fmt",
    required=True,
    type=click.Choice(["nt", "jsonld", "graphml", "gexf", "json", "csv"]),
    help="N-Triples, JSON-LD, GraphML, GEXF (Gephi), node-link JSON or CSV tables.",
)
@_graph_option("A build folder.")
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path),
    help="File to write (csv: a folder); default graph.<ext> in the build folder.",
)
@_one_line_errors
def export(fmt: str, graph_path: Path, output: Path | None) -> None:
    """Write a built graph in another format."""
    from kg.exports import export as write

    for path in write(graph_path, fmt, output):
        click.echo(str(path))


@main.command()
@click.argument("entity")
@_graph_option("A build folder (or its graph.json).")
@click.option("-o", "--output", type=click.Path(path_type=Path), help="HTML file to write.")
@_one_line_errors
def view(entity: str, graph_path: Path, output: Path | None) -> None:
    """Write an HTML view of one ENTITY's neighbourhood (name, alias or id)."""
    from kg.exports import load_graph
    from kg.views import entity_page_name, find_entity, write_entity_view

    graph = load_graph(graph_path)
    try:
        node = find_entity(graph, entity)
    except KeyError as err:
        raise click.ClickException(str(err.args[0]) if err.args else str(err)) from None
    folder = graph_path if graph_path.is_dir() else graph_path.parent
    path = output or folder / "entities" / entity_page_name(node)
    click.echo(str(write_entity_view(graph, node, path)))


@main.command()
@click.argument("path", type=click.Path(path_type=Path), default=Path("exports"))
@click.option(
    "-o", "--output", type=click.Path(path_type=Path), help="Report folder [default: PATH/report]."
)
@click.option("-n", "--top", default=10, show_default=True, help="Rows per table and chart.")
@_one_line_errors
def analyze(path: Path, output: Path | None, top: int) -> None:
    """Write a Markdown report with charts on the graph built in PATH (default: exports/)."""
    from rich.console import Console
    from rich.table import Table

    from kg.exports import load_graph
    from kg.report import analyse, summary_rows, write_report

    graph = load_graph(path)
    folder = output or (path if path.is_dir() else path.parent) / "report"
    data = analyse(graph, top)
    files = write_report(graph, folder, top, data)
    table = Table(box=None, pad_edge=False)
    table.add_column("kind")
    table.add_column("entities", justify="right")
    table.add_column("most central (papers)")
    for row in summary_rows(data):
        table.add_row(row["kind"], _n(row["entities"]), row["top"])
    console = Console()
    console.print(f"kg analyze: {data['papers']:,} papers")
    console.print(table)
    communities = data["communities"]
    if communities:
        console.print(f"communities: {len(communities)}, largest: {communities[0]['name']}")
    console.print(f"wrote: {files[0]} (+{len(files) - 1} charts)")


@main.command()
@click.argument("gold", type=click.Path(path_type=Path))
@INPUTS
@click.option(
    "--corpus-format",
    type=click.Choice(["ours", "gsap", "scierc", "tdmsci"]),
    default="ours",
    show_default=True,
    help="Format of GOLD (gsap: a folder of fold*_test.jsonl).",
)
@click.option(
    "--predictions",
    type=click.Path(path_type=Path),
    help="A `kg extract` JSONL file to score instead of running the extractor.",
)
@click.option("--errors", "top_errors", default=10, show_default=True, help="Errors listed.")
@click.option(
    "--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True
)
@_one_line_errors
def evaluate(
    gold: Path,
    inputs: tuple[Path, ...],
    corpus_format: str,
    predictions: Path | None,
    top_errors: int,
    fmt: str,
) -> None:
    """Score extraction against GOLD annotations; INPUTS hold the papers (default: bundled)."""
    from kg.evaluate import evaluate_files, format_report, report_json

    report = evaluate_files(gold, list(inputs), corpus_format, predictions)
    text = format_report(report, top_errors) if fmt == "table" else report_json(report, top_errors)
    click.echo(text, nl=False)


if __name__ == "__main__":  # pragma: no cover
    main()
