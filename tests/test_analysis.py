"""positions.analysis: small literal frames in, exact figures out."""
from __future__ import annotations

import datetime as dt
import json
import sys

import numpy as np
import pandas as pd
import pytest

from positions import analysis
from positions.config import Event, Negotiation, Party, Topic

NEG = Negotiation(
    "t", (Party("a", "Alpha", ("alpha",)), Party("b", "Beta", ("beta",)), Party("m", "Mediator", ("m",), "mediator")),
    (Topic("x", "Ex", "x"), Topic("y", "Why", "y")),
)


def frame(*rows) -> pd.DataFrame:
    """Statement rows as Store.statements returns them, from (party, topic, stance, date, numbers[, sentence])."""
    records = []
    for i, row in enumerate(rows, start=1):
        party, topic, stance, date, numbers, *sentence = row
        records.append({
            "id": i, "sentence_id": i, "sentence": sentence[0] if sentence else f"s{i}", "party": party,
            "topic": topic, "stance": stance, "numbers": [{"value": v, "unit": u, "text": f"{v} {u}",
                                                          "qualifier": None} for v, u in numbers],
            "date": date, "published": date, "date_precision": "published", "doc_title": f"t{i}",
            "doc_source": "wire", "doc_origin": None, "document_id": i, "start": 0, "end": 2,
            "corrected": False, "speaker": None, "relayed_by": None,
        })
    return analysis.prepare(pd.DataFrame(records), NEG)


HISTORY = frame(
    ("a", "x", "demand", "2024-01-01", [(3000, "prisoners")]),
    ("b", "x", "reject", "2024-01-02", []),
    ("b", "x", "propose", "2024-02-01", [(700, "prisoners")]),
    ("a", "x", "report", "2024-02-05", []),
    ("a", "x", "accept", "2024-03-01", [(1000, "prisoners")]),
    ("b", "y", "oppose", "2024-03-02", []),
    ("a", "y", "support", "2024-03-03", []),
)


def test_prepare_adds_when_numbers_text_and_names():
    rows = frame(("a", "x", "demand", None, [(6, "weeks")]))
    rows.loc[0, "published"] = "2024-05-06"
    out = analysis.prepare(rows.drop(columns=["when", "numbers_text", "party_name", "topic_name"]), NEG)
    assert out.loc[0, "when"] == pd.Timestamp("2024-05-06")  # falls back to the publication date
    assert out.loc[0, "numbers_text"] == "6 weeks"
    assert (out.loc[0, "party_name"], out.loc[0, "topic_name"]) == ("Alpha", "Ex")


def test_format_number_keeps_qualifier_and_thousands():
    assert analysis.format_number({"value": 1000.0, "unit": "prisoners", "qualifier": "up to"}) == "up to 1,000 prisoners"
    assert analysis.format_number({"value": 6, "unit": "weeks", "qualifier": "range_low"}) == "6 weeks"


def test_filter_by_dates_parties_topics_stances_text():
    f = analysis.filter_statements
    assert len(f(HISTORY, start=dt.date(2024, 2, 1), end=dt.date(2024, 3, 1))) == 3  # inclusive both ends
    assert set(f(HISTORY, parties=["b"])["party"]) == {"b"}
    assert set(f(HISTORY, topics=["y"])["topic"]) == {"y"}
    assert list(f(HISTORY, stances=["accept", "oppose"])["stance"]) == ["accept", "oppose"]
    assert list(f(HISTORY, text="S3")["id"]) == [3]
    assert len(f(HISTORY)) == len(HISTORY)


def test_kpis():
    k = analysis.kpis(HISTORY, {"documents": 4, "sentences": 9})
    assert k["documents"] == 4 and k["sentences"] == 9 and k["positions"] == 7
    assert (k["parties"], k["topics"], k["corrected"]) == (2, 2, 0)
    assert (k["first"], k["last"]) == (dt.date(2024, 1, 1), dt.date(2024, 3, 3))


