"""The stance model: its input, how the pipeline uses it (with a fake), training and saving, and the shipped weights."""
import json

import pandas as pd
import pytest

from positions.cli import main
from positions.config import Settings, StanceSettings, TrainingSettings, load_negotiation, with_overrides
from positions.errors import ConfigError
from positions.models import STANCES
from positions.pipeline import ingest, load_analyser
from positions.stance_model import (DEFAULT_WEIGHTS, LearnedStanceClassifier, StanceCall, StanceQuery,
                                    make_stance_classifier, pair_text, read_metadata, voted_call)
from positions.stance_training import examples_from_labels, examples_from_stance_rows, save_network, train_network

ARTICLE = ("---\ntitle: Harbour talks\ndate: 2024-05-08\nsource: Harbour Wire\n---\n"
           "The Dockworkers Union demanded a 20 percent raise over three years on Monday, Maria Lopez said.\n\n"
           "The Dockworkers Union has insisted that any agreement include a pay raise of 20 percent, a demand the Port "
           "Authority has so far refused.\n\nShips queued outside the harbour for a second day.\n")


class TopicStance:
    """A fake classifier: every position on wages is 'oppose', any other 'support'; it records its calls."""

    def __init__(self):
        self.calls = []

    def classify(self, queries):
        self.calls.append(list(queries))
        return [StanceCall("oppose" if q.topic == "Wages" else "support", 0.9) for q in queries]


def test_pair_text_names_holder_role_and_term():
    query = StanceQuery("State Mediator", "third_party", "Wages", "The mediator urged both sides to settle.")
    assert pair_text(query) == ("State Mediator (third party) on Wages", "The mediator urged both sides to settle.")


def test_rules_are_used_with_the_fake_embedder_or_when_asked(monkeypatch):
    assert make_stance_classifier(StanceSettings(method="rules")) is None
    assert make_stance_classifier(StanceSettings(), fake=True) is None
    monkeypatch.setenv("POSITIONS_FAKE_EMBEDDER", "1")
    assert make_stance_classifier(StanceSettings()) is None


def test_bad_method_and_missing_weights_are_config_errors(tmp_path):
    with pytest.raises(ConfigError, match="valid: model, rules"):
        make_stance_classifier(StanceSettings(method="vibes"))
    with pytest.raises(ConfigError, match="train-stance"):
        make_stance_classifier(StanceSettings(weights=str(tmp_path / "none.safetensors")))


def test_the_pipeline_asks_the_classifier_once_per_batch_for_the_holders_positions(
        tmp_path, store, tiny_negotiation, fake_embedder, nlp):
    analyser = load_analyser(load_negotiation(tiny_negotiation), Settings(), fake_embedder)
    fake = analyser.stance_classifier = TopicStance()
    (tmp_path / "a.md").write_text(ARTICLE, encoding="utf-8")
    ingest([str(tmp_path / "a.md")], store, analyser)
    rows = store.statements("harbour-talks")
    assert len(fake.calls) == 1
    asked = fake.calls[0]
    assert {q.party for q in asked} == {"Dockworkers Union"} and {q.topic for q in asked} == {"Wages"}
    assert asked[0].sentence.startswith("The Dockworkers Union demanded") and asked[0].role == "principal"
    held = rows[(rows["party"] == "union") & (rows["topic"] == "wages")]
    assert len(held) == 2 and set(held["stance"]) == {"oppose"}
    # the second party's row from the relative clause keeps the rules' reading; no-position rows stay empty
    side = rows[rows["attribution"] == "relative_clause"]
    assert list(side["party"]) == ["port"] and list(side["stance"]) == ["reject"]
    assert rows[rows["sentence"].str.startswith("Ships")]["stance"].isna().all()


def _call(**probabilities) -> StanceCall:
    p = tuple(probabilities.get(s, 0.0) for s in STANCES)
    best = max(probabilities, key=probabilities.get)
    return StanceCall(best, probabilities[best], p)


def test_the_rules_vote_decides_only_when_the_model_hesitates():
    hesitant = _call(support=0.45, demand=0.30, oppose=0.25)
    assert voted_call(hesitant, "demand", 0.5).stance == "demand"  # 0.80 against 0.45
    assert voted_call(hesitant, "reject", 0.1).stance == "support"  # a small vote lifts reject to 0.10 only
    assert voted_call(_call(support=0.95, demand=0.05), "demand", 0.5).stance == "support"  # confident: its own pick
    assert voted_call(hesitant, "demand", 0.0).stance == "support"  # weight 0: the model alone
    assert voted_call(hesitant, None, 0.5).stance == "support"  # the rules read nothing
    assert voted_call(StanceCall("support", 0.45), "demand", 0.5).stance == "support"  # no probabilities to add to


