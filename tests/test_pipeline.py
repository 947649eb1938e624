"""The whole path: documents -> analysis -> store -> statements/search, with the fake and the real embedder."""
import datetime as dt

import pandas as pd
import pytest

from positions.config import Settings, load_negotiation
from positions.models import Document
from positions.pipeline import build_sample_store, ingest, ingest_documents, load_analyser, reanalyse
from positions.search import StatementSearch

ARTICLE = """---
title: Port rejects union pay demand
date: 2024-05-08
source: Harbour Wire
---
Port rejects union pay demand

The Dockworkers Union demanded a 20 percent raise over three years on Monday, Maria Lopez said.

Tom Baker said the Port Authority would not accept the union's pay demand. He said the automated cranes would stay.

Ships queued outside the harbour for a second day.
"""


@pytest.fixture
def analyser(tiny_negotiation, fake_embedder, nlp):
    settings = Settings()
    return load_analyser(load_negotiation(tiny_negotiation), settings, fake_embedder)


def test_ingest_attributes_positions(tmp_path, store, analyser):
    (tmp_path / "a.md").write_text(ARTICLE, encoding="utf-8")
    report = ingest([str(tmp_path / "a.md")], store, analyser)
    assert (report.added, report.failed) == (1, [])
    rows = store.statements("harbour-talks")
    text = store.document_text(int(rows["document_id"].iloc[0]))
    # every sentence is there, with exact offsets
    assert set(rows["sentence_index"]) == set(range(rows["sentence_index"].max() + 1))
    for row in rows.itertuples():
        assert text[row.start:row.end] == row.sentence
    union = rows[rows["sentence"].str.startswith("The Dockworkers Union demanded")].iloc[0]
    assert (union.party, union.topic, union.stance) == ("union", "wages", "demand")
    assert {"value": 20, "unit": "percent", "text": "20 percent", "qualifier": None} in union.numbers
    assert union.date == "2024-05-06"  # "on Monday" before Wednesday 8 May
    port = rows[rows["sentence"].str.startswith("Tom Baker said")].iloc[0]
    assert (port.party, port.stance) == ("port", "reject")
    carried = rows[rows["sentence"].str.startswith("He said the automated")]
    assert set(carried["party"]) == {"port"} and set(carried["attribution"]) == {"carried_over"}
    scene = rows[rows["sentence"].str.startswith("Ships queued")].iloc[0]
    assert pd.isna(scene.party) and pd.isna(scene.topic) and pd.isna(scene.stance)


QUOTES = """---
title: Dockworkers hold out
date: 2024-05-08
---
"The port has had years to share its profits," Maria Lopez said. "We want a 20 percent raise and we will not take less." "The raise is a bluff," said an analyst.

"The cranes are coming no matter what happens to wages," a consultant said. "The pay raise will not stop them."

"Wages are the easy part," a shipping analyst said. "It tells the port that the union will never accept the cranes."

"We will not take less pay."
"""


def test_a_quotation_going_on_in_the_next_sentence_keeps_its_holder(tmp_path, store, analyser):
    (tmp_path / "q.md").write_text(QUOTES, encoding="utf-8")
    ingest([str(tmp_path / "q.md")], store, analyser)
    rows = store.statements("harbour-talks")
    going_on = rows[rows["sentence"].str.startswith('"We want a 20 percent raise')]
    assert set(going_on["party"]) == {"union"} and set(going_on["attribution"]) == {"carried_over"}
    # a quotation naming its own speaker is that speaker's (no party); a quotation by no party (the consultant)
    # passes nothing on; a quotation opening a paragraph has no speaker
    assert rows[rows["sentence"].str.startswith('"The raise is a bluff')]["party"].isna().all()
    assert rows[rows["sentence"].str.startswith('"The pay raise will not')]["party"].isna().all()
    assert rows[rows["sentence"].str.startswith('"It tells the port')]["party"].isna().all()  # not "it" carried
    assert rows[rows["sentence"].str.startswith('"We will not take less pay')]["party"].isna().all()


QUOTE_ABOUT_THE_OTHER_SIDE = """---
title: Dockworkers press the port
date: 2024-05-08
---
"We have waited long enough for a raise," Maria Lopez said. "The Port Authority needs to come back with a real wage offer."

"Both sides are close on wages," the State Mediator said. "The Port Authority has accepted the wage proposal."
"""


