"""Holder attribution on literal sentences (real spaCy parse, a config of a negotiation the code never saw)."""
import pytest
from reading_support import read_reading

from positions.config import load_negotiation
from positions.holders import AliasIndex, clauses_in_passing, find_holder, mention_tokens
from positions.stance import classify_stance


def party_and_stance(nlp, negotiation, sentence):
    holder, stance = read(nlp, negotiation, sentence)
    return holder.party, stance


def read(nlp, negotiation, sentence, context=None):
    aliases = AliasIndex(negotiation.parties)
    doc = nlp(sentence)
    mentions = aliases.find(sentence)
    finding = find_holder(doc, mentions, aliases, context)
    others = frozenset(i for i, p in mention_tokens(doc, mentions).items() if p != finding.holder.party)
    return finding.holder, classify_stance(doc, finding.anchor, others).stance


@pytest.mark.parametrize("sentence, party, attribution, stance", [
    ("Southland rejected the truce proposal on Monday.", "south", "said_subject", "reject"),
    ("President Vale said his government would not accept a permanent truce.", "north", "said_subject", "reject"),
    ("“We will never agree to a truce on these terms,” Mr. Odum said.", "south", "direct_quote", "reject"),
    ("Foreign Minister Lind reiterated the Broker State's opposition to a truce.", "broker", "said_subject", "oppose"),
    ("The truce plan was rejected by the Southern Front late Tuesday.", "south", "said_subject", "reject"),
    ("A Northern official, who spoke on condition of anonymity, said Northland had made a final truce offer.",
     "north", "anonymous_official", "propose"),
    ("The talks stalled over Southland's demand for a permanent truce.", "south", "possessive", "demand"),
    ("The latest truce draft is acceptable, according to Northern officials.", "north", "according_to", "accept"),
    ("Southland said the truce proposal did not meet its demands.", "south", "said_subject", "reject"),
    ("Vale called Southland's demands delusional.", "north", "said_subject", "reject"),
    ("Northland would be willing to extend the truce by two weeks, Vale said.", "north", "said_subject", "propose"),
])
def test_holder_and_stance(nlp, talks, sentence, party, attribution, stance):
    holder, got_stance = read(nlp, talks, sentence)
    assert (holder.party, holder.attribution, got_stance) == (party, attribution, stance)


def test_mediator_relaying_a_position(nlp, talks):
    holder, stance = read(nlp, talks, "Lind said Southland had accepted the truce proposal.")
    assert (holder.party, holder.relayed_by, stance) == ("south", "broker", "accept")


def test_demand_on_another_party_stays_with_speaker(nlp, talks):
    holder, stance = read(nlp, talks, "Vale said Southland must accept the truce.")
    assert (holder.party, stance) == ("north", "demand")
    holder, _ = read(nlp, talks, "“Southland needs to stop the excuses and sign the truce,” said President Vale.")
    assert holder.party == "north"


def test_pronoun_carried_over_from_paragraph(nlp, talks):
    holder, stance = read(nlp, talks, "The group said it would not accept any truce.", context="south")
    assert (holder.party, holder.attribution, stance) == ("south", "carried_over", "reject")


def test_pronoun_without_context_has_no_holder(nlp, talks):
    holder, _ = read(nlp, talks, "He said the truce would hold.")
    assert holder.party is None


def test_mere_mention_is_not_a_holder(nlp, talks):
    holder, _ = read(nlp, talks, "Fighting continued near the Southland border as the truce talks resumed.")
    assert holder.party is None


def test_alias_index_whole_words_and_longest_first(talks):
    aliases = AliasIndex(talks.parties)
    found = [(m.party, m.text) for m in aliases.find("Southern Front fighters met Valerie and Northland’s envoy.")]
    assert found == [("south", "Southern Front"), ("north", "Northland")]


@pytest.mark.parametrize("sentence, stance", [
    ("Vale said Northland would resume the truce talks only when Southland released the captives.", "demand"),
    ("Odum said Southland would sign the truce provided that the shelling stopped.", "demand"),
    ("Adding more troops will not solve anything, Vale said.", "oppose"),
    ("Southland said it regarded the truce proposal favorably.", "support"),
    ("Lind said an assault on the capital during the truce would be a tragedy.", "oppose"),
    ("Northland said the truce draft was no longer acceptable.", "reject"),
    ("Vale said none of the truce offers came close and that Northland would not settle for less.", "reject"),
    ("Odum said the truce offer fell far short of what Southland needed.", "reject"),
    ("Odum said Southland would not give up its demand for a permanent truce.", "demand"),
    ("Odum said Southland could still extend the truce if Northland withdrew its troops.", "propose"),
    ("Odum said Southland would take all necessary measures to defend its fighters during the truce.", "oppose"),
    ("Odum said on truce day that Southland would deliver its answer to the mediators.", "report"),
    ("Vale said Northland was deeply troubled by the truce violations.", "oppose"),
])
def test_conditions_evaluations_and_negation(nlp, talks, sentence, stance):
    _, reading = read_reading(nlp, talks, sentence)
    assert reading.stance == stance


def test_stance_read_in_the_reported_clause_when_attribution_comes_mid_sentence(nlp, talks):
    _, reading = read_reading(nlp, talks, "A short truce, Vale said, would not bring back a single captive.",
                              context="north")
    assert reading.stance == "reject"


