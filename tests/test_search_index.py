"""VectorIndex: the ANN path gives the exact path's answers (rescored), filters, grows and persists."""
import numpy as np

from positions.config import SearchSettings
from positions.search import VectorIndex, _top_k


def _unit_rows(n, dim=32, seed=0):
    v = np.random.default_rng(seed).standard_normal((n, dim)).astype(np.float32)
    return v / np.linalg.norm(v, axis=1, keepdims=True)


def _ids_of(hits):
    return [sentence_id for sentence_id, _ in hits]


def _assert_ann_answer(hits, exact, score_of):
    """An ANN answer: best first, exact scores, only ids the exact answer could hold, and at least 9 of its 10
    (HNSW is approximate: asserting the identical list makes a test flaky)."""
    scores = [s for _, s in hits]
    assert scores == sorted(scores, reverse=True)
    assert np.allclose(scores, [score_of(i) for i in _ids_of(hits)], atol=1e-5)
    assert len(hits) == len(exact)
    assert len(set(_ids_of(hits)) & set(_ids_of(exact))) >= min(len(exact), 9) if len(exact) >= 10 else \
        _ids_of(hits) == _ids_of(exact)


def test_ann_search_matches_exact_search_with_exact_scores(tmp_path):
    vectors, ids = _unit_rows(3000), np.arange(5, 6005, 2)
    index = VectorIndex(SearchSettings(exact_below=1000), tmp_path / "x.usearch")
    for start in range(0, 3000, 700):  # grows in pieces, as the store does
        index.add(ids[start:start + 700], vectors[start:start + 700])
    assert index._ann is not None and np.array_equal(index.vectors, vectors) and np.array_equal(index.ids, ids)
    query = vectors[17] + 0.05 * _unit_rows(1, seed=1)[0]
    exact = _top_k(ids, vectors @ query, 10)
    hits = index.search(query, 10)
    position = {int(i): n for n, i in enumerate(ids)}
    _assert_ann_answer(hits, exact, lambda i: float(vectors[position[i]] @ query))


def test_filtered_search_returns_only_allowed_sentences_best_first(tmp_path):
    vectors, ids = _unit_rows(3000, seed=2), np.arange(1, 3001)
    index = VectorIndex(SearchSettings(exact_below=1000), tmp_path / "x.usearch")
    index.add(ids, vectors)
    query = vectors[3]
    rng = np.random.default_rng(3)
    for share in (1.0, 0.7, 0.2, 0.01, 0.002):
        allowed = rng.choice(ids, max(1, int(len(ids) * share)), replace=False)
        with_unknown = np.concatenate([allowed, [0, 99999]])  # ids the index does not hold are ignored
        inside = np.isin(ids, allowed)
        expected = _top_k(ids[inside], vectors[inside] @ query, 10)
        hits = index.search(query, 10, with_unknown)
        assert set(_ids_of(hits)) <= set(allowed.tolist())
        _assert_ann_answer(hits, expected, lambda i: float(vectors[i - 1] @ query))
    assert index.search(query, 10, np.array([], dtype=np.int64)) == []


def test_saved_index_is_loaded_not_rebuilt(tmp_path):
    vectors, ids = _unit_rows(1500, seed=4), np.arange(1, 1501)
    first = VectorIndex(SearchSettings(exact_below=1000), tmp_path / "x.usearch")
    first.add(ids, vectors)
    assert first.unsaved == 1500
    first.save()
    second = VectorIndex(SearchSettings(exact_below=1000), tmp_path / "x.usearch")
    second.add(ids[:1200], vectors[:1200])
    second.add(ids[1200:], vectors[1200:])
    assert second.unsaved == 0
    assert second.search(vectors[9], 5) == first.search(vectors[9], 5)


def test_exact_index_below_the_threshold():
    vectors, ids = _unit_rows(200, seed=5), np.arange(100, 300)
    index = VectorIndex(SearchSettings(exact_below=1000))
    index.add(ids, vectors)
    assert index._ann is None
    assert _ids_of(index.search(vectors[0], 3))[0] == 100


def test_vectors_of_a_large_store_on_disk_live_in_a_scratch_file_and_search_the_same(tmp_path, monkeypatch):
    import positions.search as search

    monkeypatch.setattr(search, "SCAN_BLOCK", 256)  # several blocks per scan
    vectors, ids = _unit_rows(1800, seed=6), np.arange(1, 1801)
    index = VectorIndex(SearchSettings(exact_below=1000), tmp_path / "x.usearch")
    index.add(ids[:600], vectors[:600])
    assert index._file is None and not isinstance(index._buffer, np.memmap)  # exact search: in RAM
    for start in range(600, 1800, 400):
        index.add(ids[start:start + 400], vectors[start:start + 400])
    assert index._file is not None and isinstance(index._buffer, np.memmap)
    assert type(index.vectors) is np.ndarray and index.vectors.dtype == np.float32
    assert np.array_equal(index.vectors, vectors)
    assert list(tmp_path.iterdir()) == []  # the scratch file is unlinked: nothing left beside the store
    rows = np.random.default_rng(7).choice(1800, 900, replace=False)
    assert np.array_equal(index._gather(rows), vectors[rows])  # in blocks
    assert np.array_equal(index._gather(rows[:20]), vectors[rows[:20]])  # one read per row
    assert np.array_equal(index._gather(np.array([], dtype=np.int64)), vectors[:0])
    query = vectors[5] + 0.1 * _unit_rows(1, seed=8)[0]
    assert np.allclose(index._scores(query), vectors @ query, atol=1e-6)
    score_of = lambda i: float(vectors[i - 1] @ query)  # noqa: E731 (ids are rows + 1)
    _assert_ann_answer(index.search(query, 10), _top_k(ids, vectors @ query, 10), score_of)  # ANN
    narrow, wide = ids[::300], ids[ids % 10 != 3]
    inside = np.isin(ids, narrow)  # a narrow filter reads its rows: the exact answer
    assert _ids_of(index.search(query, 10, narrow)) == _ids_of(_top_k(ids[inside], vectors[inside] @ query, 10))
    inside = np.isin(ids, wide)  # a wide one takes ANN candidates
    _assert_ann_answer(index.search(query, 10, wide), _top_k(ids[inside], vectors[inside] @ query, 10), score_of)
