"""What the dashboard computes from stored statements: pandas and numpy only, no Streamlit, no Plotly.

Every function takes a statements frame (as `Store.statements` returns it, passed through `prepare`) and
returns a new frame; nothing here reads the store or mutates its input.
"""
from __future__ import annotations

import datetime as dt
import json
from typing import Iterable, Sequence

import numpy as np
import pandas as pd

from .config import StanceSettings

# Where a stance puts its holder relative to the topic's proposal: for it, against it, or neither.
POLARITY = {"demand": 1, "propose": 1, "accept": 1, "support": 1, "reject": -1, "oppose": -1, "report": 0}
SIDE = {1: "for", -1: "against", 0: "neutral"}


# ---------------------------------------------------------------------------------------------
# Preparation and filters
# ---------------------------------------------------------------------------------------------
def format_number(item: dict) -> str:
    """{'value': 700, 'unit': 'prisoners', 'qualifier': 'up to'} -> 'up to 700 prisoners'."""
    value = item.get("value")
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = f"{value:,}" if isinstance(value, (int, float)) else str(value)
    qualifier = item.get("qualifier")
    if qualifier and not str(qualifier).startswith("range"):
        text = f"{qualifier} {text}"
    unit = item.get("unit") or ""
    return f"{text} {unit}".strip()


SOURCE_NOUNS = frozenset("official source diplomat aide negotiator officer insider person".split())


def counts_sources(item: dict) -> bool:
    """'two officials familiar with the talks': a count of who spoke, not a term of the deal (kept in the data,
    left out of the figures shown)."""
    unit = item.get("unit")
    return isinstance(unit, str) and unit.lower().removesuffix("s") in SOURCE_NOUNS


def prepare(frame: pd.DataFrame, negotiation=None, sure_probability: float | None = None) -> pd.DataFrame:
    """Add `when` (stated date, else publication date, as Timestamp), `numbers_text`, display names
    `party_name` / `topic_name` (ids when no negotiation config is given) and `stance_sure` (stance_sure, at
    `sure_probability`; default: the stance.sure_probability setting)."""
    out = frame.copy()
    if "stance_probability" not in out:
        out["stance_probability"] = np.nan
    out["stance_sure"] = stance_sure(out, StanceSettings().sure_probability if sure_probability is None
                                     else sure_probability)
    stated = out["date"] if "date" in out else pd.Series(None, index=out.index, dtype=object)
    published = out["published"] if "published" in out else pd.Series(None, index=out.index, dtype=object)
    out["when"] = pd.to_datetime(stated.fillna(published), errors="coerce")
    out["numbers_text"] = [
        "; ".join(format_number(n) for n in numbers if not counts_sources(n)) if isinstance(numbers, list) else ""
        for numbers in out.get("numbers", pd.Series([[]] * len(out), index=out.index))
    ]
    party_names = {p.id: p.name for p in negotiation.parties} if negotiation else {}
    topic_names = {t.id: t.name for t in negotiation.topics} if negotiation else {}
    out["party_name"] = [party_names.get(p, p) if isinstance(p, str) else None for p in out["party"]]
    out["topic_name"] = [topic_names.get(t, t) if isinstance(t, str) else None for t in out["topic"]]
    return out


def stance_sure(frame: pd.DataFrame, sure_probability: float) -> pd.Series:
    """Whether each row's stance can be trusted without review: read at least `sure_probability` sure
    (stance_probability), or checked by an analyst (a corrected row)."""
    if not len(frame) or "stance" not in frame:
        return pd.Series(False, index=frame.index, dtype=bool)
    probability = pd.to_numeric(frame.get("stance_probability", pd.Series(np.nan, index=frame.index)),
                                errors="coerce")
    corrected = frame.get("corrected", pd.Series(False, index=frame.index)).fillna(False).astype(bool)
    return (frame["stance"].notna() & (probability >= sure_probability)) | (corrected & frame["stance"].notna())


def filter_statements(frame: pd.DataFrame, start: dt.date | None = None, end: dt.date | None = None,
                      parties: Iterable[str] | None = None, topics: Iterable[str] | None = None,
                      stances: Iterable[str] | None = None, text: str | None = None,
                      corrected_only: bool = False, sure_only: bool = False,
                      to_review: bool = False) -> pd.DataFrame:
    """Rows within [start, end] (inclusive; rows without a date are kept only when no range is given),
    of the given parties / topics / stances (empty or None = all), whose sentence contains `text`; with
    `sure_only` only rows whose stance is sure (`stance_sure`), with `to_review` only positions whose stance is not."""
    mask = pd.Series(True, index=frame.index)
    if start is not None:
        mask &= frame["when"] >= pd.Timestamp(start)
    if end is not None:
        mask &= frame["when"] < pd.Timestamp(end) + pd.Timedelta(days=1)
    for column, wanted in (("party", parties), ("topic", topics), ("stance", stances)):
        wanted = list(wanted or ())
        if wanted:
            mask &= frame[column].isin(wanted)
    if text:
        mask &= frame["sentence"].str.contains(text, case=False, regex=False, na=False)
    if corrected_only:
        mask &= frame["corrected"].astype(bool)
    if sure_only:
        mask &= frame["stance_sure"]
    if to_review:
        mask &= frame["stance"].notna() & ~frame["stance_sure"]
    return frame[mask]


