"""positions.charts: figures checked through fig.to_dict(), including that hostile text is escaped."""
from __future__ import annotations

import base64
import datetime as dt
import json

import numpy as np
import pandas as pd

from positions import analysis, charts
from positions.config import Event, Negotiation, Party, Topic

PAYLOAD = "<script>alert(2)</script><img src=x onerror=alert(1)>"
ESCAPED = "&lt;script&gt;alert(2)&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;"
NEG = Negotiation(
    "t", (Party("a", "Alpha", ("alpha",)), Party("h", f"Hostile {PAYLOAD}", ("h",))),
    (Topic("x", "Ex", "x"), Topic("y", f"Topic {PAYLOAD}", "y")),
    (Event(dt.date(2024, 1, 15), f"Round {PAYLOAD}", ("x",)),),
)
PARTIES = [(p.id, p.name) for p in NEG.parties]
TOPICS = [(t.id, t.name) for t in NEG.topics]


def frame() -> pd.DataFrame:
    rows = [
        (1, "a", "x", "demand", "2024-01-01", [(3000, "prisoners")], "Alpha demanded 3,000 prisoners."),
        (2, "h", "x", "reject", "2024-01-10", [], f"Hostile said {PAYLOAD} no."),
        (3, "h", "x", "propose", "2024-02-01", [(700, "prisoners")], "Hostile offered 700 prisoners."),
        (4, "a", "y", "accept", "2024-02-02", [(6, "weeks")], "Alpha accepted a six-week truce."),
        (5, "h", "y", None, "2024-02-03", [], "No stance here."),
    ]
    records = [{"id": i, "sentence_id": i, "sentence": s, "party": p, "topic": t, "stance": st, "date": d,
                "published": d, "numbers": [{"value": v, "unit": u} for v, u in n], "doc_title": f"Title {PAYLOAD}",
                "doc_source": f"Source {PAYLOAD}", "corrected": False} for i, p, t, st, d, n, s in rows]
    return analysis.prepare(pd.DataFrame(records), NEG)


def arr(value) -> list:
    """A trace array from fig.to_dict(): plain list, or Plotly's base64 typed array decoded."""
    if isinstance(value, dict) and "bdata" in value:
        data = np.frombuffer(base64.b64decode(value["bdata"]), dtype=value["dtype"])
        shape = value.get("shape")
        if shape:
            data = data.reshape([int(n) for n in str(shape).split(",")])
        return data.tolist()
    return list(value)


def dump(fig) -> str:
    return json.dumps(fig.to_dict(), default=str)


def assert_no_raw_payload(fig) -> None:
    text = dump(fig)
    assert "<script" not in text and "<img" not in text, "untrusted text reached the figure unescaped"


def test_esc_and_wrap():
    assert charts.esc(PAYLOAD) == ESCAPED
    assert charts.esc(None) == "" and charts.esc(float("nan")) == ""
    wrapped = charts.wrap("word " * 40 + PAYLOAD, width=30)
    assert "<br>" in wrapped and "<script" not in wrapped and "&lt;script&gt;" in wrapped
    assert charts.wrap("x" * 600, limit=100).endswith("…")


def test_stance_matrix_colours_text_and_escaped_hover():
    latest = analysis.latest_positions(frame())
    fig = charts.stance_matrix(latest, PARTIES, TOPICS)
    data = fig.to_dict()["data"]
    heat = data[0]
    assert heat["type"] == "heatmap"
    codes = {s: i for i, s in enumerate(charts.STANCE_ORDER)}
    # rows = parties, columns = topics; a: x demand, y accept; h: x propose (latest), y report-less (no stance)
    assert heat["z"][0] == [codes["demand"], codes["accept"]]
    assert heat["z"][1][0] == codes["propose"]
    assert "3,000 prisoners" in heat["text"][0][0] and "01 Jan 2024" in heat["text"][0][0]
    assert "Hostile offered 700 prisoners." in heat["hovertext"][1][0]
    assert heat["y"][1] == f"Hostile {ESCAPED}" and heat["x"][1] == f"Topic {ESCAPED}"
    legend = [t["name"] for t in data[1:]]
    assert legend == [s for s in charts.STANCE_ORDER if s in {"demand", "accept", "propose"}]
    assert [t["marker"]["color"] for t in data[1:]] == [charts.STANCE_COLORS[s] for s in legend]
    assert_no_raw_payload(fig)


def test_script_in_a_sentence_is_escaped_in_hover():
    points = analysis.timeline(frame())
    fig = charts.swimlanes(points, PARTIES, NEG.events)
    hovers = [h for trace in fig.to_dict()["data"] for h in (trace.get("hovertext") or [])]
    hostile = [h for h in hovers if "Hostile said" in h]
    assert hostile and "&lt;script&gt;alert(2)&lt;/script&gt;" in hostile[0]
    assert "Source &lt;script&gt;" in hostile[0] and "Title &lt;script&gt;" in hostile[0]
    assert any("Round &lt;script&gt;" in h for h in hovers)  # event labels too
    assert_no_raw_payload(fig)


