"""When a position was stated: date expressions in a sentence, resolved against the publication date.

Conventions (precision says how much of `date` means something):
- explicit day ("March 4", "4 March", "on Jan. 15", "2024-03-04"): "day". With no year, the latest occurrence on or
  before published + 7 days (a dateline may trail the statement; a far-off date is last year's).
- weekday ("on Monday", "late Monday", "Monday night"): the latest such day on or before published (published's own
  weekday -> published); "last Monday" is strictly before. "day".
- today / tonight / this morning -> published; yesterday / last night -> published - 1; "N days ago": "day".
- last week -> published - 7 days; this week -> published (the week includes it); earlier this week -> Monday of
  published's week; "over the weekend" -> the latest Saturday on or before published; "N weeks ago" -> published -
  7N: "week".
- last month -> the 1st of the previous month; this month -> published; earlier this month -> the 1st of published's
  month;
  "in March" -> the 1st of the latest March starting on or before published; "in March 2024": "month".
- last year / this year / "in 2023" / "N years ago" -> 1 January: "year".
Future expressions (tomorrow, next week, "will meet on Tuesday", "is scheduled to ... on Tuesday", "expires on
Thursday", "expected the framework to be adopted on Friday": a future word among the eight before the date in its
clause; a day after publication such as "invited them to talks on May 9" in a May 2 article, "a walkout on
August 1" in a July article: a yearless date more than half a year back is the coming one; all unless "said" comes
just before it) and event names ("the March 4 deal", "Monday's proposal", "since Oct. 7") are skipped. Among the rest,
the first one within six words of a speech verb wins, else the first; a month or year far from any speech verb ("the
release of hostages last year") dates an event, not the statement. None -> StatedDate(published, "published", None).
A date in a clause that describes a party or an event in passing ("Sinn Féin, which won the most seats in May, said
...": holders.clauses_in_passing) is skipped too, and so is a period's end ("runs through May 1, 2026").
"""
from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Sequence
from typing import NamedTuple

from positions.models import StatedDate

