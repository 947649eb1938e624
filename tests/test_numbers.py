"""Quantities: digits, words, scales, hyphenated durations, qualifiers, ranges, money, units, exclusions."""
from __future__ import annotations

import pytest

from positions.numbers import extract_quantities, normalise_unit


def triples(text: str) -> list[tuple[float, str, str | None]]:
    return [(q.value, q.unit, q.qualifier) for q in extract_quantities(text)]


@pytest.mark.parametrize(("text", "expected"), [
    # digits, commas, decimals
    ("Israel would free 1,900 Palestinian prisoners.", [(1900, "prisoners", None)]),
    ("Inflation ran at 2.5 percent.", [(2.5, "percent", None)]),
    ("a wage rise of 10,000.50 dollars", [(10000.5, "dollars", None)]),
    # number words
    ("seven hundred prisoners", [(700, "prisoners", None)]),
    ("forty hostages", [(40, "hostages", None)]),
    ("forty-two days", [(42, "days", None)]),
    ("one hundred and fifty trucks", [(150, "trucks", None)]),
    ("a dozen ambulances", [(12, "ambulances", None)]),
    ("two dozen ambulances", [(24, "ambulances", None)]),
    ("a million civilians", [(1e6, "civilians", None)]),
    ("one and a half million people", [(1.5e6, "people", None)]),
    ("half a million refugees", [(5e5, "refugees", None)]),
    ("two and a half years", [(2.5, "years", None)]),
    ("Twelve workers walked out.", [(12, "workers", None)]),
    # scales
    ("1.5 billion", [(1.5e9, "", None)]),
    ("3 million people", [(3e6, "people", None)]),
    ("a 2 trillion yen budget", [(2e12, "yen", None)]),
    # hyphenated durations and adjectives
    ("a six-week truce", [(6, "weeks", None)]),
    ("the 42-day first phase", [(42, "days", None)]),
    ("a four-and-a-half-year contract", [(4.5, "years", None)]),
    ("a 32-hour week", [(32, "hours", None)]),
    ("a two-day truce", [(2, "days", None)]),
    ("the 15-member Security Council", [(15, "members", None)]),
    ("a three-phase deal", [(3, "phases", None)]),
    # qualifiers
    ("more than a million civilians", [(1e6, "civilians", "more than")]),
    ("more than 1.2 million people", [(1.2e6, "people", "more than")]),
    ("about 500 trucks", [(500, "trucks", "about")]),
    ("nearly 30,000 people", [(30000, "people", "nearly")]),
    ("almost 100 days", [(100, "days", "almost")]),
    ("at least 50 hostages", [(50, "hostages", "at least")]),
    ("up to 40 hostages", [(40, "hostages", "up to")]),
    ("some 700 prisoners", [(700, "prisoners", "some")]),
    ("roughly 2 million residents", [(2e6, "residents", "roughly")]),
    ("over 200 trucks", [(200, "trucks", "over")]),
    ("fewer than 100 trucks", [(100, "trucks", "fewer than")]),
    ("as many as 3,000 workers", [(3000, "workers", "as many as")]),
    ("an estimated 1.1 million people", [(1.1e6, "people", "an estimated")]),
    # ranges
    ("between 700 and 1,000 prisoners", [(700, "prisoners", "range_low"), (1000, "prisoners", "range_high")]),
    ("700 to 1,000 prisoners", [(700, "prisoners", "range_low"), (1000, "prisoners", "range_high")]),
    ("700-1,000 prisoners", [(700, "prisoners", "range_low"), (1000, "prisoners", "range_high")]),
    ("700–1,000 prisoners", [(700, "prisoners", "range_low"), (1000, "prisoners", "range_high")]),
    ("six to eight weeks", [(6, "weeks", "range_low"), (8, "weeks", "range_high")]),
    ("three or four days", [(3, "days", "range_low"), (4, "days", "range_high")]),
    ("between 1 and 2 million people", [(1e6, "people", "range_low"), (2e6, "people", "range_high")]),
    ("between 500 and 1 million people", [(500, "people", "range_low"), (1e6, "people", "range_high")]),
    ("30-40% of the territory", [(30, "percent", "range_low"), (40, "percent", "range_high")]),
    ("$1-2 billion", [(1e9, "dollars", "range_low"), (2e9, "dollars", "range_high")]),
    ("between $1 billion and $2 billion", [(1e9, "dollars", "range_low"), (2e9, "dollars", "range_high")]),
    # tallies
    ("Resolution 2735 passed 14-0", [(14, "votes", None), (0, "votes", None)]),
    ("the vote was 14 to 0", [(14, "votes", None), (0, "votes", None)]),
    ("the score was 3-1", [(3, "", None), (1, "", None)]),
    # percent
    ("40 percent", [(40, "percent", None)]),
    ("40%", [(40, "percent", None)]),
    ("25 per cent", [(25, "percent", None)]),
    ("a 3 percentage point rise", [(3, "percentage points", None)]),
    ("a 40-percent cut", [(40, "percent", None)]),
    # money
    ("$1.5 billion", [(1.5e9, "dollars", None)]),
    ("$200 billion in aid", [(2e11, "dollars", None)]),
    ("€2 million", [(2e6, "euros", None)]),
    ("£300 million", [(3e8, "pounds", None)]),
    ("200 billion dollars", [(2e11, "dollars", None)]),
    ("a $1.5bn package", [(1.5e9, "dollars", None)]),
    ("US$5 million", [(5e6, "dollars", None)]),
    ("2 million euros", [(2e6, "euros", None)]),
    # ratios
    ("three prisoners for every hostage", [(3, "prisoners", None)]),
    ("30 prisoners for each hostage", [(30, "prisoners", None)]),
    # the counted noun, past modifiers
    ("700 Palestinian prisoners", [(700, "prisoners", None)]),
    ("33 Israeli hostages", [(33, "hostages", None)]),
    ("600 aid trucks a day", [(600, "trucks", None)]),
    ("50 female hostages", [(50, "hostages", None)]),
    ("150 more prisoners", [(150, "prisoners", None)]),
    ("700 Palestinians", [(700, "palestinians", None)]),
    ("700 Hamas fighters", [(700, "fighters", None)]),
    ("five Hamas-held hostages", [(5, "hostages", None)]),
    ("1,000 U.N. peacekeepers", [(1000, "peacekeepers", None)]),
    ("33 of the hostages", [(33, "hostages", None)]),
    ("20 children", [(20, "children", None)]),
    ("1 hostage", [(1, "hostages", None)]),
    ("one child", [(1, "children", None)]),
    ("one Israeli soldier held in Gaza", [(1, "soldiers", None)]),
    ("one more hostage", [(1, "hostages", None)]),
    ("for one day", [(1, "days", None)]),
    ("a 10km buffer zone", [(10, "km", None)]),
    ("Israel would release 700", [(700, "", None)]),
    ("About 700 would be freed", [(700, "", "about")]),
    ("Some 700 Palestinians", [(700, "palestinians", "some")]),
    ("three hostages, one American and two Israelis", [(3, "hostages", None), (1, "americans", None),
                                                       (2, "israelis", None)]),
    ("four Qataris", [(4, "qataris", None)]),
    ("two crisis meetings", [(2, "meetings", None)]),
    ("Israel says 1,200 people were killed in the Oct. 7 attack.", [(1200, "people", None)]),
    ("The bill passed the Senate 68 to 31.", [(68, "votes", None), (31, "votes", None)]),
    ("ratified by a vote of 2,345 to 1,012", [(2345, "votes", None), (1012, "votes", None)]),
    ("He was one of 12 negotiators.", [(12, "negotiators", None)]),
    ("Talks on Monday, March 25, 2024, ended.", []),
    ("Hamas will release 33 hostages in exchange for 1,900 Palestinian prisoners during the 42-day first phase.",
     [(33, "hostages", None), (1900, "prisoners", None), (42, "days", None)]),
])
def test_quantities(text: str, expected: list[tuple[float, str, str | None]]) -> None:
    assert triples(text) == expected


