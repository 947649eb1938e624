"""SQLite store: numbered migrations, one transaction per document, queries -> DataFrames.

The only module that knows SQL. A server database can replace it behind the same methods.
"""
from __future__ import annotations

import datetime as dt
import json
import sqlite3
import threading
from contextlib import contextmanager
from pathlib import Path
from typing import Iterable, Iterator

import numpy as np
import pandas as pd

from .config import Negotiation
from .errors import StoreError
from .models import AnalysedDocument, Position

MIGRATIONS: tuple[str, ...] = (
    # 1: documents, sentences, positions, embeddings, corrections
    """
    CREATE TABLE negotiations (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL UNIQUE,
        config_json TEXT NOT NULL,
        updated_at TEXT NOT NULL
    );
    CREATE TABLE documents (
        id INTEGER PRIMARY KEY,
        negotiation_id INTEGER NOT NULL REFERENCES negotiations(id),
        doc_hash TEXT NOT NULL,
        title TEXT, source TEXT, published TEXT, origin TEXT,
        text TEXT NOT NULL,
        warnings TEXT NOT NULL DEFAULT '[]',
        ingested_at TEXT NOT NULL,
        UNIQUE (negotiation_id, doc_hash)
    );
    CREATE TABLE sentences (
        id INTEGER PRIMARY KEY,
        document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
        idx INTEGER NOT NULL, paragraph INTEGER NOT NULL,
        start INTEGER NOT NULL, end INTEGER NOT NULL,
        text TEXT NOT NULL, is_headline INTEGER NOT NULL DEFAULT 0
    );
    CREATE INDEX sentences_document ON sentences(document_id);
    CREATE TABLE positions (
        id INTEGER PRIMARY KEY,
        sentence_id INTEGER NOT NULL REFERENCES sentences(id) ON DELETE CASCADE,
        party TEXT, topic TEXT, stance TEXT,
        numbers TEXT NOT NULL DEFAULT '[]',
        date TEXT, date_precision TEXT,
        attribution TEXT, speaker TEXT, relayed_by TEXT,
        confidence REAL NOT NULL DEFAULT 0, topic_score REAL NOT NULL DEFAULT 0
    );
    CREATE INDEX positions_sentence ON positions(sentence_id);
    CREATE TABLE embeddings (
        sentence_id INTEGER PRIMARY KEY REFERENCES sentences(id) ON DELETE CASCADE,
        vector BLOB NOT NULL
    );
    CREATE TABLE corrections (
        id INTEGER PRIMARY KEY,
        negotiation TEXT NOT NULL,
        doc_hash TEXT NOT NULL,
        sentence_start INTEGER NOT NULL,
        original_topic TEXT NOT NULL DEFAULT '',
        field TEXT NOT NULL,
        value TEXT,
        note TEXT NOT NULL DEFAULT '',
        created_at TEXT NOT NULL
    );
    CREATE INDEX corrections_key ON corrections(negotiation, doc_hash, sentence_start);
    CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    INSERT INTO meta VALUES ('revision', '0');
    """,
    # 2: how sure each row's stance is (NULL in rows analysed before; `reanalyse` fills them)
    """
    ALTER TABLE positions ADD COLUMN stance_probability REAL;
    """,
)

CORRECTABLE_FIELDS = ("party", "topic", "stance")

_STATEMENTS_SQL = """
SELECT p.id AS id, s.id AS sentence_id, s.text AS sentence, p.party, p.topic, p.stance, p.numbers,
       p.date, p.date_precision, p.attribution, p.speaker, p.relayed_by, p.confidence, p.topic_score,
       p.stance_probability, d.published, d.title AS doc_title, d.source AS doc_source, d.origin AS doc_origin,
       d.doc_hash, d.id AS document_id, s.start, s.end, s.idx AS sentence_index, s.paragraph, n.name AS negotiation
FROM positions p
JOIN sentences s ON s.id = p.sentence_id
JOIN documents d ON d.id = s.document_id
JOIN negotiations n ON n.id = d.negotiation_id
"""


def _now() -> str:
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")