def test_mediator_directives_and_vows_support_the_deal(nlp, talks):
    from positions.stance import stance_for_role

    holder, reading = read_reading(nlp, talks, "Lind said Southland should accept the truce without delay.")
    assert (holder.party, reading.stance, reading.kind) == ("broker", "demand", "directive")
    assert stance_for_role(reading, "mediator") == "support"
    assert stance_for_role(reading, "principal") == "demand"
    holder, reading = read_reading(nlp, talks, "Lind said the Broker State would keep working for a truce.")
    assert stance_for_role(reading, "mediator") == "support"
    holder, reading = read_reading(nlp, talks, "Lind said both sides should go further to reach a truce.")
    assert (reading.stance, stance_for_role(reading, "third_party")) == ("demand", "support")


def test_possessive_pronoun_proposal_belongs_to_the_subject(nlp, talks):
    holder, reading = read_reading(nlp, talks, "Southland put its first truce proposal on the table on Thursday.")
    assert (holder.party, reading.stance) == ("south", "propose")


def test_a_deed_named_by_a_stance_word_is_a_position(nlp, talks):
    holder, reading = read_reading(nlp, talks, "Southland on Monday became the first side to make a formal truce "
                                               "counteroffer.")
    assert (holder.party, holder.attribution, reading.stance) == ("south", "subject", "propose")
    holder, _ = read_reading(nlp, talks, "Southland fighters crossed the river near the truce line on Monday.")
    assert holder.party is None
    # the tagger takes the rare "counterproposal" for an adjective; in an object's place it is still the noun
    holder, reading = read_reading(nlp, talks, "The Southern Front made a counterproposal to the mediators last "
                                               "week.")
    assert (holder.party, holder.attribution, reading.stance) == ("south", "subject", "propose")


@pytest.mark.parametrize("sentence, stance", [
    ("In the first phase, captives would be freed in exchange for a truce, Vale said.", "propose"),
    ("Odum said Southland was ready for any truce deal that ended the war for good.", "demand"),
    ("Odum said Southland was ready to sign the truce.", "accept"),
])
def test_terms_of_an_offer_and_readiness_on_terms(nlp, talks, sentence, stance):
    _, reading = read_reading(nlp, talks, sentence, context="north")
    assert reading.stance == stance


def test_each_term_of_a_sentence_gets_the_stance_said_of_it(nlp, talks):
    from positions.stance import stance_near

    sentence = "Lind called for an end to the war and warned against any troops on the border."
    doc = nlp(sentence)
    aliases = AliasIndex(talks.parties)
    finding = find_holder(doc, aliases.find(sentence), aliases, None)
    whole = classify_stance(doc, finding.anchor)
    war = next(t.i for t in doc if t.text == "war")
    troops = next(t.i for t in doc if t.text == "troops")
    assert stance_near(doc, finding.anchor, war, whole).stance == "demand"
    assert stance_near(doc, finding.anchor, troops, whole).stance == "oppose"


def test_anonymous_non_party_source_relays_what_a_party_signalled(nlp, talks):
    holder, _ = read_reading(nlp, talks, "A person familiar with the talks said Southland had signaled that it "
                                         "might extend the truce.")
    assert (holder.party, holder.attribution) == ("south", "anonymous_official")


def test_a_quotation_of_a_speaker_who_is_no_party_relays_nothing(nlp, talks):
    # the analyst's own words, though they tell what a party says; in reported speech the same source relays
    holder, _ = read_reading(nlp, talks, '"The truce is coming no matter what Southland says about it," an analyst '
                                         'said.')
    assert holder.party is None
    holder, _ = read_reading(nlp, talks, "A person familiar with the talks said Southland had signaled that it "
                                         '"might extend the truce."')
    assert holder.party == "south"


def test_according_to_a_source_who_is_no_party_does_not_take_the_next_party(nlp, talks):
    holder, _ = read(nlp, talks, "The Northern proposal, according to two officials familiar with the talks, "
                                 "would see Southland free ten captives in exchange for a truce.")
    assert (holder.party, holder.attribution) == ("north", "possessive")


def test_analysts_relay_no_position_of_a_thing_a_party_is_attached_to(nlp, talks):
    holder, _ = read(nlp, talks, "Analysts said the timing of President Vale's remarks suggested a truce was "
                                 "not his priority.")
    assert holder.party is None


def test_a_party_official_is_not_relaying_the_remarks_of_another(nlp, talks):
    holder, _ = read(nlp, talks, "Mr. Odum said President Vale's remarks showed that he wanted to prolong the war, "
                                 "and insisted that Southland would not give up its demand for a truce.")
    assert holder.party == "south"


def test_writer_comment_on_a_kind_of_act_is_no_statement(nlp, talks):
    holder, _ = read(nlp, talks, "It was unusual for a Northern president to announce the terms of a truce offer "
                                 "before the talks, and analysts said Vale appeared to be in a hurry.")
    assert holder.party is None


def test_what_a_party_could_have_done_is_the_speakers_view(nlp, talks):
    aliases = AliasIndex(talks.parties)
    sentence = "Southland could simply have agreed to the truce, he said, but instead it waited two weeks."
    doc = nlp(sentence)
    finding = find_holder(doc, aliases.find(sentence), aliases, "south", context_speaker="broker")
    assert (finding.holder.party, finding.holder.attribution) == ("broker", "carried_over")