@pytest.mark.parametrize("text", [
    # dates and years
    "on March 26", "26 March", "Jan. 15", "the deal of March 26, 2024", "in 2023", "since 1967", "2024",
    "the 2014 war", "the 1990s", "2024-03-04", "from 2023-2024",
    # times
    "at 5 p.m.", "at 5 pm", "at 5pm", "at 10:30", "at 0800 GMT", "at 5.30pm",
    # ordinals and labels
    "the second day", "the first phase", "phase two", "Phase One", "the 1st round", "the 21st century",
    "resolution 2728", "Resolution 2735", "No. 5", "Article 5", "Covid-19", "F-16 jets", "#3",
    # ages, fractions, idioms
    "a 24-year-old soldier", "he is 24 years old", "aged 24", "a two-state solution", "two-thirds of the land",
    "one of the hostages", "one another", "no one", "the one", "this one", "one day", "at one point",
    "one-on-one talks", "one of them said", "Netanyahu, 74, said no.",
    # designations: numbers that name a branch, a body or a model
    "the president of District 751", "Teamsters Local 399, which represents drivers", "the Group of 20 met",
    "production of the 737 Max", "the 787 Dreamliner", "its 777X jet",
    # indefinite amounts
    "dozens of trucks", "hundreds of prisoners", "tens of thousands of people", "a few days", "several hostages",
    "a hostage", "a week",
    # attribution, not terms
])
def test_not_quantities(text: str) -> None:
    assert extract_quantities(text) == []