def test_the_vote_gives_how_sure_the_pick_is():
    hesitant = _call(support=0.45, demand=0.30, oppose=0.25)
    voted = voted_call(hesitant, "demand", 0.5)
    assert voted.stance == "demand" and voted.probability == pytest.approx(0.80 / 1.5)
    assert sum(voted.probabilities) == pytest.approx(1.0)
    assert voted_call(hesitant, None, 0.5).probability == pytest.approx(0.45)  # no vote: the model's own share
    assert voted_call(StanceCall("support", 0.45), "demand", 0.5) == StanceCall("support", 0.45)


def test_the_pipeline_stores_how_sure_each_stance_is(tmp_path, store, tiny_negotiation, fake_embedder, nlp):
    analyser = load_analyser(load_negotiation(tiny_negotiation), Settings(), fake_embedder)
    analyser.stance_classifier = HesitantStance()
    (tmp_path / "a.md").write_text(
        "---\ntitle: Harbour talks\ndate: 2024-05-08\n---\n"
        "The Dockworkers Union said there was still no agreement on the pay raise and that more work was to be done, "
        "Maria Lopez said.\n\n" + ARTICLE.split("---\n", 2)[2], encoding="utf-8")
    ingest([str(tmp_path / "a.md")], store, analyser)
    rows = store.statements("harbour-talks")

    def probability(start, party):
        row = rows[rows["sentence"].str.startswith(start) & (rows["party"].fillna("-") == party)]
        assert len(row) == 1
        return row["stance_probability"].iloc[0]

    assert probability("The Dockworkers Union demanded", "union") == pytest.approx(0.80 / 1.5, abs=1e-4)
    assert probability("The Dockworkers Union said there", "union") == 1.0  # the rules settle how the talks stand
    assert pd.isna(probability("The Dockworkers Union has insisted", "port"))  # a relative clause: rules only
    assert pd.isna(probability("Ships queued", "-"))  # no position, no stance


class HesitantStance:
    """A fake classifier torn between support (0.45) and the rules' demand (0.30) on every position."""

    def classify(self, queries):
        return [_call(support=0.45, demand=0.30, oppose=0.25) for _ in queries]


@pytest.mark.parametrize("rules_weight, expected", [(0.5, "demand"), (0.0, "support")])
def test_the_pipeline_adds_the_rules_vote_to_the_model(tmp_path, store, tiny_negotiation, fake_embedder,
                                                       rules_weight, expected):
    settings = with_overrides(Settings(), {"stance.rules_weight": rules_weight})
    analyser = load_analyser(load_negotiation(tiny_negotiation), settings, fake_embedder)
    analyser.stance_classifier = HesitantStance()
    (tmp_path / "a.md").write_text(ARTICLE, encoding="utf-8")
    ingest([str(tmp_path / "a.md")], store, analyser)
    rows = store.statements("harbour-talks")
    demanded = rows[rows["sentence"].str.startswith("The Dockworkers Union demanded")]
    assert list(demanded["stance"]) == [expected]  # the rules read "demanded" as a demand


class ConfidentAccept:
    """A fake classifier sure that every position is an acceptance (as the model reads talk of a deal)."""

    def classify(self, queries):
        return [_call(accept=0.97, report=0.03) for _ in queries]


@pytest.mark.parametrize("rules_weight, status", [(0.5, "report"), (0.0, "accept")])  # 0: the model alone
def test_the_model_does_not_overrule_how_the_talks_stand(tmp_path, store, tiny_negotiation, fake_embedder,
                                                         rules_weight, status):
    settings = with_overrides(Settings(), {"stance.rules_weight": rules_weight})
    analyser = load_analyser(load_negotiation(tiny_negotiation), settings, fake_embedder)
    analyser.stance_classifier = ConfidentAccept()
    (tmp_path / "a.md").write_text(
        "---\ntitle: Harbour talks\ndate: 2024-05-08\n---\n"
        "The Dockworkers Union said there was still no agreement on the pay raise and that more work was to be done, "
        "Maria Lopez said.\n\nThe Dockworkers Union demanded a 20 percent raise over three years, Maria Lopez said.\n",
        encoding="utf-8")
    ingest([str(tmp_path / "a.md")], store, analyser)
    rows = store.statements("harbour-talks")
    stance = {text.split()[3]: s for text, s in zip(rows["sentence"], rows["stance"]) if isinstance(s, str)}
    assert stance == {"said": status, "demanded": "accept"}


