"""A second party's position in a relative clause of another party's sentence."""
import pytest

from positions.config import Party
from positions.holders import AliasIndex, mention_tokens
from positions.side_positions import side_positions

ALIASES = AliasIndex([Party("north", "Northland", ("Northland", "Vale")), Party("south", "Southland", ("Southland",))])


def sides(nlp, sentence, holder):
    doc = nlp(sentence)
    return [(s.party, s.reading.stance) for s in side_positions(doc, mention_tokens(doc, ALIASES.find(sentence)), holder)]


@pytest.mark.parametrize("sentence, expected", [
    ("Southland has insisted that any agreement include a permanent end to the fighting, a demand Northland has "
     "so far refused.",
     [("north", "reject")]),
    ("Vale said the captives should be freed first, an idea Southland has repeatedly dismissed.", [("south", "reject")]),
    ("Vale welcomed the truce plan, which Southland accepted on Monday.", [("south", "accept")]),
    # the holder's own clause, and a party merely named in a relative clause, give nothing
    ("Southland rejected the truce plan that Southland had drafted.", []),
    ("Vale said the talks, which Southland attended, would go on.", []),
    # what the holder asks of the other party is no position of that party
    ("Vale said it was time for Southland to accept the truce plan.", []),
])
def test_side_positions(nlp, sentence, expected):
    holder = "north" if sentence.startswith("Vale") else "south"
    assert sides(nlp, sentence, holder) == expected