def test_offsets_and_text_point_into_the_sentence() -> None:
    text = "Hamas proposed a six-week truce and more than 1.2 million people would return."
    six, people = extract_quantities(text)
    assert (six.text, text[six.start:six.end]) == ("six-week", "six-week")
    assert people.text == text[people.start:people.end] == "1.2 million people"
    assert people.qualifier == "more than"


def test_range_texts_and_offsets() -> None:
    text = "Israel offered between 700 and 1,000 prisoners."
    low, high = extract_quantities(text)
    assert (low.text, high.text) == ("700", "1,000 prisoners")
    assert text[low.start:low.end] == "700" and text[high.start:high.end] == "1,000 prisoners"


def test_money_text_keeps_the_sign() -> None:
    (q,) = extract_quantities("a $1.5 billion aid package")
    assert (q.text, q.value, q.unit) == ("$1.5 billion", 1.5e9, "dollars")


def test_resolution_vote_keeps_only_the_tally() -> None:
    quantities = extract_quantities("Resolution 2735 passed 14-0, with Russia abstaining.")
    assert [(q.text, q.value, q.unit) for q in quantities] == [("14", 14, "votes"), ("0", 0, "votes")]


def test_as_dict_gives_ints_for_whole_values() -> None:
    (q,) = extract_quantities("about 500 trucks")
    assert q.as_dict() == {"value": 500, "unit": "trucks", "text": "500 trucks", "qualifier": "about"}


def test_labour_and_trade_sentences() -> None:
    assert triples("The union demanded a 25 per cent raise over a four-year contract and a 32-hour week.") == [
        (25, "percent", None), (4, "years", None), (32, "hours", None)]
    assert triples("Washington offered to cut tariffs on $200 billion of goods to 10 percent.") == [
        (2e11, "dollars", None), (10, "percent", None)]


@pytest.mark.parametrize(("noun", "expected"), [
    ("hostage", "hostages"), ("Hostages", "hostages"), ("child", "children"), ("person", "people"),
    ("people", "people"), ("woman", "women"), ("per cent", "percent"), ("percent", "percent"), ("%", "percent"),
    ("day", "days"), ("city", "cities"), ("truck", "trucks"), ("bus", "buses"), ("crisis", "crises"),
    ("percentage point", "percentage points"), ("Israel's", "israels"), ("week", "weeks"), ("dollars", "dollars"),
    ("police", "police"), ("aircraft", "aircraft"), ("box", "boxes"), ("church", "churches"),
])
def test_normalise_unit(noun: str, expected: str) -> None:
    assert normalise_unit(noun) == expected


@pytest.mark.parametrize("text, expected", [
    ("two Egyptian officials said", [(2, "officials")]),  # the labelling guide counts sources too
    ("three people familiar with the talks", [(3, "people")]),
    ("500 of the 1,500 prisoners", [(500, "prisoners"), (1500, "prisoners")]),
    # the counted noun past coordinated modifiers and a name ending in -ing
    ("the union representing 33,000 striking Boeing workers", [(33000, "workers")]),
    ("a guild of roughly 11,500 film and television writers", [(11500, "writers")]),
    ("1,500 prisoners, including 500 serving long or life sentences", [(1500, "prisoners"), (500, "prisoners")]),
    # a number set against a counted one takes its unit, not the nearest other one's
    ("Two days later the Commons passed it by 515 votes to 29.", [(2, "days"), (515, "votes"), (29, "votes")]),
    ("Support for the deal rose from 12 percent to 15, two weeks after the vote.",
     [(12, "percent"), (15, "percent"), (2, "weeks")]),
    ("Wages would rise by 12 percent in the first year and by 8, 8 and 7 percent after that.",
     [(12, "percent"), (8, "percent"), (8, "percent"), (7, "percent")]),
    ("The offer gives raises of 5, 4 or 3.5 percent a year.", [(5, "percent"), (4, "percent"), (3.5, "percent")]),
    # a comparison shares its unit
    ("Thirty percent is better than twenty-five, said a loader of twelve years.",
     [(30, "percent"), (25, "percent"), (12, "years")]),
    ("The union asked for 40 percent, compared with 25 in its first offer.", [(40, "percent"), (25, "percent")]),
])
def test_sources_count_and_bare_numbers_inherit_units(text, expected):
    assert [(q.value, q.unit) for q in extract_quantities(text)] == expected