def test_latest_positions_skips_reports_and_counts_statements():
    latest = analysis.latest_positions(HISTORY).set_index(["party", "topic"])
    assert latest.loc[("a", "x"), "stance"] == "accept"
    assert latest.loc[("a", "x"), "numbers_text"] == "1,000 prisoners"
    assert latest.loc[("a", "x"), "statements"] == 3
    assert latest.loc[("b", "x"), "when"] == pd.Timestamp("2024-02-01")
    only_report = analysis.latest_positions(frame(("a", "x", "report", "2024-01-01", [])))
    assert list(only_report["stance"]) == ["report"]  # a pair with only reports keeps its latest report


def test_shifts_most_recent_first_with_stance_and_number_changes():
    moves = analysis.shifts(HISTORY)
    assert list(zip(moves["party"], moves["kind"], moves["before"], moves["after"])) == [
        ("a", "stance", "demand", "accept"),  # the report in between is not a stance
        ("a", "number", "3,000 prisoners", "1,000 prisoners"),
        ("b", "stance", "reject", "propose"),
    ]
    assert moves.loc[0, "when"] == pd.Timestamp("2024-03-01")
    assert moves.loc[0, "change"] == "demand → accept"
    assert len(analysis.shifts(HISTORY, limit=1)) == 1


def test_gaps_status_and_number_spread():
    gaps = analysis.gaps(HISTORY).set_index("topic")
    # x: a accepts 1000, b proposes 700: same side, numbers 30% apart
    assert gaps.loc["x", "status"] == "apart on numbers"
    assert gaps.loc["x", "number_gap"] == pytest.approx(0.3)
    assert gaps.loc["x", "numbers"] == "700–1,000 prisoners"
    # y: a supports, b opposes
    assert gaps.loc["y", "status"] == "apart" and gaps.loc["y", "gap"] == 1.0
    assert (gaps.loc["y", "for"], gaps.loc["y", "against"]) == ("Alpha", "Beta")
    assert list(gaps.index) == ["y", "x"]  # widest gap first
    one = analysis.gaps(HISTORY, parties=["a"]).set_index("topic")
    assert set(one["status"]) == {"one party"}


def test_gaps_close_when_stances_and_numbers_agree():
    rows = frame(("a", "x", "accept", "2024-01-01", [(6, "weeks")]), ("b", "x", "accept", "2024-01-02", [(6, "weeks")]))
    gaps = analysis.gaps(rows)
    assert gaps.loc[0, "status"] == "close" and gaps.loc[0, "gap"] == 0.0 and gaps.loc[0, "numbers"] == "6 weeks"


def test_timeline_and_numbers_over_time():
    points = analysis.timeline(HISTORY, ["x"])
    assert list(points["id"]) == [1, 2, 3, 4, 5]
    numbers = analysis.numbers_over_time(HISTORY)
    assert list(zip(numbers["party"], numbers["value"])) == [("a", 3000.0), ("b", 700.0), ("a", 1000.0)]
    assert set(numbers["unit"]) == {"prisoners"}
    many = frame(("a", "x", "demand", "2024-01-01", [(1, "weeks"), (2, "days"), (3, "days")]))
    assert set(analysis.numbers_over_time(many, max_units=1)["unit"]) == {"days"}


def test_compare_latest_side_by_side():
    table = analysis.compare_latest(HISTORY, ["a", "b"]).set_index("topic_name")
    assert table.loc["Ex", "Alpha: position"] == "accept · 1,000 prisoners · 2024-03-01"
    assert table.loc["Why", "Beta: position"] == "oppose · 2024-03-02"
    assert list(table.columns) == ["Alpha: position", "Beta: position", "Alpha: evidence", "Beta: evidence"]


def _vectors(mapping: dict[int, list[float]]) -> tuple[np.ndarray, np.ndarray]:
    ids = np.array(sorted(mapping), dtype=np.int64)
    matrix = np.array([mapping[i] for i in ids], dtype=np.float32)
    return ids, matrix / np.linalg.norm(matrix, axis=1, keepdims=True)


