"""Stated dates: explicit days, weekdays, relative expressions, months, years, future and event-name skips."""
from __future__ import annotations

import datetime as dt

import pytest

from positions.dates import resolve_stated_date
from positions.models import DATE_PRECISIONS, StatedDate

TUESDAY = dt.date(2024, 3, 26)  # a Tuesday


def d(month: int, day: int, year: int = 2024) -> dt.date:
    return dt.date(year, month, day)


@pytest.mark.parametrize(("text", "expected"), [
    # explicit days
    ("Hamas said on March 4 that it would not budge.", (d(3, 4), "day", "on March 4")),
    ("Israel said on 4 March that it accepted.", (d(3, 4), "day", "on 4 March")),
    ("The talks began March 4, 2023, officials said.", (d(3, 4, 2023), "day", "March 4, 2023")),
    ("Qatar said on Jan. 15 that a deal was near.", (d(1, 15), "day", "on Jan. 15")),
    ("The statement was dated 2024-03-04.", (d(3, 4), "day", "2024-03-04")),
    ("Egypt proposed March 4 2024 a new text.", (d(3, 4), "day", "March 4 2024")),
    ("The mediators said on Sept. 3 that the text was final.", (d(9, 3, 2023), "day", "on Sept. 3")),
    ("Hamas said on Dec. 30 that it agreed.", (d(12, 30, 2023), "day", "on Dec. 30")),
    ("Hamas said on March 28 that it agreed.", (d(3, 28), "day", "on March 28")),  # a dateline trailing by 2 days
    ("Hamas said on the 4th of March that it agreed.", (d(3, 4), "day", "on the 4th of March")),
    # weekdays (published is a Tuesday)
    ("Hamas said late Monday that it rejected the proposal.", (d(3, 25), "day", "late Monday")),
    ("Mr. Biden said on Friday that a deal was close.", (d(3, 22), "day", "on Friday")),
    ("Israel rejected the offer Monday night.", (d(3, 25), "day", "Monday night")),
    ("The union said on Tuesday it would strike.", (d(3, 26), "day", "on Tuesday")),
    ("Hamas said Sunday it was studying the plan.", (d(3, 24), "day", "Sunday")),
    ("He said last Tuesday that talks had stalled.", (d(3, 19), "day", "last Tuesday")),
    ("Early Wednesday, the cabinet approved the deal.", (d(3, 20), "day", "Early Wednesday")),
    # relative days
    ("Hamas said today that it accepted.", (d(3, 26), "day", "today")),
    ("Israel said this morning it would reply.", (d(3, 26), "day", "this morning")),
    ("Officials said tonight the text was agreed.", (d(3, 26), "day", "tonight")),
    ("Hamas said yesterday that it accepted.", (d(3, 25), "day", "yesterday")),
    ("Yesterday, the negotiators proposed a pause.", (d(3, 25), "day", "Yesterday")),
    ("The cabinet voted last night to approve it.", (d(3, 25), "day", "last night")),
    ("Two days ago Hamas said it would study the plan.", (d(3, 24), "day", "Two days ago")),
    ("Israel said three weeks ago that it would not withdraw.", (d(3, 5), "week", "three weeks ago")),
    ("The union proposed a raise two months ago.", (d(1, 1), "month", "two months ago")),
    ("A year ago, the company offered 3 percent.", (d(1, 1, 2023), "year", "A year ago")),
    # weeks, months, years
    ("Last week, the delegation proposed a six-week truce.", (d(3, 19), "week", "Last week")),
    ("Hamas said earlier this week that it accepted.", (d(3, 25), "week", "earlier this week")),
    ("Hamas said this week that it accepted.", (d(3, 26), "week", "this week")),  # the week includes publication
    ("Hamas said this month that it accepted.", (d(3, 26), "month", "this month")),
    ("Over the weekend, Israel said it would send a team.", (d(3, 23), "week", "Over the weekend")),
    ("Qatar said last month that talks had stalled.", (d(2, 1), "month", "last month")),
    ("Hamas said earlier this month that it accepted.", (d(3, 1), "month", "earlier this month")),
    ("In March, Israel said it would consider the plan.", (d(3, 1), "month", "In March")),
    ("In October, Israel said it would consider the plan.", (d(10, 1, 2023), "month", "In October")),
    ("in March 2023 the union demanded a raise.", (d(3, 1, 2023), "month", "in March 2023")),
    ("The parties agreed in 2023 to a framework.", (d(1, 1, 2023), "year", "in 2023")),
    ("Last year, the company offered 2 percent.", (d(1, 1, 2023), "year", "Last year")),
    # the speech verb picks among several
    ("The delegation will travel to Cairo on Thursday, officials said on Monday.", (d(3, 25), "day", "on Monday")),
    ("On Sunday Israel struck, and on Monday Hamas said it rejected the deal.", (d(3, 25), "day", "on Monday")),
    ("Hamas said on Monday it would respond on Thursday.", (d(3, 25), "day", "on Monday")),
    ("On Monday, March 4, Hamas said it accepted.", (d(3, 4), "day", "March 4")),
    ("He will go, officials said on Monday.", (d(3, 25), "day", "on Monday")),
])
def test_resolved(text: str, expected: tuple[dt.date, str, str]) -> None:
    assert resolve_stated_date(text, TUESDAY) == StatedDate(*expected)


