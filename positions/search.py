"""Similarity search over stored sentence vectors: exact below a size, an ANN index above it."""
from __future__ import annotations

import os
import tempfile
import threading
from pathlib import Path

import numpy as np
import pandas as pd

from .config import SearchSettings
from .embeddings import Embedder
from .store import Store


# The ANN index stores int8 vectors (a quarter of float32's memory; AVX-512 VNNI kernels where the CPU has them)
# and returns RERANK x k candidates, rescored exactly against the float32 vectors: exact scores, and an order that
# no longer depends on the quantisation (bench/run.py, section 4: recall@10 0.95+ at 1M statements).
# With an index file (a store on disk) and the ANN in use, the float32 vectors live in an unlinked scratch file beside
# it: the kernel's page cache holds them (reclaimable), not the process (1.5 GiB of RSS at 1M statements; bench/run.py,
# section 6). Searches read the rows they need with pread (rescoring: RERANK x k rows; scans: in blocks): a memory
# map would do, but the kernel's fault-around maps 64 KiB per touched row, and random rows soon map the whole file.
# `vectors` is that memory map, for callers that want the whole matrix.
ANN_DTYPE = "i8"
RERANK = 4
MAX_FILTERED_CANDIDATES = 4096
REFRESH_CHUNK = 50_000  # vectors read from the store per query
ANN_ADD_CHUNK = 50_000  # vectors copied out of the scratch file per ANN insert
SCAN_BLOCK = 32_768  # rows per read when a search scans the scratch file


