import datetime as dt

import numpy as np

from positions.config import load_negotiation
from positions.models import AnalysedDocument, Document, Position, Quantity, Sentence


def _analysed(text="Union demands a raise. Port rejects it.", title="Talks"):
    doc = Document(text=text, title=title, source="wire", published=dt.date(2024, 5, 6), origin="a.md")
    first, second = text.split(". ", 1)
    sentences = (Sentence(first + ".", 0, len(first) + 1, 0, 0), Sentence(second, len(first) + 2, len(text), 1, 0))
    positions = (
        Position(0, "union", "wages", "demand", (Quantity(20, "percent", "20 percent"),), dt.date(2024, 5, 6), "day"),
        Position(1, "port", "wages", "reject", (), dt.date(2024, 5, 6), "published"),
        Position(1, "port", "automation", "reject", (), dt.date(2024, 5, 6), "published"),
    )
    vectors = np.eye(2, 4, dtype=np.float32)
    return AnalysedDocument(doc, sentences, positions, vectors)


def test_add_is_idempotent_and_whole(store, tiny_negotiation):
    neg = load_negotiation(tiny_negotiation)
    store.save_negotiation(neg)
    analysed = _analysed()
    assert store.add_document(neg.name, analysed) is not None
    assert store.add_document(neg.name, analysed) is None
    assert store.counts(neg.name) == {"documents": 1, "sentences": 2, "positions": 3, "corrections": 0}
    frame = store.statements(neg.name)
    assert list(frame["stance"]) == ["demand", "reject", "reject"]
    assert frame.loc[0, "numbers"][0]["value"] == 20
    assert frame.loc[0, "sentence"] == "Union demands a raise."
    assert store.negotiation(neg.name) == neg
    assert store.integrity_ok()


def test_failed_document_leaves_nothing(store, tiny_negotiation):
    neg = load_negotiation(tiny_negotiation)
    store.save_negotiation(neg)
    bad = _analysed()
    bad = AnalysedDocument(bad.document, bad.sentences, bad.positions + (Position(7, "x", "y", "accept"),),
                           bad.embeddings)
    try:
        store.add_document(neg.name, bad)
    except IndexError:
        pass
    assert store.counts(neg.name)["documents"] == 0
    assert store.counts()["sentences"] == 0


def test_corrections_survive_reanalysis(store, tiny_negotiation):
    neg = load_negotiation(tiny_negotiation)
    store.save_negotiation(neg)
    doc_id = store.add_document(neg.name, _analysed())
    row = store.statements(neg.name).iloc[1]
    revision = store.revision()
    store.add_correction(int(row["id"]), "stance", "accept", note="misread")
    assert store.revision() > revision
    store.replace_analysis(doc_id, _analysed())  # new position ids
    frame = store.statements(neg.name)
    corrected = frame[frame["corrected"]]
    assert list(corrected["stance"]) == ["accept"]
    assert corrected.iloc[0]["sentence"] == "Port rejects it."
    assert len(store.corrections()) == 1


def test_embeddings_round_trip(store, tiny_negotiation):
    neg = load_negotiation(tiny_negotiation)
    store.save_negotiation(neg)
    store.add_document(neg.name, _analysed())
    ids, vectors = store.embeddings()
    assert vectors.shape == (2, 4) and vectors.dtype == np.float32
    assert np.allclose(vectors[0], [1, 0, 0, 0])
    later_ids, _ = store.embeddings(after_sentence_id=int(ids[0]))
    assert list(later_ids) == [ids[1]]


def test_statements_read_in_chunks_equal_one_read(store, tiny_negotiation):
    import pandas as pd

    neg = load_negotiation(tiny_negotiation)
    store.save_negotiation(neg)
    store.add_document(neg.name, _analysed())
    store.add_document(neg.name, _analysed("Port offers a bonus. Union accepts it.", "Deal"))
    sql = "SELECT p.id, p.party, p.speaker, p.confidence, p.date FROM positions p ORDER BY p.id"
    whole = store._frame(sql)
    for chunk in (1, 2, 4, 100):  # chunks whose column is all NULL take the other chunks' dtype
        parts = store._frame_chunked(sql, chunk=chunk)
        pd.testing.assert_frame_equal(parts, whole, check_exact=True)
    empty = "SELECT p.id, p.party FROM positions p WHERE p.id < 0"
    pd.testing.assert_frame_equal(store._frame_chunked(empty), store._frame(empty))
    frame = store.statements(neg.name, positions_only=True)
    assert len(frame) == 6 and list(frame.index) == list(range(6))
    assert list(store.statements(neg.name, party="port")["party"]) == ["port"] * 4


def test_stance_probability_round_trips_and_older_stores_gain_the_column(tmp_path, tiny_negotiation):
    import sqlite3
    from dataclasses import replace

    from positions.store import MIGRATIONS, Store

    neg = load_negotiation(tiny_negotiation)
    path = tmp_path / "old.db"
    store = Store(path).init()
    store.save_negotiation(neg)
    analysed = _analysed()
    rated = (replace(analysed.positions[0], stance_probability=0.875),) + analysed.positions[1:]
    store.add_document(neg.name, replace(analysed, positions=rated))
    frame = store.statements(neg.name)
    assert frame.loc[0, "stance_probability"] == 0.875 and frame["stance_probability"].iloc[1:].isna().all()
    store.close()
    with sqlite3.connect(path) as conn:  # as a store written before migration 2 left it
        conn.execute("ALTER TABLE positions DROP COLUMN stance_probability")
        conn.execute("PRAGMA user_version = 1")
    reopened = Store(path).init()
    frame = reopened.statements(neg.name)
    assert list(frame["stance"]) == ["demand", "reject", "reject"] and frame["stance_probability"].isna().all()
    assert reopened.conn.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS)
    reopened.close()
