"""The dashboard through streamlit.testing.v1.AppTest: every page on a small store with the fake embedder."""
from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from dashboard_fixtures import HOSTILE_PARTY_NAME, NEGOTIATION, build_store
from positions.store import Store

APP = str(Path(__file__).resolve().parents[1] / "app.py")
PAGES = "positions/ui/pages/{}.py"


@pytest.fixture(scope="module")
def template_store(tmp_path_factory) -> Path:
    return build_store(tmp_path_factory.mktemp("dashboard") / "template.db")


@pytest.fixture
def db(template_store, tmp_path, monkeypatch) -> Path:
    """A fresh copy of the test store per test (corrections and ingests write to it)."""
    path = tmp_path / "store.db"
    source = sqlite3.connect(template_store)
    target = sqlite3.connect(path)
    source.backup(target)
    source.close(), target.close()
    monkeypatch.setenv("POSITIONS_DB", str(path))
    monkeypatch.setenv("POSITIONS_FAKE_EMBEDDER", "1")
    return path


def app(page: str | None = None, **query) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params.update(query)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    if page:
        at.switch_page(PAGES.format(page)).run()
        assert not at.exception, [e.value for e in at.exception]
    return at


def charts(at: AppTest) -> list:
    return at.get("plotly_chart")


@pytest.mark.parametrize("page, title, n_charts, n_tables", [
    ("overview", "Overview", 2, 2),
    ("timeline", "Timeline", 2, 1),
    ("compare", "Compare", 1, 2),
    ("search", "Search", 0, 0),
    ("statements", "Statements", 0, 1),
    ("add_articles", "Add articles", 0, 0),
])
def test_every_page_renders(db, page, title, n_charts, n_tables):
    at = app(page)
    assert at.title[0].value == title
    assert len(charts(at)) >= n_charts
    assert len(at.dataframe) >= n_tables
    assert not at.error
    assert at.selectbox(key="neg").value == NEGOTIATION


def test_overview_figures_and_quality_panel(db, tmp_path, monkeypatch):
    from positions.ui import resources

    data = tmp_path / "data"
    (data / "eval" / NEGOTIATION).mkdir(parents=True)
    (data / "eval" / NEGOTIATION / "latest.json").write_text(json.dumps(
        {"heldout": {"holder_accuracy": 0.93, "stance_accuracy": 0.84}, "dev": {"holder_accuracy": 0.95}}))
    monkeypatch.setattr(resources, "DATA_DIR", data)
    at = app("overview")
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Documents"] == "6" and metrics["Positions"] == "14"
    assert metrics["Analyst corrections"] == "0"
    quality = at.dataframe[-1].value  # the Quality panel is the last table
    assert quality.set_index("metric").loc["holder_accuracy", "heldout"] == pytest.approx(0.93)
    matrix = charts(at)[0]
    figure = json.loads(matrix.proto.spec)
    assert "&lt;script&gt;" in json.dumps(figure) and "<script>" not in json.dumps(figure)


def test_quality_panel_without_evaluation_says_so(db, tmp_path, monkeypatch):
    from positions.ui import resources

    monkeypatch.setattr(resources, "DATA_DIR", tmp_path)
    at = app("overview")
    assert any("No evaluation" in c.value for c in at.caption)


def test_party_filter_narrows_every_view(db):
    at = app("statements")
    assert set(at.data_editor[0].value["party"]) == {"union", "company", "mediator"}
    at.multiselect(key="party").set_value(["company"]).run()
    assert set(at.data_editor[0].value["party"]) == {"company"}
    at.switch_page(PAGES.format("overview")).run()  # the choice follows to the other pages
    assert at.multiselect(key="party").value == ["company"]
    assert {m.label: m.value for m in at.metric}["Positions"] == "5"


def test_filters_come_from_a_shared_link(db):
    at = app("statements", party="Auto Union", topic="Pensions", stance="demand")
    rows = at.data_editor[0].value
    assert len(rows) == 2 and set(rows["party"]) == {"union"} and set(rows["topic"]) == {"pensions"}


def test_date_range_filter(db):
    import datetime as dt

    at = app("statements")
    at.date_input(key="dates").set_value((dt.date(2023, 9, 1), dt.date(2023, 9, 30))).run()
    dates = at.data_editor[0].value["when"]
    assert len(dates) == 5 and dates.min().month == 9 and dates.max().month == 9