def test_he_is_the_last_speaker_and_the_group_the_last_holder(nlp, talks):
    aliases = AliasIndex(talks.parties)
    for sentence, party in (("He said the truce would hold only if the shelling stopped.", "broker"),
                            ("The group said it would not accept any truce.", "south")):
        doc = nlp(sentence)
        finding = find_holder(doc, aliases.find(sentence), aliases, "south", context_speaker="broker")
        assert finding.holder.party == party


def test_a_condition_the_speaker_sets_is_not_relayed(nlp, talks):
    holder, _ = read(nlp, talks, "He said Southland was prepared to extend the truce, but only if Northland agreed "
                                 "to pull back its troops.", context="south")
    assert holder.party == "south"


def test_a_request_reported_by_another_party_is_the_requester_position(nlp, talks):
    holder, _ = read(nlp, talks, "Vale said the Southern side had asked to strike out the truce clause.")
    assert (holder.party, holder.relayed_by) == ("south", "north")


def test_a_party_weighing_a_step_holds_it(nlp, talks):
    holder, _ = read(nlp, talks, "A person briefed on the talks said Southland was weighing whether to accept a "
                                 "longer truce.")
    assert holder.party == "south"


@pytest.mark.parametrize("sentence, context", [
    # what the plan named before includes
    ("The proposal, which Vale described as generous, also included a two-week truce.", "north"),
    ("It did not include a permanent truce.", "north"),
    # a body or a document named earlier speaks for the party
    ("The committee said it would not accept the truce.", "south"),
    ("“We will not sign this truce,” the executive said.", "south"),
    ("The letter said the truce offer was not enough.", "south"),
])
def test_carried_over_from_the_party_in_context(nlp, talks, sentence, context):
    holder, _ = read(nlp, talks, sentence, context=context)
    assert (holder.party, holder.attribution) == (context, "carried_over")


def test_aliases_with_an_apostrophe_match_either_apostrophe():
    from positions.config import Party

    aliases = AliasIndex([Party(id="north", name="Northland", aliases=("People's Voice",))])
    found = [m.text for m in aliases.find("People's Voice and People’s Voice both said so.")]
    assert found == ["People's Voice", "People’s Voice"]


def test_a_commentary_speaks_for_the_outlet_that_published_it(nlp, talks):
    holder, _ = read(nlp, talks, "A commentary published on Friday in the Southern Front's paper said Northland "
                                 "should not underestimate its resolve on the truce.")
    assert holder.party == "south"


@pytest.mark.parametrize("sentence", [
    "Northern forces pressed an offensive near the truce line, and residents said hundreds had fled.",
    "Members of the Broker State council voted on the truce resolution in the capital on Monday.",
    "Southland's envoy published a list of captives who could be freed under the truce deal.",
])
def test_deeds_and_procedures_state_no_position(nlp, talks, sentence):
    holder, _ = read(nlp, talks, sentence, context="broker")
    assert holder.party is None


def test_headline_speaker_without_article_is_generic_and_the_named_one_holds(nlp, talks):
    holder, _ = read(nlp, talks, "Northland's first truce offer falls short, group says, as Odum vows to keep "
                                 "fighting")
    assert holder.party == "south"


def read_headline(nlp, negotiation, headline):
    from positions.parse_text import text_for_parser

    aliases = AliasIndex(negotiation.parties)
    mentions = aliases.find(headline)
    doc = nlp(text_for_parser(headline, True, [(m.start, m.end) for m in mentions]))
    return find_holder(doc, mentions, aliases, None).holder


@pytest.mark.parametrize("sentence, party", [
    # two subjects on one verb: the nearest is the speaker's
    ("Talks between Northland and the mediators resumed in Geneva on Tuesday, Southland's spokesman said.", "south"),
    # the people of a party, named through a preposition or a participle
    ("Northland will not bow to ultimatums, a senior official in Vale's office said.", "north"),
    ("Hardliners in the Southern Front demanded that the truce be scrapped.", "south"),
    ("A long truce would be premature, an aide to Mr. Odum said.", "south"),
    ("Militias led by Mr. Odum pressed both sides to agree to a truce by March.", "south"),
])
def test_speakers_named_through_their_party(nlp, talks, sentence, party):
    holder, _ = read(nlp, talks, sentence)
    assert holder.party == party


def test_officials_in_a_place_are_not_its_people(nlp, talks):
    holder, _ = read(nlp, talks, "Southland will accept the truce, officials in Northland said.")
    assert holder.party != "north"


@pytest.mark.parametrize("headline, party", [
    ("Southern Front Rejects Truce Text as Fighting Spreads", "south"),
    ("Odum: Northland Must Accept the Truce", "south"),
])
def test_headline_subjects_and_colon_speakers(nlp, talks, headline, party):
    assert read_headline(nlp, talks, headline).party == party


@pytest.mark.parametrize("sentence, party", [
    ("Southland would not extend the truce beyond March, a person familiar with the talks said.", "south"),
    ("Northland is against any truce that leaves its border open, people familiar with the talks said.", "north"),
    ("Southland ready to extend the truce, official says", "south"),
])
def test_a_source_who_is_no_party_relays_what_a_party_will_do(nlp, talks, sentence, party):
    holder, _ = read(nlp, talks, sentence)
    assert holder.party == party


