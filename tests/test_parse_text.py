"""Text prepared for the parser keeps its length, so alias offsets still point at the same characters."""
from positions.parse_text import blank_dateline, is_title_case, sentence_case, text_for_parser


def test_dateline_is_blanked_keeping_offsets():
    text = "DEARBORN, Mich. — Northland on Thursday proposed a truce."
    out = blank_dateline(text)
    assert len(out) == len(text) and out.lstrip().startswith("Northland") and out[18:] == text[18:]
    assert blank_dateline("Northland said on Monday - late - it would talk.") == \
        "Northland said on Monday - late - it would talk."


def test_title_case_headline_in_sentence_case_keeps_aliases_and_acronyms():
    text = "Northland Rejects Southland Terms for a Cease-Fire and Vows to Press On at UN"
    assert is_title_case(text)
    out = sentence_case(text, keep=[(18, 27)])
    assert out == "Northland rejects Southland terms for a cease-fire and vows to press on at UN"
    assert len(out) == len(text)


def test_ordinary_sentences_are_left_alone():
    text = "Northland said on Monday that it would accept the truce."
    assert not is_title_case(text)
    assert text_for_parser(text, True, []) == text
    assert text_for_parser("Rejects Southland Terms For Truce Plan", False, []) == "Rejects Southland Terms For Truce Plan"
