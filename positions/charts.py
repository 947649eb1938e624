"""Figures: plotly only. Each function takes a frame from `positions.analysis` and returns a go.Figure.

Article text, titles, sources and config names are untrusted. Plotly renders a subset of HTML in text,
hover labels, tick labels and legends, so every such string goes through `esc` before it enters a figure.
"""
from __future__ import annotations

import hashlib
import html
from typing import Iterable, Sequence

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

# Hard-line stances warm, conciliatory cool, neutral grey: the same in every chart and table.
STANCE_COLORS = {
    "demand": "#e8833a",
    "reject": "#c0392b",
    "oppose": "#e36f7b",
    "accept": "#1f8a70",
    "support": "#3d7cc9",
    "propose": "#8e7cc3",
    "report": "#a3a3a3",
}
STANCE_ORDER = ("accept", "support", "propose", "report", "demand", "oppose", "reject")
UNKNOWN_COLOR = "#d0d0d0"
PARTY_PALETTE = ("#1f3b73", "#b5541c", "#2a7f62", "#7a3b8f", "#9c7a16", "#3f7fbf", "#8c2f39", "#4d4d4d",
                 "#5b8c3a", "#c06c84")
STATUS_COLORS = {"apart": "#c0392b", "apart on numbers": "#e8833a", "close": "#1f8a70", "one party": "#a3a3a3",
                 "no stance": "#d0d0d0"}
TOPIC_SYMBOLS = ("circle", "square", "diamond", "triangle-up", "cross", "x", "star", "hexagon", "pentagon")
FONT = dict(family="Inter, 'Source Sans Pro', Arial, sans-serif", size=13, color="#1f2933")


def esc(value) -> str:
    """Untrusted text as Plotly-safe text: <, > and & escaped ('<script>' shows as '<script>', never runs).
    Quotes stay as they are: with no '<' no tag can open, and Plotly does not decode '&quot;'."""
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    return html.escape(str(value), quote=False)


def wrap(value, width: int = 80, limit: int = 480) -> str:
    """Escaped text broken into lines of about `width` with <br> (wrapped before escaping, so entities stay
    whole). Greedy on spaces: hover labels are built for thousands of points, textwrap is too slow."""
    text = "" if value is None or (isinstance(value, float) and pd.isna(value)) else " ".join(str(value).split())
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    lines, line = [], ""
    for word in text.split(" "):
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}" if line else word
    if line:
        lines.append(line)
    return "<br>".join(esc(x) for x in lines)


def _date(value) -> str:
    return value.strftime("%d %b %Y") if isinstance(value, pd.Timestamp) and not pd.isna(value) else ""


def party_colors(parties: Iterable[str]) -> dict[str, str]:
    """A stable colour per party, in the order given (config order keeps colours fixed across views)."""
    return {party: PARTY_PALETTE[i % len(PARTY_PALETTE)] for i, party in enumerate(dict.fromkeys(parties))}


def _layout(fig: go.Figure, title: str, height: int, **extra) -> go.Figure:
    layout = dict(
        title=dict(text=esc(title), x=0, xanchor="left", font=dict(size=16)), height=height, font=FONT,
        margin=dict(l=10, r=10, t=60, b=10), plot_bgcolor="white", paper_bgcolor="white",
        hoverlabel=dict(bgcolor="white", font=dict(size=12), align="left"),
    )
    fig.update_layout(**{**layout, **extra})
    return fig


def empty_figure(message: str, title: str = "") -> go.Figure:
    fig = go.Figure()
    fig.add_annotation(text=esc(message), showarrow=False, font=dict(size=14, color="#6b7280"),
                       x=0.5, y=0.5, xref="paper", yref="paper")
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False)
    return _layout(fig, title, 260)


def _statement_hover(row, extra: Sequence[str] = ()) -> str:
    """Hover text leading back to the evidence: who, what, when, the sentence and its source."""
    head = f"<b>{esc(row.party_name)}</b> · {esc(row.topic_name)} · <b>{esc(row.stance or 'no stance')}</b>"
    if _to_review(row):
        head += " (stance to review)"
    lines = [head, _date(row.when), *extra, wrap(row.sentence)]
    source = " — ".join(x for x in (esc(row.doc_source), wrap(row.doc_title, 70)) if x)
    if source:
        lines.append(f"<i>{source}</i>")
    return "<br>".join(x for x in lines if x)