def test_what_a_party_is_allowed_to_do_is_not_its_commitment(nlp, talks):
    holder, _ = read(nlp, talks, "Southland will be allowed to keep its checkpoints, the text says.")
    assert holder.party != "south"


def test_a_generic_speaker_refers_back_to_the_party_subject_before_it(nlp, talks):
    holder, _ = read(nlp, talks, "Around 4,000 Southern fighters left the front on Tuesday, the group said.")
    assert (holder.party, holder.attribution) == ("south", "carried_over")


def test_a_speaker_in_a_with_phrase(nlp, talks):
    holder, _ = read(nlp, talks, "The talks ended on Friday, with Vale saying the truce had no future.")
    assert holder.party == "north"


def test_a_demand_on_a_party_joined_by_and_stays_with_the_speaker(nlp, talks):
    holder, _ = read(nlp, talks, "Southland must come to the table and accept the truce, Vale said.")
    assert holder.party == "north"


def test_people_close_to_a_party_relay_only_its_positions(nlp, talks):
    holder, _ = read(nlp, talks, "The gesture was meant to show strength, people close to Mr. Odum said.")
    assert holder.party is None
    holder, _ = read(nlp, talks, "Northland would not extend the truce, people close to Mr. Odum said.")
    assert holder.party == "north"


@pytest.mark.parametrize("sentence, party", [
    # an according-to document speaks for whoever issued it
    ("The truce covers the whole border, according to a fact sheet released by Southland.", "south"),
    ("The truce covers the whole border, according to the summary Northland sent to reporters.", "north"),
    # ... but relays what a party commits to in the main clause
    ("Northland will withdraw its troops within a week, according to a fact sheet released by Southland.", "north"),
    # several parties as the source: the one the main clause names
    ("Vale gave ground on the truce, according to Northern and Southern officials.", "north"),
    # the owner of a plan holds its terms
    ("Under the plan Southland sent to Geneva on Wednesday, the border would reopen in March.", "south"),
    ("Under the terms presented by Northland, fighters would withdraw within a week.", "north"),
    ("Under the accord, Southland will withdraw its troops within a week.", "south"),
    ("The Southern bill would cut the truce monitors' budget by half.", "south"),
    ("Mr. Odum reintroduced his own truce bill, which would set a ten-day limit on strikes.", "south"),
    ("Northland passed a bill on Wednesday that would extend the truce until March.", "north"),
    # "its leaders", "the group's spokesman": generic speakers that refer back to the party before them
    ("Southern fighters will keep their positions until March, their leaders said.", "south"),
    ("The Southern Front will keep its name, the group's spokesman said.", "south"),
    # a speaker the clause chain misses, in a relative clause under an object
    ("Northland released a list of changes it said would make the truce acceptable.", "north"),
    # a party passing on another party's stance
    ("Brokerian envoys conveyed Southland's acceptance of the truce, a Northern official said.", "south"),
    # a party's speech relayed by another party
    ("Lind said Southland had signalled that it would extend the truce.", "south"),
    # a document as the speaker, its publisher named by according-to
    ("The offer also stated that the truce would last a month, according to a summary Northland posted.", "north"),
])
def test_documents_plans_generic_hidden_conveyed_and_relayed_speakers(nlp, talks, sentence, party):
    holder, _ = read(nlp, talks, sentence)
    assert holder.party == party


def test_a_speaker_in_a_condition_clause_is_not_the_holder(nlp, talks):
    holder, _ = read(nlp, talks, "The council endorsed the truce, which will end the embargo once Lind confirms "
                                 "that Southland has withdrawn.")
    assert holder.party != "broker"


@pytest.mark.parametrize("headline, party", [
    ("Southland Concedes on Truce Date", "south"),
    ("Vale Won't Budge on Truce as Talks Resume", "north"),
])
def test_a_headline_tells_what_its_subject_does(nlp, talks, headline, party):
    assert read_headline(nlp, talks, headline).party == party


def test_a_sentence_telling_a_deed_has_no_holder(nlp, talks):
    holder, _ = read(nlp, talks, "Southern fighters crossed the river at dawn.")
    assert holder.party is None


def test_with_a_speaker_in_a_with_phrase_the_main_clause_carries_the_stance(nlp, talks):
    holder, stance = read(nlp, talks, "Southland rejected the truce, with Mr. Odum calling it a trap.")
    assert (holder.party, stance) == ("south", "reject")


def _labour_talks():
    from positions.config import Party
    return (Party("guild", "Riveters Guild", ("Riveters", "riveters", "strikers", "members")),
            Party("firm", "Acme Works", ("Acme", "the company", "members")))


def test_alias_in_two_cases_matches_both():
    aliases = AliasIndex(_labour_talks())
    assert [(m.party, m.text) for m in aliases.find("Acme's riveters voted as the Riveters had asked.")] == [
        ("firm", "Acme"), ("guild", "riveters"), ("guild", "Riveters")]


@pytest.mark.parametrize("sentence, party", [
    ("“We are not going back for nine percent,” said a riveter at the Lowell plant.", "guild"),
    ("“We will stay out as long as it takes,” a striker said on the picket line.", "guild"),
    ("“It is a bluff,” said an analyst at a Boston bank.", None),  # no party's plural alias
    ("“Nobody wants this strike,” said a member of the board.", None),  # 'members' names two parties
])
def test_a_member_of_a_party_speaks_for_it(nlp, sentence, party):
    aliases = AliasIndex(_labour_talks())
    holder = find_holder(nlp(sentence), aliases.find(sentence), aliases, None).holder
    assert holder.party == party
    assert aliases.names_member(sentence) == (party is not None)


