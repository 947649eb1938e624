"""Readers: every format, decoding, dates, errors per input, and URLs against a local http.server."""
from __future__ import annotations

import datetime as dt
import http.server
import threading
import time
from pathlib import Path

import pytest

from positions.config import ReaderSettings
from positions.errors import InputError
from positions.models import Document
from positions.readers import (
    decode_bytes,
    document_from_text,
    document_from_upload,
    iter_documents,
    parse_date,
)

SETTINGS = ReaderSettings()
TODAY = dt.date(2024, 6, 1)
ARTICLE_HTML = """<!doctype html>
<html><head><title>Truce talks resume in Cairo</title>
<meta property="article:published_time" content="2024-05-01T09:00:00Z">
<meta property="og:site_name" content="Example News">
<script>var tracking = 1;</script></head>
<body><nav>Home | World | Skip to content</nav>
<article><h1>Truce talks resume in Cairo</h1>
<p>Negotiators from both sides arrived in Cairo on Wednesday to resume talks on a ceasefire and the release of hostages.</p>
<p>Mr. Burns said the United States would keep pressing for a deal that ends the fighting and returns the captives.</p>
<p>The mediators proposed a six-week pause in fighting, according to officials familiar with the talks.</p>
</article><footer>Copyright 2024</footer></body></html>"""


def read(paths, settings=SETTINGS, default_date=None):
    return list(iter_documents([str(p) for p in paths], settings, default_date, today=TODAY))


def read_one(path, settings=SETTINGS, default_date=None) -> Document:
    [(label, result)] = read([path], settings, default_date)
    assert label == str(path)
    if isinstance(result, InputError):
        raise result
    return result


def read_error(path, settings=SETTINGS) -> str:
    [(_, result)] = read([path], settings)
    assert isinstance(result, InputError), result
    return str(result)


def write(tmp_path: Path, name: str, content: str | bytes) -> Path:
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
    return path


# ----------------------------------------------------------------------------------------------
# Markdown / text
# ----------------------------------------------------------------------------------------------
def test_markdown_with_front_matter(tmp_path):
    path = write(tmp_path, "a.md", "---\ntitle: Hamas accepts truce\ndate: 2024-05-06\nsource: Reuters\n"
                                   "author: ignored\n---\n\nHamas said it accepted the proposal.\n\n\n\n"
                                   "Israel said it would study it.  \n")
    doc = read_one(path)
    assert doc.title == "Hamas accepts truce"
    assert doc.published == dt.date(2024, 5, 6)
    assert doc.source == "Reuters"
    assert doc.origin == str(path)
    assert doc.text == "Hamas accepts truce\n\nHamas said it accepted the proposal.\n\nIsrael said it would study it."
    assert doc.warnings == ()


def test_heading_equal_to_title_kept_once(tmp_path):
    path = write(tmp_path, "a.md", "---\ntitle: Talks stall\n---\n# Talks stall\n\nThe talks stalled on Monday.\n")
    assert read_one(path).text == "Talks stall\n\nThe talks stalled on Monday."


def test_markdown_heading_becomes_title_and_markup_removed(tmp_path):
    path = write(tmp_path, "a.markdown", "# Talks stall\n## The second day\nSee [the text](http://x.org) of "
                                         "**the deal**.\n- A bullet point here.\n\n---\n\nAdvertisement\nLast one.\n")
    doc = read_one(path)
    assert doc.title == "Talks stall"
    assert doc.text == ("Talks stall\n\nThe second day\n\nSee the text of the deal.\nA bullet point here."
                        "\n\nLast one.")


def test_plain_text_lines_nbsp_and_boilerplate(tmp_path):
    path = write(tmp_path, "a.txt", "By Jane Doe and John Roe\nUpdated 5:04 p.m. ET\n\nFirst\u00a0line of a paragraph\n"
                                    "second line.   \nBack to top\nShare this article\n\n\nCredit…Angela Weiss\n")
    doc = read_one(path)
    assert doc.title is None
    assert doc.text == "First line of a paragraph\nsecond line."