@pytest.mark.parametrize("text", [
    # future relative to the statement
    "The delegation will travel to Cairo on Thursday.",
    "Talks are scheduled to resume on Thursday.",
    "The envoy is expected to arrive on Friday.",
    "Hamas plans to respond on Saturday.",
    "They will meet next week.",
    "The two sides meet again next Monday.",
    "Negotiators hope to close the gap tomorrow.",
    "A vote is due later this week.",
    "Hamas said it will release hostages on Saturday.",
    "Israel said it would respond on Thursday.",
    "The ceasefire would begin by Friday.",
    "The union set a strike deadline until March 30.",
    "A spokesman said the bloc expected the framework to be adopted formally on Friday.",
    # event names, not statement dates
    "The March 4 proposal was rejected.",
    "Since Oct. 7, Israel has demanded the hostages' release.",
    "Hamas rejected Monday's proposal.",
    "The Monday meeting produced nothing.",
    "The plan was drafted after the Oct. 7 attack.",
    # nothing to resolve
    "Hamas said it accepted the proposal.",
    "The 2024 budget includes 3 percent raises.",
    "Israel demanded the release of 40 hostages.",
    "March and rally organisers said the protest was peaceful.",
])
def test_falls_back_to_published(text: str) -> None:
    assert resolve_stated_date(text, TUESDAY) == StatedDate(TUESDAY, "published", None)


def test_published_day_weekday_is_the_published_date() -> None:
    assert resolve_stated_date("Hamas said on Tuesday it agreed.", TUESDAY).date == TUESDAY
    monday = dt.date(2024, 3, 25)
    assert resolve_stated_date("Hamas said on Tuesday it agreed.", monday).date == dt.date(2024, 3, 19)


def test_year_boundary() -> None:
    january = dt.date(2024, 1, 2)
    assert resolve_stated_date("Officials said on Dec. 30 that talks resumed.", january).date == dt.date(2023, 12, 30)
    assert resolve_stated_date("Hamas said last month it agreed.", january) == StatedDate(
        dt.date(2023, 12, 1), "month", "last month")
    assert resolve_stated_date("In December, Israel proposed a pause.", january).date == dt.date(2023, 12, 1)
    assert resolve_stated_date("Last December, Israel proposed a pause.", dt.date(2024, 12, 20)).date == \
        dt.date(2023, 12, 1)
    assert resolve_stated_date("Israel said yesterday it agreed.", dt.date(2024, 1, 1)).date == dt.date(2023, 12, 31)


def test_without_publication_date() -> None:
    assert resolve_stated_date("Hamas said late Monday it agreed.", None) == StatedDate(
        None, "published", "late Monday")
    assert resolve_stated_date("Last week, the union proposed a raise.", None) == StatedDate(
        None, "published", "Last week")
    assert resolve_stated_date("Hamas said on March 4, 2024, that it agreed.", None) == StatedDate(
        dt.date(2024, 3, 4), "day", "on March 4, 2024")
    assert resolve_stated_date("In March 2023, the union demanded a raise.", None) == StatedDate(
        dt.date(2023, 3, 1), "month", "In March 2023")
    assert resolve_stated_date("Hamas said on Monday, as it did on March 4, 2024, that it agreed.", None) == \
        StatedDate(dt.date(2024, 3, 4), "day", "on March 4, 2024")
    assert resolve_stated_date("Hamas said it agreed.", None) == StatedDate(None, "published", None)


def test_accepts_a_datetime_and_returns_known_precisions() -> None:
    result = resolve_stated_date("Hamas said on Monday it agreed.", dt.datetime(2024, 3, 26, 18, 30))
    assert result == StatedDate(dt.date(2024, 3, 25), "day", "on Monday")
    for text in ("today", "last week", "last month", "in 2023", "nothing here"):
        assert resolve_stated_date(text, TUESDAY).precision in DATE_PRECISIONS


def test_a_coarse_date_away_from_any_speech_verb_dates_an_event_not_the_statement():
    pub = dt.date(2024, 4, 18)
    event = resolve_stated_date("The envoy pressed for the release of captives seized last year.", pub)
    assert (event.date, event.precision) == (pub, "published")
    stated = resolve_stated_date("Last month, the envoy said the talks had stalled.", pub)
    assert (stated.date, stated.precision) == (dt.date(2024, 3, 1), "month")


def test_a_yearless_date_ahead_of_publication_is_the_coming_one() -> None:
    july = dt.date(2023, 7, 18)
    assert resolve_stated_date("Union leaders say members are ready for a walkout on August 1.", july) == StatedDate(
        july, "published", None)
    assert resolve_stated_date("The directors, whose own talks open in May, back the writers.",
                               dt.date(2023, 4, 19)).date == dt.date(2023, 4, 19)
    # a past speech verb just before it keeps last year's reading
    assert resolve_stated_date("The union said on August 1 that it would strike.", july).date == dt.date(2022, 8, 1)


def test_dates_in_passing_are_skipped() -> None:
    text = "The union, which walked out in March, said on Monday that it would hold out."
    clause = (text.index("which"), text.index(", said"))
    assert resolve_stated_date(text, TUESDAY).text == "in March"
    assert resolve_stated_date(text, TUESDAY, [clause]) == StatedDate(d(3, 25), "day", "on Monday")
    only = "The union, which walked out in March, said it would hold out."
    assert resolve_stated_date(only, TUESDAY, [(only.index("which"), only.index(", said"))]) == \
        StatedDate(TUESDAY, "published", None)


def test_the_end_of_a_period_is_no_statement_date() -> None:
    text = "Under the contract, which runs through May 1, 2028, drivers receive a raise."
    assert resolve_stated_date(text, TUESDAY) == StatedDate(TUESDAY, "published", None)


@pytest.mark.parametrize("text", [
    "The union said the walkout would last a week, and Mr. Lind invited both sides to his office on March 28.",
    "The current agreement, which was extended twice, expires at midnight on Jan. 30.",
    "The monitoring arrangement expires on Thursday.",
])
def test_a_date_after_publication_or_an_expiry_is_no_statement_date(text: str) -> None:
    assert resolve_stated_date(text, TUESDAY) == StatedDate(TUESDAY, "published", None)