def test_a_worker_named_by_trade_is_a_member_of_the_workers_party(nlp):
    from positions.config import Party
    sentence = "“They keep trying to scare us,” said an electrician at the Lowell plant."
    with_workers = AliasIndex((Party("guild", "Riveters Guild", ("Riveters", "workers")),
                               Party("firm", "Acme Works", ("Acme", "the company"))))
    without = AliasIndex(_labour_talks())  # nobody's people are "workers": an electrician is no one's
    for aliases, party in ((with_workers, "guild"), (without, None)):
        assert find_holder(nlp(sentence), aliases.find(sentence), aliases, None).holder.party == party
        assert aliases.names_member(sentence) == (party is not None)


def _qualified_talks():
    from positions.config import Party
    return (Party("south", "Southland", ("Southland", "Southern officials", "Southern forces", "Security Council")),
            Party("north", "Northland", ("Northland", "Northern officials", "Northern troops", "Coastal officials",
                                         "Coastal troops")),
            Party("broker", "Broker State", ("Broker", "Coastal envoys", "Coastal mediators")))


@pytest.mark.parametrize("sentence, expected", [
    ("A senior Southern official said the truce would hold.", [("south", "Southern official")]),
    ("The Northern leadership welcomed the report.", [("north", "Northern leadership")]),
    ("southern forces", [("south", "southern forces")]),
    ("Northern officials met the Broker.", [("north", "Northern officials"), ("broker", "Broker")]),
    ("A former Southern official said the truce would fail.", []),  # speaks for no party now
    ("Security forces cleared the square.", []),  # one alias ('Security Council') makes no qualifier
    ("A Coastal spokesman said the port was closed.", []),  # two parties' aliases use 'Coastal'
])
def test_a_qualifier_of_two_speaker_aliases_names_the_party(sentence, expected):
    aliases = AliasIndex(_qualified_talks())
    assert [(m.party, m.text) for m in aliases.find(sentence)] == expected


def test_a_senior_official_named_by_qualifier_holds_the_position(nlp):
    aliases = AliasIndex(_qualified_talks())
    sentence = "A senior Southern official said the government would not accept the truce."
    assert find_holder(nlp(sentence), aliases.find(sentence), aliases, "north").holder.party == "south"


def test_honorific_and_surname_name_the_person_of_a_full_name_alias():
    from positions.config import Party
    aliases = AliasIndex((Party("north", "Northland", ("Northland", "Defense Minister Ana Vale")),
                          Party("south", "Southland", ("Southland", "Tomas Odum")),
                          Party("broker", "Broker State", ("Broker State", "Lena Odum"))))
    assert [(m.party, m.text) for m in aliases.find("Ms. Vale met Dr. Vale's envoy in Northland.")] == [
        ("north", "Ms. Vale"), ("north", "Dr. Vale"), ("north", "Northland")]
    assert aliases.find("Mr. Odum said the truce would hold.") == []  # two parties' people share the surname
    # the surname is an alias's last word: "Broker State" gives no "Mr. Broker"
    assert [m.party for m in aliases.find("Broker State officials met Mr. Broker.")] == ["broker"]


def test_headline_title_case_matches_an_alias_with_lower_case_words():
    from positions.config import Party
    aliases = AliasIndex([Party("south", "Southland", ("Southern forces",))])
    assert [m.text for m in aliases.find("Southern Forces Begin Handing Over Heavy Weapons")] == ["Southern Forces"]
    assert aliases.find("Southern FORCES") == []  # otherwise still case-sensitive


@pytest.mark.parametrize("headline, party", [
    ("Southern Front Ratify Truce With Six-Week Pause, Ending 53-Day War", "south"),
    ("Southern Front Backs Truce With Northland", "south"),
    ("Northland Truce Talks Open in the Capital", None),  # a noun phrase, no verb after the party
])
def test_headline_subject_when_the_parser_misses_the_verb(nlp, talks, headline, party):
    from positions.parse_text import text_for_parser

    aliases = AliasIndex(talks.parties)
    mentions = aliases.find(headline)
    doc = nlp(text_for_parser(headline, True, [(m.start, m.end) for m in mentions]))  # as the pipeline parses it
    assert find_holder(doc, mentions, aliases, None).holder.party == party


def test_a_place_named_by_a_where_clause_is_not_the_speakers_party(nlp, talks):
    holder, _ = read(nlp, talks, "Residents of the border town, where Northern troops remain, said the truce "
                                 "had not brought them home.")
    assert holder.party is None


@pytest.mark.parametrize("sentence", [
    "Southland did not say whether it would pull its troops back from the border.",
    "Northland has not responded to the mediators' latest truce proposal.",
    "The Southern Front made no public comment on the truce on Sunday.",
    "Northland said nothing about the prisoner exchange in its statement.",
    "Mr. Odum did not address the truce talks on Friday, saying only that his movement would keep fighting.",
    "“The truce will not survive the winter,” said a former Northern official who worked on the talks.",
    "President Vale speaking to reporters about the truce proposal in the capital on Monday.",  # photo captions
    "Mr. Odum signing the truce agreement at the border crossing on Saturday.",
])
def test_non_answers_former_officials_and_captions_hold_no_position(nlp, talks, sentence):
    holder, _ = read(nlp, talks, sentence, context="north")
    assert holder.party is None


