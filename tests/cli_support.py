"""Helpers for the end-to-end CLI tests (test_cli, test_reliability, test_crash): run `python -m positions` in a
subprocess with the fake embedder, write a small negotiation and corpus, and look into a store with plain sqlite3."""
from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
NEGOTIATION = "harbour-talks"

PARTIES_YAML = """\
parties:
  - id: union
    name: Dockworkers Union
    aliases: [Dockworkers Union, the union, Maria Lopez, Lopez]
  - id: port
    name: Port Authority
    aliases: [Port Authority, port managers, Tom Baker, Baker]
  - id: mediator
    name: State Mediator
    role: mediator
    aliases: [State Mediator, mediator Ann Cho]
"""
TOPICS_YAML = """\
topics:
  - id: wages
    name: Wages
    description: Pay rises for dockworkers over the contract.
    keywords: [wage, wages, pay, raise, percent]
    examples: ["The union demanded a 20 percent raise."]
  - id: automation
    name: Automation
    description: Automated cranes and job protection.
    keywords: [automation, automated cranes, robots]
"""


def cli_env(tmp: Path, **extra: str) -> dict[str, str]:
    """The environment of a CLI run: fake embedder, offline, data directory in tmp, no POSITIONS_DB."""
    env = {k: v for k, v in os.environ.items() if k != "POSITIONS_DB"}
    env.update(POSITIONS_FAKE_EMBEDDER="1", HF_HUB_OFFLINE="1", TOKENIZERS_PARALLELISM="false",
               XDG_DATA_HOME=str(tmp / "xdg"), PYTHONPATH=str(REPO))
    env.update(extra)
    return env


def run_cli(*args: str | Path, tmp: Path, timeout: float = 180, env: dict | None = None
            ) -> subprocess.CompletedProcess:
    """`python -m positions ARGS` from the repository root; stdout and stderr captured as text."""
    return subprocess.run([sys.executable, "-m", "positions", *map(str, args)], cwd=REPO, env=env or cli_env(tmp),
                          capture_output=True, text=True, timeout=timeout)


def start_cli(*args: str | Path, tmp: Path, env: dict | None = None) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "positions", *map(str, args)], cwd=REPO, env=env or cli_env(tmp),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def jsonl(stdout: str) -> list[dict]:
    return [json.loads(line) for line in stdout.splitlines() if line.strip()]


def write_negotiation(folder: Path, parties: str = PARTIES_YAML, topics: str = TOPICS_YAML) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "parties.yaml").write_text(parties, encoding="utf-8")
    (folder / "topics.yaml").write_text(topics, encoding="utf-8")
    return folder


def article(number: int, day: int = 1, month: int = 3) -> str:
    """A short news-style Markdown article with front matter; the number makes its text unique."""
    percent = 10 + number % 15
    return (
        f"---\ntitle: Harbour talks, round {number}\ndate: 2024-{month:02d}-{day:02d}\nsource: Harbour Wire\n---\n"
        f"# Dock strike talks enter round {number}\n\n"
        f"The Dockworkers Union demanded a {percent} percent raise over three years on Monday, "
        f"Maria Lopez told reporters in Harbour City.\n\n"
        f"The Port Authority rejected the demand and offered {number % 5 + 2} percent, Tom Baker said. "
        f"He said automated cranes would be installed at berth {number}.\n\n"
        f"State Mediator Ann Cho proposed a six-week cooling-off period. The talks resume on Friday.\n"
    )


