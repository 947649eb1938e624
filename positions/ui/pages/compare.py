"""Compare: two or more parties side by side per topic, how close they speak over time, and the
statements that most agree and most disagree."""
import itertools

import streamlit as st

from positions import analysis, charts
from positions.ui import resources, state, widgets

filters = widgets.filters()
if filters is None:
    st.stop()
neg = resources.negotiation(filters.negotiation)
names = {p.id: p.name for p in neg.parties}
principals = [p.id for p in neg.parties if p.role == "principal"][:2] or list(names)[:2]
with st.sidebar:
    parties = st.multiselect("Parties to compare", list(names), default=principals, key=state.COMPARE,
                             bind=widgets.BIND, format_func=lambda p: names.get(p, p), max_selections=6)
rows = analysis.filter_statements(resources.statements(filters.negotiation),
                                  start=filters.start, end=filters.end, topics=filters.topics,
                                  sure_only=filters.sure_only)
widgets.header("Compare", neg, filters)
if len(parties) < 2:
    st.info("Choose at least two parties to compare in the sidebar.")
    st.stop()

st.subheader("Latest positions side by side")
table = analysis.compare_latest(rows, parties)
st.dataframe(table, hide_index=True, key="compare_table",
             column_config={"topic_name": st.column_config.TextColumn("Topic", width="medium")})

topic_names = {t.id: t.name for t in neg.topics}
options = [None, *(filters.topics or topic_names)]
c1, c2 = st.columns([2, 1])
topic = c1.selectbox("Topic", options, key="cmp_topic", format_func=lambda t: topic_names.get(t, t) if t else "All topics")
cumulative = c2.toggle("Cumulative", value=False, key="cmp_cumulative",
                       help="Each month uses all statements up to its end (smooths over silent months)")
index = resources.search().index
similarity = analysis.party_similarity(rows, index.ids, index.vectors, parties, topic, cumulative=cumulative)
st.plotly_chart(charts.similarity_lines(similarity), key="similarity", config={"displaylogo": False})
st.caption("Cosine similarity of the mean sentence vectors of each party's statements in a month: "
           "close to 1 = they talk about the same things in the same terms.")

st.subheader("Statements that most agree and most disagree")
pairs = list(itertools.combinations(parties, 2))
pair = st.selectbox("Pair", pairs, key="cmp_pair", format_func=lambda p: f"{names.get(p[0], p[0])} – {names.get(p[1], p[1])}")
found = analysis.statement_pairs(rows, index.ids, index.vectors, pair[0], pair[1], topic, k=5)
st.caption("Pairs on the same side (both for, or both against) agree; pairs on opposite sides disagree. "
           "Most similar first.")
config = {"similarity": st.column_config.ProgressColumn("Similarity", format="%.2f", min_value=0.0, max_value=1.0),
          "stance_a": st.column_config.TextColumn(names.get(pair[0], pair[0]) + ": stance"),
          "sentence_a": st.column_config.TextColumn(names.get(pair[0], pair[0]) + ": said", width="large"),
          "stance_b": st.column_config.TextColumn(names.get(pair[1], pair[1]) + ": stance"),
          "sentence_b": st.column_config.TextColumn(names.get(pair[1], pair[1]) + ": said", width="large"),
          "when_a": st.column_config.DateColumn("date", format="YYYY-MM-DD"),
          "when_b": st.column_config.DateColumn("date", format="YYYY-MM-DD")}
tabs = st.tabs(["Most agreeing", "Most disagreeing"])
for tab, relation in zip(tabs, ("agree", "disagree")):
    with tab:
        subset = found[found["relation"] == relation]
        if subset.empty:
            st.caption("No such pairs for this choice.")
        else:
            st.dataframe(subset[["similarity", "stance_a", "sentence_a", "when_a", "stance_b", "sentence_b", "when_b"]],
                         column_config=config, hide_index=True, key=f"pairs_{relation}")