def _to_review(row) -> bool:
    """A stance read less sure than it takes to be sure (analysis.stance_sure): marked. A stance not rated (rules
    only, a store analysed before stances were rated) is not marked."""
    probability = getattr(row, "stance_probability", None)
    return (isinstance(row.stance, str) and not getattr(row, "stance_sure", True)
            and isinstance(probability, float) and probability == probability)


# ---------------------------------------------------------------------------------------------
# Overview
# ---------------------------------------------------------------------------------------------
def stance_matrix(latest: pd.DataFrame, parties: Sequence[tuple[str, str]], topics: Sequence[tuple[str, str]],
                  title: str = "Latest stance by party and topic") -> go.Figure:
    """Heatmap party x topic: colour = latest stance, text = latest number and date, hover = the sentence.
    `parties` / `topics` are (id, display name) in display order; pairs without a statement stay blank."""
    if latest.empty:
        return empty_figure("No positions for these filters.", title)
    codes = {stance: i for i, stance in enumerate(STANCE_ORDER)}
    cells = {(r.party, r.topic): r for r in latest.itertuples(index=False)}
    z, text, hover = [], [], []
    for party, _ in parties:
        z_row, text_row, hover_row = [], [], []
        for topic, _ in topics:
            row = cells.get((party, topic))
            if row is None:
                z_row.append(None), text_row.append(""), hover_row.append("")
                continue
            z_row.append(codes.get(row.stance))
            label = wrap(row.numbers_text, 22, 22)  # one line: more spills out of the cell; the hover has all
            stance = esc(row.stance or "") + (" ?" if _to_review(row) else "")  # "?": a stance to review
            text_row.append("<br>".join(x for x in (f"<b>{stance}</b>", label, _date(row.when)) if x))
            hover_row.append(_statement_hover(row, [wrap(row.numbers_text),
                                                    f"{int(row.statements)} statement(s) on this topic"]))
        z.append(z_row), text.append(text_row), hover.append(hover_row)
    n = len(STANCE_ORDER)
    scale = []
    for i, stance in enumerate(STANCE_ORDER):
        scale += [[i / n, STANCE_COLORS[stance]], [(i + 1) / n, STANCE_COLORS[stance]]]
    fig = go.Figure(go.Heatmap(
        z=z, x=[esc(name) for _, name in topics], y=[esc(name) for _, name in parties], text=text,
        texttemplate="%{text}", textfont=dict(size=11, color="white"), hovertext=hover,
        hovertemplate="%{hovertext}<extra></extra>", colorscale=scale, zmin=-0.5, zmax=n - 0.5, xgap=3, ygap=3,
        showscale=False,
    ))
    _stance_legend(fig, latest["stance"])
    fig.update_yaxes(autorange="reversed", showgrid=False, zeroline=False)
    fig.update_xaxes(side="top", showgrid=False, tickangle=0, zeroline=False)
    return _layout(fig, title, max(280, 110 + 64 * len(parties)), margin=dict(l=10, r=10, t=90, b=10),
                   legend=dict(orientation="h", y=-0.02, yanchor="top", x=0, title_text="Stance "))


def _stance_legend(fig: go.Figure, stances: pd.Series) -> None:
    """Legend entries (square swatches) for the stances present, in the shared stance order."""
    present = set(stances.dropna())
    for stance in STANCE_ORDER:
        if stance in present:
            fig.add_trace(go.Scatter(x=[None], y=[None], mode="markers", name=stance, hoverinfo="skip",
                                     marker=dict(symbol="square", size=13, color=STANCE_COLORS[stance])))


def gap_chart(gaps: pd.DataFrame, title: str = "Gap per topic") -> go.Figure:
    """Horizontal bars: how far apart the parties' latest positions are per topic (0 = meet, 1 = opposed)."""
    if gaps.empty:
        return empty_figure("No topic has positions from two parties yet.", title)
    fig = go.Figure()
    for status, color in STATUS_COLORS.items():
        rows = gaps[gaps["status"] == status]
        if rows.empty:
            continue
        hover = [
            "<br>".join(x for x in (
                f"<b>{esc(r.topic_name)}</b>: {esc(r.status)}", f"for: {esc(r['for']) or '—'}",
                f"against: {esc(r.against) or '—'}", f"numbers: {esc(r.numbers)}" if r.numbers else "") if x)
            for _, r in rows.iterrows()
        ]
        fig.add_trace(go.Bar(
            x=rows["gap"], y=[esc(t) for t in rows["topic_name"]], orientation="h", name=status,
            marker_color=color, hovertext=hover, hovertemplate="%{hovertext}<extra></extra>",
            text=[esc(status)] * len(rows), textposition="outside", cliponaxis=False,
            textfont=dict(size=11, color="#52606d"),
        ))
    fig.update_xaxes(range=[0, 1.25], tickvals=[0, 0.5, 1], ticktext=["meet", "0.5", "opposed"],
                     gridcolor="#eeeeee")
    fig.update_yaxes(autorange="reversed", categoryorder="array",
                     categoryarray=[esc(t) for t in gaps["topic_name"]])
    return _layout(fig, title, max(220, 90 + 34 * len(gaps)), barmode="overlay", showlegend=False)


