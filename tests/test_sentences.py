"""Sentence splitting: exact offsets, abbreviations, quotes, headlines, credits, boilerplate, long text."""
from __future__ import annotations

import pytest

from positions.config import SentenceSettings
from positions.sentences import is_boilerplate, split_sentences

SETTINGS = SentenceSettings()


def texts(text: str, settings: SentenceSettings = SETTINGS) -> list[str]:
    sentences = split_sentences(text, settings)
    for s in sentences:
        assert text[s.start:s.end] == s.text
    return [s.text for s in sentences]


def test_offsets_index_and_paragraphs():
    text = "Truce agreed\n\nThe deal was signed. It starts Monday!\n\nWill it hold? Nobody knows."
    sentences = split_sentences(text, SETTINGS)
    assert [(s.text, s.index, s.paragraph, s.is_headline) for s in sentences] == [
        ("Truce agreed", 0, 0, True),
        ("The deal was signed.", 1, 1, False),
        ("It starts Monday!", 2, 1, False),
        ("Will it hold?", 3, 2, False),
        ("Nobody knows.", 4, 2, False),
    ]
    assert all(text[s.start:s.end] == s.text for s in sentences)


def test_first_paragraph_with_final_punctuation_is_not_a_headline():
    assert [s.is_headline for s in split_sentences("It was signed. Then it broke.", SETTINGS)] == [False, False]


@pytest.mark.parametrize(
    "text",
    [
        "Mr. Blinken met Mrs. Meir and Dr. Ruth in Washington.",
        "The U.S. envoy met the U.N. chief and the E.U. delegation.",
        "The C.I.A. director, William J. Burns, flew to Doha on Sept. 5 at 10 a.m. to meet Gen. Halevi.",
        "Growth was 3.2% and 1.5 million people, e.g. Sen. Smith, voted vs. the plan, No. 2 said.",
    ],
)
def test_no_split_after_abbreviations_initials_numbers(text):
    assert texts(text) == [text]


def test_split_on_end_punctuation_before_capital_digit_quote():
    assert texts("He left. 2023 was hard. “No,” she said. Why? Because! Done.") == [
        "He left.", "2023 was hard.", "“No,” she said.", "Why?", "Because!", "Done.",
    ]


def test_quotes():
    text = "“We will not accept this,” he said. “The talks are over.” The envoy left. \"Why?\" he asked."
    assert texts(text) == [
        "“We will not accept this,” he said.",
        "“The talks are over.”",
        "The envoy left.",
        "\"Why?\" he asked.",
    ]


def test_no_split_before_lower_case():
    text = "The talks ended at 5 p.m. on Friday. he said no."
    assert texts(text) == [text]


def test_line_without_final_punctuation_is_its_own_sentence():
    text = "Headline of the day\nA subhead\nThe body starts here. It goes on\nwrapped onto a second line."
    assert texts(text) == [
        "Headline of the day",
        "A subhead",
        "The body starts here.",
        "It goes on\nwrapped onto a second line.",
    ]


def test_caption_credit_removed():
    text = ("Delegates voted at the United Nations. The measure was adopted. "
            "Credit…Angela Weiss/Agence France-Presse — Getty Images\n\n"
            "Protesters in Tel Aviv on Saturday Credit: Ronen Zvulun/Reuters\n\n"
            "Hostage families marched. (Photo by Amir Levy/Getty Images)\n\n"
            "Photo: Reuters")
    assert texts(text) == [
        "Delegates voted at the United Nations.",
        "The measure was adopted.",
        "Protesters in Tel Aviv on Saturday",
        "Hostage families marched.",
    ]


def test_boilerplate_dropped():
    text = ("Advertisement\n\nSupported by\n\nThe talks resumed. Share full article\n\nBack to top button\n\n"
            "Read more: Hamas says it accepts truce\n\nSign up for the Morning newsletter here.\n\n"
            "Israel agreed to the terms.\n\nReporting by Nidal al-Mughrabi; Editing by Peter Graff")
    assert texts(text) == ["The talks resumed.", "Israel agreed to the terms."]


@pytest.mark.parametrize(
    "line",
    ["Back to top", "Advertisement", "Skip to content", "Share this article", "Read more", "Supported by",
     "By Jane Doe and John Roe", "By Nidal al-Mughrabi", "By Jane Doe, John Roe and Ali Bin Said",
     "Updated 5:04 p.m. ET",
     "Credit…Angela Weiss/Agence France-Presse", "Photo: AP", "(Photo by Amir Levy/Getty Images)",
     "We use cookies to improve your experience. Accept all cookies",
     "Additional reporting by Jane Doe in Cairo"],
)
def test_is_boilerplate(line):
    assert is_boilerplate(line)


@pytest.mark.parametrize(
    "line",
    ["By Monday evening, the talks had collapsed.", "Hamas said it would read more of the proposal.",
     "The advertisement campaign was criticised by Israel.", "Updated figures showed more deaths.", "",
     "Share prices fell after the talks collapsed."],
)
def test_is_not_boilerplate(line):
    assert not is_boilerplate(line)


def test_long_sentence_cut_at_comma_or_space():
    settings = SentenceSettings(max_sentence_chars=40)
    text = "The mediators proposed a pause in the fighting, a prisoner exchange, and a withdrawal from the cities."
    pieces = split_sentences(text, settings)
    assert [p.text for p in pieces] == [
        "The mediators proposed a pause in the",
        "fighting, a prisoner exchange, and a",
        "withdrawal from the cities.",
    ]
    assert all(len(p.text) <= 40 and text[p.start:p.end] == p.text for p in pieces)
    assert [p.index for p in pieces] == [0, 1, 2]


def test_short_fragments_dropped():
    assert texts("Ok. Yes. The rest is a sentence.", SentenceSettings(min_sentence_chars=4)) == [
        "Yes.", "The rest is a sentence."
    ]


def test_one_megabyte_line_without_punctuation():
    text = "word " * 200_000 + "x" * 300_000
    sentences = split_sentences(text, SETTINGS)
    assert len(sentences) > 1000
    assert all(len(s.text) <= SETTINGS.max_sentence_chars for s in sentences)
    assert all(text[s.start:s.end] == s.text for s in sentences)
    assert sentences[-1].end == len(text)


def test_empty_text():
    assert split_sentences("", SETTINGS) == []
    assert split_sentences("\n\n  \n", SETTINGS) == []
