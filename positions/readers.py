"""File/URL -> Document: one small function per format; no NLP.

Every failure is an InputError whose message starts with the input's label (`path`, `path:line N` or the URL),
so `iter_documents` can yield it and the caller goes on with the next input.
"""
from __future__ import annotations

import csv
import datetime as dt
import http.client
import io
import json
import re
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

import yaml

from .config import ReaderSettings
from .errors import InputError, failure_line
from .models import Document
from .sentences import is_boilerplate

TEXT_SUFFIXES = (".md", ".markdown", ".txt")
HTML_SUFFIXES = (".html", ".htm")
TABLE_SUFFIXES = (".csv", ".jsonl", ".ndjson")
SUPPORTED_SUFFIXES = TEXT_SUFFIXES + HTML_SUFFIXES + TABLE_SUFFIXES
COLUMNS = ("text", "date", "title", "source")
USER_AGENT = "positions/0.1"

Result = tuple[str, "Document | InputError"]


# ----------------------------------------------------------------------------------------------
# Entry points
# ----------------------------------------------------------------------------------------------
def iter_documents(
    inputs: Sequence[str],
    settings: ReaderSettings,
    default_date: dt.date | None = None,
    today: dt.date | None = None,
) -> Iterator[tuple[str, Document | InputError]]:
    """(label, Document or InputError) for each file, file in a folder, table row or http(s) URL."""
    for item in inputs:
        if _URL_SCHEME.match(item):
            yield _labelled(item, lambda: read_url(item, settings, default_date, today))
            continue
        path = Path(item)
        if not path.exists():
            yield item, InputError(f"{item}: does not exist")
        elif path.is_dir():
            for file in folder_files(path):
                yield from iter_file(file, settings, default_date, today)
        else:
            yield from iter_file(path, settings, default_date, today)


def folder_files(folder: Path) -> list[Path]:
    """Readable files under a folder, recursively and sorted; hidden files and other extensions skipped."""
    return sorted(
        p for p in folder.rglob("*")
        if p.is_file() and p.suffix.lower() in SUPPORTED_SUFFIXES
        and not any(part.startswith(".") for part in p.relative_to(folder).parts)
    )


def iter_file(path: Path, settings: ReaderSettings, default_date: dt.date | None = None,
              today: dt.date | None = None) -> Iterator[Result]:
    """Results of one file: one for a text or HTML file, one per row of a CSV/JSONL table."""
    label = str(path)
    try:
        check_suffix(path.name)
        if not path.is_file():  # a FIFO or device named like an article would block or never end
            raise InputError("not a regular file")
        size = path.stat().st_size
        if size > settings.max_document_bytes:
            raise InputError(f"file is {size} bytes, more than max_document_bytes={settings.max_document_bytes}")
        raw = path.read_bytes()
    except (InputError, OSError) as exc:
        yield label, _error(label, exc)
        return
    yield from iter_bytes(label, raw, settings, default_date, today)


def iter_bytes(name: str, raw: bytes, settings: ReaderSettings, default_date: dt.date | None = None,
               today: dt.date | None = None) -> Iterator[Result]:
    """Results of a file's content; the format comes from the extension of `name`."""
    suffix = Path(name).suffix.lower()
    if suffix in TABLE_SUFFIXES:
        try:  # max_document_chars bounds each row's article, not the whole table (bytes bound the file)
            text, warnings = decode_bytes(raw, settings, one_document=False)
        except InputError as exc:
            yield name, _error(name, exc)
            return
        rows = iter_csv_rows(text, name) if suffix == ".csv" else iter_jsonl_rows(text, name)
        for label, row in rows:
            if isinstance(row, InputError):
                yield label, row
            else:
                read = lambda: document_from_row(row, label, settings, default_date, today, warnings)  # noqa: E731
                yield _labelled(label, read)
        return
    reader = read_html_document if suffix in HTML_SUFFIXES else read_text_document
    yield _labelled(name, lambda: reader(raw, name, settings, default_date, today))


def upload_results(name: str, data: bytes, settings: ReaderSettings, default_date: dt.date | None = None,
                   today: dt.date | None = None) -> list[Result]:
    """(label, Document or InputError) per document of an uploaded file, like `iter_file`: a table with one bad
    row gives the good rows' documents and one error."""
    try:
        check_suffix(name)
        if len(data) > settings.max_document_bytes:
            raise InputError(f"upload is {len(data)} bytes, more than max_document_bytes={settings.max_document_bytes}")
    except InputError as exc:
        return [(name, _error(name, exc))]
    return list(iter_bytes(name, data, settings, default_date, today))


