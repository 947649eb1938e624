"""The dashboard in a real browser: `streamlit run app.py` on a free port, headless Chromium via Playwright.

Every page renders its main chart or table with no error box, and an article whose text, title and source
(and a party name in the config) carry `<img src=x onerror=alert(1)>` and `<script>alert(2)</script>` (the
article also `[terms](javascript:alert(3))` and `<a href="javascript:alert(4)">`) shows them as text, makes no
javascript: link and fires no dialog. Under CI=true this test must run: a missing browser is a failure.
"""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from dashboard_fixtures import ANCHOR, HOSTILE_PARTY_NAME, IMG, LINK, SCRIPT, build_store

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = os.environ.get("POSITIONS_CHROMIUM", "/usr/bin/chromium")
READY = "[data-testid='stApp'][data-test-script-state='notRunning']"
PAGES = {  # url path -> what must be there
    "": ".js-plotly-plot",
    "timeline": ".js-plotly-plot",
    "compare": ".js-plotly-plot",
    "search?q=percent+raise": "[data-testid='stDataFrame']",
    "statements": "[data-testid='stDataFrame']",
    "add": "[data-testid='stForm']",
}
TIMINGS: dict[str, float] = {}


def _require(condition: bool, reason: str) -> None:
    if condition:
        return
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason} (CI=true: the browser test must run)")
    pytest.skip(reason)


@pytest.fixture(scope="module")
def browser():
    _require(Path(CHROMIUM).exists(), f"no Chromium at {CHROMIUM}")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _require(False, "playwright is not installed")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=[
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"])
        yield chromium
        chromium.close()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """streamlit run app.py against the small hostile store; fails fast with the server's output."""
    db = build_store(tmp_path_factory.mktemp("browser") / "store.db")
    port = _free_port()
    log = tmp_path_factory.mktemp("browser-log") / "server.log"
    env = {**os.environ, "POSITIONS_DB": str(db), "POSITIONS_FAKE_EMBEDDER": "1", "PYTHONUNBUFFERED": "1"}
    with open(log, "wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless", "true", "--server.port",
             str(port), "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false",
             "--server.fileWatcherType", "none"], cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            if process.poll() is not None:
                pytest.fail(f"streamlit exited with {process.returncode}:\n{log.read_text(errors='replace')}")
            try:
                with urllib.request.urlopen(f"{base}/_stcore/health", timeout=2) as response:
                    if response.status == 200:
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"streamlit did not become healthy in 60 s:\n{log.read_text(errors='replace')}")
            time.sleep(0.25)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.dialogs = []
    page.on("dialog", lambda dialog: (page.dialogs.append(dialog.message), dialog.dismiss()))
    yield page
    context.close()


def open_page(page, url: str, selector: str | None = None, timeout: float = 60_000) -> float:
    """Go to url, wait for the script run to finish and the main element; returns seconds taken."""
    started = time.perf_counter()
    page.goto(url)
    page.wait_for_selector(READY, timeout=timeout)
    if selector:
        page.wait_for_selector(selector, timeout=timeout)
    page.wait_for_selector(READY, timeout=timeout)
    return time.perf_counter() - started


def assert_clean(page) -> None:
    assert page.get_by_test_id("stException").count() == 0, page.get_by_test_id("stException").first.inner_text()
    assert page.locator("img[src='x']").count() == 0, "an <img> from article text reached the DOM"
    assert page.locator("script", has_text="alert(").count() == 0, "a <script> from article text reached the DOM"
    links = page.locator("a[href^='javascript' i], [href*='alert(']")
    assert links.count() == 0, f"a javascript: link reached the DOM: {links.first.evaluate('e => e.outerHTML')}"
    assert page.dialogs == [], f"a dialog fired: {page.dialogs}"


@pytest.mark.parametrize("path", list(PAGES))
def test_every_page_renders_its_main_element(server, page, path):
    open_page(page, f"{server}/{path}", PAGES[path])  # the first load pays for caches
    seconds = open_page(page, f"{server}/{path}", PAGES[path])
    TIMINGS[path or "overview"] = seconds
    assert page.locator(PAGES[path]).count() >= 1
    assert_clean(page)
    print(f"\n{path or 'overview'}: rendered in {seconds:.2f} s (warm)")