def test_a_correction_is_saved_and_shown_as_corrected(db):
    at = app("statements")
    editor = at.data_editor[0]
    first = editor.value.iloc[0]
    assert at.button(key="save_corrections").disabled
    at.session_state[editor.key] = {"edited_rows": {0: {"stance": "reject"}}, "added_rows": [], "deleted_rows": []}
    at.run()
    save = at.button(key="save_corrections")
    assert save.label == "Save 1 correction(s)" and not save.disabled
    save.click().run()
    assert not at.exception
    stored = Store(db).init().corrections()
    assert list(zip(stored["field"], stored["value"])) == [("stance", "reject")]
    row = at.data_editor[0].value.set_index("id").loc[first["id"]]
    assert row["stance"] == "reject" and bool(row["corrected"])
    at.toggle(key="corrected_only").set_value(True).run()
    assert list(at.data_editor[0].value["id"]) == [first["id"]]
    assert any("corrected by an analyst" in c.value for c in at.caption)  # the evidence card says so
    at.switch_page(PAGES.format("overview")).run()
    assert {m.label: m.value for m in at.metric}["Analyst corrections"] == "1"


def test_stances_to_review_sure_only_and_a_checked_stance(db):
    at = app("overview")
    assert at.toggle(key="sure").disabled  # the fixture's stances are not rated yet
    with sqlite3.connect(db) as conn:  # the company's stances read sure, the union's not, the mediator's not rated
        conn.execute("UPDATE positions SET stance_probability = CASE party WHEN 'company' THEN 0.99 "
                     "WHEN 'union' THEN 0.5 END WHERE party IS NOT NULL")
        conn.execute("UPDATE meta SET value = value + 1 WHERE key = 'revision'")
    at = app("statements")
    rows = at.data_editor[0].value
    assert set(rows[rows["stance_sure"]]["party"]) == {"company"}
    at.toggle(key="to_review").set_value(True).run()
    review = at.data_editor[0].value
    assert set(review["party"]) == {"union", "mediator"} and not review["stance_sure"].any()
    first = review.iloc[0]
    at.session_state[at.data_editor[0].key] = {"edited_rows": {0: {"stance_sure": True}}, "added_rows": [],
                                               "deleted_rows": []}
    at.run()
    at.button(key="save_corrections").click().run()  # ticked as checked: kept as the same stance, corrected
    stored = Store(db).init().corrections()
    assert list(zip(stored["field"], stored["value"])) == [("stance", first["stance"])]
    assert first["id"] not in set(at.data_editor[0].value["id"])  # no longer to review
    at.toggle(key="to_review").set_value(False).run()
    at.switch_page(PAGES.format("overview")).run()

    def marked_cells() -> int:
        return sum("?" in cell for row in json.loads(charts(at)[0].proto.spec)["data"][0]["text"] for cell in row)

    assert marked_cells() > 0  # the union's latest stances are read unsure: "?"
    at.toggle(key="sure").set_value(True).run()  # the company's sure stances plus the one checked
    assert {m.label: m.value for m in at.metric}["Positions"] == "6"
    assert marked_cells() == 0
    shared = app("overview", sure="true")  # the choice travels in a link
    assert shared.toggle(key="sure").value and {m.label: m.value for m in shared.metric}["Positions"] == "6"


def test_search_more_like_this_and_who_said_first(db):
    at = app("search")
    at.slider(key="min_score").set_value(0.1)  # the fake embedder's scores are low
    at.text_input(key="q").input("percent raise").run()
    assert not at.exception
    hits = at.dataframe[0].value
    assert len(hits) and hits["score"].is_monotonic_decreasing
    assert any("First said by" in m.value for m in at.markdown)
    at.selectbox(key="pick").select_index(0).run()
    assert not at.exception
    assert [s.value for s in at.subheader][-2:] == ["More like this", "Who else said this, and who said it first"]
    first = at.dataframe[-1].value
    assert first["first"].iloc[0] and first["first_when"].is_monotonic_increasing


def test_more_like_this_from_a_link(db):
    sentence_id = int(Store(db).init().statements(NEGOTIATION, party="company").iloc[0]["sentence_id"])
    at = app("search", like=str(sentence_id))
    assert at.selectbox(key="pick").value == sentence_id
    assert "More like this" in [s.value for s in at.subheader]