def document_from_upload(name: str, data: bytes, settings: ReaderSettings, default_date: dt.date | None = None,
                         today: dt.date | None = None) -> list[Document]:
    """Documents of an uploaded file of any supported format; InputError if any part of it fails."""
    results = upload_results(name, data, settings, default_date, today)
    errors = [str(r) for _, r in results if isinstance(r, InputError)]
    if errors:
        more = f" (and {len(errors) - 3} more)" if len(errors) > 3 else ""
        raise InputError("; ".join(errors[:3]) + more)
    return [r for _, r in results if isinstance(r, Document)]


def document_from_text(
    text: str,
    title: str | None = None,
    date: str | dt.date | None = None,
    source: str | None = None,
    origin: str | None = None,
    settings: ReaderSettings | None = None,
    default_date: dt.date | None = None,
    today: dt.date | None = None,
) -> Document:
    """A Document from pasted text (the dashboard's 'add an article')."""
    settings = settings or ReaderSettings()
    published = parse_date(date, settings, today) or default_date
    return build_document(text, title, published, source, origin, settings)


def check_suffix(name: str) -> None:
    suffix = Path(name).suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise InputError(f"unsupported file type {suffix or '(none)'!r}; supported: {', '.join(SUPPORTED_SUFFIXES)}")


def _labelled(label: str, read: Callable[[], Document]) -> Result:
    try:
        return label, read()
    except InputError as exc:
        return label, _error(label, exc)
    except Exception as exc:  # a parser crash on one odd input must not end the run
        detail = " ".join(str(exc).split())[:200]
        return label, InputError(f"{label}: cannot read ({type(exc).__name__}{': ' + detail if detail else ''})")


def _error(label: str, exc: Exception) -> InputError:
    """The error with the label in front (once)."""
    message = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
    return InputError(failure_line(label, message))


# ----------------------------------------------------------------------------------------------
# Bytes -> text
# ----------------------------------------------------------------------------------------------
_MAGIC = (
    (b"\x89PNG", "PNG"), (b"PK\x03\x04", "ZIP"), (b"%PDF-", "PDF"), (b"\x1f\x8b", "GZIP"),
    (b"\xff\xd8\xff", "JPEG"), (b"GIF8", "GIF"), (b"7z\xbc\xaf", "7Z"), (b"\xd0\xcf\x11\xe0", "MS Office"),
)
_SPACES = str.maketrans({"\u00a0": " ", "\u202f": " ", "\u2007": " ", "\u200b": None, "\ufeff": None})


def decode_bytes(raw: bytes, settings: ReaderSettings, one_document: bool = True) -> tuple[str, tuple[str, ...]]:
    """(text, warnings): UTF-8 (BOM or not), UTF-16 with BOM, damaged UTF-8, else Windows-1252/Latin-1.
    Line endings become '\\n'. The text of one document fails beyond max_document_chars (a table's rows are
    checked one by one instead)."""
    for magic, kind in _MAGIC:
        if raw.startswith(magic):
            raise InputError(f"binary file (looks like {kind})")
    warnings: tuple[str, ...] = ()
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            text = raw.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise InputError(f"invalid UTF-16 text ({exc.reason})") from None
    elif b"\x00" in raw:
        raise InputError("binary file (contains NUL bytes)")
    else:
        text, warnings = _decode_8bit(raw)
    text = text.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff")
    if not text.strip():
        raise InputError("empty")
    if one_document and len(text) > settings.max_document_chars:
        raise InputError(f"text has {len(text)} characters, more than max_document_chars={settings.max_document_chars}")
    return text, warnings


