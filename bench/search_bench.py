"""Section 4: query latency (p50/p99) and recall@10 of positions.search.VectorIndex at 10k, 100k and 1M."""
from __future__ import annotations

import time
from pathlib import Path

import numpy as np

from .common import Clock, current_rss_mb, median, percentile
from .synthetic import queries


def exact_top10(vectors: np.ndarray, qs: np.ndarray, k: int = 10, chunk: int = 200_000) -> np.ndarray:
    """Ground truth: the ids (row numbers + 1) of the k best inner products, by brute force."""
    best_s = np.full((len(qs), 0), -np.inf, np.float32)
    best_i = np.zeros((len(qs), 0), np.int64)
    for start in range(0, len(vectors), chunk):
        scores = qs @ vectors[start:start + chunk].T
        top = np.argpartition(-scores, k - 1, axis=1)[:, :k]
        best_s = np.hstack([best_s, np.take_along_axis(scores, top, 1)])
        best_i = np.hstack([best_i, top + start])
        keep = np.argsort(-best_s, axis=1)[:, :k]
        best_s, best_i = np.take_along_axis(best_s, keep, 1), np.take_along_axis(best_i, keep, 1)
    return best_i + 1


def measure(vectors: np.ndarray, settings, index_path: Path | None, n_queries: int, n_recall: int,
            add_chunk: int = 100_000) -> dict:
    from positions.search import VectorIndex

    n = len(vectors)
    ids = np.arange(1, n + 1, dtype=np.int64)
    rss_before = current_rss_mb()
    index = VectorIndex(settings, index_path)
    with Clock() as build:  # incremental: the store grows and the index follows
        for start in range(0, n, add_chunk):
            index.add(ids[start:start + add_chunk], vectors[start:start + add_chunk])
    with Clock() as save:
        index.save()
    rss_after = current_rss_mb()
    ann = getattr(index, "_ann", None)
    mode = "ann" if ann is not None else "exact"

    qs = queries(max(n_queries, n_recall))
    for q in qs[:20]:  # warm-up
        index.search(q, 10)
    latencies = []
    for q in qs[:n_queries]:
        started = time.perf_counter()
        index.search(q, 10)
        latencies.append((time.perf_counter() - started) * 1000)
    truth = exact_top10(vectors, qs[:n_recall])
    recalls = []
    for q, expected in zip(qs[:n_recall], truth):
        got = [sid for sid, _ in index.search(q, 10)]
        recalls.append(len(set(got) & set(expected.tolist())) / 10)

    # the dashboard's search: restricted to the sentences of the current (filtered) statements frame
    filtered = {}
    for share in (1.0, 0.1):
        allowed = ids if share == 1.0 else np.sort(np.random.default_rng(3).choice(ids, int(n * share), replace=False))
        times, hits = [], []
        for q in qs[:min(100, n_queries)]:
            started = time.perf_counter()
            found = index.search(q, 10, allowed)
            times.append((time.perf_counter() - started) * 1000)
            hits.append(found)
        allowed_set = set(allowed.tolist())
        sub_truth = exact_top10(vectors[allowed - 1], qs[:20])
        sub_recall = [len({sid for sid, _ in h} & set(allowed[t - 1].tolist())) / 10 for h, t in zip(hits, sub_truth)]
        assert all(sid in allowed_set for h in hits for sid, _ in h), "filtered search returned a sentence outside the filter"
        filtered[f"{int(share * 100)}%"] = {"p50_ms": percentile(times, 50), "p99_ms": percentile(times, 99),
                                           "recall_at_10": float(np.mean(sub_recall))}

    reload_s = None
    if index_path and mode == "ann":  # a new process opening the persisted index (the dashboard's start)
        fresh = VectorIndex(settings, index_path)
        with Clock() as reload:
            fresh.add(ids, vectors)
        reload_s = reload.wall
        del fresh

    memory = {"vectors_mb": index.vectors.nbytes / 2**20, "rss_growth_mb": rss_after - rss_before}
    if ann is not None:
        memory["ann_mb"] = ann.memory_usage / 2**20
    return {
        "n": n, "mode": mode, "p50_ms": percentile(latencies, 50), "p99_ms": percentile(latencies, 99),
        "mean_ms": float(np.mean(latencies)), "recall_at_10": float(np.mean(recalls)), "queries": n_queries,
        "recall_queries": n_recall, "build_s": build.wall, "save_s": save.wall, "reload_s": reload_s,
        "memory": memory, "filtered": filtered,
    }


def run(vectors: np.ndarray, sizes: list[int], work: Path, log, index_path_for=None) -> dict:
    from positions.config import SearchSettings

    settings = SearchSettings()
    out = {"settings": {k: getattr(settings, k) for k in settings.__dataclass_fields__}, "sizes": {}}
    for n in sizes:
        path = index_path_for(n) if index_path_for else work / f"index-{n}.usearch"
        result = measure(vectors[:n], settings, path, n_queries=1000, n_recall=200)
        if n < 1_000_000:  # the other mode at the same size: where exact search stops being the faster one
            other = SearchSettings(exact_below=10**12) if result["mode"] == "ann" else SearchSettings(exact_below=1)
            alt = measure(vectors[:n], other, None, n_queries=300, n_recall=50)
            result["other_mode"] = {key: alt[key] for key in ("mode", "p50_ms", "p99_ms", "recall_at_10", "build_s")}
        out["sizes"][str(n)] = result
        log(f"  {n:>9,}: {result['mode']:5s} p50 {result['p50_ms']:.2f} ms, p99 {result['p99_ms']:.2f} ms, "
            f"recall@10 {result['recall_at_10']:.3f}, build {result['build_s']:.1f} s, "
            f"filtered(100%) p50 {result['filtered']['100%']['p50_ms']:.1f} ms"
            + (f"; {result['other_mode']['mode']}: p50 {result['other_mode']['p50_ms']:.2f} ms"
               if "other_mode" in result else ""))
    return out