def date_span(frame: pd.DataFrame) -> tuple[dt.date | None, dt.date | None]:
    when = frame["when"].dropna() if len(frame) else pd.Series(dtype="datetime64[ns]")
    if when.empty:
        return None, None
    return when.min().date(), when.max().date()


def kpis(frame: pd.DataFrame, counts: dict[str, int]) -> dict[str, object]:
    """Headline figures: store counts, parties and topics with a position, the date span, corrected rows."""
    first, last = date_span(frame)
    return {
        "documents": int(counts.get("documents", 0)),
        "sentences": int(counts.get("sentences", 0)),
        "positions": int(len(frame)),
        "parties": int(frame["party"].nunique()) if len(frame) else 0,
        "topics": int(frame["topic"].nunique()) if len(frame) else 0,
        "first": first,
        "last": last,
        "corrected": int(frame["corrected"].astype(bool).sum()) if len(frame) else 0,
    }


def _chronological(frame: pd.DataFrame) -> pd.DataFrame:
    """Oldest first; ties (same day) in id order so 'latest' is deterministic."""
    return frame.dropna(subset=["when"]).sort_values(["when", "id"], kind="stable")


def _chronological_order(frame: pd.DataFrame, positions_only: bool = True) -> np.ndarray:
    """Row positions of `_chronological(frame)` (of the rows with a party and a topic, if `positions_only`):
    only the key columns are sorted, so the caller takes just the columns (and rows) it needs."""
    mask = frame["when"].notna().to_numpy(dtype=bool)
    if positions_only:
        mask = mask & frame["party"].notna().to_numpy(dtype=bool) & frame["topic"].notna().to_numpy(dtype=bool)
    when, ids = frame["when"].to_numpy(), frame["id"].to_numpy()
    if when.dtype.kind == "M" and ids.dtype.kind in "iu":  # lexsort is stable: ties keep the frame's order
        rows = np.flatnonzero(mask)
        keys, ids = (when, ids) if len(rows) == len(mask) else (when[rows], ids[rows])
        keys = keys.view(np.int64)
        if _in_order(keys, ids):  # the store reads rows in this order: nothing to sort
            return rows
        return rows[np.lexsort((ids, keys))]
    keys = pd.DataFrame({"when": when, "id": ids})[mask]
    return keys.sort_values(["when", "id"], kind="stable").index.to_numpy()


def _in_order(keys: np.ndarray, ids: np.ndarray) -> bool:
    """Whether rows with these (when as int64, id) keys are already in (when, id) order, in O(n): then a
    stable sort of them is the identity (equal keys keep their order either way)."""
    if len(keys) < 2:
        return True
    later, earlier = keys[1:], keys[:-1]
    if not (later >= earlier).all():
        return False
    ties = np.flatnonzero(later == earlier)
    return bool((ids[ties + 1] >= ids[ties]).all())


def _rows(frame: pd.DataFrame, order: np.ndarray) -> pd.DataFrame:
    """frame.take(order) with a fresh index; a slice (no copy of the columns) when `order` is a run of
    consecutive rows, as it is for a frame already in chronological order."""
    if len(order) and order[-1] - order[0] + 1 == len(order) and (len(order) < 2 or (order[1:] > order[:-1]).all()):
        return frame.iloc[int(order[0]):int(order[-1]) + 1].reset_index(drop=True)
    return frame.take(order).reset_index(drop=True)


def _codes(values: pd.Series, order: np.ndarray) -> np.ndarray:
    """Integer codes of a column's values at `order` (missing = -1): equal codes = equal values."""
    return pd.factorize(values)[0][order]


def _pair_codes(frame: pd.DataFrame, order: np.ndarray) -> np.ndarray:
    """One code per (party, topic) group of the rows at `order`."""
    return _combine(_codes(frame["party"], order), _codes(frame["topic"], order))


def _combine(first: np.ndarray, second: np.ndarray) -> np.ndarray:
    """One code per distinct (first, second) pair of codes (-1 = missing is a value like any other)."""
    first, second = np.asarray(first, dtype=np.int64), np.asarray(second, dtype=np.int64)
    return pd.factorize(first * (int(second.max(initial=0)) + 2) + second + 1)[0].astype(np.int64)


def _taking(frame: pd.DataFrame, order: np.ndarray) -> np.ndarray:
    """Rows at `order` whose stance is one taken (not missing, not a neutral report)."""
    stance = frame["stance"]
    return (stance.notna() & (stance != "report")).to_numpy(dtype=bool)[order]


_TEXT = pd.Series(["text"]).dtype  # what pandas makes of a list of str (str with pandas 3's string inference)


def _previous_in_group(groups: np.ndarray) -> np.ndarray:
    """For each element, the index of the previous element of the same group (-1 for a group's first)."""
    previous = np.full(len(groups), -1, dtype=np.int64)
    if len(groups) < 2:
        return previous
    if groups.min() >= 0 and groups.max() < 2 ** 16:
        groups = groups.astype(np.uint16)  # a stable sort of 16-bit keys is a radix sort
    by_group = np.argsort(groups, kind="stable")
    same = groups[by_group[1:]] == groups[by_group[:-1]]
    previous[by_group[1:]] = np.where(same, by_group[:-1], -1)
    return previous