def test_default_date_used_when_none_given(tmp_path):
    path = write(tmp_path, "a.txt", "Some article text here.")
    assert read_one(path, default_date=dt.date(2024, 1, 2)).published == dt.date(2024, 1, 2)
    assert read_one(path).published is None


def test_front_matter_date_wins_over_default(tmp_path):
    path = write(tmp_path, "a.md", "---\ndate: 2024-03-04T10:00:00Z\n---\nText of it.")
    assert read_one(path, default_date=dt.date(2024, 1, 2)).published == dt.date(2024, 3, 4)


def test_bad_yaml_front_matter(tmp_path):
    message = read_error(write(tmp_path, "a.md", "---\ntitle: [unclosed\ndate: 2024-01-01\n---\nBody text."))
    assert message.startswith(str(tmp_path / "a.md") + ": invalid YAML front matter")


def test_unclosed_front_matter(tmp_path):
    assert "no closing '---'" in read_error(write(tmp_path, "a.md", "---\ntitle: x\nBody text."))


def test_front_matter_not_a_mapping(tmp_path):
    assert "must be a mapping" in read_error(write(tmp_path, "a.md", "---\n- a\n- b\n---\nBody text."))


@pytest.mark.parametrize(
    "value, expected",
    [
        ("2024-02-30", "date '2024-02-30' is not a valid YYYY-MM-DD date"),
        ("May 5, 2024", "date 'May 5, 2024' is not a valid YYYY-MM-DD date"),
        ("2999-01-01", "date 2999-01-01 is in the future"),
        ("1850-01-01", "date 1850-01-01 is before 1900"),
    ],
)
def test_bad_dates_in_front_matter(tmp_path, value, expected):
    assert expected in read_error(write(tmp_path, "a.md", f"---\ndate: '{value}'\n---\nBody text."))


def test_parse_date_accepts_yaml_dates_and_tolerates_one_day():
    assert parse_date(dt.date(2024, 6, 2), SETTINGS, TODAY) == dt.date(2024, 6, 2)
    assert parse_date(dt.datetime(2024, 5, 1, 12), SETTINGS, TODAY) == dt.date(2024, 5, 1)
    assert parse_date("2024-05-01 12:00", SETTINGS, TODAY) == dt.date(2024, 5, 1)
    assert parse_date("", SETTINGS, TODAY) is None
    with pytest.raises(InputError, match="in the future"):
        parse_date(dt.date(2024, 6, 3), SETTINGS, TODAY)
    with pytest.raises(InputError, match="before 2000"):
        parse_date("1999-12-31", ReaderSettings(earliest_year=2000), TODAY)


# ----------------------------------------------------------------------------------------------
# Decoding
# ----------------------------------------------------------------------------------------------
def test_utf8_bom_and_crlf(tmp_path):
    path = write(tmp_path, "a.txt", b"\xef\xbb\xbfTitle line\r\n\r\nFirst sentence.\r\nSecond line.\r\n")
    doc = read_one(path)
    assert doc.text == "Title line\n\nFirst sentence.\nSecond line."
    assert "\r" not in doc.text and "\ufeff" not in doc.text


def test_utf16_with_bom(tmp_path):
    path = write(tmp_path, "a.txt", "Caf\u00e9 talks resumed.\r\n".encode("utf-16"))
    assert read_one(path).text == "Caf\u00e9 talks resumed."


def test_short_utf8_with_one_bad_byte_stays_utf8(tmp_path):
    doc = read_one(write(tmp_path, "a.txt", "Caf\u00e9 \xff.".encode("utf-8").replace(b"\xc3\xbf", b"\xff")))
    assert doc.text == "Caf\u00e9 \ufffd." and doc.warnings == ("1 invalid UTF-8 bytes replaced",)


def test_csv_rows_carry_decoding_warnings(tmp_path):
    [(_, doc)] = read([write(tmp_path, "t.csv", "text\nCaf\u00e9 talks.\n".encode("cp1252"))])
    assert doc.text == "Caf\u00e9 talks." and doc.warnings == ("decoded as Windows-1252 (not UTF-8)",)


