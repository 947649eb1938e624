"""Subprocess: the dashboard's data for one negotiation (prepared statements frame + search index); prints RSS.

    python -m bench.dashboard_memory STORE NEGOTIATION
"""
import json
import sys

from bench.common import Clock, current_rss_mb, peak_rss_mb


def main() -> None:
    path, name = sys.argv[1], sys.argv[2]
    from positions import analysis
    from positions.embeddings import HashingEmbedder
    from positions.search import StatementSearch
    from positions.store import Store

    baseline = current_rss_mb()
    store = Store(path).init()
    with Clock() as frame_clock:
        frame = analysis.prepare(store.statements(name, positions_only=True), store.negotiation(name))
    after_frame, peak_after_frame = current_rss_mb(), peak_rss_mb()
    with Clock() as index_clock:  # loads the persisted index beside the store (or builds it)
        search = StatementSearch(store, HashingEmbedder(384))
    after_index = current_rss_mb()
    print(json.dumps({
        "rows": len(frame), "vectors": len(search.index), "baseline_rss_mb": baseline,
        "frame_rss_mb": after_frame - baseline, "index_rss_mb": after_index - after_frame,
        "rss_after_load_mb": after_index, "peak_rss_mb": peak_rss_mb(), "peak_rss_after_frame_mb": peak_after_frame,
        "frame_load_s": frame_clock.wall, "index_load_s": index_clock.wall,
        "frame_deep_mb": frame.memory_usage(deep=True).sum() / 2**20,
    }))


if __name__ == "__main__":
    main()