def _stated(numbers: pd.Series, order: np.ndarray | None = None) -> tuple[np.ndarray, list, list]:
    """The numbers `numbers_long` keeps of the rows at `order` (default: all rows), in that order:
    (index into `order` of each number's row, its unit, the item)."""
    values = numbers.to_numpy()
    if order is not None and len(order) < len(values) // 8:
        values, order = values[order], None  # a few rows: pick them first
    try:  # non-empty lists are truthy; the loop below checks the candidates properly
        candidates = values.astype(bool)
    except (TypeError, ValueError):  # values without a truth value: check every one
        candidates = np.ones(len(values), dtype=bool)
    if order is not None:
        candidates = candidates[order]
    candidates = np.flatnonzero(candidates)
    picked = values[candidates if order is None else order[candidates]]
    rows, units, items = [], [], []
    source_unit: dict = {}  # unit -> counts_sources, decided once per distinct unit
    for row, value_list in zip(candidates.tolist(), picked.tolist()):
        if not isinstance(value_list, list):
            continue
        for n in value_list:
            if not isinstance(n, dict):
                continue
            unit, value = n.get("unit"), n.get("value")
            if not unit or not isinstance(value, (int, float)) or isinstance(value, bool):
                continue
            if isinstance(unit, str):
                if unit not in source_unit:
                    source_unit[unit] = counts_sources(n)
                if source_unit[unit]:
                    continue
            elif counts_sources(n):
                continue
            rows.append(row)
            units.append(unit)
            items.append(n)
    return np.asarray(rows, dtype=np.int64), units, items


def _labels(items: list) -> list[str]:
    """format_number of each item, computed once per distinct (value, qualifier, unit): the label depends on
    nothing else, and equal int and float values (700, 700.0) have the same label."""
    seen: dict = {}
    out = []
    for n in items:
        try:
            key = (n.get("value"), n.get("qualifier"), n.get("unit"))
            label = seen.get(key)
            if label is None:
                label = seen[key] = format_number(n)
        except TypeError:  # unhashable qualifier or unit
            label = format_number(n)
        out.append(label)
    return out


# ---------------------------------------------------------------------------------------------
# Where each side stands: latest stance matrix, shifts, gaps
# ---------------------------------------------------------------------------------------------
LATEST_COLUMNS = ["party", "topic", "party_name", "topic_name", "stance", "stance_sure", "stance_probability",
                  "numbers_text", "when", "sentence", "doc_title", "doc_source", "id", "statements", "corrected"]


def latest_positions(frame: pd.DataFrame, stances_only: bool = True) -> pd.DataFrame:
    """One row per (party, topic): the most recent statement, with how many statements the pair has.
    With `stances_only`, neutral reports are skipped unless a pair has nothing else."""
    order = _chronological_order(frame)
    if len(order) == 0:
        return pd.DataFrame(columns=LATEST_COLUMNS)
    pairs = _pair_codes(frame, order)
    counts = np.bincount(pairs)
    latest = np.full(len(counts), -1, dtype=np.int64)
    last = ~pd.Series(pairs).duplicated(keep="last").to_numpy()
    latest[pairs[last]] = np.flatnonzero(last)
    if stances_only:
        # a pair's latest non-report statement; pairs with only reports keep their latest report
        taking = np.flatnonzero(_taking(frame, order))
        last = ~pd.Series(pairs[taking]).duplicated(keep="last").to_numpy()
        latest[pairs[taking[last]]] = taking[last]
    columns = [c for c in LATEST_COLUMNS if c != "statements"]
    out = frame[columns].take(order[latest]).assign(statements=counts)[LATEST_COLUMNS]
    return out.sort_values(["topic", "party"]).reset_index(drop=True)


def numbers_long(frame: pd.DataFrame) -> pd.DataFrame:
    """One row per stated number: the statement's columns plus unit, value (float) and label, in the
    frame's order. Numbers without a unit or a numeric value, and counts of sources, are left out."""
    rows, units, items = _stated(frame["numbers"])
    out = frame.take(rows)
    out["numbers"] = pd.Series(items, index=out.index, dtype=object)
    return out.assign(
        unit=units,
        value=[float(n["value"]) for n in items],
        label=_labels(items),
    ).reset_index(drop=True)


SHIFT_COLUMNS = ["when", "party", "topic", "party_name", "topic_name", "kind", "before", "after", "change",
                 "before_when", "sentence", "doc_title", "doc_source", "id"]


