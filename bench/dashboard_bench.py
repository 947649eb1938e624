"""Section 5: time of the Overview and Timeline aggregations (positions.analysis) on N-statement stores."""
from __future__ import annotations

from .common import Clock, median

OVERVIEW = ("kpis", "latest_positions", "shifts", "gaps")
TIMELINE = ("timeline", "numbers_over_time")


def load(store_path: str, name: str):
    """What the dashboard caches per store revision: the prepared statements frame (and store counts)."""
    from positions import analysis
    from positions.store import Store

    store = Store(store_path).init()
    with Clock() as read:
        frame = store.statements(name, positions_only=True)
    with Clock() as prep:
        frame = analysis.prepare(frame, store.negotiation(name))
    counts = store.counts(name)
    principals = [p.id for p in store.negotiation(name).parties if p.role == "principal"]
    store.close()
    return frame, counts, principals, {"read_statements_s": read.wall, "prepare_s": prep.wall}


def overview(frame, counts, principals, parts: dict | None = None):
    """The Overview page's computations (positions/ui/pages/overview.py), unfiltered."""
    from positions import analysis

    latest = {}  # the page computes the latest positions once and hands them to gaps
    steps = {
        "filter_statements": lambda: analysis.filter_statements(frame),
        "kpis": lambda: analysis.kpis(frame, counts),
        "latest_positions": lambda: latest.update(frame=analysis.latest_positions(frame)),
        "shifts": lambda: analysis.shifts(frame, limit=200),
        "gaps": lambda: analysis.gaps(frame, principals if len(principals) >= 2 else None, latest=latest["frame"]),
    }
    return _timed(steps, parts)


def timeline(frame, parts: dict | None = None):
    """The Timeline page's computations (positions/ui/pages/timeline.py), unfiltered."""
    from positions import analysis

    steps = {
        "filter_statements": lambda: analysis.filter_statements(frame),
        "timeline": lambda: analysis.timeline(frame),
        "numbers_over_time": lambda: analysis.numbers_over_time(frame, max_units=4),
    }
    return _timed(steps, parts)


def _timed(steps: dict, parts: dict | None) -> float:
    total = 0.0
    for name, step in steps.items():
        with Clock() as c:
            step()
        total += c.wall
        if parts is not None:
            parts.setdefault(name, []).append(c.wall)
    return total


def run(stores: dict[int, tuple[str, str]], repeats: int, log) -> dict:
    out = {}
    for n, (path, name) in stores.items():
        frame, counts, principals, loading = load(path, name)
        o_parts, t_parts, o_runs, t_runs = {}, {}, [], []
        for _ in range(repeats):
            o_runs.append(overview(frame, counts, principals, o_parts))
            t_runs.append(timeline(frame, t_parts))
        out[str(n)] = {
            "rows": len(frame), "overview_ms": median(o_runs) * 1000, "timeline_ms": median(t_runs) * 1000,
            "overview_parts_ms": {k: median(v) * 1000 for k, v in o_parts.items()},
            "timeline_parts_ms": {k: median(v) * 1000 for k, v in t_parts.items()},
            "load_ms": {k: v * 1000 for k, v in loading.items()}, "repeats": repeats,
        }
        log(f"  {n:>9,}: overview {out[str(n)]['overview_ms']:.0f} ms, timeline {out[str(n)]['timeline_ms']:.0f} ms "
            f"(read {loading['read_statements_s']:.1f} s + prepare {loading['prepare_s']:.1f} s, cached per revision)")
        del frame
    return out
