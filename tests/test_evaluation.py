"""`positions eval`: figures computed correctly on a small labelled set."""
import json

import pandas as pd
import pytest

from positions.evaluation import evaluate_files, format_report, score


def _pred(rows):
    base = {"numbers": [], "date": "2024-05-06", "sentence_id": 0}
    frame = pd.DataFrame([{**base, **r} for r in rows])
    frame["sentence_id"] = range(len(frame))
    return frame


def test_score_counts_each_field():
    labels = [
        {"file": "a.md", "sentence": "A demanded pay.", "holder": "a", "topic": "pay", "stance": "demand",
         "numbers": [{"value": 20, "unit": "percent"}], "date": "2024-05-06"},
        {"file": "a.md", "sentence": "B refused.", "holder": "b", "topic": "pay", "stance": "reject",
         "numbers": [], "date": "2024-05-06"},
        {"file": "a.md", "sentence": "Ships queued.", "holder": None, "topic": None, "stance": None,
         "numbers": [], "date": "2024-05-07"},
    ]
    predicted = _pred([
        {"file": "a.md", "sentence": "A demanded pay.", "party": "a", "topic": "pay", "stance": "demand",
         "numbers": [{"value": 20, "unit": "percent"}, {"value": 3, "unit": "years"}]},
        {"file": "a.md", "sentence": "B refused.", "party": "a", "topic": "jobs", "stance": "accept"},
        {"file": "a.md", "sentence": "Ships queued.", "party": None, "topic": None, "stance": None},
    ])
    report = score(labels, predicted)
    assert report["holder_accuracy"] == 0.5
    assert report["stance_accuracy"] == 0.5
    assert report["stance_confusion"]["reject"] == {"accept": 1}
    assert (report["stance_accuracy_found"], report["stance_found_support"]) == (1.0, 1)  # B's row had A, jobs
    assert report["topic"]["per_topic"]["pay"] == {"precision": 1.0, "recall": 0.5, "f1": 0.667, "support": 2}
    assert report["topic"]["per_topic"]["jobs"]["precision"] == 0.0
    assert report["numbers"] == {"precision": 0.5, "recall": 1.0, "gold": 1}
    assert report["date_accuracy"] == pytest.approx(2 / 3, abs=1e-3)
    assert report["no_position_accuracy"] == 1.0
    assert report["misses"][0]["sentence"] == "B refused."
    assert "holder accuracy" in format_report(report)


def test_score_gives_stance_accuracy_where_the_row_is_sure():
    labels = [{"file": "a.md", "sentence": f"S{i}.", "holder": "a", "topic": "pay", "stance": "demand", "numbers": [],
               "date": "2024-05-06"} for i in range(4)]
    predicted = _pred([
        {"file": "a.md", "sentence": "S0.", "party": "a", "topic": "pay", "stance": "demand", "stance_probability": 0.99},
        {"file": "a.md", "sentence": "S1.", "party": "a", "topic": "pay", "stance": "reject", "stance_probability": 0.97},
        {"file": "a.md", "sentence": "S2.", "party": "a", "topic": "pay", "stance": "demand", "stance_probability": 0.5},
        {"file": "a.md", "sentence": "S3.", "party": "a", "topic": "pay", "stance": "oppose", "stance_probability": 0.4},
    ])
    predicted["corrected"] = False
    sure = score(labels, predicted, sure_probability=0.95)["stance_sure"]
    assert sure == {"sure_probability": 0.95, "accuracy": 0.5, "support": 2, "coverage": 0.5, "unsure_accuracy": 0.5}
    assert score(labels, predicted, sure_probability=0.98)["stance_sure"]["accuracy"] == 1.0
    assert score(labels, predicted, sure_probability=0.98)["stance_sure"]["unsure_accuracy"] == pytest.approx(1 / 3,
                                                                                                              abs=1e-3)
    predicted.loc[2, "corrected"] = True  # an analyst checked it
    assert score(labels, predicted, sure_probability=0.98)["stance_sure"]["support"] == 2
    assert "stance where sure" in format_report(score(labels, predicted))
    problems = {m["sentence"]: m["problems"] for m in score(labels, predicted, sure_probability=0.95)["misses"]}
    assert problems["S1."] == ["stance demand != reject (shown as sure)"] and problems["S3."] == [
        "stance demand != oppose"]


