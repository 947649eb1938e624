"""Shared sidebar filters and small render helpers. Every widget has a key; sidebar keys are URL-bound."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from positions import analysis
from positions.config import Negotiation, StanceSettings
from positions.models import STANCES
from positions.ui import resources, state
from positions.ui.text import highlighted, md

BIND = "query-params"


def sidebar() -> state.Filters | None:
    """The shared sidebar, rendered on every run by app.py (so the choice survives page switches):
    negotiation, date range, parties and topics. Pages read the choice with `filters()`."""
    st.session_state[state.FILTERS] = choice = _sidebar()
    return choice


def filters(hint: bool = True) -> state.Filters | None:
    """This run's sidebar choice; None (with a hint) when the store holds no data yet."""
    choice = st.session_state.get(state.FILTERS)
    if choice is None and hint:
        st.info("No articles yet. Add some on the **Add articles** page, or run "
                "`python -m positions ingest` on a folder.")
    return choice


def _sidebar() -> state.Filters | None:
    names = resources.negotiations()
    if not names:
        return None
    sizes = [resources.counts(n)["documents"] for n in names]
    default = sizes.index(max(sizes))  # the largest negotiation opens first
    with st.sidebar:
        name = st.selectbox("Negotiation", names, index=default, key=state.NEGOTIATION, bind=BIND,
                            on_change=state.reset_sidebar)
        neg = resources.negotiation(name)
        frame = resources.statements(name)
        first, last = analysis.date_span(frame)
        dates = st.date_input("Dates stated", value=[], min_value=first, max_value=last, key=state.DATES,
                              bind=BIND, format="YYYY-MM-DD",
                              help="Empty = all dates. Pick a start and an end.")
        if first:
            st.caption(f"Data from {first:%d %b %Y} to {last:%d %b %Y}")
        party_names = {p.id: p.name for p in neg.parties}
        parties = st.multiselect("Parties", list(party_names), key=state.PARTIES, bind=BIND,
                                 format_func=lambda p: party_names.get(p, p), placeholder="All parties")
        topic_names = {t.id: t.name for t in neg.topics}
        topics = st.multiselect("Topics", list(topic_names), key=state.TOPICS, bind=BIND,
                                format_func=lambda t: topic_names.get(t, t), placeholder="All topics")
        rated = bool(len(frame)) and frame["stance_probability"].notna().any()
        sure_only = st.toggle("Sure stances only", key=state.SURE, bind=BIND, disabled=not rated,
                              help=SURE_HELP if rated else NOT_RATED_HELP) and rated
    start, end = state.date_range(dates)
    return state.Filters(name, start, end, tuple(parties), tuple(topics), sure_only)


SURE_HELP = ("Only statements whose stance the analysis read at least "
             f"{StanceSettings().sure_probability:.0%} sure, or an analyst checked. On negotiations the stance model "
             "never saw, these were right about 8 times in 10 and the others about 4 in 10 (Overview, Quality). "
             "Elsewhere a stance to review is marked \"?\" or faded.")
NOT_RATED_HELP = ("The stances of this negotiation are not rated: they were read by the rules alone, or stored "
                  "before stances were rated. Re-analyse them with the stance model to rate them: "
                  "`python -m positions reanalyse --negotiation DIR`.")


def stance_filter() -> list[str]:
    return st.sidebar.multiselect("Stances", list(STANCES), key=state.STANCES, bind=BIND, placeholder="All stances")


def header(title: str, neg: Negotiation, filters: state.Filters) -> None:
    """Page title, the negotiation's title and the active filters (config text escaped)."""
    st.title(title)
    described = [md(neg.title or neg.name)]
    if filters.start or filters.end:
        described.append(f"{filters.start or '…'} to {filters.end or '…'}")
    if filters.parties:
        described.append(md(", ".join(party_label(neg, p) for p in filters.parties)))
    if filters.topics:
        described.append(md(", ".join(topic_label(neg, t) for t in filters.topics)))
    st.caption(" · ".join(described))


def party_label(neg: Negotiation, party: str) -> str:
    return next((p.name for p in neg.parties if p.id == party), party)


def topic_label(neg: Negotiation, topic: str) -> str:
    return next((t.name for t in neg.topics if t.id == topic), topic)