def _decode_8bit(raw: bytes) -> tuple[str, tuple[str, ...]]:
    """UTF-8; UTF-8 with a few damaged bytes replaced; or a legacy single-byte encoding."""
    try:
        return raw.decode("utf-8-sig"), ()
    except UnicodeDecodeError:
        pass
    # invalid bytes become lone surrogates U+DC80..U+DCFF: count them, and look for valid multi-byte UTF-8
    escaped = raw.decode("utf-8", errors="surrogateescape")
    invalid = sum(1 for ch in escaped if "\udc80" <= ch <= "\udcff")
    valid_multibyte = any(ord(ch) > 0x7F and not "\udc80" <= ch <= "\udcff" for ch in escaped)
    # valid multi-byte sequences (which Windows-1252 text almost never forms) mean damaged UTF-8: keep it, say so.
    # A byte-ratio rule (< 1% invalid) would instead garble Windows-1252 text, whose few curly quotes and accents
    # are also under 1% of its bytes.
    if valid_multibyte:
        text = raw.decode("utf-8", errors="replace").lstrip("\ufeff")
        return text, (f"{invalid} invalid UTF-8 bytes replaced",)
    # no valid multi-byte sequence: an old single-byte encoding
    try:
        return raw.decode("cp1252"), ("decoded as Windows-1252 (not UTF-8)",)
    except UnicodeDecodeError:
        return raw.decode("latin-1"), ("decoded as Latin-1 (not UTF-8)",)


# ----------------------------------------------------------------------------------------------
# Dates
# ----------------------------------------------------------------------------------------------
_ISO_DATE = re.compile(r"(\d{4}-\d{2}-\d{2})(?:[T ].*)?")


