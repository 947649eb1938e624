"""Positions a second party holds inside a relative clause of another party's sentence.

"Hamas has insisted that any agreement include a permanent end to the fighting, a demand Israel has so far
refused": the sentence is Hamas's demand, and the relative clause states Israel's refusal of the same term.
"""
from __future__ import annotations

from dataclasses import dataclass

from .stance import StanceReading, classify_stance


@dataclass(frozen=True)
class SidePosition:
    party: str
    reading: StanceReading
    verb: int  # token index of the relative clause's verb


def side_positions(doc, token_party: dict[int, str], main_party: str) -> list[SidePosition]:
    """For each relative clause whose subject names a party other than the sentence's holder and whose verb is a
    stance word ('a demand Israel has refused', 'an idea Mr. Netanyahu has dismissed'), that party's reading."""
    found: dict[str, SidePosition] = {}
    for verb in doc:
        if verb.dep_ not in ("relcl", "acl") or verb.pos_ != "VERB":
            continue
        if any(c.dep_ == "aux" and c.lower_ == "to" for c in verb.children):
            continue  # "it is time for the DUP to accept the deal": what the speaker asks of it, not its position
        subjects = [c for c in verb.children if c.dep_ == "nsubj"]
        party = next((token_party.get(t.i) for s in subjects for t in s.subtree if t.i in token_party), None)
        if party is None or party == main_party or party in found:
            continue
        own = frozenset(i for i, p in token_party.items() if p == party)
        others = frozenset(i for i, p in token_party.items() if p != party)
        reading = classify_stance(doc, verb.i, others, own)
        if reading.cue is not None and reading.cue == verb.text:  # the clause's own verb states the stance
            found[party] = SidePosition(party, reading, verb.i)
    return list(found.values())
