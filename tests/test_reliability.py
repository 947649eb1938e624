"""Bad input through the CLI: a clear one-line error per input, the good inputs of the same run kept, and the store
unchanged for the bad ones. Valid but unusual inputs (UTF-16, cp1252, CRLF, damaged UTF-8) are read, with a warning.

Each bad input runs alone through `positions.cli.main` in-process (fast: no model loads when nothing is read), and
all of them together with good inputs in one `python -m positions ingest` subprocess (the real CLI). The same inputs
go through the dashboard's "Add articles" page (streamlit.testing.v1.AppTest): uploads, URLs and pasted text, each
failure one 'input: reason' row of the result table, the good inputs of the same submission stored, nothing else
written.
"""
from __future__ import annotations

import http.server
import io
import json
import re
import sqlite3
import threading
import time
import zipfile
from pathlib import Path

import pytest

from streamlit.testing.v1 import AppTest

from cli_support import (NEGOTIATION, PARTIES_YAML, TOPICS_YAML, article, connect, count_rows, origins, run_cli,
                         snapshot, write_corpus, write_negotiation)
from dashboard_fixtures import build_store
from positions import cli
from positions.config import ReaderSettings
from positions.errors import InputError
from positions.readers import upload_results

URL_SETTINGS = ("--set", "reader.url_timeout_seconds=0.5", "--set", "reader.max_url_bytes=100000")
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4


def _zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("article.md", "The union demanded a raise.")
    return buffer.getvalue()


NAV_ONLY_HTML = (b"<html><head><title>Harbour News</title></head><body><header>Menu</header>"
                 b"<nav><a href='/'>Home</a> | <a href='/port'>Port</a> | <a href='/jobs'>Jobs</a></nav>"
                 b"<footer>Copyright 2024 Harbour News</footer></body></html>")
SCRIPTS_ONLY_HTML = (b"<html><head><style>body { color: red }</style><script>var talks = 'The union demanded a raise.';"
                     b"</script></head><body><script>document.write(talks)</script><style>p { margin: 0 }</style>"
                     b"</body></html>")
GOOD_HTML = ("<html><head><title>Port offers a deal</title>"
             "<meta property='article:published_time' content='2024-05-02T10:00:00Z'></head><body><article>"
             "<h1>Port offers a deal</h1><p>The Port Authority offered a 6 percent raise on Thursday, Tom Baker said.</p>"
             "<p>Maria Lopez said the union would study the offer.</p></article></body></html>").encode()


def front_matter(meta: str, body: str = "The Dockworkers Union demanded a raise, Lopez said.\n") -> bytes:
    return f"---\n{meta}\n---\n{body}".encode()


# (case id, file name, content, expected reason after "path: ")
FILE_CASES = [
    ("empty file", "empty.md", b"", r"empty"),
    ("whitespace only", "blank.txt", " \n\t \r\n \u00a0\u2003 \n".encode(), r"empty"),
    ("PNG", "photo.png", PNG, r"unsupported file type '\.png'; supported: .*"),
    ("PNG named .md", "photo.md", PNG, r"binary file \(looks like PNG\)"),
    ("zip", "bundle.zip", _zip(), r"unsupported file type '\.zip'; supported: .*"),
    ("zip named .txt", "bundle.txt", _zip(), r"binary file \(looks like ZIP\)"),
    ("UTF-16 without BOM", "wide.txt", "The union demanded a raise.".encode("utf-16-le"),
     r"binary file \(contains NUL bytes\)"),
    ("no extension", "README", b"The union demanded a raise.", r"unsupported file type '\(none\)'; supported: .*"),
    ("too many characters", "endless.txt", b"The union talks. " * 130_000,
     r"text has \d+ characters, more than max_document_chars=2000000"),
    ("HTML without article body", "nav.html", NAV_ONLY_HTML, r"no article text found"),
    ("HTML with scripts and styles only", "scripts.html", SCRIPTS_ONLY_HTML, r"no article text found"),
    ("empty HTML", "void.html", b"<html><body></body></html>", r"no article text found"),
    ("CSV without text column", "notext.csv", b"title,date,source\nTalks,2024-01-02,Wire\n",
     r"no 'text' column; columns found: title, date, source; expected: text, date, title, source"),
    ("CSV header only", "header.csv", b"text,date\n", r"no rows after the header"),
    ("front matter with bad date", "baddate.md", front_matter("title: Talks\ndate: 2024-13-45"),
     r"front matter date '2024-13-45' is not a valid date \(month must be in 1\.\.12\)"),
    ("front matter with impossible day", "feb30.md", front_matter("date: 2024-02-30"),
     r"front matter date '2024-02-30' is not a valid date \(day is out of range for month\)"),
    ("front matter date in words", "words.md", front_matter("date: last Tuesday"),
     r"date 'last Tuesday' is not a valid YYYY-MM-DD date"),
    ("front matter with invalid YAML", "badyaml.md", front_matter("title: [unclosed\ndate: 2024-01-02"),
     r"invalid YAML front matter \(line \d+\): .+"),
    ("front matter not closed", "unclosed.md", b"---\ntitle: Talks\n\nThe union demanded a raise.\n",
     r"front matter starts with '---' but has no closing '---' line"),
    ("front matter not a mapping", "list.md", front_matter("- a\n- b"),
     r"front matter must be a mapping with keys title, date, source"),
    ("date in the future", "future.md", front_matter("date: 2999-01-01"), r"date 2999-01-01 is in the future"),
    ("date before 1900", "ancient.md", front_matter("date: 1850-06-01"),
     r"date 1850-06-01 is before 1900 \(earliest_year\)"),
    ("only boilerplate", "furniture.md", b"Advertisement\n\nBack to top\n\nShare this article\n",
     r"empty \(no article text\)"),
]
# table files: good rows are stored, the bad row fails with 'path:line N: reason'
TABLE_CASES = [
    ("JSONL with one malformed line", "rows.jsonl",
     b'{"text": "The Port Authority offered a 3 percent raise, Baker said.", "date": "2024-02-01"}\n'
     b'{"text": "The union rejected it", "date": \n'
     b'{"text": "Lopez said the union demanded 9 percent.", "date": "2024-02-03"}\n',
     {2: r"invalid JSON \(Expecting value at column \d+\)"}, {1, 3}),
    ("CSV with a broken quote", "broken.csv",
     b'text,date\n"The Port Authority offered a 4 percent raise, Baker said.",2024-02-04\n'
     b'"The union rejected it, Lopez said.,2024-02-05\n',
     {3: r"broken CSV \(.+\); rows from here not read"}, {2}),
    ("JSONL with bad values", "values.jsonl",
     b'{"title": "no text key"}\n["a", "list"]\n{"text": "Talks resumed, Baker said.", "date": "1492-10-12"}\n'
     b'{"text": "   "}\n{"text": "Lopez said the union demanded 8 percent.", "date": "2024-02-06"}\n',
     {1: r"no 'text' key; keys found: title; expected: text, date, title, source",
      2: r"expected a JSON object with keys text, date, title, source",
      3: r"date 1492-10-12 is before 1900 \(earliest_year\)", 4: r"empty text"}, {5}),
]


