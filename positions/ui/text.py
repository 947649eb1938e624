"""Untrusted text for Streamlit markdown (no Streamlit import: pure and unit-tested).

st.markdown, st.title, st.caption, st.error, labels and tab names all render Markdown (plus Streamlit's
directives, :colour[...] and $math$). Article text, titles, sources and configured names pass through
`md` first: every ASCII punctuation character is backslash-escaped, so `<script>` shows as text.
"""
from __future__ import annotations

import re
import string

_PUNCTUATION = re.compile("([" + re.escape(string.punctuation) + "])")


def md(value) -> str:
    """Escape text for Markdown: punctuation backslash-escaped, line breaks folded to spaces."""
    if value is None:
        return ""
    text = " ".join(str(value).split())
    return _PUNCTUATION.sub(r"\\\1", text)


def highlighted(before: str, sentence: str, after: str) -> str:
    """A paragraph as Markdown with the evidence sentence in bold; all three parts escaped.
    Spaces around the ** keep the emphasis valid whatever punctuation the sentence starts or ends with."""
    core = md(sentence)
    if not core:
        return md(before + after)
    return f"{md(before)} **{core}** {md(after)}".strip()