def test_party_similarity_per_month_and_cumulative():
    rows = frame(("a", "x", "demand", "2024-01-05", []), ("b", "x", "reject", "2024-01-20", []),
                 ("a", "x", "accept", "2024-02-03", []), ("b", "x", "accept", "2024-03-01", []))
    ids, matrix = _vectors({1: [1, 0], 2: [1, 0], 3: [0, 1], 4: [0, 1]})
    monthly = analysis.party_similarity(rows, ids, matrix, ["a", "b"], "x")
    assert list(monthly["period"]) == [pd.Timestamp("2024-01-01")]  # only January has both parties
    assert monthly.loc[0, "similarity"] == pytest.approx(1.0)
    assert monthly.loc[0, "pair"] == "Alpha – Beta"
    cumulative = analysis.party_similarity(rows, ids, matrix, ["a", "b"], "x", cumulative=True)
    # Feb: a = mean([1,0],[0,1]), b = [1,0] -> cos 45° ; Mar: both mean([1,0],[0,1]) -> 1
    assert list(cumulative["similarity"].round(4)) == [1.0, round(np.sqrt(0.5), 4), 1.0]
    assert list(cumulative["n_a"]) == [1, 2, 2]


def test_statement_pairs_agree_on_same_side_disagree_on_opposite():
    rows = frame(("a", "x", "demand", "2024-01-01", []), ("a", "x", "reject", "2024-01-02", []),
                 ("b", "x", "accept", "2024-01-03", []), ("b", "x", "oppose", "2024-01-04", []))
    ids, matrix = _vectors({1: [1, 0], 2: [0.6, 0.8], 3: [0.8, 0.6], 4: [0, 1]})
    pairs = analysis.statement_pairs(rows, ids, matrix, "a", "b", "x", k=5)
    agree = pairs[pairs["relation"] == "agree"]
    assert list(zip(agree["id_a"], agree["id_b"])) == [(1, 3), (2, 4)]  # most similar first
    disagree = pairs[pairs["relation"] == "disagree"]
    assert list(zip(disagree["id_a"], disagree["id_b"])) == [(2, 3), (1, 4)]
    assert disagree.iloc[0]["similarity"] == pytest.approx(0.96)


def test_statement_pairs_skip_a_sentence_given_to_both_parties():
    rows = frame(("a", "x", "accept", "2024-01-01", []), ("b", "x", "accept", "2024-01-01", []))
    rows["sentence_id"] = 7
    ids, matrix = _vectors({7: [1, 0]})
    assert analysis.statement_pairs(rows, ids, matrix, "a", "b").empty


def test_who_said_first():
    hits = HISTORY.assign(score=[0.9, 0.8, 0.95, 0.2, 0.7, 0.9, 0.9])
    first = analysis.who_said_first(hits, min_score=0.5)
    assert list(first["party"]) == ["a", "b"]
    assert list(first["first"]) == [True, False]
    assert first.loc[0, "first_when"] == pd.Timestamp("2024-01-01")
    assert list(first["times"]) == [3, 3]  # a: ids 1, 5, 7 (id 4 is below the threshold)
    assert first.loc[1, "best_score"] == pytest.approx(0.95)
    assert analysis.who_said_first(hits, min_score=0.99).empty


def test_evidence_splits_the_paragraph():
    text = "Head.\n\nFirst one. The sentence. After it.\n\nNext paragraph."
    start = text.index("The sentence.")
    assert analysis.evidence(text, start, start + len("The sentence.")) == ("First one. ", "The sentence.", " After it.")
    assert analysis.evidence("Only.", 0, 5) == ("", "Only.", "")


def test_correction_changes_by_id():
    shown = HISTORY[["id", "party", "topic", "stance"]].head(3)
    edited = shown.iloc[::-1].copy()  # order does not matter: rows match by id
    edited.loc[edited["id"] == 2, "stance"] = "accept"
    edited.loc[edited["id"] == 3, "party"] = None
    assert sorted(analysis.correction_changes(shown, edited)) == [(2, "stance", "accept"), (3, "party", None)]
    assert analysis.correction_changes(shown, shown.copy()) == []


