"""Timeline: each party's statements over time (swim lanes) and the numbers they named (step lines)."""
import streamlit as st

from positions import analysis, charts
from positions.ui import resources, widgets
from positions.ui.text import md

MAX_POINTS = 4000  # per chart: beyond this a browser slows down and points hide each other anyway
MAX_ROWS = 1000  # in the table under the charts (the Statements page has them all)

filters = widgets.filters()
if filters is None:
    st.stop()
with st.sidebar:
    show_events = st.toggle("Key events", value=True, key="events", help="Rounds, resolutions and deadlines from the config")
    max_units = st.slider("Number panels", 1, 8, 4, key="units", help="The most frequently stated units")
neg = resources.negotiation(filters.negotiation)
rows = analysis.filter_statements(resources.statements(filters.negotiation), **filters.as_kwargs())
widgets.header("Timeline", neg, filters)

points = analysis.timeline(rows)
shown = analysis.thin(points, MAX_POINTS)
parties = widgets.party_axis(neg, points["party"], filters.parties)
events = analysis.events_in_view(neg.events, filters.topics, filters.start, filters.end) if show_events else []
chosen = st.plotly_chart(charts.swimlanes(shown, parties, events), key="swimlanes", on_select="rerun",
                         selection_mode="points", config={"displaylogo": False})
st.caption("One lane per party; colour = stance, symbol = topic. Hover a point for the sentence; "
           "click one to read it in its paragraph."
           + (f" Showing {len(shown):,} of {len(points):,} statements, spread over time; choose topics or dates "
              "in the sidebar to see every one." if len(shown) < len(points) else ""))
if events:
    st.caption("Key events (dotted lines): " + " · ".join(f"{e.date:%d %b %Y} {md(e.label)}" for e in events))

selected = [p["customdata"][0] for p in (chosen.selection.points if chosen else []) if p.get("customdata")]
for position_id in selected[:3]:
    match = points[points["id"] == position_id]
    if len(match):
        with st.container(border=True):
            widgets.evidence(match.iloc[0])

numbers = analysis.thin(analysis.numbers_over_time(rows, max_units=max_units), MAX_POINTS)
st.plotly_chart(charts.numbers_steps(numbers, widgets.party_axis(neg, numbers["party"], filters.parties), events),
                key="numbers", config={"displaylogo": False})
st.caption("Each step holds a party's last stated figure until it names another (e.g. a number demanded "
           "against the number offered).")

with st.expander(f"The statements on this timeline ({len(points):,}; newest first, at most {MAX_ROWS:,})"):
    widgets.statement_table(analysis.recent_first(points, MAX_ROWS),
                            ["when", "party_name", "topic_name", "stance", "stance_sure", "numbers_text", "sentence",
                             "doc_source"], key="timeline_table")
