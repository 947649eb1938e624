"""The command-line contract end to end: `python -m positions ...` in a subprocess, fake embedder, a tmp store."""
from __future__ import annotations

import csv
import io
import json
import re
import shutil
import sqlite3
from pathlib import Path

import pytest

from cli_support import (NEGOTIATION, REPO, article, cli_env, connect, count_rows, jsonl, run_cli, snapshot,
                         write_corpus, write_negotiation)
from positions.config import SentenceSettings
from positions.models import STANCES
from positions.sentences import split_sentences

REQUIRED = ("id", "sentence", "party", "topic", "stance", "numbers", "date", "published", "doc_title", "doc_source",
            "start", "end", "confidence")
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
HTML = """<!doctype html><html><head><title>Cranes stay idle at the harbour</title>
<meta property="article:published_time" content="2024-04-02T08:00:00Z">
<meta property="og:site_name" content="Harbour Gazette"></head>
<body><nav>Home | Port | Skip to content</nav><article><h1>Cranes stay idle at the harbour</h1>
<p>The Port Authority said on Tuesday that automated cranes would replace 300 jobs by 2026.</p>
<p>Maria Lopez said the union rejected any automation without job guarantees.</p></article>
<footer>Back to top</footer></body></html>"""


@pytest.fixture(scope="module")
def work(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("cli")


@pytest.fixture(scope="module")
def corpus(work) -> Path:
    folder = work / "corpus"
    write_corpus(folder, 4)
    (folder / "nested").mkdir()
    (folder / "nested" / "undated.txt").write_text(
        "Union and port resume talks\n\nThe Dockworkers Union demanded a 12 percent raise, Lopez said on Monday.\n\n"
        "Tom Baker said the port would not accept automation limits.\n", encoding="utf-8")
    (folder / "nested" / "page.html").write_text(HTML, encoding="utf-8")
    with (folder / "wires.csv").open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["title", "date", "source", "text"])
        writer.writerow(["Port offers 4 percent", "2024-03-20", "Wire A",
                         "The Port Authority offered a 4 percent raise, Baker said.\n\nThe union rejected it."])
        writer.writerow(["Mediator steps in", "2024-03-21", "Wire B",
                         "State Mediator Ann Cho proposed binding arbitration on wages, officials said."])
    (folder / "statements.jsonl").write_text(json.dumps({
        "text": "Maria Lopez said the union would strike if robots replace crane drivers.", "date": "2024-03-22",
        "title": "Strike threat", "source": "Union release"}) + "\n", encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def negotiation(work) -> Path:
    return write_negotiation(work / NEGOTIATION)


@pytest.fixture(scope="module")
def ingested(work, corpus, negotiation):
    db = work / "store.db"
    result = run_cli("ingest", corpus, "--negotiation", negotiation, "--db", db, "--date", "2024-03-26", tmp=work)
    return db, result


@pytest.fixture(scope="module")
def rows(ingested, work) -> list[dict]:
    db, _ = ingested
    result = run_cli("statements", "--db", db, "--format", "jsonl", tmp=work)
    assert result.returncode == 0, result.stderr
    return jsonl(result.stdout)


def copy_store(db: Path, target: Path) -> Path:
    """A consistent copy of a store (WAL included) through sqlite's backup API."""
    with connect(db) as source, sqlite3.connect(target) as copy:
        source.backup(copy)
    return target


def stored_texts(db: Path) -> dict[str, str]:
    with connect(db) as conn:
        return dict(conn.execute("SELECT origin, text FROM documents"))


# ----------------------------------------------------------------------------------------------
# ingest
# ----------------------------------------------------------------------------------------------
def test_ingest_folder_exits_0_and_reports(ingested, corpus):
    db, result = ingested
    assert result.returncode == 0, result.stderr
    # 4 articles + txt + html + 2 csv rows + 1 jsonl row, read recursively
    assert "added 9 documents" in result.stderr and "0 failed" in result.stderr
    assert count_rows(db)["documents"] == 9
    assert str(db) in result.stderr


def test_statements_jsonl_has_every_required_field(rows):
    assert rows
    for row in rows:
        missing = [name for name in REQUIRED if name not in row]
        assert not missing, (missing, row)
        assert isinstance(row["id"], int) and isinstance(row["sentence"], str) and row["sentence"]
        assert row["stance"] is None or row["stance"] in STANCES
        assert isinstance(row["numbers"], list)
        for number in row["numbers"]:
            assert set(number) == {"value", "unit"} and isinstance(number["value"], (int, float))
            assert isinstance(number["unit"], str)
        assert ISO_DATE.fullmatch(row["date"]) and ISO_DATE.fullmatch(row["published"])
        assert isinstance(row["start"], int) and isinstance(row["end"], int) and row["start"] < row["end"]
        assert isinstance(row["confidence"], (int, float)) and 0 <= row["confidence"] <= 1
        if row["party"] is None:
            assert row["topic"] is None and row["stance"] is None
    assert len({row["id"] for row in rows}) == len(rows)


def test_positions_found_and_metadata_kept(rows):
    held = [r for r in rows if r["party"] and r["topic"]]
    assert {r["party"] for r in held} >= {"union", "port"}
    assert {r["topic"] for r in held} >= {"wages", "automation"}
    by_file = {Path(r["doc_origin"]).name: r for r in rows}
    first = by_file["round-000.md"]
    assert (first["doc_title"], first["published"], first["doc_source"]) == (
        "Harbour talks, round 0", "2024-01-01", "Harbour Wire")
    assert by_file["undated.txt"]["published"] == "2024-03-26"  # --date for the file that carries none
    page = by_file["page.html"]
    assert (page["doc_title"], page["published"], page["doc_source"]) == (
        "Cranes stay idle at the harbour", "2024-04-02", "Harbour Gazette")
    assert {(r["doc_title"], r["doc_source"], r["published"]) for r in rows if ".csv:line" in r["doc_origin"]} == {
        ("Port offers 4 percent", "Wire A", "2024-03-20"), ("Mediator steps in", "Wire B", "2024-03-21")}
    assert any(n == {"value": 12, "unit": "percent"} for r in held for n in r["numbers"])


def test_every_sentence_appears_and_offsets_slice_the_document(ingested, rows):
    db, _ = ingested
    texts = stored_texts(db)
    assert len(texts) == 9
    seen: dict[str, set] = {}
    for row in rows:
        text = texts[row["doc_origin"]]
        assert text[row["start"]:row["end"]] == row["sentence"], row
        seen.setdefault(row["doc_origin"], set()).add((row["start"], row["end"]))
    for origin, text in texts.items():
        expected = {(s.start, s.end) for s in split_sentences(text, SentenceSettings())}
        assert expected and seen.get(origin) == expected, origin


def test_reingest_adds_nothing(ingested, corpus, negotiation, work, tmp_path):
    db = copy_store(ingested[0], tmp_path / "again.db")
    before = snapshot(db), count_rows(db)
    result = run_cli("ingest", corpus, "--negotiation", negotiation, "--db", db, "--date", "2024-03-26", tmp=work)
    assert result.returncode == 0, result.stderr
    assert "added 0 documents" in result.stderr and "9 already stored" in result.stderr
    assert (snapshot(db), count_rows(db)) == before


def test_new_file_adds_only_it(ingested, corpus, negotiation, work, tmp_path):
    db = copy_store(ingested[0], tmp_path / "more.db")
    before = snapshot(db)
    folder = tmp_path / "corpus"
    shutil.copytree(corpus, folder)
    (folder / "round-new.md").write_text(article(99), encoding="utf-8")
    result = run_cli("ingest", folder, "--negotiation", negotiation, "--db", db, "--date", "2024-03-26", tmp=work)
    assert result.returncode == 0, result.stderr
    assert "added 1 documents" in result.stderr and "9 already stored" in result.stderr
    after = snapshot(db)
    assert len(after) == 10 and {k: after[k] for k in before} == before
    assert str(folder / "round-new.md") in stored_texts(db)


# ----------------------------------------------------------------------------------------------
# statements and search
# ----------------------------------------------------------------------------------------------
def test_statements_csv_parses_like_jsonl(ingested, rows, work):
    result = run_cli("statements", "--db", ingested[0], "--format", "csv", tmp=work)
    assert result.returncode == 0, result.stderr
    table = list(csv.DictReader(io.StringIO(result.stdout)))
    assert len(table) == len(rows)
    assert set(REQUIRED) <= set(table[0])
    for line, row in zip(table, rows):
        assert int(line["id"]) == row["id"] and line["sentence"] == row["sentence"]
        assert json.loads(line["numbers"]) == row["numbers"]
        assert (line["party"] or None) == row["party"]


@pytest.mark.parametrize("option, value", [("--party", "union"), ("--topic", "automation"), ("--party", "port")])
def test_statements_filters(ingested, rows, work, option, value):
    result = run_cli("statements", "--db", ingested[0], option, value, tmp=work)
    assert result.returncode == 0, result.stderr
    filtered = jsonl(result.stdout)
    key = option.lstrip("-")
    assert filtered and all(row[key] == value for row in filtered)
    assert [r["id"] for r in filtered] == [r["id"] for r in rows if r[key] == value]


def test_statements_to_review_lists_the_positions_whose_stance_is_not_sure(ingested, rows, work):
    db = copy_store(ingested[0], work / "review.db")
    held = [r for r in rows if r["party"]]
    result = run_cli("statements", "--db", db, "--to-review", tmp=work)
    assert [r["id"] for r in jsonl(result.stdout)] == [r["id"] for r in held]  # the rules rate no stance
    with connect(db) as conn:
        conn.execute("UPDATE positions SET stance_probability = 0.99 WHERE party = 'union'")
    review = jsonl(run_cli("statements", "--db", db, "--to-review", tmp=work).stdout)
    assert review and [r["id"] for r in review] == [r["id"] for r in held if r["party"] != "union"]
    every = jsonl(run_cli("statements", "--db", db, tmp=work).stdout)
    assert {(r["party"], r["stance_sure"], r["stance_probability"]) for r in every if r["party"] == "union"} == {
        ("union", True, 0.99)}
    stricter = run_cli("statements", "--db", db, "--to-review", "--set", "stance.sure_probability=0.995", tmp=work)
    assert len(jsonl(stricter.stdout)) == len(held)


def test_statements_unknown_party_gives_no_rows(ingested, work):
    result = run_cli("statements", "--db", ingested[0], "--party", "nobody", tmp=work)
    assert result.returncode == 0 and result.stdout == ""


def test_search_jsonl_best_first(ingested, work):
    result = run_cli("search", "the union demanded a percent raise", "--db", ingested[0], "-k", "5",
                     "--format", "jsonl", tmp=work)
    assert result.returncode == 0, result.stderr
    hits = jsonl(result.stdout)
    assert 1 <= len(hits) <= 5
    scores = [hit["score"] for hit in hits]
    assert scores == sorted(scores, reverse=True) and all(-1.0 <= s <= 1.0001 for s in scores)
    for hit in hits:
        assert set(REQUIRED) <= set(hit)
    assert "raise" in hits[0]["sentence"]


def test_search_filters_and_text_format(ingested, work):
    result = run_cli("search", "automated cranes", "--db", ingested[0], "--party", "port", "--format", "jsonl",
                     tmp=work)
    assert result.returncode == 0, result.stderr
    hits = jsonl(result.stdout)
    assert hits and all(hit["party"] == "port" for hit in hits)
    text = run_cli("search", "automated cranes", "--db", ingested[0], "-k", "2", tmp=work)
    assert text.returncode == 0 and "automated cranes" in text.stdout


# ----------------------------------------------------------------------------------------------
# exit codes for usage and config errors; where the store lives
# ----------------------------------------------------------------------------------------------
@pytest.mark.parametrize("args", [
    [],
    ["frobnicate"],
    ["ingest", "somewhere"],  # --negotiation missing
    ["statements", "--format", "xml"],
    ["search", "text", "-k", "many"],
    ["ingest", "x.md", "--negotiation", "n", "--date", "26/03/2024"],
    ["ingest", "x.md", "--negotiation", "n", "--set", "no-equals-sign"],
])
def test_usage_errors_exit_2(args, tmp_path):
    result = run_cli(*args, tmp=tmp_path)
    assert result.returncode == 2, result
    assert "usage:" in result.stderr
    assert not (tmp_path / "xdg").exists()  # nothing was opened


def test_config_error_exits_2_naming_the_file(corpus, tmp_path):
    bad = write_negotiation(tmp_path / "bad", topics="topics:\n  - id: wages\n    name: [unclosed\n")
    result = run_cli("ingest", corpus, "--negotiation", bad, "--db", tmp_path / "s.db", tmp=tmp_path)
    assert result.returncode == 2
    assert str(bad / "topics.yaml") in result.stderr and "YAML error" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "s.db").exists()


