"""Synthetic data at scale: clustered unit vectors and a statements store of N rows.

Vectors: 384-d, a two-level mixture (topics -> subtopics -> points with noise), so that nearest neighbours are
meaningful and ANN recall is a fair test (uniform random vectors have no neighbours to find).
Store: the real schema filled through SQL in bulk (documents, sentences, positions, embeddings), with sentence
texts from the sample corpus and parties/topics/stances from a sample negotiation config.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import json
from pathlib import Path

import numpy as np

DIM = 384


def real_shape(vectors: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """(mean, factor) of real MiniLM sentence vectors (the sample corpus): factor @ g ~ N(0, covariance)."""
    if vectors is None:
        from positions.embeddings import SentenceTransformerEmbedder

        vectors = SentenceTransformerEmbedder().embed(sample_sentences())
    vectors = np.asarray(vectors, dtype=np.float64)
    values, basis = np.linalg.eigh(np.cov(vectors.T))
    return vectors.mean(axis=0).astype(np.float32), (basis * np.sqrt(np.clip(values, 0, None))).astype(np.float32)


_SHAPE: dict = {}


def _shape():
    if "value" not in _SHAPE:
        _SHAPE["value"] = real_shape()
    return _SHAPE["value"]


def _subtopics() -> np.ndarray:
    """5,000 topics x 10 subtopics, offsets drawn with the real vectors' covariance (fixed seed: shared by the
    data and the queries)."""
    mean, factor = _shape()
    rng = np.random.default_rng(11)
    topics = mean + rng.standard_normal((5000, DIM), dtype=np.float32) @ factor.T * np.float32(0.85)
    return np.repeat(topics, 10, axis=0) + rng.standard_normal((50_000, DIM), dtype=np.float32) @ factor.T * np.float32(0.45)


def clustered_vectors(n: int, seed: int = 1, chunk: int = 100_000) -> np.ndarray:
    """n unit vectors around random subtopic centres; the spread has the covariance spectrum of real sentence
    embeddings (effective dimension ~40 of 384), plus a little isotropic noise."""
    _, factor = _shape()
    centres = _subtopics()
    rng = np.random.default_rng(seed)
    out = np.empty((n, DIM), dtype=np.float32)
    for start in range(0, n, chunk):
        size = min(chunk, n - start)
        centre = centres[rng.integers(0, len(centres), size)]
        spread = rng.standard_normal((size, DIM), dtype=np.float32) @ factor.T * np.float32(0.5)
        noise = rng.standard_normal((size, DIM), dtype=np.float32) * np.float32(0.2 / np.sqrt(DIM))
        out[start:start + size] = _unit(centre + spread + noise)
    return out


def queries(n: int, seed: int = 99) -> np.ndarray:
    """Queries from the same distribution (new points, so they are not themselves in the index)."""
    return clustered_vectors(n, seed=seed)


def _unit(x: np.ndarray) -> np.ndarray:
    return (x / np.linalg.norm(x, axis=1, keepdims=True)).astype(np.float32)


def sample_sentences() -> list[str]:
    from .corpus import load_sources

    return [s for source in load_sources() for p in source.paragraphs for s in p]


def write_store(path: Path, vectors: np.ndarray, name: str, seed: int = 5, chunk: int = 50_000) -> dict:
    """A store with len(vectors) sentences, one position row each, in documents of 20 sentences."""
    from positions.config import load_negotiation
    from positions.models import STANCES
    from positions.store import Store

    from .corpus import NEGOTIATIONS

    rng = np.random.default_rng(seed)
    negotiation = dataclasses.replace(load_negotiation(NEGOTIATIONS / "gaza-2023"), name=name)
    parties = [p.id for p in negotiation.parties]
    topics = [t.id for t in negotiation.topics]
    texts = sample_sentences()
    units = ["prisoners", "hostages", "days", "weeks", "trucks"]
    start_day = dt.date(2020, 1, 1)
    n = len(vectors)
    per_doc = 20
    store = Store(path).init()
    store.save_negotiation(negotiation)
    conn = store.conn
    with store.transaction():
        neg_id = conn.execute("SELECT id FROM negotiations WHERE name = ?", (name,)).fetchone()[0]
        for first in range(0, n, chunk):
            rows = range(first, min(n, first + chunk))
            docs = range(first // per_doc, (rows[-1] // per_doc) + 1)
            published = {d: start_day + dt.timedelta(days=int(d * 1500 // max(1, n // per_doc))) for d in docs}
            conn.executemany(
                "INSERT OR IGNORE INTO documents (id, negotiation_id, doc_hash, title, source, published, origin, text,"
                " warnings, ingested_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, '[]', ?)",
                [(d + 1, neg_id, f"{name}-{d:08d}", f"Synthetic article {d}", f"wire {d % 9}",
                  published[d].isoformat(), f"synthetic/{d}.md", f"synthetic document {d}", "2025-01-01")
                 for d in docs])
            picks = rng.integers(0, len(texts), len(rows))
            party = rng.integers(0, len(parties), len(rows))
            topic = rng.integers(0, len(topics), len(rows))
            stance = rng.integers(0, len(STANCES), len(rows))
            has_number = rng.random(len(rows)) < 0.12
            values = rng.integers(1, 2000, len(rows))
            lag = rng.integers(0, 4, len(rows))
            conn.executemany(
                "INSERT INTO sentences (id, document_id, idx, paragraph, start, end, text, is_headline)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, 0)",
                [(i + 1, i // per_doc + 1, i % per_doc, (i % per_doc) // 3, 100 * (i % per_doc),
                  100 * (i % per_doc) + len(texts[picks[j]]), texts[picks[j]]) for j, i in enumerate(rows)])
            conn.executemany(
                "INSERT INTO positions (id, sentence_id, party, topic, stance, numbers, date, date_precision,"
                " attribution, speaker, relayed_by, confidence, topic_score) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [(i + 1, i + 1, parties[party[j]], topics[topic[j]], STANCES[stance[j]],
                  json.dumps([{"value": int(values[j]), "unit": units[values[j] % len(units)]}]) if has_number[j] else "[]",
                  (published[i // per_doc] - dt.timedelta(days=int(lag[j]))).isoformat(), "day", "said_subject",
                  None, None, 0.8, 0.6) for j, i in enumerate(rows)])
            conn.executemany("INSERT INTO embeddings (sentence_id, vector) VALUES (?, ?)",
                             [(i + 1, vectors[i].tobytes()) for i in rows])
    store.close()
    return {"statements": n, "documents": (n + per_doc - 1) // per_doc, "negotiation": name,
            "bytes": Path(path).stat().st_size}