def shifts(frame: pd.DataFrame, limit: int | None = None) -> pd.DataFrame:
    """Changes of a party's stance (ignoring neutral reports) or of a number (same unit) on a topic,
    most recent first: 'hamas: reject -> accept on ceasefire'."""
    order = _chronological_order(frame)
    pairs = _pair_codes(frame, order)
    when = frame["when"].to_numpy()[order]
    # stance changes between consecutive statements of a party on a topic that take a stance
    taking = np.flatnonzero(_taking(frame, order))
    stance_codes = _codes(frame["stance"], order[taking])
    previous = _previous_in_group(pairs[taking])
    changed = (previous >= 0) & (stance_codes[np.maximum(previous, 0)] != stance_codes)
    stance_at, stance_before = taking[changed], taking[previous[changed]]
    # number changes between consecutive statements of a party on a topic that give the same unit
    ids = frame["id"].to_numpy()
    fast = bool(limit) and ids.dtype.kind in "iu" and when.dtype.kind == "M"
    stated, units, items, first = _recent_numbers(frame, order, pairs, when, stance_at, limit) if fast else \
        (*_stated(frame["numbers"], order), 0)
    values = np.asarray([float(n["value"]) for n in items], dtype=float)
    unit_codes = pd.factorize(pd.Series(units, dtype=object))[0] if units else np.zeros(0, np.int64)
    previous = _previous_in_group(_combine(pairs[stated], unit_codes) if len(stated) else stated)
    before_value = values[np.maximum(previous, 0)] if len(values) else values
    changed = (previous >= 0) & ~np.isnan(before_value) & (before_value != values) & (stated >= first)
    number_at, number_before = np.flatnonzero(changed), previous[changed]
    # the most recent `limit` (when, id, kind descending; ties in the order stance rows, then number rows)
    n_stance, n_number = len(stance_at), len(number_at)
    chosen_stance, chosen_number = np.arange(n_stance), np.arange(n_number)
    if fast and n_stance + n_number > limit:
        at = np.concatenate([stance_at, stated[number_at]])
        kind = np.concatenate([np.ones(n_stance, np.int8), np.zeros(n_number, np.int8)])
        recent = when[at].view(np.int64)
        # only candidates at least as recent as the limit-th most recent can be among the first `limit`
        sub = np.flatnonzero(recent >= np.partition(recent, len(recent) - limit)[len(recent) - limit])
        rank = sub[np.lexsort((sub, -kind[sub], -ids[order[at[sub]]].astype(np.int64), -recent[sub]))]
        top = np.sort(rank[:limit])
        chosen_stance, chosen_number = top[top < n_stance], top[top >= n_stance] - n_stance
    columns = ["when", "party", "topic", "party_name", "topic_name", "sentence", "doc_title", "doc_source", "id"]
    parts = frame[[*columns, "stance"]]
    rows = order[stance_at[chosen_stance]]
    stance = parts[columns].take(rows).assign(
        before=parts["stance"].take(order[stance_before[chosen_stance]]).array,
        before_when=when[stance_before[chosen_stance]], after=parts["stance"].take(rows).array, kind="stance")
    labels = _labels([items[i] for i in np.concatenate([number_at[chosen_number], number_before[chosen_number]])])
    if items:  # the labels' dtype as if every number were labelled (then never empty), even when none is chosen
        labels = pd.Series(labels, dtype=_TEXT).array
    rows = order[stated[number_at[chosen_number]]]
    numbers = parts[columns].take(rows).assign(
        before=labels[len(chosen_number):], before_when=when[stated[number_before[chosen_number]]],
        after=labels[:len(chosen_number)], kind="number")
    out = pd.concat([stance, numbers], ignore_index=True) if len(stance) or len(numbers) else \
        pd.DataFrame(columns=[c for c in SHIFT_COLUMNS if c != "change"])
    out = out.assign(change=out["before"].astype(str) + " → " + out["after"].astype(str))[SHIFT_COLUMNS]
    out = out.sort_values(["when", "id", "kind"], ascending=[False, False, False], kind="stable")
    out = out.reset_index(drop=True)
    return out.head(limit) if limit else out


def _recent_numbers(frame: pd.DataFrame, order: np.ndarray, pairs: np.ndarray, when: np.ndarray,
                    stance_at: np.ndarray, limit: int, chunk: int = 20_000) -> tuple[np.ndarray, list, list, int]:
    """`_stated` of the rows at `order` that can hold one of the `limit` most recent number shifts, and of
    enough rows before them to know each group's previous number: (indices into `order`, units, items,
    first index that may hold a shift). With `limit` stance shifts at or after a time, no number shift
    before it makes the cut; the rows from there on are read, then earlier rows, newest first, until every
    (party, topic, unit) they give has a previous number (or the rows run out)."""
    if len(stance_at) < limit:
        first = 0
    else:
        recent = when[stance_at].view(np.int64)
        threshold = np.partition(recent, len(recent) - limit)[len(recent) - limit]
        first = int(np.searchsorted(when.view(np.int64), threshold, side="left"))  # `when` is sorted
    numbers = frame["numbers"]
    stated, units, items = _stated(numbers, order[first:])
    parts = [(stated + first, units, items)]
    needed = set(zip(pairs[stated + first].tolist(), units))
    end = first
    while end > 0 and (needed or not any(p[2] for p in parts)):
        start = max(0, end - chunk)
        stated, units, items = _stated(numbers, order[start:end])
        parts.insert(0, (stated + start, units, items))
        needed -= set(zip(pairs[stated + start].tolist(), units))
        end = start
    return (np.concatenate([p[0] for p in parts]), [u for p in parts for u in p[1]],
            [n for p in parts for n in p[2]], first)


def numbers_spread(latest_rows: pd.DataFrame, frame: pd.DataFrame) -> dict[str, tuple[float, float]]:
    """Per unit, (lowest, highest) of the numbers in the given latest statements (rows of `frame` by id)."""
    stated = numbers_long(frame[frame["id"].isin(latest_rows["id"])])
    if stated.empty:
        return {}
    bounds = stated.groupby("unit")["value"].agg(["min", "max", "size"])
    return {unit: (float(low), float(high))
            for unit, low, high, size in zip(bounds.index, bounds["min"], bounds["max"], bounds["size"]) if size >= 2}


