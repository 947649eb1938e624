"""Add articles: upload files, paste text with a date, or give a URL; analysed by the same pipeline as the CLI."""
import datetime as dt

import pandas as pd
import streamlit as st

from positions.config import ReaderSettings
from positions.errors import PositionsError, failure_line
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
# the date pickers offer what the readers accept (Streamlit's default range is only ten years either side)
EARLIEST = dt.date(reader_settings.earliest_year, 1, 1)
LATEST = dt.date.today() + dt.timedelta(days=1)


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
        st.session_state.pop("last_report", None)
        st.error(md(str(exc)))
        return
    bar.progress(1.0, text="Done")
    st.session_state["last_report"] = report


def submit(label: str, results) -> None:
    """Store the documents of (label, Document or InputError) results, like `positions ingest`: each failure is one
    'input: reason' row, the good inputs of the same submission are kept. With nothing good, the store is not touched
    (no pipeline load, no write)."""
    from positions.errors import InputError
    from positions.pipeline import IngestReport, ingest_documents

    documents, failed = [], []
    for item, result in results:
        if isinstance(result, InputError):
            reason = str(result)
            failed.append((item, failure_line(item, reason)))
        else:
            documents.append(result)
    if not documents:
        st.session_state["last_report"] = IngestReport(failed=failed)
        return

    def work(analyser, progress):
        report = ingest_documents(documents, resources.store(), analyser, progress)
        report.failed[:0] = failed
        return report

    run(label, work)


tab_upload, tab_paste, tab_url = st.tabs(["Upload files", "Paste text", "From a URL"])
with tab_upload, st.form("upload_form", clear_on_submit=True):
    # no `type=` filter: a file of another type gets the readers' own one-line reason (as in the CLI), and the
    # other files of the same upload are still read
    files = st.file_uploader("Articles (.md, .txt, .html, .csv with a text column, .jsonl)", accept_multiple_files=True,
                             key="upload_files",
                             max_upload_size=max(1, reader_settings.max_document_bytes // 1_000_000))
    upload_date = st.date_input("Date for files without one", value=None, key="upload_date", format="YYYY-MM-DD",
                                min_value=EARLIEST, max_value=LATEST)
    if st.form_submit_button("Analyse files", type="primary"):
        from positions.readers import upload_results

        submit(f"{len(files or [])} file(s)", [
            result for upload in files or []
            for result in upload_results(upload.name, upload.getvalue(), reader_settings, upload_date)])

with tab_paste, st.form("paste_form"):
    c1, c2, c3 = st.columns([3, 2, 1])
    title = c1.text_input("Title", key="paste_title")
    source = c2.text_input("Source", key="paste_source", placeholder="e.g. Reuters")
    when = c3.date_input("Date", value=dt.date.today(), key="paste_date", format="YYYY-MM-DD",
                         min_value=EARLIEST, max_value=LATEST)
    body = st.text_area("Article text", key="paste_text", height=260,
                        placeholder="Paste the article; paragraphs separated by a blank line.")
    if st.form_submit_button("Analyse text", type="primary"):
        from positions.pipeline import ingest_documents
        from positions.readers import document_from_text

        try:
            document = document_from_text(body, title=title or None, date=when, source=source or None,
                                          origin="pasted", settings=reader_settings)
        except PositionsError as exc:
            st.session_state.pop("last_report", None)
            st.error(md(f"pasted text: {exc}"))
        else:
            run("the pasted article", lambda analyser, progress: ingest_documents(
                [document], resources.store(), analyser, progress))

with tab_url, st.form("url_form"):
    url = st.text_input("Article URL (http or https)", key="url", placeholder="https://…")
    url_date = st.date_input("Date if the page has none", value=None, key="url_date", format="YYYY-MM-DD",
                             min_value=EARLIEST, max_value=LATEST)
    if st.form_submit_button("Fetch and analyse", type="primary"):
        from positions.readers import url_result

        # only http(s) is fetched; a path or file:// address is refused, never read from the server's disk
        with st.spinner("Fetching the page…"):
            result = url_result(url, reader_settings, default_date=url_date)
        submit("the page", [result])

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
    if report.warnings:  # read with a fallback (another encoding, damaged bytes replaced): kept, but say so
        st.warning(f"{len(report.warnings)} article(s) were read with a fallback; check their text.")
        st.dataframe(pd.DataFrame(report.warnings, columns=["input", "warning"]), hide_index=True, key="warnings")
    if report.added:
        st.success("The new positions now appear in the other views.")