_MONTH_NUMBERS = {name: i % 12 + 1 for i, name in enumerate(
    "January February March April May June July August September October November December "
    "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split())} | {"Sept": 9}
_MON = r"(?P<mon>January|February|March|April|May|June|July|August|September|October|November|December|" \
       r"Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\b\.?"
_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_WORD_COUNTS = {"a": 1, "an": 1, "one": 1, "a couple of": 2, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
                "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12}
_YEAR = r"(?P<y>(?:19|20)\d\d)"
_PAST_SPEECH = set("said told wrote announced stated declared added confirmed denied insisted warned proposed offered "
                   "demanded rejected accepted agreed responded replied posted tweeted reported briefed presented "
                   "submitted signaled signalled indicated noted argued claimed urged called asked threatened vowed "
                   "pledged promised suggested conveyed informed sent issued unveiled".split())
_SPEECH = _PAST_SPEECH | set("says say tells announces statement according demands rejects accepts proposes insists "
                             "warns".split())
_FUTURE = set("will would shall next scheduled expected plans plan planned planning set due going intends "
              "intend aims upcoming coming expires expire deadline".split())
_NOT_STATEMENT_BEFORE = set("the a an next coming until till by from starting beginning before after since "
                            "through".split())
_CLAUSE_BREAK = re.compile(r"[,;:()\"“”—]")
_WORD_RE = re.compile(r"[\w'’]+")


class _Cand(NamedTuple):
    start: int
    end: int
    text: str
    rank: int  # lower wins when expressions overlap
    date: dt.date | None  # None: future, or relative with no publication date
    precision: str
    absolute: bool  # carries its own year


Resolver = Callable[[re.Match[str], dt.date | None], tuple[dt.date | None, str] | None]


def resolve_stated_date(text: str, published: dt.date | None,
                        in_passing: Sequence[tuple[int, int]] = ()) -> StatedDate:
    """The date the position in `text` was stated, resolved against `published` (see the module docstring).

    `in_passing`: character spans that describe something other than the statement (a relative clause on a
    party, "Sinn Féin, which won the most seats in May, said ..."); their date expressions are passed over."""
    if isinstance(published, dt.datetime):
        published = published.date()
    usable = [c for c in _candidates(text, published)
              if c.precision != "future" and not _future(text, c, published)
              and not any(start <= c.start and c.end <= end for start, end in in_passing)]
    if not usable:
        return StatedDate(published, "published", None)
    near = [c for c in usable if _near_speech(text, c)]
    if not near and published is not None and all(c.precision in ("month", "year") for c in usable):
        # "the release of hostages last year": a coarse date away from any speech verb dates an event, not the
        # statement, which the publication date dates better
        return StatedDate(published, "published", None)
    best = near[0] if near else usable[0]
    if published is None and best.date is None:
        best = next((c for c in usable if c.absolute), best)
    if best.date is None:
        return StatedDate(None, "published", best.text)
    return StatedDate(best.date, best.precision, best.text)


# --- resolvers: match + published -> (date, precision); date None when it needs `published` and has none --------
def _explicit_day(m: re.Match[str], pub: dt.date | None) -> tuple[dt.date | None, str] | None:
    month = int(m.group("m")) if "m" in m.groupdict() and m.group("m") else _MONTH_NUMBERS[m.group("mon")]
    day, year = int(m.group("d")), m.group("y")
    if year:
        return _safe_date(int(year), month, day), "day"
    if pub is None:
        return None, "day"
    latest = pub + dt.timedelta(days=7)
    for y in (pub.year + 1, pub.year, pub.year - 1):  # latest occurrence on or before published + 7 days
        d = _safe_date(y, month, day)
        if d and d <= latest:
            return d, "day"
    return None


def _weekday(m: re.Match[str], pub: dt.date | None) -> tuple[dt.date | None, str] | None:
    if pub is None:
        return None, "day"
    back = (pub.weekday() - _WEEKDAYS.index(m.group("wd").lower())) % 7
    if back == 0 and (m.group("pre") or "").lower() == "last":
        back = 7
    return pub - dt.timedelta(days=back), "day"


def _relative(m: re.Match[str], pub: dt.date | None) -> tuple[dt.date | None, str] | None:
    phrase = " ".join(m.group().lower().split())
    if pub is None:
        return None, "day"
    if phrase.endswith("ago"):
        count, unit = m.group("n").lower(), m.group("u").lower()
        n = int(count) if count.isdigit() else _WORD_COUNTS[" ".join(count.split())]
        return _back(pub, unit, n)
    if "yesterday" in phrase or phrase == "last night":
        return pub - dt.timedelta(days=2 if phrase.startswith("the day before") else 1), "day"
    if "weekend" in phrase:
        back = (pub.weekday() - 5) % 7
        return pub - dt.timedelta(days=back + (7 if phrase.startswith("last") and back < 2 else 0)), "week"
    unit = phrase.split()[-1]
    if unit in ("week", "month") and phrase.startswith("this"):
        return pub, unit  # "said this week": the week includes the publication day, which stays the best date
    if unit in ("week", "month", "year"):
        return _back(pub, unit, 1 if phrase.startswith("last") else 0)
    return pub, "day"  # today, tonight, this morning


def _month(m: re.Match[str], pub: dt.date | None) -> tuple[dt.date | None, str] | None:
    month, pre = _MONTH_NUMBERS[m.group("mon")], (m.group("pre") or "").lower()
    if m.group("y"):
        return dt.date(int(m.group("y")), month, 1), "month"
    if not pre:
        return None  # a bare "March" is too vague
    if pub is None:
        return None, "month"
    this_year = month < pub.month if pre == "last" else month <= pub.month
    return dt.date(pub.year if this_year else pub.year - 1, month, 1), "month"


def _year(m: re.Match[str], pub: dt.date | None) -> tuple[dt.date | None, str] | None:
    return dt.date(int(m.group("y")), 1, 1), "year"


def _back(pub: dt.date, unit: str, n: int) -> tuple[dt.date, str]:
    """Start of the day/week/month/year n units before published (weeks: the same weekday; this week: Monday)."""
    if unit == "day":
        return pub - dt.timedelta(days=n), "day"
    if unit == "week":
        return (pub - dt.timedelta(days=7 * n) if n else pub - dt.timedelta(days=pub.weekday())), "week"
    if unit == "month":
        y, m = divmod(pub.year * 12 + pub.month - 1 - n, 12)
        return dt.date(y, m + 1, 1), "month"
    return dt.date(pub.year - n, 1, 1), "year"


def _safe_date(y: int, m: int, d: int) -> dt.date | None:
    try:
        return dt.date(y, m, d)
    except ValueError:
        return None


def _never(m: re.Match[str], pub: dt.date | None) -> tuple[dt.date | None, str] | None:
    return None, "future"


_ON = r"(?:\b(?i:on|late|early|late on|early on)\s+)?"
_PATTERNS: list[tuple[int, re.Pattern[str], Resolver]] = [
    (0, re.compile(r"\b" + _YEAR + r"-(?P<m>[01]\d)-(?P<d>[0-3]\d)\b"), _explicit_day),
    (0, re.compile(_ON + r"\b" + _MON + r"\s+(?P<d>[0-3]?\d)(?:st|nd|rd|th)?\b(?:,?\s+" + _YEAR + r"\b)?"),
     _explicit_day),
    (0, re.compile(_ON + r"(?:\b(?i:the)\s+(?=\d+(?:st|nd|rd|th)))?\b(?P<d>[0-3]?\d)(?:st|nd|rd|th)?\s+(?:of\s+)?"
                   + _MON + r"(?:,?\s+" + _YEAR + r"\b)?"), _explicit_day),
    (1, re.compile(r"\b(?:tomorrow|next\s+(?:week|month|year|weekend)|later\s+(?:today|tonight|this\s+"
                   r"(?:week|month|year))|(?:the\s+)?coming\s+(?:days|weeks|months))\b", re.I), _never),
    (2, re.compile(r"(?:\b(?P<pre>(?i:on|late|early|late on|early on|last|this))\s+)?\b(?P<wd>Monday|Tuesday|Wednesday|"
                   r"Thursday|Friday|Saturday|Sunday)(?:\s+(?i:morning|afternoon|evening|night))?\b(?!['’]s)"
                   r"(?!,?\s+(?:[0-3]?\d(?:st|nd|rd|th)?\s+)?(?:January|February|March|April|May|June|July|August|"
                   r"September|October|November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\b)"),
     _weekday),
    (2, re.compile(r"\b(?:(?:earlier\s+)?today|tonight|this\s+(?:morning|afternoon|evening)|(?:the\s+day\s+before\s+)?"
                   r"yesterday(?:\s+(?:morning|afternoon|evening))?|last\s+night|last\s+(?:week|month|year|weekend)|"
                   r"(?:earlier\s+)?this\s+(?:week|month|year|weekend)|(?:over|at|during)\s+the\s+weekend|"
                   r"(?P<n>\d{1,3}|a\s+couple\s+of|an?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|"
                   r"twelve)\s+(?P<u>day|week|month|year)s?\s+ago)\b", re.I), _relative),
    (3, re.compile(r"(?:\b(?P<pre>(?i:in|during|early|late|mid|last|earlier in|early in|late in|by the end of|"
                   r"at the end of|the end of|end of|at the start of|the start of|the beginning of))\s+|\b(?i:mid)-)?"
                   r"\b" + _MON + r"(?:\s+" + _YEAR + r")?\b(?!\s*\d)"), _month),
    (4, re.compile(r"\b(?i:in|during|earlier in|early|late|throughout)\s+" + _YEAR + r"\b(?!\s*[-–]\s*\d)"), _year),
]


def _candidates(text: str, pub: dt.date | None) -> list[_Cand]:
    """Every resolvable expression, overlaps settled by rank then length, in text order."""
    found: list[_Cand] = []
    for rank, pattern, resolve in _PATTERNS:
        for m in pattern.finditer(text):
            result = resolve(m, pub)
            if result is None:
                continue
            date, precision = result
            absolute = bool(m.groupdict().get("y"))
            found.append(_Cand(m.start(), m.end(), m.group().strip(), rank, date, precision, absolute))
    kept: list[_Cand] = []
    for c in sorted(found, key=lambda c: (c.rank, c.start - c.end)):
        if all(c.end <= k.start or c.start >= k.end for k in kept):
            kept.append(c)
    return sorted(kept, key=lambda c: c.start)


# --- which expression dates the statement ---------------------------------------------------------------------
def _future(text: str, c: _Cand, published: dt.date | None = None) -> bool:
    """Skip expressions that name an event or a future time rather than when something was said. A day or month
    without a year that lies ahead of publication this year resolves to last year's; unless a past speech verb
    precedes it ("said in July"), it is the coming one ("a walkout on August 1" in a July article)."""
    before = _WORD_RE.findall(text[:c.start])
    if before and before[-1].lower() in _NOT_STATEMENT_BEFORE:  # "the March 4 deal", "next Monday", "by Friday"
        return True
    clause = _CLAUSE_BREAK.split(text[:c.start])[-1]
    for word in reversed(_WORD_RE.findall(clause)[-8:]):  # nearest first, stop at "said"
        w = word.lower()
        if w in _PAST_SPEECH:
            return False
        if w in _FUTURE or w.endswith(("'ll", "’ll")):
            return True
    if published is not None and c.date is not None and c.date > published:
        return True  # "invited them to the White House on May 9" in a May 2 article (but "said on May 3" stands)
    return (published is not None and c.date is not None and not c.absolute and c.precision in ("day", "month")
            and not c.text.lower().startswith("last") and (published - c.date).days > 183)


def _near_speech(text: str, c: _Cand) -> bool:
    """A speech verb within six words either side ("said on Monday", "Last week, the delegation proposed")."""
    before = _WORD_RE.findall(text[:c.start])[-6:]
    after = _WORD_RE.findall(text[c.end:])[:6]
    return any(w.lower() in _SPEECH for w in before + after)
