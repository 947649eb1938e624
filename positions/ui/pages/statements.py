"""Statements: the full table with filters, evidence in its paragraph, analyst corrections, downloads."""
import hashlib

import streamlit as st

from positions import analysis
from positions.models import STANCES
from positions.store import CORRECTABLE_FIELDS as CORRECTABLE
from positions.ui import resources, state, widgets

EDITABLE = ("party", "topic", "stance", "stance_sure")
SHOWN = ["id", "when", "party", "topic", "stance", "stance_sure", "stance_probability", "numbers_text", "sentence",
         "doc_source", "corrected"]
LIMIT = 1000

filters = widgets.filters()
if filters is None:
    st.stop()
stances = widgets.stance_filter()
with st.sidebar:
    text = st.text_input("Sentence contains", key=state.TEXT, bind=widgets.BIND)
    corrected_only = st.toggle("Corrected rows only", key="corrected_only")
    to_review = st.toggle("Stances to review only", key="to_review",
                          help="Positions whose stance is not sure and no analyst has checked yet, the ones the "
                               "Overview matrix shows first: correct the stance, or tick Sure for one you checked, "
                               "and save")
    everything = st.toggle("Include sentences without a position", key="all_sentences",
                           help="To give a party, topic and stance to a sentence the pipeline missed")
neg = resources.negotiation(filters.negotiation)
frame = resources.statements(filters.negotiation, positions_only=not everything)
rows = analysis.filter_statements(frame, stances=stances, text=text, corrected_only=corrected_only,
                                  to_review=to_review, **filters.as_kwargs())
widgets.header("Statements", neg, filters)

if to_review:  # the stances the Overview matrix shows come first
    on_matrix = analysis.latest_positions(analysis.filter_statements(frame, **filters.as_kwargs()))["id"]
    shown = analysis.review_queue(rows, on_matrix, LIMIT)
else:
    shown = analysis.recent_first(rows, LIMIT)
st.caption(f"{len(rows):,} rows match" + (f"; the {LIMIT:,} most recent are shown (narrow the filters to see "
                                           "others; downloads hold all)" if len(rows) > LIMIT else "") +
           ". Edit party, topic or stance in the table (or tick a stance you checked as sure), then save: "
           "corrections are kept across re-ingests.")

# a fresh editor for every distinct table (edits are positional) and after every save
version = st.session_state.setdefault("editor_version", 0)
digest = hashlib.blake2b(shown["id"].to_numpy().tobytes(), digest_size=6).hexdigest()
party_ids, topic_ids = [p.id for p in neg.parties], [t.id for t in neg.topics]
party_names, topic_names = {p.id: p.name for p in neg.parties}, {t.id: t.name for t in neg.topics}
edited = st.data_editor(
    shown[SHOWN], key=f"editor-{version}-{digest}", hide_index=True, height=460,
    disabled=[c for c in SHOWN if c not in EDITABLE],
    column_config={
        **widgets.STATEMENT_COLUMNS,
        "id": st.column_config.NumberColumn("#", width="small"),
        "party": st.column_config.SelectboxColumn("Party", options=party_ids, width="medium",
                                                  format_func=lambda pid: party_names.get(pid, pid)),
        "topic": st.column_config.SelectboxColumn("Topic", options=topic_ids, width="medium",
                                                  format_func=lambda tid: topic_names.get(tid, tid)),
        "stance": st.column_config.SelectboxColumn("Stance", options=list(STANCES), width="small"),
        "stance_sure": st.column_config.CheckboxColumn(
            "Sure", width="small", help="Sure: read sure enough, or checked by an analyst. Tick a stance you have "
                                        "checked and save: it is kept as checked (unticking changes nothing)"),
    })
changes = analysis.correction_changes(shown, edited, CORRECTABLE) + analysis.confirmed_stances(shown, edited)
c1, c2 = st.columns([3, 1])
note = c1.text_input("Note for these corrections (optional)", key="correction_note")
if c2.button(f"Save {len(changes)} correction(s)", key="save_corrections", type="primary", disabled=not changes,
             width="stretch"):
    store = resources.store()
    for position_id, field, value in changes:
        store.add_correction(position_id, field, value, note)
    st.session_state["editor_version"] = version + 1
    st.toast(f"Saved {len(changes)} correction(s).")
    st.rerun()

st.subheader("Evidence")
if len(shown):
    labels = dict(zip(shown["id"].tolist(), analysis.statement_labels(shown)))
    picked = st.selectbox("Statement", list(labels), key="evidence_row", format_func=labels.get)
    row = shown.loc[shown["id"] == picked].iloc[0]
    with st.container(border=True):
        widgets.evidence(row)
        st.page_link("positions/ui/pages/search.py", label="More like this, and who said it first",
                     icon=":material/manage_search:", query_params={state.LIKE: str(int(row["sentence_id"]))})
else:
    st.caption("No statements match these filters.")

st.subheader("Download")
st.caption(f"All {len(rows):,} rows matching the filters, corrections applied; and the corrections themselves.")
corrections = resources.corrections(filters.negotiation)
name = filters.negotiation
d1, d2, d3, d4 = st.columns(4)
# callables: the files are built only when a button is clicked
d1.download_button("Statements CSV", lambda: analysis.export_csv(analysis.export_rows(rows)), f"{name}-statements.csv",
                   "text/csv", key="download_csv", icon=":material/download:", on_click="ignore")
d2.download_button("Statements JSON", lambda: analysis.export_json(analysis.export_rows(rows)),
                   f"{name}-statements.json", "application/json", key="download_json", icon=":material/download:",
                   on_click="ignore")
d3.download_button(f"Corrections CSV ({len(corrections):,})", lambda: analysis.export_csv(corrections),
                   f"{name}-corrections.csv", "text/csv", key="download_corrections", icon=":material/download:",
                   on_click="ignore")
d4.download_button("Corrections JSON", lambda: analysis.export_json(corrections), f"{name}-corrections.json",
                   "application/json", key="download_corrections_json", icon=":material/download:",
                   on_click="ignore")
