"""Paragraphs -> sentences with exact character offsets; the boilerplate filter.

Rule-based and linear in the length of the text: every scan below either moves forward or looks back a
bounded number of characters, so a 1 MB line without punctuation costs one pass.
"""
from __future__ import annotations

import re
from collections.abc import Iterator

from .config import SentenceSettings
from .models import Sentence

# ----------------------------------------------------------------------------------------------
# Boilerplate: page furniture that is never a statement
# ----------------------------------------------------------------------------------------------
_NAME = r"[A-Z][\w'’.\-]*(?:\s+(?:[A-Z][\w'’.\-]*|(?:de|van|von|al|el|bin|da|del|la|le)(?:-[A-Z][\w'’.\-]*)?))*"
_BOILERPLATE = [
    re.compile(p, re.IGNORECASE)
    for p in (
        r"back to top(?: button)?",
        r"advertisements?",
        r"skip to (?:main )?content",
        r"share (?:this|full) (?:article|story)",
        r"(?:share|save|print|comments?|related|related (?:articles|stories|coverage)|most read)",
        r"listen to this article",
        r"supported by",
        r"read more\b.*",
        r"also read\s*:.*",
        r"sign up (?:for|to)\b.*newsletters?\b.*",
        r"(?:credits?|photo(?:graph)?s?|images?)\s*(?:…|\.\.\.|:).*",
        r"\(\s*(?:photo|image|photograph)s?\s+(?:by|credit)\b.*",
        r"(?:last )?(?:updated|published|posted)(?: on)?:?\s+[\w ,.:/\-]{0,60}",  # needs a digit, see below
    )
]
_TIMESTAMP = _BOILERPLATE[-1]
_BYLINE = re.compile(rf"By\s+{_NAME}(?:(?:\s*,\s*|\s+and\s+|\s*,\s+and\s+){_NAME})*(?:\s*[|,]\s*{_NAME})?")
_REPORTING = re.compile(r"(?:additional\s+)?(?:reporting|writing)\s+by\b.*", re.IGNORECASE)
_COOKIE = re.compile(r"\bcookies?\b.*\b(?:accept|consent|policy|we use|settings)\b|\b(?:accept|we use)\b.*\bcookies?\b",
                     re.IGNORECASE)
_BOILERPLATE_MAX_CHARS = 300  # longer lines are article text; also keeps the checks cheap on huge lines


def is_boilerplate(line: str) -> bool:
    """True for a line or sentence that is page furniture: 'Advertisement', bylines, credits, cookie notices."""
    line = line.strip()
    if not line or len(line) > _BOILERPLATE_MAX_CHARS:
        return False
    for pattern in _BOILERPLATE:
        if pattern.fullmatch(line):
            return pattern is not _TIMESTAMP or any(c.isdigit() for c in line)
    if _BYLINE.fullmatch(line):
        return True
    # "Reporting by X; Editing by Y" and "Additional reporting by X in Cairo"
    if _REPORTING.fullmatch(line) and ("editing by" in line.lower() or ";" in line or len(line.split()) <= 12):
        return True
    return len(line) < 250 and _COOKIE.search(line) is not None


# A photo credit that ends a caption sentence: "... adopted. Credit…Angela Weiss/AFP — Getty Images".
_CREDIT = re.compile(
    r"\bCredits?\s*(?:…|\.\.\.|:)"
    r"|\b(?:Photo(?:graph)?|Image)s?\s*:"
    r"|\(\s*(?:Photo|Image|Photograph)s?\s+(?:by|credit)\b"
)


def strip_credit(text: str, start: int, end: int) -> int:
    """New end of text[start:end] without a trailing photo credit (== start when it is all credit)."""
    match = _CREDIT.search(text, start, end)
    if match is None:
        return end
    cut = match.start()
    while cut > start and text[cut - 1].isspace():
        cut -= 1
    return cut


# ----------------------------------------------------------------------------------------------
# Sentence boundaries
# ----------------------------------------------------------------------------------------------
_ABBREVIATIONS = frozenset(
    "Mr. Mrs. Ms. Messrs. Dr. Prof. Gen. Gens. Lt. Col. Maj. Capt. Cmdr. Adm. Brig. Sgt. Cpl. Sen. Sens. Rep. Reps. "
    "Gov. Pres. Amb. Rev. Hon. St. Mt. Ft. Jr. Sr. No. Nos. vs. v. etc. e.g. i.e. cf. approx. Inc. Corp. Co. Ltd. "
    "Jan. Feb. Mar. Apr. Jun. Jul. Aug. Sep. Sept. Oct. Nov. Dec. a.m. p.m.".split()
)
_ACRONYM = re.compile(r"(?:[A-Za-z]\.){2,}")  # U.S. U.N. C.I.A. F.B.I. D.C. a.m.
_INITIAL = re.compile(r"[A-Z]\.")  # William J. Burns
# end punctuation, closing quotes/brackets, then a space; starts only at the start of a punctuation run and never
# backtracks (possessive), so a run of a million dots is one linear scan
_CANDIDATE = re.compile(r"(?<![.!?…])[.!?…]++[\"'”’)\]]*+(?=\s)")
_SPACE = re.compile(r"\s+")
_OPENERS = "\"'“‘([«"
_FINAL = frozenset(".!?:;,…—–-")
_CLOSERS = "\"'”’)]»"
_LOOKBACK = 30  # longest abbreviation token looked at