def parse_date(value: object, settings: ReaderSettings, today: dt.date | None = None) -> dt.date | None:
    """A publication date from YAML, a column or page metadata: ISO YYYY-MM-DD (a datetime may follow);
    None for no value; InputError when invalid, in the future or before settings.earliest_year."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, dt.datetime):
        when = value.date()
    elif isinstance(value, dt.date):
        when = value
    else:
        match = _ISO_DATE.fullmatch(str(value).strip()) if isinstance(value, str) else None
        try:
            when = dt.date.fromisoformat(match.group(1)) if match else None
        except ValueError:
            when = None
        if when is None:
            raise InputError(f"date {value!r} is not a valid YYYY-MM-DD date")
    latest = (today or dt.date.today()) + dt.timedelta(days=1)
    if when > latest:
        raise InputError(f"date {when.isoformat()} is in the future")
    if when.year < settings.earliest_year:
        raise InputError(f"date {when.isoformat()} is before {settings.earliest_year} (earliest_year)")
    return when


# ----------------------------------------------------------------------------------------------
# Text normalisation
# ----------------------------------------------------------------------------------------------
_HEADING = re.compile(r"#{1,6}\s+")
_RULE = re.compile(r"(?:[-=*_]\s*){3,}")
# character classes exclude the opening bracket, so a line of a million '[' is still one linear scan
_MD_IMAGE = re.compile(r"!\[[^\[\]]*\]\([^()]*\)")
_MD_LINK = re.compile(r"\[([^\[\]]+)\]\([^()\s]*(?:\s+\"[^\"]*\")?\)")
_MD_BOLD = re.compile(r"\*\*(.+?)\*\*|__(.+?)__")
_MD_PREFIX = re.compile(r"(?:>\s?)+|[-*+]\s+")


def _markdown_inline(line: str) -> str:
    """Markdown syntax that is not text: blockquote and bullet markers, images, link targets, bold."""
    line = _MD_PREFIX.sub("", line, count=1) if _MD_PREFIX.match(line) else line
    line = _MD_IMAGE.sub("", line)
    line = _MD_LINK.sub(r"\1", line)
    return _MD_BOLD.sub(lambda m: m.group(1) or m.group(2), line).strip()


def _heading_text(line: str) -> str | None:
    """'X' for a Markdown heading line '## X' or '## X ##'; None for other lines."""
    marker = _HEADING.match(line)
    if marker is None:
        return None
    text = line[marker.end():]
    closed = text.rstrip("#")
    if closed != text and (not closed or closed[-1].isspace()):  # closing hashes, not 'C#'
        text = closed
    return text.strip()


def _one_line(text: str) -> str:
    return " ".join(text.translate(_SPACES).split())


def normalise_paragraphs(text: str, markdown: bool = False) -> tuple[list[str], str | None]:
    """(paragraphs, first heading if the text starts with one). Lines stripped, NBSP -> space, headings
    '# X' -> 'X' as their own paragraph, horizontal rules and boilerplate lines dropped."""
    paragraphs: list[str] = []
    current: list[str] = []
    first_heading: str | None = None

    def flush() -> None:
        if current:
            paragraphs.append("\n".join(current))
            current.clear()

    for raw_line in text.translate(_SPACES).split("\n"):
        line = " ".join(raw_line.split()) if "\t" in raw_line else raw_line.strip()
        if markdown:
            line = _markdown_inline(line)
        if not line or _RULE.fullmatch(line):
            flush()
            continue
        heading = _heading_text(line)
        if heading is not None:
            flush()
            if heading and not is_boilerplate(heading):
                if not paragraphs and first_heading is None:
                    first_heading = heading
                paragraphs.append(heading)
            continue
        if not is_boilerplate(line):
            current.append(line)
    flush()
    return paragraphs, first_heading


def build_document(body: str, title: str | None, published: dt.date | None, source: str | None,
                   origin: str | None, settings: ReaderSettings, warnings: tuple[str, ...] = (),
                   markdown: bool = False) -> Document:
    """A Document: body normalised, the title as first paragraph (the headline is a sentence too)."""
    paragraphs, first_heading = normalise_paragraphs(body, markdown)
    if not paragraphs:
        raise InputError("empty (no article text)")
    title = _one_line(title) if title and title.strip() else first_heading
    if title and _one_line(paragraphs[0]).casefold() != title.casefold():
        paragraphs.insert(0, title)
    text = "\n\n".join(paragraphs)
    if len(text) > settings.max_document_chars:
        raise InputError(f"text has {len(text)} characters, more than max_document_chars={settings.max_document_chars}")
    source = _one_line(source) if source and source.strip() else None
    return Document(text, title or None, source, published, origin, warnings)


# ----------------------------------------------------------------------------------------------
# Formats
# ----------------------------------------------------------------------------------------------
_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?)^(?:---|\.\.\.)[ \t]*$\n?", re.DOTALL | re.MULTILINE)


def split_front_matter(text: str) -> tuple[dict, str]:
    """(front matter mapping, body) of a Markdown/text file; ({}, text) when there is none."""
    if not re.match(r"---[ \t]*\n", text):
        return {}, text
    match = _FRONT_MATTER.match(text)
    if match is None:
        raise InputError("front matter starts with '---' but has no closing '---' line")
    try:
        data = yaml.safe_load(match.group(1))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (line {mark.line + 2})" if mark is not None else ""
        problem = getattr(exc, "problem", None) or str(exc)
        raise InputError(f"invalid YAML front matter{where}: {' '.join(str(problem).split())}") from None
    except ValueError as exc:  # YAML reads 2024-02-30 as a date and fails: "day is out of range for month"
        date = re.search(r"^date:[ \t]*(.*?)[ \t]*$", match.group(1), re.MULTILINE)
        what = f"date {date.group(1)!r}" if date else "a date"
        raise InputError(f"front matter {what} is not a valid date ({exc})") from None
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise InputError("front matter must be a mapping with keys title, date, source")
    for key in ("title", "source"):
        if isinstance(data.get(key), (dict, list)):
            raise InputError(f"front matter {key!r} must be text, not {type(data[key]).__name__}")
    return data, text[match.end():]


def read_text_document(raw: bytes, name: str, settings: ReaderSettings, default_date: dt.date | None = None,
                       today: dt.date | None = None) -> Document:
    """A .md/.markdown/.txt file with optional YAML front matter (title, date, source)."""
    text, warnings = decode_bytes(raw, settings)
    meta, body = split_front_matter(text)
    published = parse_date(meta.get("date"), settings, today) or default_date
    title = str(meta["title"]) if meta.get("title") is not None else None
    source = str(meta["source"]) if meta.get("source") is not None else None
    markdown = Path(name).suffix.lower() in (".md", ".markdown")
    return build_document(body, title, published, source, name, settings, warnings, markdown)


def read_html_document(raw: bytes, name: str, settings: ReaderSettings, default_date: dt.date | None = None,
                       today: dt.date | None = None, charset: str | None = None) -> Document:
    """An HTML page: article text, title, date and site name extracted by trafilatura."""
    import trafilatura  # slow import, only needed for HTML

    html, warnings = _decode_declared(raw, charset, settings)
    url = name if _URL_SCHEME.match(name) else None
    latest = (today or dt.date.today()).isoformat()
    # the date from the page's metadata (meta tags, <time>, URL); the text search is only a fallback below
    extracted = trafilatura.bare_extraction(
        html, url=url, include_comments=False, include_tables=False, with_metadata=True,
        date_extraction_params={"original_date": True, "extensive_search": False, "max_date": latest})
    body = getattr(extracted, "text", None) or ""
    title = getattr(extracted, "title", None)
    # trafilatura puts one paragraph per line
    lines = [line.strip() for line in body.split("\n") if line.strip()]
    if not any(_is_prose(line, title) for line in lines):
        # nothing but a title, menus or link lists ("Home | World"): no article here
        raise InputError("no article text found")
    published = parse_date(getattr(extracted, "date", None) or _date_in_text(html, url, latest), settings, today)
    source = getattr(extracted, "sitename", None) or getattr(extracted, "hostname", None)
    return build_document("\n\n".join(lines), title, published or default_date, source, name, settings, warnings)


_PROSE_END = re.compile(r"[.!?…][\"'”’)\]]*$")


def _is_prose(line: str, title: str | None) -> bool:
    """A paragraph of article text: words ending like a sentence, not the title, not page furniture."""
    return (len(line.split()) >= 2 and _PROSE_END.search(line) is not None and not is_boilerplate(line)
            and (not title or line.casefold() != title.strip().casefold()))


def _date_in_text(html: str, url: str | None, latest: str) -> str | None:
    """A date written in the page text ("Published March 3, 2023"), when the metadata has none. A bare
    year (htmldate returns YYYY-01-01, e.g. from "Copyright 2024") is not a publication date: None."""
    from htmldate import find_date

    try:
        found = find_date(html, extensive_search=True, original_date=True, url=url, max_date=latest)
    except Exception:  # a date guess is optional; the article is still read
        return None
    return None if found is None or found.endswith("-01-01") else found


def _decode_declared(raw: bytes, charset: str | None, settings: ReaderSettings) -> tuple[str, tuple[str, ...]]:
    """Decode with a charset declared by the server when it fits the bytes, else by our own rules."""
    if charset:
        try:
            text = raw.decode(charset)
        except (LookupError, UnicodeDecodeError):
            return decode_bytes(raw, settings)
        if not text.strip():
            raise InputError("empty")
        return text.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff"), ()
    return decode_bytes(raw, settings)


def iter_csv_rows(text: str, name: str) -> Iterator[tuple[str, dict | InputError]]:
    """(label 'name:line N', row mapping) per CSV row; a broken quote ends the file with an error."""
    csv.field_size_limit(max(csv.field_size_limit(), len(text) + 1))  # article text in a cell can be long
    header_line = text.split("\n", 1)[0]
    delimiter = "," if "," in header_line else ";" if ";" in header_line else "\t" if "\t" in header_line else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    start, rows = 1, 0
    try:
        header = [h.strip().lower() for h in next(reader)]
        if "text" not in header:
            yield name, InputError(f"{name}: no 'text' column; columns found: {', '.join(header) or '(none)'}; "
                                   f"expected: {', '.join(COLUMNS)}")
            return
        while True:
            start = reader.line_num + 1
            values = next(reader)
            if not any(v.strip() for v in values):
                continue
            label = f"{name}:line {start}"
            if len(values) > len(header):
                yield label, InputError(f"{label}: {len(values)} fields, the header has {len(header)}")
                continue
            rows += 1
            yield label, dict(zip(header, values))
    except StopIteration:
        if not rows:
            yield name, InputError(f"{name}: no rows after the header")
    except csv.Error as exc:
        yield f"{name}:line {start}", InputError(f"{name}:line {start}: broken CSV ({exc}); rows from here not read")


def iter_jsonl_rows(text: str, name: str) -> Iterator[tuple[str, dict | InputError]]:
    """(label 'name:line N', object) per non-blank JSON Lines line."""
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        label = f"{name}:line {number}"
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            yield label, InputError(f"{label}: invalid JSON ({exc.msg} at column {exc.colno})")
            continue
        if not isinstance(row, dict):
            yield label, InputError(f"{label}: expected a JSON object with keys {', '.join(COLUMNS)}")
            continue
        yield label, row


def document_from_row(row: dict, label: str, settings: ReaderSettings, default_date: dt.date | None = None,
                      today: dt.date | None = None, warnings: tuple[str, ...] = ()) -> Document:
    """A Document from a CSV row or JSONL object with keys text (required), date, title, source."""
    if "text" not in row:
        raise InputError(f"no 'text' key; keys found: {', '.join(map(str, row)) or '(none)'}; "
                         f"expected: {', '.join(COLUMNS)}")
    fields = {}
    for key in COLUMNS:
        value = row.get(key)
        if key != "date" and value is not None and not isinstance(value, str):
            if isinstance(value, (dict, list)):
                raise InputError(f"{key!r} must be text, not {type(value).__name__}")
            value = str(value)
        fields[key] = value
    text = (fields["text"] or "").replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise InputError("empty text")
    published = parse_date(fields["date"], settings, today) or default_date
    return build_document(text, fields["title"], published, fields["source"], label, settings, warnings)


# ----------------------------------------------------------------------------------------------
# URLs
# ----------------------------------------------------------------------------------------------
_URL_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*://")
_HTML_TYPES = ("text/html", "application/xhtml+xml")


class _HttpOnlyRedirects(urllib.request.HTTPRedirectHandler):
    """Follow redirects only to http(s) URLs."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        if not newurl.lower().startswith(("http://", "https://")):
            raise InputError(f"redirected to a non-http URL {newurl!r}")
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def fetch_url(url: str, settings: ReaderSettings) -> tuple[bytes, str | None]:
    """(body, declared charset) of an http(s) HTML page; InputError with a one-line reason otherwise.

    At most max_url_bytes, and url_timeout_seconds for the whole fetch: the socket timeout bounds each read, and
    the fetch runs in a daemon thread given up on at the deadline, so a server that drips its headers or body a
    byte at a time cannot hold the run."""
    scheme = url.split("://", 1)[0].lower()
    if scheme not in ("http", "https"):
        raise InputError(f"unsupported URL scheme {scheme!r}; only http and https URLs are read")
    timeout = settings.url_timeout_seconds
    outcome: list = []

    def work() -> None:
        try:
            outcome.append(_fetch(url, settings, time.monotonic() + timeout))
        except BaseException as exc:  # handed to the caller's thread
            outcome.append(exc)

    worker = threading.Thread(target=work, name=f"fetch {url}", daemon=True)
    worker.start()
    worker.join(timeout + 0.5)
    if not outcome:
        raise InputError(f"timed out after {timeout:g} s")
    if isinstance(outcome[0], BaseException):
        raise outcome[0]
    return outcome[0]


