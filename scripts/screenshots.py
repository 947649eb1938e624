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
sys.path.insert(0, str(ROOT))
READY = "[data-testid='stApp'][data-test-script-state='notRunning']"
WIDTH = 1440


def views(negotiation: str) -> list[tuple[str, str, str]]:
    """(file name, url path with query, element that must be there) per view."""
    neg = {"neg": negotiation}
    topics = {"gaza-2023": ["Hostages", "Palestinian prisoners"], "uaw-2023": ["Wage increases"]}.get(negotiation, [])
    query = {"gaza-2023": "release of hostages in exchange for Palestinian prisoners",
             "uaw-2023": "the union demanded a 40 percent raise"}.get(negotiation, "ceasefire")
    q = lambda **extra: "?" + urllib.parse.urlencode({**neg, **extra}, doseq=True)  # noqa: E731
    return [
        ("overview", q(), ".js-plotly-plot"),
        ("timeline", "timeline" + q(topic=topics), ".js-plotly-plot"),
        ("compare", "compare" + q(), ".js-plotly-plot"),
        ("search", "search" + q(q=query), "[data-testid='stDataFrame']"),
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
         "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none"],
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
    """Quantise to a 256-colour palette: a fraction of the size, no visible loss for charts and tables."""
    try:
        from PIL import Image
    except ImportError:
        return
    with Image.open(path) as image:
        image.convert("RGB").quantize(colors=256, method=Image.Quantize.MEDIANCUT).save(path, optimize=True)


def capture(base: str, negotiation: str, out: Path, chromium: str) -> dict[str, float]:
    from playwright.sync_api import sync_playwright

    out.mkdir(parents=True, exist_ok=True)
    timings = {}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=[
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"])
        page = browser.new_page(viewport={"width": WIDTH, "height": 1000})
        for name, path, selector in views(negotiation):
            for attempt in range(2):  # the first load warms caches (and loads the model on Search)
                started = time.perf_counter()
                page.goto(f"{base}/{path}")
                page.wait_for_selector(READY, timeout=180_000)
                page.wait_for_selector(selector, timeout=180_000)
                page.wait_for_selector(READY, timeout=180_000)
                timings[name] = time.perf_counter() - started
            if name == "search":  # show "more like this" for the best hit
                page.get_by_test_id("stSelectbox").filter(has_text="More like this").click()
                page.get_by_role("option").first.click()
                page.wait_for_timeout(500)
                page.wait_for_selector(READY, timeout=60_000)
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
            print(f"{name}: {timings[name]:.2f} s (warm) -> {target.relative_to(ROOT)} "
                  f"({target.stat().st_size // 1024} KB)")
        browser.close()
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
            capture(base, args.negotiation or negotiation, args.out, args.chromium)
        finally:
            process.terminate()
            process.wait(10)


if __name__ == "__main__":
    main()