def write_corpus(folder: Path, count: int, first: int = 0) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for number in range(first, first + count):
        path = folder / f"round-{number:03d}.md"
        path.write_text(article(number, day=1 + number % 28, month=1 + number // 28 % 12), encoding="utf-8")
        paths.append(path)
    return paths


# ----------------------------------------------------------------------------------------------
# Looking into a store without the package
# ----------------------------------------------------------------------------------------------
def connect(db: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(db, timeout=60)
    conn.execute("PRAGMA busy_timeout = 60000")
    return conn


def count_rows(db: Path) -> dict[str, int]:
    with connect(db) as conn:
        return {table: conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]
                for table in ("documents", "sentences", "positions", "embeddings", "corrections")}


def snapshot(db: Path) -> dict[str, str]:
    """doc_hash -> digest of the document row and all its sentences, positions and embeddings."""
    out = {}
    with connect(db) as conn:
        for doc_id, doc_hash, title, published, origin, text in conn.execute(
                "SELECT id, doc_hash, title, published, origin, text FROM documents"):
            digest = hashlib.sha256(repr((title, published, origin, text)).encode())
            for row in conn.execute(
                    "SELECT s.idx, s.start, s.end, s.text, e.vector FROM sentences s"
                    " LEFT JOIN embeddings e ON e.sentence_id = s.id WHERE s.document_id = ? ORDER BY s.idx",
                    (doc_id,)):
                digest.update(repr(row).encode())
            for row in conn.execute(
                    "SELECT s.idx, p.party, p.topic, p.stance, p.numbers, p.date FROM positions p"
                    " JOIN sentences s ON s.id = p.sentence_id WHERE s.document_id = ? ORDER BY s.idx, p.id",
                    (doc_id,)):
                digest.update(repr(row).encode())
            out[doc_hash] = digest.hexdigest()
    return out


def origins(db: Path) -> set[str]:
    with connect(db) as conn:
        return {r[0] for r in conn.execute("SELECT origin FROM documents")}


SCHEMA_TABLES = {"negotiations", "documents", "sentences", "positions", "embeddings", "corrections", "meta"}


@dataclass
class WholeCheck:
    documents: int
    problems: list[str]


def check_whole_documents(db: Path) -> WholeCheck:
    """The store passes PRAGMA integrity_check and holds only whole documents: each has exactly the sentences its
    text splits into, each sentence its embedding and at least one position row; no orphan rows."""
    from positions.config import SentenceSettings
    from positions.sentences import split_sentences

    problems: list[str] = []
    if not db.exists():  # killed before the store was created
        return WholeCheck(0, problems)
    with connect(db) as conn:
        integrity = conn.execute("PRAGMA integrity_check").fetchall()
        if integrity != [("ok",)]:
            problems.append(f"integrity_check: {integrity}")
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        if not tables:  # killed before the schema was created (its migration is one transaction)
            return WholeCheck(0, problems)
        if not SCHEMA_TABLES <= tables:
            return WholeCheck(0, problems + [f"partial schema: {sorted(tables)}"])
        if conn.execute("PRAGMA foreign_key_check").fetchall():
            problems.append("foreign_key_check failed")
        orphans = {
            "sentences without document": "SELECT COUNT(*) FROM sentences s LEFT JOIN documents d"
                                          " ON d.id = s.document_id WHERE d.id IS NULL",
            "positions without sentence": "SELECT COUNT(*) FROM positions p LEFT JOIN sentences s"
                                          " ON s.id = p.sentence_id WHERE s.id IS NULL",
            "embeddings without sentence": "SELECT COUNT(*) FROM embeddings e LEFT JOIN sentences s"
                                           " ON s.id = e.sentence_id WHERE s.id IS NULL",
            "sentences without embedding": "SELECT COUNT(*) FROM sentences s LEFT JOIN embeddings e"
                                           " ON e.sentence_id = s.id WHERE e.sentence_id IS NULL",
            "sentences without position row": "SELECT COUNT(*) FROM sentences s WHERE NOT EXISTS"
                                              " (SELECT 1 FROM positions p WHERE p.sentence_id = s.id)",
            "duplicate documents": "SELECT COUNT(*) - COUNT(DISTINCT negotiation_id || ':' || doc_hash) FROM documents",
        }
        for name, sql in orphans.items():
            number = conn.execute(sql).fetchone()[0]
            if number:
                problems.append(f"{number} {name}")
        documents = conn.execute("SELECT id, origin, text FROM documents").fetchall()
        for doc_id, origin, text in documents:
            stored = conn.execute("SELECT idx, start, end, text FROM sentences WHERE document_id = ? ORDER BY idx",
                                  (doc_id,)).fetchall()
            expected = [(s.index, s.start, s.end, s.text) for s in split_sentences(text, SentenceSettings())]
            if stored != expected:
                problems.append(f"{origin}: {len(stored)} sentences stored, {len(expected)} expected")
    return WholeCheck(len(documents), problems)
