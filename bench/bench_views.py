"""Time the HTML views in headless Chromium: bundled graph and a 20,000-node synthetic one.

For each graph the site is written (index, overview, type views, entity pages), then
the overview is opened in Debian's ``/usr/bin/chromium`` (Playwright, network off) and
timed until its network is stable: ``stabilizationIterationsDone`` fired and physics
stopped (``window.kgReady``). Every other page kind is opened too and must draw nodes.
The bundled overview is saved as ``docs/screenshots/overview.png`` (used by the README).

Usage: ``.venv/bin/python bench/bench_views.py [--nodes 20000] [--no-screenshot]``
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from pathlib import Path

import networkx as nx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kg.records import LABELS  # noqa: E402
from kg.views import write_site  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
RELATIONS = {
    ("model", "dataset"): "evaluated_on",
    ("method", "dataset"): "evaluated_on",
    ("model", "metric"): "measured_by",
    ("method", "metric"): "measured_by",
    ("dataset", "metric"): "measured_by",
    ("model", "task"): "applied_to",
    ("method", "task"): "applied_to",
    ("dataset", "task"): "applied_to",
}


def synthetic_graph(n_nodes: int = 20_000, seed: int = 7) -> nx.MultiDiGraph:
    """A graph following ``docs/graph-schema.md`` with ``n_nodes`` nodes.

    Two fifths are papers, the rest entities whose popularity follows a Zipf law;
    each paper mentions 3-9 entities and relates some pairs of them in a sentence.

    Parameters
    ----------
    n_nodes : int
        Papers plus entities.
    seed : int
        Seed of the random generator.

    Returns
    -------
    networkx.MultiDiGraph
    """
    rng = random.Random(seed)
    g = nx.MultiDiGraph(name=f"Synthetic {n_nodes:,}-node graph", sources=["synthetic.jsonl"])
    n_papers = n_nodes * 2 // 5
    entities = []
    for i in range(n_nodes - n_papers):
        label = LABELS[i % len(LABELS)]
        eid = f"{label}-entity-{i}"
        entities.append(f"{label}/{eid}")
        g.add_node(entities[-1], kind=label, id=eid, name=f"{label.title()} {i}", aliases=[])
    weights = [1 / (rank + 1) ** 0.9 for rank in range(len(entities))]
    mentions: dict[str, list[str]] = {e: [] for e in entities}
    for p in range(n_papers):
        pid = f"paper-{p:05d}"
        node = f"paper/{pid}"
        g.add_node(
            node,
            kind="paper",
            id=pid,
            title=f"Paper {p}: on {rng.choice(['scaling', 'robust', 'efficient'])} learning",
            abstract="A synthetic abstract. It mentions several entities.",
            source="synthetic.jsonl",
            line=p + 1,
            date="",
            url="",
            authors=[],
        )
        ents = sorted(set(rng.choices(entities, weights=weights, k=rng.randint(3, 9))))
        for e in ents:
            sentence = f"We use {g.nodes[e]['name']} in paper {p}."
            ev = [{"paper": pid, "sentence": sentence}]
            g.add_edge(
                node, e, key="mentions", relation="mentions", support=1, evidence=ev, count=1
            )
            mentions[e].append(pid)
        for a in ents:
            for b in ents:
                rel = RELATIONS.get((g.nodes[a]["kind"], g.nodes[b]["kind"]))
                if rel and rng.random() < 0.3:
                    ev = {"paper": pid, "sentence": f"{a} {rel} {b} in paper {p}."}
                    if g.has_edge(a, b, rel):
                        d = g.edges[a, b, rel]
                        d["support"] += 1
                        d["evidence"].append(ev)
                    else:
                        g.add_edge(a, b, key=rel, relation=rel, support=1, evidence=[ev])
    for e, pids in mentions.items():
        g.nodes[e].update(papers=len(pids), paper_ids=sorted(pids))
    g.graph["papers"] = n_papers
    return g


def measure(site: Path, label: str, screenshot: Path | None) -> None:
    """Open the site's pages in headless Chromium and print the timings."""
    from playwright.sync_api import sync_playwright

    pages = [site / "graph.html", site / "index.html", *sorted((site / "types").glob("*.html"))]
    entity_pages = sorted((site / "entities").glob("*.html"), key=lambda p: -p.stat().st_size)
    pages += entity_pages[:3]  # the largest ones
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        context = browser.new_context(viewport={"width": 1400, "height": 900})
        leaks: list[str] = []
        context.route(
            "**/*",
            lambda route: (
                route.continue_()
                if route.request.url.startswith(("file:", "data:"))
                else (leaks.append(route.request.url), route.abort())
            ),
        )
        page = context.new_page()
        errors: list[str] = []
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: errors.append(str(e)))
        for path in pages:
            start = time.perf_counter()
            page.goto(path.as_uri())
            if path.name == "index.html":
                page.wait_for_load_state("load")
                drawn = page.locator(".kg-list li").count()
            else:
                page.wait_for_function("window.kgReady === true", timeout=120_000)
                drawn = page.evaluate("network.body.data.nodes.length")
            seconds = time.perf_counter() - start
            size = path.stat().st_size / 1024
            rel = path.relative_to(site)
            print(f"  {label}: {rel}: {seconds:.2f} s to stable, {drawn} items, {size:.0f} KB")
            if path.name == "graph.html" and screenshot is not None:
                screenshot.parent.mkdir(parents=True, exist_ok=True)
                page.screenshot(path=str(screenshot))
            assert drawn > 0, rel
        browser.close()
    assert not errors, errors
    assert not leaks, leaks


def site_size(site: Path) -> str:
    files = [p for p in site.rglob("*") if p.is_file()]
    total = sum(p.stat().st_size for p in files) / 1e6
    ent = [p.stat().st_size for p in (site / "entities").glob("*.html")]
    mean = sum(ent) / max(len(ent), 1) / 1024
    return f"{len(files)} files, {total:.1f} MB; {len(ent)} entity pages, mean {mean:.1f} KB"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--nodes", type=int, default=20_000)
    parser.add_argument(
        "--pages", type=int, default=0, help="most entity pages of the big graph (0: all)"
    )
    parser.add_argument("--no-screenshot", action="store_true")
    args = parser.parse_args()
    import kg

    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        bundled = kg.build().nx
        print(
            f"bundled graph: {bundled.number_of_nodes():,} nodes (built in "
            f"{time.perf_counter() - start:.1f} s)"
        )
        start = time.perf_counter()
        write_site(bundled, Path(tmp) / "bundled")
        print(
            f"  site written in {time.perf_counter() - start:.1f} s: "
            f"{site_size(Path(tmp) / 'bundled')}"
        )
        shot = None if args.no_screenshot else ROOT / "docs" / "screenshots" / "overview.png"
        measure(Path(tmp) / "bundled", "bundled", shot)

        start = time.perf_counter()
        big = synthetic_graph(args.nodes)
        print(
            f"synthetic graph: {big.number_of_nodes():,} nodes, {big.number_of_edges():,} "
            f"edges (made in {time.perf_counter() - start:.1f} s)"
        )
        start = time.perf_counter()
        write_site(big, Path(tmp) / "big", max_pages=args.pages or None)
        print(
            f"  site written in {time.perf_counter() - start:.1f} s: {site_size(Path(tmp) / 'big')}"
        )
        measure(Path(tmp) / "big", "synthetic", None)


if __name__ == "__main__":
    main()