class Store:
    """A positions database file. Call init() once to create or migrate the schema."""

    def __init__(self, path: str | Path):
        self.path = str(path)
        self._lock = threading.RLock()
        self._conn: sqlite3.Connection | None = None

    # -- connection and schema ------------------------------------------------------------
    def init(self) -> "Store":
        if self.path != ":memory:":
            Path(self.path).parent.mkdir(parents=True, exist_ok=True)
        try:
            conn = sqlite3.connect(self.path, timeout=60, check_same_thread=False, isolation_level=None)
            conn.execute("PRAGMA busy_timeout = 60000")
            if self.path != ":memory:":
                conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA synchronous = NORMAL")
            conn.execute("PRAGMA foreign_keys = ON")
            self._conn = conn
            self._migrate()
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"{self.path}: cannot open the store ({exc})") from exc
        return self

    @property
    def conn(self) -> sqlite3.Connection:
        if self._conn is None:
            raise StoreError("store not initialised: call Store(path).init() first")
        return self._conn

    def _migrate(self) -> None:
        with self.transaction() as conn:
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            for number, script in enumerate(MIGRATIONS[version:], start=version + 1):
                for statement in script.split(";"):
                    if statement.strip():
                        conn.execute(statement)
                conn.execute(f"PRAGMA user_version = {int(number)}")

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """BEGIN IMMEDIATE ... COMMIT: all or nothing, one writer at a time."""
        with self._lock:
            conn = self.conn
            conn.execute("BEGIN IMMEDIATE")
            try:
                yield conn
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            conn.execute("COMMIT")

    def _query(self, sql: str, params: Iterable = ()) -> list[tuple]:
        with self._lock:
            return self.conn.execute(sql, tuple(params)).fetchall()

    def _frame(self, sql: str, params: Iterable = ()) -> pd.DataFrame:
        with self._lock:
            return pd.read_sql_query(sql, self.conn, params=tuple(params))

    def _frame_chunked(self, sql: str, params: Iterable = (), chunk: int = 50_000, convert=None) -> pd.DataFrame:
        """pd.read_sql_query's frame, read `chunk` rows at a time: a large result is never held as Python tuples
        all at once (at 1M statements those peak at ~3x the frame itself). `convert(frame)` runs on each chunk."""
        with self._lock:
            cursor = self.conn.execute(sql, tuple(params))
            columns = [d[0] for d in cursor.description]
            parts = []
            while True:
                rows = cursor.fetchmany(chunk)
                if not rows:
                    break
                part = pd.DataFrame.from_records(rows, columns=columns, coerce_float=True)
                del rows
                parts.append(convert(part) if convert else part)
        if not parts:
            frame = pd.DataFrame.from_records([], columns=columns, coerce_float=True)
            return convert(frame) if convert else frame
        if len(parts) > 1:  # a chunk's all-NULL column is inferred as object: give it the others' dtype
            for name in columns:
                dtypes = {str(p[name].dtype) for p in parts}
                if len(dtypes) > 1:
                    typed = next((p[name].dtype for p in parts if not p[name].isna().all()), None)
                    for p in parts:
                        if typed is not None and p[name].isna().all() and p[name].dtype != typed:
                            p[name] = p[name].astype(typed)
        return pd.concat(parts, ignore_index=True) if len(parts) > 1 else parts[0]

    def _bump_revision(self, conn: sqlite3.Connection) -> None:
        conn.execute("UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'revision'")

    def revision(self) -> int:
        """Changes whenever data or corrections change: a cache key for the dashboard."""
        return int(self._query("SELECT value FROM meta WHERE key = 'revision'")[0][0])

    # -- negotiations ---------------------------------------------------------------------
    def save_negotiation(self, negotiation: Negotiation) -> int:
        payload = json.dumps(negotiation.to_dict(), ensure_ascii=False)
        with self.transaction() as conn:
            conn.execute(
                "INSERT INTO negotiations (name, config_json, updated_at) VALUES (?, ?, ?) "
                "ON CONFLICT(name) DO UPDATE SET config_json = excluded.config_json, updated_at = excluded.updated_at",
                (negotiation.name, payload, _now()),
            )
            self._bump_revision(conn)
            return conn.execute("SELECT id FROM negotiations WHERE name = ?", (negotiation.name,)).fetchone()[0]

    def negotiation_names(self) -> list[str]:
        return [r[0] for r in self._query("SELECT name FROM negotiations ORDER BY name")]

    def negotiation(self, name: str) -> Negotiation:
        rows = self._query("SELECT config_json FROM negotiations WHERE name = ?", (name,))
        if not rows:
            raise StoreError(f"no negotiation {name!r} in {self.path}; stored: {', '.join(self.negotiation_names()) or 'none'}")
        return Negotiation.from_dict(json.loads(rows[0][0]))

    def _negotiation_id(self, conn: sqlite3.Connection, name: str) -> int:
        row = conn.execute("SELECT id FROM negotiations WHERE name = ?", (name,)).fetchone()
        if row is None:
            raise StoreError(f"negotiation {name!r} not saved; call save_negotiation first")
        return row[0]

    # -- documents ------------------------------------------------------------------------
    def known_hashes(self, negotiation: str) -> set[str]:
        rows = self._query(
            "SELECT d.doc_hash FROM documents d JOIN negotiations n ON n.id = d.negotiation_id WHERE n.name = ?",
            (negotiation,),
        )
        return {r[0] for r in rows}

    def add_document(self, negotiation: str, analysed: AnalysedDocument) -> int | None:
        """Store a document with its sentences, positions and embeddings in one transaction.

        Returns the document id, or None when the same text is already stored for this negotiation.
        """
        doc = analysed.document
        with self.transaction() as conn:
            neg_id = self._negotiation_id(conn, negotiation)
            cursor = conn.execute(
                "INSERT OR IGNORE INTO documents (negotiation_id, doc_hash, title, source, published, origin, text,"
                " warnings, ingested_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (neg_id, doc.doc_id, doc.title, doc.source, doc.published.isoformat() if doc.published else None,
                 doc.origin, doc.text, json.dumps(list(doc.warnings)), _now()),
            )
            if cursor.rowcount == 0:
                return None
            document_id = cursor.lastrowid
            self._write_analysis(conn, document_id, analysed)
            self._bump_revision(conn)
            return document_id

    def replace_analysis(self, document_id: int, analysed: AnalysedDocument) -> None:
        """Re-analysis: replace a document's sentences, positions and embeddings (corrections are kept)."""
        with self.transaction() as conn:
            conn.execute("DELETE FROM sentences WHERE document_id = ?", (document_id,))
            self._write_analysis(conn, document_id, analysed)
            self._bump_revision(conn)

    def _write_analysis(self, conn: sqlite3.Connection, document_id: int, analysed: AnalysedDocument) -> None:
        vectors = analysed.embeddings
        sentence_ids: list[int] = []
        for sentence in analysed.sentences:
            cur = conn.execute(
                "INSERT INTO sentences (document_id, idx, paragraph, start, end, text, is_headline)"
                " VALUES (?, ?, ?, ?, ?, ?, ?)",
                (document_id, sentence.index, sentence.paragraph, sentence.start, sentence.end, sentence.text,
                 int(sentence.is_headline)),
            )
            sentence_ids.append(cur.lastrowid)
        if vectors is not None and len(sentence_ids):
            matrix = np.asarray(vectors, dtype=np.float32)
            conn.executemany(
                "INSERT INTO embeddings (sentence_id, vector) VALUES (?, ?)",
                [(sid, matrix[i].tobytes()) for i, sid in enumerate(sentence_ids)],
            )
        conn.executemany(
            "INSERT INTO positions (sentence_id, party, topic, stance, numbers, date, date_precision, attribution,"
            " speaker, relayed_by, confidence, topic_score, stance_probability)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [_position_row(sentence_ids[p.sentence_index], p) for p in analysed.positions],
        )

    def documents(self, negotiation: str | None = None) -> pd.DataFrame:
        sql = ("SELECT d.id, d.doc_hash, d.title, d.source, d.published, d.origin, d.ingested_at, d.warnings,"
               " n.name AS negotiation, (SELECT COUNT(*) FROM sentences s WHERE s.document_id = d.id) AS sentences"
               " FROM documents d JOIN negotiations n ON n.id = d.negotiation_id")
        params: tuple = ()
        if negotiation:
            sql += " WHERE n.name = ?"
            params = (negotiation,)
        return self._frame(sql + " ORDER BY d.published, d.id", params)

    def document_text(self, document_id: int) -> str:
        rows = self._query("SELECT text FROM documents WHERE id = ?", (document_id,))
        if not rows:
            raise StoreError(f"no document with id {document_id}")
        return rows[0][0]

    def iter_stored_documents(self, negotiation: str) -> Iterator[tuple[int, dict]]:
        rows = self._query(
            "SELECT d.id, d.text, d.title, d.source, d.published, d.origin FROM documents d"
            " JOIN negotiations n ON n.id = d.negotiation_id WHERE n.name = ? ORDER BY d.id", (negotiation,))
        for row in rows:
            yield row[0], {"text": row[1], "title": row[2], "source": row[3],
                           "published": dt.date.fromisoformat(row[4]) if row[4] else None, "origin": row[5]}

    # -- statements -----------------------------------------------------------------------
    def statements(self, negotiation: str | None = None, party: str | None = None, topic: str | None = None,
                   positions_only: bool = False, apply_corrections: bool = True) -> pd.DataFrame:
        """Every position row (one per sentence and topic), corrections applied, oldest first (by stated date,
        else publication date; then by id)."""
        where, params = [], []
        if negotiation:
            where.append("n.name = ?")
            params.append(negotiation)
        sql = _STATEMENTS_SQL + (" WHERE " + " AND ".join(where) if where else "")
        # oldest first by the analysis' `when` (stated date, else publication date), ties in id order: the
        # dashboard's chronological views then find the rows already in order (no sort, no copy)
        frame = self._frame_chunked(sql + " ORDER BY COALESCE(p.date, d.published), p.id", params,
                                    convert=_decode_numbers)
        frame["original_topic"] = frame["topic"].fillna("")
        frame["corrected"] = False
        if apply_corrections and len(frame):
            frame = _apply_corrections(frame, self.corrections(negotiation))
        keep = pd.Series(True, index=frame.index)
        if party:
            keep &= frame["party"] == party
        if topic:
            keep &= frame["topic"] == topic
        if positions_only:
            keep &= frame["party"].notna() & frame["topic"].notna()
        if not keep.all():  # one selection (each one copies every column), none when all rows stay
            frame = frame[keep]
        return frame.reset_index(drop=True)

    def sentences_by_id(self, sentence_ids: Iterable[int]) -> pd.DataFrame:
        ids = [int(i) for i in sentence_ids]
        if not ids:
            return self.statements().iloc[0:0]
        frames = []
        for chunk_start in range(0, len(ids), 500):
            chunk = ids[chunk_start:chunk_start + 500]
            marks = ",".join("?" * len(chunk))
            frames.append(self._frame(_STATEMENTS_SQL + f" WHERE s.id IN ({marks})", chunk))
        frame = pd.concat(frames, ignore_index=True)
        frame["numbers"] = [json.loads(v) for v in frame["numbers"]]
        frame["original_topic"] = frame["topic"].fillna("")
        frame["corrected"] = False
        return _apply_corrections(frame, self.corrections())

    # -- embeddings -----------------------------------------------------------------------
    def embeddings(self, negotiation: str | None = None, after_sentence_id: int = 0,
                   limit: int | None = None) -> tuple[np.ndarray, np.ndarray]:
        """(sentence ids, float32 matrix) of stored vectors, in sentence id order (the first `limit` of them)."""
        sql = ("SELECT e.sentence_id, e.vector FROM embeddings e JOIN sentences s ON s.id = e.sentence_id"
               " JOIN documents d ON d.id = s.document_id JOIN negotiations n ON n.id = d.negotiation_id"
               " WHERE e.sentence_id > ?")
        params: list = [after_sentence_id]
        if negotiation:
            sql += " AND n.name = ?"
            params.append(negotiation)
        if limit is not None:
            params.append(int(limit))
        rows = self._query(sql + " ORDER BY e.sentence_id" + (" LIMIT ?" if limit is not None else ""), params)
        if not rows:
            return np.zeros(0, dtype=np.int64), np.zeros((0, 0), dtype=np.float32)
        ids = np.fromiter((r[0] for r in rows), dtype=np.int64, count=len(rows))
        matrix = np.frombuffer(b"".join(r[1] for r in rows), dtype=np.float32).reshape(len(rows), -1)
        return ids, matrix

    # -- corrections ----------------------------------------------------------------------
    def add_correction(self, position_id: int, field: str, value: str | None, note: str = "") -> None:
        """Record an analyst's correction of one field of a position row; re-analysis never overwrites it."""
        if field not in CORRECTABLE_FIELDS:
            raise StoreError(f"cannot correct {field!r}; correctable fields: {', '.join(CORRECTABLE_FIELDS)}")
        with self.transaction() as conn:
            row = conn.execute(
                "SELECT n.name, d.doc_hash, s.start, COALESCE(p.topic, '') FROM positions p"
                " JOIN sentences s ON s.id = p.sentence_id JOIN documents d ON d.id = s.document_id"
                " JOIN negotiations n ON n.id = d.negotiation_id WHERE p.id = ?", (int(position_id),)).fetchone()
            if row is None:
                raise StoreError(f"no position with id {position_id}")
            conn.execute(
                "INSERT INTO corrections (negotiation, doc_hash, sentence_start, original_topic, field, value, note,"
                " created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (*row, field, value if value not in ("",) else None, note, _now()),
            )
            self._bump_revision(conn)

    def corrections(self, negotiation: str | None = None) -> pd.DataFrame:
        sql = "SELECT * FROM corrections"
        params: tuple = ()
        if negotiation:
            sql += " WHERE negotiation = ?"
            params = (negotiation,)
        return self._frame(sql + " ORDER BY id", params)

    # -- counts ---------------------------------------------------------------------------
    def counts(self, negotiation: str | None = None) -> dict[str, int]:
        join = " JOIN negotiations n ON n.id = d.negotiation_id WHERE n.name = ?" if negotiation else ""
        params = (negotiation,) if negotiation else ()
        documents = self._query(f"SELECT COUNT(*) FROM documents d{join}", params)[0][0]
        sentences = self._query(
            f"SELECT COUNT(*) FROM sentences s JOIN documents d ON d.id = s.document_id{join}", params)[0][0]
        positions = self._query(
            "SELECT COUNT(*) FROM positions p JOIN sentences s ON s.id = p.sentence_id"
            f" JOIN documents d ON d.id = s.document_id{join}"
            + (" AND" if join else " WHERE") + " p.party IS NOT NULL AND p.topic IS NOT NULL", params)[0][0]
        corrections = self._query(
            "SELECT COUNT(*) FROM corrections" + (" WHERE negotiation = ?" if negotiation else ""), params)[0][0]
        return {"documents": documents, "sentences": sentences, "positions": positions, "corrections": corrections}

    def integrity_ok(self) -> bool:
        return self._query("PRAGMA integrity_check")[0][0] == "ok"