class VectorIndex:
    """Sentence ids and their unit vectors; exact inner-product search, or a usearch HNSW index when large."""

    def __init__(self, settings: SearchSettings | None = None, index_path: str | Path | None = None):
        self.settings = settings or SearchSettings()
        self.index_path = Path(index_path) if index_path else None
        self.ids = np.zeros(0, dtype=np.int64)
        self._buffer = np.zeros((0, 0), dtype=np.float32)  # rows [0, len) are used; grows without copying each add
        self._file = None  # the scratch file behind _buffer (file-backed mode), None: _buffer is in RAM
        self._file_backed = self.index_path is not None
        self._row_of = np.zeros(0, dtype=np.int64)  # dense sentence id -> row (-1: none), when ids are dense
        self._ann = None
        self.unsaved = 0  # vectors in the ANN index that are not in its file yet
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self.ids)

    @property
    def vectors(self) -> np.ndarray:
        """(len, dim) float32, row i is the vector of ids[i]."""
        return np.asarray(self._buffer[:len(self.ids)])

    def _append_vectors(self, vectors: np.ndarray) -> None:
        """Rows [len, len + new) of the buffer := vectors (ids are updated by the caller afterwards). In RAM below
        exact_below (exact search scans them all); then in the scratch file, when there is an index file."""
        count, new = len(self.ids), len(vectors)
        if self._file_backed and self._file is None and count + new >= self.settings.exact_below:
            try:  # unlinked at once: nothing to clean up, and no two processes share it
                self._file = tempfile.TemporaryFile(prefix=".vectors-", dir=self.index_path.parent)
            except OSError:  # a read-only folder: the vectors stay in RAM
                self._file_backed = False
            else:
                if count:
                    self._file.write(memoryview(np.ascontiguousarray(self._buffer[:count])).cast("B"))
        if self._file is not None:
            self._file.seek(count * vectors.shape[1] * 4)
            self._file.write(memoryview(vectors).cast("B"))
            self._file.flush()
            self._buffer = np.memmap(self._file, dtype=np.float32, mode="r", shape=(count + new, vectors.shape[1]))
            return
        if count + new > len(self._buffer):  # first add: exact size; later: room for 25% more
            capacity = count + new if count == 0 else int((count + new) * 1.25)
            grown = np.empty((capacity, vectors.shape[1]), dtype=np.float32)
            if count:
                grown[:count] = self._buffer[:count]
            self._buffer = grown
        self._buffer[count:count + new] = vectors

    def _gather(self, rows: np.ndarray) -> np.ndarray:
        """(len(rows), dim) float32 copy of the given rows."""
        rows = np.asarray(rows, dtype=np.int64)
        if self._file is None:
            return self._buffer[rows]
        dim = self._buffer.shape[1]
        width = dim * 4
        if len(rows) <= SCAN_BLOCK // 8:  # a few rows: one read each
            fd = self._file.fileno()
            data = b"".join(os.pread(fd, width, int(r) * width) for r in rows)
            return np.frombuffer(data, dtype=np.float32).reshape(len(rows), dim)
        out = np.empty((len(rows), dim), dtype=np.float32)
        order = np.argsort(rows, kind="stable")
        ordered = rows[order]
        for first, block in self._blocks(int(ordered[0]), int(ordered[-1]) + 1):
            inside = slice(*np.searchsorted(ordered, [first, first + len(block)]))
            out[order[inside]] = block[ordered[inside] - first]
        return out

    def _blocks(self, start: int, stop: int):
        """(first row, rows) of [start, stop) read from the scratch file SCAN_BLOCK rows at a time into one buffer."""
        dim = self._buffer.shape[1]
        buffer = np.empty((min(SCAN_BLOCK, stop - start), dim), dtype=np.float32)
        for first in range(start, stop, SCAN_BLOCK):
            size = min(SCAN_BLOCK, stop - first)
            view = memoryview(buffer[:size]).cast("B")
            done = 0
            while done < len(view):
                read = os.preadv(self._file.fileno(), [view[done:]], first * dim * 4 + done)
                if read <= 0:
                    raise OSError("the scratch file of the vectors is shorter than the index")
                done += read
            yield first, buffer[:size]

    def _scores(self, query: np.ndarray) -> np.ndarray:
        """Inner products of the query with every row."""
        if self._file is None:
            return self.vectors @ query
        count = len(self.ids)
        scores = np.empty(count, dtype=np.float32)
        for first, block in self._blocks(0, count):
            scores[first:first + len(block)] = block @ query
        return scores

    def add(self, ids: np.ndarray, vectors: np.ndarray) -> None:
        if len(ids) == 0:
            return
        with self._lock:
            ids = np.asarray(ids, dtype=np.int64)
            vectors = np.ascontiguousarray(vectors, dtype=np.float32)
            count = len(self.ids)
            self._append_vectors(vectors)
            self.ids = np.concatenate([self.ids, ids])
            self._index_rows(ids, count)
            if self._ann is not None:  # a loaded index may already hold some (it was saved ahead of the store read)
                keys = ids.astype(np.uint64)
                fresh = ~np.asarray(self._ann.contains(keys), dtype=bool).reshape(-1)
                if fresh.any():
                    self._ann.add(keys[fresh], vectors[fresh])
                    self.unsaved += int(fresh.sum())
            elif len(self.ids) >= self.settings.exact_below:
                self._build_ann()

    def _index_rows(self, ids: np.ndarray, first_row: int) -> None:
        top = int(self.ids.max())
        if top > 4 * len(self.ids) + 1_000_000 or int(self.ids.min()) < 0:  # sparse ids: searchsorted instead
            self._row_of = None
            return
        if self._row_of is None or len(self._row_of) <= top:
            row_of = np.full(max(top + 1, int(top * 1.25)), -1, dtype=np.int64)
            row_of[self.ids] = np.arange(len(self.ids))
            self._row_of = row_of
        else:
            self._row_of[ids] = np.arange(first_row, first_row + len(ids))

    def _rows(self, ids: np.ndarray) -> np.ndarray:
        """Rows of the given sentence ids (-1 where not in the index)."""
        ids = np.asarray(ids, dtype=np.int64)
        if self._row_of is not None:
            inside = (ids >= 0) & (ids < len(self._row_of))
            rows = np.full(len(ids), -1, dtype=np.int64)
            rows[inside] = self._row_of[ids[inside]]
            return rows
        order = np.argsort(self.ids, kind="stable")
        at = np.clip(np.searchsorted(self.ids, ids, sorter=order), 0, len(order) - 1)
        rows = order[at]
        return np.where(self.ids[rows] == ids, rows, -1)

    def _build_ann(self) -> None:
        from usearch.index import Index

        def fresh():
            return Index(ndim=self.vectors.shape[1], metric="ip", dtype=ANN_DTYPE,
                         connectivity=self.settings.ann_connectivity,
                         expansion_add=self.settings.ann_expansion_add,
                         expansion_search=self.settings.ann_expansion_search)

        ann, missing = fresh(), np.ones(len(self.ids), bool)
        if self.index_path and self.index_path.exists():
            try:  # the index persisted beside the store: only vectors stored since are added
                ann.load(str(self.index_path))
                ann.expansion_search = self.settings.ann_expansion_search
                missing = ~np.isin(self.ids, np.asarray(ann.keys, dtype=np.int64)) if len(ann) else missing
            except Exception:  # unreadable or of another shape: rebuilt from the vectors
                ann, missing = fresh(), np.ones(len(self.ids), bool)
        rows = np.flatnonzero(missing)
        for start in range(0, len(rows), ANN_ADD_CHUNK):  # in pieces: no copy of all the (mapped) vectors at once
            chunk = rows[start:start + ANN_ADD_CHUNK]
            ann.add(self.ids[chunk].astype(np.uint64), np.ascontiguousarray(self._gather(chunk)))
        self.unsaved = int(missing.sum())
        self._ann = ann

    def save(self) -> None:
        if self._ann is not None and self.index_path:
            with self._lock:
                self._ann.save(str(self.index_path))
                self.unsaved = 0

    def search(self, query: np.ndarray, k: int = 10, allowed_ids: np.ndarray | None = None) -> list[tuple[int, float]]:
        """Best-first (sentence id, cosine) pairs. `allowed_ids` restricts the result to those sentences."""
        if len(self.ids) == 0 or k <= 0:
            return []
        query = np.asarray(query, dtype=np.float32).reshape(-1)
        if allowed_ids is not None:
            return self._search_allowed(query, k, np.asarray(allowed_ids))
        if self._ann is not None:
            return self._rescored(self._candidates(query, k * RERANK), query, k)
        return _top_k(self.ids, self._scores(query), k)

    def _candidates(self, query: np.ndarray, count: int) -> np.ndarray:
        """Rows of the ANN's `count` nearest (approximate) neighbours."""
        keys = np.asarray(self._ann.search(query, min(count, len(self.ids))).keys, dtype=np.int64)
        rows = self._rows(keys)
        return rows[rows >= 0]

    def _rescored(self, rows: np.ndarray, query: np.ndarray, k: int) -> list[tuple[int, float]]:
        return _top_k(self.ids[rows], self._gather(rows) @ query, k)

    def _search_allowed(self, query: np.ndarray, k: int, allowed: np.ndarray) -> list[tuple[int, float]]:
        rows = self._rows(allowed)
        mask = np.zeros(len(self.ids), dtype=bool)
        mask[rows[rows >= 0]] = True
        count = int(mask.sum())
        if count == 0:
            return []
        share = count / len(self.ids)
        if self._ann is not None:  # a wide filter: ANN candidates until enough pass it
            wanted = int(np.ceil(k * RERANK / share))
            if wanted <= MAX_FILTERED_CANDIDATES:
                candidates = self._candidates(query, wanted)
                candidates = candidates[mask[candidates]]
                if len(candidates) >= min(k, count):
                    return self._rescored(candidates, query, k)
        if share > 0.5:  # scan everything and drop what the filter excludes (no copy of the rows)
            scores = self._scores(query)
            scores[~mask] = -np.inf
            return _top_k(self.ids, scores, min(k, count))
        rows = np.flatnonzero(mask)
        return _top_k(self.ids[rows], self._gather(rows) @ query, k)


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
        """Add vectors stored since the last refresh (the index grows incrementally; read in chunks so a large
        store is never held twice in memory), and persist the ANN index beside the store when it changed much."""
        while True:
            ids, vectors = self.store.embeddings(after_sentence_id=self._last_id, limit=REFRESH_CHUNK)
            if len(ids):
                self.index.add(ids, vectors)
                self._last_id = int(ids.max())
            if len(ids) < REFRESH_CHUNK:
                break
        if self.index.unsaved >= max(1000, len(self.index) // 100):
            self.index.save()

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
        return self.index._gather(np.array([position]))[0]