def _is_abbreviation(text: str, lo: int, dot: int) -> bool:
    """Whether the '.' at text[dot] ends an abbreviation or an initial (looks back at most _LOOKBACK chars)."""
    window = text[max(lo, dot - _LOOKBACK):dot + 1]
    token = window.split()[-1].lstrip(_OPENERS) if window.strip() else ""
    return token in _ABBREVIATIONS or bool(_ACRONYM.fullmatch(token)) or bool(_INITIAL.fullmatch(token))


def _boundaries(text: str, start: int, end: int) -> Iterator[int]:
    """Offsets in [start, end) after which a sentence ends (. ! ? + space + capital, digit or quote)."""
    for match in _CANDIDATE.finditer(text, start, end):
        punct = match.group(0).rstrip(_CLOSERS)
        after = _SPACE.match(text, match.end(), end)
        if after is None or after.end() >= end:
            continue
        nxt = text[after.end()]
        if nxt in _OPENERS and after.end() + 1 < end:
            nxt = text[after.end() + 1]
        if not (nxt.isupper() or nxt.isdigit()):
            continue
        # a single '.' after an abbreviation or initial does not end the sentence
        if punct == "." and _is_abbreviation(text, start, match.start()):
            continue
        yield match.end()


def _ends_open(text: str, start: int, end: int) -> bool:
    """A line with no final punctuation (a headline or subhead), looking through closing quotes."""
    i = end
    while i > start and text[i - 1] in _CLOSERS:
        i -= 1
    return i > start and text[i - 1] not in _FINAL


def _chunks(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    """Split a paragraph at line breaks after a line with no final punctuation (unless the next line is a
    lower-case continuation of hard-wrapped prose)."""
    chunk_start = start
    pos = start
    while True:
        newline = text.find("\n", pos, end)
        if newline < 0:
            break
        line_end = newline
        while line_end > pos and text[line_end - 1] in " \t":
            line_end -= 1
        nxt = _SPACE.match(text, newline, end)
        next_char = text[nxt.end()] if nxt and nxt.end() < end else ""
        if _ends_open(text, pos, line_end) and not next_char.islower():
            yield chunk_start, line_end
            chunk_start = newline + 1
        pos = newline + 1
    yield chunk_start, end


def _paragraphs(text: str) -> Iterator[tuple[int, int]]:
    """(start, end) of each non-blank paragraph; paragraphs are separated by blank lines."""
    pos = 0
    for sep in re.finditer(r"\n[ \t\r\f\v]*\n\s*", text):
        yield pos, sep.start()
        pos = sep.end()
    yield pos, len(text)


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _cut(text: str, start: int, end: int, limit: int) -> Iterator[tuple[int, int]]:
    """Pieces of at most `limit` chars, cut after the last comma or at the last space before the limit."""
    while end - start > limit:
        window_end = start + limit
        cut = max(text.rfind(",", start, window_end) + 1, 0)
        space = max(text.rfind(" ", start, window_end), text.rfind("\n", start, window_end))
        cut = max(cut, space)
        if cut <= start:
            cut = window_end  # no space or comma: hard cut
        yield _trim(text, start, cut)
        start, _ = _trim(text, cut, end)
    yield start, end


def split_sentences(text: str, settings: SentenceSettings) -> list[Sentence]:
    """Sentences of a normalised document text, with text[s.start:s.end] == s.text."""
    sentences: list[Sentence] = []
    limit = max(1, settings.max_sentence_chars)
    paragraph = -1
    for p_start, p_end in _paragraphs(text):
        p_start, p_end = _trim(text, p_start, p_end)
        if p_start == p_end:
            continue
        paragraph += 1
        # the first paragraph without final punctuation is the headline
        headline = paragraph == 0 and _ends_open(text, p_start, p_end)
        for c_start, c_end in _chunks(text, p_start, p_end):
            c_start, c_end = _trim(text, c_start, c_end)
            s_start = c_start
            for b in [*_boundaries(text, c_start, c_end), c_end]:
                # drop a trailing photo credit, then boilerplate, then cut what is too long
                s_end = strip_credit(text, s_start, b)
                s_start, s_end = _trim(text, s_start, s_end)
                if s_end > s_start and not is_boilerplate(text[s_start:s_end]):
                    for a, z in _cut(text, s_start, s_end, limit):
                        piece = text[a:z]
                        if len(piece) >= settings.min_sentence_chars and any(ch.isalnum() for ch in piece):
                            sentences.append(Sentence(piece, a, z, len(sentences), paragraph, headline))
                s_start = b
    return sentences