def gaps(frame: pd.DataFrame, parties: Sequence[str] | None = None,
         latest: pd.DataFrame | None = None) -> pd.DataFrame:
    """Per topic, where the parties' latest stances stand: who is for, who against, and how far apart.

    stance_gap = (highest - lowest polarity) / 2, in [0, 1] (1 = one party for, another against);
    number_gap = largest relative spread (high - low) / high of a unit the parties' latest statements share;
    gap = the larger of the two. status: apart, apart on numbers, close, one party, no stance.
    `latest`: `latest_positions(frame)` when the caller has it already (saves computing it again)."""
    columns = ["topic", "topic_name", "status", "gap", "stance_gap", "number_gap", "for", "against", "neutral",
               "numbers", "parties", "last"]
    latest = latest_positions(frame) if latest is None else latest
    if parties:
        latest = latest[latest["party"].isin(list(parties))]
    # the latest statements' rows (their numbers), for the numbers' spread
    stated = frame.loc[frame["id"].isin(latest["id"]).to_numpy(dtype=bool), ["id", "numbers"]]
    out = []
    for topic, group in latest.groupby("topic", sort=True):
        polarity = group["stance"].map(POLARITY).fillna(0).astype(int)
        sides = {side: sorted(group.loc[polarity == value, "party_name"].astype(str)) for value, side in SIDE.items()}
        taking = polarity[polarity != 0]
        stance_gap = (taking.max() - taking.min()) / 2 if len(taking) else 0.0
        spread = numbers_spread(group, stated)
        number_gap = max(((hi - lo) / hi if hi else 0.0) for lo, hi in spread.values()) if spread else 0.0
        if len(taking) == 0:
            status = "no stance"
        elif group["party"].nunique() < 2 or len(taking) < 2:
            status = "one party"
        elif stance_gap > 0:
            status = "apart"
        elif number_gap >= 0.1:
            status = "apart on numbers"
        else:
            status = "close"
        out.append({
            "topic": topic, "topic_name": group["topic_name"].iloc[0], "status": status,
            "gap": float(max(stance_gap, number_gap)), "stance_gap": float(stance_gap),
            "number_gap": float(number_gap), "for": ", ".join(sides["for"]), "against": ", ".join(sides["against"]),
            "neutral": ", ".join(sides["neutral"]),
            "numbers": "; ".join(f"{_num(lo)}–{_num(hi)} {unit}" if lo != hi else f"{_num(lo)} {unit}"
                                 for unit, (lo, hi) in sorted(spread.items())),
            "parties": int(group["party"].nunique()), "last": group["when"].max(),
        })
    return pd.DataFrame(out, columns=columns).sort_values(["gap", "topic"], ascending=[False, True],
                                                          kind="stable").reset_index(drop=True)


def _num(value: float) -> str:
    return f"{int(value):,}" if float(value).is_integer() else f"{value:,.2f}"


# ---------------------------------------------------------------------------------------------
# Over time: timeline points, numbers
# ---------------------------------------------------------------------------------------------
def timeline(frame: pd.DataFrame, topics: Iterable[str] | None = None) -> pd.DataFrame:
    """Dated position statements (optionally of some topics), oldest first: the swim-lane points."""
    topics = list(topics or ())
    if topics:
        frame = frame[frame["topic"].isin(topics)]
    return _rows(frame, _chronological_order(frame))


def numbers_over_time(frame: pd.DataFrame, topics: Iterable[str] | None = None,
                      max_units: int | None = 4) -> pd.DataFrame:
    """One row per number stated by a party, oldest first, for the `max_units` most frequent units:
    when, party, party_name, topic, unit, value, label (e.g. 'up to 700 prisoners'), stance, sentence, source."""
    columns = ["when", "party", "party_name", "topic", "topic_name", "unit", "value", "label", "stance",
               "sentence", "doc_title", "doc_source", "id"]
    topics = list(topics or ())
    if topics:
        frame = frame[frame["topic"].isin(topics)]
    order = _chronological_order(frame)
    stated, units, items = _stated(frame["numbers"], order)
    if len(stated) == 0:
        return pd.DataFrame(columns=columns)
    unit = pd.Series(units)  # the dtype pandas gives a list of units
    if max_units:
        kept = np.flatnonzero(unit.isin(unit.value_counts().head(max_units).index).to_numpy(dtype=bool))
        items, stated, unit = [items[i] for i in kept], stated[kept], unit.take(kept)
    out = frame[[c for c in columns if c not in ("unit", "value", "label")]].take(order[stated])
    out = out.assign(unit=unit.array, value=[float(n["value"]) for n in items], label=_labels(items))
    return out[columns].reset_index(drop=True)