def test_a_quotation_going_on_about_the_other_side_stays_its_speakers(tmp_path, store, analyser):
    (tmp_path / "q.md").write_text(QUOTE_ABOUT_THE_OTHER_SIDE, encoding="utf-8")
    ingest([str(tmp_path / "q.md")], store, analyser)
    rows = store.statements("harbour-talks")
    demand = rows[rows["sentence"].str.startswith('"The Port Authority needs')]
    assert list(demand["party"]) == ["union"] and list(demand["attribution"]) == ["carried_over"]
    relayed = rows[rows["sentence"].str.startswith('"The Port Authority has accepted')]  # a mediator relays
    assert list(relayed["party"]) == ["port"]


SUBJECT_WITHOUT_POSITION = """---
title: Harbour wage talks
date: 2024-05-08
---
The Dockworkers Union demanded a 20 percent wage raise on Monday. Tom Baker arrived at the wage talks on Tuesday with two aides. He said a deal on wages was close.
"""


def test_a_subject_that_states_no_position_is_whom_the_next_he_means(tmp_path, store, analyser):
    (tmp_path / "s.md").write_text(SUBJECT_WITHOUT_POSITION, encoding="utf-8")
    ingest([str(tmp_path / "s.md")], store, analyser)
    rows = store.statements("harbour-talks")
    assert rows[rows["sentence"].str.startswith("Tom Baker arrived")]["party"].isna().all()
    assert set(rows[rows["sentence"].str.startswith("He said a deal")]["party"]) == {"port"}


@pytest.mark.parametrize("text, expected", [
    ('"We intend to get it back."', True),
    ("“We strike at midnight.”", True),
    ('Given that position, our offer has been withdrawn."', True),  # the end of a quotation opened earlier
    ('The union called it "insulting."', False),
    ('"It is a bluff," said an analyst.', False),  # names its own speaker
    ('"Fair contract now" signs lined the road.', False),
    ("Ships queued outside the harbour.", False),
])
def test_continues_quote(text, expected):
    from positions.holders import continues_quote

    assert continues_quote(text) is expected


def test_reingest_adds_nothing_and_embeds_nothing(tmp_path, store, analyser, fake_embedder):
    (tmp_path / "a.md").write_text(ARTICLE, encoding="utf-8")
    ingest([str(tmp_path)], store, analyser)
    calls = len(fake_embedder.calls)
    report = ingest([str(tmp_path)], store, analyser)
    assert (report.added, report.skipped) == (0, 1)
    assert len(fake_embedder.calls) == calls
    assert store.counts()["documents"] == 1


def test_embeds_each_batch_once(store, analyser, fake_embedder):
    docs = [Document(text=f"The union demanded a {n} percent raise.", published=dt.date(2024, 1, n + 1))
            for n in range(5)]
    analyser.topic_model  # prototypes embedded first
    before = len(fake_embedder.calls)
    ingest_documents(docs, store, analyser)
    assert len(fake_embedder.calls) == before + 1
    assert fake_embedder.calls[-1] == [d.text for d in docs]


def test_search_finds_the_statement(tmp_path, store, analyser, fake_embedder):
    (tmp_path / "a.md").write_text(ARTICLE, encoding="utf-8")
    ingest([str(tmp_path)], store, analyser)
    hits = StatementSearch(store, fake_embedder).search("union demanded raise percent", k=3)
    assert hits.iloc[0]["sentence"].startswith("The Dockworkers Union demanded")
    assert list(hits["score"]) == sorted(hits["score"], reverse=True)
    only_port = StatementSearch(store, fake_embedder).search("raise", k=5, party="port")
    assert set(only_port["party"]) == {"port"}


def test_reanalyse_with_changed_config_keeps_corrections(tmp_path, store, analyser, tiny_negotiation,
                                                        fake_embedder):
    (tmp_path / "a.md").write_text(ARTICLE, encoding="utf-8")
    ingest([str(tmp_path)], store, analyser)
    row = store.statements(positions_only=True).iloc[0]
    store.add_correction(int(row["id"]), "stance", "propose")
    parties = tiny_negotiation / "parties.yaml"
    parties.write_text(parties.read_text() + "  - id: city\n    name: City Hall\n    aliases: [City Hall]\n")
    assert reanalyse(store, load_analyser(load_negotiation(tiny_negotiation), Settings(), fake_embedder)) == 1
    assert [p.id for p in store.negotiation("harbour-talks").parties][-1] == "city"
    after = store.statements()
    fixed = after[after["corrected"]]
    assert list(fixed["stance"]) == ["propose"] and fixed.iloc[0]["sentence"] == row["sentence"]


