"""First run: an empty store is built from the sample negotiations in data/, once, with a progress bar."""
from __future__ import annotations

import streamlit as st

from positions.config import Settings
from positions.errors import failure_line
from positions.ui import resources
from positions.ui.text import md


def ensure_sample_store() -> None:
    """If the store has no documents, ingest every data/negotiations/*/ corpus (one session builds it;
    others wait on the lock and then find it built)."""
    if resources.store().counts()["documents"]:
        return
    if not (resources.DATA_DIR / "negotiations").is_dir():
        return
    try:
        from positions.pipeline import build_sample_store
    except ImportError:  # the pipeline is not installed: the pages explain how to add articles
        return
    with resources.build_lock():
        current = resources.store()
        if current.counts()["documents"]:
            return
        bar = st.progress(0.0, text="First run: analysing the sample articles in data/ (once)…")

        def progress(done: int, total: int) -> None:
            share = min(1.0, done / total) if total else 1.0
            bar.progress(share, text=f"First run: analysing the sample articles in data/… {share:.0%}")

        report = build_sample_store(current, resources.DATA_DIR, Settings(), resources.embedder(), progress=progress)
        bar.empty()
        for label, reason in report.failed:
            st.error(md(failure_line(label, reason)))