@pytest.mark.parametrize("sentence, party", [
    ("Northland did not respond to the offer, but Southland said it would accept a six-week truce.", "south"),
    ("Southland has not said whether it accepts the plan, though Lind said Vale had agreed to the truce.", "north"),
    ("Vale said his government would sign the truce, but he did not say when.", "north"),
    ("Southland said Northland had not responded to its demand for a truce.", "south"),
    ("Southland has not said what it will offer, but officials familiar with its thinking said a six-week truce "
     "remained its goal.", "south"),  # unnamed officials of the party named before
    ("Northland did not respond publicly, although its foreign ministry said the truce was unacceptable.", "north"),
])
def test_a_non_answer_leaves_other_clauses_their_speaker(nlp, talks, sentence, party):
    holder, _ = read(nlp, talks, sentence, context="broker")  # the paragraph's party speaks in none of them
    assert holder.party == party


def test_the_two_sides_are_the_two_principals(nlp, talks):
    holder, stance = read(nlp, talks, "The two sides agreed to a six-week truce on Sunday.", context="broker")
    assert (holder.party, holder.attribution, stance) == ("north", "joint_subject", "accept")
    holder, _ = read(nlp, talks, "Lind said both sides had agreed to a six-week truce.")  # a mediator relays it
    assert (holder.party, holder.relayed_by) == ("north", "broker")
    holder, _ = read(nlp, talks, "Analysts said both sides had reasons to hesitate.", context="broker")
    assert holder.party is None
    # their people too, but not the two sides of a border
    holder, _ = read(nlp, talks, "Officials on both sides said progress had been made on the truce.")
    assert (holder.party, holder.attribution) == ("north", "joint_subject")
    holder, _ = read(nlp, talks, "Officials on both sides of the border said the truce would hold.")
    assert holder.party is None


def test_reaching_a_deal_is_a_deed_that_states_acceptance(nlp, talks):
    holder, stance = read(nlp, talks, "Southland reached a tentative truce agreement with the mediators on Sunday.")
    assert (holder.party, holder.attribution, stance) == ("south", "subject", "accept")


def test_declining_to_comment_leaves_the_other_clause_its_speaker(nlp):
    from positions.config import Party
    parties = (Party("eu", "European Union", ("European Commission", "Brussels")),
               Party("uk", "United Kingdom", ("Britain", "London")))
    aliases = AliasIndex(parties)

    def holder(sentence, context=None):
        return find_holder(nlp(sentence), aliases.find(sentence), aliases, context).holder.party

    assert holder("The European Commission declined to comment on the vote, but a spokesman said the framework "
                  "would be adopted on Friday.", context="uk") == "eu"  # 'a spokesman' of the party just named
    assert holder("He declined to say how much Brussels would add to its offer.", context="eu") is None
    assert holder("The commission said it would drop the legal cases.", context="uk") == "eu"  # '... Commission'


@pytest.mark.parametrize("sentence", [
    "Southland was unhappy with the truce terms.",
    "Southern Front fighters still resent the truce.",
    "Southland was deeply disappointed by the truce draft.",
])
def test_a_party_s_displeasure_is_opposition(nlp, talks, sentence):
    assert party_and_stance(nlp, talks, sentence) == ("south", "oppose")


@pytest.mark.parametrize("sentence, party", [
    # "add" with an object and no clause said is no speech: the party that commits to the plan holds it
    ("Under the plan, Southland would free 40 prisoners, and the truce adds two weeks of calm.", "south"),
    ("Under the proposal, Northland would pay each family $3,000 on signing, while the exchange adds twelve "
     "prisoners to the list.", "north"),
])
def test_add_with_an_object_is_no_speaker(nlp, talks, sentence, party):
    assert read(nlp, talks, sentence)[0].party == party


@pytest.mark.parametrize("sentence, context, party", [
    ("Its proposal says that the truce cannot end before the crossings reopen.", "south", "south"),
    ("The draft calls for a truce of six weeks and the release of all prisoners.", "north", "north"),
    ("The declaration, signed by President Vale in the capital, says the truce will hold for six weeks.", None,
     "north"),
    # a passive document is announced, it does not speak; an indefinite report is nobody's
    ("A Southern fighter standing guard at the crossing, hours after the truce proposal was announced.", "north",
     None),
    ("A report said the truce had held for a week.", "north", None),
])
def test_a_document_that_speaks_is_its_publisher_s_or_the_one_it_points_back_to(nlp, talks, sentence, context,
                                                                               party):
    assert read(nlp, talks, sentence, context=context)[0].party == party


@pytest.mark.parametrize("sentence, party", [
    ("Others said they would accept a truce of six weeks.", "south"),  # the group quoted before
    ("But others said the truce had come too late.", "south"),
    # set against someone else in the same sentence: not the group in context
    ("Residents returned to the border villages, while others said they would wait for the truce.", None),
])
def test_others_are_the_group_just_quoted(nlp, talks, sentence, party):
    assert read(nlp, talks, sentence, context="south")[0].party == party