def party_axis(neg: Negotiation, present, chosen=()) -> list[tuple[str, str]]:
    """(id, name) of the parties to draw, in config order: the chosen ones, else those with data."""
    wanted = set(chosen) if chosen else set(present)
    return [(p.id, p.name) for p in neg.parties if p.id in wanted]


def topic_axis(neg: Negotiation, present, chosen=()) -> list[tuple[str, str]]:
    wanted = set(chosen) if chosen else set(present)
    return [(t.id, t.name) for t in neg.topics if t.id in wanted]


def evidence(row) -> None:
    """The statement in its paragraph (sentence in bold), with who, when and where: all as escaped text."""
    text = resources.document_text(int(row["document_id"]))
    st.markdown(highlighted(*analysis.evidence(text, int(row["start"]), int(row["end"]))))
    get = lambda name: _value(row.get(name))  # noqa: E731
    facts = [
        f"**{md(get('party_name') or 'no party')}** · {md(get('topic_name') or 'no topic')} · "
        f"**{md(get('stance') or 'no stance')}**",
        md(get("when").date().isoformat()) if get("when") is not None else "undated",
        md(get("numbers_text")),
        f"speaker: {md(get('speaker'))}" if get("speaker") else "",
        f"relayed by: {md(get('relayed_by'))}" if get("relayed_by") else "",
        "stance to review" if get("stance") and get("stance_probability") is not None
        and not bool(row.get("stance_sure", True)) else "",
        "**corrected by an analyst**" if get("corrected") else "",
    ]
    st.caption(" · ".join(x for x in facts if x))
    source = " — ".join(md(x) for x in (get("doc_source"), get("doc_title")) if x)
    if source:
        st.caption(f"Source: {source}")


def _value(value):
    """None for missing values (None, NaN, NaT), else the value."""
    try:
        return None if pd.isna(value) else value
    except (TypeError, ValueError):  # lists and other non-scalars
        return value


STATEMENT_COLUMNS = {
    "score": st.column_config.ProgressColumn("Similarity", format="%.2f", min_value=0.0, max_value=1.0, width="small"),
    "when": st.column_config.DateColumn("Date", format="YYYY-MM-DD", width="small"),
    "party_name": st.column_config.TextColumn("Party", width="small"),
    "topic_name": st.column_config.TextColumn("Topic", width="small"),
    "stance": st.column_config.TextColumn("Stance", width="small"),
    "numbers_text": st.column_config.TextColumn("Numbers", width="small"),
    "sentence": st.column_config.TextColumn("Statement", width="large"),
    "doc_source": st.column_config.TextColumn("Source", width="small"),
    "doc_title": st.column_config.TextColumn("Article", width="medium"),
    "corrected": st.column_config.CheckboxColumn("Corrected", width="small"),
    "stance_sure": st.column_config.CheckboxColumn("Sure", width="small",
                                                   help="The stance was read sure enough, or an analyst checked it"),
    "stance_probability": st.column_config.ProgressColumn(
        "Stance read", format="%.2f", min_value=0.0, max_value=1.0, width="small",
        help="How sure the stance model was of this stance (1 where a rule settles it; empty: not rated)"),
}


def statement_table(rows, columns, key: str, height: int | str = "auto") -> None:
    """A read-only table of statement rows (cells are rendered as text, never HTML)."""
    st.dataframe(rows[list(columns)], column_config=STATEMENT_COLUMNS, hide_index=True, key=key, height=height)


def who_first_table(first, key: str) -> None:
    """Per party: when it first said it (earliest first), how often, and its closest statement."""
    st.dataframe(first[["first", "party_name", "first_when", "times", "best_score", "sentence", "doc_source"]],
                 hide_index=True, key=key, column_config={
                     **STATEMENT_COLUMNS,
                     "first": st.column_config.CheckboxColumn("First", width="small"),
                     "first_when": st.column_config.DateColumn("First said", format="YYYY-MM-DD"),
                     "times": st.column_config.NumberColumn("Times", width="small"),
                     "best_score": st.column_config.ProgressColumn("Closest", format="%.2f", min_value=0.0,
                                                                   max_value=1.0, width="small")})