def test_quality_table_flattens_numeric_leaves():
    report = {"heldout": {"holder_accuracy": 0.91, "topic": {"macro_f1": 0.8, "per_topic": {"x": 0.7}},
                          "confusion": [[1, 2]], "n": 100},
              "dev": {"holder_accuracy": 0.95}}
    table = analysis.quality_table(report).set_index("metric")
    assert table.loc["holder_accuracy", "heldout"] == 0.91 and table.loc["holder_accuracy", "dev"] == 0.95
    assert table.loc["topic.per_topic.x", "heldout"] == 0.7
    assert "confusion" not in table.index
    assert pd.isna(table.loc["n", "dev"])
    assert table.loc["holder_accuracy", "target"] == 0.90 and pd.isna(table.loc["n", "target"])
    assert table.loc["holder_accuracy", "label"] == "Holder accuracy"
    assert table.loc["topic.per_topic.x", "label"] == "Topic: per topic: x"


def test_events_in_view():
    events = [Event(dt.date(2024, 1, 1), "a", ("x",)), Event(dt.date(2024, 2, 1), "b", ()),
              Event(dt.date(2024, 3, 1), "c", ("y",))]
    assert [e.label for e in analysis.events_in_view(events, ["x"])] == ["a", "b"]
    assert [e.label for e in analysis.events_in_view(events, (), start=dt.date(2024, 1, 15))] == ["b", "c"]


class _Index:
    """A VectorIndex stand-in: exact inner product over allowed ids."""

    def __init__(self, ids, matrix):
        self.ids, self.matrix = ids, matrix

    def search(self, vector, k, allowed):
        mask = np.isin(self.ids, allowed)
        scores = self.matrix[mask] @ vector
        order = np.argsort(-scores)[:k]
        return [(int(self.ids[mask][i]), float(scores[i])) for i in order]


def test_search_hits_only_within_the_frame_and_excluding():
    ids, matrix = _vectors({i: [1, i / 10] for i in range(1, 8)})
    index = _Index(ids, matrix)
    hits = analysis.search_hits(index, HISTORY[HISTORY["party"] == "a"], matrix[0], k=2)
    assert list(hits["id"]) == [1, 4] and hits["score"].is_monotonic_decreasing
    assert 1 not in set(analysis.search_hits(index, HISTORY, matrix[0], k=3, exclude_sentence=1)["sentence_id"])


def test_exports_round_trip():
    rows = analysis.export_rows(HISTORY)
    assert rows.loc[0, "date"] == "2024-01-01"
    parsed = json.loads(analysis.export_json(rows))
    assert parsed[0]["numbers"][0]["value"] == 3000
    csv = analysis.export_csv(rows)
    back = pd.read_csv(pd.io.common.StringIO(csv))
    assert json.loads(back.loc[0, "numbers"])[0]["unit"] == "prisoners"
    assert len(back) == len(HISTORY)


def test_recent_first():
    assert list(analysis.recent_first(HISTORY, 2)["id"]) == [7, 6]


def test_thin_keeps_stances_spread_over_time_and_the_latest():
    rows = frame(*[("a", "x", "report" if i % 2 else "demand", f"2024-01-{i + 1:02d}", []) for i in range(20)],
                 *[("b", "x", "accept", f"2024-02-{i + 1:02d}", []) for i in range(3)])
    assert analysis.thin(rows, 100) is rows
    thinned = analysis.thin(rows, 10)
    alpha = thinned[thinned["party"] == "a"]
    assert len(alpha) <= 5 and set(alpha["stance"]) == {"demand"}
    assert alpha["when"].max() == pd.Timestamp("2024-01-19")  # the latest demand
    assert len(thinned[thinned["party"] == "b"]) == 3 and thinned["when"].is_monotonic_increasing


