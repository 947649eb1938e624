"""Add articles: upload files, paste text with a date, or give a URL; analysed by the same pipeline as the CLI."""
import datetime as dt

import pandas as pd
import streamlit as st

from positions.config import ReaderSettings
from positions.errors import PositionsError
from positions.ui import resources, widgets
from positions.ui.text import md

filters = widgets.filters(hint=False)
names = [filters.negotiation] if filters else resources.store().negotiation_names()
st.title("Add articles")
if not names:
    st.info("No negotiation is configured in this store yet. Ingest one first, e.g. "
            "`python -m positions ingest FOLDER --negotiation data/negotiations/NAME`.")
    st.stop()
name = names[0]
neg = resources.negotiation(name)
st.caption(f"New articles are analysed for **{md(neg.title or neg.name)}** (choose another negotiation in the "
           "sidebar). Articles already stored (same text) are skipped.")
reader_settings = ReaderSettings()


def run(label: str, work) -> None:
    """Analyse with a progress bar, then report; caches refresh by themselves (the store revision changed)."""
    bar = st.progress(0.0, text=f"Analysing {label}…")

    def progress(done: int, total: int) -> None:
        bar.progress(min(1.0, done / total) if total else 1.0, text=f"Analysing {label}: {done} of {total}")

    try:
        with st.spinner("Loading the pipeline and analysing…"):
            report = work(resources.analyser(name), progress)
    except PositionsError as exc:
        bar.empty()
        st.error(md(str(exc)))
        return
    bar.progress(1.0, text="Done")
    st.session_state["last_report"] = report


tab_upload, tab_paste, tab_url = st.tabs(["Upload files", "Paste text", "From a URL"])
with tab_upload, st.form("upload_form", clear_on_submit=True):
    files = st.file_uploader("Articles (.md, .txt, .html, .csv with a text column, .jsonl)", accept_multiple_files=True,
                             key="upload_files", max_upload_size=max(1, ReaderSettings().max_document_bytes // 1_000_000),
                             type=["md", "markdown", "txt", "html", "htm", "csv", "jsonl", "ndjson"])
    upload_date = st.date_input("Date for files without one", value=None, key="upload_date", format="YYYY-MM-DD")
    if st.form_submit_button("Analyse files", type="primary"):
        from positions.pipeline import ingest_documents
        from positions.readers import document_from_upload

        documents, failed = [], []
        for upload in files or []:
            try:
                documents += document_from_upload(upload.name, upload.getvalue(), reader_settings, upload_date)
            except PositionsError as exc:
                failed.append((upload.name, str(exc)))

        def work(analyser, progress):
            report = ingest_documents(documents, resources.store(), analyser, progress)
            report.failed[:0] = failed
            return report

        run(f"{len(files or [])} file(s)", work)

with tab_paste, st.form("paste_form"):
    c1, c2, c3 = st.columns([3, 2, 1])
    title = c1.text_input("Title", key="paste_title")
    source = c2.text_input("Source", key="paste_source", placeholder="e.g. Reuters")
    when = c3.date_input("Date", value=dt.date.today(), key="paste_date", format="YYYY-MM-DD")
    body = st.text_area("Article text", key="paste_text", height=260,
                        placeholder="Paste the article; paragraphs separated by a blank line.")
    if st.form_submit_button("Analyse text", type="primary"):
        from positions.pipeline import ingest_documents
        from positions.readers import document_from_text

        try:
            document = document_from_text(body, title=title or None, date=when, source=source or None,
                                          origin="pasted", settings=reader_settings)
        except PositionsError as exc:
            st.error(md(str(exc)))
        else:
            run("the pasted article", lambda analyser, progress: ingest_documents(
                [document], resources.store(), analyser, progress))

with tab_url, st.form("url_form"):
    url = st.text_input("Article URL (http or https)", key="url", placeholder="https://…")
    url_date = st.date_input("Date if the page has none", value=None, key="url_date", format="YYYY-MM-DD")
    if st.form_submit_button("Fetch and analyse", type="primary"):
        from positions.pipeline import ingest

        if not url.lower().startswith(("http://", "https://")):
            st.error("Only http:// and https:// addresses can be fetched.")
        else:
            run("the page", lambda analyser, progress: ingest([url.strip()], resources.store(), analyser,
                                                               url_date, progress))

report = st.session_state.get("last_report")
if report is not None:
    st.subheader("Result")
    c1, c2, c3, c4 = st.columns(4)
    c1.metric("Articles added", report.added, border=True)
    c2.metric("Already stored", report.skipped, border=True)
    c3.metric("Failed", len(report.failed), border=True)
    c4.metric("Sentences", report.sentences, border=True)
    if report.failed:
        st.dataframe(pd.DataFrame(report.failed, columns=["input", "reason"]), hide_index=True, key="failed")
    if report.added:
        st.success("The new positions now appear in the other views.")
