"""VectorIndex: the ANN path gives the exact path's answers (rescored), filters, grows and persists."""
import numpy as np

from positions.config import SearchSettings
from positions.search import VectorIndex, _top_k


def _unit_rows(n, dim=32, seed=0):
    v = np.random.default_rng(seed).standard_normal((n, dim)).astype(np.float32)
    return v / np.linalg.norm(v, axis=1, keepdims=True)


def _ids_of(hits):
    return [sentence_id for sentence_id, _ in hits]


def test_ann_search_matches_exact_search_with_exact_scores(tmp_path):
    vectors, ids = _unit_rows(3000), np.arange(5, 6005, 2)
    index = VectorIndex(SearchSettings(exact_below=1000), tmp_path / "x.usearch")
    for start in range(0, 3000, 700):  # grows in pieces, as the store does
        index.add(ids[start:start + 700], vectors[start:start + 700])
    assert index._ann is not None and np.array_equal(index.vectors, vectors) and np.array_equal(index.ids, ids)
    query = vectors[17] + 0.05 * _unit_rows(1, seed=1)[0]
    exact = _top_k(ids, vectors @ query, 10)
    hits = index.search(query, 10)
    assert _ids_of(hits) == _ids_of(exact)
    assert np.allclose([s for _, s in hits], [s for _, s in exact], atol=1e-6)


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
        assert _ids_of(index.search(query, 10, with_unknown)) == _ids_of(expected)
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


def test_vectors_of_a_store_on_disk_are_memory_mapped_and_search_the_same(tmp_path):
    vectors, ids = _unit_rows(800, seed=6), np.arange(1, 801)
    in_ram, mapped = VectorIndex(SearchSettings(exact_below=10**9)), VectorIndex(SearchSettings(exact_below=10**9),
                                                                                    tmp_path / "x.usearch")
    for start in range(0, 800, 300):
        in_ram.add(ids[start:start + 300], vectors[start:start + 300])
        mapped.add(ids[start:start + 300], vectors[start:start + 300])
    assert isinstance(mapped._buffer, np.memmap) and not isinstance(in_ram._buffer, np.memmap)
    assert type(mapped.vectors) is np.ndarray and mapped.vectors.dtype == np.float32
    assert np.array_equal(mapped.vectors, vectors)
    assert list(tmp_path.iterdir()) == []  # the scratch file is unlinked: nothing left beside the store
    for row in (0, 123, 799):
        query = vectors[row] + 0.1 * _unit_rows(1, seed=row)[0]
        assert mapped.search(query, 10) == in_ram.search(query, 10) == _top_k(ids, vectors @ query, 10)
        allowed = ids[::3]
        assert mapped.search(query, 10, allowed) == in_ram.search(query, 10, allowed)
