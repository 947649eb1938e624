"""Overview: where each side stands now (matrix), what changed (shifts), where they differ (gaps), quality."""
import pandas as pd
import streamlit as st

from positions import analysis, charts
from positions.speakers import yaml_lines
from positions.ui import resources, widgets

filters = widgets.filters()
if filters is None:
    st.stop()
neg = resources.negotiation(filters.negotiation)
rows = analysis.filter_statements(resources.statements(filters.negotiation), **filters.as_kwargs())
widgets.header("Overview", neg, filters)

figures = analysis.kpis(rows, resources.counts(filters.negotiation))
cols = st.columns(6)
cols[0].metric("Documents", f"{figures['documents']:,}", border=True)
cols[1].metric("Sentences", f"{figures['sentences']:,}", border=True)
cols[2].metric("Positions", f"{figures['positions']:,}", border=True,
               help="Statements of a party on a topic, within the filters")
cols[3].metric("Parties", figures["parties"], border=True)
cols[4].metric("Topics", figures["topics"], border=True)
cols[5].metric("Days covered", f"{(figures['last'] - figures['first']).days + 1:,}" if figures["first"] else "—",
               border=True, help="From the first to the last dated statement within the filters")
if figures["first"]:
    st.caption(f"Statements dated {figures['first']:%d %b %Y} to {figures['last']:%d %b %Y}.")

latest = analysis.latest_positions(rows)
parties = widgets.party_axis(neg, latest["party"], filters.parties)
topics = widgets.topic_axis(neg, latest["topic"], filters.topics)
st.plotly_chart(charts.stance_matrix(latest, parties, topics), key="matrix",
                config={"displaylogo": False})
st.caption("Colour: the latest stance of each party on each topic; text: its latest number and date; \"?\": a "
           "stance read less sure than it takes to be shown as sure (check it on the Statements page, or switch on "
           "\"Sure stances only\"). Hover a cell for the sentence and its source.")

st.subheader("Shifts", help="The most recent changes of a party's stance or numbers on a topic")
moves = analysis.shifts(rows, limit=200)
st.dataframe(
    moves[["when", "party_name", "topic_name", "kind", "change", "sentence", "doc_source"]],
    column_config={**widgets.STATEMENT_COLUMNS, "kind": st.column_config.TextColumn("Shift", width="small"),
                   "party_name": st.column_config.TextColumn("Party", width="medium"),
                   "topic_name": st.column_config.TextColumn("Topic", width="medium"),
                   "change": st.column_config.TextColumn("From → to", width="medium")},
    hide_index=True, key="shifts", height=320)

st.subheader("Gaps", help="Per topic: latest stances for and against, and the spread of the numbers")
principals = [p.id for p in neg.parties if p.role == "principal"]
gap_parties = filters.parties or (principals if len(principals) >= 2 else None)
gaps = analysis.gaps(rows, gap_parties, latest=latest)
left, right = st.columns([2, 3])
with left:
    st.plotly_chart(charts.gap_chart(gaps, "How far apart, per topic"), key="gap_chart", config={"displaylogo": False})
with right:
    st.dataframe(
        gaps[["topic_name", "status", "for", "against", "numbers"]],
        column_config={"topic_name": "Topic", "status": "Status", "for": "For", "against": "Against",
                       "numbers": "Numbers (low–high)"},
        hide_index=True, key="gaps")
    st.caption("Latest stance of each " + ("chosen" if filters.parties else "principal") + " party: demand, "
               "propose, accept and support count as for the topic's proposal; reject and oppose as against.")

with st.container(border=True):
    st.subheader("Quality", help="How far the extraction can be trusted: measured on a labelled set")
    report = resources.eval_report(filters.negotiation)
    counts = resources.counts(filters.negotiation)
    q_left, q_mid, q_right = st.columns([3, 1, 1])
    with q_left:
        if report:
            quality = analysis.quality_table(report)
            size = quality["metric"] == "sentences"  # a count, not a score: said in the caption
            shown = quality[~size].assign(target=quality["target"].map(lambda v: f"{v:.2f}" if pd.notna(v) else ""))
            st.dataframe(shown, hide_index=True, key="quality", height=38 + 35 * len(shown),  # every row
                         column_order=("label", "heldout", "dev", "target"),
                         column_config={"label": "Metric",
                                        "heldout": st.column_config.NumberColumn("Held-out", format="%.3f"),
                                        "dev": st.column_config.NumberColumn("Development", format="%.3f"),
                                        "target": st.column_config.TextColumn(
                                            "Target", help="What the held-out figure should reach")})
            if size.any():
                held, dev = quality[size].iloc[0][["heldout", "dev"]]
                st.caption("Measured on " + " and ".join(
                    f"{int(n):,} {label} sentences" for n, label in ((held, "held-out"), (dev, "development"))
                    if pd.notna(n)) + ".")
        else:
            st.caption("No evaluation for this negotiation yet (data/eval/<negotiation>/latest.json, written by "
                       "`python -m positions eval`).")
    q_mid.metric("Analyst corrections", f"{counts['corrections']:,}", border=True,
                 help="Corrections saved on the Statements page; they survive re-ingest and re-analysis")
    q_right.metric("Rows corrected", f"{figures['corrected']:,}", border=True,
                   help="Position rows (within the filters) that carry an analyst's correction")

    with st.expander("Speakers your config does not name"):
        st.caption("People and bodies who speak in the stored articles but match no alias of this negotiation, most "
                   "statements without a party first, with the party their introductions name. Check each one, add "
                   "it to parties.yaml and re-analyse (`python -m positions reanalyse`).")
        asked = st.session_state.get("speakers_for") == filters.negotiation
        if asked or st.button("Find them", key="find_speakers", help="Reads every stored sentence once (about a "
                                                                      "minute per 5,000 sentences)"):
            st.session_state["speakers_for"] = filters.negotiation
            found = resources.unnamed_speakers(filters.negotiation)
            speakers = pd.DataFrame(found, columns=["name", "statements", "without_party", "party", "evidence",
                                                    "example"])
            if speakers.empty:
                st.caption("Every speaker with two or more statements matches an alias.")
            else:
                st.dataframe(speakers, hide_index=True, key="speakers",
                             column_config={"name": "Speaker", "statements": "Statements",
                                            "without_party": st.column_config.NumberColumn(
                                                "Without a party", help="Statements the analysis gave no party"),
                                            "party": "Suggested party", "evidence": "Why",
                                            "example": st.column_config.TextColumn("Example", width="large")})
                st.code(yaml_lines(found), language="yaml")