def test_statement_labels_are_plain_lines():
    labels = analysis.statement_labels(HISTORY.head(2).assign(sentence=["x" * 200, "short"]))
    assert labels[0].startswith("2024-01-01 · Alpha · demand · xxx") and labels[0].endswith("…")
    assert labels[1] == "2024-01-02 · Beta · reject · short"


def test_similarity_with_unsorted_index_ids():
    rows = frame(("a", "x", "demand", "2024-01-05", []), ("b", "x", "reject", "2024-01-20", []))
    ids = np.array([2, 1], dtype=np.int64)
    matrix = np.array([[0, 1], [1, 0]], dtype=np.float32)
    out = analysis.party_similarity(rows, ids, matrix, ["a", "b"])
    assert out.loc[0, "similarity"] == pytest.approx(0.0)


def test_counts_of_sources_are_not_shown_as_a_positions_number():
    from positions.analysis import prepare

    frame = pd.DataFrame([{"party": "a", "topic": "t", "date": "2024-05-06", "published": "2024-05-06",
                           "numbers": [{"value": 2, "unit": "officials"}, {"value": 700, "unit": "prisoners"}]}])
    assert prepare(frame)["numbers_text"].iloc[0] == "700 prisoners"


def test_gaps_reuses_a_given_latest_positions():
    latest = analysis.latest_positions(HISTORY)
    pd.testing.assert_frame_equal(analysis.gaps(HISTORY, latest=latest), analysis.gaps(HISTORY))
    pd.testing.assert_frame_equal(analysis.gaps(HISTORY, ["a"], latest=latest), analysis.gaps(HISTORY, ["a"]))


# The straightforward pandas versions (sort and group the whole frame) the fast ones must match exactly.
def _reference_chronological(rows):
    return rows.dropna(subset=["when"]).sort_values(["when", "id"], kind="stable")


def _reference_latest(rows, stances_only=True):
    rows = _reference_chronological(rows[rows["party"].notna() & rows["topic"].notna()])
    if rows.empty:
        return pd.DataFrame(columns=analysis.LATEST_COLUMNS)
    counts = rows.groupby(["party", "topic"]).size().rename("statements")
    latest = rows.groupby(["party", "topic"]).tail(1)
    if stances_only:
        taking = rows[rows["stance"].notna() & (rows["stance"] != "report")]
        latest = pd.concat([taking.groupby(["party", "topic"]).tail(1), latest])
        latest = latest.drop_duplicates(subset=["party", "topic"], keep="first")
    latest = latest.join(counts, on=["party", "topic"])
    return latest[analysis.LATEST_COLUMNS].sort_values(["topic", "party"]).reset_index(drop=True)


def _reference_numbers_long(rows):
    has = rows["numbers"].map(lambda v: isinstance(v, list) and len(v) > 0).astype(bool)
    exploded = rows[has].explode("numbers")
    keep = [isinstance(n, dict) and bool(n.get("unit")) and isinstance(n.get("value"), (int, float))
            and not isinstance(n.get("value"), bool) and not analysis.counts_sources(n) for n in exploded["numbers"]]
    exploded = exploded[np.asarray(keep, dtype=bool)]
    return exploded.assign(unit=[n["unit"] for n in exploded["numbers"]],
                           value=[float(n["value"]) for n in exploded["numbers"]],
                           label=[analysis.format_number(n) for n in exploded["numbers"]]).reset_index(drop=True)


