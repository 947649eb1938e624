"""Search: free text -> the most similar statements; from any statement, more like this, and who else
said it and who said it first."""
import pandas as pd
import streamlit as st

from positions import analysis
from positions.ui import resources, state, widgets
from positions.ui.text import md

filters = widgets.filters()
if filters is None:
    st.stop()
stances = widgets.stance_filter()
neg = resources.negotiation(filters.negotiation)
everything = resources.statements(filters.negotiation, positions_only=False)
pool = analysis.filter_statements(everything, stances=stances, **filters.as_kwargs())
widgets.header("Search", neg, filters)

c1, c2 = st.columns([5, 1])
query = c1.text_input("Search statements", key=state.QUERY, bind=widgets.BIND, icon=":material/search:",
                      placeholder="e.g. a phased deal in exchange for a truce")
k = c2.selectbox("Results", [10, 25, 50, 100], key=state.RESULTS, bind=widgets.BIND)
min_score = st.sidebar.slider("Same statement if similarity ≥", 0.0, 1.0, 0.55, 0.05, key="min_score",
                              help="For 'who else said this': how close a statement must be to count as the same")
search = resources.search()
embedder = resources.embedder()
if len(search.index) and search.index.vectors.shape[1] != embedder.dim:
    st.error(f"The stored sentence vectors have {search.index.vectors.shape[1]} dimensions but the embedding "
             f"model gives {embedder.dim}: the store was built with another model. Re-ingest with this one, or "
             "set POSITIONS_FAKE_EMBEDDER the same way as when the store was built.")
    st.stop()
columns = ["score", "when", "party_name", "topic_name", "stance", "stance_sure", "numbers_text", "sentence",
           "doc_source"]


def shown(rows: pd.DataFrame) -> pd.DataFrame:
    """Rows for the table: a sentence without a position shows "—" for party, topic and stance, not "None"."""
    rows = rows.copy()
    for column in ("party_name", "topic_name", "stance"):
        rows[column] = rows[column].astype(object).where(rows[column].notna(), "—")
    return rows


hits = pd.DataFrame()
if query.strip():
    hits = analysis.search_hits(search.index, pool, embedder.embed([query])[0], k)
    st.subheader("Most similar statements")
    if hits.empty:
        st.info("Nothing matches these filters.")
    else:
        widgets.statement_table(shown(hits), columns, key="hits")
        first = analysis.who_said_first(hits, min_score)
        if len(first):
            lead = first.iloc[0]
            st.markdown(f"**First said by {md(lead['party_name'])}** on {lead['first_when']:%d %b %Y}, "
                        f"of the parties whose statements match with similarity ≥ {min_score:.2f}:")
            widgets.who_first_table(first, key="who_first_query")
else:
    st.caption("Type a sentence or a few words; results are ranked by meaning, not by exact words.")

# "more like this": a statement picked from the results, or given by a link (?like=<sentence id>)
options = list(dict.fromkeys(hits["sentence_id"])) if len(hits) else []
linked = state.query_int(state.LIKE)
if linked is not None and linked not in options and (everything["sentence_id"] == linked).any():
    options.insert(0, linked)
chosen = everything[everything["sentence_id"].isin(options)].drop_duplicates("sentence_id")
labels = dict(zip(chosen["sentence_id"].tolist(), analysis.statement_labels(chosen)))
picked = st.selectbox("More like this statement", options, index=options.index(linked) if linked in options else None,
                      key="pick", format_func=lambda sid: labels.get(sid, str(sid)),
                      placeholder="Pick a statement from the results") if options else None
if picked is not None:
    statement = everything[everything["sentence_id"] == picked].iloc[0]
    with st.container(border=True):
        widgets.evidence(statement)
    try:
        vector = search.sentence_vector(int(picked))
    except KeyError:
        st.warning("This statement has no stored vector (stored before embeddings); re-ingest to search from it.")
        st.stop()
    similar = analysis.search_hits(search.index, pool, vector, k, exclude_sentence=int(picked))
    st.subheader("More like this")
    widgets.statement_table(shown(similar), columns, key="similar")
    st.subheader("Who else said this, and who said it first")
    said = pd.concat([everything[everything["sentence_id"] == picked].assign(score=1.0), similar])
    first = analysis.who_said_first(said, min_score)
    if first.empty:
        st.caption("No party statement is that close; lower the similarity threshold in the sidebar.")
    else:
        widgets.who_first_table(first, key="who_first")
