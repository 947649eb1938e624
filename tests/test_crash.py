"""Crashes and concurrent use: SIGKILL during ingest and re-analysis, two ingests at once, a reader while an ingest
writes, and analysts' corrections through all of it. Bounded in time: a few CLI runs with the fake embedder.

A failing kill test prints its random seed; POSITIONS_CRASH_SEED=N replays the same kill moments.
"""
from __future__ import annotations

import os
import random
import signal
import sqlite3
import threading
import time
from pathlib import Path

import pytest

from cli_support import (NEGOTIATION, PARTIES_YAML, TOPICS_YAML, check_whole_documents, connect, count_rows, jsonl,
                         run_cli, start_cli, write_corpus, write_negotiation)
from positions.store import Store

SMALL_BATCHES = ("--set", "pipeline.documents_per_batch=2")


@pytest.fixture
def seed() -> int:
    value = int(os.environ.get("POSITIONS_CRASH_SEED") or time.time_ns() % 1_000_000)
    print(f"POSITIONS_CRASH_SEED={value}")
    return value


def documents_stored(db: Path) -> int:
    """Documents committed so far (0 while the store or its schema does not exist yet)."""
    if not db.exists():
        return 0
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5) as conn:
            return conn.execute("SELECT COUNT(*) FROM documents").fetchone()[0]
    except sqlite3.OperationalError:  # no schema yet
        return 0


def max_sentence_id(db: Path) -> int:
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5) as conn:
        return conn.execute("SELECT COALESCE(MAX(id), 0) FROM sentences").fetchone()[0]


def wait_until(condition, process, limit: float = 90) -> bool:
    """Poll until condition() holds; False if the process ended first."""
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if condition():
            return True
        if process.poll() is not None:
            return condition()
        time.sleep(0.02)
    raise AssertionError("no progress within the time limit")


def kill(process) -> int:
    if process.poll() is None:
        os.kill(process.pid, signal.SIGKILL)
    process.communicate(timeout=30)
    return process.returncode


def assert_whole(db: Path, documents: int | None = None) -> None:
    check = check_whole_documents(db)
    assert check.problems == []
    if documents is not None:
        assert check.documents == documents


def corrected_rows(db: Path) -> dict[tuple, dict]:
    store = Store(db).init()
    try:
        frame = store.statements()
    finally:
        store.close()
    return {(r["doc_origin"], r["start"], r["original_topic"]): r for r in frame.to_dict("records") if r["corrected"]}