def test_cp1252(tmp_path):
    path = write(tmp_path, "a.txt", "He called it \u201cunacceptable\u201d at the caf\u00e9.".encode("cp1252"))
    doc = read_one(path)
    assert doc.text == "He called it \u201cunacceptable\u201d at the caf\u00e9."
    assert doc.warnings == ("decoded as Windows-1252 (not UTF-8)",)


def test_few_invalid_utf8_bytes_replaced_with_warning(tmp_path):
    raw = ("Caf\u00e9 talks resumed on Monday in Doha. " * 10).encode("utf-8") + b"Bad \xff byte."
    doc = read_one(write(tmp_path, "a.txt", raw))
    assert doc.text.endswith("Bad \ufffd byte.")
    assert doc.warnings == ("1 invalid UTF-8 bytes replaced",)


@pytest.mark.parametrize(
    "raw, kind",
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "PNG"),
        (b"PK\x03\x04\x14\x00\x00\x00", "ZIP"),
        (b"%PDF-1.7\n", "PDF"),
        (b"\x1f\x8b\x08\x00", "GZIP"),
    ],
)
def test_binary_files_refused(tmp_path, raw, kind):
    assert read_error(write(tmp_path, "a.txt", raw)).endswith(f"binary file (looks like {kind})")


def test_nul_bytes_refused(tmp_path):
    assert "binary file" in read_error(write(tmp_path, "a.md", b"text\x00\x01\x02 more"))


@pytest.mark.parametrize("content", [b"", b"  \n\t\r\n  "])
def test_empty_and_whitespace_only(tmp_path, content):
    assert read_error(write(tmp_path, "a.txt", content)) == f"{tmp_path / 'a.txt'}: empty"


def test_front_matter_only_is_empty(tmp_path):
    assert "empty" in read_error(write(tmp_path, "a.md", "---\ntitle: Only a title\n---\n\n"))


def test_oversize_file_refused_before_reading(tmp_path):
    path = write(tmp_path, "a.txt", "x" * 200)
    assert "more than max_document_bytes=100" in read_error(path, ReaderSettings(max_document_bytes=100))


def test_too_many_characters_refused(tmp_path):
    path = write(tmp_path, "a.txt", "word " * 100)
    assert "more than max_document_chars=50" in read_error(path, ReaderSettings(max_document_chars=50))


def test_decode_bytes_returns_text_and_warnings():
    assert decode_bytes(b"plain", SETTINGS) == ("plain", ())


# ----------------------------------------------------------------------------------------------
# HTML
# ----------------------------------------------------------------------------------------------
def test_html_file(tmp_path):
    doc = read_one(write(tmp_path, "a.html", ARTICLE_HTML))
    assert doc.title == "Truce talks resume in Cairo"
    assert doc.published == dt.date(2024, 5, 1)
    assert doc.source == "Example News"
    paragraphs = doc.text.split("\n\n")
    assert paragraphs[0] == "Truce talks resume in Cairo"
    assert paragraphs[1].startswith("Negotiators from both sides arrived in Cairo")
    assert "tracking" not in doc.text and "Copyright" not in doc.text


def test_html_without_article_text(tmp_path):
    html = "<html><head><script>var a = 1;</script><style>p {}</style></head><body><script>x()</script></body></html>"
    assert read_error(write(tmp_path, "a.htm", html)).endswith("no article text found")


# ----------------------------------------------------------------------------------------------
# Tables
# ----------------------------------------------------------------------------------------------
def test_csv_rows(tmp_path):
    path = write(tmp_path, "t.csv", 'Text,date,title,extra\n"First article, with a comma.",2024-05-01,One,x\n'
                                    '"Second article\nover two lines.",,Two,y\n')
    results = read([path], default_date=dt.date(2024, 1, 1))
    assert [label for label, _ in results] == [f"{path}:line 2", f"{path}:line 3"]
    first, second = (r for _, r in results)
    assert first.text == "One\n\nFirst article, with a comma." and first.published == dt.date(2024, 5, 1)
    assert first.origin == f"{path}:line 2"
    assert second.text == "Two\n\nSecond article\nover two lines." and second.published == dt.date(2024, 1, 1)


