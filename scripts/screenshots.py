"""Screenshots of every dashboard view for the README: docs/screenshots/<view>.png.

    python scripts/screenshots.py                 # builds the sample store from data/ (real model), gaza-2023
    python scripts/screenshots.py --db my.db --negotiation uaw-2023
    python scripts/screenshots.py --test-store    # the small test store (fake embedder), no model needed

Starts `streamlit run app.py` on a free port, opens each view in headless Chromium (Playwright, system
Chromium), and writes palette PNGs (small enough to commit). Prints how long each view took to render.
"""
from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
os.environ.setdefault("HF_HUB_OFFLINE", "1")  # the model comes from an installed package, never a download
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
sys.path.insert(0, str(ROOT))
READY = "[data-testid='stApp'][data-test-script-state='notRunning']"
WIDTH = 1440


# Example filters per sample negotiation (scripts only: the package itself names no negotiation).
EXAMPLES = {  # topics by name, as the sidebar writes them into the URL
    "gaza-2023": {"topics": ["Hostages", "Palestinian prisoners"],
                  "query": "release of hostages in exchange for Palestinian prisoners"},
    "uaw-2023": {"topics": ["Wage increases"], "query": "the union demanded a 40 percent raise"},
    "us-china-trade-2019": {"topics": ["Tariffs"], "query": "tariffs on Chinese goods"},
}


def views(negotiation: str) -> list[tuple[str, str, str]]:
    """(file name, url path with query, element that must be there) per view."""
    example = EXAMPLES.get(negotiation, {"topics": [], "query": "ceasefire"})

    def q(**extra) -> str:
        return "?" + urllib.parse.urlencode({"neg": negotiation, **extra}, doseq=True)

    return [
        ("overview", q(), ".js-plotly-plot"),
        ("timeline", "timeline" + q(topic=example["topics"]), ".js-plotly-plot"),
        ("compare", "compare" + q(), ".js-plotly-plot"),
        ("search", "search" + q(q=example["query"]), "[data-testid='stDataFrame']"),
        ("statements", "statements" + q(), "[data-testid='stDataFrame']"),
        ("add_articles", "add" + q(), "[data-testid='stForm']"),
    ]


def build_sample(folder: Path) -> Path:
    from positions.config import Settings
    from positions.pipeline import build_sample_store
    from positions.store import Store

    path = folder / "sample.db"
    store = Store(path).init()
    report = build_sample_store(store, ROOT / "data", Settings(), None,
                                progress=lambda done, total: print(f"\rbuilding sample store {done / total:.0%}",
                                                                   end="", flush=True))
    print(f"\nsample store: {report.added} articles, {report.sentences} sentences")
    store.close()
    return path


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def serve(db: Path, fake: bool, log: Path) -> tuple[subprocess.Popen, str]:
    port = free_port()
    env = {**os.environ, "POSITIONS_DB": str(db)}
    if fake:
        env["POSITIONS_FAKE_EMBEDDER"] = "1"
    process = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless", "true", "--server.port", str(port),
         "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none",
         "--client.toolbarMode", "viewer"],  # no "Deploy" button in the pictures
        cwd=ROOT, env=env, stdout=log.open("wb"), stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"streamlit exited:\n{log.read_text(errors='replace')}")
        try:
            with urllib.request.urlopen(f"{base}/_stcore/health", timeout=2):
                return process, base
        except OSError:
            time.sleep(0.25)
    process.terminate()
    raise SystemExit(f"streamlit did not start:\n{log.read_text(errors='replace')}")


def shrink(path: Path) -> None:
    """Quantise to a 256-colour palette: a fraction of the size, no visible loss for charts and tables. The
    k-means pass keeps colours that cover few pixels (a thin line's party colour) from merging into a neighbour."""
    try:
        from PIL import Image
    except ImportError:
        return
    with Image.open(path) as image:
        image.convert("RGB").quantize(colors=256, method=Image.Quantize.MEDIANCUT, kmeans=2).save(path, optimize=True)


def wait_ready(page, selector: str | None = None, timeout: float = 180_000) -> None:
    page.wait_for_selector(READY, timeout=timeout)
    if selector:
        page.wait_for_selector(selector, timeout=timeout)
    page.wait_for_selector(READY, timeout=timeout)