def _decode_numbers(frame: pd.DataFrame) -> pd.DataFrame:
    frame["numbers"] = [json.loads(v) for v in frame["numbers"]]
    return frame


def _position_row(sentence_id: int, p: Position) -> tuple:
    numbers = json.dumps([q.as_dict() for q in p.numbers], ensure_ascii=False)
    return (sentence_id, p.party, p.topic, p.stance, numbers, p.date.isoformat() if p.date else None,
            p.date_precision, p.attribution, p.speaker, p.relayed_by, float(p.confidence), float(p.topic_score),
            None if p.stance_probability is None else float(p.stance_probability))


def _apply_corrections(frame: pd.DataFrame, corrections: pd.DataFrame) -> pd.DataFrame:
    """Latest correction per (document, sentence, original topic, field) wins; a sentence with one row also
    takes corrections recorded under another original topic (the config changed since)."""
    if corrections.empty:
        return frame
    frame = frame.copy()
    latest = corrections.sort_values("id").groupby(
        ["negotiation", "doc_hash", "sentence_start", "original_topic", "field"], as_index=False).last()
    rows_per_sentence = frame.groupby(["negotiation", "doc_hash", "start"])["id"].transform("size")
    index = {}
    for i, key in enumerate(zip(frame["negotiation"], frame["doc_hash"], frame["start"], frame["original_topic"])):
        index.setdefault(key, []).append(i)
        if rows_per_sentence.iat[i] == 1:
            index.setdefault(key[:3] + ("*",), []).append(i)
    columns = {name: frame.columns.get_loc(name) for name in (*CORRECTABLE_FIELDS, "corrected")}
    for row in latest.itertuples(index=False):
        key = (row.negotiation, row.doc_hash, int(row.sentence_start), row.original_topic)
        targets = index.get(key) or index.get(key[:3] + ("*",), [])
        for i in targets:
            frame.iat[i, columns[row.field]] = row.value
            frame.iat[i, columns["corrected"]] = True
    return frame