def _fetch(url: str, settings: ReaderSettings, deadline: float) -> tuple[bytes, str | None]:
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT, "Accept": "text/html,*/*;q=0.5"})
    opener = urllib.request.build_opener(_HttpOnlyRedirects)
    timeout = settings.url_timeout_seconds
    try:
        with opener.open(request, timeout=timeout) as response:
            content_type = response.headers.get_content_type()
            if content_type not in _HTML_TYPES:
                raise InputError(f"not an HTML page (content type {content_type})")
            # read in chunks: at most max_url_bytes, and within the timeout in total
            chunks, size = [], 0
            # read1: what has arrived (read(n) would wait for n bytes, so a slow drip could outlast the timeout)
            while chunk := response.read1(65536):
                chunks.append(chunk)
                size += len(chunk)
                if size > settings.max_url_bytes:
                    raise InputError(f"page larger than max_url_bytes={settings.max_url_bytes}")
                if time.monotonic() > deadline:
                    raise InputError(f"timed out after {timeout:g} s")
            return b"".join(chunks), response.headers.get_content_charset()
    except urllib.error.HTTPError as exc:
        exc.close()
        raise InputError(f"HTTP error {exc.code} {exc.reason}") from None
    except urllib.error.URLError as exc:
        if isinstance(exc.reason, TimeoutError):
            raise InputError(f"timed out after {timeout:g} s") from None
        raise InputError(f"cannot fetch: {exc.reason}") from None
    except TimeoutError:
        raise InputError(f"timed out after {timeout:g} s") from None
    except (OSError, ValueError, http.client.HTTPException) as exc:  # connection reset, bad response, bad URL
        raise InputError(f"cannot fetch: {' '.join(str(exc).split()) or type(exc).__name__}") from None


def url_result(url: str, settings: ReaderSettings, default_date: dt.date | None = None,
               today: dt.date | None = None) -> Result:
    """(label, Document or InputError) of an address typed in the dashboard. Unlike `iter_documents`, text that is
    not a URL is refused, never read as a path (it would read the server's own files); only http(s) is fetched."""
    url = url.strip()
    if not _URL_SCHEME.match(url):
        label = url or "(no address)"
        return label, InputError(f"{label}: not a URL; only http and https URLs are read")
    return _labelled(url, lambda: read_url(url, settings, default_date, today))


def read_url(url: str, settings: ReaderSettings, default_date: dt.date | None = None,
             today: dt.date | None = None) -> Document:
    """A Document from an http(s) URL, extracted like an HTML file; `origin` is the URL."""
    raw, charset = fetch_url(url, settings)
    return read_html_document(raw, url, settings, default_date, today, charset=charset)