# ----------------------------------------------------------------------------------------------
# a local web server: good page, 404, non-HTML, slow, dripping, too large, redirect to file://
# ----------------------------------------------------------------------------------------------
class _Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802 (http.server API)
        try:
            if self.path == "/slow":
                time.sleep(2.0)
            if self.path == "/drip":  # headers at once, then one byte every 0.1 s: only the total deadline ends it
                self.send_response(200)
                self.send_header("Content-Type", "text/html")
                self.send_header("Content-Length", "5000")
                self.end_headers()
                for _ in range(100):
                    self.wfile.write(b" ")
                    self.wfile.flush()
                    time.sleep(0.1)
                return
            if self.path == "/drip-headers":  # the status line at once, then a header byte every 0.1 s
                self.wfile.write(b"HTTP/1.1 200 OK\r\nX-Slow: ")
                for _ in range(100):
                    self.wfile.write(b"a")
                    self.wfile.flush()
                    time.sleep(0.1)
                return
            if self.path == "/to-file":
                self.send_response(302)
                self.send_header("Location", "file:///etc/passwd")
                self.end_headers()
                return
            routes = {
                "/article": (200, "text/html; charset=utf-8", GOOD_HTML),
                "/slow": (200, "text/html", GOOD_HTML),
                "/data.json": (200, "application/json", b'{"text": "The union demanded a raise."}'),
                "/photo": (200, "image/png", PNG),
                "/huge": (200, "text/html", b"<html><body><p>" + b"The union demanded a raise. " * 20_000 + b"</p>"),
                "/nav": (200, "text/html", NAV_ONLY_HTML),
            }
            status, ctype, body = routes.get(self.path, (404, "text/html", b"<h1>Not found</h1>"))
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):  # the client gave up (timeout tests)
            pass

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def server():
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)  # port 0: a free port
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def closed_port_url() -> str:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}/article"


# (case id, path on the server or a full URL, expected reason)
URL_CASES = [
    ("404", "/missing", r"HTTP error 404 Not Found"),
    ("JSON", "/data.json", r"not an HTML page \(content type application/json\)"),
    ("image", "/photo", r"not an HTML page \(content type image/png\)"),
    ("timeout", "/slow", r"timed out after 0\.5 s"),
    ("slow drip", "/drip", r"timed out after 0\.5 s"),
    ("slow drip of headers", "/drip-headers", r"timed out after 0\.5 s"),
    ("too large", "/huge", r"page larger than max_url_bytes=100000"),
    ("no article", "/nav", r"no article text found"),
    # urllib refuses file:// itself before our handler (which also refuses ftp://) sees it
    ("redirect to file://", "/to-file", r"HTTP error 302 Found - Redirection to url 'file:///etc/passwd' is not allowed"),
    ("file://", "file:///etc/passwd", r"unsupported URL scheme 'file'; only http and https URLs are read"),
    ("ftp://", "ftp://127.0.0.1/article.html", r"unsupported URL scheme 'ftp'; only http and https URLs are read"),
    ("gopher://", "gopher://127.0.0.1/1", r"unsupported URL scheme 'gopher'; only http and https URLs are read"),
    ("connection refused", "CLOSED", r"cannot fetch: .*[Rr]efused.*"),
]


def url_for(server: str, target: str) -> str:
    if target == "CLOSED":
        return closed_port_url()
    return server + target if target.startswith("/") else target


# ----------------------------------------------------------------------------------------------
# fixtures: a negotiation and a store holding two documents
# ----------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def work(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("reliability")


@pytest.fixture(scope="module")
def negotiation(work) -> Path:
    return write_negotiation(work / NEGOTIATION)


@pytest.fixture(scope="module")
def base_db(work, negotiation) -> Path:
    db = work / "base.db"
    result = run_cli("ingest", *write_corpus(work / "base", 2), "--negotiation", negotiation, "--db", db, tmp=work)
    assert result.returncode == 0, result.stderr
    return db


def state(db: Path) -> tuple:
    """Everything a bad input must not change: documents and their analysis, the config snapshot, the counts."""
    with connect(db) as conn:
        configs = conn.execute("SELECT name, config_json FROM negotiations ORDER BY name").fetchall()
    return snapshot(db), configs, count_rows(db)


