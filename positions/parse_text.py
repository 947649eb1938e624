"""Sentence text as the parser should see it: datelines blanked, title-case headlines in sentence case.

Every change keeps the text's length and character positions, so alias offsets found in the original text
still point at the same tokens of the parse.
"""
from __future__ import annotations

import re
from typing import Sequence

# "DETROIT — ", "DEARBORN, Mich. — ", "WASHINGTON (Reuters) - ": a place in capitals and a dash at the start
_DATELINE = re.compile(r"^[A-Z][A-Z .'\-]{2,40}(?:,\s+[A-Z][A-Za-z.]{1,12}\.?)?(?:\s+\([^)]{1,30}\))?\s+[—–-]{1,2}\s+")
_WORD = re.compile(r"[A-Za-z][A-Za-z'’\-]*")
_SMALL_WORDS = frozenset("a an and as at but by for from in into of on or over the to under up with".split())


def blank_dateline(text: str) -> str:
    match = _DATELINE.match(text)
    return " " * match.end() + text[match.end():] if match else text


def is_title_case(text: str) -> bool:
    """Most words longer than three letters start with a capital ("Netanyahu Rejects Hamas Terms ...")."""
    words = [w for w in _WORD.findall(text) if len(w) > 3]
    return len(words) >= 3 and sum(w[0].isupper() for w in words) >= 0.75 * len(words)


def sentence_case(text: str, keep: Sequence[tuple[int, int]]) -> str:
    """Lower-case every capitalised word but the first, acronyms and the spans in `keep` (party aliases)."""
    chars = list(text)
    first = True
    for match in _WORD.finditer(text):
        start, end = match.span()
        word = match.group(0)
        if first:
            first = False
            continue
        if word.isupper() and len(word) > 1 or any(a <= start < b for a, b in keep):
            continue
        parts = re.split(r"([\-'’])", word)  # "Cease-Fire" -> "cease-fire"
        if all(not part[:1].isalpha() or part[1:].islower() or part.lower() in _SMALL_WORDS for part in parts):
            chars[start:end] = list(word.lower())
    return "".join(chars)


def text_for_parser(text: str, is_headline: bool, alias_spans: Sequence[tuple[int, int]]) -> str:
    out = blank_dateline(text)
    if is_headline and is_title_case(out):
        out = sentence_case(out, alias_spans)
    return out