def test_real_model_on_sample_corpus(tmp_path, real_embedder, nlp):
    """The whole path with the real model on the sample negotiation: sensible attributions and search."""
    from conftest import REPO
    from positions.store import Store

    store = Store(tmp_path / "real.db").init()
    folder = REPO / "data" / "negotiations" / "uaw-2023"
    analyser = load_analyser(load_negotiation(folder), Settings(), real_embedder)
    report = ingest([str(folder / "corpus")], store, analyser)
    assert report.added >= 8 and not report.failed
    rows = store.statements(positions_only=True)
    assert set(rows["party"]) >= {"uaw", "ford", "gm"}
    assert {"wages", "strike"} <= set(rows["topic"])
    assert rows["stance"].isin(["demand", "propose", "accept", "reject", "support", "oppose", "report"]).all()
    hits = StatementSearch(store, real_embedder).search("the union wants a forty percent pay rise", k=5)
    assert hits["sentence"].str.contains("40|forty", case=False).any()


def test_build_sample_store(tmp_path, fake_embedder):
    from conftest import REPO
    from positions.store import Store

    store = Store(tmp_path / "s.db").init()
    seen = []
    report = build_sample_store(store, REPO / "data", Settings(), fake_embedder, progress=lambda d, t: seen.append(d))
    assert report.added >= 30 and not report.failed
    assert {"gaza-2023", "uaw-2023"} <= set(store.negotiation_names())
    assert seen and seen[-1] == max(seen)


def test_a_second_party_in_a_relative_clause_gets_its_own_row(tmp_path, store, analyser):
    (tmp_path / "b.md").write_text(
        "---\ntitle: Union holds out\ndate: 2024-05-08\nsource: Harbour Wire\n---\n"
        "The Dockworkers Union has insisted that any agreement include a pay raise of 20 percent, a demand the Port "
        "Authority has so far refused.\n", encoding="utf-8")
    ingest([str(tmp_path / "b.md")], store, analyser)
    rows = store.statements("harbour-talks")
    rows = rows[rows["topic"] == "wages"].set_index("party")
    assert (rows.loc["union", "stance"], rows.loc["port", "stance"]) == ("demand", "reject")
    assert (rows.loc["port", "attribution"], rows.loc["port", "relayed_by"]) == ("relative_clause", "union")
    assert rows.loc["port", "numbers"] == [] and rows.loc["union", "numbers"]  # the numbers are the union's


def ingest_article(tmp_path, store, analyser, body: str, title: str = "Deal on pay"):
    """Ingest one article dated Wednesday 8 May 2024 and return the negotiation's statement rows."""
    (tmp_path / "article.md").write_text(f"---\ntitle: {title}\ndate: 2024-05-08\n---\n{body}", encoding="utf-8")
    ingest([str(tmp_path / "article.md")], store, analyser)
    return store.statements("harbour-talks")


def test_the_two_sides_are_the_two_principals(tmp_path, store, analyser):
    rows = ingest_article(tmp_path, store, analyser,
                          "The two sides agreed on Tuesday to a pay raise of 12 percent.\n\n"
                          "Analysts said both sides were still far apart on wages.\n")
    assert set(rows["party"].dropna()) == {"union", "port"}  # the mediator is no side
    assert set(rows["attribution"].dropna()) == {"joint_subject"}
    assert set(rows.dropna(subset=["party"])["sentence"]) == {
        "The two sides agreed on Tuesday to a pay raise of 12 percent."}


def test_parties_sharing_a_subject_both_hold_the_position(tmp_path, store, analyser):
    rows = ingest_article(tmp_path, store, analyser, "The Dockworkers Union and the Port Authority agreed on "
                                                     "Tuesday to a pay raise of 12 percent.\n")
    rows = rows[rows["topic"] == "wages"].set_index("party")
    assert set(rows.index) == {"union", "port"}
    assert (rows.loc["union", "attribution"], rows.loc["port", "attribution"]) == ("said_subject", "joint_subject")
    assert rows.loc["union", "stance"] == rows.loc["port", "stance"] == "accept"


def test_a_date_that_describes_the_party_in_passing_is_not_the_statement_date(tmp_path, store, analyser):
    rows = ingest_article(
        tmp_path, store, analyser,
        "The Dockworkers Union, which walked out in March, said the pay raise of 20 percent was not negotiable.\n\n"
        "The Port Authority, which hired Tom Baker last week, said on Monday it would not accept the raise.\n",
        title="Union holds out")
    rows = rows.dropna(subset=["party"]).set_index("party")
    assert rows.loc["union", "date"] == "2024-05-08"  # March is when it walked out: the article's date
    assert rows.loc["port", "date"] == "2024-05-06"  # "on Monday", not "last week"
