"""`positions eval-stance`: the rules measured on single labelled sentences, with exact figures."""
import json

import pytest

from positions.cli import main
from positions.errors import InputError
from positions.stance_eval import format_stance_report, load_stance_rows, score_stance

ROWS = [
    {"negotiation": "harbour", "sentence": "The dockers' union rejected the port authority's pay offer on Monday.",
     "holder": "Dockers", "holder_aliases": ["dockers' union", "Dockers"], "holder_role": "principal",
     "other_parties": [["port authority"]], "stance": "reject"},
    {"negotiation": "harbour", "sentence": "The port authority said it would never agree to a pay rise of that size.",
     "holder": "Port", "holder_aliases": ["port authority"], "holder_role": "principal", "stance": "reject"},
    {"negotiation": "canal", "sentence": "The mayor welcomed the canal agreement.", "holder": "City",
     "holder_aliases": ["mayor"], "holder_role": "third_party", "stance": "oppose"},  # labelled wrong on purpose
]


@pytest.fixture
def labels(tmp_path):
    path = tmp_path / "rows.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in ROWS) + "\n", encoding="utf-8")
    return path


def test_scores_each_sentence_and_lists_the_misses(nlp, labels):
    report = score_stance(load_stance_rows([labels.parent]), nlp)
    assert (report["sentences"], report["stance_accuracy"], report["stance_accuracy_rules"]) == (3, 0.667, 0.667)
    assert report["per_negotiation"] == {"canal": 0.0, "harbour": 1.0}
    assert report["stance_confusion"]["oppose"] == {"support": 1}
    assert [m["sentence"] for m in report["misses"]] == [ROWS[2]["sentence"]]
    assert "stance accuracy 0.667" in format_stance_report(report)


def test_bad_rows_are_refused_with_the_valid_options(tmp_path):
    path = tmp_path / "bad.jsonl"
    path.write_text(json.dumps({**ROWS[0], "stance": "maybe"}) + "\n", encoding="utf-8")
    with pytest.raises(InputError, match="valid: demand, propose"):
        load_stance_rows([path])


def test_cli_prints_json(labels, capsys):
    assert main(["eval-stance", str(labels), "--format", "json", "--method", "rules"]) == 0
    assert json.loads(capsys.readouterr().out)["sentences"] == 3


class SureOfTheFirst:
    """A fake stance model: sure (0.99) it reads reject in the first sentence, torn (0.5) on every other."""

    def classify(self, queries):
        from positions.models import STANCES
        from positions.stance_model import StanceCall

        def call(stance, p):
            return StanceCall(stance, p, tuple(p if s == stance else (1 - p) / (len(STANCES) - 1) for s in STANCES))

        return [call("reject", 0.99) if n == 0 else call("support", 0.5) for n, _ in enumerate(queries)]


def test_accuracy_where_the_reading_is_sure(nlp, labels):
    rows = load_stance_rows([labels.parent])
    report = score_stance(rows, nlp, SureOfTheFirst(), rules_weight=0.0, sure_probability=0.95)
    assert (report["stance_accuracy_sure"], report["stance_sure_coverage"]) == (1.0, 0.333)
    assert "where sure: 1.000 on 0.333" in format_stance_report(report)
    assert score_stance(rows, nlp)["stance_sure_coverage"] is None  # the rules alone rate nothing