# ---------------------------------------------------------------------------------------------
# Timeline
# ---------------------------------------------------------------------------------------------
def _jitter(position_id) -> float:
    """A small, deterministic vertical offset so statements of one party on one day do not hide each other."""
    digest = hashlib.blake2b(str(position_id).encode(), digest_size=2).digest()
    return (int.from_bytes(digest, "little") / 65535 - 0.5) * 0.5


def swimlanes(points: pd.DataFrame, parties: Sequence[tuple[str, str]], events: Sequence = (),
              title: str = "Statements over time") -> go.Figure:
    """x = date, one lane per party, colour = stance, symbol = topic; hover = sentence, source and date; a stance
    to review is faded. `events` are config events (date, label) drawn as dotted vertical lines with a hover marker."""
    if points.empty:
        return empty_figure("No dated positions for these filters.", title)
    lanes = {party: i for i, (party, _) in enumerate(parties)}
    points = points[points["party"].isin(lanes)]
    topics = list(dict.fromkeys(points["topic_name"]))
    symbols = {t: TOPIC_SYMBOLS[i % len(TOPIC_SYMBOLS)] for i, t in enumerate(topics)}
    fig = go.Figure()
    for stance in (*STANCE_ORDER, None):
        rows = points[points["stance"] == stance] if stance else points[~points["stance"].isin(STANCE_ORDER)]
        if rows.empty:
            continue
        neutral = stance in (None, "report")  # neutral reports recede behind the stances taken
        color = STANCE_COLORS.get(stance, UNKNOWN_COLOR)
        for topic, group in rows.groupby("topic_name", sort=False):  # one trace per stance and topic symbol
            review = [_to_review(r) for r in group.itertuples(index=False)]
            fig.add_trace(go.Scatter(
                x=group["when"], y=[lanes[p] + _jitter(i) for p, i in zip(group["party"], group["id"])],
                mode="markers", name=stance or "no stance", legendgroup=stance or "none", showlegend=False,
                marker=dict(color=color, size=8 if neutral else 11,
                            opacity=[(0.25 if faded else 0.55) if neutral else (0.35 if faded else 0.9)
                                     for faded in review],
                            symbol=symbols[topic], line=dict(width=0.6, color="white")),
                hovertext=[_statement_hover(r) for r in group.itertuples(index=False)],
                hovertemplate="%{hovertext}<extra></extra>", customdata=group[["id"]].to_numpy(),
            ))
        # the legend entry: a plain swatch (the points themselves carry topic symbols)
        fig.add_trace(go.Scatter(x=[None], y=[None], mode="markers", name=stance or "no stance",
                                 legendgroup=stance or "none", hoverinfo="skip",
                                 marker=dict(symbol="square", size=12, color=color)))
    if len(topics) > 1:  # a second legend: one entry per topic symbol
        for topic in topics:
            fig.add_trace(go.Scatter(x=[None], y=[None], mode="markers", name=esc(topic), legend="legend2",
                                     marker=dict(symbol=symbols[topic], color="#6b7280", size=10),
                                     hoverinfo="skip"))
    _add_events(fig, events, y=len(parties) - 0.45)
    fig.update_yaxes(tickvals=list(lanes.values()), ticktext=[esc(name) for _, name in parties],
                     range=[len(parties) - 0.4, -0.6], gridcolor="#eeeeee", zeroline=False)
    fig.update_xaxes(gridcolor="#f3f3f3")
    legend = dict(orientation="h", y=-0.12, yanchor="top", x=0)
    return _layout(fig, title, max(360, 200 + 62 * len(parties)), legend={**legend, "title_text": "Stance "},
                   legend2={**legend, "y": -0.24, "title_text": "Topic "})


