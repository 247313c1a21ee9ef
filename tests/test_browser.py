"""The views in a real browser: Debian's headless Chromium driven by Playwright, network off.

Chromium must be installed at /usr/bin/chromium (``.ci/run`` installs it): without it
these tests fail, they are never skipped.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, sync_playwright
from test_views import small_graph

from kg.views import entity_page_name, find_entity, write_entity_view, write_site

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
PWN = '<script>window.__pwned = 1</script><img src=x onerror="window.__pwned = 2">'
DIM = "rgba(200,200,200,0.35)"  # colour of nodes outside a clicked node's neighbourhood


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """One headless Chromium for the module (fails when /usr/bin/chromium is missing)."""
    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield chromium
        chromium.close()


class Tab:
    """A page of a fresh browser context whose requests may not leave file:// ."""

    def __init__(self, browser: Browser) -> None:
        self.leaks: list[str] = []
        self.errors: list[str] = []
        self.context: BrowserContext = browser.new_context(viewport={"width": 1280, "height": 800})
        self.context.route("**/*", self._route)
        self.page: Page = self.context.new_page()
        self.page.set_default_timeout(10_000)
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else 0)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))

    def _route(self, route: Any) -> None:
        url = route.request.url
        if url.startswith(("file:", "data:")):
            route.continue_()
        else:  # the network is off: record and refuse
            self.leaks.append(url)
            route.abort()

    def open(self, path: Path) -> Page:
        """Open a view and wait until its layout is done and physics stopped."""
        self.page.goto(path.as_uri())
        self.page.wait_for_function("window.kgReady === true", timeout=20_000)
        return self.page

    def js(self, script: str, arg: Any = None) -> Any:
        return self.page.evaluate(script, arg)

    def node_xy(self, node: str) -> tuple[float, float]:
        """Page coordinates of a node's centre."""
        return tuple(
            self.js(
                """id => {
                  const p = network.canvasToDOM(network.getPosition(id));
                  const r = document.querySelector("#mynetwork canvas").getBoundingClientRect();
                  return [r.left + p.x, r.top + p.y];
                }""",
                node,
            )
        )

    def panel_title(self) -> str:
        return self.page.locator("#kg-info h2").inner_text()

    def clean(self) -> None:
        """No console error, no request leaving file://, then close."""
        assert not self.errors, self.errors
        assert not self.leaks, self.leaks
        self.context.close()


@pytest.fixture()
def tab(browser: Browser) -> Iterator[Tab]:
    t = Tab(browser)
    yield t
    t.clean()