def test_csv_missing_text_column(tmp_path):
    message = read_error(write(tmp_path, "t.csv", "body,date\nhello,2024-01-01\n"))
    assert "no 'text' column; columns found: body, date" in message


def test_csv_bad_row_kept_apart(tmp_path):
    path = write(tmp_path, "t.csv", "text,date\nGood one.,2024-01-01\nBad date.,yesterday\nGood two.,\n")
    results = read([path])
    assert [type(r).__name__ for _, r in results] == ["Document", "InputError", "Document"]
    assert str(results[1][1]) == f"{path}:line 3: date 'yesterday' is not a valid YYYY-MM-DD date"


def test_csv_broken_quote(tmp_path):
    path = write(tmp_path, "t.csv", 'text,date\nGood one.,2024-01-01\n"Broken "quote here,2024-01-02\nLater.,\n')
    results = read([path])
    assert isinstance(results[0][1], Document)
    label, error = results[1]
    assert label == f"{path}:line 3" and isinstance(error, InputError)
    assert str(error).startswith(f"{path}:line 3: broken CSV")


def test_jsonl_bad_line_among_good(tmp_path):
    path = write(tmp_path, "t.jsonl", '{"text": "First.", "date": "2024-05-01", "source": "AP"}\n'
                                      '{"text": "broken\n\n{"text": "Third.", "title": 7}\n[1, 2]\n{"body": "x"}\n')
    results = read([path])
    assert [label for label, _ in results] == [f"{path}:line {n}" for n in (1, 2, 4, 5, 6)]
    first, bad, third, array, no_text = (r for _, r in results)
    assert first.text == "First." and first.source == "AP" and first.published == dt.date(2024, 5, 1)
    assert str(bad).startswith(f"{path}:line 2: invalid JSON")
    assert third.text == "7\n\nThird." and third.title == "7"
    assert "expected a JSON object" in str(array)
    assert "no 'text' key; keys found: body" in str(no_text)


def test_ndjson_extension(tmp_path):
    [(_, doc)] = read([write(tmp_path, "t.ndjson", '{"text": "Only one."}\n')])
    assert doc.text == "Only one."


# ----------------------------------------------------------------------------------------------
# Inputs: folders, paths, uploads, pasted text
# ----------------------------------------------------------------------------------------------
def test_folder_mixed_good_and_bad(tmp_path):
    write(tmp_path, "b.md", "Good article text.")
    write(tmp_path, "a.txt", b"")
    write(tmp_path, "sub/c.csv", "text\nRow one.\n")
    write(tmp_path, "notes.pdf", b"%PDF-1.7")  # unknown extension in a folder: skipped
    write(tmp_path, ".hidden.md", "Hidden.")
    write(tmp_path, ".git/x.md", "Hidden folder.")
    results = read([tmp_path])
    assert [label for label, _ in results] == [str(tmp_path / "a.txt"), str(tmp_path / "b.md"),
                                               f"{tmp_path / 'sub' / 'c.csv'}:line 2"]
    assert [type(r).__name__ for _, r in results] == ["InputError", "Document", "Document"]


def test_nonexistent_path_and_explicit_unknown_extension(tmp_path):
    pdf = write(tmp_path, "x.pdf", b"%PDF-1.7")
    results = read([tmp_path / "missing.md", pdf, write(tmp_path, "ok.txt", "Fine text.")])
    assert str(results[0][1]) == f"{tmp_path / 'missing.md'}: does not exist"
    assert "unsupported file type '.pdf'; supported: .md" in str(results[1][1])
    assert isinstance(results[2][1], Document)


def test_upload_any_format():
    [doc] = document_from_upload("a.md", b"---\ntitle: T\n---\nBody.", SETTINGS)
    assert doc.text == "T\n\nBody." and doc.origin == "a.md"
    docs = document_from_upload("t.csv", b"text\nOne.\nTwo.\n", SETTINGS)
    assert [d.text for d in docs] == ["One.", "Two."]
    assert document_from_upload("a.html", ARTICLE_HTML.encode(), SETTINGS)[0].title == "Truce talks resume in Cairo"