def thin(points: pd.DataFrame, max_points: int) -> pd.DataFrame:
    """At most `max_points` rows for a chart, spread evenly over time within each party; stances taken
    are kept before neutral reports. Returns the rows unchanged when there are few enough."""
    if len(points) <= max_points:
        return points
    quota = max(1, max_points // max(1, points["party"].nunique()))
    kept = []
    for _, lane in points.groupby("party", sort=False):
        taking = lane[lane["stance"].notna() & (lane["stance"] != "report")]
        lane = taking if len(taking) >= quota else lane
        step = max(1, int(np.ceil(len(lane) / quota)))
        kept.append(lane.iloc[::-1].iloc[::step].iloc[::-1])  # always keep the latest statement
    return _chronological(pd.concat(kept))


# ---------------------------------------------------------------------------------------------
# Party against party: side by side, similarity over time, agreeing and disagreeing statements
# ---------------------------------------------------------------------------------------------
def compare_latest(frame: pd.DataFrame, parties: Sequence[str]) -> pd.DataFrame:
    """Per topic, each party's latest position as 'stance · numbers · date' and its evidence sentence."""
    latest = latest_positions(frame[frame["party"].isin(list(parties))])
    names = party_names(frame)
    out = pd.DataFrame({"topic_name": sorted(latest["topic_name"].dropna().unique())})
    evidence = {}
    for party in parties:
        mine = latest[latest["party"] == party].set_index("topic_name")
        label = names.get(party, party)
        summary = [
            " · ".join(x for x in (r.stance or "", r.numbers_text, r.when.date().isoformat()) if x)
            for r in mine.itertuples()
        ]
        out[f"{label}: position"] = out["topic_name"].map(dict(zip(mine.index, summary)))
        evidence[f"{label}: evidence"] = out["topic_name"].map(mine["sentence"].to_dict())
    return out.assign(**evidence)  # positions side by side first, then the sentences behind them


def party_names(frame: pd.DataFrame) -> dict[str, str]:
    """party id -> display name, from a prepared frame."""
    pairs = frame[["party", "party_name"]].dropna().drop_duplicates("party")
    return dict(zip(pairs["party"].tolist(), pairs["party_name"].tolist()))


def _vectors_for(sentence_ids: Sequence[int], ids: np.ndarray, matrix: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Rows of `matrix` (row i = vector of ids[i]) for the given sentence ids; returns (found mask, vectors)."""
    wanted = np.asarray(sentence_ids, dtype=np.int64)
    if len(ids) == 0 or len(wanted) == 0:
        return np.zeros(len(wanted), bool), np.zeros((0, matrix.shape[1] if matrix.ndim == 2 else 0), np.float32)
    order = None if np.all(ids[:-1] <= ids[1:]) else np.argsort(ids, kind="stable")
    at = np.clip(np.searchsorted(ids, wanted, sorter=order), 0, len(ids) - 1)
    rows = at if order is None else order[at]
    found = ids[rows] == wanted
    return found, matrix[rows[found]]


def _cosine(a: np.ndarray, b: np.ndarray) -> float:
    norm = float(np.linalg.norm(a) * np.linalg.norm(b))
    return float(a @ b / norm) if norm else 0.0


def party_similarity(frame: pd.DataFrame, ids: np.ndarray, matrix: np.ndarray, parties: Sequence[str],
                     topic: str | None = None, freq: str = "M", cumulative: bool = False) -> pd.DataFrame:
    """Per period and pair of parties, cosine similarity of the mean vectors of their statements (on
    `topic`, or on all topics). With `cumulative`, each period uses all statements up to its end, so a
    party silent in one month keeps its last known position. Pairs are skipped where a party has none."""
    columns = ["period", "party_a", "party_b", "pair", "similarity", "n_a", "n_b"]
    rows = timeline(frame[frame["party"].isin(list(parties))], [topic] if topic else None)
    if rows.empty or len(ids) == 0:
        return pd.DataFrame(columns=columns)
    found, vectors = _vectors_for(rows["sentence_id"].to_numpy(), ids, matrix)
    rows = rows[found]
    periods = rows["when"].dt.to_period(freq)
    period_codes, period_values = pd.factorize(periods, sort=True)
    party_index = {party: i for i, party in enumerate(parties)}
    party_codes = rows["party"].map(party_index).to_numpy()
    # vector sums and counts per (period, party); running totals when cumulative
    sums = np.zeros((len(period_values), len(parties), vectors.shape[1]), dtype=np.float64)
    counts = np.zeros((len(period_values), len(parties)), dtype=np.int64)
    for (p, q), index in pd.Series(0, index=range(len(rows))).groupby([period_codes, party_codes]).indices.items():
        sums[p, q], counts[p, q] = vectors[index].sum(axis=0), len(index)
    if cumulative:
        sums, counts = np.cumsum(sums, axis=0), np.cumsum(counts, axis=0)
    names = party_names(rows)
    out = []
    for p, period in enumerate(period_values):
        for i, a in enumerate(parties):
            for j in range(i + 1, len(parties)):
                b = parties[j]
                if counts[p, i] and counts[p, j]:
                    out.append({"period": period.start_time, "party_a": a, "party_b": b,
                                "pair": f"{names.get(a, a)} – {names.get(b, b)}",
                                "similarity": _cosine(sums[p, i], sums[p, j]),  # cosine of sums = of means
                                "n_a": int(counts[p, i]), "n_b": int(counts[p, j])})
    return pd.DataFrame(out, columns=columns)


def statement_pairs(frame: pd.DataFrame, ids: np.ndarray, matrix: np.ndarray, party_a: str, party_b: str,
                    topic: str | None = None, k: int = 5, max_per_party: int = 2000) -> pd.DataFrame:
    """The statements of two parties that most agree and most disagree.

    Embedding similarity says two sentences speak of the same thing, not that they agree. So a pair
    *agrees* when the stances are on the same side (both for, or both against) and *disagrees* when
    they are on opposite sides; within each relation the most similar pairs come first. Each party's
    most recent `max_per_party` statements are compared (bounds memory on large stores)."""
    columns = ["relation", "similarity", "stance_a", "stance_b", "sentence_a", "sentence_b", "when_a", "when_b",
               "source_a", "source_b", "id_a", "id_b"]
    rows = timeline(frame, [topic] if topic else None)
    sides = []
    for party in (party_a, party_b):
        mine = rows[rows["party"] == party].tail(max_per_party)
        found, vectors = _vectors_for(mine["sentence_id"].to_numpy(), ids, matrix)
        sides.append((mine[found].reset_index(drop=True), vectors))
    (a, va), (b, vb) = sides
    if a.empty or b.empty:
        return pd.DataFrame(columns=columns)
    similarity = va @ vb.T
    pol_a = a["stance"].map(POLARITY).fillna(0).to_numpy()[:, None]
    pol_b = b["stance"].map(POLARITY).fillna(0).to_numpy()[None, :]
    relation = np.sign(pol_a * pol_b).astype(np.int8)  # 1 = same side, -1 = opposite sides, 0 = neutral
    # a sentence given to both parties is no pair; a sentence with several topics counts once
    relation[a["sentence_id"].to_numpy()[:, None] == b["sentence_id"].to_numpy()[None, :]] = 0
    out = []
    for name, code in (("agree", 1), ("disagree", -1)):
        candidates = np.argwhere(relation == code)
        if len(candidates) == 0:
            continue
        scores = similarity[candidates[:, 0], candidates[:, 1]]
        seen: set[tuple[int, int]] = set()
        top = min(len(scores), k * 20)  # enough to find k distinct sentence pairs
        best = np.argpartition(-scores, top - 1)[:top]
        for index in best[np.argsort(-scores[best], kind="stable")]:
            i, j = candidates[index]
            ra, rb = a.iloc[i], b.iloc[j]
            if (ra["sentence_id"], rb["sentence_id"]) in seen:
                continue
            if len(seen) == k:
                break
            seen.add((ra["sentence_id"], rb["sentence_id"]))
            out.append({"relation": name, "similarity": float(scores[index]), "stance_a": ra["stance"],
                        "stance_b": rb["stance"], "sentence_a": ra["sentence"], "sentence_b": rb["sentence"],
                        "when_a": ra["when"], "when_b": rb["when"], "source_a": ra["doc_source"],
                        "source_b": rb["doc_source"], "id_a": ra["id"], "id_b": rb["id"]})
    return pd.DataFrame(out, columns=columns)


# ---------------------------------------------------------------------------------------------
# Search results: who said it first
# ---------------------------------------------------------------------------------------------
def who_said_first(hits: pd.DataFrame, min_score: float = 0.0) -> pd.DataFrame:
    """Of similar statements (rows with `score` and `when`), per party: when it first said it, what it said,
    how often, and the best match; earliest first, with `first` marking the party that said it first."""
    columns = ["party", "party_name", "first_when", "sentence", "doc_source", "doc_title", "times", "best_score",
               "first", "id"]
    rows = hits[(hits["score"] >= min_score) & hits["party"].notna()]
    rows = _chronological(rows)
    if rows.empty:
        return pd.DataFrame(columns=columns)
    grouped = rows.groupby("party", sort=False)
    first = grouped.head(1).set_index("party")
    out = pd.DataFrame({
        "party": first.index, "party_name": first["party_name"].to_numpy(), "first_when": first["when"].to_numpy(),
        "sentence": first["sentence"].to_numpy(), "doc_source": first["doc_source"].to_numpy(),
        "doc_title": first["doc_title"].to_numpy(), "times": grouped.size().reindex(first.index).to_numpy(),
        "best_score": grouped["score"].max().reindex(first.index).to_numpy(), "id": first["id"].to_numpy(),
    })
    out = out.sort_values(["first_when", "id"], kind="stable").reset_index(drop=True)
    out["first"] = out.index == 0
    return out[columns]


# ---------------------------------------------------------------------------------------------
# Evidence, corrections, quality
# ---------------------------------------------------------------------------------------------
def evidence(text: str, start: int, end: int) -> tuple[str, str, str]:
    """The paragraph around text[start:end], split as (before, sentence, after)."""
    para_start = text.rfind("\n\n", 0, start)
    para_start = 0 if para_start < 0 else para_start + 2
    para_end = text.find("\n\n", end)
    para_end = len(text) if para_end < 0 else para_end
    return text[para_start:start], text[start:end], text[end:para_end]


def correction_changes(shown: pd.DataFrame, edited: pd.DataFrame,
                       fields: Sequence[str] = ("party", "topic", "stance")) -> list[tuple[int, str, str | None]]:
    """(position id, field, new value) for every cell an analyst changed; rows matched by `id`."""
    before = shown.set_index("id")
    after = edited.set_index("id")
    after = after[after.index.isin(before.index)].reindex(before.index[before.index.isin(after.index)])
    before = before.loc[after.index]
    changes = []
    for name in fields:
        # missing values and empty strings are the same "nothing" (None)
        old = [None if pd.isna(v) or v == "" else v for v in before[name].tolist()]
        new = [None if pd.isna(v) or v == "" else v for v in after[name].tolist()]
        changes += [(int(i), name, b) for i, a, b in zip(after.index, old, new) if a != b]
    return changes


def confirmed_stances(shown: pd.DataFrame, edited: pd.DataFrame) -> list[tuple[int, str, str]]:
    """(position id, "stance", stance) for every row an analyst ticked as sure without changing its stance: kept as
    a correction to the same stance, so the row counts as checked (unticking changes nothing)."""
    before = shown.set_index("id")
    after = edited.set_index("id")
    common = before.index.intersection(after.index)
    before, after = before.loc[common], after.loc[common]
    ticked = ~before["stance_sure"].astype(bool) & after["stance_sure"].fillna(False).astype(bool)
    same = before["stance"].eq(after["stance"]) & after["stance"].notna()
    return [(int(i), "stance", str(after.at[i, "stance"])) for i in common[(ticked & same).to_numpy()]]


def statement_labels(frame: pd.DataFrame, width: int = 90) -> list[str]:
    """One plain-text line per row for select boxes: 'date · party · stance · sentence…'."""
    when = frame["when"].dt.strftime("%Y-%m-%d").fillna("undated").tolist()
    party = frame["party_name"].fillna("—").tolist()
    stance = frame["stance"].fillna("—").tolist()
    sentences = [s if len(s) <= width else s[: width - 1] + "…" for s in frame["sentence"].astype(str).tolist()]
    return [" · ".join(parts) for parts in zip(when, party, stance, sentences)]


def quality_table(report: dict) -> pd.DataFrame:
    """{'heldout': {...}, 'dev': {...}} evaluation figures -> rows metric | heldout | dev (numeric leaves
    flattened with dotted names, e.g. 'topic.macro_f1'; lists and matrices left out)."""
    from .evaluation import QUALITY_TARGETS

    parts = {split: _flatten(report.get(split) or {}) for split in ("heldout", "dev")}
    metrics = list(dict.fromkeys([*parts["heldout"], *parts["dev"]]))
    return pd.DataFrame({"metric": metrics, "label": [_metric_label(m) for m in metrics],
                         "heldout": [parts["heldout"].get(m) for m in metrics],
                         "dev": [parts["dev"].get(m) for m in metrics],
                         "target": [QUALITY_TARGETS.get(m, np.nan) for m in metrics]})


def _metric_label(metric: str) -> str:
    """'stance_accuracy_rules' -> 'Stance accuracy rules'; 'topic.macro_f1' -> 'Topic: macro f1'."""
    words = ": ".join(part.replace("_", " ") for part in metric.split("."))
    return words[:1].upper() + words[1:]


def _flatten(data: dict, prefix: str = "") -> dict[str, float]:
    out: dict[str, float] = {}
    for key, value in data.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            out.update(_flatten(value, name + "."))
        elif isinstance(value, (int, float)) and not isinstance(value, bool):
            out[name] = float(value)
    return out



def events_in_view(events: Sequence, topics: Iterable[str] = (), start: dt.date | None = None,
                   end: dt.date | None = None) -> list:
    """Config events within [start, end] that concern one of `topics` (events without topics always do)."""
    topics = set(topics or ())
    return [e for e in events
            if (not topics or not e.topics or topics & set(e.topics))
            and (start is None or e.date >= start) and (end is None or e.date <= end)]


def search_hits(index, frame: pd.DataFrame, vector: np.ndarray, k: int = 20,
                exclude_sentence: int | None = None) -> pd.DataFrame:
    """The `k` sentences of `frame` nearest to `vector` in a VectorIndex, as frame rows (one per position
    row of a hit sentence) with `score`, best first. Filter `frame` first: only its sentences are searched."""
    allowed = frame["sentence_id"].unique()
    if exclude_sentence is not None:
        allowed = allowed[allowed != exclude_sentence]
    if len(allowed) == 0:
        return frame.iloc[0:0].assign(score=pd.Series(dtype=float))
    hits = dict(index.search(vector, k, allowed))
    rows = frame[frame["sentence_id"].isin(list(hits))]
    rows = rows.assign(score=rows["sentence_id"].map(hits).astype(float))
    return rows.sort_values(["score", "id"], ascending=[False, True], kind="stable").reset_index(drop=True)


def recent_first(frame: pd.DataFrame, limit: int | None = None) -> pd.DataFrame:
    """Newest statements first (undated last), at most `limit` rows, index reset."""
    out = frame.sort_values(["when", "id"], ascending=[False, False], na_position="last", kind="stable")
    return (out.head(limit) if limit else out).reset_index(drop=True)


def review_queue(frame: pd.DataFrame, first_ids: Iterable[int], limit: int | None = None) -> pd.DataFrame:
    """Rows to check by hand, those in `first_ids` first (the ids the Overview matrix shows: latest_positions of
    the unfiltered view), then the rest; newest first within each, at most `limit`, index reset."""
    first = frame["id"].isin(list(first_ids))
    out = frame.assign(_first=first).sort_values(["_first", "when", "id"], ascending=[False, False, False],
                                                  na_position="last", kind="stable").drop(columns="_first")
    return (out.head(limit) if limit else out).reset_index(drop=True)


EXPORT_COLUMNS = ["id", "when", "party", "party_name", "topic", "topic_name", "stance", "stance_probability",
                  "stance_sure", "numbers", "sentence",
                  "attribution", "speaker", "relayed_by", "confidence", "date_precision", "doc_title", "doc_source",
                  "doc_origin", "published", "corrected"]


def export_rows(frame: pd.DataFrame) -> pd.DataFrame:
    """Statement rows for download: stable columns, dates as YYYY-MM-DD text, numbers kept as lists."""
    out = frame[[c for c in EXPORT_COLUMNS if c in frame.columns]].copy()
    out["when"] = out["when"].dt.strftime("%Y-%m-%d")
    return out.rename(columns={"when": "date"}).reset_index(drop=True)


def export_csv(frame: pd.DataFrame) -> str:
    """CSV text; list columns (numbers) as JSON so they survive a round trip."""
    out = frame.copy()
    for column in out.columns:
        if out[column].map(lambda v: isinstance(v, (list, dict))).any():
            out[column] = out[column].map(lambda v: json.dumps(v, ensure_ascii=False))
    return out.to_csv(index=False)


def export_json(frame: pd.DataFrame) -> str:
    return frame.to_json(orient="records", force_ascii=False, indent=1)