@pytest.fixture(scope="module")
def evil_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A site whose paper titles and an entity name carry markup and scripts."""
    g = small_graph()
    for _, d in g.nodes(data=True):
        if d["kind"] == "paper":
            d["title"] = f"{d['title']} {PWN}"
    g.nodes["model/llama-2"]["name"] = f"LLaMA-2 {PWN}"
    out = tmp_path_factory.mktemp("evil") / "site"
    write_site(g, out)
    return out


def test_overview_draws_offline(tab: Tab, bundled_exports: Path) -> None:
    page = tab.open(bundled_exports / "graph.html")
    assert tab.js("network.body.data.nodes.length") == 150
    assert tab.js("network.body.data.edges.length") > 100
    assert page.locator("#mynetwork canvas").count() == 1
    size = tab.js("[document.querySelector('#mynetwork canvas').width, window.innerWidth]")
    assert size[0] > 500
    assert tab.js("network.physics.physicsEnabled") is False  # stabilised, then stopped
    assert page.locator("#kg-legend input[type=checkbox]").count() == 6
    assert tab.js("document.getElementById('kg-names').options.length") >= 150
    # labels do not pile up: small nodes' labels are skipped when zoomed out
    assert tab.js("network.getScale()") < 1


def test_search_finds_entities(tab: Tab, bundled, bundled_exports: Path) -> None:
    page = tab.open(bundled_exports / "graph.html")
    for query, name in (("ImageNet", "ImageNet"), ("LLMs", None)):
        page.fill("#kg-search", query)
        page.press("#kg-search", "Enter")
        node = find_entity(bundled.nx, query)
        assert tab.js("network.getSelectedNodes()") == [node]
        assert tab.panel_title() == (name or bundled.nx.nodes[node]["name"])
        assert page.locator("#kg-info .kg-ev li").count() >= 3  # papers with their sentences
        assert "paper" in page.locator("#kg-info .kg-meta").inner_text()
    page.fill("#kg-search", "no such entity at all")
    page.press("#kg-search", "Enter")
    assert "no node matches" in page.locator("#kg-status").inner_text()


def test_click_shows_panel_and_neighbourhood(tab: Tab, bundled, bundled_exports: Path) -> None:
    g = bundled.nx
    page = tab.open(bundled_exports / "graph.html")
    node = find_entity(g, "large language models")
    page.mouse.click(*tab.node_xy(node))
    assert tab.js("network.getSelectedNodes()") == [node]
    assert tab.panel_title() == g.nodes[node]["name"]
    assert page.locator("#kg-info .kg-aliases").inner_text().startswith("Also: ")
    href = page.locator("#kg-info a").first.get_attribute("href")
    assert href == "entities/" + entity_page_name(node)
    near = set(tab.js("id => network.getConnectedNodes(id)", node)) | {node}
    colours = tab.js(
        "() => network.body.data.nodes.get().map(n => [n.id, n.color && n.color.background])"
    )
    assert all((c == DIM) == (n not in near) for n, c in colours)
    assert len(near) < len(colours)
    # clicking the background clears the highlight
    page.mouse.click(
        *tab.js("[document.querySelector('#mynetwork').getBoundingClientRect().right - 5, 140]")
    )
    assert tab.js("network.body.data.nodes.get().filter(n => n.color).length") == 0
    # double-click opens the node's own page
    page.mouse.dblclick(*tab.node_xy(node))
    page.wait_for_url("**/entities/" + entity_page_name(node))
    page.wait_for_function("window.kgReady === true", timeout=20_000)
    assert tab.js("network.getSelectedNodes()") == [node]
    assert tab.panel_title() == g.nodes[node]["name"]
    assert page.locator("#kg-info .kg-ev li").count() == 13  # 12 papers and "... more"


def test_filters(tab: Tab, bundled_exports: Path) -> None:
    page = tab.open(bundled_exports / "types" / "method.html")
    count = "network.body.data.nodes.get().filter(n => !n.hidden).length"
    total = tab.js(count)
    tasks = tab.js("network.body.data.nodes.get().filter(n => n.group === 'task').length")
    page.locator("#kg-legend input[data-kind=task]").uncheck()
    assert tab.js(count) == total - tasks > 0
    edges = "network.body.data.edges.get().filter(e => !e.hidden).length"
    before = tab.js(edges)
    page.fill("#kg-min", "3")
    assert 0 < tab.js(edges) < before  # links in fewer than 3 papers hidden


def test_every_kind_of_page_opens(tab: Tab, bundled_exports: Path) -> None:
    index = bundled_exports / "index.html"
    page = tab.page
    page.goto(index.as_uri())
    links = page.locator(".kg-list a").count()
    assert links == len(list((bundled_exports / "entities").glob("*.html")))
    page.fill("#kg-filter", "imagenet")
    assert 0 < page.locator(".kg-list li:not([hidden])").count() < links
    entity_pages = sorted(
        (bundled_exports / "entities").glob("*.html"), key=lambda p: p.stat().st_size
    )
    views = [*sorted((bundled_exports / "types").glob("*.html")), entity_pages[0], entity_pages[-1]]
    for view in views:
        tab.open(view)
        assert tab.js("network.body.data.nodes.length") > 1, view
        assert page.locator("nav a").count() == 7


def test_injected_script_does_not_run(tab: Tab, evil_site: Path) -> None:
    page = tab.open(evil_site / "graph.html")
    page.fill("#kg-search", "llama 2")  # an alias of the entity with the hostile name
    page.press("#kg-search", "Enter")
    assert tab.panel_title() == f"LLaMA-2 {PWN}"  # shown as text
    titles = page.locator("#kg-info .kg-title").all_inner_texts()
    assert titles and all(PWN in t for t in titles)
    # tooltip: plain text too
    page.mouse.move(*tab.node_xy("model/llama-2"))
    tip = page.locator("div.vis-tooltip")
    tip.wait_for(state="visible", timeout=5_000)
    assert PWN in tip.inner_text()
    assert tip.locator("script, img").count() == 0
    page.mouse.dblclick(*tab.node_xy("model/llama-2"))
    page.wait_for_url("**/entities/model-llama-2.html")
    page.wait_for_function("window.kgReady === true", timeout=20_000)
    assert f"LLaMA-2 {PWN}" in page.locator("h1").inner_text()
    page.goto((evil_site / "index.html").as_uri())
    assert PWN in page.locator(".kg-page").inner_text()
    assert page.locator("img, .kg-list script").count() == 0
    assert tab.js("window.__pwned") is None


def test_standalone_entity_view(tab: Tab, tmp_path: Path) -> None:
    """A page written alone (``kg view``) carries its own paper table."""
    g = small_graph()
    page = tab.open(write_entity_view(g, "LLaMA-2", tmp_path / "view.html"))
    assert tab.js("network.body.data.nodes.length") == 9
    assert tab.js("network.getSelectedNodes()") == ["model/llama-2"]  # the page's entity
    assert tab.panel_title() == "LLaMA-2"
    page.mouse.click(*tab.node_xy("paper/p3"))
    assert tab.panel_title() == "A third paper"
    assert "LLaMA-2 is used in p3." in page.locator("#kg-info q").inner_text()