@pytest.mark.parametrize("sentence", [
    # what analysts say a party can or will do is their reading, not the party's position
    "Analysts said Southland, which has been losing ground for months, could hardly afford a long truce.",
    "Analysts said Southland could hardly afford to reject the truce.",
    # "declined ... to discuss" also when the parser hangs "to discuss" on the verb as an adverbial clause
    "A Northern spokesman declined on Friday to discuss Northland's positions on the truce or the prisoners, saying "
    "the government would not negotiate in public.",
    # "report" with an object and no clause said is no speech: financial results
    "Northland reported a loss of 40 million dollars in the third quarter, the latest sign of the cost of the truce.",
])
def test_commentators_and_declined_answers_hold_no_position(nlp, talks, sentence):
    assert read(nlp, talks, sentence)[0].party is None


def test_report_with_a_clause_said_is_speech(nlp, talks):
    assert read(nlp, talks, "Southland reported that the truce had held for a week.")[0].party == "south"


@pytest.mark.parametrize("sentence, party", [
    ("Officials in Nordburg said they would not accept a truce on these terms.", "north"),  # the seat of government
    ("The authorities in Nordburg rejected the truce proposal on Monday.", "north"),
    ("Diplomats in Nordburg said the truce talks would resume on Monday.", None),  # envoys posted there
    ("An aid official in Nordburg said the truce had not let a single convoy through.", None),
    ("Senior officials in Nordburg said they would not accept a truce on these terms.", "north"),
    ("In Nordburg, officials said the truce would not be extended.", "north"),  # the seat as the place of the verb
    ("In Nordburg, diplomats said the truce would not be extended.", None),
])
def test_a_government_named_by_its_seat(nlp, talks, sentence, party):
    holder, _ = read(nlp, talks, sentence)
    assert holder.party == party


@pytest.mark.parametrize("sentence, party, stance", [
    ("Southland asked Northland to extend the truce by two weeks.", "south", "demand"),
    ("Northland asked that the truce be extended.", "north", "demand"),
    ("Southland asked whether Northland would extend the truce.", None, "report"),  # a question, no request
])
def test_a_request_states_a_position(nlp, talks, sentence, party, stance):
    holder, got_stance = read(nlp, talks, sentence)
    assert (holder.party, got_stance) == (party, stance)


@pytest.mark.parametrize("sentence, party", [
    ("People familiar with the talks said Southland's offer would extend the truce by two weeks.", "south"),
    ("Diplomats said Southland's proposal called for a six-week truce.", "south"),
    ("Analysts said Southland's offer would extend the truce by two weeks.", None),  # a commentator's reading
    ("Lind said Southland's offer would extend the truce.", "broker"),  # a party's word on another's plan is its own
    # what the speaker expects another party to do is the speaker's forecast, not that party's word
    ("Lind said on Thursday that he did not expect Southland to offer any further truce changes.", "broker"),
])
def test_whose_word_a_reported_plan_or_forecast_is(nlp, talks, sentence, party):
    holder, _ = read(nlp, talks, sentence)
    assert holder.party == party


@pytest.mark.parametrize("sentence, context, party", [
    # a pronoun after a subject of no party in the same sentence is theirs, not the party in context
    ("When President Ansel Kell visited the border in April, he urged both sides to keep the truce.", "south", None),
    ("Local politicians condemned the remarks, which they said showed that Northland wanted the truce to fail.",
     "south", None),
    ("The truce talks stalled on Monday, and he said Southland would not accept the truce.", "south", "south"),
])
def test_a_pronoun_after_a_subject_of_no_party(nlp, talks, sentence, context, party):
    holder, _ = read(nlp, talks, sentence, context=context)
    assert holder.party == party


def test_the_government_is_one_of_the_parties_called_so(nlp):
    from positions.config import Party
    aliases = AliasIndex([Party("north", "Northland", ("Northland", "Northern government")),
                          Party("west", "Westland", ("Westland", "Western government")),
                          Party("league", "Unity League", ("Unity League",))])
    sentence = "The government also promised a law to protect the truce."
    doc = nlp(sentence)
    assert find_holder(doc, aliases.find(sentence), aliases, "north").holder.party == "north"
    # the party in context is no government: "the government" is not its
    assert find_holder(doc, aliases.find(sentence), aliases, "league").holder.party is None


def test_talks_with_a_party_do_not_make_it_the_speaker(nlp, talks):
    holder, _ = read(nlp, talks, "Northland withdrew its truce offer on Tuesday after two days of talks with Lind "
                                 "broke down, accusing Southland of making demands it could not meet.")
    assert holder.party != "broker"  # the mediator is the counterpart of the talks, not who accuses
    holder, _ = read(nlp, talks, "Officials familiar with its thinking said Southland would not accept the truce.")
    assert holder.party == "south"


@pytest.mark.parametrize(("sentence", "in_passing"), [
    ("Sinn Féin, which won the most seats in May, said the bill was an act of bad faith.",
     ["which won the most seats in May"]),
    ("The truce, signed by both sides on March 24, had let food into the region.",
     ["signed by both sides on March 24"]),
    # kept: a plan or document dated by its clause, a speaker's setting, a caption
    ("The proposal, which Northland presented on Monday, would free 50 prisoners.", []),
    ("Mr. Vale, who met the envoy on Friday, said the offer was generous.", []),
    ("Mr. Vale, speaking in Geneva on Monday, said the offer was generous.", []),
    ("A writer, who was picketing outside the studio on Friday, said the strike would go on.", []),
    ("Writers picketing outside the studio on Friday.", []),
])
def test_clauses_in_passing(nlp, sentence, in_passing):
    doc = nlp(sentence)
    anchor = next(t.i for t in doc if t.dep_ == "ROOT")
    assert [sentence[start:end] for start, end in clauses_in_passing(doc, anchor)] == in_passing