@pytest.fixture
def db(base_db, tmp_path) -> Path:
    """A private copy of the base store."""
    target = tmp_path / "store.db"
    with connect(base_db) as source, sqlite3.connect(target) as copy:
        source.backup(copy)
    return target


@pytest.fixture
def main(capsys, monkeypatch):
    """positions.cli.main in-process: (exit code, stderr lines, stdout)."""
    monkeypatch.setenv("POSITIONS_FAKE_EMBEDDER", "1")

    def run(*args) -> tuple[int, list[str], str]:
        code = cli.main([str(a) for a in args])
        out = capsys.readouterr()
        return code, out.err.splitlines(), out.out
    return run


def failure_lines(lines: list[str]) -> list[str]:
    return [line for line in lines if not line.startswith("added ") and ": warning: " not in line]


def assert_one_failure(lines: list[str], label: str, reason: str) -> None:
    failures = failure_lines(lines)
    assert len(failures) == 1, lines
    assert re.fullmatch(re.escape(label) + ": " + reason, failures[0]), (failures[0], reason)


# ----------------------------------------------------------------------------------------------
# each bad input alone: exit 1, one line `path: reason`, store unchanged
# ----------------------------------------------------------------------------------------------
@pytest.mark.parametrize("name, content, reason", [c[1:] for c in FILE_CASES], ids=[c[0] for c in FILE_CASES])
def test_bad_file_fails_alone_and_changes_nothing(name, content, reason, db, negotiation, tmp_path, main):
    path = tmp_path / "in" / name
    path.parent.mkdir()
    path.write_bytes(content)
    before = state(db)
    code, lines, _ = main("ingest", path, "--negotiation", negotiation, "--db", db)
    assert code == 1
    assert_one_failure(lines, str(path), reason)
    assert lines[-1].startswith("added 0 documents") and "1 failed" in lines[-1]
    assert state(db) == before


def test_50_mb_file_fails_fast_by_the_size_limit(db, negotiation, tmp_path, main):
    path = tmp_path / "huge.md"
    with path.open("wb") as handle:  # sparse: created at once, nothing written
        handle.truncate(50 * 1024 * 1024)
    before = state(db)
    started = time.monotonic()
    code, lines, _ = main("ingest", path, "--negotiation", negotiation, "--db", db)
    assert time.monotonic() - started < 5
    assert code == 1
    assert_one_failure(lines, str(path), r"file is 52428800 bytes, more than max_document_bytes=20000000")
    assert state(db) == before


def test_path_that_does_not_exist(db, negotiation, tmp_path, main):
    before = state(db)
    code, lines, _ = main("ingest", tmp_path / "nowhere" / "a.md", "--negotiation", negotiation, "--db", db)
    assert code == 1
    assert_one_failure(lines, str(tmp_path / "nowhere" / "a.md"), "does not exist")
    assert state(db) == before


def test_fifo_is_refused_not_waited_on(db, negotiation, tmp_path, main):
    import os

    fifo = tmp_path / "pipe.md"
    os.mkfifo(fifo)
    code, lines, _ = main("ingest", fifo, "--negotiation", negotiation, "--db", db)
    assert code == 1
    assert_one_failure(lines, str(fifo), "not a regular file")


def test_a_parser_crash_fails_that_input_only(db, negotiation, tmp_path, main, monkeypatch):
    import trafilatura

    def crash(*args, **kwargs):
        raise RecursionError("maximum recursion depth exceeded")

    monkeypatch.setattr(trafilatura, "bare_extraction", crash)
    page, missing = tmp_path / "deep.html", tmp_path / "missing.md"
    page.write_bytes(GOOD_HTML)
    before = state(db)
    code, lines, _ = main("ingest", page, missing, "--negotiation", negotiation, "--db", db)
    assert code == 1
    assert failure_lines(lines) == [
        f"{page}: cannot read (RecursionError: maximum recursion depth exceeded)", f"{missing}: does not exist"]
    assert state(db) == before


@pytest.mark.parametrize("name, content, errors, good_lines", [c[1:] for c in TABLE_CASES],
                         ids=[c[0] for c in TABLE_CASES])
def test_table_with_bad_rows_keeps_the_good_rows(name, content, errors, good_lines, db, negotiation, tmp_path, main):
    path = tmp_path / name
    path.write_bytes(content)
    before = state(db)
    code, lines, _ = main("ingest", path, "--negotiation", negotiation, "--db", db)
    assert code == 1
    failures = failure_lines(lines)
    assert len(failures) == len(errors), lines
    for (line_number, reason), failure in zip(sorted(errors.items()), failures):
        label = f"{path}:line {line_number}"
        assert re.fullmatch(re.escape(label) + ": " + reason, failure), (failure, reason)
    after = state(db)
    assert {k: after[0][k] for k in before[0]} == before[0]  # what was stored is untouched
    assert origins(db) - {o for o in origins(db) if not o.startswith(str(path))} == {
        f"{path}:line {n}" for n in good_lines}


@pytest.mark.parametrize("target, reason", [c[1:] for c in URL_CASES], ids=[c[0] for c in URL_CASES])
def test_bad_url_fails_with_a_reason(target, reason, server, db, negotiation, main):
    url = url_for(server, target)
    before = state(db)
    started = time.monotonic()
    code, lines, _ = main("ingest", url, "--negotiation", negotiation, "--db", db, *URL_SETTINGS)
    assert time.monotonic() - started < 4  # the 0.5 s timeout bounds the whole fetch, even a slow drip
    assert code == 1
    assert_one_failure(lines, url, reason)
    assert state(db) == before