def add_corrections(db: Path) -> dict[tuple, tuple[str, str | None]]:
    """Correct the stance of one position row, the party of another and the topic of a sentence with no position;
    returns {(origin, start, original topic): (field, value)}."""
    store = Store(db).init()
    try:
        frame = store.statements()
        held = frame[frame["party"].notna() & frame["topic"].notna()]
        empty = frame[frame["party"].isna()]
        picks = [(held.iloc[0], "stance", "accept" if held.iloc[0]["stance"] != "accept" else "reject"),
                 (held.iloc[-1], "party", "mediator" if held.iloc[-1]["party"] != "mediator" else "union"),
                 (empty.iloc[len(empty) // 2], "topic", "automation")]
        expected = {}
        for row, field, value in picks:
            store.add_correction(int(row["id"]), field, value, note="checked by hand")
            expected[(row["doc_origin"], int(row["start"]), row["original_topic"])] = (field, value)
        return expected
    finally:
        store.close()


def assert_corrections_applied(db: Path, expected: dict[tuple, tuple[str, str | None]]) -> None:
    rows = corrected_rows(db)
    for key, (field, value) in expected.items():
        assert key in rows, (key, sorted(rows))
        assert rows[key][field] == value


def corrections_table(db: Path) -> list[tuple]:
    with connect(db) as conn:
        return conn.execute("SELECT * FROM corrections ORDER BY id").fetchall()


def killed_once_it_writes(db, args, tmp_path, rng, while_running=None) -> int:
    """The CLI run `args` (a re-analysis), SIGKILLed once it has written some sentences; its exit code."""
    sentences_before = max_sentence_id(db)
    process = start_cli(*args, tmp=tmp_path)
    try:
        if wait_until(lambda: max_sentence_id(db) > sentences_before, process):
            time.sleep(rng.uniform(0.0, 0.3))
            if while_running:
                while_running()
    finally:
        code = kill(process)
    return code


# ----------------------------------------------------------------------------------------------
# SIGKILL during ingest
# ----------------------------------------------------------------------------------------------
def test_sigkill_during_ingest_leaves_only_whole_documents(tmp_path, seed, request):
    """Three SIGKILLs and one Ctrl-C at random moments of a 120-document ingest, then a run that completes it."""
    rng = random.Random(seed)
    total = 120  # enough that no round finishes the ingest before it is killed
    negotiation = write_negotiation(tmp_path / NEGOTIATION)
    write_corpus(tmp_path / "corpus", total)
    db = tmp_path / "store.db"
    args = ("ingest", tmp_path / "corpus", "--negotiation", negotiation, "--db", db, *SMALL_BATCHES)
    started = time.monotonic()
    codes, stored, corrections = [], [], None
    for round_number in range(4):
        before = documents_stored(db)
        process = start_cli(*args, tmp=tmp_path)
        request.addfinalizer(lambda process=process: process.poll() is None and kill(process))
        if round_number == 0:
            # anywhere up to the first commit: while Python starts, the schema is created, the models load or the
            # first batch is written (on a fast machine a blind sleep could outlast the whole ingest)
            deadline = time.monotonic() + rng.uniform(0.1, 2.5)
            while time.monotonic() < deadline and documents_stored(db) == 0 and process.poll() is None:
                time.sleep(0.01)
        elif wait_until(lambda: documents_stored(db) > before, process):
            time.sleep(rng.uniform(0.0, 0.25))  # somewhere in the writing phase
        if round_number == 2:  # Ctrl-C instead: the transaction rolls back, one line, exit 130
            process.send_signal(signal.SIGINT)
            _, err = process.communicate(timeout=60)
            assert process.returncode in (130, 0), err
            assert "Traceback" not in err and (process.returncode == 0 or err.splitlines()[-1] == "interrupted"), err
            codes.append(process.returncode)
        else:
            codes.append(kill(process))
        stored.append(documents_stored(db))
        assert_whole(db)
        if corrections is None and stored[-1]:
            corrections = add_corrections(db)
        if corrections:
            assert_corrections_applied(db, corrections)
    print(f"exit codes {codes}, documents stored after each kill {stored}")
    # killed or interrupted while running, not after the end
    assert codes.count(-signal.SIGKILL) + codes.count(130) >= 3, (codes, stored)
    assert stored == sorted(stored), stored

    result = run_cli(*args, tmp=tmp_path)
    assert result.returncode == 0, result.stderr
    assert f"added {total - stored[-1]} documents" in result.stderr and f"{stored[-1]} already stored" in result.stderr
    assert_whole(db, documents=total)
    assert_corrections_applied(db, corrections)
    assert time.monotonic() - started < 120


# ----------------------------------------------------------------------------------------------
# concurrent use
# ----------------------------------------------------------------------------------------------
def test_two_overlapping_ingests_and_a_reader_at_once(tmp_path):
    """Two ingests of overlapping folders store each document once; a reader that was open before (a dashboard
    left running) sees no lock errors, never sees documents disappear, and sees the new data afterwards."""
    negotiation = write_negotiation(tmp_path / NEGOTIATION)
    first = write_corpus(tmp_path / "first", 40)  # 0..39
    second = write_corpus(tmp_path / "second", 40, first=20)  # 20..59: 20..39 in both
    db = tmp_path / "store.db"
    reader = Store(db).init()
    seen, errors, done = [], [], threading.Event()

    def read_loop() -> None:
        while not done.is_set():
            try:
                frame = reader.statements()
                reader.embeddings()
                seen.append(frame["document_id"].nunique() if len(frame) else 0)
            except Exception as exc:  # noqa: BLE001 (any error fails the test)
                errors.append(repr(exc))
            time.sleep(0.02)

    thread = threading.Thread(target=read_loop, daemon=True)
    thread.start()
    runs = [start_cli("ingest", folder, "--negotiation", negotiation, "--db", db, *SMALL_BATCHES, tmp=tmp_path)
            for folder in (tmp_path / "first", tmp_path / "second")]
    try:
        outputs = [run.communicate(timeout=180) for run in runs]
    finally:
        done.set()
        thread.join(timeout=30)
        for run in runs:
            if run.poll() is None:
                kill(run)
    for run, (_, err) in zip(runs, outputs):
        assert run.returncode == 0, err
        assert "locked" not in err.lower() and "Traceback" not in err
    added = [int(err.split("added ")[1].split()[0]) for _, err in outputs]
    assert sum(added) == 60, outputs
    assert_whole(db, documents=60)
    with connect(db) as conn:
        origins = [Path(r[0]).name for r in conn.execute("SELECT origin FROM documents")]
    assert sorted(origins) == sorted({p.name for p in first + second})

    assert errors == []
    assert seen == sorted(seen), "the reader saw documents disappear"
    assert len(set(seen)) >= 2, seen  # it read while documents were being added
    assert reader.statements()["document_id"].nunique() == 60  # the same connection sees the new data
    reader.close()


# ----------------------------------------------------------------------------------------------
# corrections survive re-ingest, re-analysis with a changed config, and a crash during re-analysis
# ----------------------------------------------------------------------------------------------
def test_corrections_survive_reingest_reanalysis_and_a_crash(tmp_path, seed):
    rng = random.Random(seed)
    negotiation = write_negotiation(tmp_path / "v1" / NEGOTIATION)
    write_corpus(tmp_path / "corpus", 24)
    db = tmp_path / "store.db"
    ingest = ("ingest", tmp_path / "corpus", "--negotiation", negotiation, "--db", db)
    assert run_cli(*ingest, tmp=tmp_path).returncode == 0
    expected = add_corrections(db)
    table = corrections_table(db)
    assert len(table) == 3
    assert_corrections_applied(db, expected)

    again = run_cli(*ingest, tmp=tmp_path)
    assert again.returncode == 0 and "added 0 documents" in again.stderr
    assert_corrections_applied(db, expected)

    # the config changes: a new alias and a new topic (same negotiation name, another folder)
    changed = write_negotiation(
        tmp_path / "v2" / NEGOTIATION,
        parties=PARTIES_YAML.replace("aliases: [Dockworkers Union,", "aliases: [dockers, Dockworkers Union,"),
        topics=TOPICS_YAML + "  - id: pensions\n    name: Pensions\n    description: Retirement pay of dockworkers.\n"
                             "    keywords: [pension, pensions, retirement]\n")
    # re-analysis with the changed config, killed in the middle: each document keeps its old or its new analysis
    args = ("reanalyse", "--negotiation", changed, "--db", db, "--set", "pipeline.documents_per_batch=1")
    code = killed_once_it_writes(db, args, tmp_path, rng)
    print(f"reanalyse exit code after the kill: {code}")
    assert_whole(db, documents=24)
    assert corrections_table(db) == table
    assert_corrections_applied(db, expected)

    # the re-run completes the re-analysis
    sentences_before = max_sentence_id(db)
    result = run_cli(*args, tmp=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "re-analysed 24 documents" in result.stderr
    assert max_sentence_id(db) > sentences_before
    store = Store(db).init()
    assert [t.id for t in store.negotiation(NEGOTIATION).topics] == ["wages", "automation", "pensions"]
    store.close()
    assert_whole(db, documents=24)
    assert corrections_table(db) == table
    assert_corrections_applied(db, expected)
    rows = jsonl(run_cli("statements", "--db", db, tmp=tmp_path).stdout)
    assert sum(row["corrected"] for row in rows) >= 3
    assert code in (-signal.SIGKILL, 0)
    assert count_rows(db)["documents"] == 24


# ----------------------------------------------------------------------------------------------
# the dashboard itself (AppTest) while an ingest writes, and a correction made in it
# ----------------------------------------------------------------------------------------------
APP = str(Path(__file__).resolve().parents[1] / "app.py")


def dashboard_run(at) -> dict[str, str]:
    """One rerun of the open page (a browser refresh): no exception or error box reaches the user; its metrics."""
    at.run()
    problems = [e.value for e in at.exception] + [e.value for e in at.error]
    assert problems == [], problems  # 'database is locked' included
    return {m.label: m.value for m in at.metric}


def test_dashboard_reads_while_an_ingest_writes_and_keeps_its_corrections(tmp_path, monkeypatch, seed):
    """The overview refreshed while `positions ingest` writes: never an error, documents only ever added, all of
    them on the refresh after the end. Then a correction saved in the Statements page survives a re-ingest and a
    re-analysis with a changed config that is killed half-way and re-run."""
    from streamlit.testing.v1 import AppTest

    from positions.ui import resources

    rng = random.Random(seed)
    db = tmp_path / "store.db"
    monkeypatch.setenv("POSITIONS_DB", str(db))
    monkeypatch.setenv("POSITIONS_FAKE_EMBEDDER", "1")
    monkeypatch.setattr(resources, "DATA_DIR", tmp_path / "no-samples")  # no first-run build of the samples
    negotiation = write_negotiation(tmp_path / NEGOTIATION)
    write_corpus(tmp_path / "corpus", 60)
    ingest = ("ingest", tmp_path / "corpus", "--negotiation", negotiation, "--db", db)
    at = AppTest.from_file(APP, default_timeout=120)
    assert dashboard_run(at) == {} and any("No articles yet" in i.value for i in at.info)  # open before the ingest
    process = start_cli(*ingest, "--set", "pipeline.documents_per_batch=1", tmp=tmp_path)
    try:
        seen = []
        while process.poll() is None:
            seen.append(int(dashboard_run(at).get("Documents", "0").replace(",", "")))
        _, err = process.communicate(timeout=60)
    finally:
        kill(process)
    assert process.returncode == 0, err
    print(f"documents seen by the dashboard during the ingest: {seen}")
    assert seen == sorted(seen), "the dashboard saw documents disappear"
    assert any(0 < n < 60 for n in seen), seen  # it read while documents were being added
    assert dashboard_run(at)["Documents"] == "60"  # the new data on refresh

    # a correction made in the dashboard
    at.switch_page("positions/ui/pages/statements.py").run()
    editor = at.data_editor[0]
    first = editor.value.iloc[0]
    new_stance = "reject" if first["stance"] != "reject" else "accept"
    at.session_state[editor.key] = {"edited_rows": {0: {"stance": new_stance}}, "added_rows": [], "deleted_rows": []}
    at.run()
    at.button(key="save_corrections").click().run()
    assert not at.exception
    at.toggle(key="corrected_only").set_value(True)

    def corrected() -> list[tuple[str, str]]:
        dashboard_run(at)
        rows = at.data_editor[0].value
        return list(zip(rows["sentence"], rows["stance"]))

    assert corrected() == [(first["sentence"], new_stance)]

    again = run_cli(*ingest, tmp=tmp_path)
    assert again.returncode == 0 and "added 0 documents" in again.stderr
    assert corrected() == [(first["sentence"], new_stance)]

    changed = write_negotiation(
        tmp_path / "v2" / NEGOTIATION, parties=PARTIES_YAML.replace("aliases: [Port Authority,", "aliases: [harbour,"),
        topics=TOPICS_YAML + "  - id: safety\n    name: Safety\n    description: Safety of dock work.\n"
                             "    keywords: [safety, accidents]\n")
    reanalyse = ("reanalyse", "--negotiation", changed, "--db", db, "--set", "pipeline.documents_per_batch=1")
    killed_once_it_writes(db, reanalyse, tmp_path, rng, while_running=corrected)  # the dashboard reads meanwhile
    assert_whole(db, documents=60)
    assert corrected() == [(first["sentence"], new_stance)]
    result = run_cli(*reanalyse, tmp=tmp_path)
    assert result.returncode == 0 and "re-analysed 60 documents" in result.stderr, result.stderr
    assert corrected() == [(first["sentence"], new_stance)]
    at.switch_page("positions/ui/pages/overview.py")
    assert dashboard_run(at)["Analyst corrections"] == "1"
    assert at.multiselect(key="topic").options == ["Wages", "Automation", "Safety"]  # the changed config is shown