def test_eval_runs_the_pipeline_on_labelled_articles(tmp_path, tiny_negotiation, fake_embedder, nlp):
    articles = tmp_path / "articles"
    articles.mkdir()
    (articles / "a.md").write_text("---\ntitle: Pay talks\ndate: 2024-05-08\nsource: wire\n---\n"
                                   "The Dockworkers Union demanded a 20 percent raise, Maria Lopez said.\n\n"
                                   "Ships queued outside the harbour.\n", encoding="utf-8")
    labels = tmp_path / "labels.jsonl"
    labels.write_text("\n".join(json.dumps(r) for r in [
        {"file": "a.md", "sentence": "The Dockworkers Union demanded a 20 percent raise, Maria Lopez said.",
         "holder": "union", "topic": "wages", "stance": "demand", "numbers": [{"value": 20, "unit": "percent"}],
         "date": "2024-05-08"},
        {"file": "a.md", "sentence": "Ships queued outside the harbour.", "holder": None, "topic": None,
         "stance": None, "numbers": [], "date": "2024-05-08"},
    ]), encoding="utf-8")
    report = evaluate_files([str(labels)], str(tiny_negotiation), embedder=fake_embedder)
    assert report["unmatched"] == 0 and report["sentences"] == 2
    assert report["holder_accuracy"] == 1.0 and report["stance_accuracy"] == 1.0
    assert report["numbers"]["recall"] == 1.0 and report["no_position_accuracy"] == 1.0


def test_numbers_of_a_sentence_are_the_union_of_its_topic_rows():
    labels = [{"file": "a.md", "sentence": "A offered 4 days and 50 captives.", "holder": "a", "topic": t,
               "stance": "propose", "numbers": [{"value": 4, "unit": "days"}, {"value": 50, "unit": "captives"}],
               "date": "2024-05-06"} for t in ("truce", "captives")]
    predicted = _pred([
        {"file": "a.md", "sentence": "A offered 4 days and 50 captives.", "party": "a", "topic": "truce",
         "stance": "propose", "numbers": [{"value": 4, "unit": "days"}]},
        {"file": "a.md", "sentence": "A offered 4 days and 50 captives.", "party": "a", "topic": "captives",
         "stance": "propose", "numbers": [{"value": 50, "unit": "captives"}]},
    ])
    predicted["sentence_id"] = 0
    assert score(labels, predicted)["numbers"] == {"precision": 1.0, "recall": 1.0, "gold": 2}


def test_a_sentence_with_two_holders_scores_each_against_its_own_row():
    sentence = "X vowed to fight after Y imposed curbs."
    labels = [{"file": "a.md", "sentence": sentence, "holder": holder, "topic": "curbs", "stance": stance,
               "numbers": [], "date": "2024-05-06"} for holder, stance in (("x", "oppose"), ("y", "propose"))]
    predicted = _pred([{"file": "a.md", "sentence": sentence, "party": party, "topic": "curbs", "stance": stance}
                       for party, stance in (("x", "oppose"), ("y", "propose"))])
    predicted["sentence_id"] = 0
    report = score(labels, predicted)
    assert (report["stance_accuracy"], report["stance_accuracy_found"], report["stance_found_support"]) == (1.0, 1.0, 2)
    only_x = score(labels, predicted.iloc[:1])
    assert (only_x["stance_accuracy"], only_x["stance_found_support"]) == (0.5, 1)
    assert only_x["stance_confusion"]["propose"] == {"oppose": 1}