def _add_events(fig: go.Figure, events: Sequence, y: float) -> None:
    """Config events as dotted vertical lines plus one hoverable marker trace (labels are escaped)."""
    events = [e for e in events if getattr(e, "date", None)]
    if not events:
        return
    _event_lines(fig, events)
    fig.add_trace(go.Scatter(
        x=[pd.Timestamp(e.date) for e in events], y=[y] * len(events), mode="markers", name="key events",
        marker=dict(symbol="triangle-down", size=10, color="#52606d"),
        hovertext=[f"<b>{esc(e.date.isoformat())}</b><br>{wrap(e.label, 60)}" for e in events],
        hovertemplate="%{hovertext}<extra></extra>", showlegend=False,
    ))


def _event_lines(fig: go.Figure, events: Sequence) -> None:
    """Dotted vertical lines over the whole plot height, one per event (set at once: add_vline is slow)."""
    lines = [dict(type="line", xref="x", yref="paper", x0=pd.Timestamp(e.date), x1=pd.Timestamp(e.date), y0=0, y1=1,
                  line=dict(color="#9aa5b1", width=1, dash="dot"), layer="below") for e in events]
    if lines:
        fig.update_layout(shapes=list(fig.layout.shapes) + lines)


def numbers_steps(numbers: pd.DataFrame, parties: Sequence[tuple[str, str]], events: Sequence = (),
                  title: str = "Numbers over time") -> go.Figure:
    """One panel per unit, a step line per party (each value holds until the party states another);
    hover = the number as stated, stance, sentence and source."""
    if numbers.empty:
        return empty_figure("No numbers stated for these filters.", title)
    units = list(numbers["unit"].value_counts().index)
    colors = party_colors(p for p, _ in parties)
    names = dict(parties)
    fig = make_subplots(rows=len(units), cols=1, shared_xaxes=True, vertical_spacing=0.09 if len(units) > 1 else 0,
                        subplot_titles=[esc(u) for u in units])
    shown = set()
    for row_index, unit in enumerate(units, start=1):
        for party, rows in numbers[numbers["unit"] == unit].groupby("party", sort=False):
            fig.add_trace(go.Scatter(
                x=rows["when"], y=rows["value"], mode="lines+markers", line_shape="hv",
                name=esc(names.get(party, party)), legendgroup=party, showlegend=party not in shown,
                line=dict(color=colors.get(party, "#4d4d4d"), width=2), marker=dict(size=8),
                hovertext=[_statement_hover(r, [f"<b>{esc(r.label)}</b>"]) for r in rows.itertuples(index=False)],
                hovertemplate="%{hovertext}<extra></extra>", customdata=rows[["id"]].to_numpy(),
            ), row=row_index, col=1)
            shown.add(party)
        fig.update_yaxes(rangemode="tozero", gridcolor="#eeeeee", row=row_index, col=1)
    _event_lines(fig, events)
    fig.update_xaxes(gridcolor="#f3f3f3")
    return _layout(fig, title, 120 + 210 * len(units), legend=dict(title_text="Party"))


# ---------------------------------------------------------------------------------------------
# Compare
# ---------------------------------------------------------------------------------------------
def similarity_lines(similarity: pd.DataFrame, title: str = "How close the parties speak, per month") -> go.Figure:
    """x = month, y = cosine similarity of the parties' mean statement vectors, one line per pair."""
    if similarity.empty:
        return empty_figure("Not enough statements from two parties to compare.", title)
    fig = go.Figure()
    for i, (pair, rows) in enumerate(similarity.groupby("pair", sort=False)):
        fig.add_trace(go.Scatter(
            x=rows["period"], y=rows["similarity"], mode="lines+markers", name=esc(pair),
            line=dict(color=PARTY_PALETTE[i % len(PARTY_PALETTE)], width=2), marker=dict(size=8),
            hovertext=[f"<b>{esc(pair)}</b><br>{r.period:%b %Y}: {r.similarity:.2f}<br>"
                       f"statements: {int(r.n_a)} and {int(r.n_b)}" for r in rows.itertuples(index=False)],
            hovertemplate="%{hovertext}<extra></extra>",
        ))
    low = min(0.0, float(similarity["similarity"].min()) - 0.05)
    fig.update_yaxes(range=[low, 1.02], title="cosine similarity", gridcolor="#eeeeee")
    fig.update_xaxes(title="month", gridcolor="#f3f3f3", dtick="M1", tickformat="%b %Y")
    return _layout(fig, title, 380, showlegend=True, legend=dict(title_text="Pair ", orientation="h", y=-0.3, x=0))
