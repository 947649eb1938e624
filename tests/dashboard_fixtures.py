"""A small hand-built store for the dashboard tests (no pipeline needed): two principals, a mediator whose
configured name is a script payload, three topics, stance and number shifts, and a hostile article (script, image
and javascript: link payloads in its text, title and source)."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np

from positions.config import Event, Negotiation, Party, Topic
from positions.embeddings import HashingEmbedder
from positions.models import AnalysedDocument, Document, Position, Quantity, Sentence
from positions.store import Store

IMG = "<img src=x onerror=alert(1)>"
SCRIPT = "<script>alert(2)</script>"
# links that would run script when clicked: a Markdown link and an HTML anchor (Plotly labels render <a href>)
LINK = "[terms](javascript:alert(3))"
ANCHOR = '<a href="javascript:alert(4)">details</a>'
HOSTILE_PARTY_NAME = f"Mediator {IMG}{SCRIPT}"
NEGOTIATION = "talks"

NEG = Negotiation(
    name=NEGOTIATION,
    title="Test talks: union against company",
    parties=(
        Party("union", "Auto Union", ("union", "Auto Union")),
        Party("company", "Motor Company", ("company", "Motor Company")),
        Party("mediator", HOSTILE_PARTY_NAME, ("mediator",), "mediator"),
    ),
    topics=(
        Topic("wages", "Wages", "pay raises", ("raise", "wage")),
        Topic("pensions", "Pensions", "retirement", ("pension",)),
        Topic("tiers", "Wage tiers", "tiered pay", ("tier",)),
    ),
    events=(
        Event(dt.date(2023, 8, 15), "Talks open", ("wages",)),
        Event(dt.date(2023, 9, 15), f"Strike begins {SCRIPT}", ()),
    ),
)

# (date, title, source, paragraphs); a paragraph is a list of (sentence, [(party, topic, stance, numbers)])
ARTICLES = [
    ("2023-08-10", "Union sets out demands", "Test Wire", [
        [("The union demanded a 40 percent raise over four years.", [("union", "wages", "demand", [(40, "percent")])]),
         ("It also wants traditional pensions back for all workers.", [("union", "pensions", "demand", [])])],
        [("Talks are expected to be long, Shawn Fain, the union's president, said.", [])],
    ]),
    ("2023-08-24", "Company makes first offer", "Test Wire", [
        [("The company offered a 9 percent raise.", [("company", "wages", "propose", [(9, "percent")])]),
         ("The company rejected the return of pensions.", [("company", "pensions", "reject", [])])],
        [("The union rejected the offer as an insult.", [("union", "wages", "reject", [])])],
    ]),
    ("2023-09-08", "Company raises offer", "Daily Test", [
        [("The company raised its offer to a 20 percent raise.", [("company", "wages", "propose", [(20, "percent")])]),
         ("The company said it would end wage tiers.", [("company", "tiers", "accept", [])])],
        [("The mediator urged both sides to keep talking.", [("mediator", "wages", "support", [])])],
    ]),
    ("2023-09-20", "Union lowers demand", "Daily Test", [
        [("The union lowered its demand to a 36 percent raise.", [("union", "wages", "demand", [(36, "percent")])]),
         ("The union demanded an end to wage tiers.", [("union", "tiers", "demand", [])])],
    ]),
    ("2023-10-05", "Tentative deal on wages", "Test Wire", [
        [("The union accepted a 25 percent raise in a tentative deal.",
          [("union", "wages", "accept", [(25, "percent")])]),
         ("The company accepted a 25 percent raise over the contract.",
          [("company", "wages", "accept", [(25, "percent")])])],
        [("The union again demanded pensions for all workers.", [("union", "pensions", "demand", [])])],
        [("Mr. Fain told members that the vote would come next week.", [])],
    ]),
    # hostile article: payloads in text, title and source
    ("2023-10-12", f"Hostile title {IMG} {SCRIPT} {LINK}", f"Source {IMG} {ANCHOR}", [
        [(f"The mediator said {IMG} and {SCRIPT} were proposed as a wage compromise, {LINK} {ANCHOR}.",
          [("mediator", "wages", "propose", [(30, "percent")])])],
        [(f"Background {SCRIPT} sentence.", [])],
    ]),
]


def _analysed(published: str, title: str, source: str, paragraphs, embedder: HashingEmbedder) -> AnalysedDocument:
    texts, sentences, positions = [], [], []
    offset, index = 0, 0
    for p_index, paragraph in enumerate(paragraphs):
        parts = []
        for sentence_text, specs in paragraph:
            start = offset + sum(len(x) + 1 for x in parts)
            sentences.append(Sentence(sentence_text, start, start + len(sentence_text), index, p_index))
            for party, topic, stance, numbers in specs:
                quantities = tuple(Quantity(v, u, f"{v} {u}") for v, u in numbers)
                positions.append(Position(index, party, topic, stance, quantities,
                                          dt.date.fromisoformat(published), "published", "said_subject",
                                          None, None, 0.9, 0.8))
            if not specs:
                positions.append(Position(index, None, None, None))
            parts.append(sentence_text)
            index += 1
        paragraph_text = " ".join(parts)
        texts.append(paragraph_text)
        offset += len(paragraph_text) + 2
    text = "\n\n".join(texts)
    for s in sentences:
        assert text[s.start:s.end] == s.text, (s, text)
    document = Document(text, title, source, dt.date.fromisoformat(published), f"test://{title[:12]}")
    vectors = embedder.embed([s.text for s in sentences])
    return AnalysedDocument(document, tuple(sentences), tuple(positions), np.asarray(vectors))


def build_store(path: Path) -> Path:
    """Write the test negotiation and its articles to a new store at `path`; returns the path."""
    store = Store(path).init()
    store.save_negotiation(NEG)
    embedder = HashingEmbedder()
    for article in ARTICLES:
        store.add_document(NEGOTIATION, _analysed(*article, embedder))
    store.close()
    return Path(path)
