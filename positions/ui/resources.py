"""The only Streamlit cache wrappers.

cache_resource: things loaded once per process and shared (store connection, embedding model, search index,
analyser). cache_data: query results, keyed by the store's revision so any write (ingest, correction)
invalidates them without clearing anything by hand.
"""
from __future__ import annotations

import json
import os
import threading
from pathlib import Path

import pandas as pd
import streamlit as st

from positions import analysis
from positions.config import EmbeddingSettings, Negotiation, Settings, default_db_path
from positions.embeddings import Embedder, make_embedder
from positions.search import StatementSearch
from positions.store import Store

DATA_DIR = Path(__file__).resolve().parents[2] / "data"


def _db() -> str:
    return str(default_db_path())


def _fake() -> bool:
    return os.environ.get("POSITIONS_FAKE_EMBEDDER") == "1"


@st.cache_resource(show_spinner=False)
def _store(path: str) -> Store:
    return Store(path).init()


def store() -> Store:
    return _store(_db())


@st.cache_resource(show_spinner="Loading the sentence model…")
def _embedder(fake: bool) -> Embedder:
    return make_embedder(EmbeddingSettings(), fake=fake)


def embedder() -> Embedder:
    return _embedder(_fake())


class _Search:
    """A StatementSearch plus the store revision it has seen; refreshed incrementally under a lock."""

    def __init__(self, search: StatementSearch, revision: int):
        self.search, self.revision, self.lock = search, revision, threading.Lock()


@st.cache_resource(show_spinner="Loading the search index…")
def _search(path: str, fake: bool) -> _Search:
    current = _store(path)
    return _Search(StatementSearch(current, _embedder(fake)), current.revision())


def search() -> StatementSearch:
    """The search index, with vectors stored since it was built added (cheap: only new rows)."""
    holder = _search(_db(), _fake())
    revision = store().revision()
    if revision != holder.revision:
        with holder.lock:
            holder.search.refresh()
            holder.revision = revision
    return holder.search


def revision() -> int:
    return store().revision()


@st.cache_data(show_spinner=False, max_entries=16)
def _negotiation(path: str, name: str, revision: int) -> Negotiation:
    return _store(path).negotiation(name)


def negotiation(name: str) -> Negotiation:
    return _negotiation(_db(), name, revision())


@st.cache_data(show_spinner=False, max_entries=4)
def _negotiations(path: str, revision: int) -> list[str]:
    current = _store(path)
    documents = current.documents()
    with_data = set(documents["negotiation"]) if len(documents) else set()
    return [name for name in current.negotiation_names() if name in with_data]


def negotiations() -> list[str]:
    """Negotiations that have ingested documents."""
    return _negotiations(_db(), revision())


@st.cache_resource(show_spinner="Reading statements…", max_entries=4)
def _statements(path: str, name: str, positions_only: bool, revision: int) -> pd.DataFrame:
    current = _store(path)
    frame = current.statements(name, positions_only=positions_only)
    return analysis.prepare(frame, current.negotiation(name))


def statements(name: str, positions_only: bool = True) -> pd.DataFrame:
    """Prepared statement rows of a negotiation (corrections applied), cached until the store changes.

    A query result, but held with cache_resource on purpose: cache_data would copy (unpickle) 100k rows
    on every call, several times per page run. The frame is shared: treat it as read-only (the analysis
    functions never modify their input)."""
    return _statements(_db(), name, positions_only, revision())


@st.cache_data(show_spinner=False, max_entries=16)
def _counts(path: str, name: str, revision: int) -> dict[str, int]:
    return _store(path).counts(name)


def counts(name: str) -> dict[str, int]:
    return _counts(_db(), name, revision())


@st.cache_data(show_spinner=False, max_entries=8)
def _corrections(path: str, name: str, revision: int) -> pd.DataFrame:
    return _store(path).corrections(name)


def corrections(name: str) -> pd.DataFrame:
    return _corrections(_db(), name, revision())


@st.cache_data(show_spinner=False, max_entries=64)
def _document_text(path: str, document_id: int) -> str:
    return _store(path).document_text(document_id)


def document_text(document_id: int) -> str:
    return _document_text(_db(), int(document_id))


@st.cache_data(show_spinner=False, max_entries=16)
def _eval_report(path: str, mtime: float) -> dict:
    return json.loads(Path(path).read_text(encoding="utf-8"))


def eval_report(name: str) -> dict | None:
    """data/eval/<negotiation>/latest.json, or None when the negotiation has no evaluation yet."""
    path = DATA_DIR / "eval" / name / "latest.json"
    if not path.is_file():
        return None
    try:
        return _eval_report(str(path), path.stat().st_mtime)
    except (OSError, ValueError):
        return None


@st.cache_data(show_spinner="Reading who speaks in the stored articles…", max_entries=4)
def _unnamed_speakers(path: str, name: str, revision: int) -> list:
    from positions.pipeline import load_spacy
    from positions.speakers import stored_speakers

    current = _store(path)
    settings = Settings().pipeline
    return stored_speakers(current, current.negotiation(name), load_spacy(settings.spacy_model, entities=True),
                           batch_size=settings.spacy_batch_size)


def unnamed_speakers(name: str) -> list:
    """positions.speakers.stored_speakers for a stored negotiation (its stored config), until the store changes."""
    return _unnamed_speakers(_db(), name, revision())


@st.cache_resource(show_spinner="Loading the analysis pipeline…", max_entries=4)
def _analyser(path: str, name: str, config_json: str, fake: bool):
    from positions.pipeline import load_analyser

    return load_analyser(Negotiation.from_dict(json.loads(config_json)), Settings(), _embedder(fake))


def analyser(name: str):
    """The pipeline for a negotiation (reloaded when its stored config changes)."""
    config = json.dumps(negotiation(name).to_dict(), sort_keys=True)
    return _analyser(_db(), name, config, _fake())


@st.cache_resource(show_spinner=False)
def build_lock() -> threading.Lock:
    """Serialises the first-run sample build across sessions of this process."""
    return threading.Lock()