# ----------------------------------------------------------------------------------------------
# negotiation config errors: exit 2, one line naming the file and the problem, store unchanged
# ----------------------------------------------------------------------------------------------
DUPLICATE_PARTY = PARTIES_YAML + "  - id: union\n    name: Union again\n    aliases: [Union]\n"
CONFIG_CASES = [
    ("duplicate party id", {"parties.yaml": DUPLICATE_PARTY}, "parties.yaml", r"duplicate party id 'union'"),
    ("duplicate topic id", {"topics.yaml": TOPICS_YAML + "  - id: wages\n    name: Pay\n    description: Pay.\n"},
     "topics.yaml", r"duplicate topic id 'wages'"),
    ("empty alias list", {"parties.yaml": "parties:\n  - id: union\n    name: Union\n    aliases: []\n"},
     "parties.yaml", r"party #1: missing or empty 'aliases'|party 'union': 'aliases' must list at least one name"),
    ("blank aliases", {"parties.yaml": "parties:\n  - id: union\n    name: Union\n    aliases: ['', ' ']\n"},
     "parties.yaml", r"party 'union': 'aliases' must list at least one name"),
    ("YAML syntax error", {"parties.yaml": "parties:\n  - id: union\n    name: [Union\n"}, "parties.yaml",
     r"YAML error: .+"),
    ("tab-indented YAML", {"topics.yaml": "topics:\n\t- id: wages\n"}, "topics.yaml", r"YAML error: .+"),
    ("unknown key", {"topics.yaml": TOPICS_YAML + "    colour: red\n"}, "topics.yaml",
     r"topic #2: unknown key\(s\) colour; valid keys: id, name, description, keywords, examples"),
    ("bad role", {"parties.yaml": PARTIES_YAML.replace("role: mediator", "role: referee")}, "parties.yaml",
     r"party 'mediator': role 'referee' is not one of principal, mediator, third_party"),
    ("missing file", {"topics.yaml": None}, "topics.yaml", r"file missing .*"),
    ("empty file", {"parties.yaml": ""}, "parties.yaml", r"expected a mapping with the key 'parties'"),
    ("not UTF-8", {"parties.yaml": b"parties:\n  - id: union\n    name: Uni\xf3n\n    aliases: [Uni\xf3n]\n"},
     "parties.yaml", r"not UTF-8 text .*"),
]


@pytest.mark.parametrize("files, culprit, reason", [c[1:] for c in CONFIG_CASES], ids=[c[0] for c in CONFIG_CASES])
@pytest.mark.parametrize("command", ["ingest", "reanalyse"])
def test_config_error_exits_2_and_changes_nothing(command, files, culprit, reason, db, tmp_path, main):
    folder = write_negotiation(tmp_path / NEGOTIATION)  # same name as the stored negotiation
    for name, content in files.items():
        if content is None:
            (folder / name).unlink()
        elif isinstance(content, bytes):
            (folder / name).write_bytes(content)
        else:
            (folder / name).write_text(content, encoding="utf-8")
    good = write_corpus(tmp_path / "corpus", 1, first=50)
    before = state(db)
    args = ["ingest", *good] if command == "ingest" else ["reanalyse"]
    code, lines, out = main(*args, "--negotiation", folder, "--db", db)
    assert code == 2 and out == ""
    assert len(lines) == 1, lines
    assert re.fullmatch(r"config error: " + re.escape(str(folder / culprit)) + ": (?:" + reason + ")", lines[0]), lines
    assert state(db) == before


def test_missing_negotiation_folder_exits_2(db, tmp_path, main):
    code, lines, _ = main("ingest", tmp_path, "--negotiation", tmp_path / "no-such-negotiation", "--db", db)
    assert code == 2 and str(tmp_path / "no-such-negotiation") in lines[0] and "not found" in lines[0]


# ----------------------------------------------------------------------------------------------
# the same bad inputs through the dashboard's "Add articles" page (AppTest)
# ----------------------------------------------------------------------------------------------
APP = str(Path(__file__).resolve().parents[1] / "app.py")
ADD_PAGE = "positions/ui/pages/add_articles.py"


@pytest.fixture(scope="module")
def dashboard_template(work) -> Path:
    return build_store(work / "dashboard-template.db")


def copy_store(source: Path, target: Path) -> Path:
    with connect(source) as conn, sqlite3.connect(target) as copy:
        conn.backup(copy)
    return target


@pytest.fixture
def dash_db(dashboard_template, tmp_path, monkeypatch) -> Path:
    """A private copy of the dashboard test store, opened by the dashboard (fake embedder)."""
    path = copy_store(dashboard_template, tmp_path / "dashboard.db")
    monkeypatch.setenv("POSITIONS_DB", str(path))
    monkeypatch.setenv("POSITIONS_FAKE_EMBEDDER", "1")
    return path


def dashboard_state(db: Path) -> tuple:
    """`state` plus the store revision: a refused input must not write at all (not even the negotiation)."""
    with connect(db) as conn:
        revision = conn.execute("SELECT value FROM meta WHERE key = 'revision'").fetchone()[0]
    return state(db), revision


def add_page() -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    at.run()
    at.switch_page(ADD_PAGE).run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.title[0].value == "Add articles"
    return at


def press(at: AppTest, label: str) -> AppTest:
    next(b for b in at.button if b.label == label).click().run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def upload(at: AppTest, files: list[tuple[str, bytes]]) -> AppTest:
    at.file_uploader(key="upload_files").set_value([(name, content, "application/octet-stream")
                                                    for name, content in files])
    return press(at, "Analyse files")


def fetch(at: AppTest, url: str) -> AppTest:
    at.text_input(key="url").input(url)
    return press(at, "Fetch and analyse")


