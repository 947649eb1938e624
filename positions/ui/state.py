"""Filter state in one place: the URL query-parameter names (= widget keys) and the Filters the pages read.

Sidebar widgets are bound to the URL (`bind="query-params"`), so a view can be shared by link:
    /timeline?neg=gaza-2023&party=hamas&party=israel&topic=hostages&dates=2024-01-01&dates=2024-06-30
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import streamlit as st

# widget keys, also the query-parameter names
NEGOTIATION = "neg"
DATES = "dates"
PARTIES = "party"
TOPICS = "topic"
STANCES = "stance"
QUERY = "q"
RESULTS = "k"
COMPARE = "cmp"
LIKE = "like"  # a sentence id: "more like this" on the Search page (plain query param, set by links)
SEARCH_TOPIC = "on"
TEXT = "contains"
SURE = "sure"  # only stances the analysis is sure of

SIDEBAR_KEYS = (DATES, PARTIES, TOPICS)  # reset when the negotiation changes
FILTERS = "_filters"  # this run's Filters, set by the shared sidebar (not a widget)


@dataclass(frozen=True)
class Filters:
    negotiation: str
    start: dt.date | None = None
    end: dt.date | None = None
    parties: tuple[str, ...] = ()  # empty = all
    topics: tuple[str, ...] = ()  # empty = all
    sure_only: bool = False  # only rows whose stance is sure (analysis.stance_sure)

    def as_kwargs(self) -> dict:
        return {"start": self.start, "end": self.end, "parties": self.parties, "topics": self.topics,
                "sure_only": self.sure_only}


def reset_sidebar() -> None:
    """on_change of the negotiation: the other choices belonged to the previous negotiation."""
    for key in SIDEBAR_KEYS:
        st.session_state.pop(key, None)


def date_range(value) -> tuple[dt.date | None, dt.date | None]:
    """A date_input range value (empty, one date while picking, or two) as (start, end)."""
    if isinstance(value, dt.date):
        return value, value
    value = tuple(value or ())
    if len(value) == 1:
        return value[0], None
    if len(value) == 2:
        return value[0], value[1]
    return None, None


def query_int(name: str) -> int | None:
    """An integer query parameter, or None when missing or not a number."""
    raw = st.query_params.get(name)
    try:
        return int(raw) if raw not in (None, "") else None
    except (TypeError, ValueError):
        return None
