"""Holder and stance of one literal sentence, read as the pipeline reads it (shared by the holder and stance tests)."""
from positions.holders import AliasIndex, find_holder, mention_tokens
from positions.stance import classify_stance


def read_reading(nlp, negotiation, sentence, context=None):
    """(Holder, StanceReading) of the sentence for the negotiation's parties."""
    aliases = AliasIndex(negotiation.parties)
    doc = nlp(sentence)
    mentions = aliases.find(sentence)
    finding = find_holder(doc, mentions, aliases, context)
    tokens = mention_tokens(doc, mentions)
    others = frozenset(i for i, p in tokens.items() if p != finding.holder.party)
    own = frozenset(i for i, p in tokens.items() if p == finding.holder.party)
    return finding.holder, classify_stance(doc, finding.anchor, others, own)