def test_examples_from_both_kinds_of_labels(tiny_negotiation):
    rows = [{"sentence": "The crew rejected the offer.", "holder": "Crew", "holder_aliases": ["crew"],
             "holder_role": "principal", "topic": "pay", "stance": "reject"},
            {"sentence": "Mayor backs the deal.", "holder_aliases": ["mayor"], "holder_role": "third_party",
             "stance": "support"}]
    assert examples_from_stance_rows(rows) == [
        (StanceQuery("Crew", "principal", "pay", "The crew rejected the offer."), "reject"),
        (StanceQuery("mayor", "third_party", "the agreement", "Mayor backs the deal."), "support")]
    labels = [{"sentence": "Lopez demanded more pay.", "holder": "union", "topic": "wages", "stance": "demand"},
              {"sentence": "Ships queued.", "holder": None, "topic": None, "stance": None},
              {"sentence": "Someone said so.", "holder": "nobody", "topic": "wages", "stance": "report"}]
    assert examples_from_labels(labels, load_negotiation(tiny_negotiation)) == [
        (StanceQuery("Dockworkers Union", "principal", "Wages", "Lopez demanded more pay."), "demand")]


TRAIN = [(StanceQuery("Union", "principal", "Wages", f"The union {verb} the {noun} on Monday."), stance)
         for verb, stance in (("rejected", "reject"), ("accepted", "accept"), ("demanded", "demand"))
         for noun in ("pay offer", "wage deal", "contract")]


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    """A quick training run (only the top layer and the head learn) saved to disk."""
    from positions.embeddings import resolve_model_path

    settings = TrainingSettings(epochs=10, frozen_layers=5, learning_rate=1e-3, batch_size=3)
    network = train_network(TRAIN, resolve_model_path("all-MiniLM-L6-v2"), settings, progress=lambda line: None)
    path = save_network(network, tmp_path_factory.mktemp("stance") / "tiny.safetensors", {"note": "test"})
    return network, path


def test_training_learns_and_saves_only_what_changed(trained):
    from safetensors.torch import load_file

    network, path = trained
    saved = load_file(str(path))
    assert saved and all(name.startswith(("encoder.encoder.layer.5.", "head.")) for name in saved)
    assert {t.dtype for t in saved.values()} == {__import__("torch").float16}
    metadata = read_metadata(path)
    assert metadata["stances"] == list(STANCES) and metadata["note"] == "test" and metadata["tensors"] == len(saved)
    calls = LearnedStanceClassifier(path).classify([query for query, _ in TRAIN])
    assert sum(call.stance == stance for call, (_, stance) in zip(calls, TRAIN)) == len(TRAIN)  # it fits what it saw
    assert all(0 < call.probability <= 1 for call in calls)


def test_saved_weights_read_back_as_trained(trained):
    import torch

    network, path = trained
    queries = [query for query, _ in TRAIN[:4]]
    with torch.inference_mode():
        in_memory = torch.softmax(network.logits(network.tokens(queries)), -1).argmax(-1).tolist()
    assert [STANCES.index(c.stance) for c in LearnedStanceClassifier(path).classify(queries)] == in_memory


def test_batches_run_in_parallel_give_the_same_calls_in_input_order(trained):
    _, path = trained
    queries = [query for query, _ in TRAIN]
    one_batch = LearnedStanceClassifier(path, batch_size=32, workers=1).classify(queries)
    parallel = LearnedStanceClassifier(path, batch_size=2, workers=2).classify(queries)
    assert [c.stance for c in parallel] == [c.stance for c in one_batch]
    assert [c.probability for c in parallel] == pytest.approx([c.probability for c in one_batch], abs=1e-3)


def test_a_damaged_weights_file_is_a_config_error(tmp_path):
    damaged = tmp_path / "damaged.safetensors"
    damaged.write_bytes(b"not a safetensors file")
    with pytest.raises(ConfigError, match="not a stance model weights file"):
        LearnedStanceClassifier(damaged).classify([TRAIN[0][0]])