def test_unknown_setting_exits_2(corpus, negotiation, tmp_path):
    result = run_cli("ingest", corpus, "--negotiation", negotiation, "--db", tmp_path / "s.db",
                     "--set", "reader.no_such_thing=1", tmp=tmp_path)
    assert result.returncode == 2 and "valid settings" in result.stderr
    result = run_cli("ingest", corpus, "--negotiation", negotiation, "--db", tmp_path / "s.db",
                     "--set", "reader.url_timeout_seconds=soon", tmp=tmp_path)
    assert result.returncode == 2 and "needs a float" in result.stderr


def test_store_that_is_not_a_database_exits_2(tmp_path):
    fake = tmp_path / "notes.db"
    fake.write_text("these are my notes, not a database\n" * 100)
    result = run_cli("statements", "--db", fake, tmp=tmp_path)
    assert result.returncode == 2 and str(fake) in result.stderr
    assert fake.read_text().startswith("these are my notes")


def repo_databases() -> set[Path]:
    return {p for pattern in ("*.db", "*.sqlite", "*.db-wal") for p in REPO.rglob(pattern)
            if ".venv" not in p.parts and ".git" not in p.parts}


def test_default_db_goes_to_xdg_data_home_never_the_repo(negotiation, tmp_path):
    before = repo_databases()
    result = run_cli("ingest", tmp_path / "missing.md", "--negotiation", negotiation, tmp=tmp_path)
    assert result.returncode == 1 and "missing.md: does not exist" in result.stderr
    default = tmp_path / "xdg" / "positions" / "positions.db"
    assert default.exists() and str(default) in result.stderr
    listed = run_cli("statements", tmp=tmp_path)
    assert listed.returncode == 0 and listed.stdout == ""
    assert repo_databases() == before