def open_view(page, url: str, selector: str) -> float:
    """Load url and wait until the script run finished and the view's main element is there; seconds taken."""
    started = time.perf_counter()
    page.goto(url)
    wait_ready(page, selector)
    return time.perf_counter() - started


def pick_more_like_this(page) -> None:
    """Search: choose the best hit in "More like this statement" (a rerun right after load can close the
    dropdown again, so open it until its options show)."""
    for _ in range(5):
        wait_ready(page)
        page.get_by_test_id("stSelectbox").filter(has_text="More like this").click()
        try:
            page.locator("[role=option]").first.click(timeout=3_000)
            break
        except Exception:  # noqa: BLE001 - playwright's TimeoutError; try to open it again
            continue
    else:
        raise SystemExit("search: the 'More like this statement' options never opened")
    page.wait_for_timeout(500)
    wait_ready(page, "[data-testid='stHeading']:has-text('More like this')", timeout=60_000)


def problems(page) -> list[str]:
    """Error boxes and exceptions on the page (reported, not fatal: the screenshot shows them)."""
    return page.evaluate("() => [...document.querySelectorAll("
                         "'[data-testid=stException], [data-testid=stAlertContentError]')]"
                         ".map(e => e.innerText.slice(0, 200))")


def capture(base: str, negotiation: str, out: Path, chromium: str) -> dict[str, tuple[float, float]]:
    """One PNG per view; returns (first load, re-render) seconds per view."""
    from playwright.sync_api import sync_playwright

    out.mkdir(parents=True, exist_ok=True)
    timings = {}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=[
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"])
        page = browser.new_page(viewport={"width": WIDTH, "height": 1000})
        for name, path, selector in views(negotiation):
            url = f"{base}/{path}"
            first = open_view(page, url, selector)  # cold: fills the caches (and loads the model on Search)
            again = open_view(page, url, selector)  # the same view reloaded, caches warm
            timings[name] = (first, again)
            if name == "search":
                pick_more_like_this(page)
            page.wait_for_timeout(1200)  # let Plotly finish drawing
            height = page.evaluate("() => Math.max(...[...document.querySelectorAll("
                                   "'[data-testid=stMain], [data-testid=stMainBlockContainer]')]"
                                   ".map(e => e.scrollHeight))")
            page.set_viewport_size({"width": WIDTH, "height": min(int(height) + 40, 3600)})
            page.wait_for_timeout(800)
            target = out / f"{name}.png"
            page.screenshot(path=str(target))
            page.set_viewport_size({"width": WIDTH, "height": 1000})
            shrink(target)
            shown = target.relative_to(ROOT) if target.is_relative_to(ROOT) else target
            print(f"{name}: first load {first:.2f} s, re-render {again:.2f} s -> {shown} "
                  f"({target.stat().st_size // 1024} KB)", flush=True)
            for problem in problems(page):
                print(f"  {name}: error box on the page: {problem!r}", flush=True)
        browser.close()
    print("\n| view | first load (s) | re-render (s) |\n|---|---|---|")
    for name, (first, again) in timings.items():
        print(f"| {name} | {first:.2f} | {again:.2f} |")
    return timings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", type=Path, help="an existing store (default: build the sample store from data/)")
    parser.add_argument("--negotiation", default=None, help="the negotiation to show (default: gaza-2023 if present)")
    parser.add_argument("--test-store", action="store_true", help="use the small test store with the fake embedder")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    parser.add_argument("--chromium", default=os.environ.get("POSITIONS_CHROMIUM", "/usr/bin/chromium"))
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        fake = args.test_store
        if args.test_store:
            sys.path.insert(0, str(ROOT / "tests"))
            from dashboard_fixtures import NEGOTIATION, build_store

            db, negotiation = build_store(Path(tmp) / "test.db"), NEGOTIATION
        else:
            db = args.db or build_sample(Path(tmp))
            present = (ROOT / "data" / "negotiations" / "gaza-2023").is_dir()
            negotiation = args.negotiation or ("gaza-2023" if present else "uaw-2023")
        process, base = serve(db, fake, Path(tmp) / "server.log")
        try:
            capture(base, negotiation, args.out, args.chromium)
        finally:
            process.terminate()
            try:
                process.wait(10)
            except subprocess.TimeoutExpired:
                process.kill()


if __name__ == "__main__":
    main()