def test_hostile_text_shows_literally_and_runs_nothing(server, page):
    # Statements: the newest row is the hostile article; its evidence card and the table show the payload
    open_page(page, f"{server}/statements", "[data-testid='stDataFrame']")
    evidence = page.get_by_test_id("stMarkdownContainer").filter(has_text="The mediator said")
    assert evidence.count() >= 1
    assert f"The mediator said {IMG} and {SCRIPT} were proposed" in evidence.first.inner_text()
    assert f"{LINK} {ANCHOR}" in evidence.first.inner_text()  # the link payloads as text, not links
    cells = page.locator("[data-testid='stDataFrame'] td").filter(has_text="alert(2)")
    cells.first.wait_for(state="attached", timeout=20_000)  # the grid's accessible cells fill in after paint
    assert SCRIPT in cells.first.text_content()
    captions = " ".join(page.get_by_test_id("stCaptionContainer").all_inner_texts())
    assert f"Source {IMG} {ANCHOR}" in captions and f"Hostile title {IMG} {SCRIPT} {LINK}" in captions
    assert_clean(page)

    # a party name with the payload: chosen through the URL, shown in the sidebar chip and page caption
    query = urllib.parse.urlencode({"party": HOSTILE_PARTY_NAME})
    open_page(page, f"{server}/timeline?{query}", ".js-plotly-plot")
    sidebar = page.get_by_test_id("stSidebar").inner_text()
    assert HOSTILE_PARTY_NAME in sidebar
    plot = page.locator(".js-plotly-plot").first
    assert HOSTILE_PARTY_NAME in plot.locator(".yaxislayer-above").text_content()  # the lane label, as text
    squeeze = lambda text: "".join(text.split())  # noqa: E731 (hover lines are wrapped)
    for point in page.locator(".js-plotly-plot .scatterlayer .point").all() * 2:
        box = point.bounding_box()
        if not box:
            continue
        page.mouse.move(0, 0)
        page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
        page.wait_for_timeout(300)
        hover = page.locator(".hoverlayer").first.text_content() or ""
        if "The mediator said" in hover:
            assert squeeze(IMG) in squeeze(hover) and squeeze(SCRIPT) in squeeze(hover)
            assert squeeze(f"Source {IMG}") in squeeze(hover)
            assert "javascript:alert(4)" in hover and "details</a>" in hover  # Plotly makes <a href> links: text here
            break
    else:
        pytest.fail("no hover label showed the hostile sentence")
    assert_clean(page)

    # compare with the hostile party: table headers and the similarity legend
    query = urllib.parse.urlencode([("cmp", "Auto Union"), ("cmp", HOSTILE_PARTY_NAME)])
    open_page(page, f"{server}/compare?{query}", ".js-plotly-plot")
    # the page may have two tables naming the party ('X: position' and, for similar statements, 'X: stance') that
    # render in either order: wait for the positions table's header itself
    header = page.locator("[data-testid='stDataFrame'] th").filter(has_text="alert(2)").filter(has_text=": position")
    header.first.wait_for(state="attached", timeout=20_000)
    assert f"{HOSTILE_PARTY_NAME}: position" in header.first.text_content()
    legend = page.locator(".js-plotly-plot .legend").first.text_content()
    assert f"Auto Union – {HOSTILE_PARTY_NAME}" in legend
    assert_clean(page)
    # every page once more, after all that: still no dialog
    for path in PAGES:
        open_page(page, f"{server}/{path}", PAGES[path])
        assert_clean(page)


def test_filters_live_in_the_url_and_follow_navigation(server, page):
    open_page(page, f"{server}/?party=Auto+Union&topic=Pensions", ".js-plotly-plot")
    page.get_by_test_id("stSidebarNav").get_by_role("link", name="Statements").click()
    page.wait_for_url("**/statements?*")
    page.wait_for_selector(READY)
    page.wait_for_selector("[data-testid='stDataFrame']")
    assert "party=Auto+Union" in page.url and "topic=Pensions" in page.url
    assert "2 rows match" in " ".join(page.get_by_test_id("stCaptionContainer").all_inner_texts())
    assert_clean(page)


def test_render_times(server):
    """Not an assertion of speed (that is the benchmark's job): the timings of the warm loads above."""
    if TIMINGS:
        print("\nwarm render times: " + ", ".join(f"{k} {v:.2f} s" for k, v in TIMINGS.items()))
