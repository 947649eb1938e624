"""Similarity search over stored sentence vectors: exact below a size, an ANN index above it."""
from __future__ import annotations

import threading
from pathlib import Path

import numpy as np
import pandas as pd

from .config import SearchSettings
from .embeddings import Embedder
from .store import Store


class VectorIndex:
    """Sentence ids and their unit vectors; exact inner-product search, or a usearch HNSW index when large."""

    def __init__(self, settings: SearchSettings | None = None, index_path: str | Path | None = None):
        self.settings = settings or SearchSettings()
        self.index_path = Path(index_path) if index_path else None
        self.ids = np.zeros(0, dtype=np.int64)
        self.vectors = np.zeros((0, 0), dtype=np.float32)
        self._ann = None
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self.ids)

    def add(self, ids: np.ndarray, vectors: np.ndarray) -> None:
        if len(ids) == 0:
            return
        with self._lock:
            vectors = np.ascontiguousarray(vectors, dtype=np.float32)
            self.ids = np.concatenate([self.ids, ids.astype(np.int64)])
            self.vectors = vectors if self.vectors.size == 0 else np.vstack([self.vectors, vectors])
            if self._ann is not None:
                self._ann.add(ids.astype(np.uint64), vectors)
            elif len(self.ids) >= self.settings.exact_below:
                self._build_ann()

    def _build_ann(self) -> None:
        from usearch.index import Index

        ann = Index(ndim=self.vectors.shape[1], metric="ip", dtype="f16",
                    connectivity=self.settings.ann_connectivity,
                    expansion_add=self.settings.ann_expansion_add, expansion_search=self.settings.ann_expansion_search)
        if self.index_path and self.index_path.exists():
            ann.load(str(self.index_path))
            missing = ~np.isin(self.ids, ann.keys) if len(ann) else np.ones(len(self.ids), bool)
            if missing.any():
                ann.add(self.ids[missing].astype(np.uint64), self.vectors[missing])
        else:
            ann.add(self.ids.astype(np.uint64), self.vectors)
        self._ann = ann

    def save(self) -> None:
        if self._ann is not None and self.index_path:
            self._ann.save(str(self.index_path))

    def search(self, query: np.ndarray, k: int = 10, allowed_ids: np.ndarray | None = None) -> list[tuple[int, float]]:
        """Best-first (sentence id, cosine) pairs. `allowed_ids` restricts the result (exact scan over them)."""
        if len(self.ids) == 0:
            return []
        query = np.asarray(query, dtype=np.float32).reshape(-1)
        if allowed_ids is not None:
            mask = np.isin(self.ids, allowed_ids)
            return _top_k(self.ids[mask], self.vectors[mask] @ query, k)
        if self._ann is not None:
            matches = self._ann.search(query, k)
            return [(int(key), float(1.0 - dist)) for key, dist in zip(matches.keys, matches.distances)]
        return _top_k(self.ids, self.vectors @ query, k)


def _top_k(ids: np.ndarray, scores: np.ndarray, k: int) -> list[tuple[int, float]]:
    if len(ids) == 0:
        return []
    k = min(k, len(ids))
    top = np.argpartition(-scores, k - 1)[:k]
    top = top[np.argsort(-scores[top], kind="stable")]
    return [(int(ids[i]), float(scores[i])) for i in top]


class StatementSearch:
    """Free text -> the most similar stored statements, as a DataFrame of statement rows with `score`."""

    def __init__(self, store: Store, embedder: Embedder, settings: SearchSettings | None = None):
        self.store = store
        self.embedder = embedder
        index_path = None if store.path == ":memory:" else Path(store.path + ".usearch")
        self.index = VectorIndex(settings, index_path)
        self._last_id = 0
        self.refresh()

    def refresh(self) -> None:
        """Add vectors stored since the last refresh (the index grows incrementally)."""
        ids, vectors = self.store.embeddings(after_sentence_id=self._last_id)
        if len(ids):
            self.index.add(ids, vectors)
            self._last_id = int(ids.max())

    def search(self, text: str, k: int = 10, negotiation: str | None = None, party: str | None = None,
               topic: str | None = None, stance: str | None = None) -> pd.DataFrame:
        return self.search_vector(self.embedder.embed([text])[0], k, negotiation, party, topic, stance)

    def search_vector(self, vector: np.ndarray, k: int = 10, negotiation: str | None = None,
                      party: str | None = None, topic: str | None = None, stance: str | None = None,
                      exclude_sentence: int | None = None) -> pd.DataFrame:
        filtered = any(v for v in (negotiation, party, topic, stance))
        allowed = None
        if filtered:
            rows = self.store.statements(negotiation=negotiation, party=party, topic=topic)
            if stance:
                rows = rows[rows["stance"] == stance]
            allowed = rows["sentence_id"].unique()
        hits = self.index.search(vector, k + 1 if exclude_sentence else k, allowed)
        hits = [(sid, score) for sid, score in hits if sid != exclude_sentence][:k]
        if not hits:
            return self.store.sentences_by_id([]).assign(score=pd.Series(dtype=float))
        scores = dict(hits)
        frame = self.store.sentences_by_id(scores)
        if party:
            frame = frame[frame["party"] == party]
        if topic:
            frame = frame[frame["topic"] == topic]
        if stance:
            frame = frame[frame["stance"] == stance]
        frame = frame.assign(score=frame["sentence_id"].map(scores))
        return frame.sort_values(["score", "id"], ascending=[False, True]).reset_index(drop=True)

    def sentence_vector(self, sentence_id: int) -> np.ndarray:
        position = np.searchsorted(self.index.ids, sentence_id)
        if position >= len(self.index.ids) or self.index.ids[position] != sentence_id:
            raise KeyError(f"no stored vector for sentence {sentence_id}")
        return self.index.vectors[position]