def test_train_stance_refuses_an_unwritable_output_before_training(tmp_path, capsys):
    rows = tmp_path / "rows.jsonl"
    rows.write_text(json.dumps({"sentence": "The union rejected the offer.", "holder_aliases": ["union"],
                                "holder_role": "principal", "stance": "reject"}) + "\n", encoding="utf-8")
    blocker = tmp_path / "a-file"
    blocker.write_text("", encoding="utf-8")
    assert main(["train-stance", str(rows), "--out", str(blocker / "w.safetensors")]) == 2
    error = capsys.readouterr().err
    assert "cannot write there" in error and "epoch" not in error


def test_weights_for_other_stances_are_refused(tmp_path, trained):
    _, path = trained
    other = tmp_path / "other.safetensors"
    other.write_bytes(path.read_bytes())
    other.with_suffix(".json").write_text(json.dumps({"stances": ["yes", "no"]}), encoding="utf-8")
    with pytest.raises(ConfigError, match="trained for stances"):
        LearnedStanceClassifier(other).classify([TRAIN[0][0]])


@pytest.mark.parametrize("party, role, topic, sentence, expected", [
    ("Harbour Union", "principal", "Wages",
     "The harbour union on Thursday turned down the employers' latest pay offer, calling it an insult to its members.",
     "reject"),
    ("Harbour Union", "principal", "Wages",
     "Union leaders insisted that any new contract must include a 25 percent raise over four years.", "demand"),
    ("Port Employers", "principal", "Wages",
     "The employers' association put forward a new offer of a 12 percent raise spread over three years.", "propose"),
    ("Port Employers", "principal", "Wages",
     "The employers said on Friday they had agreed to the mediator's pay proposal and would sign the contract.",
     "accept"),
])
def test_the_shipped_model_reads_plain_statements(party, role, topic, sentence, expected):
    classifier = make_stance_classifier(StanceSettings())
    assert isinstance(classifier, LearnedStanceClassifier) and classifier.weights == DEFAULT_WEIGHTS
    assert classifier.classify([StanceQuery(party, role, topic, sentence)])[0].stance == expected


def test_cli_trains_and_measures_with_the_new_weights(tmp_path, capsys):
    rows = [{"sentence": query.sentence, "holder": query.party, "holder_aliases": ["union"],
             "holder_role": "principal", "topic": query.topic, "stance": stance} for query, stance in TRAIN]
    labels = tmp_path / "rows.jsonl"
    labels.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    out = tmp_path / "mine.safetensors"
    assert main(["train-stance", str(labels), "--out", str(out), "--epochs", "1", "--frozen-layers", "5"]) == 0
    assert out.is_file() and read_metadata(out)["examples"] == len(TRAIN)
    assert main(["eval-stance", str(labels), "--format", "json", "--set", f"stance.weights={out}"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["method"] == "model" and report["sentences"] == len(TRAIN)
    assert report["stance_accuracy_rules"] is not None  # the rules' figure from the same pass
    assert report["stance_accuracy_model_alone"] is not None  # and the model's without the rules' vote
    with pytest.raises(SystemExit):
        main(["train-stance", str(labels)])  # --out is required


def test_a_call_to_end_a_strike_opposes_it_whatever_the_model_reads(tmp_path, store, tiny_negotiation, fake_embedder,
                                                                     nlp):
    topics = tiny_negotiation / "topics.yaml"
    topics.write_text(topics.read_text(encoding="utf-8") + "  - id: strike\n    name: Strike\n"
                      "    description: The walkout.\n    keywords: [strike, walkout]\n", encoding="utf-8")
    analyser = load_analyser(load_negotiation(tiny_negotiation), Settings(), fake_embedder)
    analyser.stance_classifier = TopicStance()  # reads 'support' on the strike
    (tmp_path / "a.md").write_text(
        "---\ntitle: Harbour talks\ndate: 2024-05-08\n---\nThe Port Authority urged an end to the strike and "
        "offered a pay raise of 5 percent.\n\nThe Dockworkers Union said it would not end the strike.\n",
        encoding="utf-8")
    ingest([str(tmp_path / "a.md")], store, analyser)
    rows = store.statements("harbour-talks").set_index(["party", "topic"])
    assert rows.loc[("port", "strike"), "stance"] == "oppose"
    assert rows.loc[("port", "wages"), "stance"] == "oppose"  # the model's reading of the other term stands
    assert rows.loc[("union", "strike"), "stance"] == "support"  # no end meant: the model reads it