def _reference_shifts(rows, limit=None):
    rows = _reference_chronological(rows[rows["party"].notna() & rows["topic"].notna()])
    taking = rows[rows["stance"].notna() & (rows["stance"] != "report")]
    keys = [taking["party"], taking["topic"]]
    stance = taking.assign(before=taking.groupby(keys)["stance"].shift(),
                           before_when=taking.groupby(keys)["when"].shift(), after=taking["stance"], kind="stance")
    stance = stance[stance["before"].notna() & (stance["before"] != stance["after"])]
    numbers = _reference_numbers_long(rows)
    keys = [numbers["party"], numbers["topic"], numbers["unit"]]
    numbers = numbers.assign(previous=numbers.groupby(keys)["value"].shift(),
                             before=numbers.groupby(keys)["label"].shift(),
                             before_when=numbers.groupby(keys)["when"].shift(), after=numbers["label"], kind="number")
    numbers = numbers[numbers["previous"].notna() & (numbers["previous"] != numbers["value"])]
    out = pd.concat([stance, numbers], ignore_index=True) if len(stance) or len(numbers) else \
        pd.DataFrame(columns=[c for c in analysis.SHIFT_COLUMNS if c != "change"])
    out = out.assign(change=out["before"].astype(str) + " → " + out["after"].astype(str))[analysis.SHIFT_COLUMNS]
    out = out.sort_values(["when", "id", "kind"], ascending=[False, False, False], kind="stable").reset_index(drop=True)
    return out.head(limit) if limit else out


def _random_statements(n=600, seed=3):
    """Messy rows: repeated days, missing party / topic / date / stance, reports, several numbers a row
    (some without unit or value, counts of sources, booleans, floats), a shuffled frame order."""
    rng = np.random.default_rng(seed)
    stances = ["demand", "reject", "accept", "report", "propose", None]
    units = ["prisoners", "days", "officials", "", None]

    def number():
        value = rng.choice([int(rng.integers(1, 9)), float(rng.integers(1, 9)), 2.5, True, None])
        return {"value": value, "unit": units[rng.integers(len(units))], "qualifier": rng.choice([None, "up to"])}

    rows = frame(*[
        (rng.choice(["a", "b", "m", None], p=[.4, .4, .15, .05]), rng.choice(["x", "y", None], p=[.5, .45, .05]),
         stances[rng.integers(len(stances))], rng.choice([None, *[f"2024-01-{d:02d}" for d in range(1, 12)]]), [])
        for _ in range(n)])
    rows["numbers"] = [[number() for _ in range(rng.integers(0, 4))] if rng.random() < .5 else [] for _ in range(n)]
    rows["id"] = rng.permutation(n) + 1  # ids not in frame order
    return rows.iloc[rng.permutation(n)].reset_index(drop=True)


@pytest.mark.parametrize("seed,chunk", [(3, 20_000), (4, 20_000), (5, 7)])
def test_fast_aggregations_match_the_reference_versions(seed, chunk, monkeypatch):
    monkeypatch.setattr(analysis._recent_numbers, "__defaults__", (chunk,))  # shifts reads earlier rows in chunks
    rows = _random_statements(seed=seed)
    for subset in (rows, rows.iloc[:40], rows.iloc[0:0], rows.assign(stance="accept"),
                   rows.assign(numbers=[[] for _ in range(len(rows))])):
        pd.testing.assert_frame_equal(analysis.latest_positions(subset), _reference_latest(subset))
        pd.testing.assert_frame_equal(analysis.latest_positions(subset, stances_only=False),
                                      _reference_latest(subset, stances_only=False))
        pd.testing.assert_frame_equal(analysis.numbers_long(subset), _reference_numbers_long(subset))
        for limit in (None, 1, 7, 30):
            pd.testing.assert_frame_equal(analysis.shifts(subset, limit=limit), _reference_shifts(subset, limit))
        positions = subset[subset["party"].notna() & subset["topic"].notna()]
        pd.testing.assert_frame_equal(analysis.timeline(subset),
                                      _reference_chronological(positions).reset_index(drop=True))
        numbers = _reference_numbers_long(_reference_chronological(positions).reset_index(drop=True))
        over_time = analysis.numbers_over_time(subset, max_units=None)
        if numbers.empty:
            assert over_time.empty
        else:
            pd.testing.assert_frame_equal(over_time, numbers[over_time.columns].reset_index(drop=True))