def outcome(at: AppTest) -> tuple[dict[str, str], list[tuple[str, str]], list[tuple[str, str]]]:
    """(metrics, failed (input, reason) rows, warning (input, warning) rows) of the page's Result section."""
    tables = {tuple(d.value.columns): list(d.value.itertuples(index=False, name=None)) for d in at.dataframe}
    return ({m.label: m.value for m in at.metric}, tables.get(("input", "reason"), []),
            tables.get(("input", "warning"), []))


def assert_failed_rows(failed: list[tuple[str, str]], expected: dict[str, str]) -> None:
    """One row per failed input, its reason `input: reason` on one line."""
    assert sorted(label for label, _ in failed) == sorted(expected), failed
    for label, reason in failed:
        assert "\n" not in reason
        assert re.fullmatch(re.escape(label) + ": " + expected[label], reason), (reason, expected[label])


@pytest.mark.parametrize("name, content, reason", [c[1:] for c in FILE_CASES], ids=[c[0] for c in FILE_CASES])
def test_bad_upload_fails_alone_and_changes_nothing(name, content, reason, dash_db):
    at = add_page()
    before = dashboard_state(dash_db)
    metrics, failed, _ = outcome(upload(at, [(name, content)]))
    assert metrics["Articles added"] == "0" and metrics["Failed"] == "1"
    assert_failed_rows(failed, {name: reason})
    assert not at.error and not at.success
    assert dashboard_state(dash_db) == before