def test_a_label_word_before_a_duration_still_counts_it():
    found = [(q.value, q.unit) for q in extract_quantities("a truce of 135 days, each phase forty-five days long")]
    assert found == [(135.0, "days"), (45.0, "days")]
    assert extract_quantities("Phase One would begin at once.") == []


@pytest.mark.parametrize(("text", "expected"), [
    # partitives take the noun after a determiner; "earlier" modifies the counted noun
    ("a visit to Washington by two of his top aides", [(2, "aides", None)]),
    ("five of their children were freed", [(5, "children", None)]),
    ("as it had on three earlier drafts.", [(3, "drafts", None)]),
    ("two days earlier, he said", [(2, "days", None)]),
    # a vote against none: one side of the tally ("none" is no number)
    ("The resolution passed by a vote of fourteen to none.", [(14, "votes", None)]),
    # fractions of a scale word
    ("a quarter of a trillion dollars", [(2.5e11, "dollars", None)]),
    ("three quarters of a million people", [(7.5e5, "people", None)]),
    ("half a million refugees", [(5e5, "refugees", None)]),
    # real counts after "the" survive; a hyphenated "one-year" after "the" counts
    ("Israel freed the 700 prisoners", [(700, "prisoners", None)]),
    ("Israel freed the three hostages", [(3, "hostages", None)]),
    ("troops on the two corridors", [(2, "corridors", None)]),
    ("the one-year deal", [(1, "years", None)]),
    ("more than three companies bid", [(3, "companies", "more than")]),
    ("three companies bid for the contract", [(3, "companies", None)]),
    ("One worker said she had spent 19 years at the plant", [(19, "years", None)]),
    ("Hamas would free one hostage for every three prisoners", [(1, "hostages", None), (3, "prisoners", None)]),
    ("only one official attended", [(1, "officials", None)]),
    ("two men were detained at the crossing", [(2, "men", None)]),  # no determiner: a count
])
def test_partitives_votes_fractions_and_kept_counts(text: str, expected: list[tuple[float, str, str | None]]) -> None:
    assert triples(text) == expected


@pytest.mark.parametrize("text", [
    # the parties named by a count: references, not quantities
    "for the two sides to work out", "opened talks with the three Detroit automakers",
    "Union Accuses Two Automakers of Stalling", "a strike at all three companies",
    "the first of Detroit's three automakers", "pressure on the two companies", "talks between the two countries",
    "both sides", "the two men had agreed to meet", "saying the two unions were stronger together",
    # "one" as an article before an actor
    "One worker, who asked not to be named, said", "Analysts at one Wall Street firm estimated",
    "Economists at one consulting firm", "a senior official at one of the companies",
    # names
    "only 401(k) accounts", "its 401(k) contributions",
])
def test_references_articles_and_names_are_not_quantities(text: str) -> None:
    assert extract_quantities(text) == []


@pytest.mark.parametrize("text, expected", [
    # digits with no unit before a word they modify name a model or a grade: no count, and no unit borrowed
    ("with 737 production halted, the strike could drain cash", []),
    ("a second 787 assembly line at its nonunion plant", []),
    ("eliminates the 22.4 driver classification, creates 7,500 new full-time jobs", [(7500, "jobs")]),
    ("the 22.4 job was meant to give the company flexibility", []),
    # before a participle they still count people
    ("with 8,435 members voting yes and 90 voting no", [(8435, "members"), (90, "members")]),
    ("1,500 prisoners, including 500 detained without charge", [(1500, "prisoners"), (500, "prisoners")]),
    ("the bill passed 320 to 95 in the House", [(320, "votes"), (95, "votes")]),
])
def test_digits_that_name_a_model_or_grade_count_nothing(text, expected):
    assert [(q.value, q.unit) for q in extract_quantities(text)] == expected
