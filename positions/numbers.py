"""Quantities in a sentence: "700 Palestinian prisoners", "a six-week truce", "$1.5 billion", "40 percent".

Regex tokens plus small lexicons, no model (this runs on every sentence). Never quantities: dates and years,
times, ordinals, labels ("Resolution 2735", "Phase One", "No. 5"), ages ("24-year-old"), fractions
("two-thirds"), "two-state", pronoun or article "one" ("no one", "one of the", "one worker said"), names ("401(k)",
"District 751", "the 737 Max") and counts that name the parties ("the two sides").
"""
from __future__ import annotations

import re
from typing import NamedTuple

from positions.models import Quantity

# --- lexicons -------------------------------------------------------------------------------------------------
_SMALL = {w: i for i, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen "
    "seventeen eighteen nineteen".split())}
_TENS = {w: 10 * (i + 2) for i, w in enumerate("twenty thirty forty fifty sixty seventy eighty ninety".split())}
_BIG = {"thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12}
_SCALE_WORDS = {**_BIG, "hundred": 100.0, "dozen": 12.0}
_SUFFIX_SCALE = {"bn": 1e9, "mn": 1e6, "tn": 1e12, "b": 1e9, "m": 1e6, "k": 1e3}  # "$1.5bn"; 1 letter needs a $
_CURRENCY = {"$": "dollars", "€": "euros", "£": "pounds", "₪": "shekels", "¥": "yen"}
_HYPHENS = {"-", "\u2010", "\u2011", "\u2013"}
_MONTHS = set("January February March April May June July August September October November December "
              "Jan Feb Mar Apr Jun Jul Aug Sep Sept Oct Nov Dec".split())  # case-sensitive: "may", "march"
_LABELS = set("phase stage article articles resolution resolutions section chapter paragraph clause annex item "
              "number no nos round step part point tier level category route highway gate room flight page "
              "sector zone block camp version protocol amendment rule grade channel platform terminal lane "
              "aged age covid".split())
_TIME_AFTER = {"a.m.", "p.m.", "a.m", "p.m", "am", "pm", "gmt", "utc", "o'clock", "hrs", "est", "edt", "bst", "cet"}
_ADJACENT_NOT_NUMBER = {"st", "nd", "rd", "th", "s", "am", "pm"}  # "1st", "1990s", "5pm"
_HYPHEN_NOT_UNIT = set("state old sided off way time fold on to or and half third thirds quarter quarters fifth "
                       "fifths first second third fourth fifth sixth seventh eighth ninth tenth".split())
_QUALIFIERS = sorted(
    ("no more than", "no fewer than", "no less than", "not more than", "as many as", "as much as", "as few as",
     "more than", "fewer than", "less than", "greater than", "at least", "at most", "up to", "close to",
     "just over", "just under", "an estimated", "nearly", "almost", "about", "around", "approximately",
     "roughly", "some", "over", "under", "estimated", "between"),
    key=lambda q: -len(q.split()))
_QUALIFIER_WORDS = {word for qualifier in _QUALIFIERS for word in qualifier.split()}
_STOP = set("a an the of in on at to for from by with without into onto over under after before during and or but "
            "nor than as per via each every another this that these those it its they them their he his she her we "
            "our you your i me us there here if so not no ago earlier later also only just including among "
            "between against since until up down out off about around all both such who whom whose which what when "
            "where while whereas said says say told tells was were is are be been being has have had will would "
            "could should may might must can do does did shall include includes including remain remains".split())
_MODIFIERS = set("more additional other extra further new remaining last first next previous former total "
                 "consecutive straight full separate different".split())
_IRREGULAR = {"child": "children", "person": "people", "man": "men", "woman": "women", "foot": "feet",
              "tooth": "teeth", "mouse": "mice", "goose": "geese", "life": "lives", "wife": "wives",
              "knife": "knives", "thief": "thieves", "crisis": "crises", "analysis": "analyses", "basis": "bases",
              "criterion": "criteria", "phenomenon": "phenomena"}
_INVARIANT = set("people police personnel staff aircraft cattle sheep fish deer livestock series species news "
                 "headquarters offspring yen percent km kg mph".split()) | set(_IRREGULAR.values())
_NOT_PLURAL = set("news series species gas christmas has was does yes plus thus as less always perhaps "
                  "besides towards afterwards whereas sometimes its this his paris tunis".split())
_PARTICIPLES = set("held kept taken hit caught brought sent given left made set put built bound hidden stolen shot "
                   "driven born slain thrown known seen found lost paid sold".split())  # irregular: "hostages held"
_PERCENT = {"%", "percent", "per cent", "pct", "percentage"}
_ONE_IDIOM_HEADS = set("day time point way thing hand side reason example".split())  # "one day", "at one point"
_ONE_COUNTING_BEFORE = set("for by within only just than extra".split())  # "for one day" still counts
_ONE_PRONOUN_BEFORE = set("the no this that any every each which someone anyone".split())
_SPEAKERS = set("officials sources spokesmen spokeswomen spokespeople spokespersons aides".split())
_SOURCE_NOUNS = set("people persons diplomats negotiators mediators analysts experts insiders officers members "
                    "lawmakers ministers leaders representatives".split())
_SOURCE_CUES = set("said say says told familiar briefed close knowledgeable informed".split())
# nouns for the parties themselves: "the two sides", "all three automakers" refer, they do not count
_PARTY_UNITS = set("sides automakers carmakers".split())  # "Union Accuses Two Automakers"
_PARTY_UNITS_AFTER_DET = set("parties companies countries nations governments delegations leaders powers economies "
                             "superpowers unions men women".split())  # only after "the", "all", "their", ...:
# "the two countries", "the two men had agreed": the actors named before, not a count
_DETERMINERS = set("the all both these those their its our his her".split())
# "one" as an indefinite article before an actor: "one worker said", "one Wall Street firm"
_ONE_ARTICLE_UNITS = _SPEAKERS | _SOURCE_NOUNS | set(
    "workers employees firms companies executives economists analysts officials sources residents observers "
    "advisers advisors critics investors banks".split())
_FRACTIONS = {"half": 0.5, "third": 1 / 3, "thirds": 1 / 3, "quarter": 0.25, "quarters": 0.25}
_PARTITIVE_DETS = set("the his her its their our your these those".split())  # "two of his top aides"
_TIME_MODIFIERS = {"earlier", "later"}  # "three earlier drafts"
_VOTE_RE = re.compile(r"\b(?:vot(?:e|es|ed|ing)|passed|adopted|abstain\w*|abstention\w*|ballot\w*)\b", re.I)
_TOKEN_RE = re.compile(
    r"(?P<time>\d{1,2}[:.]\d{2}(?=\s*[ap]\.?m\b)|\d{1,2}:\d{2}(?::\d{2})?|\d+/\d+)"
    r"|(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
    r"|(?P<abbr>[^\W\d_](?:\.[^\W\d_])+\.?)"
    r"|(?P<word>[^\W\d_][\w'’]*)"
    r"|(?P<sym>[$€£₪¥%])"
    r"|(?P<punct>\S)"
)


class _Tok(NamedTuple):
    text: str
    start: int
    end: int
    kind: str  # time, num, abbr, word, sym, punct
    low: str


class _Num(NamedTuple):
    value: float
    i: int  # first token (currency sign included)
    j: int  # one past the last token (scale words included)
    currency: str | None
    scale: float  # multiplier from "million", "bn", ... (1 if none)
    spelled: str  # lower-case surface when spelled out ("one"), else ""


def normalise_unit(noun: str) -> str:
    """Lower-case plural of a counted noun: "Hostage" -> "hostages", "child" -> "children", "per cent" -> "percent"."""
    w = " ".join(noun.lower().replace("’", "'").split()).strip(".")
    w = w.removesuffix("'s").rstrip("'")
    if w in _PERCENT:
        return "percent"
    head, _, last = w.rpartition(" ")
    return f"{head} {_plural(last)}" if head else _plural(last)


def extract_quantities(text: str) -> list[Quantity]:
    """Every quantity in `text`, in order; offsets are into `text`. Ranges give two (range_low, range_high)."""
    toks = [_Tok(m.group(), m.start(), m.end(), m.lastgroup or "punct", m.group().lower())
            for m in _TOKEN_RE.finditer(text)]
    vote = bool(_VOTE_RE.search(text))
    out: list[Quantity] = []
    i = 0
    while i < len(toks):
        num = _parse_number(toks, i)
        if num is None:
            i += 1
            continue
        if _excluded(toks, num):
            i = num.j
            continue
        second = _second_of_pair(toks, num)
        pair = _pair(text, toks, num, second, vote) if second else None
        if pair:
            out.extend(pair)
            i = second.j  # type: ignore[union-attr]
            continue
        single = _single(text, toks, num, vote)
        if single:
            out.append(single)
        i = num.j
    return _inherit_units(out, text)


_SET_AGAINST = frozenset(("to", "against", "versus", "vs."))
# "Thirty percent is better than twenty-five", "up from 12", "compared with 15": a comparison shares its unit
_COMPARED_WITH = re.compile(r"(?:[a-z’']+\s+){0,3}(?:than|from)|compared (?:with|to)|instead of")
_LIST_ENDS = frozenset(("and", ", and", "or", ", or"))


def _sets_against(between: str) -> bool:
    """The words between two numbers set the second against the first: "to", "versus", "better than", "up from"."""
    join = between.strip().lower()
    return join in _SET_AGAINST or bool(_COMPARED_WITH.fullmatch(join.lstrip(", ")))


def _inherit_units(quantities: list[Quantity], text: str) -> list[Quantity]:
    """A bare number takes the unit of the list it ends ("by 8, 8 and 7 percent"), else of the number it is set
    against ("passed by 515 votes to 29", "from 12 percent to 15", "30 percent is better than 25"), else of the
    nearest counted number in the sentence ("500 of the 1,500 prisoners")."""
    if not any(q.unit for q in quantities):
        return quantities
    quantities, listed = list(quantities), False
    for n in range(len(quantities) - 2, -1, -1):  # "by 8, 8 and 7 percent": a list shares its last unit
        q, following = quantities[n], quantities[n + 1]
        join = text[q.end:following.start].strip()
        listed = not q.unit and bool(following.unit) and (join in _LIST_ENDS or join == "," and listed)
        if listed:
            quantities[n] = Quantity(q.value, following.unit, q.text, q.qualifier, q.start, q.end)
    out = []
    for n, q in enumerate(quantities):
        if not q.unit and n and out[n - 1].unit and _sets_against(text[out[n - 1].end:q.start]):
            q = Quantity(q.value, out[n - 1].unit, q.text, q.qualifier, q.start, q.end)
        if not q.unit:
            donors = sorted((abs(m - n), other.unit) for m, other in enumerate(quantities) if other.unit
                            and other.unit not in ("percent", "votes"))
            if donors:
                q = Quantity(q.value, donors[0][1], q.text, q.qualifier, q.start, q.end)
        out.append(q)
    return out


# --- numbers: digits, scales, spelled-out words ---------------------------------------------------------------
def _low(toks: list[_Tok], k: int) -> str:
    return toks[k].low if 0 <= k < len(toks) else ""


def _adjacent(a: _Tok, b: _Tok) -> bool:
    return a.end == b.start


def _parse_number(toks: list[_Tok], i: int) -> _Num | None:
    """The number starting at token i ("$1.5 billion", "seven hundred", "a dozen"), or None."""
    k, currency = i, None
    if _low(toks, k) in ("us", "usd") and _low(toks, k + 1) == "$" and _adjacent(toks[k], toks[k + 1]):
        k += 1
    if toks[k].kind == "sym" and toks[k].text in _CURRENCY:
        currency = _CURRENCY[toks[k].text]
        k += 1
        if k >= len(toks) or toks[k].start - toks[k - 1].end > 1:
            return None
    if toks[k].kind == "num":
        value, scale, first = float(toks[k].text.replace(",", "")), 1.0, toks[k]
        k += 1
        if k < len(toks) and toks[k].kind == "word" and _adjacent(first, toks[k]):  # "1.5bn", "1st", "5pm"
            suffix = toks[k].low
            if suffix in _SUFFIX_SCALE and (currency or len(suffix) > 1):
                scale, k = _SUFFIX_SCALE[suffix], k + 1
            elif suffix in _ADJACENT_NOT_NUMBER:
                return None
        while _low(toks, k) in _SCALE_WORDS:
            scale, k = scale * _SCALE_WORDS[_low(toks, k)], k + 1
        return _Num(value * scale, i, k, currency, scale, "")
    parsed = _parse_words(toks, k)
    if parsed is None:
        return None
    value, end = parsed
    last = _low(toks, end - 1)
    scale = _BIG.get(last, 1.0)
    spelled = " ".join(t.low for t in toks[k:end])
    return _Num(value, i, end, currency, scale, spelled)


def _parse_words(toks: list[_Tok], i: int) -> tuple[float, int] | None:
    """A spelled-out number ("forty-two", "one and a half million", "a dozen") -> (value, end token)."""
    fraction = _parse_fraction(toks, i)
    if fraction is not None:
        return fraction
    total, current, last, k = 0.0, 0.0, "", i
    if _low(toks, k) in ("a", "an") and _low(toks, k + 1) in _SCALE_WORDS:
        current, last, k = 1.0, "a", k + 1
    elif _low(toks, k) == "half" and _low(toks, k + 1) in ("a", "an") and _low(toks, k + 2) in _BIG:
        return 0.5 * _BIG[_low(toks, k + 2)], k + 3
    while k < len(toks):
        w = toks[k].low
        if w in _HYPHENS and last and k + 1 < len(toks) and _adjacent(toks[k - 1], toks[k]) \
                and _adjacent(toks[k], toks[k + 1]) and _is_number_word(toks[k + 1].low):
            k += 1  # "forty-two", "four-and-a-half"
            continue
        if w in _SMALL or w in _TENS:
            if last == "tens" and w in _SMALL and _SMALL[w] < 10 or last in ("", "hundred", "big", "and"):
                current += _SMALL.get(w, _TENS.get(w, 0))
                last = "tens" if w in _TENS else "small"
            else:
                break
        elif w in ("hundred", "dozen") and last in ("small", "tens", "a"):
            current, last = current * _SCALE_WORDS[w], "hundred"
        elif w in _BIG and last in ("small", "tens", "hundred", "a", "half"):
            total, current, last = total + current * _BIG[w], 0.0, "big"
        elif w == "and" and last:
            a, half = _next_word(toks, k), _next_word(toks, _next_word(toks, k))
            if _low(toks, a) == "a" and _low(toks, half) == "half":  # "and a half"
                current, last, k = current + 0.5, "half", half + 1
                continue
            sub = _parse_words(toks, k + 1) if last in ("hundred", "big") else None
            if sub is None or sub[0] >= 100:  # "between two hundred and three hundred": stop here
                break
            return total + current + sub[0], sub[1]
        else:
            break
        k += 1
    if last in ("", "a"):
        return None
    return total + current, k


def _parse_fraction(toks: list[_Tok], i: int) -> tuple[float, int] | None:
    """"a quarter of a trillion", "three quarters of a million" -> (value, end token); None otherwise."""
    first = _low(toks, i)
    numerator = 1.0 if first in ("a", "an") else float(_SMALL.get(first, 0))
    share = _FRACTIONS.get(_low(toks, i + 1))
    if not numerator or share is None or _low(toks, i + 2) != "of" or _low(toks, i + 3) not in ("a", "an"):
        return None
    big = _BIG.get(_low(toks, i + 4))
    return (numerator * share * big, i + 5) if big else None


def _is_number_word(w: str) -> bool:
    return w in _SMALL or w in _TENS or w in _SCALE_WORDS or w in ("and", "a", "half")


def _next_word(toks: list[_Tok], k: int) -> int:
    """Index of the token after k, stepping over a hyphen that joins words ("and-a-half")."""
    k += 1
    if _low(toks, k) in _HYPHENS and k + 1 < len(toks) and _adjacent(toks[k - 1], toks[k]):
        k += 1
    return k


# --- what is not a quantity -----------------------------------------------------------------------------------
_DURATION_UNITS = frozenset("hour hours day days week weeks month months year years".split())


def _excluded(toks: list[_Tok], num: _Num, attached_ok: bool = False) -> bool:
    """Dates, years, times, labels, "no one": numbers that count nothing."""
    first = toks[num.i]
    prev, prev2 = (toks[num.i - 1] if num.i > 0 else None), (toks[num.i - 2] if num.i > 1 else None)
    after = _low(toks, num.j)
    # labels: "Resolution 2735", "Phase One", "No. 5", "#3", "aged 24"
    if prev and (prev.low in _LABELS or prev.text == "#") and after not in _DURATION_UNITS:
        return True  # ("each phase forty-five days long" counts days)
    if prev and prev2 and prev.text == "." and prev2.low in ("no", "nos"):
        return True
    # glued to a word or number by a hyphen: "Covid-19", "F-16", "2024-03-04"
    if not attached_ok and prev and prev2 and prev.text in _HYPHENS and _adjacent(prev, first) \
            and _adjacent(prev2, prev) and prev2.kind in ("word", "num"):
        return True
    # dates: "March 26", "Jan. 15", "26 March", "2024"
    if not num.currency and num.scale == 1 and not num.spelled and num.value.is_integer():
        month_before = prev and (prev.text in _MONTHS or prev.text == "." and prev2 and prev2.text in _MONTHS)
        month_after = num.j < len(toks) and toks[num.j].text in _MONTHS
        if num.value <= 31 and (month_before or month_after):
            return True
        if re.fullmatch(r"\d{4}", toks[num.j - 1].text) and 1900 <= num.value <= 2100:
            return True
    # an age in apposition: "Netanyahu, 74, said"
    if prev and prev2 and prev.text == "," and after == "," and prev2.kind == "word" and prev2.text[0].isupper() \
            and num.value < 120 and not num.spelled:
        return True
    # times: "5 p.m.", "0800 GMT"
    if after in _TIME_AFTER or _is_code_name(toks, num.j):
        return True
    # "one" as a pronoun: "no one", "the one" (not "the one-year deal")
    return num.spelled == "one" and prev is not None and prev.low in _ONE_PRONOUN_BEFORE \
        and not (after in _HYPHENS and _adjacent(toks[num.j - 1], toks[num.j]))


def _is_code_name(toks: list[_Tok], j: int) -> bool:
    """A number glued to a bracketed letter is a name: "401(k)", "501(c)"."""
    return j + 2 < len(toks) and toks[j].text == "(" and _adjacent(toks[j - 1], toks[j]) \
        and toks[j + 1].kind == "word" and len(toks[j + 1].text) <= 2 and toks[j + 2].text == ")"


# --- units ----------------------------------------------------------------------------------------------------
def _unit(toks: list[_Tok], num: _Num) -> tuple[str, int] | None:
    """(unit, end token) for a number, or None when the number is not a quantity (age, "two-state", ...)."""
    j = num.j
    nxt = _low(toks, j)
    if nxt == "%" or nxt in ("percent", "pct"):
        return "percent", j + 1
    if nxt == "per" and _low(toks, j + 1) == "cent":
        return "percent", j + 2
    if nxt == "percentage":
        return ("percentage points", j + 2) if _low(toks, j + 1) in ("point", "points") else ("percent", j + 1)
    # hyphenated adjective: "six-week", "42-day", "24-year-old" (age), "two-state" (not a count)
    if nxt in _HYPHENS and _adjacent(toks[j - 1], toks[j]) and j + 1 < len(toks) \
            and toks[j + 1].kind == "word" and _adjacent(toks[j], toks[j + 1]):
        w = toks[j + 1].low
        if _low(toks, j + 2) in _HYPHENS and _low(toks, j + 3) == "old" or w in _STOP or w in _HYPHEN_NOT_UNIT:
            return None
        return num.currency or normalise_unit(w), j + 2
    if num.currency:
        return num.currency, j
    head = _head(toks, j, num.value)
    if head is None:
        return "", j
    unit, end = head
    if unit == "years" and _low(toks, end) == "old":  # "24 years old"
        return None
    return unit, end


def _head(toks: list[_Tok], j: int, value: float) -> tuple[str, int] | None:
    """The counted noun after a number, skipping modifiers ("700 Palestinian prisoners" -> prisoners)."""
    k = j
    if value != 1 and _low(toks, k) == "of" and _low(toks, k + 1) in _PARTITIVE_DETS:  # "33 of the hostages"
        k += 2
    run: list[int] = []
    joined = False
    while k < len(toks) and len(run) < 5:
        t = toks[k]
        if t.kind == "abbr":  # "U.N. peacekeepers"
            k += 1
            continue
        if t.text in _HYPHENS and run and _adjacent(toks[k - 1], t) and k + 1 < len(toks) \
                and toks[k + 1].kind == "word" and _adjacent(t, toks[k + 1]):
            k, joined = k + 1, True  # compound modifier: "Hamas-held"
            continue
        if t.low in _TIME_MODIFIERS and _low(toks, k + 1) not in _STOP and _low(toks, k + 1).isalpha():
            k += 1  # "three earlier drafts"
            continue
        if t.low in ("and", "or") and run and value != 1 and _low(toks, k + 1).isalpha() \
                and _low(toks, k + 1) not in _STOP and not _is_number_word(_low(toks, k + 1)) \
                and not any(_looks_plural(toks[r].low) or toks[r].low.endswith(("ed", "ing")) for r in run):
            k += 1  # coordinated modifiers: "11,500 film and television writers" (not "500 serving long or ...")
            continue
        if t.kind != "word" or t.low in _STOP:
            break
        if run and not joined and not t.text[:1].isupper() and (
                t.low.endswith(("ed", "ing")) or t.low in _PARTICIPLES):
            break  # a participle clause starts: "hostage held in ..." (not a name: "striking Boeing workers")
        run.append(k)
        k, joined = k + 1, False
    if not run:
        return None
    if value == 1:
        w = toks[run[-1]].low
        return None if w in _MODIFIERS else (normalise_unit(w), run[-1] + 1)
    for k in run:
        w = toks[k].low.removesuffix("'s").removesuffix("’s")
        if toks[k].text[:1].isupper() and k != run[-1]:
            continue  # a proper noun modifies the counted noun: "700 Northland fighters"
        if w in _INVARIANT or _looks_plural(w):
            return normalise_unit(w), k + 1
    return None


def _looks_plural(w: str) -> bool:
    """"hostages", "Israelis", "Qataris" yes; "crisis", "status", "Hamas", "press" no."""
    return len(w) > 2 and w.endswith("s") and not w.endswith(("ss", "us", "sis", "xis")) and w not in _NOT_PLURAL


def _plural(w: str) -> str:
    if w in _IRREGULAR:
        return _IRREGULAR[w]
    if w in _INVARIANT or _looks_plural(w):
        return w
    if w.endswith(("s", "x", "z", "ch", "sh")):
        return w + "es"
    if len(w) > 1 and w.endswith("y") and w[-2] not in "aeiou":
        return w[:-1] + "ies"
    return w + "s"


# --- building Quantities --------------------------------------------------------------------------------------
def _qualifier(toks: list[_Tok], i: int) -> str | None:
    """"more than", "about", ... right before token i ("between" too, for ranges)."""
    before = [t.low for t in toks[max(0, i - 3):i]]
    for q in _QUALIFIERS:
        parts = q.split()
        if before[-len(parts):] == parts:
            return q
    return None


def _make(text: str, toks: list[_Tok], num: _Num, unit: str, end: int, qualifier: str | None) -> Quantity:
    start, stop = toks[num.i].start, toks[max(end, num.j) - 1].end
    return Quantity(num.value, unit, text[start:stop], qualifier, start, stop)


def _single(text: str, toks: list[_Tok], num: _Num, vote: bool = False) -> Quantity | None:
    found = _unit(toks, num)
    if found is None:
        return None
    unit, end = found
    if not unit and vote and _is_tally(toks, num):
        unit = "votes"
    qualifier = _qualifier(toks, num.i)
    if not qualifier and (_names_the_parties(toks, num, unit) or _one_as_article(toks, num, unit)):
        return None
    if not unit and (num.value == 1 or _is_designation(toks, num) or _names_a_thing(toks, num)):
        return None  # "one of the", a lone "1", "District 751", "737 production", "the 22.4 classification"
    if num.spelled == "one" and _low(toks, num.j) in _ONE_IDIOM_HEADS \
            and _low(toks, num.i - 1) not in _ONE_COUNTING_BEFORE:
        return None
    return _make(text, toks, num, unit, end, None if qualifier == "between" else qualifier)


def _is_designation(toks: list[_Tok], num: _Num) -> bool:
    """Digits that name rather than count, next to a capitalised word: "District 751", "Local 399", "the Group of
    7", "the 737 Max", "its 777X jet"."""
    if num.spelled or num.currency or num.scale != 1:
        return False
    before = toks[num.i - 1] if num.i > 0 else None
    if before is not None and before.low == "of" and num.i > 1:
        before = toks[num.i - 2]
    after = toks[num.j] if num.j < len(toks) else None
    return any(tok is not None and tok.kind == "word" and tok.text[0].isupper() and tok.text not in _MONTHS
               and tok.low not in _STOP and tok.low not in _QUALIFIER_WORDS for tok in (before, after))


def _names_a_thing(toks: list[_Tok], num: _Num) -> bool:
    """Digits with no unit right before a word they modify: "737 production", "a second 787 assembly line", "the
    22.4 driver classification" name a model or a grade, they count nothing (a counted noun would be the unit).
    Not before a participle: "500 serving life sentences", "90 voting no", "12 detained" count people."""
    if num.spelled or num.currency or num.scale != 1 or num.j >= len(toks):
        return False
    after = toks[num.j]
    return after.kind == "word" and after.text.islower() and after.low not in _STOP \
        and after.low not in _QUALIFIER_WORDS and after.low not in _MODIFIERS \
        and not after.low.endswith(("ing", "ed")) and after.low not in _PARTICIPLES


def _names_the_parties(toks: list[_Tok], num: _Num, unit: str) -> bool:
    """"the two sides", "all three companies", "Detroit's three automakers": a reference, not a count."""
    if not (2 <= num.value <= 5 and num.value.is_integer() and num.scale == 1 and not num.currency):
        return False
    prev = _low(toks, num.i - 1)
    after_det = prev in _DETERMINERS or prev.endswith(("'s", "’s", "s'", "s’"))
    return unit in _PARTY_UNITS or unit in _PARTY_UNITS_AFTER_DET and after_det


def _one_as_article(toks: list[_Tok], num: _Num, unit: str) -> bool:
    """"one worker said", "one Wall Street firm": "one" stands for "a" before an actor."""
    return num.spelled == "one" and unit in _ONE_ARTICLE_UNITS and _low(toks, num.i - 1) not in _ONE_COUNTING_BEFORE


def _is_tally(toks: list[_Tok], num: _Num) -> bool:
    """"a vote of fourteen to none", "passed 14 to none": one side of a vote ("none" is no number)."""
    before = [t.low for t in toks[max(0, num.i - 2):num.i]]
    return before == ["vote", "of"] or _low(toks, num.j) in ("to", "against") and _low(toks, num.j + 1) == "none"


def _second_of_pair(toks: list[_Tok], num: _Num) -> _Num | None:
    """The Y of "X-Y", "X to Y", "X or Y", "between X and Y"."""
    j = num.j
    link = _low(toks, j)
    if link in _HYPHENS:
        ok = toks[j - 1].kind == "num" and j + 1 < len(toks) and _adjacent(toks[j - 1], toks[j]) \
            and _adjacent(toks[j], toks[j + 1]) and toks[j + 1].kind in ("num", "sym")
    else:
        ok = link in ("to", "or") or link == "and" and _qualifier(toks, num.i) == "between"
    if not ok or j + 1 >= len(toks):
        return None
    second = _parse_number(toks, j + 1)
    if second is None or _excluded(toks, second, attached_ok=True):
        return None
    return second


def _pair(text: str, toks: list[_Tok], lo: _Num, hi: _Num, vote: bool) -> list[Quantity] | None:
    """A range (range_low/range_high, shared unit) or a tally like a 14-0 vote (two quantities, no qualifier)."""
    if lo.scale == 1 and hi.scale > 1 and lo.value < hi.value / hi.scale:  # "between 1 and 2 million"
        lo = lo._replace(value=lo.value * hi.scale, scale=hi.scale)
    currency = lo.currency or hi.currency
    found = _unit(toks, hi._replace(currency=currency))
    if found is None:
        return None
    unit, end = found
    if lo.value < hi.value:
        return [_make(text, toks, lo, unit, lo.j, "range_low"), _make(text, toks, hi, unit, end, "range_high")]
    if _low(toks, lo.j) == "or":
        return None
    unit = unit or ("votes" if vote else "")
    return [_make(text, toks, lo, unit, lo.j, None), _make(text, toks, hi, unit, end, None)]