def test_50_mb_upload_fails_by_the_size_limit(dash_db):
    at = add_page()
    before = dashboard_state(dash_db)
    started = time.monotonic()
    metrics, failed, _ = outcome(upload(at, [("huge.md", b"The union talks. " * (50 * 1024 * 1024 // 17))]))
    assert time.monotonic() - started < 20
    assert metrics["Failed"] == "1" and metrics["Articles added"] == "0"
    assert_failed_rows(failed, {"huge.md": r"upload is \d+ bytes, more than max_document_bytes=20000000"})
    assert dashboard_state(dash_db) == before


@pytest.mark.parametrize("name, content, errors, good_lines", [c[1:] for c in TABLE_CASES],
                         ids=[c[0] for c in TABLE_CASES])
def test_uploaded_table_with_bad_rows_keeps_the_good_rows(name, content, errors, good_lines, dash_db):
    at = add_page()
    (before_docs, before_configs, _), _ = dashboard_state(dash_db)
    metrics, failed, _ = outcome(upload(at, [(name, content)]))
    assert_failed_rows(failed, {f"{name}:line {n}": reason for n, reason in errors.items()})
    assert metrics["Articles added"] == str(len(good_lines)) and metrics["Failed"] == str(len(errors))
    (after_docs, after_configs, _), _ = dashboard_state(dash_db)
    assert {k: after_docs[k] for k in before_docs} == before_docs and after_configs == before_configs
    assert origins(dash_db) - {o for o in origins(dash_db) if not o.startswith(name)} == {
        f"{name}:line {n}" for n in good_lines}


@pytest.fixture
def short_fetches(monkeypatch):
    """The dashboard's reader settings with the test URL limits (0.5 s timeout, 100 kB pages)."""
    import functools

    from positions import config

    monkeypatch.setattr(config, "ReaderSettings", functools.partial(
        ReaderSettings, url_timeout_seconds=0.5, max_url_bytes=100_000))


DASHBOARD_URL_CASES = URL_CASES + [
    # the dashboard never reads a path on the server, whatever the address box holds ('=': typed as is)
    ("local path", "=/etc/passwd", r"not a URL; only http and https URLs are read"),
    ("relative path", "=data/negotiations/uaw-2023/parties.yaml", r"not a URL; only http and https URLs are read"),
    ("javascript:", "=javascript:alert(1)", r"not a URL; only http and https URLs are read"),
]


@pytest.mark.parametrize("target, reason", [c[1:] for c in DASHBOARD_URL_CASES],
                         ids=[c[0] for c in DASHBOARD_URL_CASES])
def test_bad_url_in_the_dashboard_fails_with_the_same_reason(target, reason, server, dash_db, short_fetches):
    url = target[1:] if target.startswith("=") else url_for(server, target)
    at = add_page()
    before = dashboard_state(dash_db)
    started = time.monotonic()
    metrics, failed, _ = outcome(fetch(at, url))
    assert time.monotonic() - started < 6
    assert metrics["Failed"] == "1" and metrics["Articles added"] == "0"
    assert_failed_rows(failed, {url: reason})
    assert dashboard_state(dash_db) == before


def test_good_url_in_the_dashboard_is_stored(server, dash_db, short_fetches):
    at = add_page()
    (before_docs, _, _), _ = dashboard_state(dash_db)
    metrics, failed, _ = outcome(fetch(at, f"{server}/article"))
    assert failed == [] and metrics["Articles added"] == "1"
    assert f"{server}/article" in origins(dash_db)
    (after_docs, _, _), _ = dashboard_state(dash_db)
    assert {k: after_docs[k] for k in before_docs} == before_docs and len(after_docs) == len(before_docs) + 1


def test_pasted_text_errors_are_one_line_and_change_nothing(dash_db):
    at = add_page()
    before = dashboard_state(dash_db)
    for text, reason in [("", "empty (no article text)"), (" \n\t\u00a0\n ", "empty (no article text)"),
                         ("Advertisement\n\nShare this article", "empty (no article text)")]:
        at.text_area(key="paste_text").input(text)
        press(at, "Analyse text")
        assert [unescape(e.value) for e in at.error] == [f"pasted text: {reason}"]
        assert not at.metric  # no stale result of an earlier submission
    assert dashboard_state(dash_db) == before


def unescape(markdown: str) -> str:
    """Text of a message escaped for Markdown by positions.ui.text.md."""
    return re.sub(r"\\(.)", r"\1", markdown)


def test_date_pickers_offer_the_dates_the_readers_accept(dash_db):
    """Streamlit's default picker range is ten years either side: an article of 1995 could not be pasted."""
    import datetime as dt

    at = add_page()
    for key in ("upload_date", "paste_date", "url_date"):
        picker = at.date_input(key=key)
        assert picker.min == dt.date(1900, 1, 1) and picker.max == dt.date.today() + dt.timedelta(days=1), key
    at.text_area(key="paste_text").input("The union demanded a 12 percent raise on Monday, Lopez said.")
    at.date_input(key="paste_date").set_value(dt.date(1995, 6, 1))
    metrics, failed, _ = outcome(press(at, "Analyse text"))
    assert failed == [] and metrics["Articles added"] == "1"
    with connect(dash_db) as conn:
        assert conn.execute("SELECT published FROM documents WHERE origin = 'pasted'").fetchall() == [("1995-06-01",)]


def test_table_longer_than_one_document_is_read_row_by_row():
    row = "The Port Authority offered a raise, Baker said. " * 16
    content = "text\n" + "".join(f'"{row} Offer {n}."\n' for n in range(3000))
    assert len(content) > ReaderSettings().max_document_chars
    results = upload_results("wires.csv", content.encode(), ReaderSettings())
    assert len(results) == 3000 and not any(isinstance(r, InputError) for _, r in results)
    too_long = upload_results("long.csv", f'text\n"{row * 3}"\n'.encode(), ReaderSettings(max_document_chars=2000))
    assert str(too_long[0][1]).startswith("long.csv:line 2: text has")


def test_oversized_upload_is_refused():
    message = str(upload_results("big.md", b"a" * 101, ReaderSettings(max_document_bytes=100))[0][1])
    assert message == "big.md: upload is 101 bytes, more than max_document_bytes=100"


# ----------------------------------------------------------------------------------------------
# all of it in one real CLI run, with good and unusual inputs mixed in
# ----------------------------------------------------------------------------------------------
def _damaged_utf8() -> bytes:
    text = article(14).replace("Harbour City", "Harbour City – Café Zone")
    raw = text.encode("utf-8")
    cut = raw.index(b"Port Authority rejected")
    return raw[:cut] + b"\xff\xc3(\x80 " + raw[cut:]


def _cp1252() -> bytes:
    return ("---\ntitle: Caf\u00e9 talks in Harbour City\ndate: 2024-03-05\n---\n"
            "The Dockworkers Union demanded a \u201cfair\u201d 14 percent raise \u2014 Lopez said on Tuesday.\n\n"
            "Tom Baker said the port could pay 5 percent.\n").encode("cp1252")


LONG_WORDS = "lorem ipsum dolor sit amet consectetur adipiscing elit sed eiusmod tempor incididunt labore magna".split()


def good_files() -> dict[str, bytes]:
    """Valid but unusual inputs, read (not refused): UTF-16 with a BOM, Windows-1252, CRLF, damaged UTF-8 and a
    single 1 MB line with no punctuation."""
    import random

    rng = random.Random(6)
    long_line = " ".join(rng.choice(LONG_WORDS) for _ in range(200_000))[:1_000_000]
    return {
        "plain.md": article(10).encode(),
        "utf16-bom.md": article(12).encode("utf-16"),  # with a BOM
        "cp1252.txt": _cp1252(),
        "crlf.md": article(13).replace("\n", "\r\n").encode(),
        "damaged-utf8.md": _damaged_utf8(),
        "long-line.md": long_line.encode(),
    }


@pytest.fixture(scope="module")
def mixed_run(work, negotiation, base_db, server):
    """One `python -m positions ingest` over bad, good and unusual inputs together."""
    db = work / "mixed.db"
    with connect(base_db) as source, sqlite3.connect(db) as copy:
        source.backup(copy)
    before = state(db)
    before_origins = origins(db)
    bad_dir = work / "bad"
    bad_dir.mkdir()
    bad_files = []
    for case_id, name, content, _ in FILE_CASES:
        path = bad_dir / name
        path.write_bytes(content)
        bad_files.append(path)
    good_dir = work / "good"
    good_dir.mkdir()
    for name, content in good_files().items():
        (good_dir / name).write_bytes(content)
    folder = work / "folder"  # good and bad files mixed, nested
    write_corpus(folder, 1, first=20)
    (folder / "sub").mkdir()
    (folder / "sub" / "empty.md").write_bytes(b"")
    (folder / "sub" / "photo.md").write_bytes(PNG)
    (folder / "sub" / "image.png").write_bytes(PNG)  # other extensions in a folder are not read
    with (folder / "sub" / "huge.txt").open("wb") as handle:
        handle.truncate(50 * 1024 * 1024)
    for _, name, content, _, _ in TABLE_CASES:
        (folder / name).write_bytes(content)
    urls = {case_id: url_for(server, target) for case_id, target, _ in URL_CASES if "drip" not in case_id}
    args = ["ingest", *bad_files, *sorted(good_dir.iterdir()), folder, work / "missing.md",
            f"{server}/article", *urls.values(), "--negotiation", negotiation, "--db", db, *URL_SETTINGS]
    started = time.monotonic()
    result = run_cli(*args, tmp=work)
    return dict(db=db, before=before, before_origins=before_origins, result=result, seconds=time.monotonic() - started, bad_files=bad_files,
                good_dir=good_dir, folder=folder, urls=urls, server=server, work=work)


def test_mixed_run_exit_1_one_line_per_failure(mixed_run):
    result = mixed_run["result"]
    assert result.returncode == 1, result.stderr
    lines = result.stderr.splitlines()
    failures = failure_lines(lines)
    folder = mixed_run["folder"]
    expected_labels = (
        [str(p) for p in mixed_run["bad_files"]]
        + [str(folder / "sub" / n) for n in ("empty.md", "photo.md", "huge.txt")]
        + [f"{folder / name}:line {n}" for _, name, _, errors, _ in TABLE_CASES for n in errors]
        + [str(mixed_run["work"] / "missing.md")] + list(mixed_run["urls"].values()))
    assert sorted(line.split(": ")[0] for line in failures) == sorted(expected_labels)
    assert lines[-1].startswith(f"added {len(good_inputs(mixed_run))} documents")
    assert f"{len(expected_labels)} failed" in lines[-1]
    assert "Traceback" not in result.stderr


def test_mixed_run_keeps_every_good_input(mixed_run):
    db, good_dir, folder = mixed_run["db"], mixed_run["good_dir"], mixed_run["folder"]
    added = origins(db) - mixed_run["before_origins"]
    assert added == good_inputs(mixed_run)


def good_inputs(mixed_run) -> set[str]:
    folder = mixed_run["folder"]
    return ({str(p) for p in mixed_run["good_dir"].iterdir()}
            | {str(folder / "round-020.md"), f"{mixed_run['server']}/article"}
            | {f"{folder / name}:line {n}" for _, name, _, _, good_lines in TABLE_CASES for n in good_lines})


def test_mixed_run_leaves_stored_documents_untouched(mixed_run):
    before_docs, before_configs, before_counts = mixed_run["before"]
    after_docs, after_configs, _ = state(mixed_run["db"])
    assert {k: after_docs[k] for k in before_docs} == before_docs
    assert after_configs == before_configs
    assert len(after_docs) == len(before_docs) + len(good_inputs(mixed_run))


def stored(db: Path, origin: str) -> tuple[str, list[str], list[str]]:
    with connect(db) as conn:
        doc_id, text, warnings = conn.execute("SELECT id, text, warnings FROM documents WHERE origin = ?",
                                              (origin,)).fetchone()
        sentences = [r[0] for r in conn.execute("SELECT text FROM sentences WHERE document_id = ?", (doc_id,))]
    return text, sentences, json.loads(warnings)


def assert_unusual_inputs_read(db: Path, origin) -> None:
    """The good_files() documents as stored; origin(name) is the origin the run gave the file."""
    utf16, _, warnings = stored(db, origin("utf16-bom.md"))
    assert "demanded a 22 percent raise" in utf16 and "\ufeff" not in utf16 and warnings == []
    crlf, _, _ = stored(db, origin("crlf.md"))
    assert "\r" not in crlf and "The Port Authority rejected the demand and offered 5 percent" in crlf
    cp1252, _, warnings = stored(db, origin("cp1252.txt"))
    assert "Caf\u00e9 talks" in cp1252 and "\u201cfair\u201d 14 percent raise \u2014 Lopez" in cp1252
    assert warnings == ["decoded as Windows-1252 (not UTF-8)"]
    damaged, _, warnings = stored(db, origin("damaged-utf8.md"))
    assert "Café Zone" in damaged and "\ufffd" in damaged and warnings == ["3 invalid UTF-8 bytes replaced"]
    # the 1 MB line with no punctuation: read whole, cut into bounded sentences at spaces
    text, sentences, _ = stored(db, origin("long-line.md"))
    assert len(text) == 1_000_000
    assert len(sentences) >= 1000 and max(map(len, sentences)) <= 1000
    assert sum(map(len, sentences)) >= 0.99 * len(text)  # cut at spaces: nothing but the spaces lost


def test_unusual_encodings_are_read(mixed_run):
    assert_unusual_inputs_read(mixed_run["db"], lambda name: str(mixed_run["good_dir"] / name))


def test_decoding_fallbacks_are_warned_on_stderr(mixed_run):
    good = mixed_run["good_dir"]
    lines = mixed_run["result"].stderr.splitlines()
    warnings = sorted(line for line in lines if ": warning: " in line)
    assert warnings == [f"{good / 'cp1252.txt'}: warning: decoded as Windows-1252 (not UTF-8)",
                        f"{good / 'damaged-utf8.md'}: warning: 3 invalid UTF-8 bytes replaced"]


def test_mixed_run_is_quick(mixed_run):
    assert mixed_run["seconds"] < 90, mixed_run["seconds"]



# ----------------------------------------------------------------------------------------------
# the same in one dashboard upload: every bad file and table, and the unusual good files, at once
# ----------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def mixed_upload(work, dashboard_template):
    db = copy_store(dashboard_template, work / "dashboard-mixed.db")
    before = dashboard_state(db)
    files = [(name, content) for _, name, content, _ in FILE_CASES]
    files += [(name, content) for _, name, content, _, _ in TABLE_CASES]
    files += list(good_files().items())
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("POSITIONS_DB", str(db))
        patch.setenv("POSITIONS_FAKE_EMBEDDER", "1")
        at = add_page()
        started = time.monotonic()
        upload(at, files)
        seconds = time.monotonic() - started
    return dict(db=db, before=before, at=at, seconds=seconds)


def test_mixed_upload_one_row_per_failure_and_the_good_files_kept(mixed_upload):
    at, db = mixed_upload["at"], mixed_upload["db"]
    metrics, failed, _ = outcome(at)
    expected = {name: reason for _, name, _, reason in FILE_CASES}
    expected |= {f"{name}:line {n}": reason for _, name, _, errors, _ in TABLE_CASES for n, reason in errors.items()}
    assert_failed_rows(failed, expected)
    good = set(good_files()) | {f"{name}:line {n}" for _, name, _, _, lines in TABLE_CASES for n in lines}
    assert metrics["Failed"] == str(len(expected)) and metrics["Articles added"] == str(len(good))
    assert at.success  # "The new positions now appear in the other views."
    (before_docs, before_configs, _), _ = mixed_upload["before"]
    (after_docs, after_configs, _), _ = dashboard_state(db)
    assert {k: after_docs[k] for k in before_docs} == before_docs and after_configs == before_configs
    assert len(after_docs) == len(before_docs) + len(good)
    assert {o for o in origins(db) if not o.startswith("test://")} == good
    assert mixed_upload["seconds"] < 90, mixed_upload["seconds"]


def test_mixed_upload_reads_unusual_encodings_and_shows_the_fallbacks(mixed_upload):
    at = mixed_upload["at"]
    assert_unusual_inputs_read(mixed_upload["db"], lambda name: name)
    _, _, warnings = outcome(at)
    assert sorted(warnings) == [("cp1252.txt", "decoded as Windows-1252 (not UTF-8)"),
                                ("damaged-utf8.md", "3 invalid UTF-8 bytes replaced")]
    assert any("read with a fallback" in w.value for w in at.warning)


# ----------------------------------------------------------------------------------------------
# the CLI's own date option: a date in the future or before 1900 is a usage error
# ----------------------------------------------------------------------------------------------
@pytest.mark.parametrize("value", ["2999-01-01", "1850-06-01"])
def test_default_date_out_of_range_is_a_usage_error(value, db, negotiation, tmp_path, main, capsys):
    good = write_corpus(tmp_path / "corpus", 1, first=60)
    before = state(db)
    with pytest.raises(SystemExit) as caught:
        main("ingest", *good, "--negotiation", negotiation, "--db", db, "--date", value)
    assert caught.value.code == 2
    err = capsys.readouterr().err.splitlines()
    assert err[-1].endswith(f"argument --date: {value} is in the future or before 1900"), err
    assert state(db) == before


# ----------------------------------------------------------------------------------------------
# limits: bounded by settings, defaults stated in the README
# ----------------------------------------------------------------------------------------------
LIMITS = ("reader.max_document_bytes", "reader.max_document_chars", "reader.url_timeout_seconds",
          "reader.max_url_bytes", "reader.earliest_year", "sentences.max_sentence_chars", "embedding.batch_size",
          "pipeline.spacy_batch_size", "pipeline.documents_per_batch")


def test_limit_defaults_are_stated_in_the_readme():
    from positions.config import iter_settings

    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    defaults = {name: value for name, value, _ in iter_settings()}
    for name in LIMITS:
        assert f"| `{name}` | `{defaults[name]}` |" in readme, f"README states no default for {name}"


def test_limits_follow_the_settings(db, negotiation, tmp_path, main, monkeypatch):
    """Document size, sentence length and batch size are what --set makes them, not fixed numbers."""
    from positions.pipeline import Analyser

    batches = []
    analyse = Analyser.analyse

    def recording(self, documents, *args, **kwargs):
        batches.append(len(documents))
        return analyse(self, documents, *args, **kwargs)

    monkeypatch.setattr(Analyser, "analyse", recording)
    corpus = write_corpus(tmp_path / "corpus", 7, first=70)
    long = tmp_path / "long.md"
    long.write_text(article(80) + "More talk. " * 60, encoding="utf-8")
    code, lines, _ = main("ingest", *corpus, long, "--negotiation", negotiation, "--db", db,
                          "--set", "reader.max_document_chars=600", "--set", "sentences.max_sentence_chars=60",
                          "--set", "pipeline.documents_per_batch=3")
    assert code == 1
    assert_one_failure(lines, str(long), r"text has \d+ characters, more than max_document_chars=600")
    assert batches == [3, 3, 1]
    with connect(db) as conn:
        lengths = [r[0] for r in conn.execute(
            "SELECT LENGTH(s.text) FROM sentences s JOIN documents d ON d.id = s.document_id WHERE d.origin LIKE ?",
            (f"{tmp_path / 'corpus'}%",))]
    assert len(lengths) > 7 * 4 and max(lengths) <= 60


# ----------------------------------------------------------------------------------------------
# a broken negotiation config in the dashboard: its first run builds the sample negotiations under data/
# ----------------------------------------------------------------------------------------------
FIRST_RUN_CONFIG_CASES = [c for c in CONFIG_CASES
                          if c[0] in ("duplicate party id", "empty alias list", "YAML syntax error")]


@pytest.mark.parametrize("files, culprit, reason", [c[1:] for c in FIRST_RUN_CONFIG_CASES],
                         ids=[c[0] for c in FIRST_RUN_CONFIG_CASES])
def test_broken_sample_config_is_one_error_and_the_good_samples_are_built(files, culprit, reason, tmp_path,
                                                                          monkeypatch):
    from positions.ui import resources

    data = tmp_path / "data"
    good = write_negotiation(data / "negotiations" / NEGOTIATION)
    write_corpus(good / "corpus", 2)
    bad = write_negotiation(data / "negotiations" / "a-broken")  # sorted first
    write_corpus(bad / "corpus", 2, first=30)
    for name, content in files.items():
        (bad / name).write_text(content, encoding="utf-8")
    monkeypatch.setattr(resources, "DATA_DIR", data)
    monkeypatch.setenv("POSITIONS_DB", str(tmp_path / "fresh.db"))
    monkeypatch.setenv("POSITIONS_FAKE_EMBEDDER", "1")
    at = AppTest.from_file(APP, default_timeout=120)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    messages = [unescape(e.value) for e in at.error]
    assert len(messages) == 1 and re.search(re.escape(str(bad / culprit)) + ": (?:" + reason + ")", messages[0])
    assert count_rows(tmp_path / "fresh.db")["documents"] == 2
    assert {Path(o).name for o in origins(tmp_path / "fresh.db")} == {"round-000.md", "round-001.md"}