def test_swimlanes_lanes_colours_and_symbols():
    points = analysis.timeline(frame())
    fig = charts.swimlanes(points, PARTIES, NEG.events)
    data = fig.to_dict()["data"]
    points_traces = [t for t in data if t.get("customdata") is not None]
    by_name = {t["name"]: t for t in points_traces}
    assert by_name["reject"]["marker"]["color"] == charts.STANCE_COLORS["reject"]
    assert by_name["no stance"]["marker"]["color"] == charts.UNKNOWN_COLOR
    assert round(arr(by_name["reject"]["y"])[0]) == 1  # the hostile party's lane
    assert sorted(i for t in points_traces for (i,) in arr(t["customdata"])) == [1, 2, 3, 4, 5]
    layout = fig.to_dict()["layout"]
    assert layout["yaxis"]["ticktext"] == ["Alpha", f"Hostile {ESCAPED}"]
    assert "legend2" in layout  # topics get their own legend when several are drawn
    assert any(s.get("line", {}).get("dash") == "dot" for s in layout.get("shapes", []))  # event line
    assert_no_raw_payload(fig)


def test_a_stance_to_review_is_marked_and_one_not_rated_is_not():
    rows = frame()
    rows["stance_probability"] = [0.99, 0.5, 0.6, None, None]  # 2 and 3 are read unsure, 4 is not rated
    rows = analysis.prepare(rows.drop(columns="stance_sure"), NEG, sure_probability=0.95)
    heat = charts.stance_matrix(analysis.latest_positions(rows), PARTIES, TOPICS).to_dict()["data"][0]
    assert heat["text"][0][0].startswith("<b>demand</b>") and heat["text"][0][1].startswith("<b>accept</b>")
    assert heat["text"][1][0].startswith("<b>propose ?</b>") and "(stance to review)" in heat["hovertext"][1][0]
    traces = [t for t in charts.swimlanes(analysis.timeline(rows), PARTIES).to_dict()["data"] if t.get("customdata")
              is not None]
    opacity = {i: o for t in traces for (i,), o in zip(arr(t["customdata"]), arr(t["marker"]["opacity"]))}
    assert opacity[2] < opacity[1] and opacity[3] < opacity[1] and opacity[4] == opacity[1]


def test_numbers_steps_per_unit_and_party():
    numbers = analysis.numbers_over_time(frame())
    fig = charts.numbers_steps(numbers, PARTIES, NEG.events)
    data = fig.to_dict()["data"]
    assert {t["line"]["shape"] for t in data} == {"hv"}
    prisoners = {t["name"]: arr(t["y"]) for t in data if t["yaxis"] == "y"}
    assert prisoners == {"Alpha": [3000.0], f"Hostile {ESCAPED}": [700.0]}
    assert len({t["yaxis"] for t in data}) == 2  # prisoners and weeks panels
    assert [a["text"] for a in fig.to_dict()["layout"]["annotations"]] == ["prisoners", "weeks"]
    assert_no_raw_payload(fig)


def test_party_colours_are_stable_in_config_order():
    colors = charts.party_colors(["a", "h", "a"])
    assert colors == {"a": charts.PARTY_PALETTE[0], "h": charts.PARTY_PALETTE[1]}


def test_similarity_lines_and_gap_chart():
    similarity = pd.DataFrame({"period": pd.to_datetime(["2024-01-01", "2024-02-01"]), "party_a": "a",
                               "party_b": "h", "pair": f"Alpha – Hostile {PAYLOAD}", "similarity": [0.5, 0.8],
                               "n_a": [1, 2], "n_b": [3, 4]})
    fig = charts.similarity_lines(similarity)
    trace = fig.to_dict()["data"][0]
    assert arr(trace["y"]) == [0.5, 0.8] and trace["name"] == f"Alpha – Hostile {ESCAPED}"
    assert_no_raw_payload(fig)

    gaps = analysis.gaps(frame())
    fig = charts.gap_chart(gaps)
    bars = fig.to_dict()["data"]
    assert {b["type"] for b in bars} == {"bar"}
    assert {b["name"]: b["marker"]["color"] for b in bars}.items() <= charts.STATUS_COLORS.items()
    assert_no_raw_payload(fig)


def test_empty_inputs_give_a_message_not_an_error():
    empty = frame().iloc[0:0]
    for fig in (charts.stance_matrix(analysis.latest_positions(empty), PARTIES, TOPICS),
                charts.swimlanes(analysis.timeline(empty), PARTIES),
                charts.numbers_steps(analysis.numbers_over_time(empty), PARTIES),
                charts.similarity_lines(pd.DataFrame()), charts.gap_chart(analysis.gaps(empty))):
        layout = fig.to_dict()["layout"]
        assert layout["annotations"][0]["text"]
        assert not fig.to_dict()["data"]


def test_stance_palette_warm_for_hard_line_cool_for_conciliatory():
    def warm(color: str) -> bool:
        r, g, b = (int(color[i:i + 2], 16) for i in (1, 3, 5))
        return r > b

    assert all(warm(charts.STANCE_COLORS[s]) for s in ("demand", "reject", "oppose"))
    assert not any(warm(charts.STANCE_COLORS[s]) for s in ("accept", "support"))
    assert set(charts.STANCE_ORDER) == set(charts.STANCE_COLORS)
    assert np.unique(list(charts.STANCE_COLORS.values())).size == len(charts.STANCE_COLORS)
