import pytest

from positions.config import Settings, iter_settings, load_negotiation, with_overrides
from positions.errors import ConfigError


def test_loads_tiny_negotiation(tiny_negotiation):
    neg = load_negotiation(tiny_negotiation)
    assert neg.name == "harbour-talks"
    assert [p.id for p in neg.parties] == ["union", "port", "mediator"]
    assert neg.party("mediator").role == "mediator"
    assert neg.topic("wages").keywords[0] == "wage"
    assert neg.events == ()


def test_round_trip_through_dict(tiny_negotiation):
    neg = load_negotiation(tiny_negotiation)
    assert type(neg).from_dict(neg.to_dict()) == neg


@pytest.mark.parametrize("parties_yaml, message", [
    ("parties:\n  - id: a\n    name: A\n    aliases: [A]\n  - id: a\n    name: B\n    aliases: [B]\n", "duplicate party id 'a'"),
    ("parties:\n  - id: a\n    name: A\n    aliases: []\n", "'aliases'"),
    ("parties:\n  - id: a\n    name: A\n    aliases: [A]\n    colour: red\n", "unknown key(s) colour"),
    ("parties: [\n", "YAML error"),
    ("parties:\n  - id: a\n    name: A\n    aliases: [A]\n    role: boss\n", "role 'boss' is not one of"),
])
def test_invalid_parties_name_file_and_problem(tiny_negotiation, parties_yaml, message):
    (tiny_negotiation / "parties.yaml").write_text(parties_yaml, encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_negotiation(tiny_negotiation)
    assert "parties.yaml" in str(info.value)
    assert message in str(info.value)


def test_missing_topics_file(tiny_negotiation):
    (tiny_negotiation / "topics.yaml").unlink()
    with pytest.raises(ConfigError, match="topics.yaml: file missing"):
        load_negotiation(tiny_negotiation)


def test_missing_folder(tmp_path):
    with pytest.raises(ConfigError, match="not found"):
        load_negotiation(tmp_path / "nope")


def test_overrides_validate_names():
    settings = with_overrides(Settings(), {"topics.similarity_threshold": 0.5})
    assert settings.topics.similarity_threshold == 0.5
    with pytest.raises(ConfigError, match="valid settings"):
        with_overrides(Settings(), {"topics.nope": 1})


def test_every_setting_has_help_and_is_documented_in_readme():
    from conftest import REPO

    readme = (REPO / "README.md").read_text(encoding="utf-8")
    for name, _, help_text in iter_settings():
        assert help_text, name
        assert f"`{name}`" in readme, f"setting {name} is not documented in README.md"


def test_sample_configs_load():
    from conftest import REPO

    folders = sorted((REPO / "data" / "negotiations").iterdir())
    assert len(folders) >= 2
    for folder in folders:
        neg = load_negotiation(folder)
        assert len(neg.parties) >= 2 and len(neg.topics) >= 3