def test_positions_db_overrides_the_default(tmp_path):
    chosen = tmp_path / "elsewhere" / "mine.db"
    result = run_cli("statements", tmp=tmp_path, env=cli_env(tmp_path, POSITIONS_DB=str(chosen)))
    assert result.returncode == 0, result.stderr
    assert chosen.exists() and not (tmp_path / "xdg").exists()


def test_failure_line_puts_the_label_in_front_once():
    from positions.errors import failure_line

    assert failure_line("a.csv", "no text column") == "a.csv: no text column"
    assert failure_line("a.csv", "a.csv:line 7: invalid JSON") == "a.csv:line 7: invalid JSON"
    assert failure_line("data/x", "data/x/parties.yaml: duplicate id") == "data/x/parties.yaml: duplicate id"
    assert failure_line("a.csv", "a.csvx: odd") == "a.csv: a.csvx: odd"


def test_boolean_settings_read_true_and_false():
    from positions.cli import _settings, build_parser
    from positions.errors import ConfigError

    def parsed(value):
        args = build_parser().parse_args(["ingest", "x.md", "--negotiation", "n", "--set", value])
        return _settings(args).topics.second_topic_needs_keyword

    assert parsed("topics.second_topic_needs_keyword=false") is False
    assert parsed("topics.second_topic_needs_keyword=Yes") is True
    with pytest.raises(ConfigError, match="needs a bool"):
        parsed("topics.second_topic_needs_keyword=maybe")