def test_upload_errors():
    with pytest.raises(InputError, match="binary file"):
        document_from_upload("a.txt", b"\x89PNG\r\n\x1a\n", SETTINGS)
    with pytest.raises(InputError, match="unsupported file type '.docx'"):
        document_from_upload("a.docx", b"x", SETTINGS)
    with pytest.raises(InputError, match=r"t.jsonl:line 2: invalid JSON"):
        document_from_upload("t.jsonl", b'{"text": "ok"}\n{bad\n', SETTINGS)


def test_document_from_text():
    doc = document_from_text("Para one.\r\n\r\nPara\u00a0two.", title="Headline", date="2024-05-01",
                             source="AP", origin="pasted", today=TODAY)
    assert doc.text == "Headline\n\nPara one.\n\nPara two."
    assert (doc.title, doc.published, doc.source, doc.origin) == ("Headline", dt.date(2024, 5, 1), "AP", "pasted")
    assert document_from_text("Text.", default_date=dt.date(2024, 1, 1)).published == dt.date(2024, 1, 1)
    with pytest.raises(InputError, match="empty"):
        document_from_text("  \n ")
    with pytest.raises(InputError, match="in the future"):
        document_from_text("Text.", date="2999-01-01")


# ----------------------------------------------------------------------------------------------
# URLs against a local server
# ----------------------------------------------------------------------------------------------
class _Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802 (http.server API)
        if self.path == "/slow":
            time.sleep(1.0)
        if self.path == "/redirect":
            self.send_response(302)
            self.send_header("Location", "ftp://127.0.0.1/a.html")
            self.end_headers()
            return
        routes = {
            "/article": (200, "text/html; charset=utf-8", ARTICLE_HTML.encode()),
            "/slow": (200, "text/html", ARTICLE_HTML.encode()),
            "/image": (200, "image/png", b"\x89PNG\r\n\x1a\n"),
            "/ua": (200, "text/html", f"<html><body><article><p>{self.headers['User-Agent']} agent.</p>"
                                      "</article></body></html>".encode()),
        }
        status, ctype, body = routes.get(self.path, (404, "text/html", b"<h1>Not found</h1>"))
        try:
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):  # the client gave up (timeout test)
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


def fetch(url: str, settings=SETTINGS):
    [(label, result)] = read([url], settings)
    assert label == url
    return result


def test_url_article(server):
    doc = fetch(f"{server}/article")
    assert isinstance(doc, Document), doc
    assert doc.origin == f"{server}/article"
    assert doc.title == "Truce talks resume in Cairo" and doc.published == dt.date(2024, 5, 1)
    assert "resume talks on a ceasefire" in doc.text


def test_url_user_agent(server):
    assert "positions/0.1 agent." in fetch(f"{server}/ua").text


def test_url_404(server):
    assert str(fetch(f"{server}/missing")) == f"{server}/missing: HTTP error 404 Not Found"


def test_url_non_html(server):
    assert str(fetch(f"{server}/image")).endswith("not an HTML page (content type image/png)")


def test_url_timeout(server):
    error = fetch(f"{server}/slow", ReaderSettings(url_timeout_seconds=0.1))
    assert isinstance(error, InputError) and str(error).endswith("timed out after 0.1 s")


def test_url_too_large(server):
    error = fetch(f"{server}/article", ReaderSettings(max_url_bytes=100))
    assert str(error).endswith("page larger than max_url_bytes=100")


def test_redirect_to_other_scheme_refused(server):
    assert str(fetch(f"{server}/redirect")).endswith("redirected to a non-http URL 'ftp://127.0.0.1/a.html'")


@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://example.org/a.html"])
def test_other_url_schemes_refused(url):
    error = fetch(url)
    assert isinstance(error, InputError)
    assert "only http and https URLs are read" in str(error)