@pytest.mark.parametrize("seed", [3, 6])
def test_a_frame_already_in_chronological_order_is_not_sorted_again(seed, monkeypatch):
    """Rows as the store reads them (undated first, then by when and id): every function gives what the
    reference gives, without sorting (lexsort would raise) and timeline without copying the columns."""
    rows = _random_statements(seed=seed)
    rows["id"] = rows["id"].astype(np.int64)
    rows = rows.assign(_dated=rows["when"].notna()).sort_values(["_dated", "when", "id"], kind="stable")
    rows = rows.drop(columns="_dated").reset_index(drop=True)
    expected = {
        "latest": _reference_latest(rows), "shifts": _reference_shifts(rows, 30), "all_shifts": _reference_shifts(rows),
        "timeline": _reference_chronological(rows[rows["party"].notna() & rows["topic"].notna()]).reset_index(drop=True),
        "dated": _reference_chronological(rows).reset_index(drop=True),
    }

    lexsort = np.lexsort

    def no_sort(*args, **kwargs):  # np.lexsort, refused for the frame's chronological order
        assert sys._getframe(1).f_code.co_name != "_chronological_order", "sorted a frame already in order"
        return lexsort(*args, **kwargs)

    monkeypatch.setattr(np, "lexsort", no_sort)
    pd.testing.assert_frame_equal(analysis.latest_positions(rows), expected["latest"])
    pd.testing.assert_frame_equal(analysis.shifts(rows, limit=30), expected["shifts"])
    pd.testing.assert_frame_equal(analysis.shifts(rows), expected["all_shifts"])
    pd.testing.assert_frame_equal(analysis.timeline(rows), expected["timeline"])
    positioned = rows[rows["party"].notna() & rows["topic"].notna()].reset_index(drop=True)
    points = analysis.timeline(positioned)
    pd.testing.assert_frame_equal(points, expected["timeline"])
    assert np.shares_memory(points["when"].to_numpy(), positioned["when"].to_numpy())  # a slice, not a copy
    points.loc[0, "stance"] = "changed"  # and the caller's frame stays as it was
    assert positioned.loc[0, "stance"] != "changed" or expected["timeline"].loc[0, "stance"] == "changed"
    # out of order by one tie: sorted (the reference order), not taken as it is
    swapped = positioned.copy()
    ties = np.flatnonzero((swapped["when"].to_numpy()[1:] == swapped["when"].to_numpy()[:-1]))
    i = int(ties[0])
    swapped.iloc[[i, i + 1]] = swapped.iloc[[i + 1, i]].to_numpy()
    monkeypatch.undo()
    assert not analysis._in_order(swapped["when"].to_numpy().view(np.int64), swapped["id"].to_numpy())
    pd.testing.assert_frame_equal(analysis.timeline(swapped), expected["timeline"])


def test_a_stance_is_sure_when_read_sure_enough_or_checked_by_an_analyst():
    rows = pd.DataFrame({
        "stance": ["demand", "reject", "accept", "support", None],
        "stance_probability": [0.97, 0.60, None, 0.95, None],
        "corrected": [False, False, True, False, False],
    })
    assert list(analysis.stance_sure(rows, 0.95)) == [True, False, True, True, False]
    assert list(analysis.stance_sure(rows, 0.99)) == [False, False, True, False, False]
    # a store analysed before stances were rated has no probability: nothing is sure but what analysts checked
    assert list(analysis.stance_sure(rows.drop(columns="stance_probability"), 0.5)) == [False, False, True, False,
                                                                                          False]
    assert analysis.stance_sure(rows.iloc[0:0], 0.5).empty


def test_the_review_queue_puts_what_the_matrix_shows_first():
    on_matrix = analysis.latest_positions(HISTORY)["id"]
    queue = analysis.review_queue(HISTORY, on_matrix)
    first = queue["id"].head(len(on_matrix))
    assert set(first) == set(on_matrix) and len(queue) == len(HISTORY)
    assert list(first) == list(HISTORY.set_index("id").loc[list(first), "when"].sort_values(ascending=False).index)
    assert list(analysis.review_queue(HISTORY, [], limit=3)["id"]) == list(analysis.recent_first(HISTORY, 3)["id"])