def test_the_clause_of_the_holders_own_verb_is_not_in_passing(nlp):
    doc = nlp("The union, which said on Monday that it would strike, has called a vote.")
    said = next(t.i for t in doc if t.lower_ == "said")
    assert clauses_in_passing(doc, said) == []


@pytest.mark.parametrize("sentence", [
    '"We cannot afford a 20 percent raise," one manager said.',
    "Managers told investors on Tuesday that the wage offer was final.",
])
def test_a_bare_title_that_ends_one_partys_aliases_speaks_for_it(nlp, tiny_negotiation, sentence):
    # "port managers" is an alias of the Port Authority only
    holder, _ = read(nlp, load_negotiation(tiny_negotiation), sentence)
    assert holder.party == "port"


@pytest.fixture(scope="module")
def dock_dispute(tmp_path_factory):
    """A made-up labour dispute whose union calls its members dockworkers."""
    folder = tmp_path_factory.mktemp("dock")
    (folder / "parties.yaml").write_text(
        "parties:\n"
        "  - id: union\n    name: Dockworkers Union\n    aliases: [Dockworkers Union, the union, dockworkers]\n"
        "  - id: port\n    name: Port Authority\n    aliases: [Port Authority, port managers]\n", encoding="utf-8")
    (folder / "topics.yaml").write_text(
        "topics:\n  - id: strike\n    name: Strike\n    description: The walkout.\n    keywords: [strike, walkout]\n",
        encoding="utf-8")
    return load_negotiation(folder)


@pytest.mark.parametrize("sentence", [
    "Thousands of dockworkers went on strike on Tuesday after the talks collapsed.",
    "About 12,000 dockworkers walked off the job at midnight.",
    "Hundreds of dockworkers marched outside the harbour office before dawn.",
    "The Dockworkers Union staged a walkout at three terminals on Friday.",
    "Dockworkers have stayed on the picket lines through the holidays.",
    "Dockworkers held rallies outside the port offices on Saturday.",
    "Members of the Dockworkers Union voted overwhelmingly to authorize a strike.",
])
def test_a_collective_act_of_a_sides_people_supports_it(nlp, dock_dispute, sentence):
    assert party_and_stance(nlp, dock_dispute, sentence) == ("union", "support")


@pytest.mark.parametrize("sentence", [
    "The last time the port's dockworkers went on strike, in 2008, the walkout lasted 57 days.",
    "The Dockworkers Union went on strike in 2008.",
])
def test_a_collective_act_dated_in_a_past_year_is_history(nlp, dock_dispute, sentence):
    holder, _ = read(nlp, dock_dispute, sentence)
    assert holder.party is None


def test_calling_a_strike_illegal_is_no_call_for_it(nlp, dock_dispute):
    assert party_and_stance(nlp, dock_dispute, "The Port Authority called the strike illegal.")[1] != "support"


@pytest.mark.parametrize("sentence", [
    "Northern troops marched into the border town on Sunday.",
    "Northland launched strikes on Southern positions overnight.",
    "Northland staged strikes on Southern positions overnight.",
])
def test_armed_marches_and_strikes_are_no_protest(nlp, talks, sentence):
    holder, _ = read(nlp, talks, sentence)
    assert holder.party is None


@pytest.mark.parametrize("sentence, party, stance", [
    ("Northland formally adopted the truce framework on Friday.", "north", "accept"),
    ("Southland has lobbied against the truce for weeks.", "south", "oppose"),
    ("Northern officials lobbied foreign governments to back the truce.", "north", "support"),
    ("Northland threw its weight behind the truce plan.", "north", "support"),
])
def test_adopting_lobbying_and_throwing_weight_behind(nlp, talks, sentence, party, stance):
    assert party_and_stance(nlp, talks, sentence) == (party, stance)


def test_playing_down_is_a_statement_without_a_side(nlp, dock_dispute):
    assert party_and_stance(nlp, dock_dispute, "The Port Authority played down the walkout.") == ("port", "report")


@pytest.mark.parametrize("headline", [
    "Dockworkers Open Contract Talks Seeking 40 Percent Raises and the Return of Their Pension",
    "Dockworkers Open Port Talks Vowing No Extension and a Strike if Needed",
])
def test_a_headline_verb_read_as_an_adjective_still_has_its_subject(nlp, dock_dispute, headline):
    assert read_headline(nlp, dock_dispute, headline).party == "union"


@pytest.mark.parametrize("headline, party", [
    ("Northland's Foreign Minister Arrives in Geneva for a New Round of Truce Talks", None),
    ("Southern Envoy Visits the Capital Ahead of Truce Talks", None),
    ("Lind Flies to Nordburg and Presses for a Truce", "broker"),
])
def test_a_headline_trip_is_no_position(nlp, talks, headline, party):
    assert read_headline(nlp, talks, headline).party == party