def test_compare_two_parties(db):
    at = app("compare", cmp=["Auto Union", HOSTILE_PARTY_NAME])
    table = at.dataframe[0].value
    assert list(table.columns[:3]) == ["topic_name", "Auto Union: position", f"{HOSTILE_PARTY_NAME}: position"]
    at.multiselect(key="cmp").set_value(["union"]).run()
    assert any("at least two parties" in i.value for i in at.info)


def test_add_pasted_article_appears_in_the_views(db):
    pytest.importorskip("positions.pipeline")
    at = app("add_articles")
    at.text_input(key="paste_title").input("Company improves pension offer")
    at.text_input(key="paste_source").input("Test Wire")
    at.text_area(key="paste_text").input(
        "The company offered to restore pensions for all workers on Friday.\n\n"
        "The union said it would consider the offer.")
    at.button[1].click().run()  # the paste form's submit button
    assert not at.exception, [e.value for e in at.exception]
    assert {m.label: m.value for m in at.metric}["Articles added"] == "1"
    at.switch_page(PAGES.format("overview")).run()
    assert {m.label: m.value for m in at.metric}["Documents"] == "7"


def test_add_bad_upload_reports_the_failure(db):
    pytest.importorskip("positions.pipeline")
    at = app("add_articles")
    at.text_area(key="paste_text").input("   ")
    at.button[1].click().run()
    assert not at.exception
    assert at.error and "empty" in at.error[0].value
    assert Store(db).init().counts()["documents"] == 6  # nothing written


def test_empty_store_builds_the_samples_once(tmp_path, monkeypatch):
    pytest.importorskip("positions.pipeline")
    from positions.ui import resources

    repo = Path(__file__).resolve().parents[1]
    source = repo / "data" / "negotiations" / "uaw-2023"
    target = tmp_path / "data" / "negotiations" / "uaw-2023"
    (target / "corpus").mkdir(parents=True)
    for name in ("parties.yaml", "topics.yaml", "events.yaml"):
        if (source / name).exists():
            shutil.copy(source / name, target / name)
    for article in sorted((source / "corpus").iterdir())[:2]:
        shutil.copy(article, target / "corpus" / article.name)
    monkeypatch.setattr(resources, "DATA_DIR", tmp_path / "data")
    monkeypatch.setenv("POSITIONS_DB", str(tmp_path / "fresh.db"))
    monkeypatch.setenv("POSITIONS_FAKE_EMBEDDER", "1")
    at = app()
    assert Store(tmp_path / "fresh.db").init().counts()["documents"] == 2
    assert at.selectbox(key="neg").value == "uaw-2023"
    assert len(charts(at)) >= 1
    at.run()  # the next run does not build again
    assert Store(tmp_path / "fresh.db").init().counts()["documents"] == 2


def test_no_data_and_no_samples_gives_a_hint(tmp_path, monkeypatch):
    from positions.ui import resources

    monkeypatch.setattr(resources, "DATA_DIR", tmp_path / "nothing")
    monkeypatch.setenv("POSITIONS_DB", str(tmp_path / "empty.db"))
    at = app("overview")
    assert any("No articles yet" in i.value for i in at.info)


def test_streamlit_is_imported_only_by_the_ui():
    import ast

    root = Path(__file__).resolve().parents[1] / "positions"
    for path in root.rglob("*.py"):
        if "ui" in path.relative_to(root).parts:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        names = {a.name.split(".")[0] for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
        names |= {(n.module or "").split(".")[0] for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)}
        assert "streamlit" not in names, path


def test_no_unsafe_html_in_the_ui():
    root = Path(__file__).resolve().parents[1]
    for path in [root / "app.py", *(root / "positions" / "ui").rglob("*.py")]:
        text = path.read_text(encoding="utf-8")
        assert "unsafe_allow_html" not in text and "st.html" not in text, path


def test_speakers_the_config_does_not_name(db):
    at = app("overview")
    assert len(at.code) == 0  # nothing read until asked
    at.button(key="find_speakers").click().run()
    speakers = at.dataframe[-1].value.set_index("name")  # the panel's table is the page's last
    assert speakers.loc["Shawn Fain", "party"] == "union"
    assert speakers.loc["Shawn Fain", ["statements", "without_party"]].tolist() == [2, 2]
    assert "union: [Shawn Fain]" in at.code[0].value
